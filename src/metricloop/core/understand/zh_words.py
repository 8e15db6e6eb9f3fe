"""Chinese words that carry no condition and no metric: question words, verbs of asking, measure words, glue. Pure.

What is left of a Chinese question once these are gone is content: coverage (core/understand/coverage) asks about it
when nothing placed it, and metric choice (core/understand/metrics) will not answer on words alone while it remains.
"""
from __future__ import annotations

from metricloop.core.text import STOPWORDS

# words saying only how a number is counted or summed (件数, 金额): never a dimension or a value, whatever the
# glossary renders as them ("unit number" is 件数 word for word)
COUNT_WORDS_ZH = frozenset({"数量", "金额", "总额", "总数", "次数", "个数", "件数", "笔数", "单数", "人数", "总量"})
FILLER_ZH = frozenset(STOPWORDS | {
    "有", "个", "统计", "情况", "数据", "分别", "分别是", "怎么样", "如何", "哪些", "哪个", "什么", "目前", "现在",
    "帮", "帮我", "查", "查询", "查一下", "告诉", "告诉我", "列", "共", "总计", "合计", "为", "在", "和", "与",
    "及", "以及", "对比", "相比", "比较", "到底", "大概", "平均", "数", "数量", "量", "额", "金额", "总额", "总数",
    "统计数据", "指标", "一下", "下", "各", "各个", "按", "按照", "每个", "每", "分", "所有", "全部", "整体", "总体",
    "公司", "我", "你", "他们", "咱们", "这个", "那个", "这些", "那些", "是", "多少", "几", "多", "少", "吗", "呢",
    "啊", "吧", "呀", "请问", "想", "知道", "看下", "看一下", "一共有", "了", "得", "地", "之", "中", "里",
    "上", "其中", "分布", "明细", "相关", "对应", "同期", "期间", "时候", "的话", "来看", "来", "以外", "之外", "除外",
    "截至", "截止", "为止", "迄今", "目前为止", "拆分", "拆开", "细分", "分解", "展开", "贡献", "带来", "产生",
    "用量", "使用量",  # 柴油用量: how much diesel was used, the diesel metric's own amount
    # follow-up verbs (换成欧元 is still a conversion: see _CONDITION_ZH)
    "换成", "改成", "换为", "改为", "再看", "只看",
    # who and where, said loosely (Boston那边, 大家): the place or the people are the question's other words
    "那边", "这边", "那里", "这里", "大家", "我们", "咱", "一共", "总共", "实际", "实际上", "差不多", "有人",
    # asking verbs said first (列出上周…, 给我看看…)
    "哪家", "哪一家", "哪一个", "列出", "列一下", "显示", "展示", "给我", "看看", "算一下", "算算", "拉一下", "出一下",
    "统计一下", "汇总",
    # that the counted events happened (上周发生了多少起事件: the incidents counted), or reached us (一共收到多少条线索:
    # the leads counted; 处理过多少起理赔: the claims)
    "发生", "收到", "接到", "处理过", "碰到", "遇到", "遇上", "出现",
    # how long something takes, asked of a duration metric (要等多久才能…: the wait, its kind asked)
    "多久", "多长时间", "多长", "要", "需要", "才能", "才", "能", "能把", "把",
    # counts said after the thing counted (停电次数: the outages, counted)
    "次数", "个数", "件数", "笔数", "单数",
    # how many of a place were just listed (Camelback和Las Vegas West两家店; 那家店: the one said)
    "两家", "三家", "四家", "五家", "几家", "那家", "这家", "那几家", "这几家",
    # ... or the one thing just named (Diedrich那台机器: the roaster said, pointed at)
    "那台", "这台", "那辆", "这辆", "那间", "这间", "那位", "这位",
})

# a measure word says only what is counted (卖台 of 卖了多少台 is the selling)
MEASURE_WORDS = "台节户笔间辆张个件次位名条单"

"""Every user-visible sentence of metricloop, English and Chinese side by side, one key each. Pure.

Front ends (Slack, the terminal, chat, the CLI), the service and the pure core (understand's reasons,
present's summaries, the loop's notices) all say things through `say(key, lang, **fields)`, so one
product speaks with one voice and a translation is never missing (tests/core/test_texts.py checks that
every key has both languages with the same placeholders).

Adding a sentence:
  1. Add `"my_key": {"en": "...{field}...", "zh": "...{field}..."}` to TEXTS, in the section it belongs
     to (or a new section comment). Keys are snake_case and unique across the whole table; prefix a new
     room's keys with its name when a generic word is taken (`digest_title`, `alert_ack`).
  2. Both languages take exactly the same `{placeholders}`; format numbers, dates and lists before
     passing them in (core/present/formatting), so the table holds words only.
  3. Call `say("my_key", lang, field=value)`. Unknown languages fall back to English.
Terms: a governed metric is "governed metric" / 受治理指标 — use that term, never a synonym.

Where it lives: core/present may be imported by understand, loop and every outer layer, so the whole
house can reach the table without breaking the layering (tests/test_architecture.py).
"""
from __future__ import annotations

from typing import Any

LANGS = ("en", "zh")

TEXTS: dict[str, dict[str, str]] = {
    # -- answers, shared by Slack and the terminal --------------------------------------------------
    "thinking": {"en": "Working on it…", "zh": "正在查询…"},
    "show_sql": {"en": "Show SQL", "zh": "查看 SQL"},
    "sql_title": {"en": "Compiled SQL", "zh": "生成的 SQL"},
    "sql_truncated": {"en": "SQL shortened: {shown} of {total} characters shown.",
                      "zh": "SQL 过长，仅显示 {total} 个字符中的前 {shown} 个。"},
    "did_you_mean": {"en": "Did you mean:", "zh": "您是想问："},
    "clarify_intro": {"en": "I'm not sure which metric you mean.", "zh": "我不确定您指的是哪个指标。"},
    "no_match": {"en": "No governed metric matches that question.", "zh": "没有与这个问题匹配的受治理指标。"},
    "no_match_suggest": {"en": "The closest governed metrics are:", "zh": "最接近的受治理指标有："},
    "no_match_none": {"en": "Try `/metrics list` to see what is available.",
                      "zh": "试试 `/metrics list` 查看可用的指标。"},
    "no_match_none_terminal": {"en": "`metricloop catalog list` shows the governed metrics (in the chat: /list).",
                               "zh": "`metricloop catalog list` 列出所有受治理指标（在对话中输入 /list）。"},
    "no_rows": {"en": "The query returned no rows.", "zh": "查询没有返回任何数据。"},
    "no_data": {"en": "There is no data for this period.", "zh": "该时间段没有数据。"},
    # bounded work and restarts (service.ask, slack/durable)
    "question_too_long": {"en": "That question is {length} characters long; I read questions of up to {limit} "
                                "characters. Please ask it in fewer words: a metric, a period, a breakdown.",
                          "zh": "这个问题有 {length} 个字符，我只读取不超过 {limit} 个字符的问题。"
                                "请简短一些：一个指标、一个时间段、一个拆分维度。"},
    "late_answer": {"en": "Sorry for the wait: I was restarting when you asked, so this answer comes late.",
                    "zh": "抱歉久等：您提问时我正在重启，所以这个回答晚了。"},
    # results that are partial, empty or not there yet, and questions with no words (service, summary)
    "truncated_result": {"en": "Only the first {rows} rows are here: the result hit the row cap, so whatever is read "
                               "from them covers part of the data. Narrow the period, add a filter or ask for the "
                               "top 10.",
                         "zh": "这里只有前 {rows} 行：结果达到了行数上限，由此得出的内容只覆盖部分数据。"
                               "请缩短时间范围、增加筛选条件，或只看前 10 名。"},
    "partial_breakdown": {"en": "There are more than {rows} {noun} for {label} ({period}), over the row cap: the "
                                "highest and lowest cannot be told from part of them.",
                          "zh": "{label}（{period}）有超过 {rows} 个{noun}，超出行数上限，"
                                "无法从部分数据中判断最高和最低。"},
    "partial_series": {"en": "The row cap cut the result after {last}; later periods are missing or incomplete here.",
                       "zh": "结果在{last}之后被行数上限截断，之后的时间段缺失或不完整。"},
    "no_data_for": {"en": "No data: there are no rows for {metrics} in {period}.",
                    "zh": "无数据：{period}没有{metrics}的记录。"},
    "no_data_ever": {"en": "No data: there are no rows for {metrics} at all.",
                     "zh": "无数据：没有任何{metrics}的记录。"},
    "no_data_yet": {"en": "No data yet: {period} has not happened yet.", "zh": "暂无数据：{period}尚未到来。"},
    # an answer whose period reaches days whose data has not (fully) arrived (result_notes.freshness_note)
    "fresh_loaded": {"en": "Data for {models} is loaded up to {latest}", "zh": "{models}的数据已加载到{latest}"},
    "fresh_missing_day": {"en": "; {days} is not in yet", "zh": "；{days}的数据尚未到达"},
    "fresh_missing_days": {"en": "; {days} are not in yet", "zh": "；{days}的数据尚未到达"},
    "fresh_partial": {"en": "; {days} may still be incomplete", "zh": "；{days}的数据可能尚不完整"},
    "fresh_days": {"en": "{first} to {last}", "zh": "{first}至{last}"},
    "fresh_last_partial": {"en": " — the last {unit} is partial", "zh": "，因此最后一{unit}的数字不完整"},
    "fresh_total_partial": {"en": " — the number is partial", "zh": "，因此该数字不完整"},
    "fresh_none_counted": {"en": " — so far nothing is counted", "zh": "，目前没有计入任何数据"},
    "fresh_end": {"en": ".", "zh": "。"},
    "no_words": {"en": "I could not read a question in that: it has only symbols, no words. Ask me about a governed "
                       "metric in plain words, e.g. \"revenue last month by region\".",
                 "zh": "无法从中读出问题：里面只有符号，没有文字。"
                       "请用日常语言询问受治理指标，例如“上个月各地区的收入”。"},
    "missing_in_warehouse": {"en": "The warehouse has no {kind} {name}, which the catalog uses for {metrics}: the "
                                   "catalog and the warehouse disagree. `metricloop catalog check` lists every such "
                                   "problem (ask the metric's owner if you cannot run it).",
                             "zh": "数据仓库中没有{kind} {name}，但指标目录在 {metrics} 中用到了它：指标目录与数据仓库"
                                   "不一致。运行 `metricloop catalog check` 可列出所有此类问题（如无法运行，请联系"
                                   "指标负责人）。"},
    "kind_column": {"en": "column", "zh": "列"},
    "kind_table": {"en": "table", "zh": "表"},
    "rows_shown": {"en": "Showing {shown} of {total} rows.", "zh": "显示 {total} 行中的 {shown} 行。"},
    "rows_capped": {"en": "The result hit the row cap; more rows exist.", "zh": "结果达到行数上限，还有更多数据。"},
    "columns_shown": {"en": "Showing {shown} of {total} columns.", "zh": "显示 {total} 列中的 {shown} 列。"},
    "context_metric": {"en": "Governed metric: {metrics}", "zh": "受治理指标：{metrics}"},
    "context_owner": {"en": "Owner: {owner}", "zh": "负责人：{owner}"},
    "context_period": {"en": "Period: {period}", "zh": "时间：{period}"},
    "context_elapsed": {"en": "{ms} ms", "zh": "{ms} 毫秒"},
    "chart_alt": {"en": "Chart: {title}", "zh": "图表：{title}"},
    "chart_path": {"en": "chart: {path}", "zh": "图表：{path}"},
    # -- restating a query (core/present/describe, formatting) ----------------------------------------
    "all_time": {"en": "all time", "zh": "全部时间"},
    "grain_day": {"en": "daily", "zh": "按天"},
    "grain_week": {"en": "weekly", "zh": "按周"},
    "grain_month": {"en": "monthly", "zh": "按月"},
    "grain_quarter": {"en": "quarterly", "zh": "按季度"},
    "grain_year": {"en": "yearly", "zh": "按年"},
    "compare_previous_period": {"en": "vs previous period", "zh": "环比"},
    "compare_year_over_year": {"en": "vs a year earlier", "zh": "同比"},
    # a typo read as the catalog's word, said after the restatement ("… (read 'occupncy' as occupancy)")
    "typo_read": {"en": " (read {pairs})", "zh": "（{pairs}）"},
    "typo_read_pair": {"en": "'{typed}' as {word}", "zh": "“{typed}”按“{word}”理解"},
    "list_sep": {"en": ", ", "zh": "，"},
    # -- errors and access ----------------------------------------------------------------------------
    "timeout": {"en": "The query took longer than {seconds} s and was stopped. Try a shorter period or fewer groups.",
                "zh": "查询超过 {seconds} 秒，已被停止。请缩短时间范围或减少分组。"},
    "error_generic": {"en": "Sorry, something went wrong while answering.", "zh": "抱歉，回答时出了点问题。"},
    "error_id": {"en": "Error id: `{error_id}` (quote it when reporting the problem)",
                 "zh": "错误编号：`{error_id}`（报告问题时请提供）"},
    "internal_error": {"en": "Something went wrong on our side (error id {id}). The team has been told.",
                       "zh": "系统出错了（错误编号 {id}），已通知维护人员。"},
    "denied": {"en": "You don't have access to that metric.", "zh": "您没有权限查看该指标。"},
    "access_denied": {"en": "You don't have access to {metrics}. Ask the metric owner or an admin for access.",
                      "zh": "您没有查看 {metrics} 的权限。请联系指标负责人或管理员。"},
    "access_denied_rows": {"en": "Your access to {metrics} is limited to some rows, and this question cannot be "
                                 "answered within them. Ask the metric owner or an admin for access.",
                           "zh": "您对 {metrics} 的权限仅限部分数据，无法在该范围内回答这个问题。"
                                 "请联系指标负责人或管理员。"},
    "access_private": {"en": "Answered privately: not everyone in this channel may see {metrics} this way.",
                       "zh": "已私下回复：本频道并非所有成员都有权以这种方式查看 {metrics}。"},
    "access_channel_denied": {"en": "Not posted here: some members of this channel may not see {metrics}.",
                              "zh": "未在此发布：本频道部分成员无权查看 {metrics}。"},
    # -- understanding: why a question got a question back, or no answer (core/understand) -----------
    "empty": {"en": "Ask me about a metric, e.g. \"revenue last month by region\".",
              "zh": "请问一个指标，例如“上个月各地区的收入”。"},
    "sql_text": {"en": "That looks like SQL, not a question. I only run governed metrics; ask in plain words, e.g. "
                       "\"revenue last month by region\".",
                 "zh": "这看起来是 SQL 而不是问题。我只运行受治理指标；请用自然语言提问，例如“上个月各地区的收入”。"},
    "rows": {"en": "I answer with governed metrics (totals, breakdowns, trends), not lists of individual records.",
             "zh": "我只回答受治理指标（合计、分组、趋势），不列出明细记录。"},
    "write": {"en": "I only read governed metrics; I never change, delete or add data. Ask for the number instead, "
                    "e.g. \"cancelled transfers last week\".",
              "zh": "我只读取受治理指标，不修改、删除或新增数据。可以改问数字，例如“上周取消的转账数”。"},
    "no_metric_named": {"en": "There is no governed metric called '{name}'.", "zh": "没有名为“{name}”的受治理指标。"},
    "ambiguous_value": {"en": "'{value}' appears in more than one dimension ({dims}); which one did you mean?",
                        "zh": "“{value}”同时出现在多个维度中（{dims}），您指的是哪一个？"},
    "confirm_metric": {"en": "Your question names no metric; I read it as {metric}. Is that the one? (or pick another)",
                       "zh": "问题里没有说出指标名，我理解为{metric}，是这个吗？（也可以选其他的）"},
    "which_metric": {"en": "Not sure which metric '{text}' means — did you mean one of these?",
                     "zh": "不确定“{text}”指哪个指标，是下面其中之一吗？"},
    "metric_for": {"en": "Which metric would you like for '{text}'?", "zh": "想看“{text}”的哪个指标？"},
    "no_metric": {"en": "No governed metric matches '{text}'.", "zh": "没有受治理指标与“{text}”相符。"},
    "several_metrics": {"en": "'{text}' could mean several metrics.", "zh": "“{text}”可能指多个指标。"},
    "outside_numbers": {"en": "That compares with competitors or the industry, whose numbers the catalog does not "
                              "have: I report our governed metrics. Ask for our number (and its target, or its "
                              "change).",
                        "zh": "这是在与竞争对手或行业比较，而目录里没有他们的数字：我只报告我们自己的受治理指标。"
                              "可以问我们的数字（以及目标或变化）。"},
    "opinion": {"en": "That asks for a judgement, which is not mine to give: I report governed metrics. Ask for the "
                      "number (and its target, or its change), and judge from there.",
                "zh": "这是在问判断或建议，不是我能给出的：我只报告受治理指标。"
                      "可以问具体数字（以及目标或变化），再据此判断。"},
    "why": {"en": "That asks why, which the numbers alone cannot say: I report governed metrics. Ask what changed and "
                  "where — the metric this period vs the one before, or broken down by a dimension — and look "
                  "for the cause there.",
            "zh": "这是在问原因，单凭数字无法回答：我只报告受治理指标。可以问发生了什么变化、变在哪里——"
                  "本期与上期对比，或按某个维度拆分——再从中找原因。"},
    "future": {"en": "No data yet: that period has not happened. I report governed metrics for periods that have "
                     "happened; I do not forecast.",
               "zh": "暂无数据：该时间段尚未到来。我只报告已发生时期的受治理指标，不做预测。"},
    "aggregation": {"en": "No governed metric is the {agg} of what you asked about; the closest governed metrics "
                          "are below.",
                    "zh": "没有受治理指标是所问内容的{agg}；以下是最接近的受治理指标。"},
    "growth_or_value": {"en": "'{word}' could be the {dim} '{value}' or a change over the period. Ask again as "
                              "'… for {value}' or '… change', please.",
                        "zh": "“{word}”可能指{dim}“{value}”，也可能指期间的变化。请改问“…{value}的…”或“…的变化”。"},
    "shift_without_period": {"en": "That moves a period back, but no period was asked before in this thread: which "
                                    "dates do you mean?",
                             "zh": "这是把时间往前推，但这个对话里之前没有问过时间段：您指的是哪段日期？"},
    "unit_mismatch": {"en": "'{text}' asks in a unit {metric} is not measured in (it is in {unit}); governed numbers "
                            "are not converted. Ask for {metric} as it is, or name another metric.",
                      "zh": "“{text}”所问的单位不是{metric}的单位（{unit}）；受治理的数字不做换算。"
                            "请直接问{metric}，或换一个指标。"},
    "currency_mismatch": {"en": "'{text}' asks for money in another currency than {metric} is kept in ({currency}); "
                                "governed numbers are not converted. Ask for {metric} in {currency}.",
                          "zh": "“{text}”要的币种不是{metric}的记账币种（{currency}）；受治理的数字不做换算。"
                                "可以问以{currency}计的{metric}。"},
    "stock_not_flow": {"en": "You asked how many there are now; {metric} counts only those added in each period. "
                             "Is that the number you want?",
                       "zh": "您问的是现有多少；{metric}只统计每段时间内新增的数量。是要这个数字吗？"},
    "kind_mismatch": {"en": "'{text}' asks for another kind of number (a rate, an average or a duration) than the "
                            "metric your words name; did you mean one of these?",
                      "zh": "“{text}”问的是另一类数字（比率、平均值或时长），与问题中提到的指标不同；"
                            "是否指以下指标之一？"},
    "condition": {"en": "I can't apply '{text}': governed metrics are filtered by dimension values, not by amounts.",
                  "zh": "无法应用“{text}”：受治理指标只能按维度取值筛选，不能按数值条件筛选。"},
    "blocked_metric": {"en": "{metric} is governed but cannot be computed yet: {why}.",
                       "zh": "{metric}是受治理指标，但目前还无法计算：{why}。"},
    "unreachable": {"en": "{metrics} cannot be broken down or filtered by {what}.",
                    "zh": "{metrics}无法按{what}拆分或筛选。"},
    "arithmetic": {"en": "I can't compute '{text}': arithmetic between metrics is not a governed metric. "
                         "Pick one, or ask for both side by side.",
                   "zh": "无法计算“{text}”：指标之间的运算不是受治理指标。请选择其中一个，或同时查看两者。"},
    "invalid_date": {"en": "'{text}' is not a date on the calendar. Which period did you mean?",
                     "zh": "“{text}”不是有效的日期，请问想看哪个时间段？"},
    "finer_grain": {"en": "Metrics are kept by day at the finest, so I can't answer '{text}'. Ask by day instead?",
                    "zh": "指标最细只到天，无法按“{text}”回答。要改为按天查看吗？"},
    "two_periods_named": {"en": "'{text}' names two periods. Should I show each of them, compared (e.g. 'X in Q4 vs "
                                "Q3'), or both together (e.g. 'X from Q3 to Q4')?",
                          "zh": "“{text}”提到了两个时间段。是要分别比较（例如“第四季度与第三季度相比”），还是合在一起"
                                "（例如“从第三季度到第四季度”）？"},
    "two_periods": {"en": "'{text}' compares two periods that are not a year or one period apart. Which one "
                          "should be compared with which (e.g. 'X in 2025 vs 2024')?",
                    "zh": "“{text}”比较的两个时间段既不相差一年也不相邻。"
                          "请说明用哪个时间段与哪个比较（例如“2025年与2024年相比”）。"},
    "compared_across": {"en": "'{values}' are values of different dimensions ({dimensions}), so I can't show them "
                              "side by side. Which breakdown did you mean — by {dimensions}?",
                        "zh": "“{values}”属于不同的维度（{dimensions}），无法并列对比。"
                              "要按哪个维度拆分：{dimensions}？"},
    "own_filter": {"en": "{metric} counts only rows where {condition}, so it has no number for '{text}'. "
                         "Ask for another metric, or for {metric} as defined?",
                   "zh": "{metric}只统计{condition}的记录，因此没有“{text}”的数值。"
                         "要换一个指标，还是按定义查看{metric}？"},
    "no_running_total": {"en": "The catalog has no running total of {metric}, so I can't show it accumulating by "
                                "{grain}. Ask for {metric} per {grain}, or for its total over the period?",
                         "zh": "目录中没有{metric}的累计指标，无法按{grain}展示累计值。要看每{grain}的{metric}，"
                               "还是整个时间段的合计？"},
    "rows_without_names": {"en": "The catalog gives no name for each {text}, so its rows could only be listed by "
                                 "internal keys. Which of its attributes should I break the numbers down by?",
                           "zh": "目录里没有每个“{text}”的名称，只能按内部编号逐条列出。请问按它的哪个属性拆分？"},
    "followup_without_thread": {"en": "This reads like a follow-up, but there is no earlier answer here to build on. "
                                      "Which metric, period and breakdown do you mean?",
                                "zh": "这像是追问，但这里没有可以接着的上一条回答。"
                                      "请问具体是哪个指标、哪段时间、怎么拆分？"},
    "level_now": {"en": "'{text}' asks for a level at this moment, but the metric adds up what happened over a period "
                        "— it cannot say how much there is now. Did you mean a period (e.g. 'last week')?",
                  "zh": "“{text}”问的是此刻的存量，而该指标累计的是一段时间内发生的量，无法说明现在有多少。"
                        "是否指某段时间（例如“上周”）？"},
    "other_calendar": {"en": "The catalog does not say when your '{text}' starts and ends, so I cannot turn it into "
                             "dates without guessing. Which dates do you mean (e.g. 'from 2026-09-01 to "
                             "2026-11-27', or 'this year to date')?",
                       "zh": "目录没有定义“{text}”的起止日期，直接换算成日期就是猜测。请问具体指哪段时间（例如"
                             "“2026-09-01到2026-11-27”或“今年到目前为止”）？"},
    "since_event": {"en": "I do not know when '{text}' was, so I cannot start the count there without guessing. From "
                          "which date (e.g. 'since 2026-09-01')?",
                    "zh": "我不知道“{text}”是哪一天，直接起算就是猜测。请问从哪天开始算（例如“2026-09-01以来”）？"},
    "fiscal_year": {"en": "The catalog does not say when your fiscal year starts, so '{text}' could be the calendar "
                          "year or a year starting in another month. Which dates do you mean (e.g. 'calendar 2026', or "
                          "'from 2025-07-01 to 2026-06-30')?",
                    "zh": "目录没有定义财年的起始月份，“{text}”可能是自然年，也可能从其他月份开始。请问具体指哪段时间"
                          "（例如“2026年全年”或“2025-07-01到2026-06-30”）？"},
    # understand: words of the question it could not place (never answered without them)
    "unplaced": {"en": "I could not place '{words}' in your question, so I did not answer without it. "
                       "Nearest dimensions and values: {offer}.",
                 "zh": "无法识别问题中的“{words}”，因此没有略过它直接作答。最接近的维度和取值：{offer}。"},
    # -- Slack: help, slash commands and the App Home tab ---------------------------------------------
    "help": {
        "en": ("*Ask me about governed metrics in plain words.*\n"
               "• `@metricloop revenue by region last quarter`\n"
               "• `/metrics orders by week since March`\n"
               "• `/metrics list` — metrics by owner and domain\n"
               "• `/metrics define <metric>` — definition, owner, formula, target\n"
               "• `/metrics follow <metric>` / `/metrics unfollow <metric>` — your daily digest\n"
               "• `/metrics tree <metric>` — the metric's layers: what drives it, what it drives\n"
               "• `/metrics teach <words> = <metric>` — (owners) the words your people use for it; `/metrics words`\n"
               "Reply in the thread to follow up: _and by channel?_, _what about last year?_"),
        "zh": ("*用日常语言询问受治理指标。*\n"
               "• `@metricloop 上季度各地区收入`\n"
               "• `/metrics 三月以来每周订单数`\n"
               "• `/metrics list` — 按负责人和领域列出指标\n"
               "• `/metrics define <指标>` — 定义、负责人、公式、目标\n"
               "• `/metrics follow <指标>` / `/metrics unfollow <指标>` — 订阅每日摘要\n"
               "• `/metrics tree <指标>` — 指标层级：驱动它的指标、它驱动的指标\n"
               "• `/metrics teach <说法> = <指标>` — （负责人）大家对它的叫法；`/metrics words` 查看\n"
               "在话题中继续追问：_按渠道呢？_、_去年呢？_"),
    },
    "list_title": {"en": "Governed metrics", "zh": "受治理指标"},
    "list_other": {"en": "Other", "zh": "其他"},
    "define_type": {"en": "Type", "zh": "类型"},
    "define_formula": {"en": "Formula", "zh": "公式"},
    "define_target": {"en": "Target", "zh": "目标"},
    "define_none": {"en": "—", "zh": "—"},
    "unknown_metric": {"en": "I don't know a metric called `{name}`.", "zh": "没有名为 `{name}` 的指标。"},
    "unknown_metric_hint": {"en": " Did you mean `{hint}`?", "zh": "您是指 `{hint}` 吗？"},
    "usage": {"en": "Usage: `/metrics {verb} <metric>`", "zh": "用法：`/metrics {verb} <指标>`"},
    "followed": {"en": "You now follow *{metric}*; it will be in your daily digest.",
                 "zh": "已关注 *{metric}*，它会出现在您的每日摘要中。"},
    "already_following": {"en": "You already follow *{metric}*.", "zh": "您已经关注了 *{metric}*。"},
    "unfollowed": {"en": "You no longer follow *{metric}*.", "zh": "已取消关注 *{metric}*。"},
    "not_following": {"en": "You were not following *{metric}*.", "zh": "您没有关注 *{metric}*。"},
    "home_title": {"en": "Metrics you follow", "zh": "您关注的指标"},
    "home_empty": {"en": "You don't follow any metric yet. Try `/metrics follow <metric>`.",
                   "zh": "您还没有关注任何指标。试试 `/metrics follow <指标>`。"},
    "home_last_7_days": {"en": "last 7 days", "zh": "最近 7 天"},
    "home_alerts": {"en": "Open alerts", "zh": "未处理的告警"},
    "home_no_alerts": {"en": "No open alerts on your metrics.", "zh": "您关注的指标没有未处理的告警。"},
    "home_actions": {"en": "Your open actions", "zh": "您的待办改进措施"},
    "home_no_actions": {"en": "No open corrective actions.", "zh": "没有待办的改进措施。"},
    "home_unavailable": {"en": "unavailable", "zh": "暂不可用"},
    # -- the terminal chat (metricloop chat) ----------------------------------------------------------
    "chat_help": {
        "en": ("Ask about any governed metric in plain words, in English or Chinese, e.g.\n"
               "  weekly revenue by region last quarter · 上个月的退款率 · top 5 categories by orders this year\n"
               "Follow-ups keep context: \"and by channel?\", \"what about last year?\", \"只看华东\".\n"
               "Commands: /sql (SQL of the last answer) · /new (forget context) · /list (metrics) · /help · /quit\n"
               "Words: /teach <words> = <metric, dimension or value> · /forget <words> · /words"),
        "zh": ("用日常语言询问任何受治理指标，中英文皆可，例如：\n"
               "  上季度各地区每周收入 · 上个月的退款率 · 今年订单数前 5 的品类\n"
               "追问会沿用上下文：“按渠道呢？”、“去年呢？”、“只看华东”。\n"
               "命令：/sql（上一个回答的 SQL）· /new（清除上下文）· /list（指标）· /help · /quit\n"
               "说法：/teach <说法> = <指标、维度或取值> · /forget <说法> · /words"),
    },
    "chat_loading": {"en": "loading the catalog, warehouse and language model…",
                     "zh": "正在加载指标目录、数据仓库和语言模型…"},
    "chat_welcome": {"en": "— {count} governed metrics. No Slack tokens set, so this is the local chat. "
                           "/help for help.",
                     "zh": "— {count} 个受治理指标。未设置 Slack 令牌，这是本地对话。输入 /help 查看帮助。"},
    "chat_context_cleared": {"en": "Context cleared.", "zh": "已清除上下文。"},
    "chat_no_sql": {"en": "No SQL yet.", "zh": "还没有 SQL。"},
    "chat_pick_number": {"en": "Type the number of the metric you meant.", "zh": "请输入您所指指标的编号。"},
    "chat_no_owner": {"en": "no owner", "zh": "无负责人"},
    # -- digests, action reviews and metric layers (core/loop/digest, review, tree; slack/digest_blocks) ---
    "digest_title": {"en": "Metrics digest · {period}", "zh": "指标摘要 · {period}"},
    "tier_strategic": {"en": "Strategic", "zh": "战略指标"},
    "tier_operational": {"en": "Operational", "zh": "运营指标"},
    "tier_execution": {"en": "Execution", "zh": "执行指标"},
    "tier_other": {"en": "Other metrics", "zh": "其他指标"},
    "unit_day": {"en": "day", "zh": "天"},
    "unit_week": {"en": "week", "zh": "周"},
    "unit_month": {"en": "month", "zh": "月"},
    "unit_quarter": {"en": "quarter", "zh": "季度"},
    "unit_year": {"en": "year", "zh": "年"},
    "digest_vs_previous": {"en": "{change} vs previous {unit}", "zh": "较上一{unit} {change}"},
    "digest_vs_year": {"en": "{change} vs a year ago", "zh": "同比 {change}"},
    "digest_target_pace": {
        "en": "{actual} of the {target} {unit} target ({share}, {pace} of the {unit} gone): {status}",
        "zh": "本{unit}目标 {target}，已完成 {actual}（{share}，本{unit}时间已过 {pace}）：{status}"},
    "target_none": {"en": "{metric} has no governed target.", "zh": "{metric} 没有受治理的目标。"},
    "target_result": {"en": "{actual} against the {target} {unit} target ({share}; {better}): {status}",
                      "zh": "{actual}，{unit}目标 {target}（{share}；{better}）：{status}"},
    "target_met": {"en": "met", "zh": "已达成"},
    "target_missed": {"en": "missed", "zh": "未达成"},
    "target_higher": {"en": "higher is better", "zh": "越高越好"},
    "target_lower": {"en": "lower is better", "zh": "越低越好"},
    "target_per_period": {"en": "{metric}'s target is {target} per {unit}; ask for one {unit} to compare with it.",
                          "zh": "{metric} 的目标是每{unit} {target}；请按{unit}提问以便对比。"},
    "digest_target_level": {"en": "{actual} this {unit} vs a target of {target}: {status}",
                            "zh": "本{unit} {actual}，目标 {target}：{status}"},
    "digest_on_track": {"en": "on track", "zh": "达标"},
    "digest_behind": {"en": "behind", "zh": "落后"},
    "digest_open_alerts": {"en": "{count} open alert(s)", "zh": "{count} 个未处理告警"},
    "digest_overdue_actions": {"en": "{count} overdue action(s)", "zh": "{count} 项逾期改进措施"},
    "digest_missing": {"en": "No data for {period} yet: the load may be late.",
                       "zh": "{period} 的数据尚未到达，可能延迟加载。"},
    "digest_chart_title": {"en": "Last {count} {unit}s", "zh": "最近 {count} {unit}"},
    "digest_chart_alt": {"en": "Sparklines of the digest's metrics", "zh": "摘要中各指标的走势小图"},
    "digest_not_sent_empty": {"en": "{target}: nothing to report for {period}; not sent.",
                              "zh": "{target}：{period} 没有可报告的内容，未发送。"},
    "digest_already_sent": {"en": "{target}: the digest for {day} was already sent.",
                            "zh": "{target}：{day} 的摘要已经发送过。"},
    "digest_sent": {"en": "{target}: digest for {day} sent.", "zh": "{target}：{day} 的摘要已发送。"},
    "review_title": {"en": "Review: corrective action on {metric}", "zh": "复盘：{metric} 的改进措施"},
    "review_recovered": {"en": "*Recovered*: {closed} of the gap is closed.", "zh": "*已恢复*：差距已缩小 {closed}。"},
    "review_partly": {"en": "*Partly recovered*: {closed} of the gap is closed.",
                      "zh": "*部分恢复*：差距已缩小 {closed}。"},
    "review_not_yet": {"en": "*Not recovered yet*: {closed} of the gap is closed.",
                       "zh": "*尚未恢复*：差距仅缩小 {closed}。"},
    "review_no_data": {"en": "*No data yet* since the action started; nothing to judge.",
                       "zh": "*暂无数据*：措施开始后还没有数据，无法判断。"},
    "review_numbers": {"en": "Since {start}: {actual} on average vs {expected} expected ({days} days). "
                             "On {alert_day}: {value_then} vs {expected_then} expected.",
                       "zh": "自 {start} 起：平均 {actual}，预期 {expected}（{days} 天）。"
                             "{alert_day} 当天：{value_then}，预期 {expected_then}。"},
    "review_plan": {"en": "Plan: {plan} · Owner: {owner} · Due {due}",
                    "zh": "计划：{plan} · 负责人：{owner} · 截止 {due}"},
    "review_close": {"en": "Close action", "zh": "关闭措施"},
    "review_extend": {"en": "Extend {days} days", "zh": "延期 {days} 天"},
    "review_closed_by": {"en": "Action closed by {user}.", "zh": "{user} 已关闭该措施。"},
    "review_extended_by": {"en": "Extended to {due} by {user}; it will be reviewed again then.",
                           "zh": "{user} 已将截止日期延至 {due}，届时将再次复盘。"},
    "review_actual": {"en": "actual", "zh": "实际"},
    "review_expected": {"en": "expected", "zh": "预期"},
    "review_mark_alert": {"en": "alert", "zh": "告警"},
    "review_mark_action": {"en": "action", "zh": "措施"},
    "actions_none": {"en": "No corrective actions.", "zh": "没有改进措施。"},
    "tree_drives": {"en": "Drives: {names}", "zh": "驱动：{names}"},
    "tree_repeat": {"en": " (see above)", "zh": "（见上）"},
    "tree_missing": {"en": " (not in the catalog)", "zh": "（不在目录中）"},
    # -- the loop in Slack: anomaly notices, their buttons and modals, thread adjustments, history --------
    # (slack/loop_blocks, slack/loop_desk, slack/notifier, core/loop/history)
    "notice_title_down": {"en": "{metric} dropped on {day}", "zh": "{metric} 在 {day} 异常下降"},
    "notice_title_up": {"en": "{metric} jumped on {day}", "zh": "{metric} 在 {day} 异常上升"},
    "notice_text": {"en": "{metric} on {day}: {value} vs {expected} expected",
                    "zh": "{metric}（{day}）：{value}，预期 {expected}"},
    "notice_value": {"en": "*{value}* vs expected {expected} (normal range {lower} – {upper}), {deviation}",
                     "zh": "*{value}*，预期 {expected}（正常范围 {lower} – {upper}），偏离 {deviation}"},
    "notice_contributor_down": {"en": "{share} of the drop comes from {dimension} = {value}",
                                "zh": "{share} 的下降来自 {dimension} = {value}"},
    "notice_contributor_up": {"en": "{share} of the rise comes from {dimension} = {value}",
                              "zh": "{share} 的上升来自 {dimension} = {value}"},
    "notice_drivers": {"en": "Drivers that moved the same day: {drivers}", "zh": "同日变动的驱动指标：{drivers}"},
    "notice_reply_hint": {"en": "Owners: reply in the thread to adjust (`expected: spring promo`, "
                                "`target 1.2M per month`, `snooze 3 days`)",
                          "zh": "负责人可在话题中回复以调整（`预期内：春季促销`、`目标 120万/月`、`暂停提醒 3 天`）"},
    "notice_acknowledged": {"en": "Acknowledged by {user} at {time}", "zh": "{user} 已于 {time} 确认"},
    "notice_marked_expected": {"en": "Marked as expected by {user}: {reason}", "zh": "{user} 标记为预期内：{reason}"},
    "notice_action_opened": {"en": "Corrective action opened by {user}, due {due}",
                             "zh": "{user} 已创建改进措施，截止 {due}"},
    "notice_chart_title": {"en": "{metric}, last {weeks} weeks", "zh": "{metric}，最近 {weeks} 周"},
    "notice_chart_expected": {"en": "expected range", "zh": "正常范围"},
    "notice_chart_anomaly": {"en": "anomaly", "zh": "异常"},
    "notice_private": {"en": "Sent to you privately: not everyone in {channel} may see {metric}.",
                       "zh": "已私下发送给你：{channel} 中并非所有成员都可以查看 {metric}。"},
    "notice_withheld": {"en": "An anomaly was found on a metric not everyone in this channel may see; its figures "
                              "are withheld here. Owner: {owner}.",
                        "zh": "发现一个异常，但本频道并非所有成员都可以查看该指标，"
                              "因此此处不显示其数值。负责人：{owner}。"},
    "channel_missing": {"en": "Slack has no channel {channel} that the bot can see (loop.yml or meta.channel "
                               "names it): create it, invite the bot to it if it is private, or fix the name.",
                        "zh": "Slack 中没有机器人可见的频道 {channel}（loop.yml 或 meta.channel 中配置了它）："
                              "请创建该频道、若为私有频道请邀请机器人加入，或修正频道名称。"},
    "channel_not_member": {"en": "The bot is not in {channel}: invite it there (/invite @metricloop) so it can post "
                                  "notices and digests and find them again.",
                           "zh": "机器人不在频道 {channel} 中：请邀请它加入（/invite @metricloop），"
                                 "以便发布提醒和摘要并能再次找到它们。"},
    "button_acknowledge": {"en": "Acknowledge", "zh": "确认收到"},
    "button_corrective_action": {"en": "Open corrective action", "zh": "创建改进措施"},
    "button_mark_expected": {"en": "Mark as expected", "zh": "标记为预期内"},
    "modal_save": {"en": "Save", "zh": "保存"},
    "modal_cancel": {"en": "Cancel", "zh": "取消"},
    "action_modal_title": {"en": "Corrective action", "zh": "改进措施"},
    "action_modal_about": {"en": "For the alert on {metric}, {day}.", "zh": "针对 {metric}（{day}）的告警。"},
    "action_owner": {"en": "Owner", "zh": "负责人"},
    "action_due": {"en": "Due date", "zh": "截止日期"},
    "action_plan": {"en": "Plan", "zh": "计划"},
    "action_effect": {"en": "Expected effect", "zh": "预期效果"},
    "action_effect_hint": {"en": "What should the metric do if the plan works, e.g. back to normal within a week.",
                           "zh": "计划奏效时指标应有的变化，例如一周内恢复正常。"},
    "action_due_missing": {"en": "Pick a due date.", "zh": "请选择截止日期。"},
    "action_due_past": {"en": "The due date can't be in the past (today is {today}).",
                        "zh": "截止日期不能早于今天（{today}）。"},
    "action_owner_missing": {"en": "Choose who owns the action.", "zh": "请选择负责人。"},
    "action_plan_empty": {"en": "Describe the plan.", "zh": "请填写计划。"},
    "action_announced": {"en": "{user} opened a corrective action.\n*Plan:* {plan}\n*Owner:* {owner} · *Due:* {due}"
                               " · *Expected effect:* {effect}",
                         "zh": "{user} 创建了改进措施。\n*计划：*{plan}\n*负责人：*{owner} · *截止：*{due}"
                               " · *预期效果：*{effect}"},
    "expected_modal_title": {"en": "Mark as expected", "zh": "标记为预期内"},
    "expected_modal_about": {"en": "{metric} on {day} will stop counting as an anomaly.",
                             "zh": "{metric}（{day}）将不再计为异常。"},
    "expected_reason": {"en": "Reason", "zh": "原因"},
    "expected_reason_hint": {"en": "e.g. spring promo ended", "zh": "例如：春季促销结束"},
    "expected_reason_empty": {"en": "Say why this was expected.", "zh": "请说明为什么在预期之内。"},
    "expected_announced": {"en": "{user} marked {metric} on {day} as expected: {reason}. "
                                 "The day no longer counts as an anomaly.",
                           "zh": "{user} 将 {metric}（{day}）标记为预期内：{reason}。该日不再计为异常。"},
    "alert_gone": {"en": "I can't find that alert any more.", "zh": "找不到该告警了。"},
    # replies in a notice's or digest's thread: what the bot recorded, exactly
    "adj_target": {"en": "Recorded for {metric}: new target {value}{per}.",
                   "zh": "已记录 {metric} 的新目标：{value}{per}。"},
    "adj_sensitivity": {"en": "Recorded for {metric}: alert sensitivity {level}.",
                        "zh": "已记录 {metric} 的告警灵敏度：{level}。"},
    "adj_snooze": {"en": "Recorded for {metric}: alerts snoozed for {days} days, until {until}.",
                   "zh": "已记录：{metric} 的提醒暂停 {days} 天，至 {until}。"},
    "adj_expected": {"en": "Recorded for {metric}: {day} marked as expected ({reason}); it no longer counts as an "
                           "anomaly.",
                     "zh": "已记录：{metric} 的 {day} 标记为预期内（{reason}），不再计为异常。"},
    "adj_expected_undated": {"en": "Recorded for {metric}: marked as expected ({reason}).",
                             "zh": "已记录：{metric} 标记为预期内（{reason}）。"},
    "adj_note": {"en": "Recorded a note on {metric}: “{text}”", "zh": "已为 {metric} 记录备注：“{text}”"},
    "adj_unreadable": {"en": "I couldn't read that as a {form} change, so I kept it as a note on {metric}: “{text}”. "
                             "To set one, write e.g. `{example}`.",
                       "zh": "无法将其识别为{form}设置，已作为 {metric} 的备注保存：“{text}”。"
                             "如需设置，请写成 `{example}`。"},
    "adj_comment": {"en": "Recorded {user}'s comment on {metric}. Only the owner ({owner}) can change how it is "
                          "watched.",
                    "zh": "已记录 {user} 对 {metric} 的评论。只有负责人（{owner}）可以调整该指标的监控方式。"},
    "adj_which_metric": {"en": "This thread covers several of your metrics ({metrics}); name one in your reply. "
                               "I kept it as a comment for now.",
                         "zh": "该话题涉及您负责的多个指标（{metrics}），请在回复中指明其中一个。目前已作为评论保存。"},
    "per_day": {"en": " per day", "zh": "/天"},
    "per_week": {"en": " per week", "zh": "/周"},
    "per_month": {"en": " per month", "zh": "/月"},
    "per_quarter": {"en": " per quarter", "zh": "/季度"},
    "per_year": {"en": " per year", "zh": "/年"},
    "sensitivity_low": {"en": "low", "zh": "低"},
    "sensitivity_medium": {"en": "medium", "zh": "中"},
    "sensitivity_high": {"en": "high", "zh": "高"},
    "form_target": {"en": "target", "zh": "目标"},
    "form_sensitivity": {"en": "sensitivity", "zh": "灵敏度"},
    "form_snooze": {"en": "snooze", "zh": "暂停提醒"},
    "form_expected": {"en": "expected", "zh": "预期内"},
    "example_target": {"en": "target 1.2M per month", "zh": "目标 120万/月"},
    "example_sensitivity": {"en": "sensitivity low", "zh": "灵敏度 低"},
    "example_snooze": {"en": "snooze 3 days", "zh": "暂停提醒 3 天"},
    "example_expected": {"en": "expected: spring promo", "zh": "预期内：春季促销"},
    # data freshness
    "freshness_title": {"en": "Data freshness: {model} not loaded since {latest}",
                        "zh": "数据时效：{model} 自 {latest} 起未加载"},
    "freshness_title_never": {"en": "Data freshness: {model} has no data at all",
                              "zh": "数据时效：{model} 没有任何数据"},
    "freshness_body": {"en": "Data for {expected} should have arrived by now. Anomaly notices on {metrics} are held "
                             "back until it does, so a failed load doesn't look like a collapse.",
                       "zh": "{expected} 的数据本应已到达。在数据到达前，暂停 {metrics} 的异常提醒，"
                             "以免加载失败被误判为指标骤降。"},
    "freshness_owners": {"en": "Owners: {owners}", "zh": "负责人：{owners}"},
    # history (/metrics history, metricloop history)
    "history_title": {"en": "History of {metric}", "zh": "{metric} 的历史记录"},
    "history_empty": {"en": "Nothing recorded for {metric} yet.", "zh": "{metric} 还没有任何记录。"},
    "history_shown": {"en": "Showing the latest {shown} of {total} entries; `metricloop history {metric}` lists all.",
                      "zh": "显示 {total} 条中最新的 {shown} 条；`metricloop history {metric}` 可查看全部。"},
    "history_alert": {"en": "Alert", "zh": "告警"},
    "history_acknowledgement": {"en": "Acknowledged", "zh": "确认"},
    "history_action": {"en": "Corrective action", "zh": "改进措施"},
    "history_review": {"en": "Review", "zh": "复盘"},
    "history_adjustment": {"en": "Adjustment", "zh": "调整"},
    "history_comment": {"en": "Comment", "zh": "评论"},
    "history_alert_text": {"en": "{day}{slice}: {value} vs {expected} expected ({direction})",
                           "zh": "{day}{slice}：{value}，预期 {expected}（{direction}）"},
    "history_action_text": {"en": "{plan} (owner {owner}, due {due}, {status})",
                            "zh": "{plan}（负责人 {owner}，截止 {due}，{status}）"},
    "direction_up": {"en": "up", "zh": "上升"},
    "direction_down": {"en": "down", "zh": "下降"},
    # -- definition history: changelog announcements and history lines (loop/changelog.py) -------------------
    "changelog_changed": {"en": "The definition of {metric} changed", "zh": "{metric} 的定义已更改"},
    "changelog_added": {"en": "{metric} is now a governed metric", "zh": "{metric} 已成为受治理指标"},
    "changelog_removed": {"en": "{metric} was removed from the catalog", "zh": "{metric} 已从指标目录中移除"},
    "changelog_field": {"en": "• `{field}`: {old} → {new}", "zh": "• `{field}`：{old} → {new}"},
    "changelog_more": {"en": "…and {count} more field(s)", "zh": "……另有 {count} 个字段"},
    "changelog_versions": {"en": "version {old} → {new}", "zh": "版本 {old} → {new}"},
    "changelog_commit": {"en": "commit {commit}", "zh": "提交 {commit}"},
    "changelog_taught": {"en": "{metric} learned a word: “{phrase}” now asks for it (taught by {by})",
                         "zh": "{metric} 新增说法：“{phrase}”现在指这个指标（{by} 添加）"},
    "changelog_forgotten": {"en": "“{phrase}” no longer asks for {metric} (forgotten by {by})",
                            "zh": "“{phrase}”不再指 {metric}（{by} 移除）"},
    # taught words (/metrics teach | forget | words; core/catalog/taught.py)
    "teach_usage": {"en": "Usage: `/metrics teach <words> = <metric>`, e.g. `/metrics teach hammer total = Revenue`."
                          " The metric's owner teaches; `/metrics forget <words>` undoes it.",
                    "zh": "用法：`/metrics teach <说法> = <指标>`，例如 `/metrics teach 落槌额 = Revenue`。"
                          "由指标负责人添加；`/metrics forget <说法>` 可撤销。"},
    "teach_done": {"en": "Learned: “{phrase}” now asks for *{metric}*, for everyone. `/metrics forget {phrase}`"
                         " undoes it.",
                   "zh": "已记住：“{phrase}”现在指 *{metric}*，对所有人生效。`/metrics forget {phrase}` 可撤销。"},
    "teach_known": {"en": "“{phrase}” already asks for *{metric}*.", "zh": "“{phrase}”已经指 *{metric}*。"},
    "teach_taken": {"en": "“{phrase}” already asks for *{metric}*; one phrase names one metric. Forget it there"
                          " first, or choose other words.",
                    "zh": "“{phrase}”已经指 *{metric}*，一个说法只能对应一个指标。请先在那里移除，或换个说法。"},
    "teach_generic": {"en": "“{phrase}” is already a word of other metrics' questions ({others}): taught for"
                            " *{metric}*, it would answer theirs with it. Teach words only *{metric}*'s people use —"
                            " or, if it should mean *{metric}* everywhere, add it to its synonyms in the catalog.",
                      "zh": "“{phrase}”已经是其他指标（{others}）提问时会用到的词：教给 *{metric}* 后，"
                            "那些问题也会被答成它。请教只有 *{metric}* 才用的说法；如果它在任何场合都应指 *{metric}*，"
                            "请在目录中把它加入该指标的同义词。"},
    "teach_negated": {"en": "“{phrase}” has a negation in it; I read those myself. Teach the word alone: “{word}”.",
                      "zh": "“{phrase}”里带有否定词，这部分我自己能理解。请只教这个词：“{word}”。"},
    "teach_filler": {"en": "“{phrase}” is made of words every question uses; taught, it would be found in all of"
                           " them. Teach a word that names something.",
                     "zh": "“{phrase}”都是每个问题都会用到的词，教了以后所有问题里都会匹配到它。"
                           "请教一个有具体所指的词。"},
    "teach_no_words": {"en": "Teach words (two letters or characters at least), not only numbers or signs.",
                       "zh": "请输入文字（至少两个字），而不只是数字或符号。"},
    "teach_too_long": {"en": "Teach a short phrase (at most {limit} characters), as people would type it.",
                       "zh": "请输入简短的说法（最多 {limit} 个字符），就像大家平时打的那样。"},
    "teach_not_owner": {"en": "Only the owner of *{metric}* ({owner}) can teach or forget words for it.",
                        "zh": "只有 *{metric}* 的负责人（{owner}）可以为它添加或移除说法。"},
    "teach_not_an_owner": {"en": "Only a metric's owner can teach or forget words for {target}.",
                           "zh": "只有指标负责人可以为 {target} 添加或移除说法。"},
    "forget_done": {"en": "Forgotten: “{phrase}” no longer asks for *{metric}*.",
                    "zh": "已移除：“{phrase}”不再指 *{metric}*。"},
    "forget_unknown": {"en": "No one taught me “{phrase}”.", "zh": "没有人教过“{phrase}”这个说法。"},
    "words_none": {"en": "No words taught yet. A metric's owner can teach one: `/metrics teach <words> = <metric>`.",
                   "zh": "还没有添加过说法。指标负责人可以添加：`/metrics teach <说法> = <指标>`。"},
    "teach_hint": {"en": "Your team has its own word for a metric? Its owner can teach me once:"
                         " `/metrics teach <words> = <metric>`",
                   "zh": "团队对某个指标有自己的叫法？指标负责人教我一次即可：`/metrics teach <说法> = <指标>`"},
    "teach_button": {"en": "Teach this word", "zh": "教我这个说法"},
    "teach_modal_title": {"en": "Teach a word", "zh": "添加说法"},
    "teach_modal_about": {"en": "What people asked with, and what it means. A metric's owner teaches words for it;"
                                " any metric's owner teaches words for a dimension or a value.",
                          "zh": "大家提问时用的说法，以及它指什么。指标负责人可以为自己的指标添加说法；"
                                "任何指标负责人都可以为维度或取值添加说法。"},
    "teach_words_label": {"en": "Words people use", "zh": "大家用的说法"},
    "teach_means_label": {"en": "…mean (a metric, a dimension, or dimension: value)",
                          "zh": "指的是（指标、维度，或 维度: 取值）"},
    "teach_empty": {"en": "Say both: the words, and what they mean.", "zh": "请填写说法和它指的内容。"},
    "gaps_none": {"en": "No unplaced words: every question asked so far found its metric or was about something else.",
                  "zh": "没有无法识别的说法：目前所有问题都找到了对应指标，或问的是别的情况。"},
    "gaps_title": {"en": "Words people asked with that no metric has yet (most asked first)",
                   "zh": "大家提问时用到、但还没有指标对应的说法（按次数排序）"},
    "gaps_line": {"en": "• “{phrase}” — asked {asked} time(s) by {people} people, last {day}",
                  "zh": "• “{phrase}” — {people} 人问过 {asked} 次，最近一次 {day}"},
    "gaps_example": {"en": " — e.g. “{question}”", "zh": " — 例如“{question}”"},
    "gaps_more": {"en": "…and {count} more", "zh": "……另有 {count} 个"},
    "gaps_teach": {"en": "A metric's owner teaches one once: `/metrics teach <words> = <metric>`.",
                   "zh": "指标负责人教一次即可：`/metrics teach <说法> = <指标>`。"},
    "words_title": {"en": "Words taught by metric owners", "zh": "指标负责人添加的说法"},
    "words_line": {"en": "• “{phrase}” → *{metric}* (taught by {by}, {day})",
                   "zh": "• “{phrase}” → *{metric}*（{by} 添加，{day}）"},
    "history_definition": {"en": "Definition", "zh": "定义变更"},
    "history_definition_text": {"en": "{fields} changed", "zh": "{fields} 已更改"},
    "history_definition_added": {"en": "added to the catalog", "zh": "加入指标目录"},
    "history_definition_removed": {"en": "removed from the catalog", "zh": "从指标目录中移除"},
}


def say(key: str, lang: str = "en", **fields: Any) -> str:
    """The sentence `key` in `lang` ('en' or 'zh'; anything else reads English), with `fields` filled in.

    A missing key raises KeyError: a typo must fail a test, not reach a user. Extra fields are ignored,
    so a caller may pass the same fields to any of several related keys.
    """
    templates = TEXTS[key]
    return templates.get(lang, templates["en"]).format(**fields)

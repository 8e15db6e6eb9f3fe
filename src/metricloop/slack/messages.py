"""Every user-visible string of the Slack front end, in English and Chinese. Pure.

One table of templates keyed by message id, and one small function per message so call sites read
well and a test can check that both languages exist and take the same placeholders.
"""
from __future__ import annotations

from typing import Any

LANGS = ("en", "zh")

TEXT: dict[str, dict[str, str]] = {
    "thinking": {"en": "Working on it…", "zh": "正在查询…"},
    "show_sql": {"en": "Show SQL", "zh": "查看 SQL"},
    "sql_title": {"en": "Compiled SQL", "zh": "生成的 SQL"},
    "sql_truncated": {"en": "SQL shortened: {shown} of {total} characters shown.",
                      "zh": "SQL 过长，仅显示 {total} 个字符中的前 {shown} 个。"},
    "did_you_mean": {"en": "Did you mean:", "zh": "您是想问："},
    "clarify_intro": {"en": "I'm not sure which metric you mean.", "zh": "我不确定您指的是哪个指标。"},
    "no_match": {"en": "No governed metric matches that question.", "zh": "没有与这个问题匹配的受管指标。"},
    "no_match_suggest": {"en": "The closest governed metrics are:", "zh": "最接近的受管指标有："},
    "no_match_none": {"en": "Try `/metrics list` to see what is available.",
                      "zh": "试试 `/metrics list` 查看可用的指标。"},
    "no_rows": {"en": "The query returned no rows.", "zh": "查询没有返回任何数据。"},
    "rows_shown": {"en": "Showing {shown} of {total} rows.", "zh": "显示 {total} 行中的 {shown} 行。"},
    "rows_capped": {"en": "The result hit the row cap; more rows exist.", "zh": "结果达到行数上限，还有更多数据。"},
    "columns_shown": {"en": "Showing {shown} of {total} columns.", "zh": "显示 {total} 列中的 {shown} 列。"},
    "context_metric": {"en": "Governed metric: {metrics}", "zh": "受管指标：{metrics}"},
    "context_owner": {"en": "Owner: {owner}", "zh": "负责人：{owner}"},
    "context_period": {"en": "Period: {period}", "zh": "时间：{period}"},
    "context_elapsed": {"en": "{ms} ms", "zh": "{ms} 毫秒"},
    "timeout": {"en": "The query took longer than {seconds} s and was stopped. Try a shorter period or fewer groups.",
                "zh": "查询超过 {seconds} 秒，已被停止。请缩短时间范围或减少分组。"},
    "error_generic": {"en": "Sorry, something went wrong while answering.", "zh": "抱歉，回答时出了点问题。"},
    "error_id": {"en": "Error id: `{error_id}` (quote it when reporting the problem)",
                 "zh": "错误编号：`{error_id}`（报告问题时请提供）"},
    "denied": {"en": "You don't have access to that metric.", "zh": "您没有权限查看该指标。"},
    "chart_alt": {"en": "Chart: {title}", "zh": "图表：{title}"},
    "help": {
        "en": ("*Ask me about governed metrics in plain words.*\n"
               "• `@metricloop revenue by region last quarter`\n"
               "• `/metrics orders by week since March`\n"
               "• `/metrics list` — metrics by owner and domain\n"
               "• `/metrics define <metric>` — definition, owner, formula, target\n"
               "• `/metrics follow <metric>` / `/metrics unfollow <metric>` — your daily digest\n"
               "Reply in the thread to follow up: _and by channel?_, _what about last year?_"),
        "zh": ("*用日常语言询问受管指标。*\n"
               "• `@metricloop 上季度各地区收入`\n"
               "• `/metrics 三月以来每周订单数`\n"
               "• `/metrics list` — 按负责人和领域列出指标\n"
               "• `/metrics define <指标>` — 定义、负责人、公式、目标\n"
               "• `/metrics follow <指标>` / `/metrics unfollow <指标>` — 订阅每日摘要\n"
               "在话题中继续追问：_按渠道呢？_、_去年呢？_"),
    },
}


def text(key: str, lang: str = "en", **values: Any) -> str:
    """The template `key` in `lang` (English when the language is unknown), filled with `values`."""
    templates = TEXT[key]
    return templates.get(lang, templates["en"]).format(**values)


def thinking(lang: str = "en") -> str:
    return text("thinking", lang)


def show_sql_button(lang: str = "en") -> str:
    return text("show_sql", lang)


def sql_title(lang: str = "en") -> str:
    return text("sql_title", lang)


def sql_truncated(shown: int, total: int, lang: str = "en") -> str:
    return text("sql_truncated", lang, shown=shown, total=total)


def did_you_mean(lang: str = "en") -> str:
    return text("did_you_mean", lang)


def clarify_intro(lang: str = "en") -> str:
    return text("clarify_intro", lang)


def no_match(lang: str = "en") -> str:
    return text("no_match", lang)


def no_match_suggest(lang: str = "en") -> str:
    return text("no_match_suggest", lang)


def no_match_none(lang: str = "en") -> str:
    return text("no_match_none", lang)


def no_rows(lang: str = "en") -> str:
    return text("no_rows", lang)


def rows_shown(shown: int, total: int, lang: str = "en") -> str:
    return text("rows_shown", lang, shown=shown, total=total)


def rows_capped(lang: str = "en") -> str:
    return text("rows_capped", lang)


def columns_shown(shown: int, total: int, lang: str = "en") -> str:
    return text("columns_shown", lang, shown=shown, total=total)


def context_metric(metrics: str, lang: str = "en") -> str:
    return text("context_metric", lang, metrics=metrics)


def context_owner(owner: str, lang: str = "en") -> str:
    return text("context_owner", lang, owner=owner)


def context_period(period: str, lang: str = "en") -> str:
    return text("context_period", lang, period=period)


def context_elapsed(ms: float, lang: str = "en") -> str:
    return text("context_elapsed", lang, ms=f"{ms:,.0f}")


def timeout(seconds: float | None, lang: str = "en") -> str:
    return text("timeout", lang, seconds=f"{seconds:g}" if seconds else "?")


def error_generic(lang: str = "en") -> str:
    return text("error_generic", lang)


def error_id(error_id: str, lang: str = "en") -> str:
    return text("error_id", lang, error_id=error_id)


def denied(lang: str = "en") -> str:
    return text("denied", lang)


def chart_alt(title: str, lang: str = "en") -> str:
    return text("chart_alt", lang, title=title)


def help_text(lang: str = "en") -> str:
    return text("help", lang)


# -- slash commands and the App Home tab (added with the Slack app) -----------------------------------
TEXT.update({
    "list_title": {"en": "Governed metrics", "zh": "受管指标"},
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
})


def list_title(lang: str = "en") -> str:
    return text("list_title", lang)


def list_other(lang: str = "en") -> str:
    return text("list_other", lang)


def define_label(field: str, lang: str = "en") -> str:
    """Field names of `/metrics define`: type, formula, target, none."""
    return text(f"define_{field}", lang)


def unknown_metric(name: str, hint: str | None = None, lang: str = "en") -> str:
    return text("unknown_metric", lang, name=name) + (text("unknown_metric_hint", lang, hint=hint) if hint else "")


def usage(verb: str, lang: str = "en") -> str:
    return text("usage", lang, verb=verb)


def follow_result(metric: str, *, follow: bool, changed: bool, lang: str = "en") -> str:
    """The reply to `/metrics follow|unfollow`."""
    key = ("followed" if changed else "already_following") if follow else ("unfollowed" if changed else "not_following")
    return text(key, lang, metric=metric)


def home(key: str, lang: str = "en") -> str:
    """App Home strings: title, empty, last_7_days, alerts, no_alerts, actions, no_actions, unavailable."""
    return text(f"home_{key}", lang)

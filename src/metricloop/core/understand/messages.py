"""User-facing reasons the interpreter gives (English and Chinese), in one place. Pure."""
from __future__ import annotations

_MESSAGES = {
    "empty": ("Ask me about a metric, e.g. \"revenue last month by region\".", "请问一个指标，例如“上个月各地区的收入”。"),
    "rows": ("I answer with governed metrics (totals, breakdowns, trends), not lists of individual records.",
             "我只回答受治理的指标（合计、分组、趋势），不列出明细记录。"),
    "unknown_metric": ("There is no governed metric called '{name}'.", "没有名为“{name}”的受治理指标。"),
    "ambiguous_value": ("'{value}' appears in more than one dimension ({dims}); which one did you mean?",
                        "“{value}”同时出现在多个维度中（{dims}），你指的是哪一个？"),
    "which_metric": ("Not sure which metric '{text}' means — did you mean one of these?", "不确定“{text}”指哪个指标，是下面其中之一吗？"),
    "metric_for": ("Which metric would you like for '{text}'?", "想看“{text}”的哪个指标？"),
    "no_metric": ("No governed metric matches '{text}'.", "没有受治理的指标与“{text}”相符。"),
    "several_metrics": ("'{text}' could mean several metrics.", "“{text}”可能指多个指标。"),
    "future": ("I report governed metrics for periods that have happened; I do not forecast.",
               "我只报告已发生时期的受治理指标，不做预测。"),
    "aggregation": ("No governed metric is the {agg} of what you asked about; the closest governed metrics are below.",
                    "没有受治理的指标是所问内容的{agg}；以下是最接近的受治理指标。"),
    "condition": ("I can't apply '{text}': governed metrics are filtered by dimension values, not by amounts.",
                  "无法应用“{text}”：受治理指标只能按维度取值筛选，不能按数值条件筛选。"),
    "blocked_metric": ("{metric} is governed but cannot be computed yet: {why}.", "{metric}是受治理的指标，但目前还无法计算：{why}。"),
    "unreachable": ("{metrics} cannot be broken down or filtered by {what}.", "{metrics}无法按{what}拆分或筛选。"),
}


def message(key: str, lang: str, **fields: str) -> str:
    """The message `key` in `lang` ('en' or 'zh') with fields filled in."""
    en, zh = _MESSAGES[key]
    return (zh if lang == "zh" else en).format(**fields)

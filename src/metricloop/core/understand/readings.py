"""Which reading of the question's words wins where they could be read several ways. Pure.

The lexicon finds every phrase it knows; the same words may name a metric, a dimension, an entity or a value. These
rules decide before a query is built: a metric over a dimension spelled the same unless rows are asked ("CSAT" vs
"by CSAT"); an entity only when asked as rows ("by customer", "top 10 customers"); a yes/no dimension said with a
metric's words right before another metric ("new patient no-show rate"); a metric phrase that only adds a count word
to another (新员工人数); entity words said as a source ("revenue from customers"); one ranked row or a list ("worst
performing store" vs "top stores").
"""
from __future__ import annotations

import re

from metricloop.core.understand.dims import ATTRIBUTED
from metricloop.core.understand.lexicon import inside
from metricloop.core.understand.negation import cue_before
from metricloop.core.understand.unknown_words import CONDITION_BEFORE

# "top 10 customers by revenue", "which customers ...": the ranked noun is what rows are
# (哪家店, 最多的三家店 in Chinese)
_RANKED_BEFORE = re.compile(r"\b(?:(?:top|bottom|best|worst|which)\s+(?:\d+\s+)?)$"
                            r"|(?:哪一?[个家些]|(?:\d{1,3}|[一两二三四五六七八九十]{1,3})[个家名位])$")
# 三家店一共, 两个仓库加起来: things counted, then said together — one total, no rows
_COUNTED_BEFORE_ZH = re.compile(r"(?:\d{1,3}|[一两二三四五六七八九十]{1,3})[个家名位条座间]$")
_IN_ALL_AFTER_ZH = re.compile(r"的?(?:一共|总共|合计|共计|总计|加起来|加在一起|全部)")
# an entity asked as rows: "by customer", "for each client", 每个客户 (平均每个学员 is an average per learner)
_ENTITY_BY = re.compile(r"(?:\bby\s+(?:the\s+)?|\bper\s+|\b(?:each|every)\s+|按|各个?|(?<!平均)(?<!人均)每一?个)$")
# (a period after the rows too: "by lot at the end of last month", "by store as of yesterday", "by rep so far", "ytd")
_AFTER_ENTITY = frozenset(["by", "in", "for", "last", "this", "since", "over", "during", "from", "on", "and", "vs",
                           "versus", "yesterday", "today", "with", "at", "as", "through", "until", "between", "so",
                           "ytd", "mtd", "qtd", "wtd"])
# a verb after a ranked entity ("which clinic <had> the most …") says what the rows did, no qualifier of the entity
_VERB_AFTER_WHICH = frozenset(["had", "has", "have", "did", "does", "do", "got", "gets", "made", "makes", "saw", "sees",
                               "was", "were", "is", "are", "performed", "sold", "handled", "ran", "generated",
                               "brought", "booked", "completed", "delivered", "took", "received", "closed", "won",
                               "lost", "logged", "shipped", "served", "treated", "billed", "earned", "spent"])
_RANKED_ROWS_BY = re.compile(r"\b(?:top|bottom|best|worst)\s+(?:\d+\s+)?[a-z-]+(?:\s+[a-z-]+)?\s+by\s+(?:the\s+)?$")
BY_BEFORE = re.compile(r"(?:\b(?:by|per|each|every|across)\s+(?:the\s+)?|按|分|各个?|每个)$")


# "on-time rate of <rush jobs>": the rows a metric is of, said by a yes/no dimension's words
_OF_BEFORE = re.compile(r"\bof\s+(?:the\s+|our\s+|all\s+)?$")


def prefer_metrics(hits: list, low: str) -> list:
    """Where the same words name a metric and a dimension ("CSAT"), the metric wins unless the words
    follow "by"/"per"/按 (then a breakdown is meant)."""
    metric_spans = {h.span for h in hits if h.entry.kind == "metric"}
    def asked_as_rows(h) -> bool:  # noqa: ANN001 - "by customer", "top 10 customers", "which customers"
        if h.span in metric_spans and _RANKED_ROWS_BY.search(low[max(0, h.start - 40) : h.start]):
            return False  # "top 3 shops by sales": the rows are the shops, ranked by the metric the words name
        return bool(BY_BEFORE.search(low[max(0, h.start - 12) : h.start])
                    or _RANKED_BEFORE.search(low[max(0, h.start - 16) : h.start]))

    def entity_rows(h) -> bool:  # noqa: ANN001 - "by customer" yes; "by rider age", "of each policy" no
        before = low[max(0, h.start - 16) : h.start]
        if _IN_ALL_AFTER_ZH.match(low, h.end) and _COUNTED_BEFORE_ZH.search(before):
            return False  # 三家店一共卖了多少: the three shops together, one total
        if _RANKED_ROWS_BY.search(low[max(0, h.start - 40) : h.start]):
            return False  # "top 3 shops by sales": ranked by what follows "by", not also rows of sales
        nxt = re.match(r"\s*([a-z]+)", low[h.end :])
        if _RANKED_BEFORE.search(before) and nxt is not None and nxt.group(1) in _VERB_AFTER_WHICH:
            return True  # "which clinic had the most visits", "top 3 vets did …": the rows, then what they did
        return bool((_ENTITY_BY.search(before) or _RANKED_BEFORE.search(before))
                    and (nxt is None or nxt.group(1) in _AFTER_ENTITY))

    def qualifies_a_metric(h) -> bool:  # noqa: ANN001 - "new patient <no-show rate>", "<rev per visit> for new patients"
        if h.entry.kind != "dimension" or not re.match(r"(?:is|has)_", h.entry.dim[1] if h.entry.dim else ""):
            return False
        # (新客的完成预约数: Chinese ties the condition to the metric with 的)
        after = any(m.start > h.end and low[h.end : m.start].strip() in ("", "的") for m in hits
                    if m.entry.kind == "metric")
        before = any(m.end <= h.start for m in hits if m.entry.kind == "metric" and m.span != h.span) \
            and bool(CONDITION_BEFORE.search(low[max(0, h.start - 16) : h.start])
                     or _OF_BEFORE.search(low[max(0, h.start - 16) : h.start])
                     or cue_before(low, h.start) is not None)  # "not counting walk-ins", "without re-inspections"
        return after or before

    # an entity ("customer", "policy") is a breakdown only when asked as one; otherwise it is what is counted
    counted = [h for h in hits if h.entry.dim and h.entry.dim[0] == "" and not entity_rows(h)]
    hits = [h for h in hits if h not in counted]
    # ... and the words of its own name are no value: "wholesale accounts" (the entity wholesale_account) says no order
    # stream Wholesale
    hits = [h for h in hits if not (h.entry.kind == "value" and any(inside(h.span, c.span) for c in counted))]
    # a yes/no dimension said with the words of a metric, right before another metric or after a condition word
    # on one, is that condition: the metric of the same words gives way
    flagged = {h.span for h in hits if qualifies_a_metric(h)}
    hits = [h for h in hits if not (h.entry.kind == "metric" and h.span in flagged)]
    # 捐款最多的十位<捐赠人>, "revenue of the top 5 <donors>": the rows ranked by a metric said before them, not a
    # second metric of the same words
    ranked = {h.span for h in hits if h.entry.kind == "dimension" and h.span in metric_spans
              and _RANKED_BEFORE.search(low[max(0, h.start - 16) : h.start])
              and any(m.entry.kind == "metric" and m.end <= h.start for m in hits)}
    hits = [h for h in hits if not (h.entry.kind == "metric" and h.span in ranked)]
    return [h for h in hits if h.entry.kind != "dimension" or h.span not in metric_spans or asked_as_rows(h)
            or h.span in flagged]


_RANKED_NOUN = re.compile(r"\b(?:top|bottom|best|worst|biggest|largest|smallest|leading)\s+"
                          r"(?:(?:performing|selling|rated|ranked)\s+)?([a-z]+)\b")


def one_ranked(low: str, hits: list) -> bool:
    """"worst performing store by net sales", "highest ADR room type": one row (a singular breakdown word after the
    ranking word, or after the ranking word and the metric), where "top stores" is the ranked list."""
    m = _RANKED_NOUN.search(low)
    if m and any(h.entry.kind == "dimension" and h.start == m.start(1) and not low[h.start:h.end].endswith("s")
                 for h in hits):
        return True
    after = re.search(r"\b(?:highest|lowest|top|bottom|best|worst|biggest|smallest)\s+", low)
    if after is None:
        return False
    metric_end = max((h.end for h in hits if h.entry.kind == "metric" and h.start == after.end()), default=None)
    dim = next((h for h in hits if h.entry.kind == "dimension" and metric_end is not None
                and low[metric_end:h.start].strip() == ""), None)
    return dim is not None and not low[dim.start:dim.end].endswith("s")


# 新员工人数 is the number of new employees: the count word after a metric phrase does not let an
# overlapping phrase (员工人数, all employees) take the qualifier away
_COUNT_SUFFIX = re.compile(r"人数|个数|次数|总数|数量|金额|总额|数|量|额")


def qualified_first(hits: list, low: str) -> list:
    """Drop a metric hit that overlaps the end of an earlier metric hit by only a count word; and an earlier metric
    hit crossing a later one whose own first words are a value said right before the later ("<long distance> move
    revenue" with Long-distance moves and Move revenue: the revenue of long-distance moves, the last noun the head)."""
    metric = [h for h in hits if h.entry.kind == "metric"]
    drop = {b.span for a in metric for b in metric
            if a.start < b.start < a.end < b.end and _COUNT_SUFFIX.fullmatch(low[a.end : b.end])}
    values = [h for h in hits if h.entry.kind == "value"]
    drop |= {a.span for a in metric for b in metric if a.start < b.start < a.end < b.end
             and not _COUNT_SUFFIX.fullmatch(low[a.end : b.end])
             and any(v.start == a.start and v.end <= b.start and not low[v.end : b.start].strip() for v in values)}
    return [h for h in hits if not (h.entry.kind == "metric" and h.span in drop)]


_SOURCE = re.compile(r"\b(?:from|among|of|for|with)\s+(?:the\s+|our\s+|all\s+|any\s+)?$")


def source_entities(spotted: list, kept: list, low: str) -> list[tuple[int, int]]:
    """Entity words dropped as rows but said as a source ("revenue from customers in the East"): placed words,
    unless a metric word overlaps them (then they are the metric's)."""
    kept_spans = {h.span for h in kept}
    metric_spans = [h.span for h in kept if h.entry.kind == "metric"]
    return [h.span for h in spotted if h.entry.dim and h.entry.dim[0] == "" and h.span not in kept_spans
            and not any(s < h.end and h.start < e for s, e in metric_spans)
            and not ATTRIBUTED.search(h.entry.dim[1])
            and _SOURCE.search(low[max(0, h.start - 16) : h.start])]


"""What the words ask of a metric that the catalog already defines as another metric: its running total, its
growth. Pure.

"visits month to date, day by day", "running MTD visit count", 今年累计净收入按月看: the catalog defines the running
total itself (a cumulative metric with `grain_to_date`, e.g. Visits MTD over the same measure). A series of the
plain metric would show each day's visits, not the total so far on each day — a different number on every row but
the last. So where the words ask for a total so far and the plain metric has exactly one such governed sibling, the
sibling is answered.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from metricloop.core.catalog.model import Catalog, Metric
from metricloop.core.text import humanise, tokens
from metricloop.core.understand.own_filters import filter_texts

# words that ask for a running total whatever the grain ("running", 累计), not only for the period so far
RUNNING_WORDS = re.compile(r"\b(?:running|cumulative|cumulated|accumulated)\b|累计|累积", re.I)
# words that ask for the total so far, not only for the period so far ("this month" alone does not)
TO_DATE_WORDS = re.compile(r"\b(?:[wmqy]td|(?:week|month|quarter|year)[- ]to[- ]date|so\s+far|running|cumulative"
                           r"|cumulated|accumulated)\b|(?:[当本](?:月|季度?|年|周))?(?:累计|累积)|至今|以来|迄今", re.I)


def running_total_of(catalog: Catalog, metric: Metric, grain: str | None) -> Metric | None:
    """The one cumulative metric over the same measure and filters as `metric` that runs from the start of each
    `grain` (month, year …), or None."""
    if metric.type != "simple" or metric.measure is None or grain is None:
        return None
    found = [m for m in catalog.supported_metrics()
             if m.type == "cumulative" and m.grain_to_date == grain and variant_of(m, metric)]
    return found[0] if len(found) == 1 else None


# words that ask for a growth rate, not a side-by-side comparison ("vs last week" shows both periods)
GROWTH_WORDS = re.compile(r"\b(?:wow|mom|qoq|yoy|dod|growth|grew|growing)\b"
                          r"|\bover\s+(?:the\s+)?(?:prior\s+|previous\s+|last\s+)?(?:day|week|month|quarter|year)\b"
                          r"|增长率|增速|增幅|(?<=同比)增长|(?<=环比)增长", re.I)  # (同比, 环比 alone ask for both
# periods side by side; 同比增长 asks the growth)


def growth_of(catalog: Catalog, name: str, unit: str | None) -> Metric | None:
    """The one governed growth metric of metric `name` against the `unit` before ("Visits WoW %" of visits for a
    week: a derived metric of the metric and itself offset by one week), or None. "week over week visit growth"
    is that metric, not a comparison computed from visits."""
    found = [m for m in catalog.supported_metrics() if m.type == "derived" and offset_unit(m) == unit
             and {i.name for i in m.metrics} == {name} and len(m.metrics) == 2]
    return found[0] if len(found) == 1 and unit else None


def offset_unit(metric: Metric | None) -> str | None:
    """The period a governed growth metric compares with ("1 week" of Visits WoW → week), or None for any other.
    Its comparison is its own: "visits WoW last month" is that metric, not a comparison of it with the month before."""
    if metric is None or metric.type != "derived":
        return None
    units = {_period_of(i.offset_window) for i in metric.metrics if i.offset_window}
    return next(iter(units)) if len(units) == 1 and units <= {"day", "week", "month", "quarter", "year"} else None


# an offset said in smaller units is the period it spans ("7 days" is a week, "12 months" a year)
_SPANS = {("day", 7): "week", ("day", 364): "year", ("day", 365): "year", ("week", 52): "year", ("month", 3): "quarter",
          ("month", 12): "year", ("quarter", 4): "year"}


def _period_of(window: str) -> str:
    """The period an offset window goes back ("1 week" → week, "7 days" → week), or its unit as written."""
    parts = window.split()
    unit = parts[-1].lower().rstrip("s")
    count = int(parts[0]) if len(parts) == 2 and parts[0].isdigit() else 1
    return unit if count == 1 else _SPANS.get((unit, count), f"{count} {unit}")


def spans_several(time_range, unit: str) -> bool:  # noqa: ANN001 - a TimeRange
    """True when the range holds more than one `unit` (two weeks or more for a week)."""
    days = (time_range.end - time_range.start).days + 1
    return days > {"day": 1, "week": 7, "month": 31, "quarter": 92, "year": 366}[unit]


def all_filters(metric: Metric) -> frozenset[str]:
    """Every condition a metric keeps rows by, whether written on the metric or on its measure (Revenue filters the
    metric, Revenue MTD its measure: the same rows), spaces folded."""
    return frozenset(" ".join(t.split()) for t in filter_texts(metric))


def variant_of(variant: Metric, base: Metric) -> bool:
    """True when `variant` is the catalog's own derivation of `base`: its running total (a cumulative metric over
    the same measure), its growth (a derived metric of `base` alone), `base` per something (a ratio with `base` as
    numerator), `base` for some rows only (the same measure under more filters: Online sales of Net sales), or its
    gross before the deductions that make `base` net (Gross sales of Net sales: "sales" are reported net)."""
    if variant.type == "simple" and base.type == "simple" and variant.measure and base.measure:
        if variant.measure.name == base.measure.name:
            return set(base.filter) < set(variant.filter)
        words, base_words = humanise(variant.name).split(), humanise(base.name).split()
        return len(words) > 1 and words[0] == "gross" and base_words == ["net", *words[1:]]
    if variant.type == "cumulative":
        return base.type == "simple" and variant.measure is not None and base.measure is not None \
            and variant.measure.name == base.measure.name and all_filters(variant) == all_filters(base)
    if variant.type == "derived":
        return bool(variant.metrics) and {i.name for i in variant.metrics} == {base.name}
    if variant.type == "ratio":
        return variant.numerator is not None and variant.numerator.name == base.name and not variant.numerator.filter
    return False


def plain_among(catalog: Catalog, options: list[str]) -> str | None:
    """The one option the others are all variants of ("revenue" among Net revenue, Net revenue YTD, Net revenue
    YoY and Revenue per visit is Net revenue: the variants are asked by their own words), or None."""
    metrics = [m for m in map(catalog.metric, options) if m is not None]
    bases = [b for b in metrics if all(v is b or variant_of(v, b) for v in metrics)]
    return bases[0].name if len(metrics) > 1 and len(bases) == 1 else None


def sibling_for_value(catalog: Catalog, metrics: Sequence[str], hits: Sequence[Any],
                      low: str) -> tuple[list[str], tuple[int, int]] | None:
    """"same for gas" after a question on Electricity usage: the metric named like the thread's with a value's word
    in place of one of its words (Gas usage) — those metrics and the span of the value said (`hits`: lexicon hits of
    the question `low`)."""
    for hit in (h for h in hits if h.entry.kind == "value"):
        said = set(tokens(low[hit.start : hit.end]))
        found = []
        for name in metrics:
            own = set(tokens(humanise(name)))
            twins = [m.name for m in catalog.supported_metrics()
                     if (words := set(tokens(humanise(m.name)))) - own == said and len(own - words) == 1
                     and len(words) == len(own)]
            if len(twins) != 1:
                break
            found.append(twins[0])
        else:
            return found, hit.span
    return None

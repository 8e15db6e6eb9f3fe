"""What kind of number a question asks for — a rate or an average — and whether a metric is one. Pure.

"lost parcel percentage" answered with the count of lost parcels, "average freight cost" with the total,
"share of shipments that were lost" with a count: each is a number of another kind than asked. When the
question asks for a rate or an average and the chosen metric is neither, the metric of that kind that shares
the question's words is taken, or the question is asked back — never answered with the total.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from metricloop.core.catalog.model import Catalog, Metric, window_choice
from metricloop.core.text import content_tokens, has_cjk, humanise, singular, tokens
from metricloop.core.understand.glossary import load_glossary
from metricloop.core.understand.paraphrase import everyday_words
from metricloop.core.understand.siblings import GROWTH_WORDS, all_filters, offset_unit

Kind = Literal["rate", "average", "duration", "distance"]

_RATE = re.compile(r"\b(?:rate|rates|ratio|percentage|percent|proportion|fraction|share|pct)\b|\bhow\s+often\b"
                   r"|\b(?:our\s+)?cut\s+of\b"  # "our cut of GMV": a share of it
                   r"|\bhow\s+(?:full|packed)\b"  # "how full were we": a share of capacity, not a count of it
                   r"|%|(?<!功)率|比例|占比|百分比|比率")  # (功率 is power, a kW figure: no rate)
# ("I mean", "do you mean", "what we mean by": the verb, never the statistic)
_AVERAGE = re.compile(r"\b(?:average|avg|(?<!\bi )(?<!\bwe )(?<!\byou )(?<!\bthey )mean(?!\s+by\b)|typical)\b"
                      r"|平均|人均|均值")
# "how long does delivery take", 多久: a time span, not a count of the things that took it
_DURATION = re.compile(r"\bhow\s+(?:long|quickly|fast|slow)\b|\bhow\s+many\s+(?:days|hours|minutes|weeks)\b"
                       r"|\b(?:time|days|hours)\s+to\s+(?!date\b)[a-z]+"  # "time to hire": a span, not the hires
                       # "query resolution time", "handle time": the time a thing takes, never the things counted
                       r"|\b(?:resolution|resolve|handle|handling|turnaround|turn-around|wait|waiting|response|lead"
                       r"|cycle|transit|processing|repair|dwell|hold|queue|travel|fill)\s+times?\b"
                       r"|多久|多长时间|耗时|用时|(?:多少|几)(?:天|个?小时|分钟)(?![的内前后里])"
                       r"|(?:分钟|小时)数"  # 停水分钟数: minutes summed, never the number of interruptions
                       r"|(?<=[\u4e00-\u9fff])天数")  # 库存周转天数, 逾期天数: a span in days, never the stock itself
# "average days to redeem", "avg hours to close", "mean time to repair": the average of a span
_AVERAGE_SPAN = re.compile(r"\b(?:average|avg|mean|typical)\s+(?:number\s+of\s+)?(?:days|hours|minutes|weeks|time)\s+"
                           r"(?:to|until|till|before|between|from|it\s+takes)\b")
# "how far did folks ride", 骑了多远: a distance, never a count of the riders who rode it
_DISTANCE = re.compile(r"\bhow\s+far\b|\bhow\s+many\s+(?:miles|kilomet(?:er|re)s|km)\b|多远|多少(?:公里|千米|英里)")
_DISTANCE_WORDS = frozenset({"distance", "distances", "miles", "mile", "km", "kilometers", "kilometres", "mileage",
                             "meters", "metres"})
_CJK_DISTANCE = ("距离", "里程", "公里", "千米", "英里")
_DURATION_WORDS = frozenset({"time", "times", "days", "day", "hours", "hour", "minutes", "minute", "duration",
                             "lead", "wait", "latency", "age", "tenure", "cycle", "length", "mins", "seconds",
                             "secs"})
_CJK_DURATION = ("时长", "天数", "时间", "耗时", "用时", "周期", "多久")
_RATE_WORDS = frozenset({"rate", "ratio", "percentage", "percent", "proportion", "fraction", "share", "pct"})
_AVERAGE_WORDS = frozenset({"average", "avg", "mean", "per", "typical"})
_CJK_RATE = ("率", "比例", "占比", "百分比", "比率")
_CJK_AVERAGE = ("平均", "人均", "均")
_KIND_WORDS = _RATE_WORDS | _AVERAGE_WORDS | _DURATION_WORDS | _DISTANCE_WORDS | {
    "rates", "long", "quickly", "fast", "slow", "take", "takes", "took", "does", "many", "often", "far"}


def asked_kind(text: str) -> Kind | None:
    """The kind of number `text` (lower-cased) asks for: a rate, an average, or neither."""
    if _RATE.search(text):
        return "rate"
    if _AVERAGE_SPAN.search(text):
        return "duration"  # "average days to redeem a loan": a span averaged, never an Average loan (an amount)
    if _AVERAGE.search(text):
        return "average"
    if _DURATION.search(text):
        return "duration"
    if _DISTANCE.search(text):
        return "distance"
    return None


def asks_duration(text: str) -> bool:
    """`text` asks how long something takes ("how long", 多久, 多少天), whatever else it says (平均)."""
    return bool(_DURATION.search(text))


def kind_word(text: str) -> str | None:
    """The question's own word for the kind it asks ("percentage", "平均"), to name it back."""
    m = _RATE.search(text) or _AVERAGE.search(text) or _DURATION.search(text) or _DISTANCE.search(text)
    return m.group(0) if m else None


def name_words(metric: Metric) -> set[str]:
    """The words of a metric's name and label, singular ("Refund amount" → refund, amount)."""
    return {singular(t) for t in tokens(f"{humanise(metric.name)} {metric.label or ''}".lower())}


def metric_phrases(metric: Metric) -> list[str]:
    return [humanise(metric.name), metric.label or "", *metric.meta.synonyms, *spelled_acronym(metric)]


def spelled_acronym(metric: Metric) -> list[str]:
    """"per person average" for PPA, when the metric is named by an acronym and its description spells it out
    ("PPA: Per-person average — …"): the words whose initials are the acronym, in order, in the description."""
    return list(_spelled(metric.name, metric.label or "", metric.description or ""))


@lru_cache(maxsize=4096)  # (metric_phrases asks for it many times per question)
def _spelled(name: str, label: str, description: str) -> tuple[str, ...]:
    label = label.strip()
    short = label if re.fullmatch(r"[A-Z]{2,5}", label) else name.upper() if re.fullmatch(r"[a-z]{2,5}", name) else ""
    if not short or not description:
        return ()
    words = re.findall(r"[a-z]+", description.lower())
    n = len(short)
    found = [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)
             if "".join(w[0] for w in words[i : i + n]) == short.lower()]
    return tuple(found[:1])


def _own_words(metric: Metric) -> tuple[list[str], set[str]]:
    """A metric's phrases (lower-cased) and their content words."""
    phrases = [p.lower() for p in metric_phrases(metric)]
    return phrases, {t for p in phrases for t in content_tokens(p)}


def _divides(metric: Metric, bases: list[str]) -> bool:
    """A ratio (or derived division) of one of `bases`: "average freight cost" may be freight cost per kg or per
    shipment, so each such metric is a candidate of its own."""
    if metric.type == "ratio" and metric.numerator is not None:
        return metric.numerator.name in bases
    return metric.type == "derived" and bool(metric.expr) and "/" in (metric.expr or "") \
        and bool(metric.metrics) and metric.metrics[0].name in bases


def _rows_of(catalog: Catalog, name: str, extra: tuple[str, ...] = ()) -> tuple[str, frozenset[str]] | None:
    """(measure, conditions) of a simple metric under `extra` conditions more, spaces folded; None otherwise."""
    metric = catalog.metric(name)
    if metric is None or metric.type != "simple" or metric.measure is None:
        return None
    return metric.measure.name, all_filters(metric) | {" ".join(t.split()) for t in extra}


def numerator_is(catalog: Catalog, metric: Metric, base: str) -> bool:
    """A ratio whose numerator counts exactly the rows of `base`, though named otherwise: Cancellation rate's
    numerator is Appointments where status is cancelled, which is Appointment cancellations — its rate."""
    if metric.type != "ratio" or metric.numerator is None or not metric.numerator.filter:
        return False
    rows = _rows_of(catalog, metric.numerator.name, metric.numerator.filter)
    return rows is not None and rows == _rows_of(catalog, base)


_WINDOW = re.compile(r"\b(?:trailing|rolling|last|past)?\s*\d+[\s-]*(?:days?|hours?|weeks?|months?|d|h)\b")


def is_kind(catalog: Catalog, metric: Metric, kind: Kind) -> bool:
    """The metric is a number of that kind: a ratio (a rate, or an average per unit), a derived division, an
    average aggregation, or its own words say so."""
    # ("Active buyers (rolling 28 days)": a window of days is no span measured)
    words = {t for p in metric_phrases(metric) for t in tokens(_WINDOW.sub(" ", re.sub(r"\bon[\s-]time\b", " ",
                                                                                         p.lower())))}
    cjk = "".join(metric_phrases(metric))
    if kind == "duration":
        return bool(words & _DURATION_WORDS) or any(w in cjk for w in _CJK_DURATION)
    if kind == "distance":
        return bool(words & _DISTANCE_WORDS) or any(w in cjk for w in _CJK_DISTANCE)
    if metric.type == "ratio" or (metric.type == "derived" and metric.expr and "/" in metric.expr):
        return True
    if kind == "rate":
        return bool(words & _RATE_WORDS) or any(w in cjk for w in _CJK_RATE)
    if words & _AVERAGE_WORDS or any(w in cjk for w in _CJK_AVERAGE):
        return True
    if metric.type in ("simple", "cumulative") and metric.measure is not None:
        found = catalog.find_measure(metric.measure.name)
        return bool(found and found[1].agg in ("average", "avg", "median"))
    return False


_SPEED = re.compile(r"\b(?:quick|quickly|fast|faster|soon|speed|promptly)\b|多快|多久能|快不快")


def _summed(catalog: Catalog, metric: Metric) -> bool:
    """A simple metric that adds its rows up (a total: watch hours, labor hours), not a span of each row."""
    if metric.type not in ("simple", "cumulative") or metric.measure is None:
        return False
    found = catalog.find_measure(metric.measure.name)
    return bool(found and found[1].agg in ("sum", "count", "count_distinct"))


def time_spent_instead(catalog: Catalog, metric: Metric, text: str) -> bool:
    """`metric` adds up time spent (Minutes out of range) where the question (`text`, lower-cased) says no word of
    time at all: "how many excursions" counts them, never the minutes they lasted."""
    if not (_summed(catalog, metric) and not is_count(catalog, metric) and is_kind(catalog, metric, "duration")):
        return False
    said = {singular(t) for t in tokens(text)}
    return not said & {singular(w) for w in _DURATION_WORDS} and not any(w in text for w in _CJK_DURATION)


def fits_kind(catalog: Catalog, metric: Metric, kind: Kind, text: str) -> bool:
    """`metric` answers a question asking for a number of `kind` in `text`: of that kind, and for "how quickly" a
    span of each row, not a total of time."""
    return is_kind(catalog, metric, kind) and not (kind == "duration" and _SPEED.search(text)
                                                   and _summed(catalog, metric))


# (the words of a change besides siblings.GROWTH_WORDS, which the check reads too)
_CHANGE_SAID = re.compile(r"\b(?:change[sd]?|changing|increase[sd]?|decrease[sd]?|up|down|rise|rose|fell|drop(?:ped)?"
                          r"|vs|versus|over)\b|同比|环比|涨|跌|升|降|变化|变动|比上|比去年|比前")


def of_kind(catalog: Catalog, kind: Kind, text: str, bases: list[str],
            said: str = "") -> tuple[list[str], list[str]]:
    """(sure, others): metrics of `kind` whose own words hold every content word of `text` (the kind's words
    aside), and metrics to offer but never to answer with — those holding only some of the words, and the
    ratios of one of `bases` ("average freight cost" may be per kg or per shipment). Only a single sure
    metric with no ratio of the base beside it may answer. `said`: the question as typed, whose growth words
    (同比增长率) the period may have taken from `text`."""
    asked = set(content_tokens(text)) - _KIND_WORDS
    full, partial, dividers = [], [], []
    for m in catalog.supported_metrics():
        if m.name in bases or not fits_kind(catalog, m, kind, text):
            continue
        phrases, own = _own_words(m)
        held = {w for w in asked if w in own or (has_cjk(w) and any(w in p for p in phrases))}
        if kind != "duration" and (_divides(m, bases) or any(numerator_is(catalog, m, b) for b in bases)):
            dividers.append(m.name)
        elif asked and held == asked:
            full.append(m.name)
        elif held:
            partial.append((len(held), m.name))
    others = dividers + [name for _, name in sorted(partial, key=lambda s: -s[0])]
    if len(full) == 1 and not dividers:
        return full, others
    per = _per_word(text)
    by_denominator = [n for n in dividers if per and per in _denominator_words(catalog, catalog.metric(n))]
    if len(by_denominator) == 1 and not full:  # "revenue per order": the ratio of revenue to orders, not per customer
        return by_denominator, [n for n in others if n not in by_denominator]
    # (a growth divides the base by itself a period before: no share of it — 领养的通过率 is no Adoption growth MoM —
    # unless a change is asked)
    growth_asked = any(GROWTH_WORDS.search(t) or _CHANGE_SAID.search(t) for t in (text, said.lower()))
    percents = [n for n in dividers if _is_percentage(catalog.metric(n))
                and (growth_asked or offset_unit(catalog.metric(n)) is None)
                and (not _filtered_numerator(catalog.metric(n)) or any(numerator_is(catalog, catalog.metric(n), b)
                                                                       for b in bases))]
    if kind == "rate" and len(bases) == 1 and len(dividers) == 1 and percents and set(full) <= set(percents):
        # "gross margin %", "how often do we run out of stock": the base's one percentage is its rate
        return percents, [n for n in others if n not in percents]
    distances = [m.name for m in catalog.supported_metrics() if is_kind(catalog, m, kind)] if kind == "distance" else []
    if len(distances) == 1 and not full:  # "how far did folks ride": the catalog's one distance
        return distances, [n for n in others if n not in distances]
    if kind in ("duration", "average", "distance") and not full and not dividers and len(bases) == 1:
        # "how long are people playing per session", "how quickly did we respond to tickets": the one span or
        # average of the base's own rows that the words (and their everyday nouns: respond → response) point at
        same = [n for n in _same_rows_of_kind(catalog, kind, bases[0], asked | everyday_words(text))
                if fits_kind(catalog, catalog.metric(n), kind, text)]
        if len(same) == 1:
            return same, [n for n in others if n not in same]
    return [], full + others


def _same_rows_of_kind(catalog: Catalog, kind: Kind, base: str, words: set[str]) -> list[str]:
    """Metrics of `kind` over the base metric's own rows: the only one, or the only one sharing a word of `words`
    besides the kind's own words."""
    model = model_of(catalog, base)
    found = [m for m in catalog.supported_metrics() if m.name != base and model is not None
             and model_of(catalog, m.name) == model and is_kind(catalog, m, kind)]
    if len(found) > 1:
        found = [m for m in found if (_own_words(m)[1] - _KIND_WORDS) & words]
    return [m.name for m in found]


def _per_word(text: str) -> str | None:
    """The word after "per" / 每 ("revenue per order" → order), singular."""
    m = re.search(r"\bper\s+([a-z]+)|每(?:个|位|笔|单)?([\u4e00-\u9fff]{1,3})", text)
    if m is None:
        return None
    return singular(m.group(1)) if m.group(1) else m.group(2)


def _denominator_words(catalog: Catalog, metric: Metric | None) -> set[str]:
    """The words naming what a ratio (or derived division) divides by: its denominator metric's names."""
    if metric is None:
        return set()
    ref = metric.denominator if metric.type == "ratio" else (metric.metrics[-1] if metric.metrics else None)
    denominator = catalog.metric(ref.name) if ref is not None else None
    if denominator is None:
        return set()
    phrases = metric_phrases(denominator)
    return {singular(t) for p in phrases for t in tokens(p.lower())} | {p for p in phrases if has_cjk(p)}


def _filtered_numerator(metric: Metric | None) -> bool:
    """A ratio of a subset of its numerator ("cancelled orders" / orders): the rate of that subset, not of the base."""
    return bool(metric is not None and metric.type == "ratio" and metric.numerator is not None
                and metric.numerator.filter)


def _is_percentage(metric: Metric | None) -> bool:
    """A metric shown as a percentage, or named a rate: the rate of its numerator (not an average per unit)."""
    if metric is None:
        return False
    words = {t for p in metric_phrases(metric) for t in tokens(p.lower())}
    return metric.meta.format.kind == "percent" or bool(words & _RATE_WORDS) \
        or any(w in "".join(metric_phrases(metric)) for w in _CJK_RATE) or "%" in (metric.label or "")


# "how much did we refund customers", 退了多少钱: an amount of money, not a count of refunds
# money said itself; 毛利额, 销售额: the amount of it
_MONEY = r"\$|\bdollars?\b|钱|金额|总额|(?<=[\u4e00-\u9fff])额(?![度外])"
_AMOUNT = re.compile(r"\bhow\s+(?:much|heavy)\b|多少钱|多重|" + _MONEY)
_MONEY_SAID = re.compile(_MONEY + r"|\bbucks\b")


def said_money(text: str) -> bool:
    """The question says money itself ($, 钱, 销售额), not only "how much" (which may ask a quantity)."""
    return bool(_MONEY_SAID.search(text))


def asks_amount(text: str) -> bool:
    """The question asks how much (money or quantity), not how many."""
    return bool(_AMOUNT.search(text))


# "how many loans", 放款笔数, 几笔: a number of things, never a sum of money
_COUNT_ASKED = re.compile(r"\bhow\s+many\b|\bnumber\s+of\b|\bcount\s+of\b|笔数|多少笔|几笔|单数|件数|多少单|几单"
                          r"|多少件|几件|次数|多少次|几次")


def asks_count(text: str) -> bool:
    """The question asks how many (a count), not how much."""
    return bool(_COUNT_ASKED.search(text))


def counts_for(catalog: Catalog, text: str, amount: Metric) -> list[str]:
    """Count metrics on the same rows as the money metric `amount` ("放款笔数": the loans disbursed, not the amount
    disbursed), those sharing the question's words first."""
    rows = model_of(catalog, amount.name)
    same = [m for m in catalog.supported_metrics() if m.name != amount.name and is_count(catalog, m)
            and rows is not None and model_of(catalog, m.name) == rows and not m.filter]
    asked = set(content_tokens(text)) | everyday_words(text)
    sharing = [m.name for m in same if asked & _own_words(m)[1]]
    return sharing or [m.name for m in same]


def is_count(catalog: Catalog, metric: Metric) -> bool:
    """A simple metric counting rows (count, count_distinct)."""
    found = catalog.find_measure(metric.measure.name) if metric.type == "simple" and metric.measure else None
    return bool(found and found[1].agg in ("count", "count_distinct"))


def amounts_for(catalog: Catalog, text: str, count: Metric) -> list[str]:
    """Amount metrics (sums, or formatted as currency) whose words hold the question's content words, on the
    same rows as `count` where possible ("refund amount" for "refunds")."""
    # "how heavy were shipments": the weight (data/paraphrases.tsv gives the nouns of such words)
    asked = (set(content_tokens(text)) | everyday_words(text)) - _KIND_WORDS - {"much"}
    out = []
    for m in catalog.supported_metrics():
        if m.name == count.name or is_count(catalog, m) or m.type not in ("simple", "cumulative", "derived"):
            continue
        if m.type == "derived" and "/" in (m.expr or "") and _per_word(text) is None \
                and not asked & _denominator_words(catalog, m):
            continue  # "collections per collector hour" is no amount asked without its "per" or its divisor
        money = m.meta.format.kind == "currency"
        found = catalog.find_measure(m.measure.name) if m.measure else None
        summed = bool(found and found[1].agg == "sum")
        _, own = _own_words(m)
        if (money or summed) and asked & own:
            out.append((len(asked & own), m.name))
    best = max((n for n, _ in out), default=0)
    if out:
        return [name for n, name in out if n == best]
    # no word in common (退了多少钱 against an English catalog): the amounts kept on the count's own rows
    kept = money_on_same_rows(catalog, count)
    # the money of exactly the counted rows (Refunded $ beside Refunds, both of refund type "refund"), before the
    # money of other rows of the same table (Chargeback $)
    same = [m.name for m in kept if m.filter == count.filter]
    return same if count.filter and same else [m.name for m in kept]


def money_on_same_rows(catalog: Catalog, metric: Metric) -> list[Metric]:
    """The simple metrics of money (formatted as currency) kept on the same rows as `metric`, other than it."""
    rows = model_of(catalog, metric.name)
    return [m for m in catalog.supported_metrics() if m.name != metric.name and m.type == "simple"
            and not is_count(catalog, m) and rows is not None and model_of(catalog, m.name) == rows
            and m.meta.format.kind == "currency"]


def money_numerator(catalog: Catalog, metric: Metric) -> str | None:
    """The money a percentage is a share of the way through: GM % is Gross profit / revenue, so 毛利额, "gross
    margin dollars" ask for Gross profit. None unless the numerator is a plain currency metric."""
    if metric.type != "ratio" or metric.numerator is None or metric.numerator.filter or not _is_percentage(metric):
        return None
    top = catalog.metric(metric.numerator.name)
    return top.name if top is not None and top.meta.format.kind == "currency" else None


def model_of(catalog: Catalog, name: str, depth: int = 0) -> str | None:
    """The semantic model a metric's rows come from (a ratio's: its numerator's); None when not found."""
    metric = catalog.metric(name)
    ref = (metric.measure or metric.numerator) if metric is not None and depth <= 4 else None
    if ref is None:
        return None
    found = catalog.find_measure(ref.name)
    return found[0].name if found else model_of(catalog, ref.name, depth + 1)


def counts_rows(catalog: Catalog, metric: Metric | None) -> bool:
    """A simple metric counting all its model's rows ("tickets", "orders"): a count, or a sum of 1, unfiltered."""
    if metric is None or metric.measure is None or metric.filter or metric.measure.filter:
        return False
    found = catalog.find_measure(metric.measure.name)
    summed_ones = bool(found and found[1].agg == "sum" and str(found[1].expr).strip() == "1")
    return metric.type == "simple" and (is_count(catalog, metric) or summed_ones)


# Words naming something a business wants less of: "the worst late rate" is the highest one.
_BAD = re.compile(r"\b(?:late|lateness|delay(?:ed|s)?|cancel\w*|churn\w*|refund\w*|return(?!\s+on)\w*|fail\w*"
                  r"|error\w*|defect\w*|complaint\w*|lost|loss(?:es)?|attrition|bounce\w*|abandon\w*|no[\s_-]?shows?"
                  r"|stockouts?|out[\s_-]of[\s_-]stock|incidents?|outages?|downtime|cost|costs|cpa|cpc|cac|expenses?"
                  r"|time|duration|days|hours|minutes|wait\w*|latency|backlog|overdue|disputes?|chargebacks?|fraud)\b"
                  r"|延误|超时|取消|流失|退款|退货|失败|投诉|丢失|成本|时长|耗时")


# the words of a count's name that keep only the rows that went wrong ("late deliveries" of all deliveries)
_GONE_WRONG = re.compile(r"late|delayed|cancel\w*|churn\w*|refund\w*|return\w*|fail\w*|error\w*|defect\w*"
                         r"|complaint\w*|lost|bounce\w*|abandon\w*|missed|rejected|damaged|void\w*|overdue"
                         r"|disputed|fraud\w*|stockout|outage|incident")


def gone_wrong(word: str) -> bool:
    """`word` narrows rows to the ones that went wrong (late, cancelled, failed) — a word no one leaves unsaid."""
    return bool(_GONE_WRONG.fullmatch(word))


def lower_is_better(metric: Metric | None) -> bool:
    """Whether less of the metric is better: its target says so, its alert watches it rising, or its name is of
    something a business wants less of (late, cancelled, churn, cost, time …)."""
    if metric is None:
        return False
    if metric.meta.target is not None:
        return metric.meta.target.direction == "lower"
    if metric.meta.alert is not None and metric.meta.alert.direction in ("up", "down"):
        return metric.meta.alert.direction == "up"
    words = re.sub(r"\b(?:on|in)[\s-]time\b|准时|按时", " ", " ".join(p.lower() for p in metric_phrases(metric)))
    return bool(_BAD.search(words))  # ("on-time rate" is something to have more of)


def counted_entity(catalog: Catalog, metric: Metric | None) -> str | None:
    """What a count metric counts: the entity whose key it counts distinctly ("active customers" counts customer_id),
    else the primary entity of its model's rows ("orders"); None for anything that is not a count."""
    if metric is None or metric.type != "simple" or metric.measure is None:
        return None
    found = catalog.find_measure(metric.measure.name)
    if not found or found[1].agg not in ("count", "count_distinct"):
        return None
    model, measure = found
    expr = str(measure.expr or "").strip().lower()
    for entity in (e for sm in catalog.semantic_models for e in sm.entities):
        if measure.agg == "count_distinct" and expr in (entity.name.lower(), str(entity.expr or "").lower()):
            return entity.name
    return next((e.name for e in model.entities if e.type == "primary"), None)


# Nouns of a level, not of a number of things: "the highest rating", 评分最高 ask for the average rating, never for
# how many ratings were left (unless the question counts: "how many ratings", 多少条评分).
_LEVEL_NOUN = re.compile(r"\b(?:ratings?|scores?|stars?|satisfaction|nps|csat)\b|评分|得分|打分|分数|星级|满意度")
_COUNTING = re.compile(r"\bhow\s+many\b|\bnumber\s+of\b|\bcount\b|\b#\s*of\b"
                       r"|多少[条个次份]|几[条个次份]|数量|条数|次数")


def level_over_count(catalog: Catalog, text: str, names: list[str]) -> str | None:
    """Among `names`, the one average metric to answer a level noun with ("avg course rating", 评分最高的讲师) when
    the others are counts of the same thing; None when the question counts, or no such pair is there."""
    if not _LEVEL_NOUN.search(text) or _COUNTING.search(text):
        return None
    metrics = [m for m in map(catalog.metric, names) if m is not None]
    averages = [m for m in metrics if is_kind(catalog, m, "average")]
    others = [m for m in metrics if m not in averages]
    if len(averages) == 1 and others and all(is_count(catalog, m) for m in others):
        return averages[0].name
    return None


# words that say only the kind of number a metric is ("Avg resolution time": resolution is what it is about)
_KIND_ONLY = frozenset({"avg", "average", "mean", "time", "times", "duration", "days", "day", "hours", "hour",
                        "minutes", "minute", "mins", "length", "rate", "total", "number", "count"})


def only_span(catalog: Catalog, options: list[str], said: str) -> str | None:
    """"要等多久", "how long" (`said`, the question lower-cased) among `options`: the one duration among them when a
    word of its own name is said too (等 of Avg wait time) — a span is never answered with a count, and the one span
    of the words' things is it."""
    if not asks_duration(said):
        return None
    spans = [m for m in map(catalog.metric, options) if m is not None and is_kind(catalog, m, "duration")
             and "per" not in tokens(humanise(m.name))]  # "watch hours per learner" is no span of time
    if len(spans) != 1:
        return None
    words = set(content_tokens(said)) | everyday_words(said)
    entities = {singular(e.name) for sm in catalog.semantic_models for e in sm.entities}
    # what the span is of (wait, resolution), not whose it is (learners, patients)
    own = {t for p in metric_phrases(spans[0]) for t in content_tokens(p)} - _KIND_ONLY - entities
    glossary = load_glossary()
    if own & words or any(len(r) >= 2 and r in said for t in own for r in glossary.render(t)):
        return spans[0].name
    return None


def is_rate(catalog: Catalog, name: str) -> bool:
    """A division shown as a percentage or called a rate ("Cancellation rate"), not a growth."""
    metric = catalog.metric(name)
    divides = metric is not None and (metric.type == "ratio" or (
        # (a growth is a derived percentage too, over offset periods: "bookings growth" is no count)
        metric.type == "derived" and "/" in (metric.expr or "") and not any(i.offset_window or i.offset_to_grain
                                                                           for i in metric.metrics)))
    return divides and (metric.meta.format.kind == "percent"
                        or bool({"rate", "ratio", "share"} & set(tokens(humanise(name)))))


def counted_plural(catalog: Catalog, name: str, low: str) -> str | None:
    """A word of the metric's name said in the plural ("cancellations" of Cancellation rate): things counted."""
    metric = catalog.metric(name)
    own = {w for p in (metric_phrases(metric) if metric else []) for w in re.findall(r"[a-z]+", p.lower())}
    return next((w for w in re.findall(r"[a-z]+", low) if singular(w) != w
                 and (singular(w) in own or w in own) and len(w) > 4), None)


def closing_balance(catalog: Catalog, name: str) -> bool:
    """A semi-additive metric whose value for a period is the period's last snapshot (window_choice max)."""
    metric = catalog.metric(name)
    found = catalog.find_measure(metric.measure.name) if metric is not None and metric.measure else None
    return bool(found and found[1].non_additive_dimension and window_choice(found[1]) == "max")


# money going out of the business: paid out, spent, 花了 — never the sales or revenue coming in
_PAID_OUT = re.compile(r"\b(?:pay|paid|paying)\s+out\b|\b(?:spend|spent|spending)\b|\b(?:did|do)\s+we\s+pay\b"
                       r"|\bwe\s+paid\b|花了|花掉|付了|付出|支出")
_INFLOW = frozenset({"sale", "sales", "revenue", "income", "earning", "earnings", "turnover", "gmv"})
_OUTFLOW = frozenset({"cost", "costs", "spend", "expense", "expenses", "paid", "payout", "payouts", "purchase",
                      "purchases", "fee", "fees"})


_PRODUCED = re.compile(r"\b(?:produc(?:ed|e|es|ing|tion)|output|manufactured)\b|产量|产出|生产|出材")
_PRODUCTION_WORDS = frozenset({"produced", "production", "output", "made", "manufactured", "yield", "sawn", "milled",
                               "built", "processed", "packed", "harvested", "brewed", "baked", "printed", "poured"})


def sold_instead_of_made(text: str, metric: Metric) -> bool:
    """"锯材产量", "lumber produced last month" answered with Lumber sales: what was sold for what was made. True
    when the question (lower-cased) says making and `metric`'s names say selling, not making."""
    named = {singular(w) for p in metric_phrases(metric) for w in tokens(p.lower())}
    return bool(_PRODUCED.search(text)) and bool(named & (_INFLOW | {"sold"})) and not named & _PRODUCTION_WORDS


def paid_out_instead(catalog: Catalog, text: str, metric: Metric) -> list[str] | None:
    """"how much did we pay out for scrap" answered with Scrap sales: money coming in for money going out. The
    currency metrics named for money going out (their names, or their description's words) — those sharing the
    question's words first — to answer or offer instead; None when the question says no such verb or `metric` is
    not money coming in."""
    def phrase_words(m: Metric) -> set[str]:
        return {singular(w) for p in metric_phrases(m) for w in tokens(p.lower())}

    named = phrase_words(metric)
    if not _PAID_OUT.search(text) or not named & _INFLOW or named & _OUTFLOW:
        return None
    asked = {singular(w) for w in content_tokens(text)} - _OUTFLOW - {"pay", "paid", "spend", "spent", "out"}
    found = []
    for m in catalog.supported_metrics():
        own = phrase_words(m)
        described = {singular(w) for w in tokens((m.description or "").lower())}
        if m.meta.format.kind == "currency" and m.type == "simple" and (own | described) & _OUTFLOW \
                and not own & _INFLOW:
            found.append((len(asked & (own | described)), m.name))
    best = max((n for n, _ in found), default=0)
    return [name for n, name in found if n == best] if best else [name for _, name in found]

"""A question's filter against the metric's own definition. Pure.

"revenue including returned orders" asks for returned orders, but Revenue counts completed orders only
(its governed filter says `status = 'completed'`): the filter `status = returned` would answer "—" or
nothing at all, and either reads as a fact about returned orders. `contradiction` finds such a filter
so the interpreter can say what the metric counts instead of answering.
"""
from __future__ import annotations

import re

from metricloop.core.catalog.model import Catalog, Metric
from metricloop.core.query import Filter
from metricloop.core.text import humanise, tokens, word_spans
from metricloop.core.understand.negation import cue_before, is_negated

# {{ Dimension('order__status') }} = 'completed' | != 'x' | IN ('a', 'b') | NOT IN (...) | = true
_CONDITION = re.compile(
    r"\{\{\s*Dimension\(\s*['\"](?P<ref>[\w]+)['\"]\s*\)\s*\}\}\s*(?P<op>=|!=|<>|not\s+in|in)\s*"
    r"(?P<values>\([^)]*\)|'[^']*'|\"[^\"]*\"|[\w.]+)", re.I)


def filter_texts(metric: Metric) -> list[str]:
    """The metric's own filters as written: on the metric and on its measure (a ratio's parts filter only one side
    and are left out)."""
    return [*metric.filter, *(metric.measure.filter if metric.measure is not None else ())]


def own_conditions(metric: Metric) -> list[tuple[str, str, frozenset[str], str]]:
    """(dimension ref, op, values, text) for each simple condition in the metric's own filters (filter_texts)."""
    return _conditions(filter_texts(metric))


def numerator_condition(catalog: Catalog, metric: Metric, flt: Filter) -> bool:
    """`flt` only restates what a ratio's numerator counts ("what % of cars were out on rent" with Fleet utilization,
    whose numerator keeps the on-rent days): applied to the whole ratio it would filter the denominator too and read
    100%. The numerator's own filter, or the filter of the metric it names, keeps exactly the asked values."""
    if metric.type != "ratio" or metric.numerator is None or flt.op not in ("=", "in"):
        return False
    named = catalog.metric(metric.numerator.name)
    asked = {str(v).lower() for v in flt.values}
    if any(_same(ref, flt.dimension) and op in ("=", "in") and values == asked
           for ref, op, values, _ in _conditions(_numerator_filters(catalog, metric))):
        return True
    # ... or the numerator counts them by its name ("On rent" of On-rent days, summed from an on-rent flag)
    named_words = set(tokens(humanise(metric.numerator.name)))
    if named is not None and named.measure is not None:
        named_words |= set(tokens(humanise(named.measure.name)))
    return len(asked) == 1 and bool(words := set(tokens(next(iter(asked))))) and words <= named_words


def numerator_contradiction(catalog: Catalog, metric: Metric, flt: Filter) -> str | None:
    """The condition of a ratio's numerator that `flt` leaves nothing of (its text), or None: 垃圾分流率 read as the
    diversion rate of Trash, whose numerator counts only Recycling and Organics — 0% by construction, never the
    number asked."""
    if metric.type != "ratio" or metric.numerator is None or flt.op not in ("=", "in"):
        return None
    asked = {str(v).lower() for v in flt.values}
    for ref, op, values, shown in _conditions(_numerator_filters(catalog, metric)):
        if _same(ref, flt.dimension) and ((op in ("=", "in") and not asked & values)
                                          or (op in ("!=", "not in") and asked <= values)):
            return shown
    return None


def _numerator_filters(catalog: Catalog, metric: Metric) -> list[str]:
    """A ratio's numerator's own filters as written: on the numerator input, and on the metric it names and its
    measure."""
    texts = list(metric.numerator.filter) if metric.numerator is not None else []
    named = catalog.metric(metric.numerator.name) if metric.numerator is not None else None
    if named is not None:
        texts += list(named.filter) + (list(named.measure.filter) if named.measure is not None else [])
    return texts


def _conditions(texts: list[str]) -> list[tuple[str, str, frozenset[str], str]]:
    out = []
    for text in texts:
        if re.search(r"\bor\b", text, re.I):
            continue  # an OR allows more than any one of its parts says
        for m in _CONDITION.finditer(text):
            op = m.group("op").lower().replace("<>", "!=")
            op = "not in" if op.startswith("not") else op
            values = frozenset(v.strip().strip("'\"").lower() for v in m.group("values").strip("()").split(","))
            shown = f"{m.group('ref').split('__')[-1]} {op} {', '.join(sorted(values))}"
            out.append((m.group("ref"), op, values, shown))
    return out


def _same(a: str, b: str) -> bool:
    return a.split("__")[-2:] == b.split("__")[-2:]


def contradiction(metric: Metric, flt: Filter) -> str | None:
    """The metric's own condition that `flt` contradicts (its text), or None."""
    asked = {str(v).lower() for v in flt.values}
    for ref, op, values, shown in own_conditions(metric):
        if not _same(ref, flt.dimension):
            continue
        keeps = op in ("=", "in")  # the metric keeps the listed values (else it drops them)
        if flt.op in ("=", "in") and not all((v in values) == keeps for v in asked):
            return shown  # asks for rows the metric never counts
        if flt.op in ("!=", "not in") and op in ("=", "in") and values <= asked:
            return shown  # excludes every row the metric counts
    return None


def filtered_variant(catalog: Catalog, metric: Metric, flt: Filter) -> str | None:
    """The governed metric that *is* `metric` under `flt` ("churned MRR" for MRR where the movement is churn,
    流失MRR): a metric whose own filter keeps exactly those values of that dimension and whose name holds the
    asked metric's words. Answering MRR filtered on churn instead reads a different measure (here a running
    total of churn since the first row), a wrong number."""
    if flt.op not in ("=", "in"):
        return None
    asked = {str(v).lower() for v in flt.values}
    words = set(tokens(humanise(metric.name).lower())) | set(tokens((metric.label or "").lower()))
    found = []
    mine = own_conditions(metric)
    for other in catalog.supported_metrics():
        if other.name == metric.name or other.type not in ("simple", "cumulative"):
            continue
        if other.type == "cumulative" and (other.window or other.grain_to_date) and (
                metric.window, metric.grain_to_date) != (other.window, other.grain_to_date):
            continue  # Eye exams month to date counts completed exams too, but as a running total: another number
        kept = [(ref, values) for ref, op, values, _ in own_conditions(other) if op in ("=", "in")]
        named = set(tokens(humanise(other.name).lower())) | set(tokens((other.label or "").lower()))
        if any(_same(ref, flt.dimension) and values == asked for ref, values in kept) and words <= named:
            found.append(other.name)
        elif _same_rows_but(metric, other, mine, flt, asked):
            found.append(other.name)  # "rejected claims" counted from Claims submitted: the governed Claim rejections
    return found[0] if len(found) == 1 else None


def named_by_value(catalog: Catalog, metric: Metric, flt: Filter, said: set[str]) -> str | None:
    """The governed metric that a value said with a metric word names ("e-bike share" beside E-bike share of trips and
    Member share of trips): a metric of the chosen one's type whose own condition (a ratio's: its numerator's) keeps
    exactly the said value, and whose name's other words are all said. Member share filtered to e-bikes would be the
    members' share of e-bike trips, a different number. None unless exactly one fits."""
    if flt.op not in ("=", "in") or len(flt.values) != 1 or set(tokens(humanise(metric.name).lower())) <= said:
        return None  # ("member share for e-bike trips" names Member share itself)
    asked = {str(v).lower() for v in flt.values}
    value_words = set(tokens(next(iter(asked)))) | {re.sub(r"[^0-9a-z]", "", next(iter(asked)))}
    found = []
    for other in catalog.supported_metrics():
        if other.name == metric.name or other.type != metric.type:
            continue
        texts = _numerator_filters(catalog, other) if other.type == "ratio" else filter_texts(other)
        if not any(_same(ref, flt.dimension) and op in ("=", "in") and values == asked
                   for ref, op, values, _ in _conditions(texts)):
            continue
        rest = set(tokens(humanise(other.name).lower())) - value_words
        if rest and rest <= said:
            found.append(other.name)
    return found[0] if len(found) == 1 else None


def _same_rows_but(metric: Metric, other: Metric, mine: list, flt: Filter, asked: set[str]) -> bool:
    """`other` sums the same measure as `metric` over the same rows except for one more condition, and that
    condition is `flt`: the two answers are one number, and `other` is its governed name."""
    if metric.type != "simple" or other.type != "simple" or metric.measure is None or other.measure is None \
            or metric.measure.name != other.measure.name:
        return False
    theirs = own_conditions(other)
    if not all(_conditions_anded(filter_texts(m)) for m in (metric, other)):
        return False  # a condition read here is not the whole of a filter ("a or b"): not compared
    extra = [c for c in theirs if c not in mine]
    return len(extra) == 1 and len(theirs) == len(mine) + 1 and _same(extra[0][0], flt.dimension) \
        and extra[0][1] in ("=", "in") and extra[0][2] == asked


def _conditions_anded(texts: list[str]) -> bool:
    """Every filter text is simple conditions joined by AND only ("a and b" keeps the rows both keep; "a or b", a
    function or a comparison is not read here)."""
    return all(not re.sub(r"\band\b|[()\s]", "", _CONDITION.sub("", text), flags=re.I) for text in texts)


def base_and_condition(catalog: Catalog, metric: Metric) -> tuple[str, Filter] | None:
    """The metric `metric` is by one more condition of its own, and that condition: Recurring giving is Total raised
    where is_recurring = true. None where the catalog has no one such base, or the condition is no simple `=`/`in`."""
    if metric.type != "simple" or metric.measure is None:
        return None
    bases = [b for b in catalog.supported_metrics() if b is not metric and b.type == "simple" and b.measure is not None
             and b.measure.name == metric.measure.name and set(b.filter) < set(metric.filter)]
    extra = [t for t in metric.filter if t not in bases[0].filter] if len(bases) == 1 else []
    m = _CONDITION.fullmatch(extra[0].strip()) if len(extra) == 1 else None
    if m is None or m.group("op").lower() not in ("=", "in"):
        return None
    values = tuple(_typed(v.strip().strip("'\"")) for v in m.group("values").strip("()").split(","))
    return bases[0].name, Filter(dimension=m.group("ref"), op="=" if len(values) == 1 else "in", values=values)


def _typed(value: str) -> object:
    """A filter's literal as the warehouse holds it: true/false are booleans, the rest is the text written."""
    return {"true": True, "false": False}.get(value.lower(), value)


def _metric_words(metric: Metric) -> set[str]:
    """Every word of the metric's names (identifier, label, synonyms), singular."""
    return {w for phrase in (humanise(metric.name), metric.label or "", *metric.meta.synonyms) for w in tokens(phrase)}


# what may follow the words of a negated variant: the end of the phrase (a period, a comma, the end, a joining word)
_PHRASE_ENDS = re.compile(r"\s*(?:$|[,;.?!)]|(?:last|this|next|in|for|on|at|during|since|from|yesterday|today|and|or"
                          r"|by|per|over|vs|versus|so|please)\b)")


def negated_variant(catalog: Catalog, base: Metric, low: str, after: int,
                    taken: list[tuple[int, int]]) -> tuple[Filter, list[tuple[int, int]]] | None:
    """"leads excluding referrals", where Referral leads is Leads under one more condition (base_and_condition):
    Leads without that condition's rows, the condition negated. The words after a negation (past `after`, the end of
    the base's mention, on no span in `taken`) must be a variant's own words beyond the base's, and name exactly one
    such variant. Returns the negated filter and the spans it used (the negation, the words), or None."""
    spans = word_spans(low)
    cues = {i: cue for i, (start, _, _) in enumerate(spans) if start >= after and (cue := cue_before(low, start))}
    if not cues or base.type != "simple" or base.measure is None:
        return None  # (most questions negate nothing: the catalog is not searched for variants)
    variants = [(v, found[1]) for v in catalog.supported_metrics()
                if v.type == "simple" and v.measure is not None and v.measure.name == base.measure.name
                and (found := base_and_condition(catalog, v)) is not None and found[0] == base.name]
    if not variants:
        return None
    base_words = _metric_words(base)
    own = [(_metric_words(v), flt) for v, flt in variants]
    for i, cue in cues.items():
        start = spans[i][0]
        for n in (3, 2, 1):  # the longest words that name one variant
            said = spans[i : i + n]
            words = {w for _, _, w in said}
            end = said[-1][1]
            if len(said) < n or words <= base_words or any(s < end and start < e for s, e in taken) \
                    or not _PHRASE_ENDS.match(low, end):
                continue  # (the whole phrase negated: "excluding the <delivery> platforms" is no Delivery orders)
            named = [flt for v_words, flt in own if words <= v_words <= words | base_words]
            if len(named) == 1:
                flt = named[0]
                return (Filter(dimension=flt.dimension, op="!=" if flt.op == "=" else "not in", values=flt.values),
                        [cue, (start, end)])
    return None


def share_of_value(catalog: Catalog, base: str, text: str) -> str | None:
    """"what % of ad revenue was programmatic": the one ratio of `base` to itself whose numerator keeps the rows of
    one value the question says (Programmatic share of ad revenue: ad revenue where buy type is Programmatic, over ad
    revenue). `text` is the question lower-cased; None where no such ratio, or several, or none of its value said."""
    found = []
    for m in catalog.supported_metrics():
        if m.type != "ratio" or m.numerator is None or m.denominator is None or m.numerator.name != base \
                or m.denominator.name != base or m.denominator.filter:
            continue
        conditions = _conditions(list(m.numerator.filter))
        if len(conditions) != 1 or conditions[0][1] != "=" or len(conditions[0][2]) != 1:
            continue
        value = re.escape(next(iter(conditions[0][2])))
        # (the value said, and not negated: "what % was not programmatic" is the other share, never this one)
        if any(not is_negated(text, *said.span()) for said in re.finditer(rf"(?<![a-z0-9]){value}(?![a-z0-9])", text)):
            found.append(m.name)
    return found[0] if len(found) == 1 else None

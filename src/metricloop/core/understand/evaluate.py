"""Scoring an interpreter on a question set (pure: the caller loads the YAML and runs the interpreter).

A case is `{q, category, expect, after?, split?}`. `expect.kind` is query | clarify | no_match |
unsupported. For a query every structural field is compared — metrics (order-free), group_by
(order-free), grain, where (as dimension/op/value sets), order_by, limit, compare — absent means
"none"; `time` ([start, end]) is compared when given. For clarify, `options` lists metrics that must
be among the offered options. `says` lists words the reply must show (the reason of a refusal, the
restatement of a query): a clarification names what it could not place. `after` is an earlier question
whose query is the context. With a catalog (`to_date_twins`), one figure of a running total over the period so
far and the plain metric over the same days are the same number: either metric is right.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, get_args

from metricloop.core.catalog.model import Catalog
from metricloop.core.query import METRIC_TIME, Compare, Filter, MetricQuery
from metricloop.core.text import has_cjk
from metricloop.core.understand.siblings import variant_of


@dataclass(frozen=True)
class Case:
    q: str
    category: str
    expect: dict[str, Any]
    after: str | None = None
    split: str = "dev"
    id: str = ""


@dataclass
class Outcome:
    case: Case
    ok: bool
    problems: list[str] = field(default_factory=list)
    got: Any = None

    @property
    def false_answer(self) -> bool:
        """Answered with a query that does not match: a number that does not answer what was asked (worse
        than a miss — clarify / no_match / unsupported where a query was expected only asks back)."""
        return not self.ok and getattr(self.got, "kind", None) == "query"


@dataclass(frozen=True)
class SliceFigures:
    """Accuracy and false-answer rate of a slice of the question set."""

    right: int
    total: int
    false: int

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0

    @property
    def false_rate(self) -> float:
        return self.false / self.total if self.total else 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready figures (rates rounded to 4 places)."""
        return {"right": self.right, "total": self.total, "accuracy": round(self.accuracy, 4),
                "false_answers": self.false, "false_answer_rate": round(self.false_rate, 4)}


def language_of(case: Case) -> str:
    """"zh" for a question with Chinese characters, else "en"."""
    return "zh" if has_cjk(case.q) else "en"


@dataclass
class Report:
    outcomes: list[Outcome]

    @property
    def accuracy(self) -> float:
        return sum(o.ok for o in self.outcomes) / len(self.outcomes) if self.outcomes else 0.0

    @property
    def false_answers(self) -> list[Outcome]:
        """Outcomes answered with a wrong query (see `Outcome.false_answer`)."""
        return [o for o in self.outcomes if o.false_answer]

    @property
    def false_rate(self) -> float:
        """Share of all questions answered with a wrong query."""
        return len(self.false_answers) / len(self.outcomes) if self.outcomes else 0.0

    def figures(self, key: Callable[[Case], str] | None = None) -> dict[str, SliceFigures]:
        """Right / total / false answers per group (`key`), or for the whole set under "overall"."""
        groups: dict[str, list[Outcome]] = defaultdict(list)
        for o in self.outcomes:
            groups[key(o.case) if key else "overall"].append(o)
        return {k: SliceFigures(sum(o.ok for o in v), len(v), sum(o.false_answer for o in v))
                for k, v in sorted(groups.items())}

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data: overall, per language and per category figures, and the failures."""
        return {
            "overall": self.figures()["overall"].as_dict() if self.outcomes else SliceFigures(0, 0, 0).as_dict(),
            "by_language": {k: v.as_dict() for k, v in self.figures(language_of).items()},
            "by_category": {k: v.as_dict() for k, v in self.figures(lambda c: c.category).items()},
            "answers_by_naming": self.answers_by_naming(),
            "failures": [{"q": o.case.q, "category": o.case.category, "language": language_of(o.case),
                          "false_answer": o.false_answer, "got": getattr(o.got, "kind", None),
                          "problems": o.problems} for o in self.failures],
        }

    def answers_by_naming(self) -> dict[str, dict[str, int]]:
        """Questions answered with a query, split by whether the question named the metric (`named` of the
        interpretation): how many, and how many of them wrongly — where wrong answers come from."""
        out = {"named": {"answered": 0, "false_answers": 0}, "unnamed": {"answered": 0, "false_answers": 0}}
        for o in self.outcomes:
            if getattr(o.got, "kind", None) == "query":
                side = out["named" if getattr(o.got, "named", False) else "unnamed"]
                side["answered"] += 1
                side["false_answers"] += o.false_answer
        return out

    def by(self, key: Callable[[Case], str]) -> dict[str, tuple[int, int]]:
        """(correct, total) per group, e.g. `report.by(lambda c: c.category)`."""
        out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for o in self.outcomes:
            out[key(o.case)][0] += o.ok
            out[key(o.case)][1] += 1
        return {k: (v[0], v[1]) for k, v in sorted(out.items())}

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]


COMPARES = get_args(Compare)


def parse_cases(data: dict[str, Any]) -> list[Case]:
    """Cases from a loaded YAML document (`questions: [...]`). A comparison the query model has no name for is a
    ValueError naming the question: spelt "previous" it would score every right answer as a false one."""
    cases = []
    for i, raw in enumerate(data.get("questions", [])):
        compare = (raw.get("expect") or {}).get("compare")
        if compare is not None and compare not in COMPARES:
            raise ValueError(f"question {i + 1} ({raw.get('q')!r}): compare is {compare!r}; it must be one of "
                             + ", ".join(COMPARES))
        cases.append(Case(q=str(raw["q"]), category=str(raw.get("cat") or raw.get("category") or "general"),
                          expect=dict(raw.get("expect") or {}), after=raw.get("after"),
                          split=str(raw.get("split", "holdout" if i % 5 == 4 else "dev")), id=str(raw.get("id", i))))
    return cases


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _filter(dimension: str, op: str, values: Sequence[Any]) -> tuple[str, str, frozenset[str]]:
    """One filter as compared: `=` is `in`; a yes/no `!= false` is `= true` (SQL keeps the same rows: neither
    keeps a NULL)."""
    said = frozenset(map(str, values))
    if op in ("!=", "not in") and len(said) == 1 and said <= {"True", "False"}:
        return dimension, "in", frozenset({"True" if said == {"False"} else "False"})
    return dimension, op if op not in ("=", "in") else "in", said


def _filters(query: MetricQuery) -> set[tuple[str, str, frozenset[str]]]:
    return {_filter(f.dimension, f.op, f.values) for f in query.where}


def _expected_filters(items: list[Any]) -> set[tuple[str, str, frozenset[str]]]:
    return {_filter(dim, op, values if isinstance(values, list) else [values]) for dim, op, values in items}


def _period_start(day: dt.date, grain: str) -> dt.date | None:
    """The first day of the `grain` period holding `day` (None for an unknown grain)."""
    starts = {"day": day, "week": day - dt.timedelta(days=day.weekday()), "month": day.replace(day=1),
              "quarter": day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1), "year": day.replace(month=1, day=1)}
    return starts.get(grain)


def _one_row_either_way(expect: dict[str, Any], query: MetricQuery) -> bool:
    """A series at one grain over exactly one period of that grain is one row: the same number as the total
    over the period ("net sales YoY growth last month" by month or as one figure). Either reading is right."""
    grain = expect.get("grain") or query.grain
    if (expect.get("grain") is None) == (query.grain is None) or not expect.get("time") or query.time_range is None:
        return False
    start, end = (_date(d) for d in expect["time"])
    return (start, end) == (query.time_range.start, query.time_range.end) and _period_start(start, grain) == start \
        and _period_start(end, grain) == start


def _one_value(query: MetricQuery) -> set[str]:
    """The dimensions the query keeps to one value: a breakdown by one of them is one row, the same number as the
    filtered total ("revenue by city" → "only Dallas": Dallas alone, with or without its column). Either reading is
    right."""
    return {f.dimension for f in query.where if f.op in ("=", "in") and len(f.values) == 1}


# (expected metric, interpreted metric, the interpreted query) → the same number
Twins = Callable[[str, str, MetricQuery], bool]


def to_date_twins(catalog: Catalog) -> Twins:
    """"net sales MTD" as one figure: the catalog's Net sales MTD (a running total from the start of each month)
    and Net sales over the month so far are one number, whichever metric a set's author wrote down."""
    def same(want: str, got: str, query: MetricQuery) -> bool:
        a, b = catalog.metric(want), catalog.metric(got)
        if a is None or b is None or query.grain is not None or query.time_range is None or query.compare:
            return False
        running, plain = (a, b) if a.type == "cumulative" else (b, a)
        return running.type == "cumulative" and running.grain_to_date is not None and running.window is None \
            and variant_of(running, plain) \
            and _period_start(query.time_range.start, running.grain_to_date) == query.time_range.start \
            and _period_start(query.time_range.end, running.grain_to_date) == query.time_range.start
    return same


def compare_query(expect: dict[str, Any], query: MetricQuery, twins: Twins | None = None) -> list[str]:
    """Differences between an expected query (case `expect`) and an interpreted one."""
    problems = []

    def check(name: str, want: Any, got: Any) -> None:
        if want != got:
            problems.append(f"{name}: expected {want!r}, got {got!r}")

    wanted, got = set(expect.get("metrics", [])), set(query.metrics)
    if twins and len(wanted) == len(got) == 1 and twins(next(iter(wanted)), next(iter(got)), query):
        wanted = got  # the same number under the other name
    check("metrics", wanted, got)
    one_row = _one_value(query)
    check("group_by", set(expect.get("group_by", [])) - one_row,
          set(g for g in query.group_by if g != METRIC_TIME) - one_row)
    if not _one_row_either_way(expect, query):
        check("grain", expect.get("grain"), query.grain)
    check("where", _expected_filters(expect.get("where", [])), _filters(query))
    check("order", [tuple(o) for o in expect.get("order", [])], [(o.field, o.descending) for o in query.order_by])
    check("limit", expect.get("limit"), query.limit)
    check("compare", expect.get("compare"), query.compare)
    if "time" in expect:  # `time: null` expects all time (no time constraint)
        want = tuple(_date(d) for d in expect["time"]) if expect["time"] is not None else None
        got = (query.time_range.start, query.time_range.end) if query.time_range else None
        check("time", want, got)
    return problems


# (the interpreted query with the expected filters, the interpreted query) → both return the same rows
SameRows = Callable[[MetricQuery, MetricQuery], bool]


def _with_expected_filters(expect: dict[str, Any], query: MetricQuery) -> MetricQuery | None:
    """The interpreted query with the filters the case expects instead of its own (None if they cannot be built)."""
    where = []
    try:
        for dim, op, values in expect.get("where", []):
            said = tuple(values if isinstance(values, list) else [values])
            several = {"=": "in", "!=": "not in"}.get(op, op) if len(said) > 1 else op
            where.append(Filter(dimension=dim, op=several, values=said))
    except ValueError:
        return None
    return query.model_copy(update={"where": tuple(where)})


def score_case(case: Case, interpretation: Any, twins: Twins | None = None,
               same_rows: SameRows | None = None) -> Outcome:
    """Compare one Interpretation (core.understand) with the case's expectation. `same_rows`: where the filters alone
    differ, whether the expected ones select the same rows in the warehouse ("Tampa" as the city or as the one
    branch there, "Tampa Bay") — the same number, answered right; likewise a governed metric that holds a filter the
    case puts on another metric (High-priority work orders for Work orders where priority is High)."""
    want = case.expect.get("kind", "query")
    if isinstance(want, list):  # several acceptable refusals ("no_match or clarify")
        want = interpretation.kind if interpretation.kind in want and interpretation.kind != "query" else want[0]
    if interpretation.kind != want:
        detail = interpretation.query.model_dump(exclude_defaults=True) if interpretation.query else \
            [o.metric for o in interpretation.options]
        why = f"kind: expected {want}, got {interpretation.kind} ({detail}; {interpretation.reason})"
        return Outcome(case, False, [why], interpretation)
    problems: list[str] = []
    if want == "query":
        problems = compare_query(case.expect, interpretation.query, twins)
        if same_rows and problems and all(p.startswith("where:") for p in problems):
            expected = _with_expected_filters(case.expect, interpretation.query)
            if expected is not None and same_rows(expected, interpretation.query):
                problems = []
        elif same_rows and {p.split(":")[0] for p in problems} == {"metrics", "where"} \
                and len(case.expect.get("metrics", [])) == len(interpretation.query.metrics) == 1 \
                and _filters(interpretation.query) < _expected_filters(case.expect.get("where", [])):
            # "only high priority ones" answered with the governed High-priority work orders where the case filters
            # Work orders on priority: the same rows, the same number, under the metric's own name
            expected = _with_expected_filters(case.expect, interpretation.query)
            named = expected.model_copy(update={"metrics": tuple(case.expect["metrics"])}) if expected else None
            if named is not None and same_rows(named, interpretation.query):
                problems = []
    elif want == "clarify" and case.expect.get("options"):
        offered = {o.metric for o in interpretation.options}
        missing = set(case.expect["options"]) - offered
        if missing:
            problems.append(f"options: {sorted(missing)} not among {sorted(offered)}")
    shown = (interpretation.restatement if want == "query" else interpretation.reason) or ""
    problems += [f"says: {word!r} not in {shown!r}" for word in case.expect.get("says", ())
                 if word.lower() not in shown.lower()]
    return Outcome(case, not problems, problems, interpretation)


def evaluate(cases: list[Case], interpret: Callable[[str, MetricQuery | None], Any],
             twins: Twins | None = None, same_rows: SameRows | None = None) -> Report:
    """Run `interpret(text, context)` over the cases and score each (`twins`: see to_date_twins; `same_rows`: see
    score_case)."""
    outcomes = []
    for case in cases:
        context = None
        if case.after:
            first = interpret(case.after, None)
            context = first.query
        outcomes.append(score_case(case, interpret(case.q, context), twins, same_rows))
    return Report(outcomes)

"""Property: whatever the policy, the user and the question, no answer holds a row outside the user's policy.

Hypothesis draws an `access:` section (default, groups with members written as ids or e-mails, row filters,
metric and domain rules), a user and a MetricQuery of any shape (breakdowns, filters, comparisons,
cumulative, derived, ratio, top-N) plus a follow-up on it, and a digest. The answer under the user's policy must
equal the operator's answer over a copy of the warehouse that holds only the allowed rows (oracle in
policy_world, written without the code under test), or be `denied` exactly when the user may not see a metric
or a row filter cannot be applied, or be asked back (`clarify`, as for a word that is no value) when a filter
names a value outside the user's rows — and neither carries a number, SQL or rows.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.policy_world import (
    GROUPS,
    METRICS,
    USERS,
    VALUES,
    allowed_metrics,
    allowed_rows,
    answerable,
    build_warehouse,
    dims_for,
    filtered_schema,
    same_rows,
    visible_values,
)
from metricloop.adapters.catalog_files import load_catalog
from metricloop.clock import FixedClock
from metricloop.core.catalog.access import Identity
from metricloop.core.compile.compiler import compile_query
from metricloop.core.query import MetricQuery
from metricloop.errors import UserError
from metricloop.loop.digest_targets import DigestTarget
from metricloop.loop.digester import Digester
from metricloop.service import MetricService
from metricloop.thread_state import ThreadState

TODAY = dt.date(2026, 6, 30)
BASE = load_catalog("tests/fixtures/catalogs/governed")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    wh = build_warehouse(tmp_path_factory.mktemp("governed") / "governed.duckdb")
    yield wh
    wh.close()


# -- strategies ---------------------------------------------------------------------------------------------
@st.composite
def accesses(draw) -> dict[str, Any]:
    groups = {}
    for g in draw(st.lists(st.sampled_from(GROUPS), unique=True, max_size=3)):
        rows = {}
        for dim in draw(st.lists(st.sampled_from(sorted(VALUES)), unique=True, max_size=2)):
            rows[dim] = draw(st.lists(st.sampled_from(VALUES[dim]), unique=True, min_size=1))
        groups[g] = {"members": draw(st.lists(st.sampled_from(USERS), unique=True, max_size=3)), "rows": rows}
    rule = st.lists(st.sampled_from([*groups, "everyone"]), unique=True, max_size=2)
    return {"default": draw(st.sampled_from(["open", "closed"])), "groups": groups,
            "metrics": draw(st.dictionaries(st.sampled_from(METRICS), rule, max_size=4)),
            "domains": draw(st.dictionaries(st.sampled_from(["sales", "finance", "growth"]), rule, max_size=2))}


def as_loop(access: dict[str, Any], by_email: bool) -> dict[str, Any]:
    """The access section as loop.yml would hold it: members written as ids or as their e-mails."""
    groups = {g: {"members": [f"{u.lower()}@example.com" if by_email else u for u in spec["members"]],
                  **({"rows": spec["rows"]} if spec["rows"] else {})} for g, spec in access["groups"].items()}
    return {"access": {**access, "groups": groups}}


@st.composite
def queries(draw) -> MetricQuery:
    metrics = tuple(draw(st.lists(st.sampled_from(METRICS), unique=True, min_size=1, max_size=2)))
    dims = dims_for(metrics)
    group_by = draw(st.lists(st.sampled_from(dims), unique=True, max_size=1)) if dims else []
    grain = draw(st.sampled_from([None, None, "month", "quarter"]))
    where = []
    if dims and draw(st.booleans()):
        dim = draw(st.sampled_from(dims))
        where.append({"dimension": dim, "op": draw(st.sampled_from(["=", "!="])),
                      "values": [draw(st.sampled_from(VALUES[dim]))]})
    start = draw(st.dates(dt.date(2025, 1, 1), dt.date(2026, 3, 1)))
    time_range = draw(st.sampled_from([None, {"start": start, "end": start + dt.timedelta(days=100)}]))
    compare = draw(st.sampled_from([None, None, "previous_period", "year_over_year"]))
    if compare and time_range is None and grain is None:
        time_range = {"start": start, "end": start + dt.timedelta(days=30)}
    order_by, limit = [], None
    if draw(st.booleans()):  # top-N
        order_by, limit = [{"field": metrics[0], "descending": True}], draw(st.integers(1, 4))
    return MetricQuery.model_validate({"metrics": metrics, "group_by": group_by, "grain": grain, "where": where,
                                       "time_range": time_range, "compare": compare, "order_by": order_by,
                                       "limit": limit})


# -- the oracle ---------------------------------------------------------------------------------------------
def expected(warehouse, access: dict[str, Any], user: str, query: MetricQuery) -> tuple[str, list | None]:
    """('denied', None), ('error', None) or ('answered', rows), decided without the code under test's policy."""
    rows = allowed_rows(access, user)
    if not set(query.metrics) <= allowed_metrics(access, user) or not answerable(query.metrics, rows):
        return "denied", None
    if rows and any(v not in visible_values(warehouse, rows, f.dimension) for f in query.where for v in f.values):
        # a value outside the user's rows is never confirmed, neither by an (empty) answer nor by a denial:
        # asked in words, it reads as a word that is no value
        return "clarify", None
    try:
        compiled = compile_query(BASE, query, schema=filtered_schema(warehouse, rows), as_of=TODAY)
    except UserError:
        return "error", None
    return "answered", [list(r) for r in warehouse.run(compiled).rows]


def check(answer, outcome: tuple[str, list | None]) -> None:
    status, rows = outcome
    assert answer.status == status, (answer.status, answer.message)
    if status == "answered":
        assert same_rows(answer.rows, rows)
    if status in ("denied", "clarify"):  # nothing but metric names: no rows, no SQL, no number
        assert answer.rows == [] and answer.sql is None and answer.columns == []
        text = answer.message
        for name in sorted(METRICS, key=len, reverse=True):
            text = text.replace(name, "")
        assert not re.search(r"\d", text), answer.message


@dataclass(frozen=True)
class Interpretation:
    """Shaped like core.understand's Interpretation (what MetricService.ask reads)."""

    query: MetricQuery
    kind: str = "query"
    language: str = "en"
    restatement: str | None = None
    reason: str | None = None
    options: tuple = ()


@dataclass
class Scripted:
    """An Interpreter that reads 'first' as the drawn query and 'then' as the drawn follow-up on the thread."""

    first: MetricQuery
    changes: dict[str, Any]
    value_index = None

    def refresh_values(self) -> None:
        pass

    def interpret(self, text: str, *, today: Any = None, context: MetricQuery | None = None,
                  choose_metric: str | None = None) -> Any:
        query = self.first if text == "first" else context.with_changes(**self.changes)
        return Interpretation(query)


follow_ups = st.sampled_from([{"limit": None, "order_by": ()}, {"compare": None}, {"group_by": ()},
                              {"grain": "month"}, {"where": ()}])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(access=accesses(), user=st.sampled_from(USERS), by_email=st.booleans(), query=queries(),
       follow=follow_ups)
def test_no_row_outside_the_policy(warehouse, access, user, by_email, query, follow):
    catalog = BASE.model_copy(update={"loop": as_loop(access, by_email)})
    identity = Identity(user_id=user, email=f"{user.lower()}@example.com", handle=f"@{user.lower()}")
    service = MetricService(catalog=catalog, warehouse=warehouse, clock=FixedClock(TODAY),
                            understander=Scripted(query, follow))
    answer, state = service.ask_in_thread(ThreadState(), "first", user=identity)
    check(answer, expected(warehouse, access, user, query))
    if state.context is not None:  # a follow-up in the thread is held to the same policy
        try:
            second_query = state.context.with_changes(**follow)
        except ValueError:
            return
        second, _ = service.ask_in_thread(state, "then", user=identity)
        check(second, expected(warehouse, access, user, second_query))


class _NoLoopRecords:
    """A digest store with no alerts, actions or adjustments."""

    def adjustments(self, metric=None, kind=None):
        return []

    def alerts(self, **_):
        return []

    def actions(self, **_):
        return []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(access=accesses(), user=st.sampled_from(USERS),
       metrics=st.lists(st.sampled_from(METRICS), unique=True, min_size=1, max_size=3))
def test_digest_readings_stay_inside_the_policy(warehouse, access, user, metrics):
    """A user's digest holds exactly the visible metrics, each read from the allowed rows only."""
    catalog = BASE.model_copy(update={"loop": as_loop(access, by_email=False)})
    target = DigestTarget(user, "user", tuple(metrics))
    got = Digester(MetricService(catalog=catalog, warehouse=warehouse, clock=FixedClock(TODAY)),
                   _NoLoopRecords()).build(target, TODAY)
    rows = allowed_rows(access, user)
    visible = [m for m in metrics if m in allowed_metrics(access, user) and answerable((m,), rows)]
    oracle = MetricService(catalog=BASE.model_copy(update={"loop": {}}), warehouse=warehouse, clock=FixedClock(TODAY),
                           schema=filtered_schema(warehouse, rows))
    want = Digester(oracle, _NoLoopRecords()).build(DigestTarget(user, "user", tuple(visible)), TODAY)
    assert [line.reading for line in got.lines] == [line.reading for line in want.lines]

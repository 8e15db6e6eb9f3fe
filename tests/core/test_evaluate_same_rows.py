"""A filter other than the one expected is right when it selects the same rows (core/understand/evaluate)."""
from __future__ import annotations

from metricloop.core.query import Filter, MetricQuery
from metricloop.core.understand.evaluate import Case, score_case
from metricloop.core.understand.interpreter import Interpretation

TAMPA = Interpretation(kind="query", query=MetricQuery(metrics=("job_revenue",), where=(
    Filter(dimension="branch__city", op="!=", values=("Tampa",)),)))
CASE = Case(q="除了Tampa以外的营收", category="negation",
            expect={"metrics": ["job_revenue"], "where": [["branch__branch_name", "!=", "Tampa Bay"]]})


def test_the_same_rows_by_another_dimension_are_right() -> None:
    asked = []

    def same_rows(expected: MetricQuery, interpreted: MetricQuery) -> bool:
        asked.append(expected.where)
        return True

    assert score_case(CASE, TAMPA, same_rows=same_rows).ok
    assert asked == [(Filter(dimension="branch__branch_name", op="!=", values=("Tampa Bay",)),)]


def test_other_rows_are_a_false_answer() -> None:
    outcome = score_case(CASE, TAMPA, same_rows=lambda expected, interpreted: False)
    assert not outcome.ok and outcome.false_answer


def test_the_rows_are_compared_only_where_the_filters_alone_differ() -> None:
    other_metric = Case(q=CASE.q, category="negation", expect={**CASE.expect, "metrics": ["completed_jobs"]})
    outcome = score_case(other_metric, TAMPA, same_rows=lambda expected, interpreted: True)
    assert not outcome.ok and any(p.startswith("metrics") for p in outcome.problems)


URGENT = Interpretation(kind="query", query=MetricQuery(metrics=("urgent_work_orders",)))
FILTERED = Case(q="only high priority ones", category="followup",
                expect={"metrics": ["work_orders"], "where": [["work_order__priority", "=", "High"]]})


def test_a_metric_holding_the_expected_filter_is_right_when_its_rows_are_the_same() -> None:
    asked = []

    def same_rows(expected: MetricQuery, interpreted: MetricQuery) -> bool:
        asked.append((expected.metrics, expected.where, interpreted.metrics))
        return True

    assert score_case(FILTERED, URGENT, same_rows=same_rows).ok
    assert asked == [(("work_orders",), (Filter(dimension="work_order__priority", op="=", values=("High",)),),
                      ("urgent_work_orders",))]
    assert not score_case(FILTERED, URGENT, same_rows=lambda expected, interpreted: False).ok

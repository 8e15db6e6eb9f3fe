"""Action review verdicts, table-driven from tests/fixtures/loop/review_cases.yml."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from metricloop.core.loop.review import review

CASES = YAML(typ="safe").load((Path(__file__).parents[2] / "fixtures" / "loop" / "review_cases.yml").read_text())
START = dt.date(2026, 3, 1)


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["name"] for c in CASES["cases"]])
def test_review_verdict(case):
    points = [(START + dt.timedelta(days=i), a, e) for i, (a, e) in enumerate(case["days"])]
    verdict = review(points, value_then=case["then"]["value"], expected_then=case["then"]["expected"])
    assert verdict.outcome == case["outcome"]
    if case["closed"] is None:
        assert verdict.closed is None and verdict.days == 0
    else:
        assert verdict.closed == pytest.approx(case["closed"], abs=1e-3)
        usable = [(a, e) for a, e in case["days"] if a is not None and e is not None]
        assert verdict.days == len(usable)
        assert verdict.actual == pytest.approx(sum(a for a, _ in usable) / len(usable))
        assert verdict.gap_then == pytest.approx(case["then"]["value"] - case["then"]["expected"])

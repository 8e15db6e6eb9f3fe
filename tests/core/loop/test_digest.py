"""Digest content, table-driven from tests/fixtures/loop/digest_cases.yml: changes, progress to target,
ordering by what moved most, tiers strategic first, and the empty digest that is not sent."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from metricloop.adapters.catalog_files import load_catalog
from metricloop.core.loop.digest import Reading, accumulates, build_digest, latest_complete

FIXTURES = Path(__file__).parents[2] / "fixtures" / "loop"
CASES = YAML(typ="safe").load((FIXTURES / "digest_cases.yml").read_text())["cases"]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(FIXTURES / "catalog")


def _reading(row: dict, day: dt.date) -> Reading:
    return Reading(period=latest_complete(day)[0], **row)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_digest_content(case, catalog):
    day = case["day"]
    digest = build_digest(catalog, "#sales", day, [_reading(r, day) for r in case["readings"]],
                          adjustments=case.get("adjustments"))
    assert digest.empty is case["empty"]
    if "order" in case:
        assert {tier: [line.metric for line in lines] for tier, lines in digest.sections} == case["order"]
        assert [tier for tier, _ in digest.sections] == list(case["order"])  # strategic, operational, execution
    by_metric = {line.metric: line for line in digest.lines}
    for metric, want in (case.get("lines") or {}).items():
        line = by_metric[metric]
        for key in ("change", "change_year"):
            if key in want:
                assert getattr(line, key) == (None if want[key] is None else pytest.approx(want[key])), (metric, key)
        if "progress" in want:
            got, exp = line.progress, want["progress"]
            assert got is not None, metric
            assert got.share == pytest.approx(exp["share"], abs=1e-4)
            assert got.pace == (None if exp["pace"] is None else pytest.approx(exp["pace"], abs=1e-4))
            assert got.on_track is exp["on_track"], metric


@pytest.mark.parametrize(("metric", "expected"), [
    ("revenue", True), ("orders", True), ("revenue_ytd", True), ("net_orders", True),  # sums, counts, to-date
    ("aov", False), ("conversion_rate", False), ("revenue_per_session", False),          # ratios are levels
])
def test_which_metrics_accumulate_towards_their_target(catalog, metric, expected):
    assert accumulates(catalog, catalog.metric(metric)) is expected


@pytest.mark.parametrize(("day", "grain", "period"), [
    ("2026-03-11", "day", ("2026-03-10", "2026-03-10")),
    ("2026-03-11", "week", ("2026-03-02", "2026-03-08")),  # Wednesday: the last full ISO week
    ("2026-03-01", "month", ("2026-02-01", "2026-02-28")),
])
def test_latest_complete_period(day, grain, period):
    got = latest_complete(dt.date.fromisoformat(day), grain)
    assert tuple(d.isoformat() for d in got) == period


def test_json_shape(catalog):
    day = dt.date(2026, 3, 11)
    digest = build_digest(catalog, "#sales", day, [Reading("revenue", dt.date(2026, 3, 10), 10.0, 8.0, to_date=5e4)])
    out = digest.to_json()
    assert out["target"] == "#sales" and out["day"] == "2026-03-11" and out["empty"] is False
    assert out["metrics"][0]["metric"] == "revenue" and out["metrics"][0]["change"] == pytest.approx(0.25)
    assert out["metrics"][0]["target"]["value"] == 100000

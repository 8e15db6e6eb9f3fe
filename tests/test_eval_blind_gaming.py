"""The blind gaming question set (tests/fixtures/blind_gaming): its own checks beside the shared ones of
tests/test_blind_soundness.py — the questions' today, filtered metrics and flag dimensions in the catalog, and the
warehouse ending the day before today."""
from __future__ import annotations

import duckdb

from blind_fixture import BlindSet
from test_generality import build_warehouse

FOLDER = "blind_gaming"
BLIND = BlindSet(FOLDER)


def test_today_is_the_day_after_the_data():
    assert str(BLIND.questions["today"]) == "2026-11-27"


def test_the_catalog_has_filtered_metrics_and_flag_dimensions():
    metrics = BLIND.metrics()
    assert sum("{{ Dimension(" in m.get("filter", "") for m in metrics) >= 2
    flags = [d for doc in BLIND.catalog for model in doc.get("semantic_models", []) for d in model.get("dimensions", [])
             if d["name"].startswith(("is_", "retained_"))]
    assert len(flags) >= 2


def test_the_warehouse_ends_the_day_before_today(tmp_path):
    warehouse = build_warehouse(FOLDER, tmp_path / f"{FOLDER}.duckdb")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        last = con.execute("SELECT max(activity_date) FROM fct_player_daily_activity").fetchone()[0]
    assert last.isoformat() == "2026-11-26"

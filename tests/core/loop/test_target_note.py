"""Answers measured against their target when the question asks (core/loop/target_note): under way on pace,
a whole period met or missed, a level against its level, and honest words where the metric has no target or the
answer does not cover one target period. The interpreter reads the asking words in English and Chinese."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.embeddings import FakeEmbedder
from metricloop.adapters.value_index import StaticValueIndex
from metricloop.core.answer import Answer, Column
from metricloop.core.loop.target_note import target_note
from metricloop.core.query import MetricQuery, TimeRange
from metricloop.core.understand.interpreter import Understander

ROOT = Path(__file__).resolve().parents[3]
CATALOG = load_catalog(ROOT / "catalog")
NOV, OCT, Q3 = ("2026-11-01", "2026-11-27"), ("2026-10-01", "2026-10-31"), ("2026-07-01", "2026-09-30")


def _answer(metric: str, value: float, span: tuple[str, str] | None, by: tuple[str, ...] = ()) -> Answer:
    rng = TimeRange(start=dt.date.fromisoformat(span[0]), end=dt.date.fromisoformat(span[1])) if span else None
    query = MetricQuery(metrics=[metric], group_by=list(by), time_range=rng)
    columns = [Column(name=b, label=b, role="dimension") for b in by] + [Column(name=metric, label=metric,
                                                                                role="metric", metric=metric)]
    return Answer(status="answered", query=query, columns=columns, rows=[[*(["East"] if by else []), value]])


CASES = [  # metric, value, period, breakdown, language, words the note must hold
    ("revenue", 7_312_140, NOV, (), "en", ["$7.31M of the $8M month target", "90% of the month gone", "on track"]),
    ("orders", 58_300, NOV, (), "en", ["of the 65K month target", "behind"]),
    ("revenue", 7_850_000, OCT, (), "en", ["$7.85M against the $8M month target", "98%", "missed"]),
    ("refund_rate", 0.0443, OCT, (), "en", ["4.43% against the 5.00% month target", "lower is better", "met"]),
    ("revenue", 7_850_000, OCT, (), "zh", ["月目标", "未达成"]),
    ("revenue", 21_700_000, Q3, (), "en", ["Revenue's target is $8M per month"]),
    ("revenue", 2_000_000, OCT, ("order__region",), "en", ["target is $8M per month"]),
    ("revenue", 50_000_000, None, (), "en", ["target is $8M per month"]),
    ("sessions", 94_500, NOV, (), "en", ["Sessions has no governed target"]),
    # whole percents would read 100% beside "missed"
    ("revenue", 7_993_888, OCT, (), "en", ["(99.9%; higher is better): missed"]),
]


@pytest.mark.parametrize(("metric", "value", "span", "by", "lang", "words"), CASES)
def test_the_note(metric, value, span, by, lang, words):
    note = target_note(CATALOG, _answer(metric, value, span, by), lang) or ""
    assert all(w in note for w in words), note


def test_an_owners_newer_target_wins():
    note = target_note(CATALOG, _answer("revenue", 7_850_000, OCT), "en", {"revenue": [{"value": 7_000_000}]})
    assert "$7M month target" in note and "met" in note


@pytest.fixture(scope="module")
def demo() -> Understander:
    return Understander(CATALOG, FakeEmbedder(), StaticValueIndex({("orders", "status"): ["completed", "cancelled"]}))


@pytest.mark.parametrize(("question", "asks"), [
    ("revenue vs target this month", True), ("are we on track for orders this month", True),
    ("本月收入完成目标了吗", True), ("上个月退款率达标了吗", True), ("revenue last month", False),
    ("completed orders last month", False), ("revenue goal for october", True),
])
def test_the_interpreter_reads_the_asking_words(demo, question, asks):
    got = demo.interpret(question, today=dt.date(2026, 11, 27))
    assert got.kind == "query", got.reason
    assert got.asks_target is asks
    assert not any(f.values == ("completed",) for f in got.query.where) or "completed" in question


def test_the_runtime_reads_owners_targets_from_the_store(tmp_path):
    """An owner's `target 7M per month` reply, stored, is what an answer is measured against (runtime wiring)."""
    from metricloop.adapters.store_open import open_store
    from metricloop.runtime import _target_adjustments

    store = open_store(tmp_path / "store.db")
    store.add_adjustment("revenue", "target", {"value": 7_000_000, "period": "month"}, author="U1")
    store.add_adjustment("revenue", "annotation", {"text": "promo"}, author="U1")
    adjustments = _target_adjustments(store)
    assert adjustments == {"revenue": [{"value": 7_000_000, "period": "month"}]}
    note = target_note(CATALOG, _answer("revenue", 7_850_000, OCT), "en", adjustments)
    assert "$7M month target" in note and "met" in note

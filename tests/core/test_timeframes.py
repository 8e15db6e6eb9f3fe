"""Table-driven tests for core/time: every row of tests/fixtures/timeframes.tsv asserts an exact answer."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from metricloop.core.query import TimeRange
from metricloop.core.time.phrases import (
    describe_range,
    detect_language,
    find_compare,
    find_grain,
    find_time_range,
)
from metricloop.core.time.ranges import comparison_range
from metricloop.core.time.words import finer_grain_match

FIXTURE = Path(__file__).parents[1] / "fixtures" / "timeframes.tsv"


def _table(check: str) -> list[tuple[int, list[str]]]:
    """(line number, columns after the check name) for every fixture row of one kind."""
    rows = []
    for n, line in enumerate(FIXTURE.read_text(encoding="utf-8").splitlines(), 1):
        cols = line.split("\t")
        if line and not line.startswith("#") and cols[0] == check:
            rows.append((n, cols[1:]))
    return rows


def _rows(check: str, *lead: object) -> list:
    return [pytest.param(*lead, cols, id=f"{n}:{cols[1]}") for n, cols in _table(check)]


def _range(text: str) -> TimeRange:
    start, end = text.split("..")
    return TimeRange(start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end))


def _none(value: str) -> str | None:
    return None if value == "-" else value


@pytest.mark.parametrize("row", _rows("range"))
def test_time_range(row: list[str]) -> None:
    today, text, *expected = row
    got = find_time_range(text, dt.date.fromisoformat(today))
    if expected == ["-"]:
        assert got is None, f"no period expected in {text!r}, got {got}"
        return
    start, end, label, grain, kind, words = expected
    assert got is not None, f"no period found in {text!r}"
    assert (got.range.start.isoformat(), got.range.end.isoformat()) == (start, end)
    assert got.label == label
    assert got.grain_hint == _none(grain)
    assert got.kind == kind
    assert text[got.span.start:got.span.end] == words


@pytest.mark.parametrize(("finder", "row"), _rows("grain", find_grain) + _rows("compare", find_compare))
def test_grain_and_compare_words(finder, row: list[str]) -> None:
    _, text, *expected = row
    got = finder(text)
    if expected == ["-"]:
        assert got is None
        return
    assert got is not None
    assert (got[0], text[got[1].start:got[1].end]) == (expected[0], expected[1])


@pytest.mark.parametrize("row", _rows("window"))
def test_comparison_range(row: list[str]) -> None:
    _, rng, compare, grain, start, end = row
    got = comparison_range(_range(rng), compare, _none(grain))  # type: ignore[arg-type]
    assert (got.start.isoformat(), got.end.isoformat()) == (start, end)


@pytest.mark.parametrize("row", _rows("describe"))
def test_describe_range(row: list[str]) -> None:
    lang, rng, label = row
    assert describe_range(_range(rng), lang) == label


@pytest.mark.parametrize("row", _rows("lang"))
def test_detect_language(row: list[str]) -> None:
    _, text, lang = row
    assert detect_language(text) == lang


def test_fixture_is_large_enough() -> None:
    """The brief asks for at least 120 range cases, 40 of them Chinese, and some other todays."""
    ranges = [r.values[0] for r in _rows("range")]
    chinese = [r for r in ranges if any("\u4e00" <= ch <= "\u9fff" for ch in r[1])]
    assert len(ranges) >= 120 and len(chinese) >= 40
    assert len({r[0] for r in ranges}) >= 4
    assert sum(r[2:] == ["-"] for r in ranges) >= 8


@pytest.mark.parametrize("row", _rows("range"))
def test_no_range_reaches_past_today_and_removing_the_words_leaves_no_period(row: list[str]) -> None:
    """Invariants over every question: ranges stop at today (unless wholly future), and the span covers the
    period words, so the rest of the text names no period (what the caller relies on to read the rest)."""
    today_s, text, *_ = row
    today = dt.date.fromisoformat(today_s)
    got = find_time_range(text, today)
    if got is None:
        return
    assert got.range.end <= today or got.range.start > today
    rest = text[:got.span.start] + " " + text[got.span.end:]
    leftover = find_time_range(rest, today)
    # only comparison words ("vs last year") may still hold period words, and to-date words beside a named period
    # ("running month-to-date revenue for October": the running total over October, read with the metric)
    to_date = leftover is not None and leftover.label.endswith(("to date", "至今", "以来"))
    assert leftover is None or find_compare(rest) is not None or to_date, f"{rest!r} still has {leftover}"


@pytest.mark.parametrize(("question", "finer"), [
    ("revenue by hour yesterday", "hour"),
    ("按小时看昨天的订单", "hour"),
    # a time of day is a part of a day, which no daily row holds (asked back, never the whole day)
    ("calls between 8am and 9am yesterday", "hour"),
    ("calls at 3:30 pm", "hour"),
    ("昨天早上8点到9点之间进来多少个电话", "hour"),
    ("昨天3点到5点的订单", "hour"),
    # points of a rate and years are no time of day
    ("涨了2个点", None),
    ("提升了3点", None),
    ("revenue in 2024", None),
])
def test_a_grain_finer_than_a_day(question: str, finer: str | None) -> None:
    got = finer_grain_match(question)
    assert (got[0] if got else None) == finer

"""The detector on synthetic daily business series (planted incidents) and on NAB's labelled NYC taxi series."""
from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from metricloop.core.loop.detect import DetectorSettings, Judgement, expected_value, judge_day, scan

NAB = Path(__file__).resolve().parents[2] / "fixtures" / "nab"
START = dt.date(2024, 1, 1)
WEEKLY = np.array([1.0, 1.05, 1.08, 1.1, 1.15, 0.8, 0.75])  # Monday..Sunday


def series(seed: int, n: int = 240, noise: float = 0.04, trend: float = 0.001, level: float = 1000.0):
    """Weekly seasonality x linear trend x heavy-tailed (Student t, 6 df) multiplicative noise."""
    rng = np.random.default_rng(seed)
    days = [START + dt.timedelta(days=i) for i in range(n)]
    shape = WEEKLY[[d.weekday() for d in days]] * (1 + trend * np.arange(n))
    noise_ = rng.standard_t(6, n) * noise / np.sqrt(6 / 4)
    return days, list(level * shape * (1 + noise_))


def anomalies(js: list[Judgement]) -> dict[dt.date, Judgement]:
    return {j.day: j for j in js if j.anomalous}


@pytest.mark.parametrize("trend", [0.0, 0.002, -0.001])
def test_clean_series_raise_at_most_one_false_alarm_per_30_days(trend):
    judged = alarms = 0
    for seed in range(20):
        days, values = series(seed, trend=trend)
        js = scan(days, values, DetectorSettings(), start=days[60], end=days[-1])
        judged += len(js)
        alarms += len(anomalies(js))
    assert judged == 20 * 180
    # The issue asks for <= 1 per 30 days; the detector measures ~0.1, so a regression shows well before that.
    assert alarms * 30 / judged <= 0.3, f"{alarms} false alarms in {judged} days"


@pytest.mark.parametrize("size, direction", [(0.35, "up"), (-0.3, "down"), (0.25, "up"), (-0.25, "down")])
def test_planted_spikes_and_drops_are_found_with_their_direction(size, direction):
    found = 0
    for seed in range(10):
        days, values = series(seed)
        day = days[100 + seed]
        values[100 + seed] *= 1 + size
        j = judge_day(days, values, day, DetectorSettings())
        found += bool(j and j.anomalous and j.direction == direction and j.severity * size > 0)
        assert j.lower <= j.expected <= j.upper
    assert found >= 9


def test_direction_setting_is_honoured():
    days, values = series(1)
    values[120] *= 0.6
    values[130] *= 1.5
    down = anomalies(scan(days, values, DetectorSettings(direction="down"), start=days[60], end=days[-1]))
    up = anomalies(scan(days, values, DetectorSettings(direction="up"), start=days[60], end=days[-1]))
    assert days[120] in down and days[130] not in down
    assert days[130] in up and days[120] not in up
    # The band still says which side broke, even when that side is not watched.
    assert judge_day(days, values, days[130], DetectorSettings(direction="down")).direction == "up"


def test_min_history_is_honoured():
    days, values = series(2)
    settings = DetectorSettings(min_history=28)
    assert judge_day(days, values, days[27], settings) is None
    assert judge_day(days, values, days[28], settings) is not None
    # Gaps count: 28 calendar days with 10 missing are not 28 days of history.
    holes = [None if 5 <= i < 15 else v for i, v in enumerate(values)]
    assert judge_day(days, holes, days[28], settings) is None
    assert judge_day(days, holes, days[38], settings) is not None
    assert judge_day(days, holes, days[10], settings) is None  # no value that day


def test_min_volume_silences_tiny_series_but_not_a_collapse():
    days, values = series(3, level=40.0)
    values[100] *= 3
    assert judge_day(days, values, days[100], DetectorSettings(min_volume=200)) is None
    big_days, big = series(3, level=1000.0)
    big[100] = 0.0  # a watched slice that collapses to zero is judged on its usual volume
    j = judge_day(big_days, big, big_days[100], DetectorSettings(min_volume=200))
    assert j is not None and j.anomalous and j.direction == "down"


def test_ratio_band_narrows_with_volume():
    rng = np.random.default_rng(4)
    days = [START + dt.timedelta(days=i) for i in range(120)]
    visits = rng.integers(800, 1200, len(days)).astype(float)
    rate = rng.binomial(visits.astype(int), 0.05) / visits
    small, big = list(visits), list(visits)
    small[100], big[100] = 250.0, 4000.0
    j_small = judge_day(days, list(rate), days[100], DetectorSettings(), volumes=small)
    j_big = judge_day(days, list(rate), days[100], DetectorSettings(), volumes=big)
    half = lambda j: j.upper - j.expected  # noqa: E731  (the lower side is clipped at 0 for small volumes)
    assert half(j_small) == pytest.approx(4 * half(j_big), rel=0.01)  # sqrt(4000 / 250)
    assert judge_day(days, list(rate), days[100], DetectorSettings(min_volume=300), volumes=small) is None


def test_skip_days_neither_train_nor_alert():
    days, values = series(5)
    promo = {days[d] for d in range(100, 107)}
    for d in range(100, 107):
        values[d] *= 2.0
    settings = DetectorSettings()
    js = scan(days, values, settings, start=days[100], end=days[130], skip=promo)
    assert not anomalies(js)
    assert {j.day for j in js} >= promo  # still judged (charts show the band), never anomalous
    # Not training: the baseline after the promo equals the baseline of a series without those days at all.
    gone = [None if dd in promo else v for dd, v in zip(days, values, strict=True)]
    for d in (107, 115, 130):
        assert judge_day(days, values, days[d], settings, skip=promo) == judge_day(days, gone, days[d], settings)


def test_no_look_ahead():
    days, values = series(6)
    cut = 150
    for d in (60, 100, 149):
        past = judge_day(days[:cut], values[:cut], days[d], DetectorSettings())
        assert past == judge_day(days, values, days[d], DetectorSettings())
        later = list(values)
        later[d + 1:] = [v * 3 for v in later[d + 1:]]
        assert judge_day(days, later, days[d], DetectorSettings()) == past
    # scan judges each day as if it were that day
    js = scan(days, values, DetectorSettings(), start=days[90], end=days[110])
    assert js == [judge_day(days[:i + 1], values[:i + 1], days[i], DetectorSettings()) for i in range(90, 111)]


def test_past_outlier_does_not_widen_the_band():
    days, values = series(7)
    spiked = list(values)
    spiked[100] *= 4.0
    for d in range(101, 150, 7):
        clean = judge_day(days, values, days[d], DetectorSettings())
        after = judge_day(days, spiked, days[d], DetectorSettings())
        assert after.upper - after.lower <= 1.1 * (clean.upper - clean.lower)
        assert abs(after.expected - clean.expected) <= 0.1 * (clean.upper - clean.lower)


def test_flat_and_zero_series_stay_quiet():
    days = [START + dt.timedelta(days=i) for i in range(90)]
    flat = [1000.0 + (i % 3) * 0.5 for i in range(90)]
    assert not anomalies(scan(days, flat, DetectorSettings(), start=days[30], end=days[-1]))
    flat[80] = 1010.0  # +1%: a wiggle, not an incident
    assert not judge_day(days, flat, days[80], DetectorSettings()).anomalous
    flat[80] = 1200.0
    assert judge_day(days, flat, days[80], DetectorSettings()).anomalous
    zeros = [0.0] * 90
    j = judge_day(days, zeros, days[80], DetectorSettings())
    assert j is not None and not j.anomalous and j.lower == 0.0
    rng = np.random.default_rng(8)  # intermittent counts: mostly 0, sometimes 1 or 2
    sparse = list(rng.poisson(0.3, 90).astype(float))
    assert len(anomalies(scan(days, sparse, DetectorSettings(), start=days[30], end=days[-1]))) <= 1


def test_expected_value_is_the_baseline_of_judge_day():
    days, values = series(9)
    j = judge_day(days, values, days[150], DetectorSettings())
    assert expected_value(days[:150], values[:150], days[150], DetectorSettings()) == pytest.approx(j.expected)
    assert expected_value(days[:10], values[:10], days[10], DetectorSettings()) is None


def _nab(name: str):
    with open(NAB / name) as f:
        rows = list(csv.DictReader(f))
    windows = json.loads((NAB / "labels_daily.json").read_text())[name]["windows"]
    return ([dt.date.fromisoformat(r["date"]) for r in rows], [float(r["value"]) for r in rows],
            [(dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in windows])


def test_nab_nyc_taxi_all_five_events_at_most_two_false_alarms_per_30_days():
    days, values, windows = _nab("nyc_taxi_daily.csv")
    js = scan(days, values, DetectorSettings(), start=days[0], end=days[-1])
    flagged = [j.day for j in js if j.anomalous]
    caught = [any(a <= d <= b for d in flagged) for a, b in windows]
    false = [d for d in flagged if not any(a <= d <= b for a, b in windows)]
    assert caught == [True] * 5, list(zip(windows, caught, strict=True))
    assert len(false) * 30 / len(js) <= 2.0, false

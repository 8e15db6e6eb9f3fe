"""Web sessions, support tickets and production batches: the rest of the demo warehouse."""
from __future__ import annotations

import numpy as np

from metricloop.demo.calendar import SHOP_WEEKDAY, SUPPORT_WEEKDAY, Days
from metricloop.demo.incidents import CSAT_DRIFT, OUTAGE_FACTOR, PASS_RATE_DRIFT, Incident, ramp
from metricloop.demo.raw import RawTable, day, labels, pick

DEVICES = ("desktop", "mobile", "tablet")
DEVICE_SHARE, DEVICE_CONVERSION = [0.42, 0.50, 0.08], np.array([1.3, 0.8, 1.0])
SOURCES = ("organic", "paid", "social", "email", "referral", "direct")
SOURCE_SHARE, SOURCE_CONVERSION = [0.32, 0.22, 0.14, 0.08, 0.06, 0.18], np.array([1.0, 1.1, 0.6, 1.7, 1.4, 1.2])
BASE_CONVERSION = 0.034
SESSIONS_PER_ORDER = 1.6  # the sessions table is sampled web analytics, not every page view

PRIORITIES = ("low", "normal", "high", "urgent")
PRIORITY_SHARE, PRIORITY_HOURS = [0.30, 0.45, 0.20, 0.05], np.array([30.0, 18.0, 8.0, 3.0])
TICKET_CHANNELS = ("email", "chat", "phone")
TICKET_CHANNEL_SHARE, TICKET_CHANNEL_SPEED = [0.45, 0.35, 0.20], np.array([1.2, 0.6, 0.5])
TICKETS_PER_ORDER = 0.05
HOUR_WEIGHT = np.array([1, 1, 1, 1, 1, 2, 3, 5, 8, 10, 10, 10, 9, 9, 9, 9, 8, 8, 7, 6, 5, 4, 3, 2], float)

PLANTS = ("Austin", "Monterrey", "Suzhou")
LINES = ("L1", "L2", "L3")
SHIFTS = 2


def _outage_mask(days: Days, incidents: list[Incident]) -> np.ndarray:
    mask = np.zeros(days.n, bool)
    for inc in incidents:
        if inc.kind == "outage":
            mask[days.index(inc.start): days.index(inc.end) + 1] = True
    return mask


def _existing_customer(customer_day: np.ndarray, d: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A random customer who had signed up by day d (ids are sorted by signup day); 0 if none yet."""
    existing = np.searchsorted(customer_day, d, side="right")
    return np.where(existing > 0, (existing * rng.random(len(d))).astype(np.int64) + 1, 0)


def generate_sessions(days: Days, base: np.ndarray, incidents: list[Incident], customer_day: np.ndarray,
                      rng: np.random.Generator) -> RawTable:
    """Sessions follow shopping demand; converting sessions are always logged in."""
    expected = base * SESSIONS_PER_ORDER * SHOP_WEEKDAY[days.weekday] * days.holiday
    expected[_outage_mask(days, incidents)] *= OUTAGE_FACTOR
    d = np.repeat(days.t, rng.poisson(expected))
    n = len(d)
    device, source = pick(rng, DEVICE_SHARE, n), pick(rng, SOURCE_SHARE, n)
    holiday_lift = np.clip(1 + 0.3 * (days.holiday[d] - 1), 0.6, 1.6)
    converted = rng.random(n) < BASE_CONVERSION * DEVICE_CONVERSION[device] * SOURCE_CONVERSION[source] * holiday_lift
    logged_in = converted | (rng.random(n) < 0.3)
    customer = np.where(logged_in, _existing_customer(customer_day, d, rng), 0)
    return RawTable("sessions", {
        "id": np.arange(1, n + 1), "d": d, "device": device, "source": source, "converted": converted,
        "customer": customer,
    }, f"""SELECT id::BIGINT AS session_id, {day(days.start, 'd')} AS session_date,
        {labels(DEVICES, 'device')} AS device, {labels(SOURCES, 'source')} AS traffic_source, converted,
        NULLIF(customer, 0)::BIGINT AS customer_id FROM src""")


def generate_tickets(days: Days, base: np.ndarray, incidents: list[Incident], customer_day: np.ndarray,
                     rng: np.random.Generator) -> RawTable:
    """Tickets: business-hours arrivals, lognormal resolution by priority, CSAT answered ~42% of the time."""
    expected = base * TICKETS_PER_ORDER * SUPPORT_WEEKDAY[days.weekday]
    expected[_outage_mask(days, incidents)] *= 2.5
    d = np.repeat(days.t, rng.poisson(expected))
    n = len(d)
    customer = _existing_customer(customer_day, d, rng)
    keep = customer > 0
    d, customer, n = d[keep], customer[keep], int(keep.sum())
    priority, channel = pick(rng, PRIORITY_SHARE, n), pick(rng, TICKET_CHANNEL_SHARE, n)
    created_s = d * 86400 + rng.choice(24, n, p=HOUR_WEIGHT / HOUR_WEIGHT.sum()) * 3600 + rng.integers(0, 3600, n)
    median = PRIORITY_HOURS[priority] * TICKET_CHANNEL_SPEED[channel]
    hours = np.round(np.maximum(0.1, median * rng.lognormal(0.0, 0.8, n)), 1)
    resolved = created_s + hours * 3600 < days.n * 86400  # still open at the end of the data
    drift = np.zeros(days.n)
    for inc in incidents:
        if inc.kind == "drift" and inc.metric.startswith("csat"):
            drift += CSAT_DRIFT * ramp(days.n, days.index(inc.end))
    mood = 4.45 - 0.3 * np.log2(1 + hours / 24) + drift[d] + rng.normal(0.0, 0.85, n)
    answered = resolved & (rng.random(n) < 0.42)
    csat = np.where(answered, np.clip(np.rint(mood), 1, 5), 0).astype(np.int8)
    return RawTable("support_tickets", {
        "id": np.arange(1, n + 1), "customer": customer, "created_s": created_s,
        "hours": hours, "resolved": resolved, "csat": csat, "priority": priority, "channel": channel,
    }, f"""SELECT id::BIGINT AS ticket_id, customer::BIGINT AS customer_id,
        TIMESTAMP '{days.start.isoformat()}' + to_seconds(created_s) AS created_at,
        CASE WHEN resolved THEN TIMESTAMP '{days.start.isoformat()}' + to_seconds(created_s + round(hours * 3600))
        END AS resolved_at, CASE WHEN resolved THEN round(hours, 1)::DOUBLE END AS resolution_hours,
        NULLIF(csat, 0)::TINYINT AS csat,
        {labels(PRIORITIES, 'priority')} AS priority, {labels(TICKET_CHANNELS, 'channel')} AS channel FROM src""")


def generate_batches(days: Days, incidents: list[Incident], rng: np.random.Generator) -> RawTable:
    """Two batches per line per day; Austin and Monterrey rest on Sundays, Suzhou runs every day."""
    n_plants, n_lines = len(PLANTS), len(LINES)
    d = np.repeat(days.t, n_plants * n_lines * SHIFTS)
    plant = np.tile(np.repeat(np.arange(n_plants), n_lines * SHIFTS), days.n).astype(np.int8)
    line = np.tile(np.repeat(np.arange(n_lines), SHIFTS), days.n * n_plants).astype(np.int8)
    working = (days.weekday[d] != 6) | (plant == PLANTS.index("Suzhou"))
    d, plant, line = d[working], plant[working], line[working]
    n = len(d)
    line_quality = 0.962 + 0.0006 * (plant * n_lines + line)  # each line a little different
    drift = np.zeros((days.n, n_plants))
    for inc in incidents:
        if inc.kind == "drift" and inc.metric == "pass_rate":
            drift[:, PLANTS.index(PASS_RATE_DRIFT[0])] += PASS_RATE_DRIFT[1] * ramp(days.n, days.index(inc.end))
    p_pass = np.clip(line_quality + drift[d, plant] + rng.normal(0.0, 0.004, n), 0.5, 0.999)
    units = np.maximum(300, np.rint(rng.normal(480, 45, n))).astype(np.int64)
    passed = rng.binomial(units, p_pass)
    return RawTable("production_batches", {
        "id": np.arange(1, n + 1), "d": d, "plant": plant, "line": line, "units": units, "passed": passed,
    }, f"""SELECT id::BIGINT AS batch_id, {day(days.start, 'd')} AS produced_on,
        {labels(PLANTS, 'plant')} AS plant, {labels(LINES, 'line')} AS line,
        units::INTEGER AS units_produced, passed::INTEGER AS units_passed FROM src""")

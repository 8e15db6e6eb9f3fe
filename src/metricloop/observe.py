"""Prometheus metrics of one bot process, served at GET /metrics (slack/server.py).

Each replica exposes its own; Prometheus sums them. What is counted where:

- ``metricloop_deliveries_total{kind, receipt}``: every Slack delivery the inbox saw — kind is the event
  type, ``command`` or the interaction type; receipt is new, duplicate (a retry, here or on another replica)
  or retaken (from a worker that is gone) — slack/durable.py;
- ``metricloop_questions_total{kind}``: deliveries answered (a question, a command, a click), and
  ``metricloop_answer_seconds``: from receipt to the answer posted (a histogram) — slack/durable.py;
- ``metricloop_errors_total``: internal errors (errors.log_internal_error, each with its logged id);
- ``metricloop_queue_depth``: answers waiting for a worker thread (the fair executor);
- ``metricloop_alerts_posted_total{kind}``: notices posted from the outbox (anomaly, freshness, review, …).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from metricloop import errors

REGISTRY = CollectorRegistry(auto_describe=True)
DELIVERIES = Counter("metricloop_deliveries", "Slack deliveries seen by the inbox.", ["kind", "receipt"],
                     registry=REGISTRY)
QUESTIONS = Counter("metricloop_questions", "Slack deliveries answered (questions, commands, clicks).", ["kind"],
                    registry=REGISTRY)
ANSWER_SECONDS = Histogram("metricloop_answer_seconds", "Seconds from a delivery's receipt to its answer.",
                           buckets=(0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60, 120), registry=REGISTRY)
ERRORS = Counter("metricloop_errors", "Internal errors (logged with an id).", registry=REGISTRY)
QUEUE_DEPTH = Gauge("metricloop_queue_depth", "Answers waiting for a worker thread.", registry=REGISTRY)
ALERTS_POSTED = Counter("metricloop_alerts_posted", "Notices posted from the outbox.", ["kind"], registry=REGISTRY)

errors.ERROR_LISTENERS.append(lambda _error_id: ERRORS.inc())


def delivery_kind(body: dict[str, Any]) -> str:
    """What a Slack delivery is, for a label: the event type, ``command``, or the interaction type."""
    if body.get("command"):
        return "command"
    event = body.get("event")
    if isinstance(event, dict):
        return str(event.get("type") or "event")
    return str(body.get("type") or "other")


def watch_queue(depth: Callable[[], int]) -> None:
    """Report `depth()` as the queue depth at every scrape (the process's answer executor)."""
    QUEUE_DEPTH.set_function(lambda: float(depth()))


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus' text format, and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def sample(name: str, labels: dict[str, str] | None = None) -> float:
    """One sample's current value (0 when absent): for tests and the benchmark."""
    value = REGISTRY.get_sample_value(name, labels or {})
    return 0.0 if value is None else value

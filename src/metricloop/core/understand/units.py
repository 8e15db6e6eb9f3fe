"""The unit of time a question asks a duration in, against the unit a metric is measured in. Pure.

"how many minutes did people watch last week" with only Watch hours: the hours are a different number than the
minutes asked, and the assistant never converts a governed figure on its own. A question that asks in one unit
(how many minutes, in hours, 多少分钟) about a metric named in another (hours, "(min)", `wait_minutes`) is asked
back. A metric whose names say no unit is never in conflict: its unit is not known.
"""
from __future__ import annotations

import re

from metricloop.core.catalog.model import Metric
from metricloop.core.text import humanise

# each unit: the words that name it in a metric's names, and in a question
_UNIT_WORDS = {
    "second": r"seconds?|secs?|秒钟?",
    "minute": r"minutes?|mins?|分钟",
    "hour": r"hours?|hrs?|小时|钟头",
    "day": r"days?|天",
}
# how a unit is said in a reply
UNIT_SAID = {"en": {"second": "seconds", "minute": "minutes", "hour": "hours", "day": "days"},
             "zh": {"second": "秒", "minute": "分钟", "hour": "小时", "day": "天"}}
_NAMED = {unit: re.compile(rf"(?:^|[^a-z])(?:{words})(?:$|[^a-z])") for unit, words in _UNIT_WORDS.items()}
# a unit asked for: "how many minutes", "in hours", "多少分钟", "几个小时"
_ASKED = {unit: re.compile(rf"\bhow\s+many\s+(?:{words})\b|\bin\s+(?:{words})\b|(?:多少|几个?)(?:{words})")
          for unit, words in _UNIT_WORDS.items() if unit != "day"}  # "how many days" counts days as often as it times


def unit_of(metric: Metric) -> str | None:
    """The one unit of time a metric's names say (name, label, measure), or None."""
    names = " ".join(filter(None, [humanise(metric.name), metric.label or "",
                                   humanise(metric.measure.name) if metric.measure is not None else ""])).lower()
    found = [unit for unit, rx in _NAMED.items() if rx.search(names)]
    return found[0] if len(found) == 1 else None


def asked_unit(low: str) -> tuple[str, str] | None:
    """(unit, words) of the one unit of time the question asks its number in, or None."""
    found = [(unit, m.group(0)) for unit, rx in _ASKED.items() if (m := rx.search(low))]
    return found[0] if len(found) == 1 else None


def unit_conflict(metric: Metric, low: str) -> tuple[str, str] | None:
    """(the words asking for a unit of time the metric is not measured in, the metric's own unit), or None."""
    asked, named = asked_unit(low), unit_of(metric)
    return (asked[1], named) if asked and named and asked[0] != named else None


_SPELLED = {"second": ("second", "seconds", "secs", "秒"), "minute": ("minute", "minutes", "mins", "分钟"),
            "hour": ("hour", "hours", "hrs", "小时"), "day": ("day", "days", "天")}


def unit_words(metric: Metric) -> tuple[str, ...]:
    """The words for the unit a metric is measured in ("in minutes" of Avg wait (min) says its own unit)."""
    unit = unit_of(metric)
    return _SPELLED[unit] if unit else ()

"""Where a metric's notices go and which language a channel speaks, read from the catalog. Pure.

    notice channel:  the metric's ``meta.channel``, else loop.yml ``alerts.channel``, else DEFAULT_CHANNEL
    language:        loop.yml ``channels: {"#name" or id: {language: zh}}``, else ``alerts.language`` for the
                     alerts channel, else top-level ``language``, else English

A channel is matched by id or by name with or without its ``#``, case-insensitively, because loop.yml
authors write names and Slack answers with ids (both may be listed).
"""
from __future__ import annotations

from typing import Any

from metricloop.core.catalog.model import Metric

DEFAULT_CHANNEL = "#metrics-alerts"  # documented in README: create it, or set alerts.channel in loop.yml
LANGUAGES = ("en", "zh")


def _section(loop: dict[str, Any] | None, name: str) -> dict[str, Any]:
    value = (loop or {}).get(name)
    return value if isinstance(value, dict) else {}


def _same_channel(a: str, b: str) -> bool:
    return a.strip().lstrip("#").lower() == b.strip().lstrip("#").lower()


def notice_channel(metric: Metric | None, loop: dict[str, Any] | None) -> str:
    """The channel a metric's anomaly notices are posted to."""
    if metric is not None and metric.meta.channel:
        return metric.meta.channel
    return str(_section(loop, "alerts").get("channel") or DEFAULT_CHANNEL)


def channel_language(loop: dict[str, Any] | None, channel: str | None) -> str:
    """The language (``en`` / ``zh``) loop.yml sets for a channel; English when it says nothing."""
    if channel:
        for name, settings in _section(loop, "channels").items():
            if isinstance(settings, dict) and _same_channel(str(name), channel):
                return _language(settings.get("language"))
        alerts = _section(loop, "alerts")
        if alerts.get("language") and _same_channel(str(alerts.get("channel") or DEFAULT_CHANNEL), channel):
            return _language(alerts["language"])
    return _language((loop or {}).get("language"))


def _language(value: Any) -> str:
    text = str(value or "en").lower()
    return "zh" if text.startswith("zh") or text in ("cn", "chinese", "中文") else "en"

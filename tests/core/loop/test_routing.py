"""Notices go to meta.channel, else loop.yml alerts.channel, else the documented default; channels speak the
language loop.yml gives them."""
from __future__ import annotations

import pytest

from metricloop.core.catalog.model import Metric
from metricloop.core.loop.routing import DEFAULT_CHANNEL, channel_language, notice_channel


def metric(channel=None) -> Metric:
    return Metric.model_validate({"name": "revenue", "type": "simple", "measure": {"name": "amount"},
                                  "meta": {"channel": channel}})


@pytest.mark.parametrize(("meta_channel", "loop", "expected"), [
    ("#sales", {"alerts": {"channel": "#alerts"}}, "#sales"),
    (None, {"alerts": {"channel": "#alerts"}}, "#alerts"),
    (None, {}, DEFAULT_CHANNEL),
    (None, None, "#metrics-alerts"),
])
def test_notice_channel(meta_channel, loop, expected):
    assert notice_channel(metric(meta_channel), loop) == expected


LOOP = {"channels": {"#china-sales": {"language": "zh"}, "C0EN": {"language": "en"}},
        "alerts": {"channel": "#alerts-cn", "language": "zh-CN"}}


@pytest.mark.parametrize(("loop", "channel", "expected"), [
    (LOOP, "#china-sales", "zh"), (LOOP, "China-Sales", "zh"), (LOOP, "C0EN", "en"), (LOOP, "#alerts-cn", "zh"),
    (LOOP, "#other", "en"), ({"language": "zh"}, "#other", "zh"), ({}, None, "en"),
])
def test_channel_language(loop, channel, expected):
    assert channel_language(loop, channel) == expected

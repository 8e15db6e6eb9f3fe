"""pytest parameters for the engine tests: each engine's tests grouped on one xdist worker."""
from __future__ import annotations

import datetime as dt

import pytest

ENGINES = ("postgres", "spark")


def engine_params(*engines: str) -> list:
    """pytest params for these engines (default: all), each grouped on one xdist worker (one server, one JVM)."""
    return [pytest.param(e, marks=pytest.mark.xdist_group(e), id=e) for e in engines or ENGINES]

# the demo world every engine test loads (tests/engines/conftest.py)
DEMO_END = dt.date(2026, 11, 26)
DEMO_SCALE = 0.02  # about 110k rows: every metric has data on every day, and Spark answers in a second

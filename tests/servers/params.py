"""pytest parameters for the engine tests: each engine's tests grouped on one xdist worker."""
from __future__ import annotations

import pytest

ENGINES = ("postgres", "spark")


def engine_params(*engines: str) -> list:
    """pytest params for these engines (default: all), each grouped on one xdist worker (one server, one JVM)."""
    return [pytest.param(e, marks=pytest.mark.xdist_group(e), id=e) for e in engines or ENGINES]

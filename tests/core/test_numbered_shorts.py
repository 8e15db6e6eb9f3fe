"""A value that is one word and a number said by the word's initial and the number ("T3" for Terminal 3;
core/understand/lexicon.numbered_shorts)."""
from __future__ import annotations

import pytest

from metricloop.core.understand.lexicon import numbered_shorts

TERMINAL = ("terminal", "terminal_name")
GATE = ("gate", "gate_name")


@pytest.mark.parametrize(("values", "expected"), [
    ({TERMINAL: ["Terminal 1", "Terminal 3"]}, {"T1": (TERMINAL, "Terminal 1"), "T3": (TERMINAL, "Terminal 3")}),
    # two values shorten alike (Terminal 3, Tower 3): neither is said by "T3"
    ({TERMINAL: ["Terminal 3"], GATE: ["Tower 3", "Gate 12"]}, {"G12": (GATE, "Gate 12")}),
    # a short that says a period or a year is never a value: Q3, H1, W48, Y2
    ({TERMINAL: ["Quay 3", "Hall 1", "Wing 48", "Yard 2"]}, {}),
    # only one word and a number: "Terminal 3 East", "T 3", "Lot 1000" are not shortened so
    ({TERMINAL: ["Terminal 3 East", "T 3", "Lot 1000", "3 Terminal"]}, {}),
])
def test_numbered_shorts(values, expected) -> None:
    assert numbered_shorts(values) == expected

"""State and province codes read by their names (core/understand/lexicon.state_words)."""
from __future__ import annotations

import pytest

from metricloop.core.understand.lexicon import state_words


@pytest.mark.parametrize(("value", "dimension_values", "names"), [
    ("TX", ["CA", "WA", "TX", "FL", "IL", "NY", "MA"], ("Texas",)),
    ("CA", ["CA", "WA", "TX", "FL", "IL", "NY", "MA"], ("California",)),   # a state among states
    ("CA", ["US", "CA", "MX"], ()),                                         # Canada among countries
    ("ON", ["ON", "QC", "BC"], ("Ontario",)),
    ("TX", ["TX", "Online"], ()),                                           # not every value is a state
])
def test_a_state_code_is_also_the_state_name_among_states(value, dimension_values, names) -> None:
    assert state_words(value, dimension_values) == names

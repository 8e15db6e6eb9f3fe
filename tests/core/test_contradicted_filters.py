"""A value one filter keeps and another leaves out is never answered (core/understand/interpreter._contradicted)."""
from __future__ import annotations

import pytest

from metricloop.core.query import Filter
from metricloop.core.understand.interpreter import _contradicted


@pytest.mark.parametrize(("where", "expected"), [
    ([Filter(dimension="t__fare", op="!=", values=("Youth",)), Filter(dimension="t__fare", op="=", values=("Youth",))],
     "Youth"),
    ([Filter(dimension="t__fare", op="in", values=("Adult", "Youth")),
      Filter(dimension="t__fare", op="not in", values=("Youth", "Senior"))], "Youth"),
    ([Filter(dimension="t__fare", op="!=", values=("Youth",)), Filter(dimension="t__route", op="=", values=("Youth",))],
     None),  # another dimension
    ([Filter(dimension="t__fare", op="!=", values=("Youth",)), Filter(dimension="t__fare", op="=", values=("Adult",))],
     None),
])
def test_contradicted(where, expected):
    assert _contradicted(where) == expected

"""A value followed by the noun for the rows that hold it — "East warehouses", 东部仓库, "enterprise
accounts" — is one condition, not a condition plus a breakdown. Pure.

The noun names the rows of the value's own semantic model (its primary entity, or another dimension
of that model such as the warehouse's name): "freight cost of non-East warehouses" is one total over
those warehouses. Said as rows ("each East warehouse", 各东部仓库), it stays a breakdown.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from metricloop.core.catalog.model import Catalog

DimKey = tuple[str, str]
# the value is introduced as rows: "each East warehouse", 各东部仓库, 按东部仓库
_AS_ROWS = re.compile(r"(?:\b(?:by|per|each|every|across)\s+(?:the\s+)?|按照?|各个?|每个)$")
_GAP = re.compile(r"^\s*(?:的)?\s*$")


def holds_value(catalog: Catalog, text: str, value: tuple[int, int], value_keys: Iterable[DimKey],
                noun: tuple[int, int], noun_keys: Iterable[DimKey]) -> bool:
    """True when the noun right after the value names the rows of the value's own model."""
    if not (value[1] <= noun[0] and _GAP.match(text[value[1] : noun[0]])):
        return False
    if _AS_ROWS.search(text[max(0, value[0] - 12) : value[0]]):
        return False
    nouns = list(noun_keys)
    for model_name, _ in value_keys:
        model = catalog.model(model_name)
        if model is None:
            continue
        if any(m == model_name or (m == "" and d == model.primary) for m, d in nouns):
            return True
    return False

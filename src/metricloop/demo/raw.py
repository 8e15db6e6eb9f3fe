"""A generated table before it reaches DuckDB: numpy columns plus the SELECT that types them.

Generators emit integer codes and day numbers (numpy cannot hand DuckDB dates or strings
cheaply); the SELECT turns codes into labels, day numbers into DATEs and amounts into DECIMALs.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np


@dataclass(frozen=True)
class RawTable:
    """Columns (equal-length numpy arrays) and a SELECT over relation `src` that shapes them."""

    name: str
    columns: dict[str, np.ndarray]
    select: str


def labels(values: tuple[str, ...], code_column: str) -> str:
    """SQL that maps a 0-based integer code column to its label (the tuple is ours, never user text)."""
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"([{quoted}])[{code_column} + 1]"


def day(start: date, column: str) -> str:
    """SQL that turns a day-number column into a DATE."""
    return f"(DATE '{start.isoformat()}' + {column}::INTEGER)"


def pick(rng: np.random.Generator, shares: np.ndarray | list[float], size: int) -> np.ndarray:
    """Random codes 0..k-1 drawn with the given shares (normalised), as int8."""
    p = np.asarray(shares, dtype=float)
    return rng.choice(len(p), size=size, p=p / p.sum()).astype(np.int8)

"""A stand-in for the Chinese segmenter in unit tests: known words first, longest first, then single characters."""
from __future__ import annotations

from collections.abc import Callable, Iterable


def greedy_cutter(words: Iterable[str]) -> Callable[[str], list[str]]:
    """A cutter taking the words of `words` (two or three characters) first, then single characters."""
    known = frozenset(words)

    def cut(run: str) -> list[str]:
        out, i = [], 0
        while i < len(run):
            n = next((n for n in (3, 2) if run[i : i + n] in known), 1)
            out.append(run[i : i + n])
            i += n
        return out
    return cut

"""Values spelled in pinyin, said in Chinese characters: 宁波 is the plant "Ningbo", 成都 the store "Chengdu". Pure.

A catalog written in English spells Chinese places and people in pinyin; a colleague asking in Chinese writes them in
characters. A word of the question (as the segmenter cuts it, or two of its words together) whose readings spell
exactly one such value, letter for letter, is read as that value before anything reads the question, and the reply
says so. Only capitalised values of two syllables or more are read this way (a value "nike" is no place), and never
a word the catalog itself has in Chinese.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence

from metricloop.core.text import CJK_RUN
from metricloop.core.understand.homophones import pinyin_table

# each further part begins with a separator or a capital: the same names as "[ '-]?[A-Z]?[a-z]+" repeated, without
# its many ways of splitting one lower-case run (a long name that does not match took exponential time)
_PROPER = re.compile(r"[A-Z][a-z]+(?:(?:[ '-][A-Z]?|[A-Z])[a-z]+)*")
_MAX_CHARS = 4


def _key(value: str) -> str:
    return re.sub(r"[^a-z]", "", value.lower())


class PinyinNames:
    """The catalog's pinyin-spelled values, by their letters."""

    def __init__(self, values: Iterable[str], known: Iterable[str] = ()) -> None:
        found: dict[str, set[str]] = {}
        for value in values:
            value = str(value).strip()
            if _PROPER.fullmatch(value) and len(_key(value)) >= 4:
                found.setdefault(_key(value), set()).add(value)
        # two values of the same letters ("Xian", "Xi'an") are told apart by nobody: neither is read
        self._values = {k: next(iter(vs)) for k, vs in found.items() if len(vs) == 1}
        self._known = frozenset(known)

    def read(self, text: str, segment: Callable[[str], Sequence[str]]) -> tuple[str, dict[str, str]]:
        """`text` with each Chinese word that spells a value in pinyin replaced by the value, and said → value."""
        if not self._values:
            return text, {}
        table = pinyin_table()
        out, said = text, {}
        for run in CJK_RUN.findall(text):
            words = list(segment(run))
            pieces = [w for w in words if len(w) >= 2] + ["".join(p) for p in itertools.pairwise(words)]
            for piece in pieces:
                if not 2 <= len(piece) <= _MAX_CHARS or piece in self._known or piece in said:
                    continue
                readings = [table.get(c, ()) for c in piece]
                if not all(readings):
                    continue
                spelled = {self._values[k] for combo in itertools.product(*readings)
                           if (k := "".join(combo)) in self._values}
                if len(spelled) == 1:
                    said[piece] = spelled.pop()
        for piece, value in sorted(said.items(), key=lambda kv: -len(kv[0])):
            out = out.replace(piece, value)
        return out, said

"""Chinese typos of sound: a phrase typed with a character of the same pinyin. Pure (reads a data file shipped
inside the package, once).

Chinese is typed through a pinyin input method, so its typos are homophones, not letters out of place: 入驻率 for
入住率 (ru zhu lv), 平均方价 for 平均房价 (ping jun fang jia). The English matcher's edit distance cannot see them
(every character differs from every other), so the lexicon's Chinese phrases are also indexed by their toneless
pinyin (`src/metricloop/data/pinyin.tsv`), and a run of the question that sounds like a phrase but is not spelled
like it is found here — only for phrases of three characters or more, with at most one character in four
different, so that two short words that merely sound alike are never taken for each other.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

MIN_CHARS = 3  # 收入 and 手入 sound alike; three characters that sound like a phrase are that phrase
SCORE = 0.9  # below an exact spelling, so a phrase spelled right always wins an overlap
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@lru_cache(maxsize=1)
def pinyin_table() -> dict[str, str]:
    """Character → its toneless pinyin (the GB2312 characters, one reading each)."""
    text = resources.files("metricloop").joinpath("data/pinyin.tsv").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#") and "\t" in line:
            sound, chars = line.split("\t", 1)
            out.update((c, sound) for c in chars.strip())
    return out


def sound_of(phrase: str, table: Mapping[str, str]) -> tuple[str, ...] | None:
    """The pinyin of each character of `phrase`, or None when a character has no known sound."""
    sounds = tuple(table.get(c, "") for c in phrase)
    return None if "" in sounds else sounds


def homophone_index(phrases: Iterable[str]) -> dict[tuple[str, ...], list[str]]:
    """Sound → the Chinese phrases (of MIN_CHARS characters or more) that sound so."""
    table = pinyin_table()
    index: dict[tuple[str, ...], list[str]] = {}
    for phrase in phrases:
        if len(phrase) < MIN_CHARS or not _CJK_RUN.fullmatch(phrase):
            continue
        sound = sound_of(phrase, table)
        if sound is not None and phrase not in index.setdefault(sound, []):
            index[sound].append(phrase)
    return index


def _close(typed: str, phrase: str) -> bool:
    """Spelled differently in at most one character in four (and in at least one)."""
    differ = sum(a != b for a, b in zip(typed, phrase, strict=True))
    return 0 < differ <= max(1, len(phrase) // 4)


def find_homophones(index: Mapping[tuple[str, ...], Sequence[str]], text: str,
                    longest: int) -> list[tuple[str, int, int]]:
    """(phrase, start, end) for every run of `text` that sounds like an indexed phrase but is spelled otherwise."""
    if not index:
        return []
    table = pinyin_table()
    found: list[tuple[str, int, int]] = []
    for run in _CJK_RUN.finditer(text):
        s0, e0 = run.span()
        sounds = [table.get(c, "") for c in text[s0:e0]]
        for i in range(s0, e0):
            for j in range(i + MIN_CHARS, min(e0, i + longest) + 1):
                key = tuple(sounds[i - s0 : j - s0])
                if "" in key:
                    break
                found.extend((p, i, j) for p in index.get(key, ()) if _close(text[i:j], p))
    return found


def entries_for(phrase: str, tables: Sequence[Mapping[str, Sequence[Any]]]) -> list[Any]:
    """The lexicon entries of a Chinese phrase, from the first table that has it."""
    for table in tables:
        if phrase in table:
            return list(table[phrase])
    return []

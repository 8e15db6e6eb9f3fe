"""Chinese typos of sound (and of shape): a phrase typed with a character of the same pinyin. Pure (reads a data file
shipped inside the package, once).

Chinese is typed through a pinyin input method, so its typos are homophones, not letters out of place: 入驻率 for
入住率 (ru zhu lv), 平均方价 for 平均房价 (ping jun fang jia). The English matcher's edit distance cannot see them
(every character differs from every other), so the lexicon's Chinese phrases are also indexed by their toneless
pinyin (`src/metricloop/data/pinyin.tsv`), and a run of the question that sounds like a phrase but is not spelled
like it is found here — only for phrases of three characters or more, with at most one character in four
different, so that two short words that merely sound alike are never taken for each other.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

from metricloop.core.text import CJK_RUN

MIN_CHARS = 3  # 收入 and 手入 sound alike; three characters that sound like a phrase are that phrase
SCORE = 0.9  # below an exact spelling, so a phrase spelled right always wins an overlap


MAX_SOUNDS = 16  # readings of one phrase indexed (characters with several readings multiply them)


@lru_cache(maxsize=1)
def pinyin_table() -> dict[str, tuple[str, ...]]:
    """Character → its toneless readings (the GB2312 characters; 长 is chang and zhang)."""
    text = resources.files("metricloop").joinpath("data/pinyin.tsv").read_text(encoding="utf-8")
    out: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#") and "\t" in line:
            sound, chars = line.split("\t", 1)
            for c in chars.strip():
                out[c] = (*out.get(c, ()), sound)
    # a character typed for one that looks like it (收人 for 收入, 金颔 for 金额) is read as that one too
    for a, b in _LOOK_ALIKE:
        ra, rb = out.get(a, ()), out.get(b, ())
        out[a], out[b] = tuple(dict.fromkeys(ra + rb)), tuple(dict.fromkeys(rb + ra))
    return out


# The sounds pinyin input methods let a user blur ("fuzzy pinyin", on by default for speakers of the south): a
# retroflex initial and its flat twin, zh z, ch c, sh s — 投述 (tou shu) typed for 投诉 (tou su)
_FUZZY_INITIAL = re.compile(r"^([zcs])h")


@lru_cache(maxsize=1)
def heard_table() -> dict[str, tuple[str, ...]]:
    """`pinyin_table` with the retroflex initials heard as their flat twins (shu as su): what a one-character typo
    of a short word is matched by (core/understand/zh_spelling). A name's own pinyin (宁波 Ningbo) stays exact, and so
    do the longer phrases matched here by sound alone."""
    return {c: tuple(dict.fromkeys(_FUZZY_INITIAL.sub(r"\1", r) for r in rs)) for c, rs in pinyin_table().items()}


# pairs of characters that look alike and are typed for each other (handwriting and shape input)
_LOOK_ALIKE = (("人", "入"), ("己", "已"), ("未", "末"), ("土", "士"), ("颔", "额"), ("帐", "账"), ("候", "侯"),
               ("拨", "拔"), ("即", "既"), ("折", "拆"), ("列", "例"))


def sound_of(phrase: str, table: Mapping[str, tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The ways `phrase` can be read (one pinyin per character, at most MAX_SOUNDS), or [] when a character has no
    known sound."""
    readings = [table.get(c, ()) for c in phrase]
    if not all(readings):
        return []
    return list(itertools.islice(itertools.product(*readings), MAX_SOUNDS))


def homophone_index(phrases: Iterable[str]) -> dict[tuple[str, ...], list[str]]:
    """Sound → the Chinese phrases (of MIN_CHARS characters or more) that can be read so."""
    table = pinyin_table()
    index: dict[tuple[str, ...], list[str]] = {}
    for phrase in phrases:
        if len(phrase) < MIN_CHARS or not CJK_RUN.fullmatch(phrase):
            continue
        for sound in sound_of(phrase, table):
            if phrase not in index.setdefault(sound, []):
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
    for run in CJK_RUN.finditer(text):
        s0, e0 = run.span()
        for i in range(s0, e0):
            for j in range(i + MIN_CHARS, min(e0, i + longest) + 1):
                sounds = sound_of(text[i:j], table)
                if not sounds:
                    break
                hits = dict.fromkeys(p for key in sounds for p in index.get(key, ()) if _close(text[i:j], p))
                found.extend((p, i, j) for p in hits)
    return found


def entries_for(phrase: str, tables: Sequence[Mapping[str, Sequence[Any]]]) -> list[Any]:
    """The lexicon entries of a Chinese phrase, from the first table that has it."""
    for table in tables:
        if phrase in table:
            return list(table[phrase])
    return []

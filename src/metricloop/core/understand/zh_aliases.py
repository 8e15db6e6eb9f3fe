"""Chinese aliases for an English-only catalog: the lexicon's English phrases rendered through the
glossary (core/understand/glossary). Pure.

Every English phrase the catalog uses for a metric, dimension or value ("freight cost", "service level",
"Canada") gets the Chinese renderings the glossary gives it (运费, 服务等级, 加拿大), each pointing at the
same entries as the English phrase — so a Chinese question reaches exactly what the English words reach,
no more. A Chinese phrase the catalog itself uses is never overridden: its own synonyms win. Aliases are
found by looking up every substring of the question's Chinese runs (questions are short; the alias table
is large), which keeps spotting fast however many renderings a catalog has.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from metricloop.core.understand.glossary import Glossary, load_glossary
from metricloop.core.understand.zh_words import COUNT_WORDS_ZH

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Chinese with the Latin names written inside it (Plus会员, OTA渠道): where aliases are looked for
_ALIAS_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffa-z0-9 ]+")
_LATIN = re.compile(r"[a-z0-9]")
# a word asking for rows (which, each, by, a count of them: 哪家, 各, 按, 最多的三家, 前10家) right before a
# one-character word (a count only when ranked: 不算A和B两家店 names the two, 最多的两家店 asks for rows)
_ROWS_BEFORE_ONE = re.compile(r"(?:各个?|按照?|每[个家]|哪[个家]|哪一[个家]|哪几[个家]"
                              r"|(?:前|最[多少高低大小长短好差快慢]的?|[高低多少好差]的)\s*"
                              r"(?:\d{1,3}|[一两二三四五六七八九十]{1,3})[个家])$")
ONE = "\x00"  # the key prefix of a one-character word (see find_aliases)
ONE_VALUE = "\x01"  # ... of a one-character value (猫 for Cat): read only as a word of its own
# 上个月猫的疫苗, 猫和狗的就诊量, 除了猫以外, 非猫: a one-character value stands alone between these
_VALUE_ONE_BEFORE = re.compile(r"(?:^|[^\u3400-\u9fff]|[月周年天日的了和与及、]|除了|非|不含|不算|只看|只有)$")
_VALUE_ONE_AFTER = re.compile(r"^(?:的|和|与|及|、|以外|之外|除外"
                              r"|上个?[月周季]|这个?[月周季]|本[月周季]|今年|去年|近\d)")
_ALL_CAPS = re.compile(r"[A-Z][A-Z0-9]{1,4}")  # an abbreviated value: MD, US


def chinese_aliases(latin: Mapping[tuple[str, ...], Sequence[Any]], cased: Mapping[str, Sequence[Any]],
                    own_chinese: Iterable[str], glossary: Glossary | None = None) -> dict[str, list[Any]]:
    """Chinese phrase → lexicon entries, from the lexicon's English phrases (`latin`: singular word
    tuples; `cased`: all-caps values such as "US"). Phrases in `own_chinese` (the catalog's own
    Chinese), and words inside them, are left out: where a catalog speaks Chinese, its words keep the
    meaning it gave them (流失 inside its own 流失客户 is not also a movement type). Entries are copied
    with the Chinese phrase as their `phrase`."""
    glossary = glossary or load_glossary()
    own = "\x1f".join(own_chinese)
    out: dict[str, list[Any]] = {}
    named_whole: set[tuple[str, Any]] = set()  # (Chinese, dimension): the Chinese renders the dimension's whole name
    sources = [(key, entries) for key, entries in latin.items()]
    # an initialism ("GAS" for Green add-on sales) is letters, not the word they spell: only cased values ("US") render
    sources += [((original.lower(),), kept) for original, entries in cased.items()
                if (kept := [e for e in entries if e.kind != "metric"])]
    for key, entries in sources:
        dims = [e for e in entries if e.kind == "dimension"]
        renderings = [r.text for r in glossary.terms.get(tuple(key), ())] if dims else []
        for single in (r for r in renderings if len(r) == 1):
            # 哪家店, 各州: a one-character word of a dimension is read only right after a word asking for its rows
            # (its longer words win the overlap: 各部门 is 各 部门, never 各 部 门)
            bucket = out.setdefault(ONE + single, [])
            bucket.extend(dataclasses.replace(e, phrase=single) for e in dims if e not in bucket)
        values = [e for e in entries if e.kind == "value"]
        for single in {r.text for r in glossary.terms.get(tuple(key), ()) if len(r.text) == 1} if values else ():
            bucket = out.setdefault(ONE_VALUE + single, [])
            bucket.extend(dataclasses.replace(e, phrase=single) for e in values if e not in bucket)
        for zh in glossary.render(tuple(key)):
            if zh in own:  # a phrase of the catalog's own, or a part of one
                continue
            bucket = out.setdefault(zh, [])
            for entry in entries:
                if zh in COUNT_WORDS_ZH and entry.kind != "metric":
                    continue  # 件数 renders "unit number" too, but 理赔件数 counts the claims: no truck's unit number
                alias = dataclasses.replace(entry, phrase=zh)
                if alias not in bucket:
                    bucket.append(alias)
                if entry.kind == "dimension" and not _last_word_of(key, str(entry.target)):
                    named_whole.add((zh, entry.target))
    for zh, bucket in out.items():
        if any(e.kind == "dimension" for e in bucket):
            # 医生 renders the entity doctor and the credential MD: an abbreviation's rendering is a guess at its
            # meaning, the name's is the name (见到医生 sets no credential filter)
            out[zh] = [e for e in bucket if not (e.kind == "value" and _ALL_CAPS.fullmatch(str(e.target)))]
        dims = {e.target for e in out[zh] if e.kind == "dimension"}
        whole = {t for t in dims if (zh, t) in named_whole}
        if len(dims) > 1 and whole and whole != dims:
            # 区域 renders Region and "area", the last word of Therapeutic area: the dimension the word names whole
            # is meant, not one it names a part of
            out[zh] = [e for e in out[zh] if e.kind != "dimension" or e.target in whole]
    return out


_KIND_SUFFIXES = ("name", "id", "code", "number", "key")


def _last_word_of(key: tuple[str, ...], dimension: str) -> bool:
    """The English phrase is the last word alone of a dimension named by two words or more ("area" of
    therapeutic_area; "department" of department_name is its name, the suffix only saying it is a name)."""
    parts = [p for p in dimension.split("_") if p]
    while len(parts) > 1 and parts[-1] in _KIND_SUFFIXES:
        parts.pop()
    return len(parts) >= 2 and len(key) == 1 and key[0] == parts[-1]


def find_aliases(aliases: Mapping[str, Sequence[Any]], text: str, longest: int,
                 unmasked: str | None = None) -> list[tuple[Any, int, int]]:
    """(entry, start, end) for every alias occurring in `text` (masked spans already blanked; `unmasked`, the same
    text before masking, shows the word asking for rows that a ranking took: 最多的三家店)."""
    found: list[tuple[Any, int, int]] = []
    for run in _ALIAS_RUN.finditer(text):
        s0, e0 = run.span()
        if not _CJK.search(run.group(0)):
            continue
        for i in range(s0, e0):
            if text[i] == " " or (_LATIN.match(text[i]) and i > 0 and _LATIN.match(text[i - 1])):
                continue  # an alias starts a word: "plus会员" is not inside "surplus会员"
            if ONE + text[i] in aliases and _ROWS_BEFORE_ONE.search((unmasked or text)[max(0, i - 8) : i]):
                found.extend((entry, i, i + 1) for entry in aliases[ONE + text[i]])
            said = unmasked or text  # (the period after it is masked: 狗上个月)
            if ONE_VALUE + text[i] in aliases and _VALUE_ONE_BEFORE.search(said[max(0, i - 2) : i]) \
                    and _VALUE_ONE_AFTER.match(said[i + 1 :]):
                found.extend((entry, i, i + 1) for entry in aliases[ONE_VALUE + text[i]])
            for j in range(i + 2, min(e0, i + longest) + 1):
                if j < len(text) and _LATIN.match(text[j - 1]) and _LATIN.match(text[j]):
                    continue
                for entry in aliases.get(text[i:j], ()):
                    found.append((entry, i, j))
    return found

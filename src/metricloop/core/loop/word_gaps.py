"""Words people used that no metric has: read from the audit trail's unanswered questions, counted, for owners
to teach (core/catalog/taught.py).

A question asked back or refused because of its words says which words in its reply ("I could not place 'X'",
"No governed metric matches 'X'", "Not sure which metric 'X' means" …, and their Chinese). The same phrase asked
by many people is a word the catalog lacks; listed by how often it was asked (and by how many people), it is
what an owner teaches first. The phrases are read back from the reply templates themselves (texts.py), so a
reworded template keeps working.

Pure: the audit entries come in as plain dicts (``detail`` of a ``question`` entry, its ``who`` and ``at``).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from metricloop.core.present.texts import LANGS, TEXTS

# replies that name words of the question no metric has (the {text} / {words} of each template): words for a
# metric, or (unplaced) words for a condition or breakdown the catalog's dimensions and values do not have
METRIC_GAP_KEYS = ("no_metric", "which_metric", "metric_for", "several_metrics")
GAP_KEYS = ("unplaced", *METRIC_GAP_KEYS)
UNANSWERED = ("clarify", "no_match")
# particles and articles at the edges of a quoted span are not part of the word people would teach
_EDGES_ZH = "的了各个每些呢吗"
_EDGE_WORDS_EN = re.compile(r"^(?:(?:the|our|my|a|an|of|for|by|in|on|all|total)\s+)+|(?:\s+(?:by|of|for|in|on))+$")


def _pattern(template: str) -> re.Pattern[str]:
    """A template ("No governed metric matches '{text}'.") as a regex capturing its quoted field."""
    parts = re.split(r"\{(\w+)\}", template)
    regex = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            regex.append(re.escape(part))
        else:
            regex.append("(?P<words>.+?)" if part in ("text", "words") and "(?P<words>" not in "".join(regex)
                         else ".*?")
    return re.compile("^" + "".join(regex), re.DOTALL)


_PATTERNS = tuple((key, _pattern(TEXTS[key][lang])) for key in GAP_KEYS for lang in LANGS if lang in TEXTS[key])


def unplaced_phrase(message: str | None) -> str | None:
    """The words a clarify / no-match reply says it could not place, cleaned of edge particles (None: none)."""
    return gap_of(message)[0]


def gap_of(message: str | None) -> tuple[str | None, str | None]:
    """(the words a reply could not place, "metric" or "condition": what kind of word they lacked); (None, None)
    for a reply that names none."""
    for key, pattern in _PATTERNS:
        found = pattern.match(message or "")
        if found and "words" in found.groupdict():
            phrase = clean_gap(found.group("words"))
            return (phrase, "metric" if key in METRIC_GAP_KEYS else "condition") if phrase else (None, None)
    return None, None


def clean_gap(words: str) -> str | None:
    """The phrase an owner would teach: spaces collapsed, edge particles (的, 各) and articles ("the", "by") off."""
    phrase = re.sub(r"\s+", " ", words).strip(" '\"“”‘’,.;:?!，。；：？！-–")
    # the reply joins the question's Chinese pieces with spaces (各 的落槌额): people type them together
    phrase = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", phrase)
    phrase = _EDGE_WORDS_EN.sub("", phrase.lower() if phrase.isascii() else phrase).strip()
    return phrase.strip(_EDGES_ZH + " ") or None


@dataclass
class WordGap:
    """A phrase no metric has: how often and by how many people it was asked, and a question that used it."""

    phrase: str
    kind: str = "metric"  # what the words were missing as: a "metric" name, or a "condition" (dimension / value)
    asked: int = 0
    people: set[str] = field(default_factory=set)
    last_at: str = ""
    example: str | None = None  # a question as typed (never one asked in private)

    def to_json(self) -> dict[str, Any]:
        """As `metricloop catalog gaps --json` prints it."""
        return {"phrase": self.phrase, "kind": self.kind, "asked": self.asked, "people": len(self.people),
                "last_at": self.last_at, "example": self.example}


def word_gaps(entries: Iterable[Mapping[str, Any]], *, taught: Iterable[str] = (),
              tidy: Callable[[str], str | None] = lambda phrase: phrase) -> list[WordGap]:
    """The phrases unanswered questions could not place, most asked first (then by people, then newest).

    `entries`: audit ``question`` entries as {"who", "at", "detail"}; `taught`: phrases taught since, left out
    (the question would be answered now); `tidy`: drops what the interpreter already reads in a phrase (除了 of
    除了酒驾: the word to teach is 酒驾), None when nothing is left."""
    done = {p.casefold() for p in taught}
    gaps: dict[str, WordGap] = {}
    for entry in entries:
        detail = entry.get("detail") or {}
        if detail.get("status") not in UNANSWERED:
            continue
        phrase, kind = gap_of(detail.get("message"))
        phrase = tidy(phrase) if phrase else None
        if phrase is None or phrase.casefold() in done:
            continue
        gap = gaps.setdefault(phrase.casefold(), WordGap(phrase, kind))
        gap.asked += 1
        gap.people.add(str(entry.get("who") or ""))
        gap.last_at = max(gap.last_at, str(entry.get("at") or ""))
        if gap.example is None and not detail.get("private"):
            gap.example = detail.get("text")
    # (stable sorts, last key first: by phrase, newest first, then by people and asks)
    ordered = sorted(sorted(gaps.values(), key=lambda g: g.phrase), key=lambda g: g.last_at, reverse=True)
    return sorted(ordered, key=lambda g: (-g.asked, -len(g.people)))

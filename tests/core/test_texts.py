"""The one bilingual text table: every key in both languages, same placeholders, one term per idea."""
from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from metricloop.core.present.texts import LANGS, TEXTS, say

SRC = Path(__file__).resolve().parents[2] / "src" / "metricloop"


def _fields(template: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(template) if name is not None)


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_key_has_both_languages_with_the_same_placeholders(key):
    templates = TEXTS[key]
    assert tuple(templates) == LANGS, key
    assert all(t.strip() for t in templates.values()), key
    assert _fields(templates["en"]) == _fields(templates["zh"]), key


@pytest.mark.parametrize(("key", "lang", "fields", "expected"), [
    ("rows_shown", "en", {"shown": 50, "total": 80}, "Showing 50 of 80 rows."),
    ("rows_shown", "zh", {"shown": 50, "total": 80}, "显示 80 行中的 50 行。"),
    ("rows_shown", "fr", {"shown": 1, "total": 2}, "Showing 1 of 2 rows."),  # unknown language reads English
    ("context_metric", "zh", {"metrics": "revenue"}, "受治理指标：revenue"),
    ("no_metric", "en", {"text": "foo", "agg": "unused"}, "No governed metric matches 'foo'."),
])
def test_say_fills_the_template(key, lang, fields, expected):
    assert say(key, lang, **fields) == expected


def test_an_unknown_key_fails_loudly():
    with pytest.raises(KeyError):
        say("no_such_key", "en")


def test_one_chinese_term_for_governed_metric():
    """受治理指标 everywhere: no 受管指标, and no 受治理的指标 in the table or anywhere in the package."""
    offenders = [f"{p.relative_to(SRC)}:{n}" for p in sorted(SRC.rglob("*.py"))
                 for n, line in enumerate(p.read_text().splitlines(), 1) if re.search("受管|受治理的指标", line)]
    assert offenders == []

"""Values spelled in pinyin, said in Chinese characters (core/understand/zh_names)."""
from __future__ import annotations

import pytest

from greedy_cut import greedy_cutter
from metricloop.core.understand.zh_names import PinyinNames

VALUES = ["Ningbo", "Chengdu", "Dayton", "Brno", "nike", "Xi'an", "Xian", "Suzhou Industrial Park"]
WORDS = {"宁波", "成都", "工厂", "上个月", "产量", "除了", "以外", "你", "可以", "西安"}


_segment = greedy_cutter(WORDS)


@pytest.mark.parametrize(("said", "read", "names"), [
    ("宁波工厂上个月的产量", "Ningbo工厂上个月的产量", {"宁波": "Ningbo"}),
    ("除了成都以外", "除了Chengdu以外", {"成都": "Chengdu"}),
    ("你可以看下产量吗", "你可以看下产量吗", {}),     # "nike" is no proper name, and 你可 cuts 可以
    ("西安工厂", "西安工厂", {}),                     # Xi'an and Xian spell the same letters: neither is read
    ("上个月的产量", "上个月的产量", {}),
])
def test_a_value_in_pinyin_is_read_from_its_characters(said: str, read: str, names: dict) -> None:
    assert PinyinNames(VALUES).read(said, _segment) == (read, names)


def test_a_word_the_catalog_has_in_chinese_is_never_read_as_a_value() -> None:
    assert PinyinNames(VALUES, known=["宁波"]).read("宁波工厂", _segment) == ("宁波工厂", {})


def test_a_long_value_that_is_no_pinyin_name_is_passed_over_at_once() -> None:
    # (session 41) the name pattern split a lower-case run every possible way: a project name of 60 characters that
    # is no name took longer than any test's timeout to pass over, and the interpreter never finished starting
    project = "Riverside community health outreach evaluation and survey 2"
    names = PinyinNames([project, "Ningbo"])
    assert names.read("宁波", greedy_cutter({"宁波"})) == ("Ningbo", {"宁波": "Ningbo"})

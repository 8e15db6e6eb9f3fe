"""Chinese typos of sound and shape in short words (core/understand/zh_spelling)."""
from __future__ import annotations

import pytest

from greedy_cut import greedy_cutter
from metricloop.core.understand.zh_spelling import ChineseSpeller

WORDS = ["评分", "就诊", "搬入", "比例", "处方量", "收入", "期间", "少儿", "个人", "投诉", "增长"]
REAL_WORDS = {"期间", "旗舰", "上周", "评价", "多少"}  # what the segmenter's dictionary knows


def _is_word(piece: str) -> bool:
    return piece in REAL_WORDS


_segment = greedy_cutter(REAL_WORDS | {"多少", "这个", "怎么样"})


@pytest.mark.parametrize(("typed", "read", "corrections"), [
    ("这个月的评份是多少", "这个月的评分是多少", {"评份": "评分"}),   # same sound (fen)
    ("上周就珍量", "上周就诊量", {"就珍": "就诊"}),                  # same sound (zhen)
    ("本月搬人多少户", "本月搬入多少户", {"搬人": "搬入"}),          # same shape (人, 入)
    ("上周处方两多少", "上周处方量多少", {"处方两": "处方量"}),       # the longer word first
    ("上周的比列是多少", "上周的比例是多少", {"比列": "比例"}),      # same shape (列, 例)
    ("仿制药比列", "仿制药比列", {}),          # two characters glued to a word: too often a word the dictionary lacks
    ("近12个月每个月的收入", "近12个月每个月的收入", {}),           # (个月 sounds like 个人 in the table)
    ("上周评价怎么样", "上周评价怎么样", {}),                        # a word of its own is never a typo
    ("旗舰店收入", "旗舰店收入", {}),                                # 旗舰 sounds like 期间, and is a word
    ("评分多少", "评分多少", {}),                                    # spelled right
    ("这个月的坪份", "这个月的坪份", {}),                            # two characters off: not a typo of 评分
    ("有多少人退订", "有多少人退订", {}),                            # 少人 cuts the word 多少: never read as 少儿
    # fuzzy pinyin: a retroflex initial typed flat or the other way (shu for su, zeng for zheng)
    ("本月的投述数", "本月的投诉数", {"投述": "投诉"}),
    ("上周的投书是多少", "上周的投诉是多少", {"投书": "投诉"}),
    ("上个月的争长率", "上个月的增长率", {"争长": "增长"}),
    ("上个月的投资量", "上个月的投资量", {}),                        # zi is no su: only a retroflex and its twin
])
def test_short_chinese_typos_are_read_as_the_catalog_word(typed: str, read: str, corrections: dict) -> None:
    assert ChineseSpeller(WORDS).correct(typed, _segment, _is_word) == (read, corrections)


def test_two_catalog_words_as_near_are_left_alone() -> None:
    speller = ChineseSpeller(["收入", "收人"])  # both words: 收入 typed right is spelled right
    assert speller.correct("收入多少", _segment, _is_word) == ("收入多少", {})
    ambiguous = ChineseSpeller(["评分", "平分"])  # 坪分 is one sound from both (ping)
    assert ambiguous.correct("坪分", _segment, _is_word) == ("坪分", {})


@pytest.mark.parametrize(("typed", "read", "corrections"), [
    ("上个月拒付绿多少", "上个月拒付率多少", {"绿": "率"}),        # 绿 sounds like 率 (lv), after a catalog word
    ("本月拒付律", "本月拒付率", {"律": "率"}),
    ("上周仿制药比列", "上周仿制药比例", {"比列": "比例"}),        # the kind of number, glued to a catalog word
    ("上周拒付评份多少", "上周拒付评份多少", {}),                    # any other short word glued to one: left alone
    ("拒付率多少", "拒付率多少", {}),                                # spelled right
    ("上周绿多少", "上周绿多少", {}),                                # no catalog word before it
    ("拒付绿卡多少", "拒付绿卡多少", {}),                            # 绿卡 is a word of its own
    ("拒付绿色的", "拒付绿色的", {}),                                # nothing asked after it
])
def test_a_typo_of_the_rate_word_after_a_catalog_word_is_the_rate(typed: str, read: str, corrections: dict) -> None:
    words = ["拒付", "仿制药", "比例", "评分"]
    dictionary = REAL_WORDS | {"绿卡"}
    segment = greedy_cutter(dictionary | {"多少", "上个", "绿色"})
    assert ChineseSpeller(words).correct(typed, segment, dictionary.__contains__) == (read, corrections)


"""Chinese typos of sound (core/understand/homophones): a phrase typed with a character of the same pinyin is found,
a phrase spelled right is no typo, and short or too different runs are never taken for a phrase."""
from __future__ import annotations

import pytest

from metricloop.core.understand.homophones import find_homophones, homophone_index, pinyin_table, sound_of

PHRASES = ["入住率", "平均房价", "退款率", "收入", "客单价", "平均每日房价", "广告收入", "账单金额"]


@pytest.mark.parametrize(("typed", "found"), [
    ("上周的入驻率", ["入住率"]),           # 驻 for 住 (zhu)
    ("上个月的平均方价", ["平均房价"]),      # 方 for 房 (fang)
    ("退宽率多少", ["退款率"]),             # 宽 for 款 (kuan)
    ("上周的入住率", []),                  # spelled right: the exact matcher's, not a typo
    ("手入多少", []),                      # two characters: 手入 sounds like 收入 but is too short to trust
    ("如竹率", []),                        # every character different: a sound alone is no phrase
    ("平均每日方价", ["平均每日房价"]),      # one in four may differ
    ("平均美日方价", []),                   # two in six may not
    ("这周的广告收人", ["广告收入"]),        # 人 typed for 入: a character of the same shape
    ("上个月的账单金颔", ["账单金额"]),      # 颔 for 额
])
def test_a_phrase_typed_by_its_sound_is_found(typed, found):
    index = homophone_index(PHRASES)
    assert [p for p, _, _ in find_homophones(index, typed, 8)] == found


def test_the_table_covers_the_common_characters():
    table = pinyin_table()
    assert len(table) >= 6700 and table["住"] == table["驻"] == ("zhu",)
    assert "fang" in set(table["房"]) & set(table["方"])
    assert set(table["长"]) == {"chang", "zhang"}  # a character with several readings is under each
    assert sound_of("入住率", table)[0] == ("ru", "zhu", "lv") and sound_of("入住A", table) == []


def test_a_character_of_several_readings_matches_by_any():
    index = homophone_index(["停机时长"])  # 长 is chang here, as 常 is
    assert [p for p, _, _ in find_homophones(index, "上周各工厂停机时常", 8)] == ["停机时长"]

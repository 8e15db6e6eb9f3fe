"""Words people asked with that no metric has (core/loop/word_gaps.py): read back from every reply that names
them, in both languages, and counted from the audit trail's unanswered questions."""
from __future__ import annotations

import pytest

from metricloop.core.loop.word_gaps import GAP_KEYS, clean_gap, gap_of, unplaced_phrase, word_gaps
from metricloop.core.present.texts import say


@pytest.mark.parametrize("key", GAP_KEYS)
@pytest.mark.parametrize("lang,typed,phrase", [("en", "hammer total", "hammer total"), ("zh", "落槌额", "落槌额"),
                                               ("zh", "各 的落槌额", "落槌额"), ("en", "the Paddles by", "paddles")])
def test_every_reply_that_names_unplaced_words_gives_them_back(key, lang, typed, phrase):
    message = say(key, lang, text=typed, words=typed, offer="Region, East")
    assert unplaced_phrase(message) == phrase


@pytest.mark.parametrize("message", [None, "", "Which period did you mean?", say("invalid_date", "en", text="x"),
                                     say("finer_grain", "zh", text="小时")])
def test_other_replies_name_no_words_to_teach(message):
    assert unplaced_phrase(message) is None


@pytest.mark.parametrize("words,cleaned", [("  拍场 的 落槌额 ", "拍场的落槌额"), ("our hammer", "hammer"),
                                           ("的", None), ("Hammer Total", "hammer total")])
def test_a_gap_is_cleaned_to_what_an_owner_would_teach(words, cleaned):
    assert clean_gap(words) == cleaned


def entry(who: str, at: str, text: str, status: str, message: str | None, private: bool = False) -> dict:
    return {"who": who, "at": at, "detail": {"text": text, "status": status, "message": message,
                                             "private": private}}


def test_gaps_are_counted_most_asked_first_without_taught_words_or_private_examples():
    zh = say("no_metric", "zh", text="的落槌额")
    en = say("which_metric", "en", text="paddles")
    entries = [entry("U1", "2026-12-01T09:00", "私下问的落槌额", "no_match", zh, private=True),
               entry("U2", "2026-12-02T09:00", "上个月的落槌额", "no_match", zh),
               entry("U2", "2026-12-03T09:00", "how many paddles", "clarify", en),
               entry("U3", "2026-12-03T10:00", "revenue", "answered", None),
               entry("U3", "2026-12-04T10:00", "hammer", "clarify", say("no_metric", "en", text="hammer")),
               entry("U4", "2026-12-05T10:00", "hammer last week", "clarify", say("no_metric", "en", text="Hammer"))]
    gaps = word_gaps(entries, taught=["PADDLES"])
    assert [(g.phrase, g.asked, len(g.people), g.last_at, g.example) for g in gaps] == [
        ("hammer", 2, 2, "2026-12-05T10:00", "hammer"),  # as many asks, more people, newer: first
        ("落槌额", 2, 2, "2026-12-02T09:00", "上个月的落槌额")]  # the private question is counted, never shown
    assert {g.kind for g in gaps} == {"metric"}


@pytest.mark.parametrize("key,kind", [("unplaced", "condition"), ("no_metric", "metric"), ("which_metric", "metric"),
                                      ("metric_for", "metric"), ("several_metrics", "metric")])
def test_a_gap_says_whether_a_metric_or_a_condition_lacked_the_words(key, kind):
    assert gap_of(say(key, "en", text="jurisdiction", words="jurisdiction", offer="State"))[1] == kind


def test_a_gap_is_tidied_of_what_the_interpreter_reads_itself():
    unplaced = [say("unplaced", "zh", words=words, offer="x") for words in ("除了酒驾", "酒驾")]
    entries = [entry("U1", "2026-12-01", "上个月除了酒驾的案子", "clarify", unplaced[0]),
               entry("U2", "2026-12-02", "除酒驾以外", "clarify", unplaced[1])]
    gaps = word_gaps(entries, tidy=lambda phrase: phrase.replace("除了", "") or None)
    assert [(g.phrase, g.asked, g.kind) for g in gaps] == [("酒驾", 2, "condition")]

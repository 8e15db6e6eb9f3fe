"""A chain's branches named by what follows the brand they share (core/understand/lexicon._name_tails)."""
from __future__ import annotations

from metricloop.core.understand.lexicon import _distinct_words, _name_tails


def test_the_words_after_a_shared_brand_name_the_branch() -> None:
    names = ["Ember & Oak Lincoln Park", "Ember & Oak Old Town", "Ember & Oak Back Bay", "Ember & Oak Downtown"]
    assert _name_tails(names) == {"Ember & Oak Lincoln Park": "Lincoln Park", "Ember & Oak Old Town": "Old Town",
                                  "Ember & Oak Back Bay": "Back Bay"}  # one word is left to the name-word reader


def test_no_shared_brand_no_tail() -> None:
    assert _name_tails(["Lakeside Urgent Care", "Hillcrest Family Clinic"]) == {}


def test_a_tail_two_values_end_with_is_no_name() -> None:
    names = ["North Side Grill Old Town", "North Side Grill Lincoln Park", "South Grill Old Town"]
    assert _name_tails(names) == {"North Side Grill Lincoln Park": "Lincoln Park"}


def test_among_chinese_a_name_is_said_by_the_one_word_no_other_name_holds() -> None:
    # (session 42: Phoenix厂, 不算Loring, Pearl店 — read only inside a Chinese question, see Lexicon.among_chinese)
    labs = ["Phoenix Lab", "Denver Lab", "Columbus Lab"]
    assert _distinct_words(labs, set()) == {"Phoenix Lab": ["Phoenix"], "Denver Lab": ["Denver"],
                                            "Columbus Lab": ["Columbus"]}
    assert _distinct_words(["Loring S35", "Probat P25"], set()) == {"Loring S35": ["Loring"],
                                                                    "Probat P25": ["Probat"]}
    # a word another value holds whole ("Plus" beside "Annual Plus"), or a word of the catalog's, names no one value
    assert _distinct_words(["Plus", "Annual Plus", "Basic"], set()) == {"Annual Plus": ["Annual"]}
    assert _distinct_words(["Central Lab", "North Lab"], {"central"}) == {"North Lab": ["North"]}

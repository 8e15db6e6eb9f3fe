"""Taught words in the store (adapters/store_taught.py), on both backends: one live word per phrase, a retried
delivery written once, forgetting keeps the history, and what was stored survives a reopen."""
from __future__ import annotations


def test_a_word_is_taught_once_per_phrase_and_survives_a_reopen(store_backend):
    store = store_backend.open()
    word, outcome = store.teach_word(" 落槌额 ", "revenue", "U0ANA", source="cmd:1")
    assert outcome == "taught" and word.phrase == "落槌额" and word.taught_by == "U0ANA" and word.at
    assert store.teach_word("落槌额", "revenue", "U0BOB")[1] == "same"
    assert store.teach_word("Hammer  Total", "revenue", "U0ANA")[1] == "taught"
    taken, outcome = store.teach_word("hammer total", "orders", "U0BOB")
    assert outcome == "taken" and taken.metric == "revenue"  # another metric's phrase: nothing written
    reopened = store_backend.open()
    assert [(w.phrase, w.metric) for w in reopened.taught_words()] == [("落槌额", "revenue"),
                                                                      ("Hammer Total", "revenue")]


def test_a_retried_delivery_writes_nothing_twice(store):
    first = store.teach_word("paddles", "orders", "U0ANA", source="cmd:7")
    again = store.teach_word("paddles", "orders", "U0ANA", source="cmd:7")
    assert first[1] == "taught" and again == (first[0], "same")
    assert len(store.taught_words()) == 1


def test_a_forgotten_word_is_no_longer_laid_over_and_may_be_taught_again(store):
    store.teach_word("paddles", "orders", "U0ANA")
    forgotten = store.forget_word("PADDLES", "U0ANA")
    assert (forgotten.phrase, forgotten.metric) == ("paddles", "orders")
    assert store.taught_words() == [] and store.forget_word("paddles", "U0ANA") is None
    assert store.teach_word("paddles", "sessions", "U0BOB")[1] == "taught"
    assert [(w.metric, w.taught_by) for w in store.taught_words("sessions")] == [("sessions", "U0BOB")]
    assert store.taught_words("orders") == []


def test_words_for_a_dimension_and_a_value_are_kept_apart_from_metric_words(store):
    assert store.teach_word("渠道", "", "U0ANA", dimension="channel")[1] == "taught"
    assert store.teach_word("线上", "", "U0ANA", dimension="channel", value="Online")[1] == "taught"
    assert store.teach_word("线上", "", "U0BOB", dimension="channel", value="Online")[1] == "same"
    assert store.teach_word("线上", "", "U0BOB", dimension="channel", value="Store")[1] == "taken"
    assert store.teach_word("渠道", "orders", "U0BOB")[1] == "taken"
    assert [(w.kind, w.target) for w in store.taught_words()] == [("dimension", "channel"),
                                                                  ("value", "channel: Online")]

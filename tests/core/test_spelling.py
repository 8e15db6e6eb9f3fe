"""The speller: a lower-case typo of a catalog word is read as the word; real words, names and near misses of two
words are left as typed (core/understand/spelling)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.embeddings import FakeEmbedder
from metricloop.adapters.value_index import StaticValueIndex
from metricloop.core.understand.interpreter import Understander
from metricloop.core.understand.spelling import Speller, build_speller, known_words, unclipped

ROOT = Path(__file__).resolve().parents[2]
VALUES = {("customers", "region"): ["East", "West", "Smyth"], ("orders", "status"): ["completed", "cancelled"]}


@pytest.fixture(scope="module")
def speller() -> Speller:
    return build_speller(load_catalog(ROOT / "tests" / "fixtures" / "catalogs" / "shop"), VALUES)


@pytest.mark.parametrize("typed,expected,read", [
    ("revnue by regoin", "revenue by region", {"revnue": "revenue", "regoin": "region"}),
    ("ordrs last week", "orders last week", {"ordrs": "orders"}),  # a plural typed as a plural
    ("cancelld orders", "cancelled orders", {"cancelld": "cancelled"}),
    ("custmer count", "customer count", {"custmer": "customer"}),
    # left as typed: real words (the catalog says "order", "customer"), a capitalised word that may be a name,
    # numbers and period codes, words too short to tell, and words already right
    ("stuff we had", "stuff we had", {}),
    ("fair orders", "fair orders", {}),
    ("Smith region", "Smith region", {}),
    ("q3 revenue", "q3 revenue", {}),
    ("rev by reg", "rev by reg", {}),
    ("revenue by region", "revenue by region", {}),
    # the word before a period unit with the letters of last / this / past in another order, though a word itself
    ("orders lsat month", "orders last month", {"lsat": "last"}),
    ("orders tihs week", "orders this week", {"tihs": "this"}),
    ("orders lats year", "orders last year", {"lats": "last"}),
    ("orders past year", "orders past year", {}),
    ("orders late month", "orders late month", {}),  # another word, not a slip of the fingers
])
def test_typos_are_read_as_the_catalogs_words(speller: Speller, typed: str, expected: str,
                                              read: dict[str, str]) -> None:
    assert speller.correct(typed) == (expected, read)


def test_a_typo_between_two_catalog_words_is_left_as_typed() -> None:
    speller = Speller(frozenset({"counts", "county"}), known_words())
    assert speller.correct("countz") == ("countz", {})
    assert Speller(frozenset({"county"}), known_words()).correct("countz") == ("county", {"countz": "county"})


def test_two_letters_swapped_beat_one_mistyped_at_the_same_distance() -> None:
    # (session 41) "on tiem rate": "time" and the catalog's "tier" were as near, so the typo was left as typed and
    # asked back; a swap keeps the word's letters
    speller = Speller(frozenset({"time", "tier"}), frozenset())
    assert speller.correct("tiem") == ("time", {"tiem": "time"})
    assert speller.correct("tiee") == ("tiee", {})  # one letter off each, no swap: still not ours to guess


def test_a_short_name_word_stands_for_its_long_form() -> None:
    speller = Speller(frozenset({"avg", "average", "daily", "rate"}), known_words())
    assert speller.correct("avrage daily rate") == ("average daily rate", {"avrage": "average"})


def test_another_form_of_a_word_is_no_typo() -> None:
    # "shippng" is a typo of "shipping"; "shipping" typed where the catalog says "shipped" is another form
    speller = Speller(frozenset({"shipped"}), frozenset())
    assert speller.correct("shipping") == ("shipping", {})
    assert speller.correct("shippd") == ("shipped", {"shippd": "shipped"})


def test_the_restatement_says_which_words_were_read_as_others() -> None:
    catalog = load_catalog(ROOT / "tests" / "fixtures" / "catalogs" / "shop")
    understander = Understander(catalog, FakeEmbedder(), StaticValueIndex(VALUES))
    found = understander.interpret("revnue by regoin last month", today=dt.date(2026, 11, 27))
    assert found.kind == "query" and found.query is not None
    assert found.query.metrics == ("revenue",) and found.query.group_by == ("customer__region",)
    assert found.corrections == {"revnue": "revenue", "regoin": "region"}
    assert "'revnue' as revenue" in (found.restatement or "")
    zh = understander.interpret("上个月的revnue", today=dt.date(2026, 11, 27))
    assert zh.kind == "query" and "“revnue”按“revenue”理解" in (zh.restatement or "")


@pytest.mark.parametrize(("typed", "catalog", "read"), [
    # the other way round, British or American, as the catalog writes the word
    ("chair utilisation", {"chair", "utilization"}, "chair utilization"),
    ("colour of the car", {"color"}, "color of the car"),
    ("revenue by centre", {"revenue", "center"}, "revenue by center"),
    ("enrolments this week", {"enrollments"}, "enrollments this week"),
    ("cancelled orders", {"canceled", "orders"}, "canceled orders"),
    ("canceled orders", {"cancelled", "orders"}, "cancelled orders"),
    ("labour cost", {"labor", "cost"}, "labor cost"),
    ("analysed claims", {"analyzed", "claims"}, "analyzed claims"),
    # never another word that happens to be in the catalog
    ("four stores", {"for", "stores"}, "four stores"),
    ("floor sales", {"flour", "sales"}, "floor sales"),
    ("orders filled", {"filed", "orders"}, "orders filled"),
    ("utilisation", {"utilisation"}, "utilisation"),  # written as the catalog writes it
])
def test_a_british_or_american_spelling_is_read_as_the_catalogs(typed, catalog, read):
    assert Speller(frozenset(catalog), known_words()).correct(typed)[0] == read


@pytest.mark.parametrize("word,catalog,expected", [
    # (session 42) "new subs", "subs cancelled": the catalog's subscriptions, in the clipped word's number
    ("subs", {"subscriptions", "subscriber"}, "subscriptions"),
    ("sub", {"subscription"}, "subscription"),
    ("appts", {"appointments"}, "appointments"),
    ("subs", {"subscribers"}, "subscribers"),
    # which was meant is not ours to guess, or the catalog says the clipped word itself, or means none of it
    ("subs", {"subscriptions", "subcontractors"}, None),
    ("subs", {"subscriptions", "sub"}, None),
    ("subs", {"orders"}, None),
    ("sublet", {"subscriptions"}, None),
])
def test_a_clipped_word_stands_for_the_one_catalog_word_it_clips(word, catalog, expected):
    assert unclipped(word, frozenset(catalog)) == expected

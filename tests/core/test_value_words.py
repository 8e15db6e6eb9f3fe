"""Words that stand for a whole value or entity (core/understand/lexicon): a payer's leading name or code, the
everyday words of an entity listed on two lines, and which glossary terms make a word common."""
from __future__ import annotations

from collections import Counter

from metricloop.core.understand.glossary import common_terms, load_glossary
from metricloop.core.understand.lexicon import _lead_words, _uncommon, parse_entity_words

PAYERS = ["Medicaid Waiver", "Private Pay", "Long-Term Care Insurance", "VA Community Care"]


def _everywhere(*dimensions: list[str]) -> Counter[str]:
    return Counter(w.lower() for values in dimensions for v in values for w in set(v.split()))


def test_a_leading_proper_name_or_code_names_its_value() -> None:
    payers = ["Tricare Select", *PAYERS[1:]]
    assert _lead_words(payers, set(), _everywhere(payers)) == {"Tricare Select": "Tricare", "VA Community Care": "VA"}


def test_no_leading_word_that_is_a_catalog_word_everyday_or_held_by_another_value() -> None:
    assert "VA Community Care" not in _lead_words(PAYERS, {"va"}, _everywhere(PAYERS))  # a metric's word
    assert "Medicaid Waiver" not in _lead_words(PAYERS, set(), _everywhere(PAYERS))  # a business glossary term
    handlers = ["Cascadia Ground Ops", "Summit Aviation"]
    airlines = ["Cascadia Airlines", "Harbor Air"]
    assert "Cascadia Ground Ops" not in _lead_words(handlers, set(), _everywhere(handlers, airlines))
    assert _lead_words(["Private Pay", "Express Lane"], set(), _everywhere(["Private Pay", "Express Lane"])) == {}


def test_an_entity_listed_on_two_lines_keeps_both_lines_words() -> None:
    lines = ["# the people", "account\tclient|clients", "promotion\tpromo", "account\tacct|accts"]
    assert parse_entity_words(lines) == {"account": ("client", "clients", "acct", "accts"), "promotion": ("promo",)}


def test_the_later_trades_terms_render_but_do_not_make_a_name_common() -> None:
    assert load_glossary().render("greenway") and ("greenway",) not in common_terms()
    assert _uncommon("greenway", set())  # "at Greenway": the facility Greenway Compost
    assert not _uncommon("revenue", set())

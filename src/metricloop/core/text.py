"""Text normalisation and tokenisation for matching questions against the catalog. Pure.

Latin text is lower-cased, NFKC-folded (full-width digits and letters become ASCII) and split into
word tokens; Chinese text is segmented with jieba when it is importable (initialised lazily and
quietly), else into single characters. Callers match Chinese phrases by substring anyway, so the
segmentation only adds recall (jieba words for the dense/lexical overlap scores).
"""
from __future__ import annotations

import difflib
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

from rapidfuzz.distance import OSA

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")  # a run of Chinese characters
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_SPACES = re.compile(r"\s+")

# Function words that never identify a metric, dimension or value on their own.
STOPWORDS = frozenset(
    ["a", "an", "the", "of", "for", "in", "on", "at", "by", "to", "from", "with", "and", "or", "vs", "versus",
     "per", "is", "are", "was", "were", "be", "been", "do", "does", "did", "what", "whats", "what's", "how",
     "much", "many", "show", "me", "give", "tell", "please", "our", "we", "us", "my", "i", "you", "it", "its",
     "this", "that", "these", "those", "which", "who", "when", "where", "there", "their", "total", "number",
     "amount", "all", "any", "each", "every", "some", "value", "values", "can", "could", "would", "should",
     "will", "get", "got", "see", "look", "looking", "about", "over", "so", "far", "just", "only", "also",
     "too", "into",
     "的", "了", "吗", "呢", "是", "多少", "我们", "一下", "请", "看看", "看", "给", "显示", "总", "总共", "一共"]
)


def has_cjk(text: str) -> bool:
    """True when the text contains Chinese characters."""
    return bool(_CJK.search(text))


def first_chinese(words: Iterable[str]) -> str | None:
    """The first word with Chinese characters (a catalog's Chinese name for something), if any."""
    return next((w for w in words if has_cjk(w)), None)


@lru_cache(maxsize=512)
def _unaccented(char: str) -> str:
    """A Latin letter without its accents ('é' → 'e'); any other character as it is."""
    parts = unicodedata.normalize("NFD", char)
    if len(parts) > 1 and parts[0].isascii() and parts[0].isalpha() and all(map(unicodedata.combining, parts[1:])):
        return parts[0]
    return char


def fold(text: str) -> str:
    """NFKC (full-width → ASCII), accents off Latin letters ('café' as 'cafe', as people type it either way), curly
    quotes straightened, whitespace collapsed; case kept."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = "".join(map(_unaccented, text))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u3000", " ")
    return _SPACES.sub(" ", text).strip()


def lower_same_length(text: str) -> str:
    """Lower case character by character, so offsets into `text` stay valid."""
    if text.isascii():
        return text.lower()  # (the common case, and the same result: every ASCII letter lowers to one letter)
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """`fold` then lower case: the form every phrase and question is matched in."""
    return lower_same_length(fold(text))


# Verb forms people ask with, mapped to the noun a catalog names the quantity by ("how much did we
# sell" is about sales). English only, and only words whose noun is unambiguous.
_LEMMA = {
    **dict.fromkeys(("sell", "sold", "selling"), "sale"),
    **dict.fromkeys(("spent", "spending"), "spend"),
    **dict.fromkeys(("earned", "earning"), "earnings"),
    **dict.fromkeys(("refunded", "refunding"), "refund"),
    **dict.fromkeys(("ordered", "ordering"), "order"),
    **dict.fromkeys(("booked",), "booking"),
    **dict.fromkeys(("churned", "churning"), "churn"),
    **dict.fromkeys(("signed", "signing"), "signup"),
    **dict.fromkeys(("visited", "visiting"), "visit"),
    **dict.fromkeys(("converted", "converting", "convert"), "conversion"),
    **dict.fromkeys(("paid", "paying"), "payment"),
}


# Chat shorthand for time words ("revnue lst mnth"): expanded before anything else reads the text.
_SHORTHAND = {"lst": "last", "mnth": "month", "mth": "month", "mnths": "months", "mths": "months", "wk": "week",
              "wks": "weeks", "yr": "year", "yrs": "years", "qtr": "quarter", "qtrs": "quarters", "prev": "previous",
              "yday": "yesterday", "yest": "yesterday", "thru": "through", "tdy": "today", "rev": "revenue"}
# (a whole word only: "drive-thru" is a value's own spelling, not "drive-through")
_SHORTHAND_RX = re.compile(r"(?<![\w-])(" + "|".join(sorted(_SHORTHAND, key=len, reverse=True)) + r")(?![\w-])",
                           re.IGNORECASE)


# 店 alone after a measure or rows word (三家店, 各店, 按店看, 那家店) is a shop, the word 门店 says in full (店员, 店长
# are its staff); 每家, 各家 ask for rows as 每个, 各个 do
_SHOP_ZH = re.compile(r"(?<=[家各按])店(?![员长主铺面内里外])")
_EACH_FIRM_ZH = re.compile(r"(每一?|各)家(?=[\u4e00-\u9fff])")
# 销售 counted as people (每个销售, 哪个销售, 最高的三个销售, 各位销售) is the salespeople, the word 销售员 says in full
# (销售额, 销售收入 stay the sales)
_SALESPEOPLE_ZH = re.compile(r"(?:(?<=[个位名])|(?<=各))销售(?=[的们是谁最有里中]|$|[\s,，。?？!！、])")
# 不同X, 各类X, 各种X ask for rows by X as 各X does (与…不同 is "unlike", no rows); 哪种X, 哪类X ask which X as
# 哪个X does
_EACH_KIND_ZH = re.compile(r"(?<![与和跟同相])不同的?(?=[\u4e00-\u9fff])|各[类种](?=[\u4e00-\u9fff])")
_WHICH_KIND_ZH = re.compile(r"哪一?[种类](?=[\u4e00-\u9fff])")
# "no show 率", "CSAT率": an English name with the Chinese word for its kind after it is the English name of that kind
# (no show rate); only after a Latin word, so 转化率 is untouched
_LATIN_THEN_RATE_ZH = re.compile(r"(?<=[A-Za-z])\s*率")


# A price word on a counted noun asks for the unit cost: "the cheapest clicks" is the lowest cost per click.
_PRICE_RX = re.compile(r"\b(cheapest|most expensive|priciest|costliest)\s+([a-z]{3,}s)\b", re.IGNORECASE)


_UNITS = ("day", "days", "week", "weeks", "weekend", "month", "months", "quarter", "quarters", "year", "years")
_AFTER_TIME_WORD = re.compile(r"\b(last|this|next|past|previous|prior)(\s+)([a-z]{3,9})\b", re.IGNORECASE)


def _unit_typo(m: re.Match[str]) -> str:
    """"last quater", "last wek": a period word one slip away, after a word that only periods follow."""
    word = m.group(3).lower()
    if word not in _UNITS:
        near = [u for u in _UNITS if OSA.distance(word, u) <= 1 and abs(len(word) - len(u)) <= 1]
        if len(near) == 1:
            return f"{m.group(1)}{m.group(2)}{near[0]}"
    return m.group(0)


_LONG_MONTHS = ("january", "february", "august", "september", "october", "november", "december", "yesterday")
_WORD6 = re.compile(r"\b[a-z]{5,10}\b", re.IGNORECASE)


_STATISTIC_WORDS = ("median", "maximum", "minimum", "average", "percentile")
_NOT_TYPOS = ("media",)  # real words one slip from a statistic ("net media revenue" is no median)


def _month_typo(m: re.Match[str]) -> str:
    """"octobr", "septmber", "yesterdy": a long month name (or yesterday) one slip away (short ones are too near other
    words: "march"); "medain", "averge": a statistic one slip away, typed in lower case before the noun it is of (a
    capitalised word may be a name: Medina) — read as what it is, so "medain send amount" is asked back, never
    answered with the average."""
    word = m.group(0).lower()
    if word in _LONG_MONTHS or word in _STATISTIC_WORDS or word in _NOT_TYPOS:
        return m.group(0)
    near = [n for n in _LONG_MONTHS if abs(len(word) - len(n)) <= 1 and OSA.distance(word, n) <= 1]
    if not near and m.group(0).islower() and re.match(r"\s+[a-z]", m.string[m.end():]):
        near = [n for n in _STATISTIC_WORDS if n[0] == word[0] and abs(len(word) - len(n)) <= 1
                and OSA.distance(word, n) <= 1]
    return near[0] if len(near) == 1 else m.group(0)


def expand_shorthand(text: str) -> str:
    """Expand chat shorthand for time words ("lst mnth" → "last month", "last quater" → "last quarter", "octobr" →
    "october"), statistics ("medain" → "median"), price words ("cheapest clicks" → "lowest cost per click") and
    Chinese short forms of shops, rows and salespeople (三家店 → 三家门店, 每家 → 每个, 每个销售 → 每个销售员)."""
    text = _SHORTHAND_RX.sub(lambda m: _SHORTHAND[m.group(1).lower()], text)
    text = _EACH_FIRM_ZH.sub(lambda m: m.group(1) + "个", _SHOP_ZH.sub("门店", text))
    text = _SALESPEOPLE_ZH.sub("销售员", text)
    text = _WHICH_KIND_ZH.sub("哪个", _EACH_KIND_ZH.sub("各", text))
    text = _LATIN_THEN_RATE_ZH.sub(" rate ", text)
    text = _AFTER_TIME_WORD.sub(_unit_typo, text)
    text = _WORD6.sub(_month_typo, text)
    return _PRICE_RX.sub(lambda m: ("lowest" if m.group(1).lower() == "cheapest" else "highest")
                         + " cost per " + singular(m.group(2).lower()), text)


_STATISTIC = r"(?:average|avg|mean|median|max(?:imum)?|min(?:imum)?|total|p\d\d)"
_SHARED_HEAD = re.compile(
    rf"\b({_STATISTIC})\s*(?:and|&|/|,)\s*({_STATISTIC})\s+([a-z][a-z ]*?[a-z])"
    r"(?=\s+(?:by|per|for|in|on|at|from|since|during|over|last|this|yesterday|today|vs|versus)\b|\s*[?.,!]|\s*$)",
    re.IGNORECASE,
)


def distribute_statistics(text: str) -> str:
    """"average and median response time" → "average response time and median response time": two
    statistics sharing one noun are two metrics."""
    return _SHARED_HEAD.sub(lambda m: f"{m.group(1)} {m.group(3)} and {m.group(2)} {m.group(3)}", text)


def lemma(word: str) -> str:
    """`singular`, then the noun for a handful of verb forms ("sold" → "sale")."""
    single = singular(word)
    return _LEMMA.get(word, _LEMMA.get(single, single))


_US_NOUNS = frozenset({"bonus", "status", "campus", "virus", "census", "consensus", "focus", "surplus", "prospectus",
                       "bus", "stimulus", "radius", "nexus", "plus", "syllabus", "corpus", "apparatus"})


# nouns ending in a single s whose plural adds "es" (a plural ending "ses" is otherwise a word ending in "se")
_S_NOUNS = frozenset({"gas", "lens", "bias", "alias", "atlas", "canvas", "iris"})


_PARTICLE_PLURALS = {"ins": "in", "ons": "on"}


_CODE_PLURAL = re.compile(r"[a-z]{1,2}\d{1,2}s")


def singular(word: str) -> str:
    """A light English singulariser for matching ("regions" → "region", "categories" → "category")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith(("uses", "ses")) and word[:-2] in _US_NOUNS | _S_NOUNS:
        return word[:-2]  # "bonuses" → "bonus", "gases" → "gas", while "courses", "cases" lose only the s
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    if _CODE_PLURAL.fullmatch(word):
        return word[:-1]  # "P1s", "L2s": codes counted in the plural
    return _PARTICLE_PLURALS.get(word, word)  # "walk-ins", "add-ons": the plural of a phrasal noun


_JIEBA = None
_SEGMENTER: Callable[[str], list[str]] | None = None
_DICTIONARY: Callable[[str], bool] | None = None


def use_segmenter(cut: Callable[[str], list[str]] | None, known: Callable[[str], bool] | None = None) -> None:
    """Install the Chinese word segmenter (adapters/segmenter.py builds a slim jieba) and its dictionary
    (`known`: the word is in it); None → default jieba."""
    global _SEGMENTER, _DICTIONARY
    _SEGMENTER, _DICTIONARY = cut, known
    tokens.cache_clear()


def segmenter_state() -> tuple[Callable[[str], list[str]] | None, Callable[[str], bool] | None]:
    """The installed segmenter and its dictionary, to put back with `use_segmenter(*state)`."""
    return _SEGMENTER, _DICTIONARY


def chinese_word(word: str) -> bool:
    """`word` is in the segmenter's dictionary (a word it has not seen may still come out of it as one token)."""
    if _SEGMENTER is not None:
        return bool(_DICTIONARY and _DICTIONARY(word))
    jb = _jieba()
    return bool(jb and jb.dt.FREQ.get(word)) if jb and jb.dt.initialized else False


def _jieba():
    """jieba, imported and initialised on first use with its logging silenced (None if missing)."""
    global _JIEBA
    if _JIEBA is None:
        try:
            import jieba  # local: only Chinese text needs it, and core stays importable without it

            jieba.setLogLevel(logging.WARNING)
            _JIEBA = jieba
        except ImportError:  # pragma: no cover - jieba is a dependency, this is a safety net
            _JIEBA = False
    return _JIEBA or None


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[str, ...]:
    """Word tokens of normalised text: latin words singularised, Chinese runs segmented."""
    out: list[str] = []
    for m in _WORD.finditer(normalise(text)):
        word = m.group(0)
        if has_cjk(word):
            jb = None if _SEGMENTER else _jieba()
            cut = _SEGMENTER or (jb.lcut if jb else list)
            out.extend(w for w in cut(word) if w.strip())
        else:
            out.append(lemma(word))
    return tuple(out)


def content_tokens(text: str) -> tuple[str, ...]:
    """Tokens without stopwords (what carries meaning for matching)."""
    return tuple(t for t in tokens(text) if t not in STOPWORDS)


# Pure grammar: unlike STOPWORDS, "total", "number" and "amount" stay, as metric names use them.
FUNCTION_WORDS = frozenset(["a", "an", "the", "of", "for", "in", "on", "at", "by", "to", "per", "and", "or",
                            "with", "from", "&", "vs", "is", "are", "was", "were", "be", "been", "do", "does",
                            "did", "what", "how", "which", "who", "me", "our", "we", "us", "my", "i", "you",
                            "it", "its", "this", "that", "these", "those"])


def meaning_tokens(text: str) -> tuple[str, ...]:
    """Tokens without pure grammar words (for comparing a question with metric names)."""
    return tuple(t for t in tokens(text) if t not in FUNCTION_WORDS)


# the plural of a phrasal noun's particle, read so only after a hyphen ("follow-ups", "sign-ups"): alone, "ups" is
# as likely the carrier UPS
_HYPHENED_PLURALS = {"ups": "up"}


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, singular form) for each latin word of already-normalised text."""
    return [(m.start(), m.end(), _singular_at(text, m)) for m in re.finditer(r"[a-z0-9]+(?:'[a-z]+)?", text)]


def _singular_at(text: str, word: re.Match) -> str:
    if word.start() and text[word.start() - 1] == "-" and word.group(0) in _HYPHENED_PLURALS:
        return _HYPHENED_PLURALS[word.group(0)]
    return singular(word.group(0))


def humanise(name: str) -> str:
    """`order_total` → "order total" (how people say an identifier)."""
    return name.replace("__", " ").replace("_", " ").strip()


# "Did you mean" policy, one for the whole product: candidates are compared case-insensitively by
# difflib's similarity ratio and offered only when it is at least SUGGEST_CUTOFF (difflib's own default).
# Below that a hint is more often wrong than helpful; a wrong hint is worse than none.
SUGGEST_CUTOFF = 0.6


def suggest(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Up to `n` candidates close to `word` (ratio >= SUGGEST_CUTOFF), best first, in their own spelling."""
    by_folded: dict[str, str] = {}
    for candidate in candidates:
        by_folded.setdefault(str(candidate).casefold(), str(candidate))
    close = difflib.get_close_matches(str(word).casefold(), list(by_folded), n=n, cutoff=SUGGEST_CUTOFF)
    return [by_folded[c] for c in close]


def blank(text: str, spans: Iterable[tuple[int, int]], fill: str = " ") -> str:
    """`text` with the characters of `spans` replaced by `fill` (same length, so offsets still hold)."""
    chars = list(text)
    for s, e in spans:
        chars[s:e] = fill * (min(e, len(chars)) - s)
    return "".join(chars)

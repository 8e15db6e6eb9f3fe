"""The bilingual business glossary: English catalog phrases rendered in Chinese. Pure (reads a data file
shipped inside the package, once).

Catalog owners write their YAML in English; people ask in Chinese. `src/metricloop/data/glossary.tsv`
holds general business vocabulary (metrics, places, organisations, products, customers, channels,
devices, plans, statuses and their usual values) as English → Chinese renderings. `render` turns an
English phrase of a catalog ("on time delivery rate", "cost per package", "number of claims") into the
Chinese ways of saying it (准时交付率, 每件运费, 索赔数量): the phrase is cut into the longest glossary
terms, each term contributes its renderings, and the connectors Chinese puts first are moved ("X per Y"
→ 每Y X / Y均X, "X of Y" → Y X / Y的X, "X to Y" → Y X). A phrase with a word the glossary does not
know has no rendering: a partial translation would invent meanings.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from metricloop.core.text import STOPWORDS, has_cjk, normalise, word_spans

Words = tuple[str, ...]
MAX_RENDERINGS = 48  # per phrase: enough for every combination people use, bounded for odd long names
_SKIP = frozenset({"the", "a", "an", "our", "is", "are"})
_SPELLED = {"avg": "average", "qty": "quantity", "amt": "amount"}
# Connectors whose right-hand side comes first in Chinese.
_FRONT = ("per", "of", "to", "for")
# Leading words Chinese also says last: "total customers" is 总客户数 and 客户总数.
_NAME = re.compile(r"[a-z0-9]*[a-z][a-z0-9]*|[0-9]+")  # a word kept in Latin when the glossary does not know it
_NO_VOWEL = re.compile(r"[b-df-hj-np-tv-z]{2,4}")  # an abbreviation: pt, gmv, nps (not a word like "net")
_STATISTICS = frozenset({"average", "mean", "median", "total"})
_LAST = {("total",): ("总数", "总量", "总额"), ("median",): ("中位数",)}


@dataclass(frozen=True)
class Rendering:
    text: str
    bound: bool  # only inside a longer phrase (率 in 转化率, never 率 alone)


@dataclass(frozen=True, eq=False)  # hashed by identity: renderings are memoised per glossary
class Glossary:
    """English term (singular words) → its Chinese renderings, in the file's order."""

    terms: Mapping[Words, tuple[Rendering, ...]]
    max_len: int

    def render(self, phrase: str | Words) -> tuple[str, ...]:
        """Chinese renderings of an English phrase (empty when a word is not in the glossary)."""
        words = phrase if isinstance(phrase, tuple) else key_of(phrase)
        # a name's shortened word is said as the word ("Avg check" is an average check: 客单价)
        return _render(self, tuple(_SPELLED.get(w, w) for w in words if w not in _SKIP))

    def english_of(self, chinese: str) -> tuple[Words, ...]:
        """The English terms a Chinese word of two characters or more renders (垃圾车: collection truck, garbage
        truck); empty when the glossary has no such word."""
        return _english(self).get(chinese, ())


@lru_cache(maxsize=2)
def _english(glossary: Glossary) -> dict[str, tuple[Words, ...]]:
    found: dict[str, list[Words]] = {}
    for words, renderings in glossary.terms.items():
        for r in renderings:
            if len(r.text) >= 2 and not r.bound and has_cjk(r.text):
                found.setdefault(r.text, []).append(words)
    return {k: tuple(v) for k, v in found.items()}


def key_of(text: str) -> Words:
    """The glossary key of an English phrase: normalised, singular words ("%" is the word percent: "Gross
    margin %" is 毛利率)."""
    return tuple(w for _, _, w in word_spans(normalise(text.replace("%", " percent "))))


def parse_glossary(lines: Iterable[str]) -> Glossary:
    """A glossary from TSV lines (`english<TAB>zh|zh|~bound`); `#` starts a comment line. A repeated
    English term adds its renderings to the earlier ones."""
    return _glossary(_add_lines({}, lines))


def _add_lines(terms: dict[Words, list[Rendering]], lines: Iterable[str]) -> dict[Words, list[Rendering]]:
    """`terms` with the renderings of `lines` added after those it has."""
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#") or "\t" not in line:
            continue
        english, chinese = line.rstrip("\n").split("\t", 1)
        key = key_of(english)
        if not key:
            continue
        bucket = terms.setdefault(key, [])
        for raw in chinese.split("|"):
            text = normalise(raw.strip().lstrip("~"))
            if not text:
                continue
            # (a Latin rendering — "sla" SLA, "gross merchandise value" GMV — says Chinese types the term in Latin:
            # SLA罚款, GMV环比; it is only ever joined to Chinese words, never a rendering alone)
            rendering = Rendering(text, raw.strip().startswith("~") or (len(text) < 2 and has_cjk(text)))
            if all(r.text != text for r in bucket):
                bucket.append(rendering)
    return terms


def _glossary(terms: dict[Words, list[Rendering]]) -> Glossary:
    return Glossary({k: tuple(v) for k, v in terms.items() if v}, max(map(len, terms), default=1))


# the business glossary (terms, phrases), everyday words that names are built from ("data", "care", "move"), then
# each industry's own terms with the colloquial Chinese its people use (续租, 放款, 私教), then the short forms
# colleagues type in chat for them (外卖 for delivery sales, 电费 for energy cost), in two files by industry
COMMON_FILES = ("data/glossary.tsv", "data/glossary_words.tsv", "data/glossary_industries.tsv",
                "data/glossary_colloquial.tsv", "data/glossary_colloquial2.tsv")
# (and, session 15, some ninety more trades' vocabulary, written before any catalog of those trades was seen: its
# terms render, but they do not make a word common — "Greenway" stays a facility's name though parks have greenways)
# (session 37: the words of twelve more trades, from the Chinese their staff asked in and were not understood; session
# 47, part J: the same for the tuning sets' trades whose Chinese still came back asked-back or unmatched)
GLOSSARY_FILES = (*COMMON_FILES, "data/glossary_trades_a.tsv", "data/glossary_trades_b.tsv",
                  "data/glossary_trades_g.tsv", "data/glossary_trades_d.tsv", "data/glossary_trades_e.tsv",
                  "data/glossary_trades_f.tsv", "data/glossary_trades_h.tsv", "data/glossary_trades_i.tsv",
                  "data/glossary_trades_j.tsv", "data/glossary_trades_k.tsv")


@lru_cache(maxsize=1)
def load_glossary() -> Glossary:
    """The glossary shipped with metricloop (src/metricloop/data/glossary*.tsv), read once."""
    terms = {k: list(v) for k, v in _common_files().items()}
    return _glossary(_add_lines(terms, _lines(GLOSSARY_FILES[len(COMMON_FILES):])))


@lru_cache(maxsize=1)
def common_terms() -> frozenset[Words]:
    """The English terms of the business and everyday glossaries and of the first forty trades: words common enough
    that a value's word among them is no name (the later trades' terms render, but are no test of commonness)."""
    return frozenset(k for k, v in _common_files().items() if v)


@lru_cache(maxsize=1)
def _common_files() -> dict[Words, list[Rendering]]:
    # (read once for both: parsing the files took half a second of each start, and twice)
    return _add_lines({}, _lines(COMMON_FILES))


def _lines(names: Iterable[str]) -> list[str]:
    package = resources.files("metricloop")
    return [line for name in names if package.joinpath(name).is_file()
            for line in package.joinpath(name).read_text(encoding="utf-8").splitlines()]


def _chunks(glossary: Glossary, words: Words) -> list[Words] | None:
    """Longest glossary terms left to right; connectors stand alone; None when a word is unknown."""
    out: list[Words] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + glossary.max_len), i, -1):
            if words[i:j] in glossary.terms and not (j == i + 1 and words[i] in _FRONT):
                out.append(words[i:j])
                i = j
                break
        else:
            if words[i] not in _FRONT and (words[i] in STOPWORDS or not _NAME.fullmatch(words[i])):
                return None
            out.append(words[i : i + 1])  # a connector, or a name kept in Latin (see _combine)
            i += 1
    return out


@lru_cache(maxsize=8192)
def _render(glossary: Glossary, words: Words) -> tuple[str, ...]:
    chunks = _chunks(glossary, words) if words else None
    if not chunks:
        return ()
    for k, chunk in enumerate(chunks):
        if len(chunk) == 1 and chunk[0] in _FRONT:
            if k == 0 or k == len(chunks) - 1:
                return ()
            head = _combine(glossary, chunks[:k], inner=True)
            tail = _combine(glossary, chunks[k + 1 :], inner=True)
            if chunk[0] == "per":
                out = [f"每{t}{h}" for t in tail for h in head] + [f"{t}均{h}" for t in tail for h in head]
            elif chunk[0] == "of":
                out = [f"{t}{h}" for t in tail for h in head] + [f"{t}的{h}" for t in tail for h in head]
            else:
                out = [f"{t}{h}" for t in tail for h in head]
            return tuple(dict.fromkeys(o for o in out if len(o) >= 2 and has_cjk(o)))[:MAX_RENDERINGS]
    if all(c not in glossary.terms for c in chunks):
        return ()  # nothing the glossary knows: no Chinese to say it with
    out = list(_combine(glossary, chunks, inner=False))
    if len(chunks) < len(words) and all((w,) in glossary.terms for w in words):
        # word by word too: "new customers" is 新客户 (a term) and also 新增客户
        out += _combine(glossary, [(w,) for w in words], inner=False)
    if len(chunks) == 1 and len(words) > 1 and words[0] in _STATISTICS and words[1:] in glossary.terms:
        # an average's term is said in its parts' words too: "average response time" (平均响应时长) is also
        # 平均到场时间, as "response time" is
        out += _combine(glossary, [words[:1], words[1:]], inner=False)
    if len(chunks) > 1 and chunks[0] in _LAST:
        out += [f"{r}{end}" for r in _combine(glossary, chunks[1:], inner=True) for end in _LAST[chunks[0]]]
    # (the order said after what is measured has a budget of its own: a long name's renderings fill the first)
    said = tuple(dict.fromkeys(o for o in out if len(o) >= 2 and has_cjk(o)))[:MAX_RENDERINGS]
    return tuple(dict.fromkeys([*said, *_average_inside(glossary, words)[:MAX_RENDERINGS // 3]]))


def _average_inside(glossary: Glossary, words: Words) -> list[str]:
    """"average QA score" (平均质检分) is also said 质检平均分: Chinese puts 平均 after what is measured and before the
    measure (订单平均金额, 处理平均时长) — the words before the last rendered, then 平均, then the last word's."""
    if len(words) < 3 or words[0] != "average":
        return []
    heads = _render(glossary, words[1:-1])
    tails = [r.text for r in glossary.terms.get(words[-1:], ()) if has_cjk(r.text)]
    return [f"{h}平均{t}" for h in heads for t in tails]


def _combine(glossary: Glossary, chunks: list[Words], inner: bool) -> tuple[str, ...]:
    """Every combination of the chunks' renderings, in order. Bound renderings only with a neighbour
    (or `inner`: the part will be joined to more words)."""
    # a word the glossary does not know that looks like a name or an abbreviation ("plus", "gmv", "ota") stays as
    # written: Chinese writes them in Latin (Plus会员, OTA渠道), so the rendering invents nothing
    # (an abbreviation the glossary does know is still also typed in Latin: PT收入, GMV环比)
    options = [(*glossary.terms[c], Rendering(c[0], False)) if c in glossary.terms and _NO_VOWEL.fullmatch(c[0])
               else glossary.terms.get(c) or (Rendering(c[0], False),) for c in chunks]
    alone = len(chunks) == 1 and not inner
    out: list[str] = []
    for combo in itertools.product(*options):
        if alone and combo[0].bound:
            continue
        out.append(_joined(r.text for r in combo))
        if len(out) >= MAX_RENDERINGS:
            break
    return tuple(dict.fromkeys(out))


def _joined(parts: Iterable[str]) -> str:
    """Chinese renderings joined as Chinese writes them: no space, except between two Latin words."""
    out = ""
    for part in parts:
        out += " " + part if out and not has_cjk(out[-1]) and not has_cjk(part[0]) else part
    return out

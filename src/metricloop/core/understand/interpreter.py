"""Plain-language question (+ the previous query) → Interpretation: a governed MetricQuery, a
clarification, an honest no-match, or "unsupported" (e.g. a request to list records). Pure.

The pipeline: fold text → frame (time, grain, comparison, ranking; understand_frame) → phrase hits
over catalog names, synonyms and dimension values (understand_lexicon) → metric decision fusing
lexical and dense scores (understand_metrics) → dimensions and filters reachable from the metrics
(understand_dims) → follow-up merge with the thread's previous query → MetricQuery + restatement.
A refusal is always preferred to a guess: the interpreter never picks a metric the words do not
support, and never silently drops a breakdown or filter it could not apply.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz.distance import OSA

from metricloop.core.answer import Option
from metricloop.core.catalog.model import Catalog, Metric
from metricloop.core.present.describe import describe_query, dimension_labels
from metricloop.core.present.texts import say
from metricloop.core.query import CHANGE, METRIC_TIME, Filter, MetricQuery, OrderBy
from metricloop.core.text import (
    STOPWORDS,
    blank,
    chinese_word,
    content_tokens,
    distribute_statistics,
    expand_shorthand,
    fold,
    has_cjk,
    humanise,
    lower_same_length,
    meaning_tokens,
    singular,
    tokens,
    word_spans,
)
from metricloop.core.time.phrases import detect_language
from metricloop.core.understand.arithmetic import arithmetic_between, governed_result, per_mention
from metricloop.core.understand.coverage import (
    PREDICATE_OK,
    counted_thing_unknown,
    noun_after_values,
    unplaced,
    unplaced_reply,
)
from metricloop.core.understand.dense import Embedder, MetricVectors
from metricloop.core.understand.dims import (
    DimReading,
    SameRows,
    by_name,
    one_ending_with,
    one_kind_of,
    reachable_refs,
    read_dimensions,
    same_name_reach,
)
from metricloop.core.understand.frame import (
    RANK_CLASSIFIERS_ZH,
    TARGET_ASKED,
    Frame,
    count_word,
    period_unit,
    read_frame,
)
from metricloop.core.understand.generic_values import generic_unless_named, said_as_value
from metricloop.core.understand.glossary import load_glossary
from metricloop.core.understand.glosses import glossed_spans
from metricloop.core.understand.kinds import (
    amounts_for,
    asked_kind,
    asks_amount,
    asks_count,
    closing_balance,
    counted_entity,
    counted_plural,
    counts_for,
    counts_rows,
    fits_kind,
    is_count,
    is_kind,
    is_rate,
    kind_word,
    level_over_count,
    lower_is_better,
    metric_phrases,
    model_of,
    money_numerator,
    money_on_same_rows,
    name_words,
    of_kind,
    only_span,
    paid_out_instead,
    said_money,
    sold_instead_of_made,
    time_spent_instead,
)
from metricloop.core.understand.lexicon import (
    BUSINESS_ABBREVIATIONS,
    DimKey,
    Entry,
    Hit,
    build_lexicon,
    inside,
    resolve_overlaps,
    singular_phrase,
    spelled_out,
    spot,
)
from metricloop.core.understand.metrics import (
    SUGGEST,
    MetricChoice,
    choose_metrics,
    count_or_amount,
    distinct_count_option,
    fuse,
    mentions,
    names_entity,
    other_quantity,
    running_total_option,
    unsaid_words,
)
from metricloop.core.understand.negation import CUE as NEGATION_CUE
from metricloop.core.understand.negation import (
    cue_before,
    is_negated,
    named_as_included,
    negation_words,
    stray_exclusion,
)
from metricloop.core.understand.net_of import net_after, total_including
from metricloop.core.understand.own_filters import (
    base_and_condition,
    contradiction,
    filtered_variant,
    named_by_value,
    negated_variant,
    numerator_condition,
    numerator_contradiction,
    share_of_value,
)
from metricloop.core.understand.paraphrase import everyday_spans, everyday_words, literal_index, use_literal_index
from metricloop.core.understand.periods import apply_time, merge_followup
from metricloop.core.understand.readings import (
    BY_BEFORE,
    one_ranked,
    prefer_metrics,
    qualified_first,
    source_entities,
)
from metricloop.core.understand.siblings import (
    GROWTH_WORDS,
    RUNNING_WORDS,
    TO_DATE_WORDS,
    growth_of,
    offset_unit,
    plain_among,
    running_total_of,
    sibling_for_value,
    spans_several,
    variant_of,
)
from metricloop.core.understand.spelling import MAX_VALUES_PER_DIMENSION, build_speller, known_words
from metricloop.core.understand.subjects import (
    carried_entity_spans,
    entity_names_option,
    one_name_for_two,
    subject_spans,
    value_of_an_entity_elsewhere,
)
from metricloop.core.understand.units import UNIT_SAID, currency_conflict, unit_conflict, unit_words
from metricloop.core.understand.unknown_words import unknown_acronym, unknown_name
from metricloop.core.understand.zh_names import PinyinNames
from metricloop.core.understand.zh_spelling import chinese_speller
from metricloop.core.understand.zh_words import FILLER_ZH

Kind = Literal["query", "clarify", "no_match", "unsupported"]


# a running total asked ("cumulative", 累计), not "running costs" (the costs of running the business)
_RUNNING_ASKED = re.compile(r"\b(?:running(?!\s+costs?\b)|cumulative|cumulated|accumulated)\b|累计|累积", re.I)


def _spelt_near(word: str, other: str) -> bool:
    """The same word, or one typo away: one edit in a word of up to five letters, two in a longer one (the
    catalog's words of four letters or more only)."""
    limit = 1 if len(word) <= 5 else 2
    return len(other) >= 4 and abs(len(other) - len(word)) <= limit and OSA.distance(word, other) <= limit


def _stem(word: str) -> str:
    """A word's first four letters (its singular when shorter): "written" and "write", "offs" and "off" alike."""
    return word[:4] if len(word) >= 4 and len(singular(word)) >= 4 else singular(word)


# words that say how a count is counted, not which rows: "different members", "actual visits"
_COUNTING_WORDS = frozenset({"different", "distinct", "unique", "individual", "separate", "actual", "actually", "real",
                             "total", "overall", "whole", "entire", "single", "more", "fewer", "less", "many", "much",
                             "average", "typical", "usual", "current", "latest", "recent"})
# ("week over week change", 同比增长: the change itself asked, as a growth)
_GROWTH_SAID = re.compile(r"%|\b(?:growth|grew|growing|percent|pct|rate|change)\b|增长率|增速|增幅"
                          r"|(?:同比|环比)(?:增长|增幅|变化)")
_FISCAL = re.compile(r"\b(?:fy\s*'?(?:\d{2}|\d{4})|fiscal(?:\s+(?:year|quarter|q[1-4]))?)\b|财年|财政年度?|会计年度")
# "sitting in the tank right now", "left in stock at the moment": a level at this moment asked (what is stored), not
# what happened in a period ("how many open orders right now" is a count of rows as they stand, answered)
_NOW_EN = re.compile(r"\b(?:sitting|left|remaining|on\s+hand|in\s+stock|stored|in\s+inventory)\b.*"
                     r"\b(?P<now>right\s+now|at\s+the\s+moment|as\s+we\s+speak)\b")
# A year, month or season of another calendar than the one dates have ("school year to date", "broadcast-month to
# date", "this season", 本学年, 这个赛季): its start and end are the business's own, which the catalog does not say
_OTHER_CALENDAR = re.compile(
    r"\b(?P<cal>(?:school|academic|broadcast|tax|retail|marketing|budget)[\s-]+(?:year|month|quarter|week)"
    r"|season(?=[\s-]+(?:to[\s-]+date|so\s+far))|(?<=this\s)(?:season|semester)|(?<=last\s)(?:season|semester)"
    r"|(?<=current\s)(?:season|semester))\b|(?P<zh>学年|学期|赛季|雪季)")
_GRAIN_ZH = {"day": "天", "week": "周", "month": "月", "quarter": "季度", "year": "年", "period": "期"}

class ValueIndex(Protocol):
    """Distinct values of categorical dimensions, keyed by (semantic model, dimension)."""

    def values(self) -> Mapping[DimKey, Sequence[str]]: ...

    def flags(self) -> frozenset[DimKey]:
        """Dimensions whose column holds only true/false."""
        ...


# a stock asked ("how many … do we have right now"): how many there are, never how many arrived in a period
_STOCK_ASKED = re.compile(r"\b(?:do|does)\s+(?:we|you|the\s+\w+)\s+(?:currently\s+)?have\b.*\b(?:right\s+now|currently"
                          r"|at\s+the\s+moment|today|on\s+the\s+books)\b|\b(?:right\s+now|currently)\b.*\bdo\s+we\s+have\b")
_FLOW_WORDS = frozenset({"new", "opened", "added", "signed", "created", "enrolled", "registered", "joined"})
# "how busy were our chairs", "how full were the rooms": the level of use asked (a utilization, an occupancy), not a
# count of the chairs or rooms named
_HOW_FULL = re.compile(r"\bhow\s+(?:full|busy|packed|booked(?:\s+up)?|utili[sz]ed|occupied)\b")


# strict mode (`confirm_unnamed`): an answer whose metric no words of the question name, scored below this, is
# asked back with its metric as the first option
CONFIRM_BELOW = 0.95


class Interpretation(BaseModel):
    """What the interpreter made of a question."""

    model_config = ConfigDict(frozen=True)

    kind: Kind
    query: MetricQuery | None = None
    options: list[Option] = Field(default_factory=list)
    restatement: str | None = None
    language: Literal["en", "zh"] = "en"
    confidence: float = 0.0
    reason: str | None = None
    clarify_dimension_values: dict[str, list[str]] = Field(default_factory=dict)  # value → dimension refs
    # filter value → the words the question used for it ("nrth" for North, 华西 for West): a reply about a value
    # the reader may not see names their words, never the value's own spelling
    said_values: dict[str, str] = Field(default_factory=dict)
    asks_target: bool = False  # the question measures the number against its target ("vs target", 完成目标)
    corrections: dict[str, str] = Field(default_factory=dict)  # a typed word → the catalog's word read for it
    # the question names the metric answered (a mention of its name, label or synonym), not only words leading to it
    named: bool = False


# Statistics a question can name; averages are left out on purpose (people say "average" loosely
# of rates and ratios). Each family maps to the measure aggregations that are that statistic.
_AGGREGATIONS: dict[frozenset[str], tuple[str, ...]] = {
    frozenset({"median"}): ("median",),
    frozenset({"maximum", "max", "peak"}): ("max",),
    frozenset({"minimum", "min"}): ("min",),
    frozenset({"percentile", "p90", "p95", "p99", "p75"}): ("percentile",),
}
_STATISTICS_ZH = {"中位数": "median", "中值": "median", "最大值": "maximum", "峰值": "peak", "最小值": "minimum",
                  "分位数": "percentile", "分位": "percentile"}
_COMPARING = re.compile(r"\bvs\.?(?=\s)|\bversus\b|\bcompar(?:e|ed|ing|ison)\b|\bbetween\b|对比|相比|比较"
                        r"|\b(?:split|mix|breakdown|broken\s+down)\b|分别|各自")  # "cash / loan / lease split"
_WHICH_PERIOD = re.compile(r"\b(?:which|what)\s+(day|week|month|quarter|year)\b"
                           r"|哪(?:一|个)?(天|周|个月|月|个季度|季度|年)"
                           # "top revenue months", "best 3 weeks by orders": periods ranked, a grain
                           r"|\b(?:top|bottom|best|worst|highest|lowest|biggest|strongest|weakest)\s+(?:\d{1,3}\s+)?"
                           r"(?:(?!(?:this|last|next|past|previous|prior|the|per|each|every|that|of|in|for|a)\b)"
                           r"[a-z]+\s+)?(?P<ranked>day|week|month|quarter|year)s?\b"
                           # 收入最高的三个月: periods ranked, in Chinese
                           r"|(?:最高|最低|最多|最少|最好|最差|最大|最小)的?(?P<zhn>\d{1,3}|[一两二三四五六七八九十])?个?"
                           r"(?P<zhranked>天|周|星期|月|季度|年)(?!以来|至今|初|底)")
# "\s+" also steps over masked words: "bookings by <rider> age" still asks for a breakdown by age
# a two-letter qualifier is read with its noun ("by ad creative"), else the short word would hide the breakdown
_UNKNOWN_BY = re.compile(r"\b(?:by|per|for each|across|split by)\s+(?:the |each |every )?"
                         r"((?:[a-z]{2} +)?[a-z][a-z_-]{2,})\b")
# words said at the end of a request, after what it names ("… by revenue instead", "… by region too")
_BY_WORD = re.compile(r"\b(?:by|per|each|every)\s+(?:the\s+)?([a-z]{3,})\b")
_AFTERTHOUGHT = frozenset({"instead", "rather", "too", "then", "again", "please", "pls", "plz", "now", "also"})
_TOP_NOUN = re.compile(r"\b(?:top|bottom|best|worst|biggest|largest|smallest)\s+"
                       r"(?:\d{1,3}\s+|(?:one|two|three|four|five|six|seven|eight|nine|ten)\s+)?"
                       r"(?:(?:performing|selling|rated|ranked|ranking)\s+)?"  # "worst performing store"
                       r"((?:[a-z]{2}\s+)?[a-z][a-z_-]{2,})\b(?!\s*[#@])")  # "top 5 ad groups": a two-letter qualifier
_WHICH_NOUN = re.compile(r"^\s*(?:which|what)\s+([a-z][a-z_-]{2,})\b(?!\s*#)")
# Words that ask how something went without naming a measure.
_HOW_IT_WENT = frozenset({"how", "did", "do", "does", "doing", "done", "go", "going", "went", "perform", "performance",
                          "performing", "performed", "look", "looking", "looks", "number", "numbers", "stat", "stats",
                          "kpi", "kpis", "metric", "metrics", "overview", "by", "per",
                          "表现", "怎么样", "情况", "如何"})
# words that ask for a balance at the end of the period: its governed value already is
_PERIOD_END = ("end", "closing", "month-end", "month end", "period end", "eom",
               "月底", "月末", "期末", "季末", "年底", "年末", "底", "末")
_ROWS_ASKED = re.compile(r"(?:\b(?:by|for\s+each|across)\s+(?:the\s+)?|按照?|各个?)$")
_GRAIN_WORD = re.compile(r"\b(daily|weekly|monthly|quarterly|yearly|annual)\s+")
_GRAIN_OF = {"daily": "day", "weekly": "week", "monthly": "month", "quarterly": "quarter", "yearly": "year",
             "annual": "year"}
_HOW_MANY_HOUSEHOLDS = re.compile(r"(?:多少|几)户")
# active users counted per day, week or month: DAU, WAU, MAU, 日活, 周活, 月活
_ACTIVE_USERS = re.compile(r"\b(?P<en>[dwm])au(?:s)?\b"
                           r"|(?<![上下本这前今当每该去明昨])(?P<zh>[日周月])活(?![动跃越力])", re.I)
_ACTIVE_PER = {"d": "day", "w": "week", "m": "month", "日": "day", "周": "week", "月": "month"}
_PERIOD_DAYS = {"day": 1, "week": 7, "month": 31}  # the longest such period
_ZH_PERIOD = {"天": "day", "周": "week", "星期": "week", "个月": "month", "月": "month", "个季度": "quarter",
              "季度": "quarter", "年": "year"}


def _built(kind: str, build: Callable[..., Any], catalog: Catalog, values: Mapping | None) -> Any:  # noqa: ARG001
    """Build the interpreter's `kind` (lexicon, speller) for the catalog and its values (no cache: the runtime's
    keeps them on disk by kind)."""
    return build(catalog, values)


# words of a metric's name that say what kind of number it is, not what it counts
_GENERIC_WORDS = frozenset({"time", "rate", "number", "count", "amount", "total", "value", "level", "score", "ratio",
                            "percentage", "percent", "share", "sum", "average", "avg", "mean", "median", "per", "new",
                            "net", "gross", "daily", "weekly", "monthly", "annual", "yearly", "all", "day", "week",
                            "month", "year", "hour", "minute"})


# a noun and its verb said apart by a helping verb ("warrants were issued", "cross-connects did we install")
_SAID_APART = re.compile(r"\b(?:([a-z][a-z-]*[a-z])\s+)?([a-z][a-z-]*[a-z])\s+(?:were|was|got|have\s+been|has\s+been"
                         r"|had\s+been|(?:have|has|had|did|do)\s+(?:we|they|you|i))\s+([a-z]{3,})\b", re.I)


_BREAKDOWN_ZH = re.compile(r"按|各|拆|分别|每个")  # rows asked for, in Chinese
# 各类/哪种/三类 + a thing: its kinds (the thing's words, then what the catalog calls a kind of it)
_KIND_OF_THING_ZH = re.compile(r"(?P<lead>各|哪|几|\d{1,3}|[一两二三四五六七八九十])[类种]"
                               r"(?P<rest>[\u4e00-\u9fff]{1,5})")
_KIND_SUFFIXES_ZH = ("类型", "类别", "种类", "类", "型")
# "which agencies filed the most cases": the doer, what it did, a ranking, and the thing counted
_DID_THE_MOST = re.compile(r"\b([a-z]{3,})\s+(the\s+(?:most|fewest|least|more|fewer)\s+)([a-z][a-z-]*[a-z])"
                           r"(?:\s+([a-z][a-z-]*[a-z]))?\b", re.I)


def _participles(verb: str) -> list[str]:
    """The verb as said, then the past participles it may have ("install" → "installed", "ship" → "shipped")."""
    if verb.endswith("es") and verb[-3] in "hsxz":  # ("dispatches": dispatch; "files": file)
        return [verb, *_participles(verb[:-2])]
    if verb.endswith("s") and not verb.endswith("ss") and len(verb) > 3:
        return [verb, *_participles(verb[:-1])]
    forms = [verb, f"{verb}d" if verb.endswith("e") else f"{verb}ed"]
    if verb.endswith("y"):
        forms.append(f"{verb[:-1]}ied")
    if verb[-1] not in "aeiouwxy" and verb[-2] in "aeiou" and verb[-3] not in "aeiou":
        forms.append(f"{verb}{verb[-1]}ed")
    return forms


# "since" said of an event rather than a period ("since the remodel", "ever since the price change")
_SINCE = re.compile(r"\b(?:ever\s+)?since\s+[^\s,.;?!]+(?:\s+[^\s,.;?!]+){0,4}")


def _since_event(low: str, periods: Sequence[tuple[int, int]]) -> str | None:
    """The words after a "since" that no period read (a start the catalog cannot date), else None."""
    for m in _SINCE.finditer(low):
        since = m.start() + m.group(0).index("since")
        if not any(s <= since < e for s, e in periods):
            return m.group(0)
    return None


def _contradicted(where: Sequence[Filter]) -> str | None:
    """A value one filter keeps and another leaves out, on the same dimension."""
    kept = {(f.dimension, str(v)) for f in where if f.op in ("=", "in") for v in f.values}
    for f in where:
        if f.op in ("!=", "not in"):
            for v in f.values:
                if (f.dimension, str(v)) in kept:
                    return str(v)
    return None


_TARGET_WORD = re.compile(r"targets?|goals?|quota|目标")


# a metric that is itself the change over its period (Net subscriber adds, Net headcount change)
_NET_CHANGE = re.compile(r"\bnet\b.*\b(?:adds?|additions?|change|growth|gains?)\b")


def _target_named(target: re.Match[str], hits: list[Hit]) -> bool:
    """The target's own word is part of a dimension or value the catalog names ("target language", "Goal type")."""
    word = _TARGET_WORD.search(target.group(0))
    if word is None:
        return False
    start, end = target.start() + word.start(), target.start() + word.end()
    return any(h.start <= start and end <= h.end for h in hits if h.entry.kind in ("dimension", "value"))


class Understander:
    """The deterministic interpreter, built once per catalog (lexicon, embeddings, value index)."""

    always_dense = False  # True: consult the embedding model for every question (tests compare it with lazy)

    def __init__(self, catalog: Catalog, embedder: Embedder | None = None, value_index: ValueIndex | None = None,
                 today_fn: Callable[[], dt.date] = dt.date.today, same_rows: SameRows | None = None,
                 built: Callable[..., Any] = _built, confirm_unnamed: bool = False) -> None:
        self.catalog = catalog
        # a metric the question never names, reached below CONFIRM_BELOW, is offered to confirm, not answered
        self.confirm_unnamed = confirm_unnamed
        # (the runtime hands one that keeps the lexicon and speller on disk between processes: adapters/lexicon_cache)
        self._built = built
        self.today_fn = today_fn
        self.same_rows = same_rows  # a value two dimensions hold: whether both keep the same rows (the warehouse's)
        self._values = value_index
        self._rendered_names: dict[str, frozenset[str]] | None = None
        # (the shipped everyday-verb patterns' trigger literals: the same for every catalog and its values, kept on
        # disk with the lexicon — read once, not on every refresh of the values)
        use_literal_index(self._built("paraphrase-literals", lambda *_: literal_index(), catalog, None))
        self._read_words()
        # Metrics the catalog governs but the engine cannot compute yet (e.g. semi-additive MRR): named
        # exactly, they are refused with their reason instead of being read as a neighbouring metric.
        blocked = tuple(m.model_copy(update={"unsupported_reason": None})
                        for m in catalog.metrics if m.unsupported_reason)
        self._blocked = build_lexicon(catalog.with_metrics(blocked, semantic_models=())) \
            if blocked else None
        self.vectors = MetricVectors(catalog, embedder) if embedder is not None else None
        self._value_heads_of: tuple[object, frozenset[str]] = (None, frozenset())
        self._metric_word_set: frozenset[str] | None = None  # (_metric_words, read when first asked)
        self._people: dict[str, list[str]] | None = None  # (_people_counted, read when first asked)
        self._stems: frozenset[str] | None = None  # (_catalog_stems, read when first asked)
        self._words_written: frozenset[str] | None = None  # (_catalog_words, read when first asked)
        self._bigrams: frozenset[tuple[str, str]] | None = None  # (_name_bigrams, likewise)
        self._stemmed_phrases: list[tuple[str, frozenset[str]]] | None = None  # (_phrase_stems, likewise)
        self._singular_names: dict[str, frozenset[str]] | None = None  # (_name_words, likewise)
        self._known_noun_set: frozenset[str] | None = None  # (_known_nouns, read when first asked)
        self._shared_head_set: frozenset[str] | None = None  # (_shared_heads, likewise)
        self._dimension_words = frozenset(w for sm in catalog.semantic_models for d in sm.dimensions
                                          for phrase in (d.name, d.label or "", *d.synonyms)
                                          for w in re.findall(r"[a-z0-9]+", phrase.lower()))

    @property
    def _metric_words(self) -> frozenset[str]:
        """Every word of the metrics' names, labels and synonyms (singular), read when first asked: the Chinese
        synonyms' words would load the segmenter at start for an English question."""
        if self._metric_word_set is None:
            self._metric_word_set = frozenset(singular(t) for m in self.catalog.metrics for p in metric_phrases(m)
                                              for t in tokens(p.lower()))
        return self._metric_word_set

    @property
    def value_index(self) -> ValueIndex | None:
        """The dimension-value index the lexicon was built from (refreshed by the scheduler)."""
        return self._values

    def value_map(self) -> Mapping[DimKey, Sequence[str]]:
        """The dimension values known to the interpreter (empty without a value index)."""
        return self._values.values() if self._values else {}

    def rank_metrics(self, text: str, n: int = 8) -> list[str]:
        """The n metrics closest to `text` (lexical and dense fused), for an outside interpreter's prompt."""
        low = lower_same_length(fold(text))
        dense = self.vectors.scores(low) if self.vectors is not None else {}
        scores = fuse(self.catalog, set(meaning_tokens(low)), dense, low)
        return sorted(scores, key=lambda k: -scores[k])[:n]

    def refresh_values(self) -> None:
        """Rebuild the lexicon after the value index was refreshed."""
        self._read_words()

    def _read_words(self) -> None:
        """The lexicon, spellers and pinyin names of the catalog and its current values."""
        values = self._values.values() if self._values else None
        self.lexicon = self._built("lexicon", build_lexicon, self.catalog, values)
        self.speller = self._built("speller", build_speller, self.catalog, values)
        # (determined by the lexicon, so by the same catalog and values)
        self.zh_speller = self._built("zh-speller", lambda *_: chinese_speller(self.lexicon), self.catalog, values)
        self.pinyin_names = self._pinyin_names()

    def _pinyin_names(self) -> PinyinNames:
        """The values spelled in pinyin (Ningbo), to be read when said in characters (宁波)."""
        values = (v for vs in self.value_map().values() for v in list(vs)[:MAX_VALUES_PER_DIMENSION])
        return PinyinNames(values, known=(*self.zh_speller.words, *self.lexicon.cjk))

    # -- public -------------------------------------------------------------------------------
    def interpret(self, text: str, *, today: dt.date | None = None, context: MetricQuery | None = None,
                  choose_metric: str | None = None) -> Interpretation:
        """Interpret `text`; `context` is the previous query in the thread, `choose_metric` a picked option."""
        corrected, typos = self.speller.correct(text)
        if has_cjk(corrected):  # 评份 for 评分: a short Chinese word typed by its sound
            corrected, zh_typos = self.zh_speller.correct(corrected, tokens,
                                                          lambda piece: piece in FILLER_ZH or chinese_word(piece))
            corrected, names = self.pinyin_names.read(corrected, tokens)  # 除了宁波以外: the plant Ningbo
            typos = {**typos, **zh_typos, **names}
        found = self._interpret(corrected, today=today or self.today_fn(), context=context,
                                choose_metric=choose_metric)
        if not typos:
            return found
        # the reader sees which words were read as others ("occupncy" as occupancy), so a wrong guess shows
        read_as = say("list_sep", found.language).join(say("typo_read_pair", found.language, typed=t, word=w)
                                                       for t, w in typos.items())
        restatement = found.restatement and found.restatement + say("typo_read", found.language, pairs=read_as)
        return found.model_copy(update={"corrections": typos, "restatement": restatement})

    def _interpret(self, text: str, *, today: dt.date, context: MetricQuery | None,
                   choose_metric: str | None) -> Interpretation:
        said = lower_same_length(fold(text))  # as typed, lower-cased: its 多少, 几 and measure words still there
        # (出货多少吨: the tons shipped — 吨 alone names nothing, 吨数 the tonnage)
        raw = _QUESTION_WORDS_ZH.sub("", distribute_statistics(expand_shorthand(
            _HOW_MANY_UNITS_ZH.sub(r"\1数", self._kinds_named(fold(text))))))
        raw = self._said_together(raw)
        raw, counted_per = self._active_users(raw)
        raw = _POSSESSIVE.sub("  ", raw)  # "Dr. Okafor's visits": the name's, no word "s" left over (same length)
        low = lower_same_length(raw)
        lang = detect_language(raw)
        if not low:
            return self._refuse("no_match", lang, say("empty", lang), [])
        if _SQL_TEXT.search(low):  # "'; DROP TABLE orders; --": nothing of it is a question to answer
            return self._refuse("no_match", lang, say("sql_text", lang), [])
        frame = self._frame(raw, low, today)
        if counted_per and frame.grain is None and (frame.time is None or (
                frame.time.range.end - frame.time.range.start).days + 1 > _PERIOD_DAYS[counted_per]):
            # "DAU last week", "what's our DAU": the actives of each day, never the distinct actives of a longer span
            frame.grain = counted_per  # type: ignore[assignment]
        m = _WHICH_PERIOD.search(low)
        if m and frame.grain is None:
            frame.grain = (m.group(1) or m.group("ranked")  # type: ignore[assignment]
                           or _ZH_PERIOD.get(m.group(2) or m.group("zhranked")))
            if m.group("zhranked"):  # 最高的三个月: the three best months, 最高的月份 the one
                frame.limit = frame.limit or count_word(m.group("zhn"))
                frame.superlative = frame.superlative or not m.group("zhn")
                frame.spans.append((m.start("zhranked") - (1 if low[m.start("zhranked") - 1] == "个" else 0), m.end()))
            elif m.group("ranked"):  # only the period word is the grain's ("top <revenue> months"); "months" is a list
                frame.superlative = frame.superlative or not m.group(0).endswith("s")
                frame.spans.append((m.start("ranked"), m.end()))
            else:
                frame.superlative = frame.superlative or frame.descending is not None
                frame.spans.append(m.span())
        spotted = qualified_first(spot(self.lexicon, low, frame.spans, raw=raw), low)
        all_hits = generic_unless_named(prefer_metrics(spotted, low), raw, low)
        frame.mentioned = source_entities(spotted, all_hits, low)
        hits = resolve_overlaps(all_hits)
        target = TARGET_ASKED.search(low)
        if target and has_cjk(target.group(0)) and any(target.group(0) in said
                                                       for said in self._names_in_chinese().values()):
            target = None  # 准时完成率 where a metric is the On-time completion rate: its name, not its target
        if target and _target_named(target, hits):
            target = None  # "by target language": a dimension's own word, not the metric's target
        if target and not any(h.start < target.end() and target.start() < h.end for h in hits
                              if h.entry.kind == "metric"):
            frame.asks_target = True  # placed: the answer is measured against the metric's target
            frame.spans.append(target.span())
            # 完成目标: 完成 is the target's verb here, not the status "completed"
            hits = [h for h in hits if not (h.start < target.end() and target.start() < h.end)]
            all_hits = [h for h in all_hits if not (h.start < target.end() and target.start() < h.end)]
        groups = mentions(hits)
        arithmetic = arithmetic_between(groups, low) if not choose_metric else None
        governed = governed_result(self.catalog, arithmetic[1], arithmetic[2]) if arithmetic else None
        per = per_mention(self.catalog, groups, low) if not (choose_metric or arithmetic) else None
        if arithmetic and not governed and arithmetic[2] != "+":
            # "gross revenue minus revenue": never one of the two as if it were the result ("plus" without a
            # governed sum shows both numbers side by side)
            return self._refuse("clarify", lang, say("arithmetic", lang, text=arithmetic[0]), arithmetic[1])
        if frame.write:  # "delete the cancelled transfers": never answered with the count of the rows named
            return self._refuse("unsupported", lang, say("write", lang), [])
        if frame.rows and not (groups and self._leads_with_metric(low, groups[0][0].start)):
            return self._refuse("unsupported", lang, say("rows", lang), [])
        blocked = self._blocked_mention(low, frame.spans, all_hits) if not choose_metric else None
        if blocked is not None:
            metric = self.catalog.metric(blocked)
            return self._refuse("unsupported", lang, say("blocked_metric", lang, metric=metric.display_name,
                                                             why=metric.unsupported_reason or ""), [])
        dim_spans = [h.span for h in hits if h.entry.kind != "metric"]
        # 不算自提，出货多少吨, 非会员的订单: the words negating a value are its filter's operator, not the metric's
        # words (left in the text mentions are read from: 不含<日票> is a value negated, never the metric Day passes)
        negating = [s for h in hits if h.entry.kind == "value" for s in negation_words(low, *h.span)]
        # 走分期付款（Financing）的助听器订单: the word glossed by the value in parentheses says the value again
        glossed = glossed_spans(low, [h.span for h in hits if h.entry.kind == "value"], frame.spans + dim_spans)
        leftover = self._leftover(low, frame.spans + dim_spans + negating + glossed)
        resolved = None  # (an option the words alone left in doubt, taken by a rule below)
        if choose_metric:
            if self.catalog.metric(choose_metric) is None:
                return self._refuse("no_match", lang, say("no_metric_named", lang, name=choose_metric), [])
            choice = MetricChoice("query", [choose_metric], {choose_metric: 1.0})
        elif governed and arithmetic:  # "payroll cost plus bonuses" is the governed total compensation
            choice = MetricChoice("query", [governed], {governed: 1.0}, [arithmetic[3]])
        elif per and per[0]:  # "cost per bike rebalanced" is the governed Rebalancing cost per bike
            choice = MetricChoice("query", [per[0]], {per[0]: 1.0}, [per[2]])
        else:
            # "items did we move": units sold (but not an everyday phrasing that says a word of the catalog's values
            # no metric's name holds: "fillings did we do" is some procedures, the Composite and Amalgam Fillings)
            words = set(meaning_tokens(leftover)) | {w for (s, e), nouns in everyday_spans(leftover)
                                                     if not self._says_values(leftover[s:e]) for w in nouns}
            if lang == "zh":  # 卖了多少台: the measure word says what is counted (the question words are gone by now)
                words |= everyday_words(said)
            masked = blank(low, frame.spans + dim_spans)  # same offsets, only metric words left
            choice = choose_metrics(self.catalog, hits, words, {}, leftover.strip(), masked)
            if not self._lexically_confident(choice, leftover) and self.vectors is not None and words:
                # the dense score only when the words alone are not enough: it may load a model (seconds)
                lexical = choice
                choice = choose_metrics(self.catalog, hits, words, self.vectors.scores(leftover), leftover.strip(),
                                        masked)
                if choice.decision == "query" and len(choice.metrics) == 1 and lexical.decision == "clarify" \
                        and choice.metrics[0] in lexical.metrics \
                        and self._stage_unsaid(choice.metrics[0], lexical.metrics, low):
                    choice = lexical  # the words tie a stage's count with another; which one is asked, not guessed
            from_values = choice.decision == "no_match" and dim_spans and not groups and context is None
            valued = self._value_words_as_metric(low, frame.spans, hits) if from_values else None
            choice = valued or choice
            if choice.decision == "no_match" and dim_spans and not groups and context is None:
                choice = self._how_it_went(raw, leftover, hits) or choice
            if choice.decision == "clarify" and not (valued is not None and _COUNTED_AFTER_PEOPLE_ZH.search(said)):
                # (a value said whose words name another metric — "new business" beside New business premium —
                # leaves the metric in doubt: then any word of a variant's names still keeps the question asked back)
                metric_words = {t for m in self.catalog.supported_metrics() if m.name not in choice.metrics
                                for t in tokens(humanise(m.name))}
                # (a value excluded names nothing asked: "donations excluding grants" is no question about Grants)
                doubted = any(h.entry.kind == "value" and set(tokens(low[h.start:h.end])) <= metric_words
                              and not is_negated(low, h.start, h.end) for h in hits)
                resolved = self._not_the_negated(choice, low, hits) \
                    or self._plain_metric(choice, low, () if doubted else frame.spans) \
                    or entity_names_option(self.catalog, choice, spotted) \
                    or count_or_amount(self.catalog, choice, said, leftover) \
                    or running_total_option(self.catalog, choice, said, leftover) \
                    or distinct_count_option(self.catalog, choice, said, leftover) \
                    or self._only_span(choice, said) \
                    or self._total_of_parts(choice, low, said) \
                    or self._counted_value(choice, low, hits)
                if resolved is not None and any(other_quantity(self.catalog, n, set(tokens(low)))
                                                for n in resolved.metrics):
                    resolved = None  # 律师的平均年薪: a salary asked, which no option is
                if resolved is not None and len(resolved.metrics) == 1 \
                        and self._stage_unsaid(resolved.metrics[0], choice.metrics, low):
                    resolved = None  # "pre-need plans" among contracts signed and sold: which stage, asked
                choice = resolved or choice
            apart = self._named_apart(leftover, low, hits, choice) if not from_values else None
            if apart is not None:
                choice = MetricChoice("query", [apart[0]], choice.scores, choice.mention_spans)
                hits = [h for h in hits if h is not apart[1]]
                all_hits = [h for h in all_hits if h.span != apart[1].span]
            if from_values and choice.decision == "query" and len(choice.metrics) == 1:
                # "how much have we written off": the value's words were the metric's own (Write-offs), not also a
                # condition (invoices whose status is Written Off)
                own = {_stem(t) for p in self._metric_phrases(choice.metrics[0]) for t in tokens(p.lower())}
                all_hits = [h for h in all_hits if not (h.entry.kind == "value" and (words := tokens(
                    low[h.start:h.end])) and {_stem(t) for t in words} <= own)]
            if choice.decision == "query" and _HOW_ARE_WE.search(low) and (
                    not groups or not all(self._said_in_full(n, low) for n in choice.metrics)):
                # "how are we doing with learners?": which of the learners' numbers is asked is not said
                choice = MetricChoice("clarify", [n for n in sorted(choice.scores, key=lambda n: -choice.scores[n])
                                                  if choice.scores[n] > 0][:3] or choice.metrics, choice.scores,
                                      reason_key="which_metric", reason_text=leftover.strip())
            level = level_over_count(self.catalog, low, choice.metrics + self._average_twins(choice.metrics)) \
                if choice.decision in ("query", "clarify") and len(choice.metrics) <= 3 else None
            if level and choice.decision == "query" and all(self._said_in_full(n, low) for n in choice.metrics) \
                    and not self._said_in_full(level, low):
                level = None  # "course ratings this year" names the count in full
            if level:  # "avg course rating", 评分最高的讲师: the average rating, not the number of ratings
                choice = MetricChoice("query", [level], {level: choice.scores.get(level, 1.0)}, choice.mention_spans)
        modifies = bool(dim_spans or frame.time or frame.grain or frame.compare or frame.descending is not None
                        or (frame.shift_back and context is not None and context.time_range is not None))
        base: MetricQuery | None = None
        if context is not None and groups and dim_spans and _ONLY_START.match(low) and all(
                self._rows_of_thread(h.entry.target, context) for g in groups for h in g):
            groups = []  # "only international shipments" after the late delivery rate by carrier: its rows, filtered
        elif context is not None and groups and _ONLY_START.match(low) \
                and (reach := self._said_as_thread_values(groups, all_hits, context)):
            # "just arrivals?" after the on-time rate: the value Arrival of the thread's flights, not the Arrivals
            # metric said with the same word
            groups = []
            hits = [h for h in hits if h.entry.kind != "metric"] + [
                h for h in all_hits if h.entry.kind == "value" and self._value_at(h.span, all_hits, reach)]
            dim_spans = [h.span for h in hits]
            all_hits = [h for h in all_hits if h.entry.kind != "metric" or h.span not in dim_spans]
            modifies = True
        if context is not None and not groups and not choose_metric and (modifies or frame.followup):
            # the thread's metric carries over unless the words name something else: "CAC last quarter" after a
            # question about response time asks about CAC (an abbreviation nothing spells), not response time
            # ("customers by country" there: "customers" may be several metrics — asked, not answered as before)
            # (but not words that name nothing the catalog has, with nothing else placed: "meeting room utilization
            # last week" after a revenue question is no metric here, never revenue last week)
            unknown_ask = choice.decision == "no_match" and words_left(leftover) and not dim_spans \
                and frame.descending is None and not frame.limit and not self._says_only(leftover, context) \
                and not _RESTRICTS_THREAD.match(low)
            # (nor words that restrict or break down the thread's numbers: "just trucks", 按州分一下 — a word of them
            # nothing places is asked back by name)
            # ("just loan deals" after monthly installs: a value placed and one noun for its rows, no metric named)
            only_rows = bool(dim_spans) and (bool(_ONLY_ROWS.match(leftover)) or self._rows_of_a_value(leftover, hits))
            another = not _BREAKDOWN_ZH.search(low) and self._names_another(choice, leftover, context)
            if (choice.decision == "no_match" or not words_left(leftover)
                    or (self._says_only(leftover, context) and not another) or only_rows) \
                    and not unknown_ask and not unknown_acronym(raw, frame.spans + [h.span for h in spotted]):
                choice = MetricChoice("query", list(context.metrics), {}, [])
                base = context
                sibling = sibling_for_value(self.catalog, context.metrics, hits, low) if frame.replace_metric else None
                if sibling and self._names_more_than(leftover, sibling[0]):
                    # "and by breakfast participation instead": participation unsaid by Breakfasts served
                    sibling = None
                if sibling:  # "same for gas" after electricity usage: Gas usage, not electricity filtered to gas
                    choice = MetricChoice("query", sibling[0], {}, [])
                    hits = [h for h in hits if h.span != sibling[1]]
                    all_hits = [h for h in all_hits if h.span != sibling[1]]
            elif (frame.replace_metric or frame.followup or another) and choice.decision == "query" \
                    and (frame.replace_metric or said_money(leftover) or another):
                # "same for revenue" where revenue is part of a name (Net patient revenue); 那报废的金额呢 after the
                # spoilage rate by month: the money written off, by month as before
                base = context
            elif _ONLY_START.match(low) and choice.decision == "query" and len(choice.metrics) == 1 \
                    and self._filtered_variant_of_thread(choice.metrics[0], context):
                base = context  # "only the rush ones" after jobs by channel: Rush jobs by channel, the thread's period
        elif context is not None and groups and frame.followup and (frame.replace_metric or not modifies):
            base = context  # "same for orders", "what about AOV?": a new metric, the rest as before
            # ("and ADR?" asks about ADR instead, as "what about ADR?" does; "and orders", "also orders" add)
            if choice.decision == "query" and not frame.replace_metric and _ADDING.match(low) \
                    and not re.match(r"^\s*and\b.*\?\s*$", low):
                # "and new hires", 还有入职人数: one more metric beside the thread's, not instead of it
                choice = MetricChoice("query", list(dict.fromkeys([*context.metrics, *choice.metrics])),
                                      choice.scores, choice.mention_spans)
        if context is None and frame.time is None and _ELSE_IN_THREAD.search(low) and choice.decision == "query" \
                and not choose_metric:
            # "now vehicles", 那票务收入呢 where the question before was asked back (no thread to go on): another number
            # in place of an earlier answer's, whose period and breakdown are not known — never the number over all time
            return self._refuse("clarify", lang, say("followup_without_thread", lang), choice.metrics)
        if context is None and _ONLY_START.match(low) and choice.decision == "query" and not choice.mention_spans \
                and not choose_metric and not governed:
            # 只看商业客户, "just the commercial ones" with no thread: a restriction of numbers not said — New customers
            # reached through the word 客户 would be a guess
            return self._refuse("clarify", lang, say("which_metric", lang, text=raw.strip(" ?？")), choice.metrics)
        if context is None and frame.followup and choice.decision == "query" and not choose_metric \
                and not words_left(leftover) and not governed:
            # "what about GCP?", 华东呢 with no thread to go on (the question before was asked back): which metric
            # and period are meant is not said — a value's one metric over all time would be a guess
            return self._refuse("clarify", lang, say("which_metric", lang, text=raw.strip(" ?？")), choice.metrics)
        if base is not None and frame.compare == "year_over_year" and frame.time is None \
                and _SAME_PERIOD_LAST_YEAR.search(frame.compare_text) \
                and not (_COMPARING.search(low) or re.search(r"比(?!例|率|重)", low)):
            # 去年同期呢, "same period last year?" in a thread: the thread's period a year back (as "a year
            # earlier"), not a comparison nobody asked for ("跟去年同期比" still compares)
            frame.compare, frame.shift_back = None, "year"  # type: ignore[assignment]
        if frame.growth and choice.decision == "query" and not frame.compare and base is None:
            value = next((h for h in hits if h.entry.kind == "value" and h.start < frame.growth[1]
                          and frame.growth[0] < h.end), None)
            if value is not None and said_as_value(value, raw, low, [h.span for h in hits
                                                                     if h.entry.kind == "dimension"]):
                frame.growth = None  # "MRR for the growth plan": the plan, said as a value
            elif value is not None:  # "MRR growth" with a Growth plan: the plan or a change? asked, never both
                return self._refuse("clarify", lang, say("growth_or_value", lang, word=low[value.start:value.end],
                                                         value=value.entry.target, dim=humanise(value.entry.dim[1])),
                                    choice.metrics)
            if frame.growth:
                self._growth_as_comparison(frame, choice.metrics, low)
        # (a business abbreviation typed in lower case counts where the words left the metric in doubt: "whats our
        # nps" is no Net sales; a metric they placed is the abbreviation's own, "csat" of Patient satisfaction)
        acronym = unknown_acronym(raw, frame.spans + [h.span for h in spotted],
                                  BUSINESS_ABBREVIATIONS if resolved is not None else frozenset()) \
            if choice.decision in ("query", "clarify") and base is None and not choose_metric and not governed else None
        if acronym and not acronym[1] and {acronym[0].lower(), f"{acronym[0].lower()}s"} & self._words_of_metrics(
                choice.metrics):
            acronym = None  # "RVUs last month" of Work RVUs: the chosen metric's own word, placed by the choice
        if acronym and acronym[1]:  # "headcount in the US" where no value is US: asked back, never all rows
            return self._refuse("clarify", lang, self._offer([acronym[0]], choice.metrics, lang), choice.metrics)
        if acronym:  # "employee NPS": an abbreviation nothing in the catalog spells names another metric
            return self._refuse("no_match", lang, say("no_metric", lang, text=acronym[0]), choice.metrics)
        name = unknown_name(raw, frame.spans + [h.span for h in spotted]) \
            if choice.decision in ("query", "clarify") and not choose_metric else None
        if name:  # "visits did Dr. Smith have" where no value is Smith: asked back, never everyone's visits
            return self._refuse("clarify", lang, self._offer([name], choice.metrics, lang), choice.metrics)
        if choice.decision == "query" and len(choice.metrics) == 1 and _NEW_SAID.search(said) \
                and (flow := self._flow_of_running_total(choice.metrics[0])):
            # "new patients registered this month", 新登记了多少病人: the ones added in the period, never the running
            # total of all ever registered (the same rows counted from the beginning)
            choice = MetricChoice("query", [flow], choice.scores, choice.mention_spans)
        asked, people = self._people_of_rows(low, choice, fold(text)) \
            if choice.decision == "query" and not choose_metric else ("", [])
        if len(people) == 1:  # "how many people rode with us": the riders, counted distinctly — never the trips
            choice = MetricChoice("query", people, choice.scores, choice.mention_spans)
        elif people:
            return self._refuse("clarify", lang, say("which_metric", lang, text=asked), people)
        other = self._other_counted(low, choice, said) \
            if choice.decision == "query" and not choose_metric else None
        if other:  # "how many customers ordered last month": customers, never the count of orders
            return self._refuse("clarify", lang, say("which_metric", lang, text=other[0]), other[1] or choice.metrics)
        if frame.outside and (choice.decision in ("query", "clarify") or base is None):
            # "is our OTD better than competitors?": their number is not in the catalog — never ours alone
            return self._refuse("unsupported", lang, say("outside_numbers", lang), choice.metrics)
        if frame.opinion and (choice.decision in ("query", "clarify") or base is None):
            # "is our ADR too low?", 电价是不是太高了: a judgement (of a governed number or of anything else)
            return self._refuse("unsupported", lang, say("opinion", lang), [])
        if frame.why and (choice.decision in ("query", "clarify") or base is None):
            return self._refuse("unsupported", lang, say("why", lang), [])
        if frame.future and choice.decision in ("query", "clarify"):  # a forecast: no metric would answer it
            return self._refuse("unsupported", lang, say("future", lang), [])
        if frame.condition and choice.decision == "query":
            return self._refuse("clarify", lang, say("condition", lang, text=frame.condition), choice.metrics)
        if frame.invalid_time and choice.decision == "query":  # never all time for a date that does not exist
            return self._refuse("clarify", lang, say("invalid_date", lang, text=frame.invalid_time), choice.metrics)
        if choice.decision == "query" and (fiscal := _FISCAL.search(low)):
            # "what did we raise in FY26": many fiscal years start in another month than January, and the
            # catalog does not say which — calendar dates would be a confident wrong number
            return self._refuse("clarify", lang, say("fiscal_year", lang, text=fiscal.group(0)), choice.metrics)
        if choice.decision == "query" and frame.time is None and base is None and (now := _NOW_EN.search(low)) \
                and all(self._flow(n) for n in choice.metrics):
            # "how many gallons are sitting in the tank right now": a level at this moment, which a metric summing
            # what happened over a period (Gallons delivered) is not — never its all-time total
            return self._refuse("clarify", lang, say("level_now", lang, text=now.group("now")), choice.metrics)
        if choice.decision == "query" and (event := _since_event(low, frame.spans)):
            # "ticket revenue since the remodel": counted from a day the catalog does not know — never all time,
            # nor the value the event's words also name
            return self._refuse("clarify", lang, say("since_event", lang, text=event), choice.metrics)
        if choice.decision == "query" and (other := self._other_calendar(low)):
            return self._refuse("clarify", lang, say("other_calendar", lang, text=other), choice.metrics)
        if frame.unpaired and choice.decision == "query":  # two periods compared: never the first alone
            key = "two_periods_named" if frame.unpaired_joined else "two_periods"
            return self._refuse("clarify", lang, say(key, lang, text=frame.unpaired), choice.metrics)
        if frame.shift_back and frame.time is None and choice.decision == "query" \
                and (base is None or base.time_range is None):
            # "same day last week" with no period before it in the thread: moved back from what is not known
            return self._refuse("clarify", lang, say("shift_without_period", lang), choice.metrics)
        if frame.finer and choice.decision == "query":
            return self._refuse("clarify", lang, say("finer_grain", lang, text=frame.finer), choice.metrics)
        if choice.decision in ("query", "clarify") and base is None and not choose_metric \
                and (net := net_after(self.catalog, low) or total_including(self.catalog, low)) \
                and choice.metrics[:1] != [net[0]]:
            # "what did we keep after refunds": the net metric that takes the refunds off, never the refunds ("fuel
            # charges included": the total adding them, never the fuel surcharges alone)
            choice = MetricChoice("query", [net[0]], choice.scores, [*choice.mention_spans, net[1]])
            if frame.growth and frame.compare == "previous_period" \
                    and frame.compare_text == low[frame.growth[0] : frame.growth[1]] \
                    and self._net_change(net[0]):
                frame.compare, frame.compare_text = None, ""  # "did we grow or shrink, net of cancellations": the
                # net adds are the change asked, no comparison with the period before
            # (the words name metrics netted or added, never a condition: "delivery included" is no delivered flag)
            all_hits = [h for h in all_hits if not (net[1][0] <= h.start and h.end <= net[1][1])]
        if choice.decision == "query" and (base is None or choice.metrics != list(base.metrics)) \
                and not choose_metric:
            # (also a metric named instead of the thread's: 换成签单金额呢 asks the amount, not the count of contracts)
            choice = self._check_aggregation(choice, leftover, said)
        if choice.decision == "query" and base is None and not choose_metric and len(choice.metrics) == 1 \
                and asked_kind(low) is None and not re.search(r"\bper\b|每", low) and not _HOW_FULL.search(low) \
                and is_rate(self.catalog, choice.metrics[0]) \
                and (counted := counted_plural(self.catalog, choice.metrics[0], low)):
            # "cancellations last week" with only a Cancellation rate: the cancellations counted, never their rate
            return self._refuse("clarify", lang, say("kind_mismatch", lang, text=counted), choice.metrics)
        if choice.decision == "query" and not choice.mention_spans and base is None and not choose_metric \
                and not governed and asked_kind(leftover) is None and self._percentages(choice.metrics) \
                and not self._said_in_full(choice.metrics[0], low):
            # a percentage reached on some of its words only ("trials started this week" → the trial conversion
            # rate): asked, never answered as if the question had asked for a rate
            choice = MetricChoice("clarify", choice.metrics, choice.scores, reason_key="which_metric",
                                  reason_text=leftover.strip())
        if per and per[0] is None and choice.decision == "query" and choice.metrics == [per[3]] and base is None:
            # "cost per trip" answered with Trips, the metric after "per": never the denominator alone
            return self._refuse("clarify", lang, say("arithmetic", lang, text=low[per[2][0] : per[2][1]]),
                                list(per[4]) or [per[3]])
        if choice.decision == "query" and base is None and not choose_metric and len(choice.metrics) == 1 \
                and not self._said_in_full(choice.metrics[0], low) and asked_kind(low) is None \
                and (qualified := self._value_qualifies_a_metric(choice.metrics[0], low, all_hits)):
            # "new members so far this year": "new" before "members" is New loyalty members' own word, not the book
            # condition New of Loyalty member sales (reached on "members" alone)
            choice = MetricChoice("query", [qualified[0]], choice.scores, choice.mention_spans)
            all_hits = [h for h in all_hits if h.span != qualified[1]]
        if choice.decision == "query" and base is None and not choose_metric and len(choice.metrics) == 1 \
                and _STOCK_ASKED.search(low) and self._flow_word_unsaid(choice.metrics[0], low):
            # "how many active tag accounts do we have right now" with only New tag accounts: how many there are is
            # no count of those opened in a period — asked, never answered with the new ones
            label = self.catalog.metric(choice.metrics[0]).display_name
            return self._refuse("clarify", lang, say("stock_not_flow", lang, metric=label), choice.metrics)
        if choice.decision == "query" and base is None and not choose_metric and choice.metrics and all(
                other_quantity(self.catalog, n, set(tokens(low))) for n in choice.metrics):
            # 旅客满意度评分 with a metric of passengers: a score asked, which no metric chosen is
            choice = MetricChoice("clarify", choice.metrics, choice.scores, reason_key="which_metric",
                                  reason_text=leftover.strip())
        if choice.decision != "query":
            reason = (say(choice.reason_key, lang, text=choice.reason_text, agg=choice.reason_text)
                      if choice.reason_key else choice.reason)
            return self._refuse(choice.decision, lang, reason, choice.metrics, choice.scores)
        built = self._build(choice, frame, all_hits, low, lang, today, base)
        if self.confirm_unnamed and built.kind == "query" and base is None and not choose_metric \
                and not built.named and built.confidence < CONFIRM_BELOW:
            # (strict mode) the words chose the metric, none named it: offered with a button, never answered
            # unasked — on 21 first runs such answers were wrong 32 times in 105, named ones 41 in 1,330
            guess = self.catalog.metric(choice.metrics[0])
            label = (guess.label or humanise(guess.name)) if guess is not None else choice.metrics[0]
            others = [n for n in sorted(choice.scores, key=lambda n: -choice.scores[n]) if n not in choice.metrics
                      and choice.scores[n] >= SUGGEST]
            return self._refuse("clarify", lang, say("confirm_metric", lang, metric=label),
                                [*choice.metrics, *others][:3], choice.scores)
        return built

    # -- pieces -------------------------------------------------------------------------------
    def _lexically_confident(self, choice: MetricChoice, leftover: str) -> bool:
        """The metric decision needs no dense score: every requested metric was named (a full mention, one
        metric each) and no statistic word could swap it. Then dense scores could only change the scores,
        never the metrics, so both the eager and the lazy embedder give the same interpretation."""
        return (not self.always_dense and choice.decision == "query" and bool(choice.mention_spans)
                and self._check_aggregation(choice, leftover) is choice)

    def _value_words_as_metric(self, low: str, spans: list[tuple[int, int]], hits) -> MetricChoice | None:  # noqa: ANN001
        """No metric named, only dimension words ("churn last month", where churn is also a movement type):
        the same words may name metrics ("Churned MRR", "Logo churn rate"), so offer those rather than
        nothing. Never answered outright: the words were read as a value first."""
        metric_hits = [h for h in hits if h.entry.kind == "metric"]

        def choose(masked: list[tuple[int, int]]) -> MetricChoice | None:
            """The metrics the words left beside `masked` name (None where no word is left)."""
            text = self._leftover(low, masked)
            words = set(meaning_tokens(text))
            if not words:
                return None
            dense = self.vectors.scores(text) if self.vectors is not None else {}
            return choose_metrics(self.catalog, metric_hits, words, dense, text, blank(low, masked))

        # (a dimension asked as rows is no word of the metric: "kites by <sales channel>" asks nothing of sales; "per"
        # is left out: "avg ticket per move" names a ratio)
        rows = [h.span for h in hits if h.entry.kind == "dimension" and _ROWS_ASKED.search(low[:h.start])]
        retry = choose([*spans, *rows])
        if retry is None:
            return None
        negated = [h.span for h in hits if h.entry.kind == "value" and is_negated(low, h.start, h.end)] \
            if retry.decision == "clarify" else []
        if negated:
            # "exits other than <failed training>": a value said negated is a condition on the rows — where its words
            # leave the metric in doubt, the rest may still name it (but they may also tell metrics apart: "not
            # counting <property sold>" is a reason only contract cancellations have, so they are kept first)
            # (taken only where it names one: otherwise the question is asked back as before)
            without = choose([*spans, *negated, *(s for n in negated for s in negation_words(low, *n))])
            retry = without if without is not None and without.decision == "query" else retry
        if retry.decision == "no_match" or not retry.metrics:
            return None
        if retry.decision == "query" and len(retry.metrics) == 1:
            own = {t for p in self._metric_phrases(retry.metrics[0]) for t in tokens(p.lower())}
            named = [h for h in hits if h.entry.kind != "metric" and set(tokens(low[h.start:h.end])) <= own]
            if named and all(set(tokens(low[h.start:h.end])) <= own for h in named):
                # "worst techs on first time fix": the words read as a flag are the whole of the one metric the
                # sentence model is sure of (First time fix rate); the other dimensions still apply
                return MetricChoice("query", retry.metrics, retry.scores)
            metric = self.catalog.metric(retry.metrics[0])
            home = model_of(self.catalog, metric.name)
            own_rows = [h.entry.dim[0] for h in hits if h.entry.kind == "dimension" and h.entry.dim
                        and {singular(w) for w in (*h.entry.dim[1].split("_"), *tokens(low[h.start:h.end]))}
                        & {singular(w) for w in own}]
            if _ROWS_SAID.search(low) and counts_rows(self.catalog, metric) and home in own_rows:
                # "top 3 lead sources", "top 5 complaint types": rows of the metric's own dimension named after what
                # it counts — the count of those rows (Leads), by that dimension
                return MetricChoice("query", retry.metrics, retry.scores)
            counted = [n for n in self._inputs(metric.name) if model_of(self.catalog, n) in own_rows
                       and counts_rows(self.catalog, self.catalog.metric(n))]
            if _ROWS_SAID.search(low) and len(counted) == 1:
                # "top 3 error types" where the words reached the Payroll error rate: the errors of each type
                # counted — the rate's one input counting those rows (Payroll errors), never the rate
                return MetricChoice("query", counted, retry.scores)
        return MetricChoice("clarify", retry.metrics[:3], retry.scores, reason_key="which_metric",
                            reason_text=self._leftover(low, spans))

    def _how_it_went(self, raw: str, leftover: str, hits) -> MetricChoice | None:  # noqa: ANN001
        """"how did mobile do last week", "performance by channel": a slice we know but no metric at all, only
        words asking how it went. Ask which metric (those that can use the slice), rather than find nothing."""
        if set(content_tokens(leftover)) - _HOW_IT_WENT - STOPWORDS:
            return None
        dims = {h.entry.dim for h in hits if h.entry.kind != "metric"}
        usable = [m.name for m in self.catalog.metrics if not m.unsupported_reason
                  and dims & set(reachable_refs(self.catalog, [m.name]))]
        if not usable:
            return None
        ranked = [n for n in self.rank_metrics(leftover or " ".join(usable), n=len(self.catalog.metrics))
                  if n in usable]
        named = " ".join(dict.fromkeys(raw[h.start:h.end] for h in hits if h.entry.kind != "metric"))
        values = {h.entry.dim for h in hits if h.entry.kind == "value" and h.entry.dim}
        if _HOW_MANY.search(leftover) and len({d[0] for d in values}) == 1:
            # "how many crowns did we do": the one plain count of the rows the value is of (procedures)
            counts = [n for n in usable if (m := self.catalog.metric(n)) is not None and not m.filter
                      and is_count(self.catalog, m) and model_of(self.catalog, n) == next(iter(values))[0]]
            if len(counts) == 1:
                return MetricChoice("query", counts, {counts[0]: 1.0})
        return MetricChoice("clarify", ranked[:3] or usable[:3], {}, reason_key="metric_for", reason_text=named)

    def _blocked_mention(self, low: str, masked: list[tuple[int, int]], hits) -> str | None:  # noqa: ANN001
        """An uncomputable metric named exactly and not as part of a longer computable one ("MRR", not
        the "MRR" inside "new MRR")."""
        if self._blocked is None:
            return None
        named = [h for h in hits if h.entry.kind == "metric"]
        for b in spot(self._blocked, low, masked):
            if b.score >= 0.99 and not any(inside(b.span, h.span) for h in named):
                return b.entry.target
        return None

    def _check_aggregation(self, choice: MetricChoice, leftover: str, said: str = "") -> MetricChoice:
        """"median …", "maximum …", "p95 …": the statistic must be the chosen metric's own.

        A metric that names the statistic and shares the question's other words replaces the choice
        ("median time to resolve" → the median metric, not the average one); with none, the question
        is clarified rather than answered with a different statistic ("median order value" ≠ orders).
        """
        words = set(content_tokens(leftover)) | {en for zh, en in _STATISTICS_ZH.items() if zh in leftover}
        for family, agg_types in _AGGREGATIONS.items():
            asked = words & family
            if not asked or any(self._has_statistic(m, family, agg_types) for m in choice.metrics):
                continue
            rest = words - family
            named = [m.name for m in self.catalog.supported_metrics()
                     if self._has_statistic(m.name, family, agg_types)
                     and rest & {t for p in self._metric_phrases(m.name) for t in content_tokens(p)}]
            if len(named) == 1 and len(choice.metrics) == 1:
                return MetricChoice("query", named, choice.scores, choice.mention_spans)
            nearest = [n for n in sorted(choice.scores, key=lambda n: -choice.scores[n])  # not near by "median" alone
                       if n in named or not self._has_statistic(n, family, agg_types)]
            options = list(dict.fromkeys([*named, *choice.metrics, *nearest]))
            return MetricChoice("clarify", options[:3], choice.scores, reason_key="aggregation",
                                reason_text=next((zh for zh, en in _STATISTICS_ZH.items() if en in asked
                                                  and zh in leftover), next(iter(asked))))
        return self._check_kind(choice, leftover, said)

    def _check_kind(self, choice: MetricChoice, leftover: str, said: str = "") -> MetricChoice:
        """"lost parcel percentage", "average freight cost": a rate or an average is answered by a metric of
        that kind — the one sharing the question's words, else the question is asked back with those offered.
        `said`: the question as typed, whose 多少钱 may have gone into a phrase (退了多少钱: refunds, in money)."""
        kind = asked_kind(leftover)
        if kind is None and _SPEED_RANKED.search(said.lower()):
            kind = "duration"  # "the slowest builds", 最快的工单: ranked by how long each took, never by how many
        metrics = [self.catalog.metric(n) for n in choice.metrics]
        money = asks_amount(leftover) or bool(_MONEY_ASKED_ZH.search(said)) \
            or bool(_MONEY_NOUN_ZH.search(said) and not _COUNTED_ZH.search(said))
        if kind is None and money and len(metrics) == 1 and metrics[0] is not None \
                and is_count(self.catalog, metrics[0]):
            # (回款多少: the money word went into the metric's phrase; its English renderings name the amount)
            found = amounts_for(self.catalog, said if has_cjk(said) else leftover, metrics[0])
            if len(found) > 1 and (noun := _MONEY_NOUN_ZH.search(said)):  # 回款: Gross collections, not Fee revenue
                found = [n for n in found if self._renders(n, noun.group(0))] or found
            found = [plain] if len(found) > 1 and (plain := plain_among(self.catalog, found)) else found
            if len(found) == 1:  # "how much did we refund": the refund amount, not the number of refunds
                return MetricChoice("query", found, choice.scores, choice.mention_spans)
            if found:
                return MetricChoice("clarify", [*found[:2], choice.metrics[0]], choice.scores,
                                    reason_key="which_metric", reason_text=leftover)
            if said_money(leftover + " " + said):  # 销售额 with only a count of leads: never the count for money
                return MetricChoice("clarify", choice.metrics, choice.scores, reason_key="which_metric",
                                    reason_text=leftover)
        if kind is None and _MONEY_ASKED_ZH.search(said) and len(metrics) == 1 and metrics[0] is not None \
                and self._things_summed(metrics[0]):
            # 收二手书花了多少钱 with Used books bought (books summed): the money paid for them, never the books
            found = [m.name for m in money_on_same_rows(self.catalog, metrics[0])]
            # (a catalog that formats no money as currency says nothing this way: then the metric stands)
            if len(found) == 1:
                return MetricChoice("query", found, choice.scores, choice.mention_spans)
            if found:
                return MetricChoice("clarify", [*found[:2], choice.metrics[0]], choice.scores,
                                    reason_key="which_metric", reason_text=leftover)
        if kind is None and not money and len(metrics) == 1 and metrics[0] is not None \
                and is_count(self.catalog, metrics[0]) and _VOLUME_ZH.search(said or leftover) \
                and not asks_count(said or leftover) \
                and "volume" not in self._words_of_metrics(choice.metrics[:1]) \
                and (volumes := self._quantities_beside(metrics[0])):
            # 上岸量 with Landings (a count) and Landed weight (lbs summed) on the same rows: 量 is as much the weight
            # as the number of landings — which one is asked, never the count assumed (unless the count's own names
            # call it the volume: Shipments, "shipment volume")
            return MetricChoice("clarify", [*volumes[:2], choice.metrics[0]], choice.scores,
                                reason_key="which_metric", reason_text=leftover)
        if kind is None and money and len(metrics) == 1 and metrics[0] is not None \
                and (numerator := money_numerator(self.catalog, metrics[0])):
            return MetricChoice("query", [numerator], choice.scores, choice.mention_spans)  # 毛利额: Gross profit
        if kind is not None and asks_count(leftover) and not asks_amount(leftover) and len(metrics) == 1 \
                and metrics[0] is not None and metrics[0].meta.format.kind == "currency":
            # "how many times did a customer send, on average": an average of a count, never the average amount
            _, others = of_kind(self.catalog, kind, leftover, choice.metrics)
            counted = [n for n in others if (m := self.catalog.metric(n)) and m.meta.format.kind != "currency"]
            return MetricChoice("clarify", [*counted[:2], choice.metrics[0]], choice.scores,
                                reason_key="which_metric", reason_text=leftover)
        # (理赔有多少件: 多少 is gone from the leftover words; 理赔数量 is never a sum of money)
        counted = asks_count(leftover) or bool(_COUNTED_ZH.search(said))
        if kind is None and counted and len(metrics) == 1 and metrics[0] is not None \
                and (metrics[0].meta.format.kind == "currency"
                     or (asks_count(leftover) and time_spent_instead(self.catalog, metrics[0], said or leftover))):
            # ("how many excursions": the excursions, never the minutes spent out of range)
            found = counts_for(self.catalog, leftover, metrics[0])
            if len(found) == 1:  # 放款笔数, "how many loans did we disburse": the count, never the money
                return MetricChoice("query", found, choice.scores, choice.mention_spans)
            return MetricChoice("clarify", [*found[:2], choice.metrics[0]], choice.scores,
                                reason_key="which_metric", reason_text=leftover)
        if kind is None and len(metrics) == 1 and metrics[0] is not None \
                and (outgoing := paid_out_instead(self.catalog, (said or leftover).lower(), metrics[0])) is not None:
            if len(outgoing) == 1:  # "how much did we pay out for scrap": the scrap bought, not the scrap sold
                return MetricChoice("query", outgoing, choice.scores, choice.mention_spans)
            return MetricChoice("clarify", [*outgoing[:2], choice.metrics[0]], choice.scores,
                                reason_key="which_metric", reason_text=leftover)
        distinct = _HOW_MANY_DISTINCT.search((said or leftover).lower())
        if kind is None and distinct and len(metrics) == 1 and metrics[0] is not None \
                and (counted := counted_entity(self.catalog, metrics[0])) is not None \
                and singular(distinct.group(1)) not in {singular(counted), *self._words_of_metrics(choice.metrics[:1])}:
            # "how many different customers bought": the customers counted, never the orders they placed
            counting = [m.name for m in self.catalog.supported_metrics()
                        if singular(distinct.group(1)) in {singular(w) for w in self._words_of_metrics([m.name])}
                        and counted_entity(self.catalog, m) is not None]
            if len(counting) == 1:
                return MetricChoice("query", counting, choice.scores, choice.mention_spans)
            return MetricChoice("clarify", [*counting[:2], choice.metrics[0]], choice.scores,
                                reason_key="which_metric", reason_text=leftover)
        if kind is None and len(metrics) == 1 and metrics[0] is not None \
                and sold_instead_of_made((said or leftover).lower(), metrics[0]):
            return MetricChoice("clarify", choice.metrics, choice.scores, reason_key="which_metric",
                                reason_text=leftover)  # 锯材产量: what was made, never answered with the sales
        percents = [m is not None and m.meta.format.kind == "percent" and is_kind(self.catalog, m, "rate")
                    for m in metrics]
        if kind is None and _HOW_MANY.search(leftover) and metrics and all(percents):
            # "how many shipments were on time": a count, never answered with the on-time rate
            return MetricChoice("clarify", choice.metrics, choice.scores, reason_key="kind_mismatch",
                                reason_text=_HOW_MANY.search(leftover).group(0))
        if kind is None or any(m is None or fits_kind(self.catalog, m, kind, leftover) for m in metrics):
            return choice
        if kind == "rate" and len(metrics) == 1 and (share := share_of_value(self.catalog, metrics[0].name,
                                                                             said.lower())):
            return MetricChoice("query", [share], choice.scores, choice.mention_spans)  # "% of ad revenue programmatic"
        sure, others = of_kind(self.catalog, kind, leftover, choice.metrics, said)
        if sure and len(choice.metrics) == 1:
            return MetricChoice("query", sure, choice.scores, choice.mention_spans)
        return MetricChoice("clarify", others[:2] + choice.metrics[:1], choice.scores,
                            reason_key="kind_mismatch", reason_text=kind_word(leftover) or kind)

    def _things_summed(self, metric: Metric) -> bool:
        """A simple metric adding up a number of things (books bought, units sold): a sum formatted as a plain
        number, no money."""
        found = self.catalog.find_measure(metric.measure.name) if metric.type == "simple" and metric.measure else None
        return bool(found and found[1].agg == "sum") and metric.meta.format.kind == "number"

    def _has_statistic(self, name: str, family: frozenset[str], agg_types: tuple[str, ...]) -> bool:
        """The metric is this statistic: its words say so, or its (simple) measure aggregates that way."""
        if any(family & set(content_tokens(p)) for p in self._metric_phrases(name)):
            return True
        metric = self.catalog.metric(name)
        if metric is not None and metric.type == "simple" and metric.measure is not None:
            found = self.catalog.find_measure(metric.measure.name)
            return bool(found and found[1].agg in agg_types)
        return False

    def _said_together(self, text: str) -> str:
        """"how many warrants were issued", "cross-connects did we install": the thing counted and what happened to
        it, said apart around a helping verb, joined as a metric names them ("warrants issued") — only where a
        metric's name is exactly that."""
        def ranked(m: re.Match[str]) -> str:
            # "agencies filed the most cases" → "agencies had the most cases filed", the way the metric is named
            nouns = [f"{m.group(3)} {m.group(4)}", m.group(3)] if m.group(4) else [m.group(3)]
            for noun in nouns:
                for verb in _participles(m.group(1).lower()):  # ("close the most deals": deals closed)
                    if self._names_a_metric(f"{noun} {verb}"):
                        rest = f" {m.group(4)}" if m.group(4) and noun == m.group(3) else ""
                        return f"had {m.group(2)}{noun} {verb}{rest}"
            return m.group(0)

        def joined(m: re.Match[str]) -> str:
            for noun in (f"{m.group(1)} {m.group(2)}", m.group(2)) if m.group(1) else (m.group(2),):
                for verb in _participles(m.group(3).lower()):
                    if self._names_a_metric(f"{noun} {verb}"):
                        lead = f"{m.group(1)} " if m.group(1) and noun == m.group(2) else ""
                        return f"{lead}{noun} {verb}"
            return m.group(0)
        return _DID_THE_MOST.sub(ranked, _SAID_APART.sub(joined, text))

    def _kinds_named(self, text: str) -> str:
        """各类案件, 三类案件, 哪种客户: the kinds of a thing, said as the thing after 类/种 — read as the thing's one
        kind dimension (案件类型, 客户类型), only where the catalog has a dimension so named."""
        def kind(m: re.Match[str]) -> str:
            rest = m.group("rest")
            for end in range(len(rest), 0, -1):
                if rest[end:].startswith(("类", "型", "种")):
                    continue  # 哪种项目类型: the kind already said
                for suffix in _KIND_SUFFIXES_ZH if end > 1 else ("类型", "类别", "种类", "型"):
                    # (one character and 类 is another word: 分 + 类 is 分类, not a kind of 分期产品)
                    phrase = rest[:end] + suffix
                    entries = self.lexicon.cjk.get(phrase) or self.lexicon.zh.get(phrase) or []
                    if entries and all(e.kind == "dimension" for e in entries):
                        return f"{m.group('lead')}个{phrase}{rest[end:]}"
            return m.group(0)
        return _KIND_OF_THING_ZH.sub(kind, text) if has_cjk(text) else text

    def _names_a_metric(self, phrase: str) -> bool:
        """Whether these words are exactly a metric's name in the lexicon."""
        key = tuple(w for _, _, w in word_spans(phrase.lower()))
        return any(e.kind == "metric" for e in self.lexicon.latin.get(key, ()))

    def _frame(self, raw: str, low: str, today: dt.date) -> Frame:
        """The frame, except where time words are part of a metric's name ("YTD sales")."""
        frame = read_frame(raw, low, today)
        m = _GRAIN_WORD.search(low) if frame.grain is None else None
        if not frame.spans and not m:
            return frame
        spotted = spot(self.lexicon, low)
        names = [h for h in resolve_overlaps([h for h in spotted if h.entry.kind == "metric"])]
        if m and any(h.start == m.end() and h.score >= 0.99 and len(h.entry.phrase.split()) >= 2 for h in names):
            # "quarterly customer minutes lost": a grain before a metric's whole name, though "quarterly customers"
            # alone would be customers billed quarterly
            frame.grain = _GRAIN_OF[m.group(1)]  # type: ignore[assignment]
            frame.spans.append(m.span(1))
        # (and a value whose name holds a year: "the Black Friday 2025 promo" is the promo, not a period)
        keep = [h.span for h in [*names, *(h for h in spotted if h.entry.kind == "value")] if h.score >= 0.99 and any(
            s < h.end and h.start < e and (h.end - h.start) > (e - s) for s, e in frame.spans)]
        if frame.condition:  # "Under 18", "over 65": an age band the catalog spells so is its value, no amount
            keep += [h.span for h in spotted if h.entry.kind == "value" and h.score >= 0.99
                     and frame.condition in low[h.start:h.end]]
        # "billings excluding annual plans": a value said as a value (a cue before it, its noun after it) is the
        # billing interval, not the grain "annual"
        if frame.grain:  # (a metric word after it is no such noun: "monthly billings" is a grain; nor is a word
            # inside a metric's whole name: "monthly <job> revenue")
            whole = [h.span for h in names if h.score >= 0.99 and len(h.entry.phrase.split()) >= 2]
            dims = [h.span for h in spotted if h.entry.kind == "dimension"
                    and not any(s <= h.start and h.end <= e for s, e in whole)]
            keep += [h.span for h in spotted if h.entry.kind == "value" and h.score >= 0.99
                     and h.span in frame.spans
                     and (any(s == h.end for s, _ in dims) if has_cjk(low[h.start:h.end]) else (
                         said_as_value(h, raw, low, dims) or any(0 <= s - h.end <= 1 for s, _ in dims)))]
            # 月度套餐客户: 月度 joined to a dimension's word (the plan) says which plan, no monthly rows
            # (never after 每/按/逐/分: 每个季度办活动 is a series by quarter of the events held)
            keep += [w.span() for w in re.finditer(r"(?<![每按逐分个])(?:月度|季度|年度)", low)
                     if any(s == w.end() for s, _ in dims)]
        # (in Chinese only a noun joined to it: 按月订阅的 are monthly subscriptions, 每月的取消订阅数 a series)
        return read_frame(raw, low, today, keep) if keep else frame

    def _name_rows_by(self, low: str, frame: Frame, hits, reach: set[DimKey]) -> list[Hit]:  # noqa: ANN001
        """"active subs by plan" where the rows' names are `plan_name` and "plan" alone is no word of the catalog
        (a metric's word too, say): the word right after "by", "per" or "each", nothing else placed it, read as the
        one reachable dimension called `<word>_name`."""
        found: list[Hit] = []
        taken = [h.span for h in hits] + list(frame.spans)
        for m in _BY_WORD.finditer(low):
            if any(s < m.end(1) and m.start(1) < e for s, e in taken):
                continue
            keys = [k for k in reach if k[1] == f"{singular(m.group(1))}_name"]
            if keys:
                found += [Hit(Entry("dimension", k[1], m.group(1), k), m.start(1), m.end(1), 1.0) for k in keys]
        return found

    def _unknown_breakdown(self, low: str, frame: Frame, hits) -> str | None:  # noqa: ANN001
        """A "by X" / "per X" whose X is nothing we know: the question asks for a breakdown we cannot do."""
        # offsets kept; dimensions become "#" and periods "@" ("by <region> last" is no "by last"), metric
        # words spaces, so "by <rider> age" still reads as a breakdown by age. Only a dimension right after
        # the word shows it is a qualifier ("by acquisition <channel>"); a period does not ("by city <last month>").
        rest = blank(blank(blank(low, [h.span for h in hits if h.entry.kind == "metric"]), frame.spans, "@"),
                      [h.span for h in hits if h.entry.kind != "metric"], "#")
        for m in _UNKNOWN_BY.finditer(rest):
            if m.group(1).split()[-1] in STOPWORDS or rest[m.end():].lstrip(" -").startswith("#"):
                continue  # "by acquisition <channel>", "by non-<plus members>": a word qualifying what is named
            if m.group(1) in _AFTERTHOUGHT:
                continue  # "ranked by <permit fee revenue> instead": the word after the metric named, no rows
            return m.group(1)
        m = _TOP_NOUN.search(low)  # "top 5 customers by billings" where nothing is called customers
        if m and m.group(1) not in STOPWORDS and rest[m.start(1) : m.end(1)] == m.group(1):
            return m.group(1)
        m = _WHICH_NOUN.match(rest)
        # "which customers have the most seats" ranks, "which users converted" lists, something we cannot group by
        if m and m.group(1) not in STOPWORDS and (frame.descending is not None
                                                  or m.group(0).lstrip().startswith("which")):
            return m.group(1)
        return None

    def _rows_of_a_value(self, leftover: str, hits) -> bool:  # noqa: ANN001 - lexicon Hits
        """"and for <education> clients?": the one word left names the rows of a value placed (the clients whose
        industry is Education), not a metric — the thread's metric, restricted."""
        m = _FOR_ROWS.match(leftover)
        if m is None:
            return False
        models = {h.entry.dim[0] for h in hits if h.entry.kind == "value" and h.entry.dim}
        # (or the rows of an entity the value's rows belong to: "same for casual riders only" after trips — the
        # trips of casual riders)
        entities = {e.name for sm in self.catalog.semantic_models if sm.name in models for e in sm.entities}
        rows = {singular(name) for name in (*self._primary_entities(models), *models, *entities)}
        return singular(m.group(1)) in rows

    def _primary_entities(self, models: set[str]) -> set[str]:
        """The entities whose rows these semantic models hold (their primary entities)."""
        return {e.name for sm in self.catalog.semantic_models if sm.name in models for e in sm.entities
                if e.type == "primary"}

    def _leads_with_metric(self, low: str, start: int) -> bool:
        """"list revenue by region" is a metric question despite "list": the metric comes first."""
        before = low[:start]
        if has_cjk(low):  # 列出各地区收入 lists revenue by region; 病人名单, 航班明细 are records whatever comes first
            return not re.search(r"明细|名单|清单|逐条|导出|所有|每一", low)
        return len(before.split()) <= 2 and not re.search(r"\b(?:all|every)\b|所有|每一", before)

    @staticmethod
    def _leftover(low: str, spans: list[tuple[int, int]]) -> str:
        chars = list(low)
        for s, e in spans:
            for i in range(s, min(e, len(chars))):
                chars[i] = " "
        return re.sub(r"\s+", " ", "".join(chars)).strip(" ?？!！。.,，")

    def _flow(self, name: str) -> bool:
        """A simple metric summing or counting what happened in a period (not a level: no non-additive measure)."""
        metric = self.catalog.metric(name)
        found = self.catalog.find_measure(metric.measure.name) if metric is not None and metric.type == "simple" \
            and metric.measure is not None else None
        return found is not None and found[1].agg in ("sum", "count") and not found[1].non_additive_dimension

    def _other_calendar(self, low: str) -> str | None:
        """The words of a period of another calendar ("school year", 赛季), unless the catalog names a dimension
        with those words (a season or school-year dimension's values are then what was asked about; a School
        dimension is no calendar)."""
        said = _OTHER_CALENDAR.search(low)
        if said is None:
            return None
        words = set(re.findall(r"[a-z]+", said.group(0)))
        named = (set(tokens(humanise(d.name))) for sm in self.catalog.semantic_models for d in sm.dimensions)
        if words and any(words <= n for n in named):
            return None
        # ("ESY (Extended School Year)": a value said whole, whose name holds the calendar's words)
        values = (v.lower() for vs in self.value_map().values() for v in vs if isinstance(v, str))
        return None if any(said.group(0) in v != said.group(0) and v in low for v in values) else said.group(0)

    def _refuse(self, kind: Kind, lang: str, reason: str | None, names: list[str],
                scores: dict[str, float] | None = None) -> Interpretation:
        options = []
        for name in names[:3]:
            metric = self.catalog.metric(name)
            if metric is not None:
                score = round((scores or {}).get(name, 0.0), 3)
                options.append(Option(metric=name, label=metric.display_name, score=score))
        conf = max((o.score or 0.0 for o in options), default=0.0)
        return Interpretation(kind=kind, options=options, language=lang, reason=reason,  # type: ignore[arg-type]
                              confidence=conf if kind == "clarify" else 1.0 - conf)

    def _build(self, choice: MetricChoice, frame: Frame, hits, low: str, lang: str, today: dt.date,  # noqa: ANN001
               base: MetricQuery | None) -> Interpretation:
        metrics = choice.metrics
        if frame.grain and len(metrics) == 1 and (per := re.search(rf"\bper\s+{frame.grain}\b", low)) \
                and any(re.search(rf"\bper\s+{frame.grain}\b", p.lower()) for p in self._metric_phrases(metrics[0])):
            # "what's a machine doing per day" with Sales per machine per day: the metric's own "per day", no series
            frame.grain = None
            frame.spans.append(per.span())
        for metric in map(self.catalog.metric, metrics):
            if conflict := unit_conflict(metric, low):
                # "how many minutes did people watch" with only Watch hours: never the hours for the minutes
                return self._refuse("clarify", lang, say("unit_mismatch", lang, text=conflict[0],
                                                         metric=metric.display_name, unit=UNIT_SAID[lang][conflict[1]]),
                                    metrics)
            if currency_conflict(metric, frame.currency):
                # "send volume in Mexican pesos" of a USD metric: never the dollars for the pesos, never converted
                asked = low[frame.currency_span[0] : frame.currency_span[1]].strip() if frame.currency_span else ""
                return self._refuse("unsupported", lang, say("currency_mismatch", lang, text=asked,
                                                             metric=metric.display_name,
                                                             currency=metric.meta.format.currency), [])
        if frame.currency_span and all((m := self.catalog.metric(n)) is not None and m.meta.format.kind == "currency"
                                       for n in metrics):
            frame.spans.append(frame.currency_span)  # "send volume in dollars": the money's own currency, placed
        # Re-read the words with only the dimensions these metrics can use: 手机端 (an order channel)
        # gives way to 手机 (a session device) when the metric is sessions.
        reach = set(reachable_refs(self.catalog, metrics))
        names = same_name_reach(reach)
        # ("top 5 procedures by production": the procedures, a metric's name too, are the rows ranked)
        ranked_rows = {h.span for h in hits if h.entry.kind == "metric" and h.entry.target not in metrics
                       and frame.descending is not None and re.match(r"\s+by\s", low[h.end:])
                       and names_entity(self.catalog, h.entry.phrase)}
        # ("not counting low priority": a word of a negation's several is its operator, never a value — Accounting;
        # a value said alone as the cue's one word, "outside" seating, stays)
        cues = [c.span() for c in NEGATION_CUE.finditer(low)]
        hits = [h for h in hits if h.entry.kind != "value"
                or not any(inside(h.span, cue) for cue in cues)]
        usable = resolve_overlaps([h for h in hits if (h.entry.kind == "metric" and h.span not in ranked_rows)
                                   or h.entry.dim in reach])
        # a dimension word with no reachable reading of its own may stand for a reachable namesake
        covered = [u.span for u in usable]
        usable = resolve_overlaps(usable + [h for h in hits if h.entry.kind == "dimension" and h.entry.dim not in reach
                                            and h.entry.dim and (h.entry.dim[1] in names
                                                                 or one_ending_with(h.entry.dim[1], names))
                                            and not any(s < h.end and h.start < e for s, e in covered)])
        usable = resolve_overlaps(usable + self._name_rows_by(low, frame, usable, reach))
        unknown = self._unknown_breakdown(low, frame, usable)
        if unknown and set(tokens(unknown)) <= {w for m in metrics for p in self._metric_phrases(m) for w in tokens(p)}:
            unknown = None  # "same but by revenue": ranked by the metric named, not rows by something unknown
        flags = self._flags(reach, metrics)
        dims = read_dimensions(self.catalog, metrics, usable, low, lambda s, e: is_negated(low, s, e),
                               flags, ranked=frame.descending is not None,
                               prefer=frozenset([*base.dimensions, *(f.dimension for f in base.where)])
                               if base is not None else frozenset(), same_rows=self.same_rows)
        one_name_for_two(self.catalog, dims, low, metrics, self.value_map())
        value_of_an_entity_elsewhere(self.catalog, dims, low, metrics, self.value_map())
        # "overtime hours per employee", "average claims per shipment": one average, not a row per employee
        per_entity = [g for g in dims.group_by if "__" not in g and re.search(rf"\bper\s+{re.escape(g)}", low)]
        dims.group_by = [g for g in dims.group_by if g not in per_entity]
        if per_entity and asked_kind(low) is None:
            checked = self._check_kind(choice, f"average {low}")
            if checked.decision == "query" and checked.metrics != metrics:  # "revenue per order": the governed AOV
                return self._build(checked, frame, hits, low, lang, today, base)
            if checked.decision != "query" or checked.metrics != metrics:  # never the total as the average
                return self._refuse("clarify", lang, say("kind_mismatch", lang, text=f"per {per_entity[0]}"),
                                    checked.metrics)
        if keyed := [g for g in dims.group_by if "__" not in g and g != METRIC_TIME]:
            # "top 10 customers by gallons" where the catalog names no customer: rows that could only be listed by
            # their internal keys (and one by one) — which attribute of theirs to break down by is asked
            return self._refuse("clarify", lang, say("rows_without_names", lang, text=humanise(keyed[0])), metrics)
        # words taken by a metric that was not chosen ("rides" inside "ride type") do not excuse a dimension
        taken = [u for u in usable if u.entry.kind != "metric" or u.entry.target in metrics]
        # (a value no metric can reach, said in the words of an entity the metric's rows belong to, is that entity:
        # 会议室 of 会议室利用率 is the rooms, not the product "Meeting room" of revenue lines)
        subjects = set(carried_entity_spans(self.catalog, spot(self.lexicon, low, frame.spans), metrics))
        own = {w for m in metrics for p in self._metric_phrases(m) for w in tokens(p)}
        # ("Liquid CO2 gallons delivered" where the metric the words chose is Bulk gallons delivered: "delivered" is
        # its own word, not the status Delivered of other rows)
        own_words = {singular(w) for w in own}
        for h in resolve_overlaps(hits):
            if h.span in subjects or (h.entry.kind == "value" and (said := {singular(w) for w in tokens(
                    low[h.start : h.end])}) and said <= own_words):
                continue
            if (h.entry.kind != "metric" and h.score >= 1.0
                    and not any(u.start < h.end and h.start < u.end for u in taken)
                    and (h.entry.kind == "value" or BY_BEFORE.search(low[max(0, h.start - 12) : h.start]))):
                dims.unreachable.append(h.entry.phrase)
        # "trips we completed" with the metric "Completed trips": the word (`own`, above) is the metric's own
        # definition, not an extra filter on a dimension value spelled the same
        # (or said as the metric's own word: "deliveries" read fuzzily as the status "delivered" in "are deliveries
        # running slow? avg time" is the average delivery time's own word)
        # (in Chinese too: 核销金额 says Charge-offs, not also the loan status Charged Off rendered 核销)
        own_zh = {r for m in metrics for p in self._metric_phrases(m) for r in load_glossary().render(p)} \
            if has_cjk(low) else set()
        dims.where = [f for f in dims.where if f.op not in ("=", "in") or not all(
            set(tokens(str(v))) <= own or set(tokens(dims.said.get(str(v), str(v)))) <= own
            or (has_cjk(said := dims.said.get(str(v), "")) and any(said in r for r in own_zh)) for v in f.values)]
        # "roll-off calls" with Container service calls, "Roll-off calls dispatched …": the value said before the
        # metric's own noun, as the metric's description says what it counts, is that metric — no filter on it
        dims.where = [f for f in dims.where if not self._described_as_metric(f, usable, low, metrics, own)]
        # "worst techs on first time fix" with the First time fix rate: the flag is the rate's own, no filter on it
        dims.where = [f for f in dims.where if not (f.dimension in flags and f.values == (True,) and set(
            tokens(humanise(f.dimension.split("__")[-1]))) - {"is", "has", "was"} <= own)]
        # (nor rows by a dimension said in the Chinese of the metric's own words: 准时完成率 is the On-time completion
        # rate, not that rate on time and late — unless asked by it, 按是否准时, or as the rows ranked)
        # (in English: "fuel burned by the CNG trucks" with Fuel used — "fuel" is the metric's word, no fuel type)
        named_zh = {r for m in metrics for r in self._names_in_chinese().get(m, ())} if has_cjk(low) else set()
        # (a ranking keeps such rows only where they are the one breakdown: 评分最低的三家门店 ranks the shops by the
        # average rating, not the rating values)
        ranked_alone = frame.descending is not None and len(dims.group_by) == 1
        dims.group_by = [g for g in dims.group_by if ranked_alone or not any(
            u.entry.dim and u.entry.dim[1] == g.split("__")[-1]
            and (any(low[u.start : u.end] in n for n in named_zh) or set(tokens(low[u.start : u.end])) <= own)
            and not BY_BEFORE.search(low[max(0, u.start - 12) : u.start]) for u in usable)]
        if unknown and (kind_of := one_kind_of(self.catalog, unknown, low, metrics)):
            unknown = None  # "incidents by type": the one type the metric's own rows have
            dims.group_by.append(kind_of)
        elif unknown and singular(unknown) in _PEOPLE and (kind_of := self._person_rows(metrics)):
            unknown = None  # "top 5 people by billable hours", "hours by person": the one kind of person reached
            dims.group_by.append(kind_of)
        if unknown and not dims.unreachable:  # "revenue by city": name it, offer the nearest dimensions
            return self._refuse("clarify", lang, self._offer([unknown], metrics, lang), metrics)
        if dims.ambiguous:
            value, refs = next(iter(dims.ambiguous.items()))
            return Interpretation(kind="clarify", language=lang, confidence=0.5,  # type: ignore[arg-type]
                                  reason=say("ambiguous_value", lang, value=value,
                                             dims=dimension_labels(self.catalog, refs, lang)),
                                  clarify_dimension_values={k: list(v) for k, v in dims.ambiguous.items()},
                                  options=[Option(metric=m, label=self.catalog.metric(m).display_name)
                                           for m in metrics])
        contradicted = _contradicted(dims.where)
        if contradicted:  # a value both kept and left out ("Youth … not Youth"): never an answer for neither
            return self._refuse("clarify", lang, self._offer([contradicted], metrics, lang), metrics)
        if stray := self._stray_exclusion(low, dims):
            return self._refuse("clarify", lang, self._offer([stray], metrics, lang), metrics)
        if dims.unreachable:
            return self._refuse("clarify", lang, say("unreachable", lang, what=", ".join(dims.unreachable),
                                                         metrics=", ".join(metrics)), metrics)
        # (a single figure "so far this month" is the plain metric's: the same number, by the name asked)
        so_far = TO_DATE_WORDS.search(low) and (frame.grain or frame.trend or RUNNING_WORDS.search(low))
        if len(metrics) == 1 and so_far and frame.time is not None:
            # "running month-to-date visits, day by day", 今年累计净收入: the governed running total (Visits MTD)
            running = running_total_of(self.catalog, self.catalog.metric(metrics[0]), frame.time.grain_hint)
            if running is not None:
                metrics = [running.name]
                dims.used_spans.extend(m.span() for m in TO_DATE_WORDS.finditer(low))
        if len(metrics) == 1 and (frame.grain or frame.trend) and _RUNNING_ASKED.search(low) \
                and self.catalog.metric(metrics[0]).type != "cumulative":
            # "cumulative new matters by month": each month's own count would read as the running total
            grain = frame.grain or "period"
            return self._refuse("clarify", lang, say(
                "no_running_total", lang, metric=self.catalog.metric(metrics[0]).display_name,
                grain=_GRAIN_ZH.get(grain, grain) if lang == "zh" else grain), metrics)
        if len(metrics) == 1 and not frame.grain and not frame.trend:
            # 今年累计新案件数, "cumulative signups this year": one figure summed over its period is that period's total
            dims.used_spans.extend(m.span() for m in RUNNING_WORDS.finditer(low))
        if len(metrics) == 1 and frame.compare and GROWTH_WORDS.search(low) \
                and (frame.grain or frame.trend or _GROWTH_SAID.search(low)):
            # ("commission revenue last month YoY" shows both months side by side, as "vs last year" does; the
            # growth % is asked by its words — "YoY %", "yoy growth" — or as a series, where pairs cannot be shown)
            # "week over week visit growth": the governed Visits WoW %, not visits compared by hand
            unit = "year" if frame.compare == "year_over_year" else period_unit(frame.compare_text)
            grown = growth_of(self.catalog, metrics[0], unit)
            if grown is not None:
                metrics = [grown.name]
                dims.used_spans.extend(m.span() for m in GROWTH_WORDS.finditer(low))
        if len(metrics) == 1 and choice.mention_spans and (cue := cue_before(low, choice.mention_spans[0][0])) \
                and (found := base_and_condition(self.catalog, self.catalog.metric(metrics[0]))):
            # 不算定期捐款, "excluding recurring gifts": the metric the named one narrows, without its rows — never the
            # named metric itself with the negation left over
            metrics = [found[0]]
            flt = found[1]
            dims.where.append(Filter(dimension=flt.dimension, op="!=" if flt.op == "=" else "not in",
                                     values=flt.values))
            dims.used_spans.extend([cue, choice.mention_spans[0]])
        if len(metrics) == 1 and choice.mention_spans and (found := negated_variant(
                self.catalog, self.catalog.metric(metrics[0]), low, choice.mention_spans[0][1],
                [*dims.used_spans, *(h.span for h in usable)])) \
                and all(f.dimension != found[0].dimension for f in dims.where):
            # "leads excluding referrals" where Referral leads is Leads from customer referrals: Leads without them
            dims.where.append(found[0])
            dims.used_spans.extend(found[1])
        if len(metrics) == 1:  # 流失MRR, "MRR lost to churn": the governed churned MRR, not MRR filtered on churn
            for flt in list(dims.where):
                variant = filtered_variant(self.catalog, self.catalog.metric(metrics[0]), flt) \
                    or named_by_value(self.catalog, self.catalog.metric(metrics[0]), flt, set(tokens(low)))
                if variant:
                    metrics = [variant]
                    dims.where.remove(flt)
                    break
        if len(metrics) == 1:  # "what % of cars were out on rent": the utilization's own numerator, no filter
            metric = self.catalog.metric(metrics[0])
            dims.where = [f for f in dims.where if not numerator_condition(self.catalog, metric, f)]
        for flt in dims.where:  # "revenue including returned orders" when revenue counts completed ones only
            for name in metrics:
                clash = contradiction(self.catalog.metric(name), flt) \
                    or numerator_contradiction(self.catalog, self.catalog.metric(name), flt)
                if clash:
                    return self._refuse("clarify", lang, say("own_filter", lang, metric=self.catalog.metric(name)
                                                             .display_name, condition=clash,
                                                             text=", ".join(map(str, flt.values))), metrics)
        value_spans = sorted(h.span for h in usable if h.entry.kind == "value")
        widened = {h.entry.target for h in usable if h.entry.kind == "value"
                   and named_as_included(low, h.start, value_spans)}
        # "appointments including no-shows": counted as well, and the metric counts them already — no filter
        dims.where = [f for f in dims.where if not (f.op in ("=", "in") and {str(v) for v in f.values} <= widened)]
        unplaced_words = self._unplaced(low, frame, usable, dims, choice)
        if (frame.limit or frame.descending is not None) and self._person_rows(metrics):
            # "top 5 people by billable hours", 最多的10个人: the one kind of person the metric reaches, ranked below
            unplaced_words = [w for w in unplaced_words if singular(w) not in _PEOPLE and w != "人"]
        for word in list(unplaced_words):
            kind_of = one_kind_of(self.catalog, word, low, metrics)
            if kind_of:  # "incidents by type", 按类型分一下: the one type the metric's own rows have
                unplaced_words.remove(word)
                dims.group_by.append(kind_of)
        if unplaced_words:
            # the metrics the words left over name, or nearly (desiel: Diesel gallons), offered beside the chosen
            return self._refuse("clarify", lang, self._offer(unplaced_words, metrics, lang),
                                [*metrics, *self._metrics_named_near(unplaced_words, metrics)])
        data: dict[str, Any] = base.model_dump() if base is not None else {"metrics": metrics}
        data["metrics"] = tuple(metrics)
        if base is not None:
            merge_followup(self.catalog, data, base, dims, frame, low)
        else:
            data["group_by"] = tuple(dims.group_by)
            data["where"] = tuple(dims.where)
        if _COMPARING.search(low):
            # "mobile vs desktop", "compare web and app", 华东和华北对比: one row per compared value, not their sum
            compared = [f.dimension for f in data["where"] if f.op == "in" and len(f.values) > 1]
            singles = [f for f in data["where"] if f.op in ("in", "=") and len(f.values) == 1]
            if not compared and frame.compare is None and base is None \
                    and len({f.dimension for f in singles}) > 1 and not flags & {f.dimension for f in singles}:
                # 散客和车队客户…分别, "walk-in vs fleet": values set side by side that fall on different dimensions are
                # no one breakdown — both filters at once would answer a number nobody asked for
                return self._refuse("clarify", lang, say(
                    "compared_across", lang, values=", ".join(str(f.values[0]) for f in singles),
                    dimensions=dimension_labels(self.catalog, [f.dimension for f in singles], lang)), metrics)
            if not compared and frame.compare is None:
                # "acquired practices vs organic": a yes/no condition compared with its other side is both sides
                compared = [f.dimension for f in data["where"] if f.dimension in flags and f.op == "="]
                data["where"] = tuple(f for f in data["where"] if f.dimension not in compared)
            data["group_by"] = tuple(dict.fromkeys([*data["group_by"], *compared]))
            # "chains vs independents" where those are the only brand types: the breakdown itself, no filter
            data["where"] = tuple(f for f in data["where"] if not (
                f.dimension in compared and self._every_value(f.dimension, f.values, metrics)))
        apply_time(self.catalog, data, frame, today, base, low)
        growth = [offset_unit(self.catalog.metric(m)) for m in data["metrics"]]
        unit = "year" if frame.compare == "year_over_year" else period_unit(frame.compare_text)
        if frame.compare and not (all(growth) and (unit is None or set(growth) == {unit})):
            data["compare"] = frame.compare  # (a growth metric's own comparison is no second one: "visits WoW")
        if all(growth) and len(set(growth)) == 1 and not data.get("grain") and frame.time is not None \
                and frame.time.kind == "last_n" and frame.time.grain_hint == growth[0] \
                and spans_several(data["time_range"], growth[0]):
            # "week over week visit growth for the last 4 weeks": the governed growth of each week, not one figure
            data["grain"] = growth[0]
        if frame.descending is not None:
            descending = frame.descending
            if frame.judgement and lower_is_better(self.catalog.metric(metrics[0])):
                descending = not descending  # "best region by refund rate" is the lowest refund rate
            data["order_by"] = (OrderBy(field=metrics[0], descending=descending),)
            change = _CHANGE_RANK.search(low)
            if change and set(map(singular, re.findall(r"[a-z]+", change.group(0)))) & set(
                    map(singular, self._words_of_metrics(metrics[:1]))):
                change = None  # "the most falls" where Falls (residents who fell) is the metric: its value, no change
            if change and (data.get("group_by") or data.get("grain")):
                # "biggest drop in revenue by region", 增长最快的地区: ranked by the change, not by the value
                falling = bool(change.group("down") or change.group("down2") or change.group("down3"))
                data["compare"] = data.get("compare") or "previous_period"
                data["order_by"] = (OrderBy(field=metrics[0] + CHANGE, descending=not falling),)
            which = _WHICH_ZH.search(low)
            one_winner = frame.superlative
            if (which_en := _WHICH_EN.search(low)) and not (data.get("group_by") or data.get("grain")):
                # "which dentist had the most production": the rows ranked are the providers whose role is Dentist,
                # read by their name — never the one total of the dentists
                rows = self._rows_of_value(low, which_en.start(1), dims, metrics)
                if rows:
                    data["group_by"] = (rows,)
                else:
                    which = which_en
            elif not (data.get("group_by") or data.get("grain")) and frame.superlative is False and frame.limit is None:
                # "the dentist with the most production": the one value said is of the rows ranked (providers); "who
                # had the most production": rows nobody named — asked, never the one total
                rows = next((r for s, _ in dims.value_spans if (r := self._rows_of_value(low, s, dims, metrics))), None)
                if rows:
                    data["group_by"] = (rows,)
                    one_winner = True
                elif who := _WHO.match(low):
                    which, one_winner = who, True
            if not which and not (data.get("group_by") or data.get("grain")) and (which := _WHO.match(low)):
                one_winner = True  # "who billed the most hours": people ranked, never one total
            if ((frame.limit and frame.limit > 1) or which) and not (data.get("group_by") or data.get("grain")) \
                    and _PEOPLE_ROWS.search(low) and (people := self._person_rows(metrics)):
                data["group_by"] = (people,)  # "who billed the most hours", 工时最多的10个人: the one kind of person
            if not which and not (data.get("group_by") or data.get("grain")):
                which = _RANKED_NOUN_ZH.search(low)  # 通关时间最长的<商品类别>: the rows ranked, never one total
            if not which and not (data.get("group_by") or data.get("grain")) and frame.superlative:
                # "what was the hardest room - lowest escape rate": a winner among rows nothing placed, never the total
                which = re.search(r"\b(?:most|least|fewest|highest|lowest|largest|smallest|biggest|best|worst|weakest"
                                  r"|strongest|fastest|quickest|shortest|slowest|longest)\b|最\S", low)
            if ((frame.limit and frame.limit > 1) or which) and not (data.get("group_by") or data.get("grain")):
                # "top 5 <something we cannot place> by clicks", 哪个<厂>OEE最低: five of nothing, or which of
                # nothing, is never one total
                ranked = which or re.search(r"\b(?:top|bottom|best|worst|first|last)\s+\S+(?:\s+\S+)?|前\S{1,4}"
                                            rf"|(?<=[{RANK_CLASSIFIERS_ZH}])[\u4e00-\u9fff]{{1,4}}$",
                                            low.rstrip("？?。 "))
                return self._refuse("clarify", lang, self._offer([ranked.group(0) if ranked else str(frame.limit)],
                                                                 metrics, lang), metrics)
            limit = frame.limit or (1 if one_winner or one_ranked(low, hits) else None)
            data["limit"] = limit if (limit and (data.get("group_by") or data.get("grain"))) else data.get("limit")
        query = MetricQuery.model_validate(data)
        try:
            restatement = describe_query(self.catalog, query, lang)
        except Exception:  # noqa: BLE001 - a restatement must never block an answer
            restatement = None
        conf = min(1.0, max((choice.scores.get(m, 1.0) for m in metrics), default=1.0))
        return Interpretation(kind="query", query=query, restatement=restatement, language=lang,  # type: ignore[arg-type]
                              confidence=round(conf, 3), said_values=dims.said, asks_target=frame.asks_target,
                              named=bool(choice.mention_spans))

    def _described_as_metric(self, flt: Filter, usable, low: str, metrics: Sequence[str],  # noqa: ANN001
                             own: set[str]) -> bool:
        """The one value of `flt`, said right before a word of the metric's own names, the two read together as
        they stand in a chosen metric's description ("roll-off calls" in "Roll-off calls dispatched")."""
        if flt.op not in ("=", "in") or len(flt.values) != 1 or has_cjk(low):
            return False
        nouns = {singular(w) for w in own}
        for hit in usable:
            if hit.entry.kind != "value" or str(hit.entry.target) != str(flt.values[0]):
                continue
            after = re.match(r"[\s-]*([a-z]+)", low[hit.end :])
            if after is None or singular(after.group(1)) not in nouns:
                continue
            said = f" {singular_phrase(low[hit.start : hit.end] + ' ' + after.group(1))} "
            if any(said in f" {singular_phrase(m.description or '')} " for m in map(self.catalog.metric, metrics)
                   if m is not None):
                return True
        return False

    def _names_more_than(self, text: str, metrics: Sequence[str]) -> bool:
        """`text` says a word of some metric's name that none of `metrics`' names says."""
        theirs = {singular(t) for t in self._words_of_metrics(metrics)}
        return bool({singular(t) for t in content_tokens(text)} & self._metric_words - theirs)

    def _filtered_variant_of_thread(self, name: str, context: MetricQuery) -> bool:
        """The metric counts some of the rows of one of the thread's metrics (the same measure under more filters:
        Rush jobs of Jobs)."""
        variant = self.catalog.metric(name)
        return variant is not None and variant.type == "simple" and any(
            (base := self.catalog.metric(m)) is not None and base.type == "simple" and variant_of(variant, base)
            for m in context.metrics)

    def _value_heads(self) -> frozenset[str]:
        """The last words of the dimension values the value index knows, singular ("filling" of Composite Filling,
        Amalgam Filling): the kind of thing a value is. An everyday phrasing that says one ("how many fillings did
        we do") says a condition, not the metric."""
        values = self.value_map()
        if self._value_heads_of[0] is not values:
            words = frozenset(singular(found[-1]) for vs in values.values() for v in list(vs)[:MAX_VALUES_PER_DIMENSION]
                              if isinstance(v, str)
                              if (found := re.findall(r"[a-z][a-z0-9]*", v.lower())) and len(found[-1]) >= 4
                              and found[-1] not in STOPWORDS)  # (not the "up" of Follow-up)
            self._value_heads_of = (values, words)
        return self._value_heads_of[1]

    def _says_values(self, phrase: str) -> bool:
        """`phrase` holds the last word of a catalog value that no metric's name holds."""
        said = {singular(t) for t in tokens(phrase)} & self._value_heads()
        return bool(said - self._metric_words)

    def _rows_of_value(self, low: str, start: int, dims, metrics: list[str]) -> str | None:  # noqa: ANN001
        """The name dimension of the entity whose value is said at `start` (a kept filter: "dentist" is a
        provider's role), when the metrics reach it: the rows "which dentist" ranks."""
        span = next(((s, e) for s, e in dims.value_spans if s == start), None)
        if span is None:
            return None
        values = {v for v, words in dims.said.items() if words == low[span[0] : span[1]]}
        found = [f for f in dims.where if f.op in ("=", "in") and values & {str(v) for v in f.values}]
        if len(found) != 1 or "__" not in found[0].dimension:
            return None
        entity = found[0].dimension.split("__")[0]
        named = by_name(self.catalog, reachable_refs(self.catalog, metrics), entity)
        return named if named != entity else None

    def _person_rows(self, metrics: list[str]) -> str | None:
        """The name dimension of the one kind of person the metrics reach (a timekeeper, a recruiter, an agent),
        the rows "who", "top 10 people" and 最多的10个人 rank; None where none or several kinds are reached."""
        reach = reachable_refs(self.catalog, metrics)
        people = [ref for (model, name), ref in reach.items() if not model
                  and singular(name.split("_")[-1]) in _PERSON_ENTITIES]
        if len(people) != 1:
            return None
        named = by_name(self.catalog, reach, people[0])
        return named if named != people[0] else None

    def _every_value(self, ref: str, values: Sequence[Any], metrics: list[str]) -> bool:
        """True when `values` are all the values the value index knows for dimension `ref`."""
        keys = [k for k, r in reachable_refs(self.catalog, metrics).items() if r == ref]
        known = self.value_map().get(keys[0], ()) if keys else ()
        return bool(known) and {str(v) for v in values} == {str(v) for v in known}

    def _unplaced(self, low: str, frame: Frame, usable, dims, choice: MetricChoice) -> list[str]:  # noqa: ANN001
        """Words in a breakdown or condition position that nothing placed (core/understand/coverage)."""
        models = {model_of(self.catalog, m) for m in choice.metrics} - {None}
        # "average first response time for tickets", 工单的平均首次响应时间: a count of the chosen metric's own
        # rows named as what it is about is placed, not a condition left over
        metric_spans = [u.span for u in usable if u.entry.kind == "metric" and (
            u.entry.target in choice.metrics or (model_of(self.catalog, u.entry.target) in models
                                                 and counts_rows(self.catalog, self.catalog.metric(u.entry.target))))]
        # "revenue from after-hours calls": a word for the entity the metric's rows are (calls: the jobs) names them
        rows_of = self._primary_entities(models)
        # — said right after the condition placed on them (placed, but no head: a word before it may be part of the
        # metric's words, "a free <trial>"; and "loans funded" still says a condition after them)
        placed_ends = {e for _, e in [*dims.used_spans, *dims.value_spans]}
        spotted = spot(self.lexicon, low, frame.spans)  # (every phrase the words hold, read once for the checks below)
        row_spans = [h.span for h in spotted if h.entry.kind == "dimension"
                     and h.entry.dim and not h.entry.dim[0] and h.entry.dim[1] in rows_of
                     and {h.start - 1, h.start} & placed_ends] if rows_of else []
        row_spans += subject_spans(self.catalog, spotted, low, choice.metrics, metric_spans)
        values = dims.value_spans
        # a metric's own words, and those of the metrics it is made of ("freight cost per shipment" names the
        # numerator of Cost per shipment)
        own = [p for m in choice.metrics for part in (m, *self._inputs(m)) for p in self._metric_phrases(part)]
        own += [e for p in own if (e := spelled_out(p)) != p]  # "in-app purchases" says IAP revenue's IAP
        if choice.metrics and all(self._as_of_period_end(m) for m in choice.metrics):
            own += list(_PERIOD_END)  # "arrears at end of October": a balance's value for a period is its last
        # ... and the words of the model its rows come from ("first reply from support" on support tickets)
        own += [humanise(model) for model in models]
        own += [w for m in choice.metrics for w in unit_words(self.catalog.metric(m))]  # "avg wait in minutes"
        if has_cjk(low):
            # 工单 says the Care tickets the words chose (a name is its words in Chinese too)
            glossary = load_glossary()
            own += [r for p in list(own) for part in (p, *content_tokens(p)) for r in glossary.render(part)]
        # an everyday phrasing of the chosen metric (办了多少场活动: the events held) says the metric's words
        own_words = {t for p in own for t in tokens(p.lower())}
        # (not one that says a value: 急诊 is emergency visits, and 非急诊医院 still a condition nothing placed)
        value_said = [h.span for h in spotted if h.entry.kind == "value"]
        # (and not one that says a word of the catalog's dimensions the metric's names do not: "first-time buyers"
        # is orders of first purchases, a condition)
        own_singular = own_words | {singular(w) for w in own_words}
        # (in English through a word of what the metric is about, not of its kind: "hold time" is no Average handle
        # time; 每单 of 平均每单金额 says the "per" of Average move value)
        kind_words = frozenset() if has_cjk(low) else _GENERIC_WORDS
        own += [low[s:e] for (s, e), words in everyday_spans(low) if own_words.intersection(words) - kind_words
                and not any(vs < e and s < ve for vs, ve in value_said)
                and not ({singular(t) for t in tokens(low[s:e])} - own_singular) & self._dimension_words
                and not self._says_values(low[s:e])]
        heads = [*choice.mention_spans, *metric_spans]
        if not heads and not has_cjk(low):
            # a metric the words chose, never named: a word right before its own noun still qualifies it
            # ("contingent commissions" are no Commission revenue)
            heads = self._noun_heads(low, own)
        placed = [*frame.spans, *frame.mentioned, *dims.used_spans, *metric_spans, *row_spans, *choice.mention_spans]
        # 除了第三方分销（Third-Party Reseller）: the word glossed by the value in parentheses is read as the value
        # (a negation before it negates the value)
        values = [*values, *glossed_spans(low, values, [*frame.spans, *dims.used_spans])]
        one_metric = len(choice.metrics) == 1
        siblings = one_metric and _head_noun(choice.metrics[0]) in self._shared_heads
        known = own_singular | self._known_nouns
        return unplaced(low, placed, own, values, frame.spans, heads, self._dimension_words,
                        siblings=siblings, plain_of_variants=choice.plain_of_variants,
                        described=self._described_in_chinese(choice.metrics) if one_metric and has_cjk(low)
                        else frozenset(), one_metric=one_metric) \
            + self._statistic_of_other(low, [*placed, *values]) \
            + self._other_metrics_words(low, [*placed, *values, *(h.span for h in spotted)], own_singular) \
            + self._noun_after_acronym(low, choice.metrics, [*placed, *values], own_singular) \
            + ([] if has_cjk(low) else noun_after_values(low, values, [*placed, *(h.span for h in spotted)], known)) \
            + ([] if has_cjk(low) else counted_thing_unknown(low, [*placed, *values, *(h.span for h in spotted)],
                                                             known | _PEOPLE)) \
            + _event_unsaid(low, own_singular, [*placed, *values]) \
            + ([] if has_cjk(low) else self._participle_unsaid(low, own_singular, [*placed, *values]))

    def _noun_after_acronym(self, low: str, metrics: Sequence[str], placed: list, own: set[str]) -> list[str]:
        """"PCT turnover" with PCT hours: the acronym of a metric's name said, then a noun of another thing than the
        name's own (turnover, not hours) — that noun is what is asked, never dropped for the acronym's metric."""
        if has_cjk(low):
            return []
        out: list[str] = []
        nouns = {singular(w) for w in own}
        for metric in filter(None, map(self.catalog.metric, metrics)):
            for acronym in re.findall(r"\b[A-Z]{2,5}\b", metric.label or ""):
                for said in re.finditer(rf"\b{acronym.lower()}\b", low):
                    # (a noun the phrase ends in — "PCT turnover last year" — not a cue, verb or a word going on:
                    # "GMV excluding travel", "ADR stack up", "REAL IDs")
                    after = _NOUN_ENDING.match(low[said.end() :])
                    if after is None or after.group(1).endswith(("ing", "ed")):
                        continue
                    word, at = after.group(1), said.end() + after.start(1)
                    if singular(word) not in nouns and word not in STOPWORDS \
                            and not NEGATION_CUE.fullmatch(word) and not _IF_EN_WORD.fullmatch(word) \
                            and not any(s <= at < e for s, e in placed) and asked_kind(word) is None:
                        out.append(word)
        return out

    @property
    def _known_nouns(self) -> frozenset[str]:
        """Words a noun after a value may be without naming other rows: the catalog's metric, dimension, entity and
        model words, and the everyday nouns of rows ("<enterprise> customers", "<web> orders")."""
        if self._known_noun_set is None:
            entities = {singular(w) for sm in self.catalog.semantic_models
                        for n in (sm.name, *(e.name for e in sm.entities)) for w in n.lower().split("_")}
            self._known_noun_set = frozenset(self._metric_words | self._dimension_words | entities | _ROW_NOUNS
                                             | {singular(w) for w in self._dimension_words})
        return self._known_noun_set

    def _other_metrics_words(self, low: str, placed: list[tuple[int, int]], own: set[str]) -> list[str]:
        """"error points on MTPE jobs" answered by Jobs: two words left over, side by side, that another metric's
        name says side by side (LQA error points) and the chosen metric's do not — another number was asked for:
        left over, never dropped."""
        if has_cjk(low):
            return []
        words = [(m.start(), m.end(), singular(m.group(0))) for m in re.finditer(r"[a-z][a-z'-]*", low)]
        free = [(s, e, w) for s, e, w in words if not any(ps <= s < pe for ps, pe in placed)]
        out = []
        for (s1, e1, w1), (s2, e2, w2) in zip(free, free[1:], strict=False):
            if low[e1:s2].strip() or {w1, w2} <= own or {w1, w2} & _GENERIC_WORDS \
                    or w1 in STOPWORDS or w2 in STOPWORDS:
                continue
            if (w1, w2) in self._name_bigrams():
                out.append(low[s1:e2])
        return out

    def _name_bigrams(self) -> frozenset[tuple[str, str]]:
        """Every two words side by side in a metric's name, label or synonym (singular)."""
        if self._bigrams is None:
            pairs = set()
            for m in self.catalog.metrics:
                for p in metric_phrases(m):
                    toks = [singular(t) for t in tokens(p.lower())]
                    pairs.update(zip(toks, toks[1:], strict=False))
            self._bigrams = frozenset(pairs)
        return self._bigrams

    def _statistic_of_other(self, low: str, placed: list[tuple[int, int]]) -> list[str]:
        """"average scroll depth on articles" answered by Average article length: the words after the statistic
        say what is averaged, and the catalog uses none of them anywhere (no metric's or dimension's name or
        description) — left over, never dropped."""
        out = []
        for m in _STATISTIC_OF.finditer(low):
            if m.group(1).split()[0].endswith(("ing", "ed")):
                continue  # "star average looking like this month": a verb goes on, nothing more is averaged
            # (the words nothing placed: "average <corn> yield per acre" still averages a yield)
            free = [w for w in re.finditer(r"[a-z][a-z-]*", m.group(1))
                    if not any(s < m.start(1) + w.end() and m.start(1) + w.start() < e for s, e in placed)]
            words = [w.group(0) for w in free if w.group(0) not in STOPWORDS and w.group(0) not in _COUNTING_WORDS]
            if words and all(len(w) >= 4 and w in known_words() and _stem(w) not in self._catalog_stems()
                             for w in words):
                out.append(" ".join(words))
        return out

    def _participle_unsaid(self, low: str, own: set[str], placed: list[tuple[int, int]]) -> list[str]:
        """"how many loans got renewed" answered by Pawn loans written: what happened to the metric's rows, said after
        them, is a word neither its names nor anything the catalog writes says — a condition left over, never
        dropped."""
        stems = {_stem(w) for w in own}
        out = []
        for m in _HAPPENED_TO.finditer(low):
            verb = m.group(2)
            if singular(m.group(1)) not in own or any(s <= m.start(2) < e for s, e in placed):
                continue
            joined = _OR_OWN.match(low[m.end(2):])
            if joined and _stem(joined.group(1)) in stems:
                continue  # "spots got bumped or flat out missed": the metric's own event, said a second way
            # (a word the catalog writes only counts when no metric's name says it: "patients got fitted" is no New
            # patients where Fittings is another number)
            if verb in known_words() and verb not in PREDICATE_OK and _stem(verb) not in stems and (
                    _stem(verb) not in self._catalog_stems()
                    or any(_stem(w) == _stem(verb) for w in self._metric_words if len(w) >= 4)):
                out.append(verb)
        return out

    def _catalog_stems(self) -> frozenset[str]:
        """The stems of every word the catalog writes in its metrics' and dimensions' names and descriptions."""
        if self._stems is None:
            self._stems = frozenset(_stem(t) for t in self._catalog_words())
        return self._stems

    def _noun_heads(self, low: str, own: list[str]) -> list[tuple[int, int]]:
        """Where the chosen metric's own nouns are said (a metric chosen by its words), when the word right before
        one is a plain word the catalog does not know as a metric's or a dimension's: not joined to it ("in-app"), no
        typo (an English word, or a word of the catalog's values: "offsite spend" is no Seller ad spend) — unless a
        typo of another catalog word ("desiel gallons": Diesel, never dropped for Fuel gallons) — no everyday word of
        counting ("different members"), no form of the metric's own words ("written off")."""
        nouns = {singular(t) for p in own[:3] for t in content_tokens(p)}
        own_tokens = {t for p in own for t in tokens(p.lower()) if len(t) >= 4}
        # (a typo of a word of the metric's own name may be two edits off, "lone" for "loan"; of a word of its inputs
        # or units only one: "hold" is no misspelt "hours")
        named_tokens = {t for p in own[:3] for t in tokens(p.lower()) if len(t) >= 4}
        stems = {_stem(t) for t in own_tokens}
        out = []
        for m in re.finditer(r"(?<![\w-])([a-z]{4,}) (?=([a-z]+)\b)", low):  # ("how many deadhead miles": overlapping)
            before, noun = m.group(1), m.group(2)
            if singular(noun) in nouns and before not in _COUNTING_WORDS and before not in STOPWORDS \
                    and singular(before) not in _PEOPLE | _PEOPLE_UNLESS_ENTITY \
                    and _stem(before) not in stems \
                    and (before in known_words() or singular(before) in self.lexicon.value_words()
                         or self._typo_of_catalog_word(before, own) or self._unknown_word(before)) \
                    and not any(OSA.distance(before, t) <= 2 for t in named_tokens) \
                    and not any(_spelt_near(before, t) for t in own_tokens) \
                    and singular(before) not in self._metric_words and singular(before) not in self._dimension_words:
                out.append(m.span(2))
        return out

    def _unknown_word(self, word: str) -> bool:
        """No English word, and spelt near no word the catalog writes anywhere (its metrics' and dimensions' names,
        descriptions and synonyms): "xyzzy gallons" says something nothing here knows — never dropped ("perscriptions"
        is a typo of a word the metric's description writes)."""
        return word not in known_words() and not any(_spelt_near(word, w) for w in self._catalog_words())

    def _catalog_words(self) -> frozenset[str]:
        """Every word the catalog writes in its metrics' and dimensions' names, labels, descriptions and synonyms."""
        if self._words_written is None:
            texts = [f"{m.name} {m.label or ''} {m.description or ''} {' '.join(m.meta.synonyms)}"
                     for m in self.catalog.metrics]
            texts += [f"{d.name} {d.label or ''} {d.description or ''} {' '.join(d.synonyms)}"
                      for sm in self.catalog.semantic_models for d in sm.dimensions]
            self._words_written = frozenset(t for text in texts for t in tokens(humanise(text).lower()))
        return self._words_written

    def _metrics_named_near(self, words: Sequence[str], chosen: Sequence[str]) -> list[str]:
        """The other metrics whose names say one of `words` (English), or a word spelt within a typo of it."""
        said = [t for w in words if not has_cjk(w) for t in tokens(w.lower()) if len(t) >= 4 and t not in STOPWORDS]
        out = []
        for metric in self.catalog.metrics:
            if metric.name in chosen:
                continue
            names = {singular(t) for p in metric_phrases(metric) for t in tokens(p.lower())}
            if any(_spelt_near(singular(t), n) for t in said for n in names):
                out.append(metric.name)
        return out

    def _typo_of_catalog_word(self, word: str, own: list[str]) -> bool:
        """`word` is spelt within a typo of a word of another metric's or a dimension's name, or of a value (desiel:
        Diesel), and of none of the chosen metric's own words as written (`own`, its phrases: entires is Entries
        filed's own word misspelt, though also near Entered value's)."""
        written = {w for p in own for w in re.findall(r"[a-z]+", p.lower())}
        if any(_spelt_near(word, w) for w in written):
            return False
        words = (self._metric_words | self._dimension_words | self.lexicon.value_words()) - written \
            - {singular(w) for w in written}
        return any(_spelt_near(word, w) for w in words)

    def _value_qualifies_a_metric(self, chosen: str, low: str, hits) -> tuple[str, tuple[int, int]] | None:  # noqa: ANN001
        """(metric, the value's span) where a value's words and the word right after it are all words of one other
        metric's name that the chosen one's names lack ("new members": New loyalty members); None otherwise."""
        names = self._name_words()
        for h in hits:
            if h.entry.kind != "value" or is_negated(low, h.start, h.end):
                continue
            said = [singular(t) for t in tokens(low[h.start : h.end])]
            after = re.match(r"\s+([a-z]+)", low[h.end :])
            if not said or not after or set(said) <= names.get(chosen, frozenset()):
                continue
            words = {*said, singular(after.group(1))}
            found = [name for name, own in names.items() if name != chosen and words <= own]
            if len(found) == 1:
                return found[0], h.span
        return None

    def _name_words(self) -> dict[str, frozenset[str]]:
        """Every supported metric → the singular words of all its names, read once."""
        if self._singular_names is None:
            self._singular_names = {m.name: frozenset(singular(t) for p in self._metric_phrases(m.name)
                                                      for t in tokens(p.lower()))
                                    for m in self.catalog.supported_metrics()}
        return self._singular_names

    def _flow_word_unsaid(self, name: str, low: str) -> str | None:
        """The word of a metric's name that makes it a count of arrivals in a period (New tag accounts, Accounts
        opened), where the question never says it; None when there is none or it is said."""
        metric = self.catalog.metric(name)
        words = tokens((metric.label or humanise(name)).lower()) if metric is not None else []
        flow = next((w for w in words if w in _FLOW_WORDS), None)
        return flow if flow and flow not in tokens(low) else None

    def _not_the_negated(self, choice: MetricChoice, low: str, hits) -> MetricChoice | None:  # noqa: ANN001
        """"registrations apart from online ones": a value left out never names the metric asked (Online
        registrations), so the options its words name drop out — the one left is the answer."""
        negated = {w for h in hits if h.entry.kind == "value" and is_negated(low, *h.span)
                   for w in tokens(low[h.start : h.end])}
        kept = [n for n in choice.metrics if not negated & set(tokens(humanise(n)))] if negated else choice.metrics
        if choice.reason_key != "which_metric" or len(kept) != 1 or kept == choice.metrics:
            return None
        return MetricChoice("query", kept, choice.scores, choice.mention_spans)

    def _only_span(self, choice: MetricChoice, said: str) -> MetricChoice | None:
        """"要等多久", "how long" among options: the one span of time the words point at (kinds.only_span)."""
        if choice.reason_key != "which_metric":
            return None
        found = only_span(self.catalog, choice.metrics, said)
        return MetricChoice("query", [found], choice.scores, choice.mention_spans) if found else None

    def _counted_value(self, choice: MetricChoice, low: str, hits: Sequence[Hit]) -> MetricChoice | None:
        """"how many SIVs did the CRAs do" with Monitoring visits the one option: a value of the option's own rows
        counted in the plural (the visit type SIV) is those rows counted — the option, the value its condition."""
        if len(choice.metrics) != 1 or has_cjk(low) or not asks_count(low):
            return None
        metric = self.catalog.metric(choice.metrics[0])
        model = model_of(self.catalog, choice.metrics[0])
        if metric is None or model is None or not is_count(self.catalog, metric):
            return None
        counted = [h for h in hits if h.entry.kind == "value" and h.entry.dim and h.entry.dim[0] == model
                   and re.match(r"[a-z0-9]+s\b", low[h.start : h.end].split()[-1])
                   and not str(h.entry.target).lower().endswith("s")]
        return MetricChoice("query", list(choice.metrics), choice.scores, choice.mention_spans) if counted else None

    @staticmethod
    def _stray_exclusion(low: str, dims: DimReading) -> str | None:
        """An exclusion word that negates nothing placed, said before a value read as kept (see
        negation.stray_exclusion): the words between, to ask about."""
        kept = [span for span, (ref, value, neg) in dims.read.items() if not neg and any(
            f.dimension == ref and f.op in ("=", "in") and value in f.values for f in dims.where)]
        if not kept:
            return None
        operators = [w for span, (_, _, neg) in dims.read.items() if neg for w in negation_words(low, *span)]
        return stray_exclusion(low, kept, [*dims.used_spans, *operators])

    def _offer(self, words: list[str], metrics: list[str], lang: str) -> str:
        """The clarification for unplaced words: they are named, with the nearest dimensions and values."""
        return unplaced_reply(self.catalog, self.value_map(), words, metrics, lang)

    def _said_in_full(self, name: str, text: str) -> bool:
        """Every word of one of the metric's names is in `text`, its unit word aside ("trial conversion" says
        Trial conversion rate; "trials started" does not) — its everyday phrasing counts ("how busy were our chairs"
        says Chair utilization) in English, where a count asked keeps its own words (路考过了几个 is how many passed,
        never the pass rate, though 过 is said for "passed")."""
        everyday = everyday_words(text) if not has_cjk(text) and not _HOW_MANY.search(text) else set()
        said = set(meaning_tokens(text)) | everyday
        return any(words and words <= said for words in (
            {t for t in content_tokens(p) if t not in {"rate", "ratio", "percentage", "percent", "pct", "share"}}
            for p in self._metric_phrases(name)))

    def _percentages(self, names: Sequence[str]) -> bool:
        """Every metric named is shown as a percentage."""
        return all((m := self.catalog.metric(n)) is not None and m.meta.format.kind == "percent" for n in names)

    def _as_of_period_end(self, name: str) -> bool:
        """The metric's value for a period is its value at the period's end ("at the end of last month" places no
        condition): a closing balance, a running total (cumulative), or a ratio or derived metric of a closing
        balance (lot occupancy: vehicles on the lot over its spaces)."""
        metric = self.catalog.metric(name)
        return closing_balance(self.catalog, name) or (metric is not None and metric.type == "cumulative") \
            or any(closing_balance(self.catalog, part) for part in self._inputs(name))

    def _inputs(self, name: str) -> list[str]:
        """The metrics a ratio or derived metric is computed from (its numerator, denominator or inputs)."""
        metric = self.catalog.metric(name)
        if metric is None:
            return []
        refs = [metric.numerator, metric.denominator, *metric.metrics]
        return [r.name for r in refs if r is not None and self.catalog.metric(r.name) is not None]

    def _other_counted(self, low: str, choice: MetricChoice, said: str) -> tuple[str, list[str]] | None:
        """("customers", the customer metrics) when "how many customers …" is answered by a metric that counts
        something else (orders), or None. `said`: the question as typed (lower case), its 多少 still there."""
        m = _HOW_MANY_NOUN.search(low) or _HOW_MANY_HOUSEHOLDS.search(said)
        if m is None or len(choice.metrics) != 1:
            return None
        entities = {e.name for sm in self.catalog.semantic_models for e in sm.entities}
        # 停电影响了多少户: households — the catalog's customers or accounts — not the outages
        noun = singular(m.group(1)) if m.re is _HOW_MANY_NOUN else next(
            (n for n in ("customer", "household", "account") if n in entities), "")
        counted = counted_entity(self.catalog, self.catalog.metric(choice.metrics[0]))
        own = {t for p in self._metric_phrases(choice.metrics[0]) for t in tokens(p.lower())}
        after = re.match(r"\s+([a-z]+)", low[m.end():])
        # "how many seats are customers paying for": Seats is a metric of its own, never the count of paying accounts
        named = [x.name for x in self.catalog.supported_metrics() if x.name != choice.metrics[0]
                 and tokens(humanise(x.name)) == (noun,)]
        if m.re is _HOW_MANY_NOUN and named and noun not in own and not (after and singular(after.group(1)) in own):
            return m.group(0), [*named, choice.metrics[0]]
        if m.re is _HOW_MANY_NOUN and noun not in own and noun not in entities and noun not in _PEOPLE \
                and not (after and singular(after.group(1)) in own):
            # "how many drinks did we sell" where Cups sold is Items sold for drinks only: which of them is asked
            # is not said by the metric's names (the noun is no word of Items sold's) — asked, never the plain one
            base = self.catalog.metric(choice.metrics[0])
            narrower = [x.name for x in self.catalog.supported_metrics() if x.name != base.name
                        and x.type == "simple" and variant_of(x, base)
                        and noun in {singular(w) for w in re.findall(r"[a-z]+", (x.description or "").lower())}]
            if narrower:
                return m.group(0), [*narrower[:2], base.name]
        if noun not in entities or counted is None or counted == noun or noun in own \
                or (after and singular(after.group(1)) in own):  # "how many loan applications": applications
            return None
        options = [x.name for x in self.catalog.supported_metrics()
                   if counted_entity(self.catalog, x) == noun or noun in tokens(humanise(x.name))]
        return m.group(0), options[:5]

    def _people_of_rows(self, low: str, choice: MetricChoice, said: str = "") -> tuple[str, list[str]]:
        """("how many people", the metrics counting who did them distinctly over the same rows: Active riders) when
        "how many people …" is answered by a count of events (trips), or ("", []) where the question or the metric is
        not so."""
        m = _HOW_MANY_NOUN.search(low)
        noun = singular(m.group(1)) if m is not None else ""
        if noun in _PEOPLE or (noun in _PEOPLE_UNLESS_ENTITY
                               and noun not in {e.name for sm in self.catalog.semantic_models for e in sm.entities}):
            asked = m.group(0)
        elif zh := _HOW_MANY_PEOPLE_ZH.search(said):  # (as typed: the question word is gone from `low`)
            asked = zh.group(0)  # 几个人被page过, 有多少人来过: people, not the times it happened
        else:
            return "", []
        if len(choice.metrics) != 1:
            return "", []
        counted = counted_entity(self.catalog, self.catalog.metric(choice.metrics[0]))
        if self._people is None:
            self._people = self._people_counted()
        if counted is None and not self._headcount(choice.metrics[0]):
            # "how many people came bowling" answered by Games bowled (a sum over bookings): the headcount summed over
            # the same rows (Bowlers: guests on bookings), never the games
            model = model_of(self.catalog, choice.metrics[0])
            return asked, [m.name for m in self.catalog.supported_metrics()
                           if model is not None and model_of(self.catalog, m.name) == model and self._headcount(m.name)]
        return asked, self._people.get(counted or "", [])

    def _headcount(self, name: str) -> bool:
        """A simple metric summing a number of people (guests, headcount, attendees, visitors …)."""
        metric = self.catalog.metric(name)
        found = self.catalog.find_measure(metric.measure.name) \
            if metric is not None and metric.type == "simple" and metric.measure else None
        return bool(found and found[1].agg == "sum" and _HEADCOUNT.search(f"{found[1].name} {found[1].expr or ''}"))

    def _people_counted(self) -> dict[str, list[str]]:
        """Entity counted by rows → the metrics counting another entity's keys distinctly over the same model (trip →
        Active riders): who did what the rows record (read once per catalog, when first asked). An entity counted
        distinctly itself maps to nothing."""
        out: dict[str, list[str]] = {}
        for x in self.catalog.supported_metrics():
            found = self.catalog.find_measure(x.measure.name) if x.type == "simple" and x.measure else None
            if found and found[1].agg == "count_distinct" and (who := counted_entity(self.catalog, x)):
                rows = next((e.name for e in found[0].entities if e.type == "primary"), None)
                if rows and rows != who:
                    out.setdefault(rows, []).append(x.name)
        return out

    def _described_in_chinese(self, names: list[str]) -> frozenset[str]:
        """The glossary's Chinese renderings of the content words of these metrics' descriptions."""
        glossary = load_glossary()
        return frozenset(r for n in names if (m := self.catalog.metric(n)) is not None
                         for w in content_tokens((m.description or "").lower()) for r in glossary.render(w))

    @property
    def _shared_heads(self) -> frozenset[str]:
        """The nouns two or more metrics' names end in (revenue of Net revenue and Bulk revenue), read once."""
        if self._shared_head_set is None:
            heads = Counter(_head_noun(m.name) for m in self.catalog.supported_metrics())
            self._shared_head_set = frozenset(h for h, n in heads.items() if h and n > 1)
        return self._shared_head_set

    def _total_of_parts(self, choice: MetricChoice, low: str, said: str) -> MetricChoice | None:
        """"sales" among Net sales ("Labor and parts sold …"), Labor sales and Parts sales: the one option whose
        description names what sets each other option apart is their total — the answer, where the question says
        none of those words (in Chinese: none of their renderings) and does not count (`said`, as typed:
        卖了多少条轮胎)."""
        metrics = [self.catalog.metric(n) for n in choice.metrics]
        if len(metrics) < 2 or any(m is None for m in metrics) or asks_count(said.lower()) \
                or _COUNT_WORD_ZH.search(said):
            return None  # (卖了多少条轮胎 counts tyres: never an amount of money)
        rows = {model_of(self.catalog, m.name) for m in metrics}
        if len(rows) != 1 or None in rows or not all(
                m.type == "simple" and m.meta.format.kind == "currency" and m.measure is not None
                and (found := self.catalog.find_measure(m.measure.name)) and found[1].agg == "sum" for m in metrics):
            return None  # (only amounts of money summed on the same rows: a per-head or a count is no part)

        named = {m.name: name_words(m) - STOPWORDS for m in metrics}
        shared = set.intersection(*named.values())
        if not shared:
            return None
        totals = []
        for total in metrics:
            described = {singular(t) for t in tokens((total.description or "").lower())}
            apart = [named[o.name] - shared - named[total.name] for o in metrics if o is not total]
            if all(words and words <= described for words in apart):
                totals.append(total)
        if len(totals) != 1:
            return None
        apart_words = set().union(*(named[o.name] - shared for o in metrics if o is not totals[0]))
        if has_cjk(low):
            if _says_any(low, apart_words, load_glossary()):
                return None
        elif apart_words & {singular(t) for t in tokens(low)}:
            return None
        return MetricChoice("query", [totals[0].name], choice.scores, choice.mention_spans)

    def _quantities_beside(self, count: Metric) -> list[str]:
        """Summed weights or volumes kept on the same rows as the `count`: what a Chinese 量 of those rows may mean
        instead of how many rows (发货量 of a carrier is as much tonnes as shipments; 预订量 beside Room hours booked
        is the bookings — hours are no 量 of theirs)."""
        rows = model_of(self.catalog, count.name)
        out = []
        for m in self.catalog.supported_metrics():
            found = self.catalog.find_measure(m.measure.name) if m.type == "simple" and m.measure else None
            said = " ".join([m.name, m.label or "", m.measure.name if m.measure else ""]).lower()
            if found and found[1].agg == "sum" and m.meta.format.kind not in ("currency", "percent") \
                    and _WEIGHT_OR_VOLUME.search(said) and rows is not None and model_of(self.catalog, m.name) == rows:
                out.append(m.name)
        return out

    def _average_twins(self, names: list[str]) -> list[str]:
        """Average metrics over the same model as a chosen count (Avg rating beside Ratings)."""
        models = {model_of(self.catalog, n) for n in names if is_count(self.catalog, self.catalog.metric(n))} - {None}
        return [m.name for m in self.catalog.supported_metrics() if m.name not in names
                and model_of(self.catalog, m.name) in models and is_kind(self.catalog, m, "average")]

    def _plain_metric(self, choice: MetricChoice, low: str,
                      periods: Sequence[tuple[int, int]] = ()) -> MetricChoice | None:
        """"revenue" among Net revenue and its YTD, YoY and per-visit variants: the plain metric, as long as no word
        that only a variant's names hold was said (then the question is asked back as before). The words of the
        question's period (`periods`) are no such word — "spend last month" says no "month" of Cloud cost month to
        date — unless the question asks for a total so far or a growth."""
        plain = plain_among(self.catalog, choice.metrics)
        if plain is None and asked_kind(low) is None:
            # 离职的人最多 among Terminations, Voluntary terminations and Attrition rate: no rate or average asked, so
            # not the rate — and among the counts, the plain one where the others are it filtered (a running total
            # like Total patients beside New patients is no such variant: 总共有多少 may ask for it)
            counts = [m for m in choice.metrics if not any(
                is_kind(self.catalog, self.catalog.metric(m), kind) for kind in ("rate", "average", "duration"))]
            plain = plain_among(self.catalog, counts)
            base = self.catalog.metric(plain) if plain else None
            if base is not None and not all((other := self.catalog.metric(m)).filter and other.type == base.type
                                            for m in counts if m != plain):
                plain = None
        if plain is None or other_quantity(self.catalog, plain, set(tokens(low))):
            return None  # ("cost to raise a dollar" is no amount raised)
        if self._stage_unsaid(plain, choice.metrics, low):
            return None
        own = {t for p in self._metric_phrases(plain) for t in tokens(p.lower())}
        asks_variant = TO_DATE_WORDS.search(low) or RUNNING_WORDS.search(low) or GROWTH_WORDS.search(low)
        said = set(tokens(low if asks_variant else blank(low, periods)))
        named = {t for p in self._metric_phrases(plain)[:2] for t in tokens(p.lower())}  # its name and label
        if not has_cjk(low) and (named - said) \
                and any(self._flow_of_running_total(m) == plain for m in choice.metrics if m != plain):
            # "how many customers" among New customers and Customer base (all opened to date): the ones added in the
            # period or all there are — the plain one's own word ("new") unsaid, which is asked, never assumed
            return None
        for other in (m for m in choice.metrics if m != plain):
            if any((set(tokens(p.lower())) - own) & said for p in self._metric_phrases(other)):
                return None  # a word only a variant's names hold
            if any((set(tokens(p.lower())) & said) - named for p in self._metric_phrases(other)[:2]):
                return None  # "fares": Average fare's own name, only a synonym of Gross bookings'

        return MetricChoice("query", [plain], {plain: choice.scores.get(plain, 1.0)}, choice.mention_spans,
                            plain_of_variants=True)

    def _flow_of_running_total(self, name: str) -> str | None:
        """The one simple metric over the same measure and filters as `name`, where `name` is an all-time running
        total (a cumulative metric with no window and no grain to date: Registered patients of New patients)."""
        total = self.catalog.metric(name)
        if total is None or total.type != "cumulative" or total.window or total.grain_to_date:
            return None
        flows = [m.name for m in self.catalog.supported_metrics() if m.type == "simple" and variant_of(total, m)]
        return flows[0] if len(flows) == 1 else None

    def _stage_unsaid(self, plain: str, options: list[str], low: str) -> bool:
        """"lessons last week" among Lessons booked and Lessons delivered: the plain count is named by a stage of the
        thing's life the question does not say, beside another stage (booked / delivered, scheduled / completed) —
        which stage is meant is asked, never assumed."""
        def stages(name: str) -> set[str]:
            metric = self.catalog.metric(name)
            return set(re.findall(r"[a-z]+", f"{humanise(name)} {metric.label or ''}".lower())) & _STAGE_WORDS \
                if metric is not None else set()
        mine = stages(plain)
        others = {o: stages(o) - mine for o in options if o != plain}
        if mine and not has_cjk(low) and (said := _stages_said(low)) and not mine & said:
            return True  # "sessions … did Irvine deliver" where the plain count is Sessions booked: another stage said
        if mine and any(_excludes_rows(self.catalog.metric(o)) for o in others) \
                and not _says_any(low, mine, load_glossary() if has_cjk(low) else None):
            # "contracts" among Contracts written (all) and Rental contracts (the cancelled ones left out): the plain
            # count is named by a stage the question does not say, beside the count of the valid rows — asked
            return True
        if not mine or not any(others.values()):
            return False
        if has_cjk(low):  # (Chinese says a stage in its own words: 取消了几节课 are the cancelled ones, chosen after)
            return not _says_any(low, mine.union(*others.values()), load_glossary())
        # (as written, or a stage verb in another form: tokens() reads "booked" as the noun "booking")
        return not _says_any(low, mine)

    def _active_users(self, raw: str) -> tuple[str, str | None]:
        """DAU, WAU, MAU (日活, 周活, 月活) where the catalog has no metric called so: its active users, counted per
        day, week or month — the text with the words "active users" instead, and the period they are counted in."""
        m = _ACTIVE_USERS.search(raw)
        if m is None or any(m.group(0).lower() in tokens(p) for p in self._all_metric_phrases()):
            return raw, None
        per = _ACTIVE_PER[(m.group("en") or m.group("zh")).lower()]
        return _ACTIVE_USERS.sub(lambda x: "active users" if x.group("en") else "活跃用户", raw), per

    def _names_in_chinese(self) -> dict[str, frozenset[str]]:
        """Metric → the glossary's Chinese renderings of its phrases and of their runs of up to three words
        ("completion rate" of On-time completion rate: 完成率; "on time": 准时), once per catalog."""
        if self._rendered_names is None:
            glossary = load_glossary()
            self._rendered_names = {}
            for metric in self.catalog.metrics:
                runs = set()
                for phrase in self._metric_phrases(metric.name):
                    words = re.findall(r"[a-z0-9]+", humanise(phrase).lower())
                    runs |= {" ".join(words[i:j]) for i in range(len(words))
                             for j in range(i + 1, min(i + 3, len(words)) + 1)}
                self._rendered_names[metric.name] = frozenset(r for run in runs for r in glossary.render(run))
        return self._rendered_names

    def _all_metric_phrases(self) -> list[str]:
        return [p for m in self.catalog.metrics for p in self._metric_phrases(m.name)]

    def _rows_of_thread(self, name: str, context: MetricQuery) -> bool:
        """`name` counts the rows the thread's metrics are computed over (Shipments beside the late delivery rate)."""
        model = model_of(self.catalog, name)
        return model is not None and counts_rows(self.catalog, self.catalog.metric(name)) \
            and any(model_of(self.catalog, m) == model for m in context.metrics if m != name)

    def _named_apart(self, leftover: str, low: str, hits: list[Hit], choice: MetricChoice) -> tuple[str, Hit] | None:
        """"how many coupons were redeemed": a metric's name said in two pieces, its noun (which alone chose another
        metric, Coupons issued) and the participle (read as a yes/no condition, Redeemed) — the metric so named
        (Coupons redeemed, counted by the day they were redeemed) and the condition's hit, not the other filtered."""
        if choice.decision != "query" or len(choice.metrics) != 1 or choice.mention_spans:
            return None
        noun = {_stem(t) for t in content_tokens(leftover)} - {_stem(w) for w in _COUNTING_WORDS}
        for cond in (h for h in hits if h.entry.kind != "metric" and not is_negated(low, h.start, h.end)):
            # (a condition left out never names the metric: "registrations apart from online" are no Online
            # registrations)
            said = {_stem(t) for t in content_tokens(low[cond.start:cond.end])}
            found = {name for name, words in self._phrase_stems()
                     if said <= words and words <= noun | said and words - said and not words <= noun}
            if len(found) == 1 and (name := found.pop()) != choice.metrics[0]:
                return name, cond
        return None

    def _phrase_stems(self) -> list[tuple[str, frozenset[str]]]:
        """(metric, the stems of one of its names' content words) for every name of every supported metric."""
        if self._stemmed_phrases is None:
            self._stemmed_phrases = [(m.name, words) for m in self.catalog.supported_metrics()
                                     for p in self._metric_phrases(m.name)
                                     if p and (words := frozenset(_stem(t) for t in content_tokens(p.lower())))]
        return self._stemmed_phrases

    def _said_as_thread_values(self, groups: list[list[Hit]], hits: list[Hit],
                               context: MetricQuery) -> Mapping[DimKey, str] | None:
        """What the thread's metrics reach, when every metric name said is also a value of it said there ("just
        arrivals?" after the on-time rate); None otherwise."""
        reach = reachable_refs(self.catalog, list(context.metrics))
        return reach if all(self._value_at(h.span, hits, reach) for g in groups for h in g) else None

    @staticmethod
    def _value_at(span: tuple[int, int], hits: list[Hit], reach: Mapping[DimKey, str]) -> bool:
        """A value of a dimension in `reach` (the thread's metrics reach it) is said exactly at `span`."""
        return any(h.span == span and h.entry.kind == "value" and h.entry.dim in reach for h in hits)

    def _names_another(self, choice: MetricChoice, leftover: str, context: MetricQuery) -> bool:
        """A Chinese follow-up whose words all say one other metric the question alone is sure of (换成取消的航次数
        after the cancellation rate: Cancelled sailings) — that metric, though its words are also the thread's
        (not where rows are asked for: 按来电语言拆开看 breaks the thread's number down)."""
        return has_cjk(leftover) and choice.decision == "query" and len(choice.metrics) == 1 \
            and choice.metrics[0] not in context.metrics and not unsaid_words(self.catalog, choice.metrics[0], leftover)

    def _says_only(self, leftover: str, context: MetricQuery) -> bool:
        """A follow-up whose metric words are the thread's own ("only Plus members" after active members, 只看Plus会员):
        the thread's metric, filtered — not a question among every members metric."""
        said = set(content_tokens(leftover)) - STOPWORDS - {"only", "just", "what", "about", "how"}
        if said_money(leftover) and not any((m := self.catalog.metric(n)) is not None
                                            and m.meta.format.kind == "currency" for n in context.metrics):
            return False  # 换成报废金额呢 after the spoilage rate: the money written off, another metric
        if has_cjk(leftover):
            return any(not unsaid_words(self.catalog, m, leftover) for m in context.metrics)
        return bool(said) and said <= self._words_of_metrics(context.metrics)

    def _metric_phrases(self, name: str) -> list[str]:
        metric = self.catalog.metric(name)
        return metric_phrases(metric) if metric else []

    def _renders(self, name: str, chinese: str) -> bool:
        """A Chinese rendering of one of the metric's names holds `chinese` (Gross collections: 总回款 holds 回款)."""
        glossary = load_glossary()
        return any(chinese in r for p in self._metric_phrases(name) for r in glossary.render(p))

    def _words_of_metrics(self, names: Sequence[str]) -> set[str]:
        """The words of these metrics' names, labels and synonyms (lower-cased)."""
        return {t for m in names for p in self._metric_phrases(m) for t in tokens(p.lower())}

    def _growth_as_comparison(self, frame: Frame, metrics: Sequence[str], low: str) -> None:
        """"headcount growth this year": compared with the period before (the same stretch of last year for a
        year so far), unless the growth word is the chosen metric's own ("revenue growth MoM")."""
        start, end = frame.growth  # type: ignore[misc]
        word = set(tokens(low[start:end]))
        if any(word & set(tokens(p.lower())) or low[start:end] in p for m in metrics for p in self._metric_phrases(m)):
            return
        if any(self._net_change(m) for m in metrics):
            frame.spans.append((start, end))  # "did we grow or shrink on subs": Net subscriber adds is the change
            return
        if frame.grain and _CHANGE_WORD.fullmatch(low[start:end]):
            # 今年每个月的成交率变化, "how did churn change month by month": the series shows the change, no comparison
            frame.spans.append((start, end))
            return
        frame.compare, frame.compare_text = "previous_period", low[start:end]  # type: ignore[assignment]
        frame.spans.append((start, end))

    def _net_change(self, name: str) -> bool:
        """The metric is itself the change over its period, by its name or label (Net subscriber adds)."""
        return any(_NET_CHANGE.search(p.lower()) for p in self._metric_phrases(name)[:2])

    def _flags(self, reach: set, metrics: list[str]) -> frozenset[str]:
        """References of yes/no dimensions ("is_on_time", "has_discount"): named so, with no text values indexed,
        or whose column holds only true/false ("main_panel_upgrade")."""
        refs = reachable_refs(self.catalog, metrics)
        values = self.value_map()
        booleans = self._values.flags() if self._values is not None and hasattr(self._values, "flags") \
            else frozenset()
        return frozenset(ref for key, ref in refs.items() if key in reach and (key in booleans or (
            re.match(r"(?:is|has|was)_", key[1]) and not any(isinstance(v, str) and v.lower() not in ("true", "false")
                                                             for v in values.get(key, ())))))

# a change said as such (not a growth, a rise or a fall): over a series by a grain, the series itself
_CHANGE_WORD = re.compile(r"change[sd]?|changing|变化")
_SAME_PERIOD_LAST_YEAR = re.compile(r"去年同期|\bsame\s+(?:period|time|month|week|quarter|day)\s+(?:last|a)\s+year\b")
_WHO = re.compile(r"^\s*who(?:'s|\s+(?:had|has|have|did|does|sold|made|got|brought|[a-z]+ed))\b|^\s*谁")
# a word asking for rows anywhere in the question (dims._ROWS_ASKED reads only the words right before a dimension)
_ROWS_SAID = re.compile(r"\b(?:top|bottom|by|per|each|every|which|most|least|rank(?:ed|ing)?)\b"
                        r"|各|按|哪|每个|最多|最少")
# the metric's rows, then what happened to them ("loans got renewed", "orders were refunded")
_HAPPENED_TO = re.compile(r"\b([a-z]{3,}s)\s+(?:got|get|gets|were|was|been|being|are|is)\s+([a-z]{3,}ed)\b")
_OR_OWN = re.compile(r"\s+(?:or|and)\s+(?:[a-z]+\s+){0,2}?([a-z]+ed)\b")
# a statistic and the words right after it, up to a preposition or the end: what is averaged or totalled
_STATISTIC_OF = re.compile(r"\b(?:average|avg|mean|typical)\s+([a-z][a-z-]*(?:\s+[a-z][a-z-]*)?)"
                           r"(?=\s+(?:on|of|for|per|in|by|across|from|at|last|this|over|during)\b|\s*[?.!]?\s*$)")
# a ranking by speed (the ranking word itself is read as the order: frame._MOST), not "fastest growing"
# (增长最快, 涨得最快, 下降最快的: a change ranked, not a duration)
_SPEED_RANKED = re.compile(r"\b(?:slowest|fastest|quickest|speediest)\s+(?!(?:grow|ris|increas|declin|drop|fall|shrink)"
                           r"\w*\b)[a-z]+|(?<![增涨升降跌减])(?<![增涨升降跌减].)(?<![增涨升降跌减]..)最(?:快|慢)"
                           r"(?!增长|上涨|上升|下降|下跌)")
# 客户下了多少单: what 多少 / 几 counts is said after it (the orders); the people named before it did the ordering, they
# are not what is counted (吧台卖了多少钱 still asks the bar's money)
_COUNTED_AFTER_PEOPLE_ZH = re.compile(r"(?:客户|用户|会员|顾客|客人|患者|病人|学员|学生|乘客|租户|员工|司机|骑手)"
                                      r"[^多几]{0,6}(?:多少|几)[\u4e00-\u9fff]")
# words opening a follow-up that puts another number, value or period in place of an earlier answer's
_ELSE_IN_THREAD = re.compile(r"^\s*(?:what\s+about|how\s+about|and|now|instead|same\s+(?:for|but))\b"
                             r"|^\s*(?:换成|改成|那)|呢\s*[？?]?\s*$")
_ONLY_START = re.compile(r"^\s*(?:just|only)\b|^\s*(?:只看|仅看|只要)")
# words a follow-up opens with that restrict or break down the thread's numbers ("just …", "by …", 按…, 只看…)
_RESTRICTS_THREAD = re.compile(r"\s*(?:just|only|except|excluding|without|not|but|by|per"
                               r"|(?:split|break|broken|cut)\s+(?:(?:that|this|it|them|those)\s+)?"
                               r"(?:(?:down|out|up)\s+)?by)\b|\s*(?:只|除了|不含|不要|按|分)")
_FOR_ROWS = re.compile(r"^\s*(?:and\s+)?(?:(?:the\s+)?same\s+)?(?:for|what\s+about|how\s+about)\s+(?:just\s+|only\s+)?"
                       r"(?:the\s+)?([a-z]+)(?:\s+only)?\s*[?.!]*\s*$")
_ONLY_ROWS = re.compile(r"^\s*(?:just|only)\s+(?:the\s+)?[a-z]+\s*[?.!]*\s*$")  # what is left of "just loan deals"
_WHICH_EN = re.compile(r"\bwhich\s+(?:one\s+of\s+(?:our|the)\s+)?([a-z][\w-]*)")
_WHICH_ZH = re.compile(r"哪(?:一|个|家|条|位|些|款|类|种)+[\u3400-\u9fff]{0,3}")
_HOW_ARE_WE = re.compile(r"\bhow\s+(?:are|were|is|'re)\s*(?:we|things|it|business)\s+(?:doing|going|looking|faring)\b"
                         r"|\bhow\s+we\s+doing\b|做得怎么样|搞得怎么样"
                         # "how did the newsletters do": which of their numbers is not said
                         r"|\bhow\s+(?:did|do|does|are|were|is)\s+(?:the\s+|our\s+)?[a-z][\w-]*\s+(?:do|doing|perform"
                         r"|performing|go|going)\b")
_PEOPLE = frozenset({"people", "person", "folk", "folks", "individual", "human", "body"})
# people by a word a catalog may have as an entity of its own ("how many kids showed up" where students are counted)
_PEOPLE_UNLESS_ENTITY = frozenset({"kid", "child", "children"})
# people said as the rows ranked: "who", "top 10 people", 最多的10个人, 哪位
_PEOPLE_ROWS = re.compile(r"^\s*who\b|\b(?:people|persons|folks)\b|(?:\d{1,3}|[一两二三四五六七八九十])(?:个|位|名)人"
                          r"|哪(?:个|位|一位)人?|^\s*谁")
# entities that are people by their name (the kinds of staff, and the customers who are people, catalogs count and
# rank; "client" and "account" are as often companies): "who had the most production" where both a provider and a
# patient are reached is asked
_PERSON_ENTITIES = frozenset({
    "customer", "patient", "member", "donor", "learner", "student", "guest", "player", "user", "subscriber",
    "tenant", "borrower", "passenger", "shopper", "buyer", "resident", "candidate", "applicant", "contractor",
    "employee", "staff", "worker", "person", "agent", "rep", "representative", "salesperson", "recruiter",
    "timekeeper", "attorney", "lawyer", "associate", "partner", "technician", "tech", "driver", "courier", "rider",
    "doctor", "physician", "dentist", "hygienist", "provider", "clinician", "nurse", "therapist", "teacher",
    "instructor", "tutor", "coach", "trainer", "volunteer", "caseworker", "advisor", "adviser", "consultant",
    "collector", "underwriter", "broker", "stylist", "barber", "chef", "cashier", "host", "server", "guide"})
# "new" said: the ones added in the period (新增, 新登记, 新开), not a running total of all of them
_NEW_SAID = re.compile(r"\bnew(?:ly)?\b|新(?![闻鲜])")
# stages of a thing's life a count is named by (Lessons booked, Lessons delivered; Scheduled visits, Completed visits)
_STAGE_WORDS = frozenset({"booked", "scheduled", "created", "opened", "placed", "submitted", "requested", "received",
                          "logged", "started", "registered", "reported", "planned", "ordered", "delivered",
                          "completed", "finished", "closed", "fulfilled", "attended", "held", "resolved", "performed",
                          "shipped", "taught", "done", "cancelled", "canceled", "conducted", "executed", "processed",
                          "sent", "issued", "approved", "accepted", "won", "signed", "sold", "written"})


def _head_noun(name: str) -> str:
    """The noun a metric's name ends in, singular ("revenue" of net_revenue)."""
    words = tokens(humanise(name).lower())
    return singular(words[-1]) if words else ""


def _excludes_rows(metric: Metric | None) -> bool:
    """A metric whose own filters only leave rows out (status <> 'Cancelled', NOT IN (…)): the valid rows."""
    return metric is not None and bool(metric.filter) and all(
        re.search(r"<>|!=|\bnot\s+in\b", f, re.I) for f in metric.filter)


def _says_any(low: str, words: set[str], glossary: Any = None) -> bool:
    """The question says one of `words` (English: as written, or a stage word in any form — "sell" says "sold";
    Chinese, given the `glossary`: one of its renderings of them)."""
    if glossary is not None:
        return any(r in low for w in words for r in glossary.render(w))
    return bool(words & (set(re.findall(r"[a-z]+", low)) | _stages_said(low)))


def _stages_said(low: str) -> set[str]:
    """The stage words a question says, as written or, for verbs whose other forms are no metric's noun, in any
    form of the verb ("deliver", "delivering" for delivered; "orders" never says ordered)."""
    words = set(re.findall(r"[a-z]+", low))
    return {s for s in _STAGE_WORDS if s in words
            or (s in _STAGE_VERBS and any(re.fullmatch(_STAGE_VERBS[s], w) for w in words))}


# stage verbs and their other forms ("deliver", "delivers", "delivering" say delivered)
_STAGE_VERBS = {"delivered": "deliver(?:s|ing)?", "completed": "complet(?:e|es|ing)", "finished": "finish(?:es|ing)?",
                "attended": "attend(?:s|ing)?", "resolved": "resolv(?:e|es|ing)", "performed": "perform(?:s|ing)?",
                "shipped": "ship(?:s|ping)?", "conducted": "conduct(?:s|ing)?", "fulfilled": "fulfil(?:l|ls|ling)?",
                "signed": "sign(?:s|ing)", "submitted": "submit(?:s|ting)?", "cancelled": "cancel(?:s|ing|ling)?",
                "sold": "sell(?:s|ing)?"}
# measures that sum people: guests, headcount, attendees, visitors, passengers, riders, participants, covers
_HEADCOUNT = re.compile(r"(?:^|_|\b)(?:guests?|head_?count|attendees?|attendance|visitors?|passengers?|pax|riders?"
                        r"|participants?|people|persons?|covers|party_size|group_size)(?:_count|_num)?(?:$|_|\b)")
_HOW_MANY_NOUN = re.compile(r"\bhow\s+many\s+(?:of\s+(?:our|the)\s+)?(?:unique\s+|distinct\s+)?([a-z]{3,})\b")
# 多少人, 几个人, 几位 (not 人次, person-visits; 人均, per head; 人数占比, a share)
_HOW_MANY_PEOPLE_ZH = re.compile(r"(?:多少|几)(?:个|位|名)?人(?![次均数率])")
# 量 of a volume (上岸量, 加工量, 出货量), not of a number of things (数量, 单量, 人次量) nor another word (质量, 大量,
# 流量)
_VOLUME_ZH = re.compile(r"(?<![数单次人件笔个质批大少容流能含测考衡力])量(?![表化级词])")
_WEIGHT_OR_VOLUME = re.compile(r"(?:^|[^a-z])(?:weight|weighed|kgs?|kilos?|kilograms?|lbs?|pounds?|tons?|tonnes?"
                               r"|tonnage|liters?|litres?|gallons?|volume|cubic|m3|cbm|barrels?|bbl)(?:$|[^a-z])")
# everyday nouns of the rows a value qualifies ("<enterprise> customers", "<web> orders", "<NYC> stores")
_ROW_NOUNS = frozenset({"customer", "user", "client", "account", "member", "people", "person", "buyer", "seller",
                        "order", "sale", "transaction", "item", "product", "store", "shop", "location", "site",
                        "branch", "office", "team", "staff", "employee", "worker", "job", "visit", "trip", "ticket",
                        "case", "call", "booking", "reservation", "line", "channel", "plan", "segment",
                        "region", "area", "market", "category", "type", "group", "tier", "level", "side", "business",
                        "one", "thing", "folk", "guy", "kind", "sort", "stuff", "deal", "week", "month", "day",
                        "year", "quarter", "period", "basis", "time"})
_COUNT_WORD_ZH = re.compile(r"(?:多少|几)[条台个件次辆份单笔张趟家位名户]")
_HOW_MANY = re.compile(r"\bhow\s+many\b(?!\s+(?:days|hours|minutes|weeks|percent))|多少个|几个")
_CHANGE_RANK = re.compile(
    r"\b(?:biggest|largest|most|sharpest|steepest|greatest|fastest|highest)\s+(?:(?P<down>drops?|declines?|falls?"
    r"|decreases?|dips?|losses)|rises?|increases?|growth|gains?|jumps?|improvements?)\b"
    r"|\b(?:(?P<down2>dropped|declined|fell|decreased|shrank|shrunk)|grew|grown|increased|rose|improved|gained)\s+"
    r"(?:the\s+)?(?:most|fastest)\b"
    r"|(?:增长|增幅|涨幅|上涨|提升)(?:最多|最快|最大)|(?P<down3>下降|下跌|跌幅|降幅|减少)(?:最多|最快|最大)")
# SQL typed into the question: statement words with their clause words, comment or statement separators, or
# the classic tautology. (A word such as "select" alone stays English: "select revenue by region".)
_SQL_TEXT = re.compile(r"\b(?:drop|truncate|alter|create)\s+(?:table|view|schema|database|index)\b"
                       r"|\b(?:insert\s+into|delete\s+from|update\s+\w+\s+set|union\s+(?:all\s+)?select)\b"
                       r"|\bselect\s+(?:\*|\w+(?:\s*,\s*\w+)*)\s+from\b|;\s*--|'\s*(?:or|and)\s+'?\d+'?\s*=\s*'?\d+"
                       r"|;\s*(?:select|drop|insert|delete|update|alter|exec)\b")
# 新增了多少账户, 丢了多少件: the question word splits the phrase that names the metric (新增账户, 丢件)
# 多少笔交易, 几家门店: the measure word goes with the question word (单 and 件 stay: 多少单 is how many orders)
# (星期几, 周几 ask which day of the week: a question about weekdays, not a question word to drop)
# (a classifier before the noun it counts says nothing of its own: 几起车损理赔, 多少针疫苗, 几场比赛)
_POSSESSIVE = re.compile(r"(?<=[A-Za-z])['’]s\b")
# 退了多少钱: money asked in so many words (钱 alone may be part of a value: 钱包, a wallet)
_MONEY_ASKED_ZH = re.compile(r"多少钱|几块钱|多少块")
_HOW_MANY_DISTINCT = re.compile(r"\bhow\s+many\s+(?:different|distinct|unique|individual|separate)\s+([a-z]+)")
# "how many officers did we hire": the people who joined or left in the period, never all of them on duty
# (a verb said as one: "direct hire" placements, "days of hire" name no event)
_EVENT_VERB = re.compile(r"\b(?:hired|hiring|fired|firing|let\s+go|laid\s+off|quit|quitting|resigned|recruited"
                         r"|onboarded|retired|(?<=\bwe\s)(?:hire|fire|recruit|onboard|lay\s+off)"
                         r"|(?<=\bwe\s)(?:\w+\s)?(?:hire|fire|recruit|onboard)|(?<=\bto\s)(?:hire|fire|recruit))\b")


def _event_unsaid(low: str, own: set[str], placed: Sequence[tuple[int, int]]) -> list[str]:
    """The joining or leaving verb of the question ("did we hire") when the chosen metric's words say neither the
    verb nor what it stands for (Hires, New officers): the event is what is counted — asked, never dropped."""
    found = _EVENT_VERB.search(low)
    if found is None or any(s <= found.start() < e for s, e in placed):
        return []
    words = {singular(w) for (s, e), nouns in everyday_spans(low) if s <= found.start() < e for w in nouns}
    words |= {singular(found.group(0).split()[0]), found.group(0).split()[0]}
    return [] if words & own else [found.group(0)]


# 平均通关时间最长的商品类别: the noun after the superlative names the rows ranked
_RANKED_NOUN_ZH = re.compile(r"(?<=最[高多大好低少小差快慢长短]的)[\u4e00-\u9fff]{2,6}(?=[？?。！!\s]*$)")
# 回款, 收了多少款: 款 is money (回款多少 asks the money collected, never the number of payments); 款式 is a style,
# 汇款人 a sender
# (付款的助听器订单, 分期付款（Financing）的订单: a money word before 的 qualifies the thing asked, never asks money)
_MONEY_NOUN_ZH = re.compile(r"(?:回|收|付|还|欠|货|罚|赔|打|汇|尾)款"
                            r"(?!(?:[（(][^）)]{0,30}[）)])?[式号型项人方机的])|多少款")
_NOUN_ENDING = re.compile(r"\s+([a-z][a-z-]{2,})(?=\s*$|\s*[,.;?!]|\s+(?:last|this|for|by|in|at|since|over|during"
                          r"|yesterday|today|ytd|mtd|qtd|vs|versus|per|so\s+far)\b)")
_IF_EN_WORD = re.compile(r"excl|without|except|minus|only|just|not|non|besides|ignoring|outside")
_COUNTED_ZH = re.compile(r"[多少几]+[件笔单次个]|件数|笔数|单数|次数|个数|数量")
# (a time word after the question word is a period asked, 几个月, 多少天 — unless a measure word other than 个/次
# stands between: 多少张日票 counts day passes)
_QUESTION_WORDS_ZH = re.compile(r"(?<=[\u4e00-\u9fff])"
                                r"了?(?:(?:多少|几)[笔位名家条张台辆起宗场架套栋头只针杯瓶盒袋](?=[\u4e00-\u9fffA-Za-z])"
                                r"|(?:多少[个次]?|几[个次]|(?<!星期)(?<!礼拜)(?<!周)几)"
                                r"(?=[\u4e00-\u9fffA-Za-z])(?![月周天年日号季点]))")
# "how many <unit>" says the quantity in that unit: 多少吨 is the tonnage (吨数), 几个小时 the hours (小时数)
# (磅 too, 多少磅: the pounds; 箱, 桶 and 英亩 were measured and left out: 多少箱酒 read as cases depleted)
_HOW_MANY_UNITS_ZH = re.compile(r"(?:多少|几个?)(吨|公斤|千克|磅|加仑|公里|英里|小时)(?!数)")
_ADDING = re.compile(r"^\s*(?:and|also|plus|as\s+well\s+as)\b|^\s*(?:还有|以及|再加上|加上|再看)")
def words_left(leftover: str) -> bool:
    """True when the leftover words could name a metric (not just glue like "what about")."""
    glue = {"what", "about", "how", "and", "also", "same", "for", "but", "only", "just", "instead", "then", "now",
            "那", "呢", "再", "只看", "看", "换成", "同样", "make", "it", "show", "me", "give", "change", "switch",
            "please", "let", "see", "thing", "things", "again"}  # ("same thing for this year")
    return any(t not in glue for t in content_tokens(leftover))

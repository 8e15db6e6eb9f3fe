"""Every content-bearing span of a question is accounted for, or the question is asked back. Pure.

After the interpreter has placed what it understood — metrics, period, grain, comparison, ranking,
dimensions, values, negation — the words left over are checked. Most leftovers are filler ("how much
did we …"). A leftover that sits where a breakdown or a condition is said is not: "revenue by city"
(no city dimension), "按城市统计的会话数", "各门店的销售额", "X分别是多少", "trips not in Austin",
"revenue in euros", "revenue for region Eats", 老客户的订单. Answering without those words would answer a
different question, so `unplaced` names them and the interpreter clarifies, offering the nearest
dimensions and values (`nearest`). Everything here is language, never a catalog's words.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from metricloop.core.catalog.model import Catalog
from metricloop.core.present.texts import say
from metricloop.core.text import CJK_RUN, STOPWORDS, has_cjk, humanise, singular, suggest, tokens
from metricloop.core.understand.dims import reachable_refs
from metricloop.core.understand.lexicon import DimKey
from metricloop.core.understand.negation import CUE
from metricloop.core.understand.zh_words import FILLER_ZH, MEASURE_WORDS

Span = tuple[int, int]
_MASK = "#"
_VALUE_MASK = "@"
_PERIOD_MASK = "~"  # a period after a word does not make it a qualifier: "in euros <last month>"
# A breakdown is asked: the word after these is what rows should be.
_BY_EN = (r"\b(?:by|per|for\s+(?:each|every)|each|every|across(?:\s+all)?|split\s+by|grouped\s+by"
          r"|broken\s+down\s+by|breakdown\s+by)\s+")
# ... or a clause is: "split by how the report was sent", "by where the lead came from"
_BY_CLAUSE_EN = re.compile(_BY_EN + r"(?:how|where|when|who|whom|which|what|whether)\s+((?:[^\s,.;?]+\s*){1,6})")
# A condition is said: the word after these restricts what is counted.
_IF_EN = (r"\b(?:in|into|from|for|among|with|at|on|within|where|whose|via|not|outside|excluding|about"
          r"|except|without|only|just|through|non|excl\.?|ex\.?|minus|besides|ignoring|counting|(?<=\s)w/o"
          # ("duties net of the drawback": what is taken off restricts the number too)
          r"|net\s+of|(?<!or\s)less(?!\s+than)|since|until|till"
          r"|(?:everything|everyone|anything|all)\s+but|but\s+not|other\s+than|apart\s+from|aside\s+from"
          r"|leaving\s+(?:out|aside)|over(?=\s+the\s)"  # ("over the phone": a means, a condition)
          r"|because\s+of|due\s+to|owing\s+to|caused\s+by|related\s+to)[\s-]+")  # ("because of moving": a reason)
# "tickets sold to <first-time buyers>": whom it went to restricts it, whether or not the verb is a placed metric's word
_GIVEN_TO = re.compile(r"\b(?:sold|sells?|selling|shipped|sent|paid|issued|delivered|given|disbursed|lent|loaned"
                       r"|granted|awarded|offered|refunded|billed|invoiced|made)\s+(to)\b")
_LEAD_EN = r"(?:(?:the|a|an|our|all|their|its|my|any|those|these)\s+)*"
_WORD_EN = r"([a-z][a-z0-9_'-]*)"
# (read as lookaheads so that matches may overlap: "from <customers> in Germany" is two cues, not one)
_BREAKDOWN_EN = re.compile("(?=" + _BY_EN + _LEAD_EN + _WORD_EN + ")")
# stop words that are nouns after "by" ("downloads by show")
_NOUN_STOPWORDS = frozenset({"show"})

# "excluding <lots> the buyer never paid for": a negation, the metric's rows, and a clause about them
_NEGATED_ROWS_EN = re.compile(r"\b(?:excluding|excl\.?|except(?:\s+for)?|without|not\s+counting|not\s+including"
                              r"|other\s+than|apart\s+from|ignoring|leaving\s+out|but\s+not)\s+" + _LEAD_EN
                              + r"([a-z][a-z0-9_'-]*)((?:\s+[a-z][a-z0-9_'-]*){1,8})")
# "#" is a placed dimension word: "for <region> Eats" still says a value after the cue (a placed value
# is masked "@", and the word after it is the noun it qualifies: "for <urgent> tickets")
_CONDITION_EN = re.compile("(?=" + _IF_EN + _LEAD_EN + r"(?:#+\s+)?" + _WORD_EN + ")")
# "net sales of <lactose-free> milk": what a placed metric is "of" restricts it, as "for" would
_OF_AFTER_PLACED = re.compile("(?<=#)\\s+of\\s+" + _LEAD_EN + _WORD_EN)
# A value asked as rows ("各门店", "per store"): a breakdown by something that is not a dimension. ("by"
# is left out: "by phone", "paid by card" name the value itself.)
_ROWS_BEFORE = re.compile(r"(?:\b(?:per|for\s+(?:each|every)|each|every|across(?:\s+all)?"
                          r"|(?:top|bottom|best|worst)(?:\s+\d{1,3})?)\s+(?:the\s+)?"
                          r"|各个?|按照?|每一?个)$")
# "by <value>" after a noun asks for rows; after a verb it names the value ("paid by card", "handled by chat")
_BY_VALUE = re.compile(r"(?:^|\b([a-z]+)\s+)by\s+(?:the\s+)?$")
# Values that are a means ("by phone", "by card", "by air"): "by" names them, it does not ask for rows
_MEANS = frozenset({"phone", "telephone", "email", "e-mail", "mail", "post", "chat", "live chat", "sms", "text",
                    "card", "credit card", "debit card", "cash", "check", "cheque", "transfer", "bank transfer",
                    "wire", "paypal", "invoice", "app", "web", "website", "mobile", "online", "in person", "in-store",
                    "store", "air", "sea", "road", "rail", "truck", "train", "car", "bike", "foot", "courier",
                    "ground", "express", "standard", "hand", "fax", "video", "social", "ads"})
_BY_VERB = re.compile(r"(?:ed|en|id|ght|ld|nt|ne)$|^(?:split|cut|paid|sold|made|sent|put|set|run|won|lost)$")
# Words that may follow those cues without restricting anything ("in total", "on average", "for me").
_FILLER_EN = frozenset({
    "total", "general", "average", "all", "me", "us", "you", "it", "them", "that", "this", "now", "least", "most",
    "detail", "details", "terms", "overall", "sum", "summary", "short", "brief", "number", "numbers", "figure",
    "figures", "value", "values", "percent", "percentage", "aggregate", "comparison", "practice", "particular",
    "question", "here", "there", "which", "what", "whatever", "so", "far", "just", "also", "only", "through",
    "both", "either", "each", "every", "one", "ones", "same", "time", "date", "period", "periods", "data",
    "pls", "plz", "please", "thanks", "thx", "full", "whole", "entire",
    # a follow-up's glue around what it changes ("landed weight instead", "same but avg check", "by plan too")
    "instead", "rather", "too", "again", "but",
    "dr", "mr", "mrs", "ms", "prof",  # a title before a name ("by Dr. Okafor"): the name is what is placed
})
# Who is counted, said in general ("tickets from customers on annual billing"): everyone, no restriction — but the
# noun of a word that is one ("new customers") is named with it
_WHO_EN = frozenset({"customers", "customer", "users", "user", "people", "everyone", "everybody", "anyone", "clients",
                     "client", "folks", "members", "everything", "anything", "things", "stuff"})
_FILLER_EN = _FILLER_EN | _WHO_EN
# "London vs Berlin" where Berlin is no value: a second value joined to a placed one is a value too
_PAIRED_EN = re.compile(_VALUE_MASK + r"+\s*(?:,|/|&|\b(?:vs\.?|versus|and|or|nor)\b)\s*" + _LEAD_EN + _WORD_EN)
# (比例, 比率, 比重 after a value are the rate asked of it, no second value compared: 仿制药比例)
_PAIRED_ZH = re.compile(_VALUE_MASK + r"+\s*(?:和|与|及|或|、|，|对比|相比|比(?![例率重]))(?=[\u3400-\u9fff])")
# Time words no period rule placed ("last weekend", "on Monday", "Q3 and Q4", "during Black Friday", 周末):
# answering without them would answer over another period, often all time
_TIME_LEFT_EN = re.compile(r"\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|weekends?|weekdays?|holidays?"
                           r"|q[1-4]|h[12]|(?:19|20)\d\d|(?:black\s+friday|cyber\s+monday|christmas|easter"
                           r"|thanksgiving|new\s+year'?s?)|morning|evening|overnight|tonight|noon|midnight"
                           r"|lunchtime|\d{1,2}(?::\d\d)?\s*(?:am|pm))\b"
                           r"|\b(?:last|this|next|previous|past|prior|during|since|until|before|after)\s+(?:the\s+)?([a-z]+)")
_TIME_LEFT_ZH = re.compile(r"(?:周|星期|礼拜)[一二三四五六日天]|周末|工作日|节假日|假期"
                           r"|双十一|双11|春节|国庆|元旦|圣诞")
_LATIN_WORD = re.compile(r"(?<![a-z0-9])[a-z][a-z0-9]+(?![a-z0-9])")
# 各门店, 按城市, 每个渠道, 分地区: a breakdown; 非现金, 不在华东: a condition.
# (分 of a word that begins with it is no "split by": 分销 distribution, 分店 a branch, 分期 instalments, 分成 a revenue
# share; 分行业, 分部门 are still "by industry", "by department")
_BREAKDOWN_ZH = re.compile(r"(?:各个?|按照?|每一?个"
                           r"|分(?![别钟之布析享类销店期成红数值摊包拣流机支会馆校仓厂局院]|公司|中心|行(?!业)|部(?!门)))"
                           r"(?=[\u3400-\u9fff])")
_CONDITION_ZH = re.compile(r"(?:(?<!是)不是|不在|不属于|不含|不包括|不包含|不算|不计|除了|除去|排除|剔除|非(?!常)"
                           r"|换算成|换算为|转换成|转换为|折合成?|折算成|换成|换为|转成|转为|以(?=\S{1,4}计)"
                          # 只看冷藏车: the rows kept, a condition (in a thread too, where nothing else is said)
                          r"|只看|仅看|只算|只统计|仅统计|只要看|只限|仅限)"
                           r"(?=[\u3400-\u9fff])")
_EACH_ZH = re.compile(r"分别")
# a placed value in parentheses right after a Chinese word: the word restated as the catalog spells it
_RESTATED_AFTER = re.compile(r"\s*\(\s*[" + _MASK + _VALUE_MASK + r"][" + _MASK + _VALUE_MASK + r"\s]*\)")
# 每平米租金: "per <unit>" said of a metric that is no such ratio (每天, 每个门店 are a grain and rows, elsewhere)
_PER_ZH = re.compile(r"(?<![按分])每(?!个|天|日|周|月|年|季|小时|星期|家|位|次)(?=[\u3400-\u9fff])")
# 漏送的原因分布: the rows a distribution is asked by, said before 分布 (a filler word on its own)
_DISTRIBUTION_ZH = re.compile(r"([\u3400-\u9fff]{2,8}?)(?:的)?分布")
_AFTER_PLACED_ZH = re.compile(r"(?:按照?|各个?|分)#+([\u3400-\u9fff]+)")


# Words that may stand right before a metric's name without changing what it counts ("show revenue", "our latest
# revenue"); any other word there qualifies it ("inventory turnover" is not turnover) and must be placed.
_BEFORE_METRIC_EN = frozenset({
    "show", "shows", "give", "get", "got", "compare", "compared", "plot", "chart", "graph", "list", "tell", "check",
    "pull", "see", "display", "track", "need", "want", "view", "report", "current", "latest", "recent", "actual",
    "actuals", "real", "cumulative", "running", "daily", "weekly", "monthly", "quarterly", "yearly", "annual",
    "trend", "trends", "trending", "highest", "lowest", "top", "bottom", "biggest", "best", "worst", "much", "many",
    "weakest", "strongest",
    "whats", "what's", "how", "is", "was", "were", "are", "did", "does", "do", "has", "have", "had", "been", "be",
    "about", "regarding", "our", "my", "company", "companywide", "total", "overall", "whole", "entire", "ytd", "mtd",
    "qtd", "wtd", "yoy", "mom", "wow", "qoq", "hows", "how's", "where's", "wheres", "where", "why", "when", "who",
    "whose", "which", "typical", "usual", "normal", "exact", "precise", "headline", "key", "main", "core", "kpi",
    "metric", "number", "figure", "stats", "stat", "okay", "ok", "hey", "hi", "hello", "yo", "quick", "quickly",
    "pls", "please", "thanks", "also", "again", "then", "now", "today", "yesterday", "currently", "lately",
    "r", "u", "ur", "how're", "what're", "where're", "wat", "wht", "hw", "gimme", "lemme", "gotta", "wanna",
    "needs", "needed", "send", "share", "plz", "fetch", "find", "grab", "run", "print",
    # statistics: the aggregation check has already matched them with the metric's own ("avg cost per shipment")
    "avg", "average", "mean", "median", "max", "maximum", "min", "minimum",
})
# A relative clause after a noun ("hires who left within 90 days", "tickets that took over a day"): its words
# restrict what is counted; a clause whose words were all placed ("orders that were cancelled") is fine.
_CLAUSE_EN = re.compile(r"(?<=[a-z#@~] )(?:who|that|which|whose)\s+([^,;?!.]*)")
_CLAUSE_GLUE = frozenset({"were", "was", "are", "is", "be", "been", "being", "have", "has", "had", "did", "do",
                          "does", "got", "get", "gets", "made", "placed", "came", "went", "still", "then", "ever",
                          "already", "actually", "really", "also", "last", "this", "next", "ago", "not", "never",
                          # (a clause's verb before a value placed: "that didn't come through the <app>")
                          "didn't", "weren't", "wasn't", "aren't", "isn't", "don't", "doesn't", "haven't", "hasn't",
                          "come", "comes", "coming", "sold", "bought", "booked", "paid", "sent", "taken", "done"})
_WITHIN_SPAN = re.compile(r"\b(?:within|in\s+under|under|in\s+less\s+than|in\s+more\s+than|more\s+than|over|after)"
                          r"\s+\d+(?:\.\d+)?\s*(?:hours?|hrs?|days?|minutes?|mins?|weeks?|months?)\b")
_WHEN_CLAUSE = re.compile(r"(?<=[a-z#@~]\s)(when|whenever|while|if)\s+"
                          r"(?:(?:it|we|they|there|the|our|a|an|was|were|is|are)\s+)*([a-z][a-z'-]*)")
_PREDICATE_EN = re.compile(r"(?<=#)\s+(?:were|was|got|get|are|is|have\s+been|has\s+been)\s+(?:not\s+)?([a-z]+)\b"
                           # (asked: "how many times were listings favorited")
                           r"|\b(?:were|was|are|is|have|has|had)\s+(?:the\s+|our\s+)?([a-z#]+)\s+(?:been\s+)?"
                           r"(?:not\s+)?([a-z]+ed)\b")
# "how many appointments did we lose": a verb of losing or undoing after the counted rows restricts them to some
# (cancelled, missed …), as "were refunded" does
_LOSING_EN = re.compile(r"(?<=#)\s+did\s+(?:we|they|you|the\s+\w+|our\s+\w+)\s+(?:\w+\s+)?"
                        r"(lose|miss|drop|cancel|refund|reject|decline|fail|waste|scrap|void)\b")
_LOSING_FORMS = {"lose": ("lost", "loss", "losses"), "miss": ("missed",), "drop": ("dropped", "drops"),
                 "cancel": ("cancelled", "canceled", "cancellation"), "refund": ("refunded", "refunds"),
                 "reject": ("rejected", "rejection"), "decline": ("declined",), "fail": ("failed", "failure"),
                 "waste": ("wasted",), "scrap": ("scrapped",), "void": ("voided",)}
PREDICATE_OK = frozenset({"up", "down", "flat", "there", "here", "doing", "looking", "trending", "going", "like",
                          "so", "too", "very", "higher", "lower", "better", "worse", "above", "below", "over",
                          "under", "in", "on", "at", "for", "from", "by", "during", "since", "today", "yesterday",
                          "total", "overall", "recorded", "reported", "counted", "logged", "tracked", "measured",
                          # the event that makes the rows themselves ("how many tickets were opened")
                          "opened", "created", "submitted", "filed", "raised", "received", "placed", "made",
                          "issued", "generated", "added", "started", "launched"})
_NEGATED_VALUE = (r"\.?(?:\s+(?:in|from|for|on|at|of|the|a|an|any|our|due\s+to|because\s+of|caused\s+by"
                  r"|related\s+to))*\s*" + _VALUE_MASK)  # ("not incl. <comedy clubs>": past the dot)
_OTHERS_AFTER_EXCLUSION = re.compile(r"((?:除了|除去|除|不含|不包括|排除|excluding|except|other\s+than|apart\s+from"
                                     r"|besides).{1,40}?)(其他|其余|其它|别的|剩下的|all\s+(?:the\s+)?other|every\s+other)")
_WORD_BEFORE = re.compile(_WORD_EN + r"\s+$")


# the words of a money amount a kind of it is glued before (保险收入, 瓶租费用)
_MONEY_HEADS_ZH = frozenset({"收入", "营收", "营业额", "销售额", "收益", "费用", "成本", "金额", "利润", "佣金"})
# what is counted, said loosely (单子签了多少: the deals signed), never a kind of it
_ROWS_SAID_LOOSELY_ZH = frozenset({"单子", "东西", "活儿", "生意"})
_HYPHENED = re.compile(r"-([a-z][a-z0-9']*)")


def _masked(text: str, used: Iterable[Span], values: Iterable[Span], periods: Iterable[Span] = ()) -> str:
    chars = list(text)
    for spans, fill in ((periods, _PERIOD_MASK), (used, _MASK), (values, _VALUE_MASK)):
        for s, e in spans:
            for i in range(max(0, s), min(e, len(chars))):
                chars[i] = fill
    return "".join(chars)


def _own_word_apart(rest: str, start: int, word: str, own: set[str]) -> bool:
    """"revenue by service" where the metric is Service revenue: a word of the chosen metric's name after a plain
    "by" (after a noun: "paid by card" names the means), left unplaced — said apart from the metric's words, it asks
    for rows by something, never for the metric a second time (where the metric was named before "by": "same but by
    revenue" names the metric to switch to)."""
    cue = re.match(r"by\s+(?:the\s+)?", rest[start:])
    by = _BY_VALUE.search(rest[max(0, start - 24) : start + (cue.end() if cue else 0)]) if cue else None
    return bool(by) and word.isalpha() and word not in STOPWORDS and word not in _FILLER_EN \
        and word not in _MEANS and singular(word) in own | {singular(w) for w in own} \
        and not _BY_VERB.search(by.group(1) or "x") \
        and bool({singular(t) for t in tokens(rest[:start])} & own)


def _meaningful(word: str, own: set[str], own_phrases: frozenset[str] = frozenset()) -> bool:
    """A leftover word that could carry a breakdown or a condition (a compound of the metric's own word and another,
    "sold-out" beside Tickets sold, is one: it names other rows, unless the metric's name says it whole)."""
    if not word or word in STOPWORDS or word in _FILLER_EN or word.isdigit():
        return False
    if "-" in word.strip("-") and not set(tokens(word)) <= STOPWORDS:
        return " ".join(tokens(word)) not in own_phrases
    return not (set(tokens(word)) & own) and not (set(tokens(word)) <= STOPWORDS)


def _zh_content(run: str, own: set[str], rows: bool = False) -> str:
    """The content words of a Chinese run (fillers and the chosen metrics' own words removed). `rows`: the run is
    the rows a breakdown asks for, and the metric is named by words of its own elsewhere (各停车场的停车收入): a word
    of the metric's name there still names rows (停车场, the lots)."""
    # (有户 of 有多少户搬走了: "there are" and a measure word say only that something is counted)
    words = [w for w in tokens(run) if w not in FILLER_ZH and has_cjk(w) and w.strip(MEASURE_WORDS + "有")]
    if rows:
        return "".join(words)
    return "".join(w for w in words if w not in own and not any(w in o for o in own if has_cjk(o)))


def _own_with_measure(word: str, own: set[str]) -> bool:
    """工单量, 来电量: one of the metric's own words with the measure word after it (or split from it: 电量 of
    来电量)."""
    stem = re.sub(r"^数|(?:量|数|数量|总数|次数)$", "", word)  # (数油: 多少加仑油 read as 加仑数 + 油)
    return bool(stem) and stem != word and any(stem in o or o in word for o in own if has_cjk(o))


def unplaced(text: str, used: Sequence[Span], own: Iterable[str] = (),
             values: Sequence[Span] = (), periods: Sequence[Span] = (), heads: Sequence[Span] = (),
             named: frozenset[str] = frozenset(), siblings: bool = False,
             plain_of_variants: bool = False, described: frozenset[str] = frozenset(),
             one_metric: bool = False) -> list[str]:
    """Leftover words of `text` (lower-cased) in a breakdown or condition position.

    `used` are the spans the interpreter placed; `own` the words of the chosen metrics' names (they are
    the metric, not a condition); `values` the spans read as filter values — a value asked as rows
    ("各门店", "by store") names a breakdown that is not a dimension; `periods` the spans read as time;
    `heads` the spans naming the chosen metrics — a word right before one qualifies it ("inventory turnover");
    `named` the words of the catalog's dimension names ("acquisition" of "acquisition channel"): before a placed
    dimension or value they are part of its name, any other word there qualifies it ("the <pro> plan" where no
    plan is called Pro, "outside <north> america"); `siblings`: other metrics share the chosen one's head noun, so a
    Chinese word glued before it may name one of them (猫粮收入 beside Net revenue) — in the whole last phrase where
    the metric is the plain one taken among its variants (`plain_of_variants`: 瓶租收了多少钱), unless they say a
    word of its description (`described`, in Chinese: 注册 of New accounts "registered", 油 of Fuel gallons);
    `one_metric`: one metric was chosen, so a Chinese word glued before its own word, where nothing placed them,
    qualifies it even with no sibling.
    """
    own = list(own)
    own_words = {t for w in own for t in tokens(w)}
    own_phrases = frozenset(" ".join(tokens(w)) for w in own)
    rest = _masked(text, [u for u in used if u not in periods], values, periods)
    for m in _GIVEN_TO.finditer(text):
        if rest[m.start(1) : m.end(1)] == "to":
            rest = rest[: m.start(1)] + "at" + rest[m.end(1) :]  # (a condition word of the same length)
    # "other than <wrong size>", "except <web>": a negation word before a placed value is that filter's operator
    # (and "non-" before a placed yes/no dimension: "from non-<plus members>" counts the others)
    negating = [m.span() for m in CUE.finditer(rest) if re.match(_NEGATED_VALUE, rest[m.end():])
                or (m.group(0) == "non" and re.match(f"[ -]?[{_MASK}{_VALUE_MASK}]", rest[m.end():]))]
    # 除了Old Town，其他片区的产水量: "the others" after an exclusion are the rows the exclusion leaves, no condition
    # of their own (likewise "everyone else", "all other regions")
    rest = _OTHERS_AFTER_EXCLUSION.sub(lambda m: m.group(1) + _MASK * len(m.group(2)), rest)
    rest = _masked(rest, negating, ())
    out: list[str] = []
    for start, _ in heads:
        m = _WORD_BEFORE.search(rest[:start])
        if m and m.group(1) not in _BEFORE_METRIC_EN and _meaningful(m.group(1), own_words, own_phrases):
            out.append(m.group(1))
    for rx in (_BREAKDOWN_EN, _CONDITION_EN, _OF_AFTER_PLACED):
        for m in rx.finditer(rest):
            word = m.group(1)
            if word == "time" and re.match(r"on[\s-]", rest[m.start() : m.end(1)]):
                if not {"on", "time"} <= own_words:  # (the chosen On-time delivery rate says it already)
                    out.append("on time")  # "arriving on time": a condition (punctuality), not the filler "time"
                continue
            if rest[m.end(1):].lstrip()[:1] == _MASK and word in named:
                continue  # "by acquisition <channel>": a word of the name of a dimension the question names
            if rest[m.end(1):].lstrip()[:1] == _VALUE_MASK and word in named:
                continue  # "for region <East>"
            if rx is _BREAKDOWN_EN and word in _NOUN_STOPWORDS:
                out.append(word)  # "downloads by show": "show" (as in "show me") is the rows asked after "by"
                continue
            if rx is _BREAKDOWN_EN and _own_word_apart(rest, m.start(), word, own_words):
                out.append(word)  # "revenue by service": Service revenue's word said apart, after "by", is rows
                continue
            if _meaningful(word, own_words, own_phrases):
                nxt = re.match(r"\s+([a-z][a-z0-9_'-]*)", rest[m.end(1):])
                two = f"{word} {nxt.group(1)}" if nxt and (_meaningful(nxt.group(1), own_words, own_phrases)
                                                           or nxt.group(1) in _WHO_EN) else word
                out.append(two)
    for m in _NEGATED_ROWS_EN.finditer(rest):
        # "excluding lots the buyer never paid for": the metric's own rows left out by what a clause says of them —
        # its words, when nothing placed them, are a condition the answer would drop (and negated: the worst kind)
        if {m.group(1), singular(m.group(1))} & own_words:
            words = [w for w in re.findall(r"[a-z][a-z0-9_'-]*", m.group(2)) if _meaningful(w, own_words, own_phrases)
                     and w not in _CLAUSE_GLUE]
            if words:
                out.append(" ".join(words[:3]))
    for m in _BY_CLAUSE_EN.finditer(rest):
        # "approval rate split by how the report was sent": rows by what a clause says — its words, when nothing
        # placed them, are a breakdown the answer would drop
        words = [w for w in re.findall(r"[a-z][a-z0-9_'-]*", m.group(1)) if _meaningful(w, own_words, own_phrases)
                 and w not in _CLAUSE_GLUE]
        if words:
            out.append(" ".join(words[:3]))
    # "fixed within 24 hours", "delivered in under 2 days": a condition on how long each took, which no dimension holds
    out.extend(m.group(0) for m in _WITHIN_SPAN.finditer(rest))
    # "footfall when it rained": a condition on circumstances (never the question word: "when did sales peak")
    out.extend(f"{m.group(1)} {m.group(2)}" for m in _WHEN_CLAUSE.finditer(rest)
               if _meaningful(m.group(2), own_words, own_phrases))
    for m in _PREDICATE_EN.finditer(rest):  # "how many orders were refunded": the participle restricts them
        word = m.group(1) or m.group(3)
        if m.group(2) and not (set(m.group(2)) == {"#"} or set(tokens(m.group(2))) & own_words):
            continue  # (asked of the counted rows only: "were listings favorited", never "was it booked")
        if _meaningful(word, own_words, own_phrases) and word not in _CLAUSE_GLUE | PREDICATE_OK:
            out.append(word)
    for m in _LOSING_EN.finditer(rest):
        forms = {m.group(1), *_LOSING_FORMS[m.group(1)]}
        if not any(singular(f) in own_words or f in own_words for f in forms):
            out.append(m.group(1))
    for m in _CLAUSE_EN.finditer(rest):  # "new hires who left within 90 days": a condition in a clause
        if _MASK in m.group(1):
            continue  # "agents who handled <the most> <tickets>": the clause says what is counted, no condition
        words = [w for w in re.findall(r"[a-z][a-z0-9_'-]*", m.group(1)) if _meaningful(w, own_words, own_phrases)
                 and w not in _CLAUSE_GLUE]
        if words:
            out.append(" ".join(words[:3]))
    for m in _TIME_LEFT_EN.finditer(rest):
        if m.group(1) is None or _meaningful(m.group(1), own_words, own_phrases):
            out.append(m.group(0))
    out.extend(m.group(0) for m in _TIME_LEFT_ZH.finditer(rest))
    for m in _PAIRED_EN.finditer(rest):
        if _meaningful(m.group(1), own_words, own_phrases):
            out.append(m.group(1))
    for m in _PAIRED_ZH.finditer(rest):
        run = CJK_RUN.match(rest, m.end())
        content = _zh_content(run.group(0).split("的")[0], own_words) if run else ""
        if content:
            out.append(content)
    for m in _BREAKDOWN_ZH.finditer(rest):
        run = CJK_RUN.match(rest, m.end())
        named_after = run is not None and _MASK in rest[run.end():]  # (the metric's own span, further on)
        content = _zh_content(run.group(0), own_words, rows=named_after) if run else ""
        if content:
            out.append(content)
    for m in _CONDITION_ZH.finditer(rest):
        run = CJK_RUN.match(rest, m.end())
        if run is not None and _RESTATED_AFTER.match(rest, run.end()):
            continue  # 除了第三方分销（Third-Party Reseller）: the placed value in the parentheses is what it means
        content = _zh_content(run.group(0), own_words) if run else ""
        if content:
            out.append(m.group(0) + content)
    for m in _PER_ZH.finditer(rest):
        run = CJK_RUN.match(rest, m.end())
        content = _zh_content(run.group(0)[:3], own_words) if run else ""
        if len(content) >= 2:
            out.append("每" + content)
    for m in _DISTRIBUTION_ZH.finditer(rest):
        content = _zh_content(m.group(1).split("的")[-1], own_words, rows=True)
        if len(content) >= 2:
            out.append(content + "分布")
    for m in _AFTER_PLACED_ZH.finditer(rest):
        # 按客户类型拆一下: a word right after a placed dimension ("客户" + 类型) says which of its dimensions is meant
        content = _zh_content(m.group(1).split("的")[0], own_words)
        if len(content) >= 2:
            out.append(content)
    each = _EACH_ZH.search(rest)
    for run in CJK_RUN.finditer(rest):
        # 老客户的订单, 美国用户的转化率: an unplaced Chinese word qualifying what is counted (X的…);
        # 新客户和老客户的订单分别是多少: words before 分别 name the rows asked for
        parts = run.group(0).split("的")
        if run.start() > 0 and rest[run.start() - 1] == _MASK and len(parts) > 1 and len(parts[0]) == 1 \
                and parts[0] not in FILLER_ZH and parts[0] not in "".join(w for w in own_words if has_cjk(w)):
            # 骑行卡的收入: one character glued after a metric's word makes another noun (a ride card, not rides)
            out.append(parts[0])
        qualifiers = parts[:-1] if run.end() < len(rest) or len(parts) > 1 else []
        if siblings and not heads and not rest[run.end():].strip(" ，,。？?！!" + _MASK + _PERIOD_MASK) \
                and (len(parts) > 1 or plain_of_variants):
            # 去年每个月的猫粮收入 where the metric was chosen from its words' renderings, none of them placed: the
            # words of the last phrase that are not the metric's own qualify it (猫粮: another revenue than Net revenue)
            qualifiers = ["".join(w for w in tokens(p) if _zh_content(w, own_words)
                                  and not _own_with_measure(w, own_words) and not any(w in d for d in described))
                          for p in parts]
        elif one_metric and not heads:
            # 保险收入 where Interest income, the one income, was chosen from the words' renderings (none placed): a
            # word glued right before a money word of the metric's own qualifies it all the same — another income
            # (only before a money word: before others a word glued on is as often who did it, 客人要等多久, or how,
            # 办理量, which the words alone cannot tell from a kind of the thing)
            words = tokens(run.group(0))
            out.extend(w for w, nxt in zip(words, words[1:], strict=False)
                       if len(w) >= 2 and w not in _ROWS_SAID_LOOSELY_ZH and _zh_content(w, own_words)
                       and not _own_with_measure(w, own_words)
                       and not any(w in d for d in described)
                       and nxt in own_words and nxt in _MONEY_HEADS_ZH)
        if each and run.start() < each.start():
            qualifiers = parts
        # (the metric's own word masked as the value it also is — 投诉 of Complaints, a ticket type Complaint — is
        # still the noun: 散装投诉 are some complaints, never all of them)
        before_noun = run.end() < len(rest) and (rest[run.end()] == _MASK or (
            rest[run.end()] == _VALUE_MASK and any(s <= run.end() < e for s, e in heads)))
        if before_noun:
            qualifiers = parts  # 德国客户: words right before a placed noun qualify it (德国 of 客户)
        if run.start() > 0 and rest[run.start() - 1] == _VALUE_MASK and not (before_noun and len(parts) == 1) \
                and qualifiers:
            # 年付客户, 美国用户: the noun a placed value qualifies is its last word; words before it qualify too
            # (华东<女性>客户的订单, 工程部<女性>员工人数)
            qualifiers = ["".join(tokens(qualifiers[0])[:-1]), *qualifiers[1:]]
        out.extend(c for c in (_zh_content(p, own_words) for p in qualifiers) if len(c) >= 2)
    lead = CJK_RUN.match(rest.lstrip(" ，,。"))
    # (a space typed after it changes nothing: 佐维亚 上个月处理了多少工单)
    if lead and rest.lstrip(" ，,。")[lead.end():].lstrip(" ")[:1] in (_MASK, _PERIOD_MASK):
        # 德州那几家店上个月PT收入: Chinese says first what the question is about — a word there that nothing placed
        # is a condition, never filler
        content = _zh_content(lead.group(0), own_words)
        if len(content) >= 2:
            out.append(content)
    if has_cjk(text):
        # English words inside a Chinese question are names (非Plus会员, 只看NYC, 除了App): left over, they are a
        # condition nothing placed, never filler
        out.extend(w for w in _LATIN_WORD.findall(rest)
                   if _meaningful(w, own_words, own_phrases) and w not in _BEFORE_METRIC_EN)
    if not has_cjk(text):
        for s, e in values:
            # "excluding group-buy ones", "night-shift players": a value's word hyphened to another word makes another
            # thing (no Corporate Group, no Date Night) — the word after it, when nothing placed it, is left over
            joined = _HYPHENED.match(text, e)
            if joined and _meaningful(joined.group(1), own_words, own_phrases) \
                    and not any(ps <= joined.start(1) < pe for ps, pe in [*used, *values]):
                out.append(text[s:joined.end()])
    for s, e in values:
        if _ROWS_BEFORE.search(text[max(0, s - 16) : s]):
            out.append(text[s:e])  # "各门店" where 门店 is a channel value: rows by a store we do not have
        elif (by := _BY_VALUE.search(text[max(0, s - 24) : s])) and not _BY_VERB.search(by.group(1) or "x") \
                and text[s:e].strip() not in _MEANS \
                and by.group(1) not in ("down", "up", "out", "grouped", "split", "broken") \
                and not text[e:].lstrip().startswith(("and", "or", ",")) \
                and text[e:].split(maxsplit=1)[:1] not in ([w] for w in _WHO_EN):
            # "attrition by manager" where manager is a job level: rows by manager, or the managers' attrition?
            # ("paid by card", "bought by new customers", "visits by premium members" name the value itself)
            out.append(f"by {text[s:e]}")
    return list(dict.fromkeys(w.strip() for w in out if w.strip()))


def unplaced_reply(catalog: Catalog, value_map: Mapping[DimKey, Sequence[str]], words: Sequence[str],
                   metrics: list[str], lang: str) -> str:
    """The clarification for unplaced words: they are named, with the nearest dimensions and values the metrics
    can use."""
    refs = reachable_refs(catalog, metrics)
    names = [humanise(k[1]) for k in refs]
    values = [str(v) for k, vs in value_map.items() if k in refs for v in vs]
    return say("unplaced", lang, words=", ".join(words), offer=", ".join(nearest(words, names, values)))


def nearest(words: Sequence[str], dimensions: Sequence[str], values: Sequence[str], n: int = 5) -> list[str]:
    """What to offer for words that could not be placed: close dimension names and values, else the
    dimensions themselves (the first `n`)."""
    close = [c for w in words for part in w.split() for c in suggest(part, [*dimensions, *values])]
    return list(dict.fromkeys(close))[:n] or list(dict.fromkeys(dimensions))[:n]


def noun_after_values(text: str, values: Sequence[Span], placed: Sequence[Span], known: set[str]) -> list[str]:
    """"net sales of <live> crab": the word right after a placed value is the noun it qualifies — one nothing placed
    and no word the catalog or the chosen metric knows (`known`, singular) names other rows, a condition the
    answer would drop (English; `text` lower-cased)."""
    out = []
    for start, end in values:
        m = re.match(r"\s+([a-z][a-z'-]{2,})\b", text[end:])
        if m is None or not _OF_VALUE.search(text[:start]):
            continue  # (only "X of <value> Y": what X is "of" is the rows, said whole — elsewhere the word after a
            # value may restate it, "except <wire> transfers", or go on with the sentence, "<Seattle> have")
        at = end + m.start(1)
        word = m.group(1)
        if any(s <= at < e for s, e in [*placed, *values]) or singular(word) in known or word in known \
                or not _meaningful(word, set()) or word in _AFTERWORDS or word in _CLAUSE_GLUE \
                or word.endswith("ed"):
            continue
        out.append(word)
    return out


# "sales of <live> …" (not "because of", "instead of", "out of": no rows are what those are of)
_OF_VALUE = re.compile(r"(?:^|[^a-z])(?!because\b|instead\b|out\b|ahead\b)[a-z]+\s+of\s+(?:the\s+|our\s+)?$")
# words said after a value that qualify nothing ("East only", "web too", "NYC instead", "Q3 vs Q2")
_AFTERWORDS = frozenset({"only", "too", "instead", "alone", "vs", "versus", "and", "or", "but", "then", "included",
                         "excluded", "please", "again", "also", "both", "each", "either", "ones", "one", "side",
                         "last", "this", "next", "since", "before", "after", "during", "over", "under", "above",
                         "below", "compared", "combined", "together", "total", "overall", "so", "far", "yet"})


# "how many whole blood units did the drives collect": what is counted, said between "how many" and the verb
_HOW_MANY_THING = re.compile(r"\bhow\s+many\s+((?:[a-z][a-z'-]*\s+){0,3}?[a-z][a-z'-]*)\s+(?:did|do|does|were|was|are"
                             r"|is|have|has|had|will|would|got|get|came|went)\b")


def counted_thing_unknown(text: str, placed: Sequence[Span], known: set[str]) -> list[str]:
    """The words of what "how many … did" counts that nothing placed and no word the catalog or the chosen metric
    knows (`known`, singular), where there are two or more: "how many whole blood units did we collect" answered with
    Donations would count something else (English; `text` lower-cased)."""
    m = _HOW_MANY_THING.search(text)
    if m is None:
        return []
    words = [(w.start() + m.start(1), w.group(0)) for w in re.finditer(r"[a-z][a-z'-]*", m.group(1))]
    left = [w for at, w in words if not any(s <= at < e for s, e in placed) and _meaningful(w, set())
            and singular(w) not in known and w not in known and w not in _CLAUSE_GLUE]
    # (two such words at least: one alone is most often an everyday name of the metric's own rows — "loads", "tix",
    # "packages" — which the words chose it by; two name other things: "blood units", "rental cars")
    return [" ".join(left)] if len(left) > 1 else []

"""Dimensions and filter values in a question, resolved for the chosen metrics. Pure.

Dimension words ("by region", 按地区, "per channel") become group-by references; value words
("North", 华东, "web") become filters on the dimension that holds the value. Only dimensions
reachable from every chosen metric count (core/catalog/graph). A dimension word right next to a
value of the same dimension ("the North region", 华东地区) only qualifies the value. A value found in
two reachable dimensions is ambiguous unless a neighbouring dimension word settles it.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from metricloop.core.catalog.graph import DimensionRef, available_dimensions, is_reachable, reachable
from metricloop.core.catalog.model import Catalog, Dimension
from metricloop.core.query import Filter
from metricloop.core.text import has_cjk, humanise, singular, tokens
from metricloop.core.understand.glossary import load_glossary
from metricloop.core.understand.holder import holds_value
from metricloop.core.understand.kinds import counted_entity, model_of
from metricloop.core.understand.lexicon import DimKey, Hit
from metricloop.core.understand.negation import cue_before

# ((dimension ref, value), (dimension ref, value)) → both keep the same rows (adapters/same_rows asks the warehouse)
SameRows = Callable[[tuple[str, str], tuple[str, str]], bool]
_BY = re.compile(r"(?:\b(?:by|per|each|every|across|split\s+by)\s+(?:the\s+)?|按照?|分|各个?|每个|每一个)$")
# "region is East", "any reason other than wrong size", "channel except web": the dimension word names the value's
_GAP = re.compile(r"^[\s:=]*(?:is|are|was|were|=|of|的|为|是|(?:is\s+|are\s+|was\s+|were\s+)?not|isn't|aren't|wasn't"
                  r"|weren't|!=|<>|不是|不为|非"
                  r"|(?:以外|之外)的?|other\s+than|except(?:\s+for)?|excluding|but(?:\s+not)?|apart\s+from)?[\s:=]*$")
# values in one list share its negation: "not in North or East", 除了华东和华北
# "claims from warehouses in the West", "what we claimed back from carriers": a plural entity word after a
# preposition of source names where the numbers come from, not a breakdown (that takes "by"/"per"/"each")
_SOURCE = re.compile(r"\b(?:from|at|to|with|of)\s+(?:the\s+|our\s+|all\s+|any\s+)?$")
_ROWS_ASKED = re.compile(r"(?:\b(?:by|per|each|every|across|split\s+by|(?:top|bottom|best|worst|which)(?:\s+\d{1,3})?)"
                         r"\s+(?:the\s+)?|按|分|各个?|每个"
                         # 最多的三个分行, 哪家分行: rows ranked or picked
                         r"|(?:\d{1,3}|[一两二三四五六七八九十])(?:个|家|名|位)|哪(?:个|家|些|一个|一家))$")
# what joins listed values: "West and South", "the West and the South", 华东、华南
_LIST = re.compile(r"^\s*(?:,|/|&|and|or|nor|和|与|及|或|或者|、|，)?\s*(?:(?:the|our|any)\s+)?$")


@dataclass
class DimReading:
    group_by: list[str] = field(default_factory=list)
    where: list[Filter] = field(default_factory=list)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # value → candidate dimension refs
    unreachable: list[str] = field(default_factory=list)  # dimension labels named but not reachable
    used_spans: list[tuple[int, int]] = field(default_factory=list)
    said: dict[str, str] = field(default_factory=dict)  # filter value → the question's own words for it
    value_spans: list[tuple[int, int]] = field(default_factory=list)  # the spans read as filter values
    # each such span's reading: (dimension ref, value, negated)
    read: dict[tuple[int, int], tuple[str, Any, bool]] = field(default_factory=dict)


def reachable_refs(catalog: Catalog, metrics: list[str]) -> dict[DimKey, str]:
    """(model, dimension) → the shortest `entity__dimension` reference reachable from all metrics."""
    avail: dict[str, DimensionRef] = available_dimensions(catalog, metrics)
    out: dict[DimKey, str] = {}
    for ref, d in sorted(avail.items(), key=lambda kv: (len(kv[1].path), kv[0].count("__"), kv[0])):
        if d.dimension is None or d.dimension.type != "categorical":
            continue
        out.setdefault((d.model.name, d.dimension.name), ref)
    for entity in sorted({e.name for sm in catalog.semantic_models for e in sm.entities}):
        if is_reachable(catalog, metrics, entity):  # an entity the metrics' models carry can be grouped by itself
            out.setdefault(("", entity), entity)
    return out


def _depth(catalog: Catalog, metrics: list[str], ref: str) -> int:
    return len(available_dimensions(catalog, metrics)[ref].path)


def _pick(keys: list[DimKey], refs: dict[DimKey, str], stand_in: bool = False) -> list[str]:
    """Distinct reachable references for these dimension keys; one per dimension name (nearest model).

    With `stand_in` (dimension words, not values), when none of the keys is reachable a reachable
    dimension of the same name stands in: "region" said of support tickets is the customer's region when
    tickets cannot reach the order's region. (A value is never moved: its namesake may not hold it.)
    """
    by_name: dict[str, str] = {}
    rank = {k: i for i, k in enumerate(refs)}  # refs are ordered nearest model first
    for key in sorted((k for k in keys if k in refs), key=rank.__getitem__):
        if key in refs and key[1] not in by_name:
            by_name[key[1]] = refs[key]
        elif key in refs and not stand_in and refs[key] not in by_name.values():
            # a value two models' namesakes both hold ("the UK": the buyer's country or the shop's) is a reading of
            # each; the nearer one wins later, and a tie in distance is asked
            by_name[f"{key[1]}#{key[0]}"] = refs[key]
    if not by_name and stand_in:
        names = {k[1] for k in keys if k}
        for key, ref in refs.items():  # nearest first
            if key[1] in names and key[1] not in by_name:
                by_name[key[1]] = ref
        # "operating expenses by category": the food's Category is out of reach, and the one reachable dimension
        # ending with the word (Expense category) is the one meant — never two such (then nothing stands in)
        ending = {key[1]: ref for key, ref in reversed(refs.items()) if any(ends_with(key[1], n) for n in names)}
        if not by_name and len(ending) == 1:
            by_name.update(ending)
    return list(by_name.values())


def ends_with(name: str, word: str) -> bool:
    """`expense_category` ends with the dimension name `category` (as a whole word of it)."""
    return name.endswith("_" + word)


def one_ending_with(word: str, names: set[str]) -> bool:
    """Exactly one of the reachable dimension `names` ends with `word` (the stand-in for an unreachable namesake)."""
    return sum(ends_with(n, word) for n in names) == 1


def same_name_reach(reach: set[DimKey]) -> set[str]:
    """Dimension names reachable at all (for the same-name stand-in of `_pick`)."""
    return {k[1] for k in reach}


# Things only some rows have: "net sales from promotions" is the promoted sales, not all sales (as "revenue from
# customers" is all revenue) — never read as where every number comes from
ATTRIBUTED = re.compile(r"promo|campaign|coupon|voucher|discount|referral|(?:^|_)ads?(?:$|_)|offer|deal|experiment"
                        r"|affiliate|partner|upsell|bundle|gift")


# words saying what kind of thing the value before them is ("buffet style", 自助餐形式): never a breakdown of their own
_KIND_AFTER_VALUE = re.compile(r"(?:style|format|form|kind|type|mode|形式|类型|方式|模式|风格|类)s?")


def _adjacent(text: str, a: Hit, b: Hit) -> bool:
    left, right = (a, b) if a.end <= b.start else (b, a)
    gap = text[left.end : right.start]
    if left.entry.kind == "value" and gap[:1] in "+%" and str(left.entry.target).endswith(gap[:1]):
        gap = gap[1:]  # 60+年龄段: the value's own "+" (its words were read without it)
    # (自助餐（Buffet）形式: a restatement in parentheses, or its closing one, stands between a value and its kind word)
    return bool(_GAP.match(re.sub(r"^\s*(?:[（(][^（()）]{1,40})?[）)]", "", gap)))


def _names_rows_of(hit: Hit, model: str, primary: dict[str, set[str]]) -> bool:
    """`hit` names the rows of `model`: its entity ("tech" for the technician) or its name dimension."""
    dim = hit.entry.dim
    return bool(dim) and ((not dim[0] and dim[1] in primary.get(model, ()))
                          or (dim[0] == model and dim[1].endswith("_name")))


def _compound_of_other_rows(catalog: Catalog, text: str, span: Span, ref: str, primary: dict[str, set[str]]) -> bool:
    """A Chinese value said as the first part of a word the glossary knows as a kind of other rows (垃圾车, a garbage
    truck, with Trash a route's stream): those rows do not carry the value, so the word names them, not it — as
    "the emergency hospitals" (`_qualifies_other_rows`) in English."""
    if not has_cjk(text[span[0] : span[1]]):
        return False
    glossary = load_glossary()
    for end in range(span[1] + 1, min(len(text), span[1] + 3) + 1):
        for words in glossary.english_of(text[span[0] : end]):
            noun = singular(words[-1])
            homes = [sm for sm in catalog.semantic_models if noun in primary.get(sm.name, ())]
            if homes and not any(ref in reachable(catalog, sm) for sm in homes):
                return True
    return False


def _qualifies_other_rows(catalog: Catalog, text: str, span: Span, ref: str, dim_hits: dict,
                          primary: dict[str, set[str]]) -> bool:
    """The value is said right before a word for an entity whose rows do not carry it: "the emergency hospitals" with
    Emergency an appointment type — hospitals have no appointment type, so the words mean something else (their
    type of hospital), not emergency appointments."""
    following = next((g for s, g in dim_hits.items() if s[0] >= span[1] and not text[span[1] : s[0]].strip()), ())
    homes = [sm for sm in catalog.semantic_models if any(_names_rows_of(h, sm.name, primary) for h in following)]
    return bool(homes) and not any(ref in reachable(catalog, sm) for sm in homes)


def read_dimensions(catalog: Catalog, metrics: list[str], hits: list[Hit], text: str, negated,  # noqa: ANN001
                    flags: frozenset[str] = frozenset(), ranked: bool = False,
                    prefer: frozenset[str] = frozenset(), same_rows: SameRows | None = None) -> DimReading:
    """Group-bys and filters for `metrics` from resolved (non-overlapping) hits; `negated(start, end)` → bool.
    `prefer`: the dimensions a thread is already about, which decide a value two dimensions share; `same_rows`: asks
    the warehouse whether two readings of a value keep the same rows (then either is the answer, not a question).

    `flags` are yes/no dimensions ("is on time", "is first order"): named without "by" they are a condition
    ("shipments delivered on time" counts the on-time ones), not a breakdown into true and false. A name
    dimension ("account name") is rows only when asked as rows (a "by" word, or `ranked`: "which customer"):
    多少客户取消了订阅 counts customers, it does not list them."""
    refs = reachable_refs(catalog, metrics)
    entities = {e.name for m in catalog.semantic_models for e in m.entities}
    out = DimReading()
    rows_at: list[tuple[Span, str]] = []  # (the words, the rows they ask for), for _attributes_of_entities
    spans: dict[tuple[int, int], list[Hit]] = {}
    for h in hits:
        if h.entry.kind in ("dimension", "value"):
            spans.setdefault(h.span, []).append(h)
    # a span read both as a dimension word and as a value (区域: "region", and the carrier type "regional") is
    # a dimension word first: next to a value of that dimension it qualifies it (华东区域)
    dim_hits = {s: [h for h in g if h.entry.kind == "dimension"] for s, g in spans.items()}
    dim_hits = {s: g for s, g in dim_hits.items() if g}
    # ... and where rows are asked for ("by city", "bottom 2 cities", 各城市) it is the dimension only: a property type
    # spelled "city" does not turn the breakdown into a filter
    value_hits = {s: [h for h in g if h.entry.kind == "value"] for s, g in spans.items()
                  if not (s in dim_hits and _ROWS_ASKED.search(text[max(0, s[0] - 16) : s[0]]))}
    value_hits = {s: g for s, g in value_hits.items() if g}
    named = {ref for g in dim_hits.values() for ref in _pick([h.entry.dim for h in g if h.entry.dim], refs,
                                                             stand_in=True)}
    # "by course category", "course level": the word naming a dimension's own rows right before it says whose
    # dimension it is — one breakdown (category), not two (course, then category)
    owner_words = {sm.name: {singular(w) for n in (sm.name, *(e.name for e in sm.entities if e.type == "primary"))
                             for w in n.split("_")} for sm in catalog.semantic_models}
    primary = {sm.name: {e.name for e in sm.entities if e.type == "primary"} for sm in catalog.semantic_models}
    ordered_dims = sorted(dim_hits.items())
    # (... or an everyday word for that entity: "by tech skill level", where "tech" names the technicians)
    qualifiers_of_dims = {a for (a, first), (b, group) in zip(ordered_dims, ordered_dims[1:], strict=False)
                          if a[1] < b[0] and not text[a[1] : b[0]].strip()
                          and (set(singular(w) for w in text[a[0] : a[1]].split())
                               <= set().union(*(owner_words.get(h.entry.dim[0], set()) for h in group if h.entry.dim))
                               or any(_names_rows_of(f, h.entry.dim[0], primary) for f in first
                                      for h in group if h.entry.dim))}
    qualifiers: set[tuple[int, int]] = set()
    filters: dict[tuple[str, bool], list[str]] = {}
    listed: tuple = (-1, False, set())  # end of the previous value, whether it was negated, its dimensions
    ordered = sorted(value_hits.items())
    for (before, first), (span, _) in zip(ordered, ordered[1:], strict=False):
        # "annual billing": billing names the dimension of annual (billing interval), not the ticket category
        # "billing" spelled the same
        names = {w for h in first if h.entry.dim for w in h.entry.dim[1].split("_")}
        if re.fullmatch(r"\s*", text[before[1] : span[0]]) and set(text[span[0] : span[1]].split()) <= names:
            qualifiers.add(span)
            out.used_spans.append(span)
    explained = _explained_in_parentheses(text, ordered)
    for outer, said in explained.values():
        qualifiers.add(outer)
        out.used_spans.append(said)  # "the delivery apps": the words naming the group, placed
        if negated(*outer) and (cue := cue_before(text, outer[0])):
            out.used_spans.append(cue)  # (除了<青少年票（Youth）>以外: the words negating it are its filter's operator)
    for span, group in ordered:
        if span in qualifiers:
            continue  # 华东区域: 区域 names the region of 华东, not the carrier type "regional" spelled the same
        dims_here = {h.entry.dim for h in group if h.entry.dim}
        gap, listed_before = text[listed[0] : span[0]], listed[0] >= 0
        # (a value right after another of a different dimension, nothing between, is the noun that one qualifies:
        # 不含Locum验光师 leaves out the locum optometrists, not every optometrist)
        neg = negated(*span) or (span in explained and negated(*explained[span][0])) \
            or (listed[1] and bool(_LIST.match(gap)) and (gap.strip() != "" or bool(dims_here & listed[2])))
        listed = (span[1], neg, dims_here)
        candidates = _pick([h.entry.dim for h in group if h.entry.dim], refs)
        if listed_before and not gap.strip() and candidates and all(
                c.split("__")[0] == singular(str(h.entry.target).lower()) for c in candidates for h in group):
            # Locum验光师: the optometrists the value before qualifies — the value named like its own entity
            # (clinical role Optometrist of the optometrist) is that entity's noun, no second condition
            qualifiers.add(span)
            out.used_spans.append(span)
            continue
        # a dimension word next to the value chooses among the candidates
        for dspan, dgroup in dim_hits.items():
            if _adjacent(text, group[0], dgroup[0]):
                named = _pick([h.entry.dim for h in dgroup if h.entry.dim], refs, stand_in=True)
                narrowed = [c for c in candidates if c in named]
                if narrowed:
                    candidates = narrowed
                    qualifiers.add(dspan)
                elif holds_value(catalog, text, span, [h.entry.dim for h in group if h.entry.dim],
                                 dspan, [h.entry.dim for h in dgroup if h.entry.dim]):
                    qualifiers.add(dspan)  # hook: "East warehouses", 东部仓库 (core/understand/holder)
                elif dspan[0] >= span[1] and any(
                        _names_rows_of(d, h.entry.dim[0], primary)
                        or (d.entry.dim and d.entry.dim[0] == h.entry.dim[0]
                            and singular(text[dspan[0] : dspan[1]].split()[-1]) in primary.get(h.entry.dim[0], ()))
                        for d in dgroup for h in group if h.entry.dim and refs.get(h.entry.dim) in candidates):
                    qualifiers.add(dspan)  # "CNG trucks": the trucks whose fuel type it is, not rows by truck
                elif dspan[0] >= span[1] and _KIND_AFTER_VALUE.fullmatch(text[dspan[0] : dspan[1]].strip()):
                    qualifiers.add(dspan)  # 自助餐形式的活动, "buffet format events": the value's kind, no breakdown
        if not candidates:
            if group[0].score >= 1.0:  # an exact value of a dimension these metrics cannot be cut by
                out.unreachable.append(group[0].entry.phrase)
            continue
        if len(candidates) > 1:  # "enterprise accounts": the value of the accounts' dimension, not the plan's
            after = re.match(r"\s*([a-z]+)", text[span[1] :])
            noun = singular(after.group(1)) if after else ""
            if noun in entities and [c for c in candidates if c.split("__")[0] == noun]:
                candidates = [c for c in candidates if c.split("__")[0] == noun]
            else:  # 中国的供应商, 企业账号: the Chinese word after the value names whose dimension it is
                said_after = [c for c in candidates if _named_after(text, span[1], c)]
                candidates = said_after if len(said_after) == 1 else candidates
        if len(candidates) > 1:
            # the metric's own dimensions are the direct reading; only a tie in distance is ambiguous
            depth = {c: _depth(catalog, metrics, c) for c in candidates}
            nearest = min(depth.values())
            candidates = [c for c in candidates if depth[c] == nearest]
        if len(candidates) > 1:
            # (a tie) "orders from buyers in Canada", 美国以外的买家: the entity said beside the value says whose it is
            near = [c for c in candidates if _entity_near(text, span, c.split("__")[0])]
            candidates = near if len(near) == 1 else candidates
        if len(candidates) > 1 and len([c for c in candidates if c in prefer]) == 1:
            # "billings by plan", then "just enterprise": the plan the thread is about, not the account segment
            candidates = [c for c in candidates if c in prefer]
        if len(candidates) > 1 and len([c for c in candidates if c in named]) == 1:
            # "excluding the Americas, occupancy by region": the value of the dimension the question names
            candidates = [c for c in candidates if c in named]
        if len(candidates) > 1:
            # "at Sandy Point": the quarry of that whole name, not the customer "Cash Sales - Sandy Point" whose name
            # only holds it
            said = " ".join(tokens(text[span[0] : span[1]]))
            whole = [c for c in candidates if any(refs.get(h.entry.dim) == c and " ".join(tokens(str(h.entry.target)))
                                                  == said for h in group)]
            candidates = whole if len(whole) == 1 else candidates
        if len(candidates) > 1 and same_rows is not None:
            # "Phoenix": the branch's city and the branch's name, where they keep the same rows — one number
            read = {c: next(h.entry.target for h in group if refs.get(h.entry.dim) == c) for c in candidates}
            if all(same_rows((candidates[0], str(read[candidates[0]])), (c, str(read[c]))) for c in candidates[1:]):
                said = text[span[0] : span[1]].strip().lower()
                candidates = [next((c for c in candidates if str(read[c]).lower() == said), candidates[0])]
        if len(candidates) > 1:
            out.ambiguous[group[0].entry.phrase] = candidates
            continue
        said_words = {singular(w) for w in tokens(text[span[0] : span[1]])}
        twin_flags = [f for f in flags if f != candidates[0] and f in refs.values()
                      and said_words == {singular(w) for w in f.split("__")[-1].split("_")} - _FLAG_GLUE]
        read_as = next((h.entry.target for h in group if refs.get(h.entry.dim) == candidates[0]), None) \
            if twin_flags and same_rows is not None else None
        if read_as is not None and all(same_rows((candidates[0], read_as), (f, True)) for f in twin_flags):
            twin_flags = []  # the entry mode Contactless and "is contactless" keep the same rows: one number
        if twin_flags and not negated(*span):
            # "international shipments": the service level International, or the yes/no "is international"? Their
            # rows differ in general: asked, never one picked blindly
            out.ambiguous[group[0].entry.phrase] = [candidates[0], *twin_flags]
            continue
        ref = candidates[0]
        if _qualifies_other_rows(catalog, text, span, ref, dim_hits, primary) \
                or _compound_of_other_rows(catalog, text, span, ref, primary):
            continue  # "the emergency hospitals": left over, asked back (coverage), never the emergency visits
        value = next(h.entry.target for h in group if refs.get(h.entry.dim) == ref)
        key = (ref, neg)
        if value not in filters.setdefault(key, []):
            filters[key].append(value)
        out.said.setdefault(str(value), text[span[0] : span[1]])
        out.used_spans.append(span)
        out.value_spans.append(span)
        out.read[span] = (ref, value, neg)
    for (ref, neg), values in filters.items():
        op = ("not in" if neg else "in") if len(values) > 1 else ("!=" if neg else "=")
        out.where.append(Filter(dimension=ref, op=op, values=tuple(values)))
    flag_spans = {span: ref for span, group in dim_hits.items()
                  for ref in _pick([h.entry.dim for h in group if h.entry.dim], refs, stand_in=True)[:1]
                  if ref in flags}
    for span, group in sorted(dim_hits.items()):
        if span in out.value_spans:
            continue  # "city hotels" read as the property type City: not also a breakdown by city
        if span in qualifiers_of_dims:
            out.used_spans.append(span)
            continue
        flag = _pick([h.entry.dim for h in group if h.entry.dim], refs, stand_in=True)
        if span not in qualifiers and negated(*span) and not (flag and flag[0] in flags):
            # 除了快递以外, "excluding carriers": a dimension word is no value to exclude — left unplaced (a yes/no
            # dimension is: "excluding airport rides" counts the others)
            continue
        out.used_spans.append(span)
        by_before = _BY.search(text[max(0, span[0] - 12) : span[0]])
        if not by_before and not ranked and any(v[0] > span[1] and not text[span[1] : v[0]].strip()
                                                for v in out.value_spans):
            continue  # "only course purchases": the word before a value says what it is of, it asks for no rows
        if not by_before and not ranked and not (flag and flag[0] in flags) and (_ONE_OF.search(text[: span[0]]) or any(
                v[1] <= span[0] and len(_unused(text, v[1], span[0], out.used_spans).split()) <= 1
                for v in out.value_spans)):
            # "worked a shift", "without the extra (coverage) shifts": one of them, or the rows a value is of — no
            # breakdown asked
            continue
        if span in qualifiers and (not by_before or by_before.group(0).startswith("every")):
            # "region East": the region of a value; "by reason other than wrong size" is still rows, "at every center
            # except Bayview" all centres but one, together
            continue
        if not by_before and not ranked and not (flag and flag[0] in flags) and _one_named(text, span):
            # "how much did the railroad bring in": one thing named (the company, a store never said), no rows by it;
            # "customers who live out of town": a place condition — left unplaced, so a condition it makes is asked
            out.used_spans.remove(span)
            continue
        chosen = _own_namesake(catalog, metrics, refs, _pick([h.entry.dim for h in group if h.entry.dim], refs,
                                                             stand_in=True), group[0].entry.phrase)
        if chosen and not by_before and not ranked and re.search(r"(?:^|_)name$", chosen[0].split("__")[-1]):
            if ATTRIBUTED.search(chosen[0]) and _SOURCE.search(text[max(0, span[0] - 16) : span[0]]):
                out.used_spans.remove(span)  # "net sales from promotions": which promotions? asked, never all sales
            elif _qualified_other(catalog, metrics, chosen[0]):
                out.used_spans.remove(span)  # 企业客户的租车天数: the rentals of corporate accounts — asked, never all
            continue
        if chosen and not by_before and any(
                end <= span[0] and not text[end : span[0]].strip() and ref.split("__")[0] == chosen[0].split("__")[0]
                for (_, end), ref in flag_spans.items()):
            continue  # "renovated units": the units whose flag it is, not rows by unit
        if chosen and chosen[0] in flags and not by_before:
            # (from the first of the flag's own words said before the one read: "didn't need a <panel> upgrade")
            span = _flag_words_before(text, span, chosen[0])
            out.where.append(Filter(dimension=chosen[0], op="=", values=(not negated(*span),)))
            cue = cue_before(text, span[0]) if negated(*span) else None
            if cue:
                out.used_spans.append(cue)  # "not counting <expedited>": the words are this filter's operator
            continue
        if chosen and text[span[1] - 1] == "s" and singular(text[span[0] : span[1]].split()[-1]) in entities \
                and _SOURCE.search(text[max(0, span[0] - 16) : span[0]]) and not ATTRIBUTED.search(chosen[0]):
            continue
        if chosen and by_before and _agent_with_condition(text, span, chosen[0], out):
            continue  # "trips by riders on the annual plan": who took them, restricted by the plan, not rows by rider
        if has_cjk(text[span[0] : span[1]]) and len({by_name(catalog, refs, c) for c in chosen}) > 1 \
                and _two_attributes(catalog, metrics, refs, chosen):
            # 客户类型 renders both the customer's Customer segment and Account type: which one is asked, never the
            # first guessed (a nearer one, or an entity's own rows — 部门 the departments — is still the direct
            # reading, as for values)
            out.ambiguous[text[span[0] : span[1]]] = chosen
            continue
        if not chosen:
            if _BY.search(text[max(0, span[0] - 12) : span[0]]):  # "by warehouse" asked, cannot be done
                out.unreachable.append(group[0].entry.phrase)
        elif (named_rows := by_name(catalog, refs, chosen[0])) not in out.group_by:
            out.group_by.append(named_rows)
            rows_at.append((span, named_rows))
    _attributes_of_entities(text, rows_at, out)
    return out


def _attributes_of_entities(text: str, rows_at: list[tuple[Span, str]], out: DimReading) -> None:
    """按治疗师资质, "by therapist credential": a thing's word right before one of its own attributes says whose
    attribute it is (the therapists' credential) — rows by the attribute only, never also one row per therapist."""
    for (span, rows), (later, attribute) in itertools.pairwise(sorted(rows_at)):
        entity = rows.split("__")[0]
        if rows != attribute and attribute.split("__")[0] == entity and rows in out.group_by \
                and text[span[1] : later[0]].strip() in ("", "的", "'s") and rows.split("__")[-1] in (
                    entity, f"{entity}_name", "name", f"{entity}_title", "title", f"{entity}_code",
                    f"{entity}_number"):
            out.group_by.remove(rows)


Span = tuple[int, int]
_ONE_OF = re.compile(r"\b(?:a|an|one|single)\s+$")
_THE = re.compile(r"\bthe\s+$")
_OUT_OF = re.compile(r"\bout\s+of\s+$")


def _one_named(text: str, span: Span) -> bool:
    """The dimension word names one thing, not rows by it: "the railroad" (singular, after "the"), "out of town"."""
    said = text[span[0] : span[1]].split()
    if _OUT_OF.search(text[: span[0]]):
        return True
    return bool(_THE.search(text[: span[0]]) and said and singular(said[-1]) == said[-1] and not said[-1].endswith("s"))


def _unused(text: str, start: int, end: int, used: list[Span]) -> str:
    """The words of `text[start:end]` outside the spans already placed."""
    chars = list(text[start:end])
    for s, e in used:
        for i in range(max(s, start), min(e, end)):
            chars[i - start] = " "
    return "".join(chars).strip()

def _entity_near(text: str, span: Span, entity: str) -> bool:
    """The entity's word (its name, or its Chinese rendering) is said within a few words of the value ("buyers in
    Canada", "Canada-based shops", 美国以外的买家)."""
    before, after = text[max(0, span[0] - 24) : span[0]], text[span[1] : span[1] + 24]
    words = {singular(w) for w in re.findall(r"[a-z]+", before.split(",")[-1] + " " + after.split(",")[0])}
    if singular(entity) in words:
        return True
    return any(r in before[-8:] + after[:8] for r in load_glossary().render(entity.replace("_", " ")) if len(r) >= 2)


_FLAG_GLUE = frozenset({"is", "has", "was", "had", "flag"})
# after "by <people>": words that restrict who they are ("by riders on the annual plan", "by members with a …")
_AGENT_QUALIFIED = re.compile(r"\s+(?:on|with|in|from|under|using|who|that|whose)\b")


def _agent_with_condition(text: str, span: Span, ref: str, reading: DimReading) -> bool:
    """A plural entity word after "by" that a clause restricts by one of its own placed values is the agent of the
    rows ("trips by riders on the annual plan" are the annual riders' trips), not a breakdown by that entity."""
    said = text[span[0] : span[1]].split()
    if not said or not said[-1].endswith("s") or not _AGENT_QUALIFIED.match(text, span[1]):
        return False
    entity = ref.split("__")[0]
    return any(f.dimension.split("__")[0] == entity and s >= span[1]
               for f in reading.where for s, _ in reading.value_spans if text[span[1] : s].count(" ") <= 6)


def _qualified_other(catalog: Catalog, metrics: list[str], ref: str) -> bool:
    """`ref` names an entity of several words ("corporate account") that is not what the metrics' rows are: said
    without asking for its rows, it restricts them to those it qualifies — a condition no filter here expresses."""
    entity = ref.split("__")[0]
    if "_" not in entity:
        return False  # "customers" said of orders: whose orders, not a condition
    own = {e.name for m in metrics if (model := catalog.model(model_of(catalog, m) or "")) is not None
           for e in model.entities if e.type == "primary"}
    own |= {c for m in metrics if (c := counted_entity(catalog, catalog.metric(m)))}
    return entity not in own


def _explained_in_parentheses(text: str, ordered: list) -> dict[Span, tuple[Span, Span]]:
    """"excluding the delivery apps (DoorDash, Uber Eats, Grubhub)": the values in the parentheses are what the
    words before them mean, negated or not — first inner value span → (the outer value's span, the words up to the
    parenthesis): a value of another dimension that only names the group, never a filter of its own."""
    out: dict[Span, tuple[Span, Span]] = {}
    for m in re.finditer(r"[(（]([^)）]*)[)）]", text):
        inner = [(span, group) for span, group in ordered if m.start() < span[0] and span[1] <= m.end()]
        outer = [(span, group) for span, group in ordered if span[1] <= m.start()
                 and re.fullmatch(r"\s*(?:[a-z-]+\s*|[\u4e00-\u9fff]){0,2}", text[span[1] : m.start()])]
        if not inner or not outer:
            continue
        outer_dims = {h.entry.dim for h in outer[-1][1]}
        restated = {(h.entry.dim, h.entry.target) for h in outer[-1][1]} \
            >= {(h.entry.dim, h.entry.target) for _, g in inner for h in g}
        if outer_dims & {h.entry.dim for _, g in inner for h in g} and not restated:
            continue  # the same dimension: a list, read as lists are (青少年票（Youth）: the same value said twice)
        out[inner[0][0]] = (outer[-1][0], (outer[-1][0][0], m.start()))
    return out


def _says_its_own_rows(catalog: Catalog, own: str, named: str) -> bool:
    """The words `own` adds to the dimension word said (fuel_state beside state) name its own model's rows
    (fuel purchases): it is that model's instance of the word, not another thing ("body region" is no region)."""
    extra = set(own.split("__")[-1].split("_")) - set(named.split("__")[-1].split("_"))
    model = next((sm for sm in catalog.semantic_models if any(e.name == own.split("__")[0] for e in sm.entities
                                                               if e.type == "primary")), None)
    if model is None:
        return False
    words = {singular(w) for n in (model.name, *(e.name for e in model.entities if e.type == "primary"))
             for w in n.split("_")}
    return {singular(w) for w in extra} <= words


def _plainly_named(dimension: Dimension | None, said: str) -> bool:
    """The dimension is called exactly what was said ("Region"), by its label or, without one, its name."""
    if dimension is None:
        return False
    called = dimension.label or humanise(dimension.name)
    return [singular(w) for w in re.findall(r"[a-z]+", called.lower())] == \
        [singular(w) for w in re.findall(r"[a-z]+", said.lower())]


def _own_namesake(catalog: Catalog, metrics: list[str], refs: dict[DimKey, str], chosen: list[str],
                  said: str) -> list[str]:
    """"tickets by channel" where the tickets' own model has a contact channel and a joined store a channel: the
    metric's own dimension named by the word is the direct reading (as for values, nearest first) — unless the joined
    one is called exactly what was `said` and the own one's other words do not name its own rows ("visits by region":
    the clinic's Region, not the visit's Body region; "fuel purchases by state" is still the purchase's Fuel state)."""
    if len(chosen) != 1 or "__" not in chosen[0]:
        return chosen
    available = available_dimensions(catalog, metrics)  # once, not once per reference (_depth)
    if not available[chosen[0]].path:
        return chosen
    word = chosen[0].split("__")[-1]
    own = [r for r in dict.fromkeys(refs.values()) if "__" in r and r.split("__")[-1].endswith("_" + word)
           and not available[r].path]
    if len(own) != 1 or (not _says_its_own_rows(catalog, own[0], chosen[0])
                         and _plainly_named(available[chosen[0]].dimension, said)):
        return chosen
    return own


def _two_attributes(catalog: Catalog, metrics: list[str], refs: dict[DimKey, str], chosen: list[str]) -> bool:
    """True when the first two dimension references are both attributes (no entity, no entity's name) reached over
    as many joins: neither is the nearer reading nor the rows of a thing."""
    first = chosen[:2]
    if len(first) < 2 or any(by_name(catalog, refs, c) != c or c.endswith("_name") or "__" not in c
                             or c.split("__")[-1] == c.split("__")[0] for c in first):
        return False
    available = available_dimensions(catalog, metrics)
    depths = [len(available[c].path) for c in first if c in available]
    return len(depths) == 2 and depths[0] == depths[1]


def _named_after(text: str, end: int, ref: str) -> bool:
    """True when the Chinese right after a value (的 aside) is a rendering of a word of `ref` — its entity or its
    dimension ("中国的<供应商>" for supplier__supplier_country, "企业<账号>" for learner__account_type)."""
    after = re.match(r"\s*的?\s*([\u3400-\u9fff]{2,6})", text[end:])
    if after is None:
        return False
    glossary = load_glossary()
    words = {w for part in ref.split("__") for w in part.split("_") if w and w not in ("is", "has", "type", "name")}
    return any(after.group(1).startswith(r) for w in words for r in glossary.render(w) if len(r) >= 2)


def _flag_words_before(text: str, span: tuple[int, int], ref: str) -> tuple[int, int]:
    """`span` widened to the left over words of the flag dimension's name ("panel" of main_panel_upgrade)."""
    own = set(ref.split("__")[-1].split("_"))
    start = span[0]
    while m := re.search(r"([a-z]+)\s+$", text[:start]):
        if m.group(1) not in own:
            break
        start = m.start(1)
    return start, span[1]


def by_name(catalog: Catalog, refs: dict[DimKey, str], ref: str) -> str:
    """Rows of an entity ("by doctor", "top 5 doctors") are read by its name where its model has one (doctor_name),
    never by its keys."""
    if "__" in ref:
        return ref
    for sm in catalog.semantic_models:
        if any(e.name == ref and e.type == "primary" for e in sm.entities):
            # (in the order a model names its rows: doctor_name, name, then a listing's title or a product's label,
            # then the code or number people read it by: panel_code "SF-B-014" rather than the key 14)
            for wanted in (f"{ref}_name", "name", f"{ref}_title", "title", "display_name", "label", f"{ref}_code",
                           f"{ref}_number"):
                if any(d.name == wanted for d in sm.dimensions) and (sm.name, wanted) in refs:
                    return refs[(sm.name, wanted)]
    return ref


# words that say which kind of a thing, not which thing: asked as rows, the one dimension of the metric's rows so named
_KIND_OF_WORDS = frozenset({"type", "status", "category", "reason", "channel", "source", "level", "tier", "method"})
_KIND_OF_ZH = {"类型": "type", "种类": "type", "状态": "status", "类别": "category", "原因": "reason",
               "渠道": "channel", "来源": "source", "等级": "level", "级别": "level", "方式": "method"}


def one_kind_of(catalog: Catalog, word: str, low: str, metrics: list[str]) -> str | None:
    """The dimension "type" (类型, status, reason …) means, asked as rows ("by type", 按类型): the one of the
    metrics' own rows whose name ends so (incident_type), or None (none, several, or only through a join)."""
    said = _KIND_OF_ZH.get(word, word)
    at = low.find(word)
    if said not in _KIND_OF_WORDS or at < 0 or not _BY.search(low[max(0, at - 12) : at]):
        return None
    model = {model_of(catalog, m) for m in metrics}
    own = [ref for key, ref in reachable_refs(catalog, metrics).items() if "__" in ref and key[0] in model
           and (key[1] == said or key[1].endswith("_" + said))]
    return own[0] if len(own) == 1 else None

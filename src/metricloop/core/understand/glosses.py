"""A word glossed by the catalog's own spelling in parentheses: 担架（Stretcher）, 走分期付款（Financing）,
溶血（Haemolysed）的不算, ESY（Extended School Year）.

People asking in Chinese about a catalog written in English often give the value as the catalog spells it, in
parentheses after their own word for it. Once the value inside is placed, the word before it says the same thing
again: it is neither part of the metric's words (走 付款( )的助听器订单 read as a payment metric) nor a condition
nothing placed. Pure: text in, spans out.
"""
from __future__ import annotations

import re

from metricloop.core.text import CJK_RUN, has_cjk, tokens

# the parentheses around what a value filled ("(" and ")" once normalised)
_PARENS = re.compile(r"\(([^()]*)\)")
# words that end a gloss, read backwards from the parenthesis: what joins it to the sentence (用导管, 在临终关怀机构,
# 通过银行合作渠道), counts and measure words (多少张家庭卡), and the operators of a condition (不算外包老师)
_BOUNDARY = frozenset({
    "的", "了", "在", "用", "走", "通过", "经", "经过", "由", "从", "给", "被", "和", "与", "及", "或", "是", "为",
    "对", "把", "跟", "向", "按", "里", "中", "内", "外", "非", "不", "不算", "不含", "不包括", "除了", "除去", "去掉",
    "排除", "只看", "只", "多少", "几", "个", "张", "条", "次", "件", "台", "单", "份", "笔", "位", "名", "家", "辆",
    "趟", "场", "一共", "总共", "所有", "哪些", "哪个", "这些", "那些", "这个", "那个", "看", "有", "做", "办", "卖",
    "买", "来", "去", "以外", "之外", "以及", "还有", "其中", "属于", "类似"})
_MAX_WORDS = 4  # a gloss is a term, never a clause
_LATIN_BEFORE = re.compile(r"([a-z][a-z0-9&-]{1,9})\s*$")
_CJK_RUN_AT_END = re.compile(CJK_RUN.pattern + "$")


def glossed_spans(low: str, value_spans: list[tuple[int, int]],
                  taken: list[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """The spans of `low` (normalised question text) that restate a placed value: each pair of parentheses whose
    words are all inside `value_spans`, and the word right before it (a Chinese term, or in a Chinese question one
    latin abbreviation) — never into words already placed otherwise (`taken`: a time, a dimension)."""
    valued = {i for s, e in value_spans for i in range(s, e)}
    covered = valued | {i for s, e in taken for i in range(s, e)}
    out: list[tuple[int, int]] = []
    for m in _PARENS.finditer(low):
        inner = [i for i in range(m.start(1), m.end(1)) if not low[i].isspace()]
        if not inner or not all(i in valued for i in inner):
            continue
        out.append(m.span())
        gloss = _gloss_before(low, m.start(), covered)
        if gloss is not None:
            out.append(gloss)
    return out


def _gloss_before(low: str, paren: int, covered: set[int]) -> tuple[int, int] | None:
    end = paren
    while end > 0 and low[end - 1].isspace():
        end -= 1
    if end and low[end - 1] == "的":  # 损坏的（Damaged）: the particle belongs to the gloss
        end -= 1
    latin = _LATIN_BEFORE.search(low[:end]) if has_cjk(low) else None  # (in an English question, no gloss)
    if latin is not None:
        return latin.span(1) if not covered & set(range(*latin.span(1))) else None
    run = _CJK_RUN_AT_END.search(low[:end])
    if run is None:
        return None
    start = end
    for n, word in enumerate(reversed(tokens(run.group(0)))):
        if n >= _MAX_WORDS or word in _BOUNDARY or any(i in covered for i in range(start - len(word), start)):
            break
        start -= len(word)
    return (start, paren) if start < end else None


"""Dimension values spelled like everyday words ("People" the department, 人员): read as a filter only when
the question says so. Pure.

"how much time off did people take" is about everyone, and 外包人员 is "contract staff": the value People
was not meant. A value that is also a generic word for who or what is counted is kept only when it is
written as a name (capitalised mid-sentence: "headcount in People"), follows a condition cue ("in",
"for", "outside", 除了 …) or stands next to its dimension's word ("the People department"). Language only,
never a catalog's words.
"""
from __future__ import annotations

import re

# Words that usually name who or what is counted, not one value of a dimension.
GENERIC_WORDS = frozenset({
    "people", "person", "persons", "staff", "everyone", "everybody", "employees", "employee", "users", "user",
    "customers", "customer", "members", "member", "folks", "team", "teams", "workers", "humans", "personnel",
    "人员", "人", "员工", "大家", "人们", "用户", "客户", "成员", "团队",
})
_CUE = re.compile(r"(?:\b(?:in|for|from|at|within|outside|excluding|except|not|non|only|of)\s+(?:the\s+)?"
                  r"|除了|不含|不包括|非|在|属于|是)$")
# 那个营地, 这家店: a demonstrative points at the one place or thing said before it (犹他州那个营地 is the park in
# Utah), so the noun after it names that thing, never a value of a type dimension (a park type "Campground")
_DEMONSTRATIVE = re.compile(r"[那这](?:个|家|间|座|所)$")


def generic_unless_named(hits: list, raw: str, low: str) -> list:
    """`hits` without value hits that are generic words used as words (see the module docstring), nor the noun a
    demonstrative points at (那个营地)."""
    dim_spans = [h.span for h in hits if h.entry.kind == "dimension"]
    out = []
    for h in hits:
        word = low[h.start : h.end].strip()
        if h.entry.kind == "value" and word in GENERIC_WORDS and not said_as_value(h, raw, low, dim_spans):
            continue
        if h.entry.kind == "value" and _DEMONSTRATIVE.search(low[max(0, h.start - 2) : h.start]):
            continue
        out.append(h)
    return out


def said_as_value(h, raw: str, low: str, dim_spans: list[tuple[int, int]]) -> bool:  # noqa: ANN001 - a lexicon Hit
    """The words of value hit `h` are said as a value: written as a name, after a condition cue, or next to a
    dimension word ("the growth plan")."""
    written = raw[h.start : h.end]
    if written[:1].isupper() and h.start > 0 and written != written.upper():
        return True  # "headcount in People": capitalised mid-sentence, a name
    if _CUE.search(low[max(0, h.start - 16) : h.start]):
        return True
    return any(abs(s - h.end) <= 1 or abs(h.start - e) <= 1 for s, e in dim_spans)

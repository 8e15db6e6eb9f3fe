"""MetricFlow filter templates and structured filters → sqlglot predicates. Pure.

A template such as `{{ Dimension('order__status') }} != 'cancelled'` is handled in three steps: each
`{{ ... }}` call becomes a placeholder identifier, the rest is parsed by sqlglot, and the placeholders are
then replaced by resolved column expressions. Text is never pasted into SQL.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from metricloop.core.compile.sql import DATE_TYPE
from metricloop.core.query import Filter
from metricloop.core.time.calendar import GRAINS
from metricloop.errors import UserError

_CALL = re.compile(
    r"\{\{\s*(?P<kind>Dimension|TimeDimension|Entity)\s*\((?P<args>[^)]*)\)"
    r"(?:\s*\.\s*grain\s*\(\s*['\"](?P<grain>\w+)['\"]\s*\))?\s*\}\}"
)
_ARG = re.compile(r"""\s*['"]([^'"]*)['"]\s*""")
_PLACEHOLDER = "__mlref_{}__"
_FORBIDDEN = (exp.Query, exp.Subquery, exp.Command, exp.DDL, exp.DML)


@dataclass(frozen=True)
class TemplateRef:
    """One `{{ Dimension(...) }}`-style call: what it names and at which grain."""

    kind: str  # Dimension | TimeDimension | Entity
    name: str
    grain: str | None = None

    @property
    def ref(self) -> str:
        """The reference as a MetricQuery would spell it (`metric_time__month`, `customer__region`)."""
        return f"{self.name}__{self.grain}" if self.grain else self.name


@dataclass(frozen=True)
class ParsedFilter:
    expression: exp.Expression  # with placeholder columns
    refs: dict[str, TemplateRef]  # placeholder name → reference


def _parse_args(kind: str, args: str, grain: str | None, text: str) -> TemplateRef:
    parts = [a for a in args.split(",") if a.strip()]
    values = []
    for part in parts:
        m = _ARG.fullmatch(part)
        if not m:
            raise UserError(f"Cannot read the filter {text!r}: arguments must be quoted names.")
        values.append(m.group(1))
    if not values:
        raise UserError(f"Cannot read the filter {text!r}: {kind}() needs a name.")
    name = values[0]
    if kind == "TimeDimension" and len(values) > 1:
        grain = grain or values[1]
    if grain is not None and grain not in GRAINS:
        raise UserError(f"Unknown grain '{grain}' in filter {text!r}.")
    return TemplateRef(kind, name, grain)


@lru_cache(maxsize=1024)
def parse_filter(text: str, dialect: str = "duckdb") -> ParsedFilter:
    """Parse a MetricFlow filter template; the result still has placeholders (see `bind_filter`)."""
    refs: dict[str, TemplateRef] = {}

    def swap(m: re.Match) -> str:
        ph = _PLACEHOLDER.format(len(refs))
        refs[ph] = _parse_args(m.group("kind"), m.group("args"), m.group("grain"), text)
        return ph

    body = _CALL.sub(swap, text)
    if "{{" in body or "}}" in body:
        raise UserError(f"Cannot read the filter {text!r}: unsupported template call.")
    try:
        statements = [s for s in sqlglot.parse(body, read=dialect) if s is not None]
    except ParseError as exc:
        why = exc.errors[0]["description"] if exc.errors else exc
        raise UserError(f"Cannot read the filter {text!r}: {why}") from None
    if len(statements) != 1:
        raise UserError(f"The filter {text!r} must be one condition.")
    expression = statements[0]
    if any(isinstance(node, _FORBIDDEN) for node in expression.walk()):
        raise UserError(f"The filter {text!r} may only compare columns with values.")
    for col in expression.find_all(exp.Column):
        if col.name not in refs:
            raise UserError(
                f"The filter {text!r} names '{col.sql()}' directly; use {{{{ Dimension('entity__name') }}}}."
            )
    return ParsedFilter(expression, refs)


def bind_filter(parsed: ParsedFilter, resolve: Callable[[TemplateRef], exp.Expression]) -> exp.Expression:
    """Replace the placeholders by the column expressions `resolve` returns."""
    resolved = {ph: resolve(ref) for ph, ref in parsed.refs.items()}

    def swap(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and node.name in resolved:
            return resolved[node.name].copy()
        return node

    return parsed.expression.copy().transform(swap)


def literal(value: object) -> exp.Expression:
    """A Python value as a SQL literal (dates as DATE casts)."""
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, (int, float)):
        return exp.Literal.number(value)
    if isinstance(value, dt.date):
        return exp.cast(exp.Literal.string(value.isoformat()), DATE_TYPE)
    return exp.Literal.string(str(value))


def structured_filter(flt: Filter, column: exp.Expression) -> exp.Expression:
    """A structured `Filter` on an already-resolved column; values are bound as literals."""
    col = column.copy()
    values = [literal(v) for v in flt.values]
    op = flt.op
    if op in ("in", "not in"):
        cond: exp.Expression = exp.In(this=col, expressions=values)
        return exp.Not(this=cond) if op == "not in" else cond
    if op in ("like", "not like"):
        cond = exp.Like(this=col, expression=values[0])
        return exp.Not(this=cond) if op == "not like" else cond
    builders = {"=": exp.EQ, "!=": exp.NEQ, ">": exp.GT, ">=": exp.GTE, "<": exp.LT, "<=": exp.LTE}
    return builders[op](this=col, expression=values[0])

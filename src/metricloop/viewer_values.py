"""Dimension values as a row-limited viewer may see them (issue 11), and the boundary rules that use them.

The value index (adapters/value_index) is read as the operator, so on its own it would tell a regional manager
who sees only East that West exists: "revenue in Wst" suggested West, and "revenue in West" was answered (an
empty number) where "revenue in Narnia" was not. So for a viewer with row filters, the values of a dimension
are read through the compiler under the viewer's row filters — one governed MetricQuery per dimension: every
simple metric that reaches the dimension and can take the row filters, grouped by it — and:

- a question whose filter names a value outside those values is `denied` with the usual row-denial wording
  (`hidden_filter_values`, called by service.query, so every path — ask, follow-ups, picks, the CLI — gets it);
- a clarification offers only values the viewer may see (`scrub_clarification`);
- `--where` values are checked and respelled against the viewer's values only (service.check_filter_values).

Cached per (catalog, row filters, dimension) for `ttl_s`, and forgotten when the value index is refreshed.
The trusted operator and viewers without row filters never pay for this.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence

from metricloop.core.catalog.access import AccessDenied, Policy
from metricloop.core.catalog.graph import available_dimensions, model_key
from metricloop.core.catalog.model import Catalog, Metric
from metricloop.core.compile.compiler import compile_query
from metricloop.core.present.describe import dimension_labels
from metricloop.core.present.texts import say
from metricloop.core.query import Filter, MetricQuery
from metricloop.core.text import humanise
from metricloop.core.understand.coverage import unplaced_reply
from metricloop.core.understand.dims import reachable_refs
from metricloop.errors import UserError

log = logging.getLogger(__name__)
VALUE_OPS = ("=", "!=", "in", "not in")
_SEP = ", "


class ViewerValues:
    """The values of each dimension inside a policy's row filters, read through the compiler and cached."""

    def __init__(self, catalog: Callable[[], Catalog], warehouse, dialect: str = "duckdb",  # noqa: ANN001
                 schema: str | None = None, *, cap: int = 500, ttl_s: float = 600.0, timeout_s: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.catalog, self.warehouse, self.dialect, self.schema = catalog, warehouse, dialect, schema
        self.cap, self.ttl_s, self.timeout_s, self.clock = cap, ttl_s, timeout_s, clock
        self._cache: dict[tuple, tuple[float, tuple[str, ...] | None]] = {}
        self._lock = threading.Lock()

    def forget(self) -> None:
        """Drop every cached reading (the warehouse's values were refreshed)."""
        with self._lock:
            self._cache.clear()

    def visible(self, policy: Policy, ref: str) -> tuple[str, ...] | None:
        """The values of dimension `ref` in rows `policy` may see; None when the dimension has more than `cap`
        values (too varied to be a value list: not checked, the compiled row filter still guards the numbers).

        A dimension no metric can read under the row filters has no visible value (fail closed), and so has
        one whose values cannot be read now (not cached: the next question tries again)."""
        catalog = self.catalog()
        key = (catalog.digest, policy.row_filters, ref)
        now = self.clock()
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None and now - hit[0] < self.ttl_s:
                return hit[1]
        try:
            values = self._read(catalog, policy, ref)
        except Exception as exc:  # noqa: BLE001 - fail closed: nothing is shown or confirmed
            log.warning("values of %s under %s could not be read: %s", ref, policy.who, exc)
            return ()
        with self._lock:
            self._cache[key] = (now, values)
        return values

    def _read(self, catalog: Catalog, policy: Policy, ref: str) -> tuple[str, ...] | None:
        rows_only = Policy(None, policy.row_filters, policy.who)  # values of the viewer's rows, any metric
        by_model: dict[str, list[Metric]] = {}
        for metric in catalog.metrics:
            if metric.type != "simple" or metric.unsupported_reason or metric.measure is None or ref not in \
                    available_dimensions(catalog, [metric.name]):
                continue
            try:  # pure and memoised: drops metrics the row filters cannot be applied to (fail closed)
                compile_query(catalog, MetricQuery(metrics=(metric.name,), group_by=(ref,)), self.dialect,
                              schema=self.schema, policy=rows_only)
            except (AccessDenied, UserError, ValueError):
                continue
            found = catalog.find_measure(metric.measure.name)
            by_model.setdefault(found[0].name if found else metric.name, []).append(metric)
        # one metric without a filter reads every (guarded) row of its model, so it alone stands for the model;
        # a model whose metrics all filter their rows is read through all of them (the union of their rows)
        metrics = []
        for group in by_model.values():
            plain = [m.name for m in group if not m.filter and not m.measure.filter]
            metrics += plain[:1] or [m.name for m in group]
        if not metrics:
            return ()
        query = MetricQuery(metrics=tuple(metrics), group_by=(ref,))
        compiled = compile_query(catalog, query, self.dialect, schema=self.schema, policy=rows_only)
        table = self.warehouse.run(compiled, timeout_s=self.timeout_s, max_rows=self.cap + 1)
        values = tuple(dict.fromkeys(str(r[0]) for r in table.rows if r and r[0] is not None))
        return None if len(values) > self.cap or table.truncated else values

    def hidden_filter_values(self, policy: Policy, query: MetricQuery) -> list[str]:
        """The text values `query`'s filters name that the viewer's rows do not hold (empty: nothing hidden)."""
        if not policy.row_filters:
            return []
        hidden = []
        for flt in query.where:
            texts = _texts(flt)
            if not texts:
                continue
            seen = self.visible(policy, flt.dimension)
            if seen is None:
                continue
            known = {v.casefold() for v in seen}
            hidden += [t for t in texts if t.casefold() not in known]
        return hidden

    def hides(self, policy: Policy, index: Mapping[tuple[str, str], Sequence[str]], word: str) -> bool:
        """Whether `word` is a value of the operator's index that the viewer sees in none of the dimensions
        holding it (only those dimensions are read: a clarification offers a handful of words)."""
        if not policy.row_filters:
            return False
        refs = {sm.name: model_key(sm) for sm in self.catalog().semantic_models}
        folded = word.casefold()
        holders = [f"{refs.get(model, model)}__{dim}" for (model, dim), values in index.items()
                   if any(str(v).casefold() == folded for v in values)]
        return bool(holders) and not any(_holds(self.visible(policy, ref), word) for ref in holders)


def _texts(flt: Filter) -> list[str]:
    return [v for v in flt.values if isinstance(v, str)] if flt.op in VALUE_OPS else []


def clarify_for_viewer(values: ViewerValues, policy: Policy, catalog: Catalog, interpretation,  # noqa: ANN001
                       index: Mapping[tuple[str, str], Sequence[str]]) -> tuple[str | None, bool]:
    """A clarification as a row-limited viewer may read it: (its reason, whether to deny instead).

    A value that is in several dimensions ("north": bill region or ship region) is asked about only among
    the dimensions where the viewer's rows hold it, and denied when they hold it in none; the nearest values
    offered for words that could not be placed are only values the viewer may see."""
    lang, reason = interpretation.language, interpretation.reason
    for value, refs in (interpretation.clarify_dimension_values or {}).items():
        kept = [r for r in refs if _holds(values.visible(policy, r), value)]
        if not kept:
            return None, True
        if len(kept) < len(refs):
            reason = say("ambiguous_value", lang, value=value, dims=dimension_labels(catalog, kept, lang))
    fallback = offer_fallback(catalog, [o.metric for o in interpretation.options])
    return scrub_offer(reason, lang, lambda word: values.hides(policy, index, word), fallback), False


def hidden_as_unplaced(values: ViewerValues, policy: Policy, catalog: Catalog, metrics: list[str],
                       hidden: Sequence[str], lang: str, index: Mapping[tuple[str, str], Sequence[str]]) -> str:
    """The reply to a question naming values outside the viewer's rows, worded exactly as for a word that is no
    value at all ("revenue in West" reads like "revenue in Narnia"): a denial would confirm that West exists."""
    reason = unplaced_reply(catalog, index, [str(h).lower() for h in hidden], metrics, lang)
    return scrub_offer(reason, lang, lambda word: values.hides(policy, index, word),
                       offer_fallback(catalog, metrics)) or reason


def offer_fallback(catalog: Catalog, metrics: list[str]) -> list[str]:
    """What a clarification offers when nothing is near: the dimensions of the metrics (as the interpreter does)."""
    return [humanise(k[1]) for k in reachable_refs(catalog, metrics)] if metrics else []


def _holds(seen: tuple[str, ...] | None, value: str) -> bool:
    return seen is None or str(value).casefold() in {v.casefold() for v in seen}


def scrub_offer(reason: str | None, lang: str, hidden: Callable[[str], bool], fallback: Iterable[str]) -> str | None:
    """An "I could not place …; nearest …" clarification without the values `hidden` says the viewer may not see.

    When only hidden values were near, the offer becomes `fallback` (the dimensions, as for a word nothing
    is near), so a near miss of a hidden value reads exactly like a word that matches nothing."""
    if not reason:
        return reason
    head, _, tail = say("unplaced", lang, words="\x00", offer="\x01").partition("\x00")
    middle, _, end = tail.partition("\x01")
    if not (reason.startswith(head) and reason.endswith(end) and middle in reason):
        return reason
    words, _, offer = reason[len(head):len(reason) - len(end)].partition(middle)
    items = offer.split(_SEP)
    kept = [i for i in items if not hidden(i)]
    if len(kept) == len(items):
        return reason
    kept = kept or list(dict.fromkeys(fallback))[:5]
    return say("unplaced", lang, words=words, offer=_SEP.join(kept))

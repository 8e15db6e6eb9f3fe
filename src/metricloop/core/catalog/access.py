"""Who may see what, from loop.yml's `access` section: one identity in, one Policy out. Pure.

    access:
      default: open                      # open | closed: metrics no rule mentions
      groups:
        finance: ["U0ANA", ana@example.com, "@li.wei", "#finance-alerts"]   # ids, e-mails, handles, channels
        regional: ["@regional-managers"] # a Slack user group's handle works as a member too
        east_managers:
          members: ["@bo"]
          slack_groups: [S0EASTMGR, "@east-managers"]  # Slack user groups (ids or handles), optional
          rows: {customer__region: East} # row filters: they see only these rows of every metric
      domains: {finance: [finance]}      # domain → groups allowed
      metrics: {net_revenue: [finance]}  # per-metric rule (wins over the domain's)

`everyone` is a group every identity belongs to (a rule may list it; `default: closed` plus `everyone`
on a few metrics opens exactly those). A metric is visible when its rule (metric, else domain, else the
default) lets the identity in AND every metric it is built from is visible: a ratio over a restricted
metric is restricted too. Row filters of the identity's groups become MetricQuery-level `Filter`s that the
compiler adds to every measure it reads; several groups filtering one dimension widen each other (union),
filters on different dimensions all apply. The core never calls Slack: the adapter resolves a Slack user
into an `Identity` (id, e-mail, handle, and the user groups `access:` names that it is in, as written) and
hands that in. `None` is the trusted local operator (CLI without --user, scheduled jobs): every metric, every
row.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from metricloop.core.catalog.model import Catalog, Metric
from metricloop.core.query import Filter
from metricloop.errors import UserError

EVERYONE = "everyone"
DEFAULTS = ("open", "closed")


class AccessDenied(UserError):  # noqa: N818 - a kind of UserError, named for what happened
    """The identity may not see a metric of the query (or a row filter cannot be applied to it).

    The message names metrics only — never a value, a total or SQL — so it is safe to show anyone."""

    def __init__(self, message: str, *, metrics: Iterable[str] = (), rows: bool = False):
        super().__init__(message)
        self.metrics = list(metrics)
        self.rows = rows


def _norm(person: Any) -> str:
    """A member or identity name as compared: lower case, `<@U1>` → `u1`, `@ana` → `ana`, `#chan` kept."""
    text = str(person or "").strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].split("|", 1)[0]
    return text.lower().lstrip("@")


@dataclass(frozen=True)
class Identity:
    """The one identity the core sees: a Slack user (id, e-mail, handle, user groups) or a channel.

    A channel is an identity too (`#finance-alerts` / its id), so a group may list channels."""

    user_id: str | None = None
    email: str | None = None
    handle: str | None = None
    groups: frozenset[str] = frozenset()  # Slack user groups the person is in (ids and/or handles)

    @classmethod
    def of(cls, who: str) -> Identity:
        """An identity from one written name: an e-mail, a handle (`@ana`), a channel (`#x`) or an id."""
        text = who.strip()
        if "@" in text and not text.startswith("@"):
            return cls(email=text)
        if text.startswith(("@", "#")):
            return cls(handle=text)
        return cls(user_id=text)

    @property
    def names(self) -> frozenset[str]:
        """Every normalised name this identity answers to."""
        return frozenset(_norm(n) for n in (self.user_id, self.email, self.handle) if n)

    @property
    def label(self) -> str:
        """How logs name it."""
        return self.user_id or self.email or self.handle or "?"


@dataclass(frozen=True)
class Group:
    """One `access.groups` entry."""

    name: str
    members: tuple[str, ...] = ()
    slack_groups: tuple[str, ...] = ()
    rows: tuple[tuple[str, tuple[Any, ...]], ...] = ()  # (dimension, allowed values)

    def includes(self, identity: Identity) -> bool:
        """Whether `identity` is a member (by id, e-mail, handle, channel or Slack user group — a user group
        listed under `slack_groups` or, by its handle, among the members)."""
        if self.name == EVERYONE:
            return True
        members = {_norm(m) for m in self.members}
        if identity.names & members:
            return True
        return bool({_norm(g) for g in identity.groups} & ({_norm(g) for g in self.slack_groups} | members))


def _values(value: Any) -> tuple[Any, ...]:
    items = value if isinstance(value, (list, tuple)) else [value]
    return tuple(v for v in items if isinstance(v, (str, int, float, bool)))


def _group(name: str, spec: Any) -> Group:
    if isinstance(spec, Mapping):
        rows = spec.get("rows") or {}
        rows = tuple((str(d), _values(v)) for d, v in rows.items()) if isinstance(rows, Mapping) else ()
        return Group(name, tuple(str(m) for m in spec.get("members") or ()),
                     tuple(str(g) for g in spec.get("slack_groups") or ()), rows)
    return Group(name, tuple(str(m) for m in (spec or ()) if isinstance(spec, (list, tuple))))


def access_section(catalog: Catalog) -> dict[str, Any]:
    """loop.yml's `access` mapping ({} when absent or malformed)."""
    section = catalog.loop.get("access")
    return section if isinstance(section, dict) else {}


def groups_of(catalog: Catalog) -> dict[str, Group]:
    """Every configured group by name (plus `everyone`)."""
    raw = access_section(catalog).get("groups") or {}
    groups = {str(n): _group(str(n), s) for n, s in raw.items()} if isinstance(raw, Mapping) else {}
    groups.setdefault(EVERYONE, Group(EVERYONE))
    return groups


def allowed_groups(catalog: Catalog, metric: Metric) -> list[str] | None:
    """Groups the metric's own rule lets in, or None when no rule names it (the default applies)."""
    access = access_section(catalog)
    per_metric = (access.get("metrics") or {}).get(metric.name)
    if per_metric is not None:
        return [str(g) for g in per_metric]
    if metric.meta.domain:
        per_domain = (access.get("domains") or {}).get(metric.meta.domain)
        if per_domain is not None:
            return [str(g) for g in per_domain]
    return None


def metric_inputs(metric: Metric) -> list[str]:
    """Names a metric is computed from (ratio numerator/denominator, derived inputs); may be measures."""
    return [i.name for i in (metric.numerator, metric.denominator, *metric.metrics) if i is not None]


@dataclass(frozen=True)
class Policy:
    """What one identity (or everyone in a channel) may see: metrics and row filters.

    `visible=None` means every metric (the local operator). Two policies intersect (`&`) into what both
    may see: the metrics both see, and every row filter of both (ANDed)."""

    visible: frozenset[str] | None = None
    row_filters: tuple[Filter, ...] = ()
    who: str = "operator"
    groups: frozenset[str] = field(default_factory=frozenset)

    @property
    def unrestricted(self) -> bool:
        """True for the operator's policy: nothing hidden, no row filter."""
        return self.visible is None and not self.row_filters

    def can_see(self, metric: str) -> bool:
        """Whether the metric (with everything it is built from) is visible."""
        return self.visible is None or metric in self.visible

    def denied(self, metrics: Iterable[str]) -> list[str]:
        """The metrics of `metrics` this policy hides, in order."""
        return [m for m in metrics if not self.can_see(m)]

    def __and__(self, other: Policy) -> Policy:
        if self.visible is None:
            visible = other.visible
        elif other.visible is None:
            visible = self.visible
        else:
            visible = self.visible & other.visible
        rows = tuple(sorted(set(self.row_filters) | set(other.row_filters), key=_filter_key))
        return Policy(visible, rows, f"{self.who}&{other.who}", self.groups & other.groups)

    def narrower_than(self, other: Policy, metrics: Iterable[str]) -> bool:
        """Whether this policy shows less of `metrics` than `other` does (a metric hidden, or a row filter
        `other` does not have): then an answer under `other` must not be shown where this one applies."""
        if any(other.can_see(m) and not self.can_see(m) for m in metrics):
            return True
        return bool(set(self.row_filters) - set(other.row_filters))


OPERATOR = Policy()


def _filter_key(flt: Filter) -> tuple:
    return flt.dimension, flt.op, tuple(str(v) for v in flt.values)


def visible_metrics(catalog: Catalog, member_of: set[str]) -> frozenset[str]:
    """Metrics visible to someone in `member_of` groups (rules, the default, then inputs, transitively)."""
    closed = str(access_section(catalog).get("default") or "open").lower() == "closed"
    by_name = {m.name: m for m in catalog.metrics}
    memo: dict[str, bool] = {}

    def visible(name: str, trail: frozenset[str]) -> bool:
        if name in memo:
            return memo[name]
        metric = by_name.get(name)
        if metric is None:  # an input naming a measure (older MetricFlow specs): governed by its metric
            return True
        if name in trail:  # a cycle: the catalog check reports it; never open anything through it
            return False
        groups = allowed_groups(catalog, metric)
        ok = (not closed) if groups is None else bool(member_of & set(groups))
        ok = ok and all(visible(i, trail | {name}) for i in metric_inputs(metric))
        memo[name] = ok
        return ok

    return frozenset(m.name for m in catalog.metrics if visible(m.name, frozenset()))


def row_filters(groups: Iterable[Group]) -> tuple[Filter, ...]:
    """The row filters of these groups: per dimension the union of allowed values, as `in` Filters."""
    allowed: dict[str, list[Any]] = {}
    for group in groups:
        for dim, values in group.rows:
            bucket = allowed.setdefault(dim, [])
            bucket += [v for v in values if v not in bucket]
    return tuple(Filter(dimension=d, op="in", values=tuple(sorted(v, key=str)))
                 for d, v in sorted(allowed.items()) if v)


def effective_policy(catalog: Catalog, identity: Identity | str | None) -> Policy:
    """The Policy of one identity (a written name is read with `Identity.of`); None is the operator."""
    if identity is None:
        return OPERATOR
    if isinstance(identity, str):
        identity = Identity.of(identity)
    groups = [g for g in groups_of(catalog).values() if g.includes(identity)]
    names = {g.name for g in groups}
    return Policy(visible_metrics(catalog, names), row_filters(groups), identity.label, frozenset(names))


def can_see(catalog: Catalog, user: Identity | str | None, metric_name: str) -> bool:
    """True when `user` may see the metric (and everything it is built from); None is the operator."""
    if catalog.metric(metric_name) is None:
        return False
    return effective_policy(catalog, user).can_see(metric_name)

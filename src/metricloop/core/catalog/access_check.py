"""Validation of loop.yml's `access` section, like the rest of the catalog: every problem at once, each with
file, line and a did-you-mean. Pure: the loader hands in the file name and a line lookup.

A mistyped group, domain, metric, dimension or key would otherwise silently open or close metrics (an
unknown group in a rule lets nobody in; an unknown key is ignored), so each is an error, not a warning.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from metricloop.core.catalog.access import DEFAULTS, EVERYONE
from metricloop.core.catalog.graph import reachable
from metricloop.core.catalog.model import Catalog
from metricloop.core.query import METRIC_TIME
from metricloop.core.text import suggest
from metricloop.errors import CatalogProblem

LineOf = Callable[[tuple], "int | None"]
ACCESS_KEYS = ("default", "groups", "domains", "metrics")
GROUP_KEYS = ("members", "slack_groups", "rows")
# a Slack user/bot id (U…, W…, B…), a channel id (C…, G…, D…), an e-mail, an @handle or a #channel
_MEMBER = re.compile(r"^(<@)?[UWBCGD][A-Z0-9]{2,}>?$|^[^@\s]+@[^@\s]+\.[^@\s]+$|^[@#][\w.\-]+$")
# a Slack user group: its id (S…) or its handle (@regional-managers; Slack handles are lower case)
_USERGROUP = re.compile(r"^S[A-Z0-9]{2,}$|^@?[a-z0-9][a-z0-9._\-]*$")


class _Report:
    def __init__(self, file: str, line_of: LineOf) -> None:
        self.file, self.line_of, self.problems = file, line_of, []

    def add(self, path: tuple, message: str, near: list[str] | None = None) -> None:
        field = ".".join(["access", *(str(p) for p in path)])
        self.problems.append(CatalogProblem(self.file, self.line_of(("access", *path)), field, message,
                                            near[0] if near else None))

    def unknown(self, path: tuple, what: str, name: Any, known: list[str]) -> None:
        self.add(path, f"unknown {what} '{name}'", suggest(str(name), known))


def _dimensions(catalog: Catalog) -> list[str]:
    refs = {ref for model in catalog.semantic_models for ref, d in reachable(catalog, model).items()
            if d.dimension is not None}
    return sorted(refs)


def _check_group(report: _Report, name: str, spec: Any, dimensions: list[str]) -> None:
    if isinstance(spec, Mapping):
        for key in spec:
            if key not in GROUP_KEYS:
                report.unknown(("groups", name, key), "group key", key, list(GROUP_KEYS))
        members, slack_groups, rows = spec.get("members") or [], spec.get("slack_groups") or [], spec.get("rows")
    elif isinstance(spec, list):
        members, slack_groups, rows = spec, [], None
    else:
        report.add(("groups", name), "a group is a list of members, or a mapping of members, slack_groups, rows")
        return
    for where, items in (("members", members), ("slack_groups", slack_groups)):
        if not isinstance(items, list):
            report.add(("groups", name, where), "expected a list")
            continue
        for i, member in enumerate(items):
            if where == "members" and not (isinstance(member, str) and _MEMBER.match(member.strip())):
                path = ("groups", name, i) if isinstance(spec, list) else ("groups", name, where, i)
                report.add(path, f"'{member}' is not a Slack user id, e-mail, @handle or #channel")
            elif where == "slack_groups" and not (isinstance(member, str) and _USERGROUP.match(member.strip())):
                near = [_as_handle(member)] if isinstance(member, str) and _as_handle(member) != "@" else None
                report.add(("groups", name, where, i),
                           f"'{member}' is not a Slack user group id (S…) or @handle", near)
    if rows is not None:
        _check_rows(report, name, rows, dimensions)


def _as_handle(name: str) -> str:
    """How it was probably meant: a mention `<!subteam^S0X|@x>` → its id `S0X`; 'Regional Managers' →
    '@regional-managers' (how Slack spells a handle)."""
    mention = re.search(r"subteam\^(S[A-Z0-9]{2,})", name)
    if mention:
        return mention.group(1)
    return "@" + re.sub(r"[^a-z0-9._\-]+", "-", name.strip().lstrip("@").lower()).strip("-")


def _check_rows(report: _Report, group: str, rows: Any, dimensions: list[str]) -> None:
    if not isinstance(rows, Mapping):
        report.add(("groups", group, "rows"), "expected a mapping of dimension → allowed value(s)")
        return
    for dim, values in rows.items():
        path = ("groups", group, "rows", dim)
        if dim == METRIC_TIME or str(dim).startswith(METRIC_TIME + "__"):
            report.add(path, "row filters limit dimensions, not time")
        elif dim not in dimensions:
            tail = str(dim).rsplit("__", 1)[-1]
            near = suggest(str(dim), dimensions) or [d for d in dimensions if d.endswith("__" + tail)]
            report.unknown(path, "dimension", dim, near or dimensions)
        items = values if isinstance(values, list) else [values]
        if not items or not all(isinstance(v, (str, int, float, bool)) for v in items):
            report.add(path, "expected a value or a list of values")


def _check_rule(report: _Report, section: str, rules: Any, known: list[str], what: str, groups: list[str]) -> None:
    if rules is None:
        return
    if not isinstance(rules, Mapping):
        report.add((section,), f"expected a mapping of {what} → groups")
        return
    for name, allowed in rules.items():
        if name not in known:
            report.unknown((section, name), what, name, known)
        if not isinstance(allowed, list):
            report.add((section, name), "expected a list of groups")
            continue
        for i, group in enumerate(allowed):
            if group not in groups:
                report.unknown((section, name, i), "group", group, groups)


def validate_access(catalog: Catalog, file: str, line_of: LineOf) -> list[CatalogProblem]:
    """Every problem of `catalog.loop['access']`; `line_of(("access", "groups", "finance"))` gives lines."""
    access = catalog.loop.get("access")
    if access is None:
        return []
    report = _Report(file, line_of)
    if not isinstance(access, Mapping):
        report.add((), "expected a mapping with default, groups, domains, metrics")
        return report.problems
    for key in access:
        if key not in ACCESS_KEYS:
            report.unknown((key,), "access key", key, list(ACCESS_KEYS))
    default = access.get("default", "open")
    if str(default).lower() not in DEFAULTS:
        report.add(("default",), f"'{default}' is not a default policy (open or closed)",
                   suggest(str(default), list(DEFAULTS)) or ["open"])
    groups = access.get("groups") or {}
    if not isinstance(groups, Mapping):
        report.add(("groups",), "expected a mapping of group → members")
        groups = {}
    dimensions = _dimensions(catalog)
    for name, spec in groups.items():
        _check_group(report, str(name), spec, dimensions)
    names = sorted({*map(str, groups), EVERYONE})
    domains = sorted({m.meta.domain for m in catalog.metrics if m.meta.domain})
    _check_rule(report, "domains", access.get("domains"), domains, "domain", names)
    _check_rule(report, "metrics", access.get("metrics"), [m.name for m in catalog.metrics], "metric", names)
    return report.problems

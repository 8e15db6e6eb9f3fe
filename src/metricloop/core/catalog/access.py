"""Who may see which metric, from loop.yml's `access` section. Pure.

    access:
      groups: {finance: [U123, ana@example.com]}
      domains: {finance: [finance]}        # domain → groups allowed; unlisted domains are open
      metrics: {net_revenue: [finance]}    # per-metric override
"""
from __future__ import annotations

from metricloop.core.catalog.model import Catalog, Metric


def allowed_groups(catalog: Catalog, metric: Metric) -> list[str] | None:
    """Groups allowed to see a metric, or None when it is open to everyone."""
    access = catalog.loop.get("access") or {}
    per_metric = (access.get("metrics") or {}).get(metric.name)
    if per_metric is not None:
        return list(per_metric)
    if metric.meta.domain:
        per_domain = (access.get("domains") or {}).get(metric.meta.domain)
        if per_domain is not None:
            return list(per_domain)
    return None


def can_see(catalog: Catalog, user: str | None, metric_name: str) -> bool:
    """True when `user` may see the metric.

    `user=None` is the local operator (CLI, terminal chat, scheduled jobs run by the admin) and is trusted;
    every chat user is named (a Slack user id, or an email/handle listed in a group) and checked.
    """
    metric = catalog.metric(metric_name)
    if metric is None:
        return False
    groups = allowed_groups(catalog, metric)
    if groups is None or user is None:
        return True
    members = (catalog.loop.get("access") or {}).get("groups") or {}
    return any(user in (members.get(g) or []) for g in groups)

"""Who gets a digest: loop.yml's `digest.channels` and every user following metrics.

    digest:
      grain: day                      # or week / month: the latest complete period is reported
      channels:
        "#exec-daily": [revenue, orders]              # a channel id or a #name → its metrics
        C0FINANCE: {metrics: [net_revenue], language: zh}
    channels:
      "#exec-daily": {language: zh}   # a channel's language (core/loop/routing.channel_language)

A channel digest is read as the channel (loop.yml's access groups may list channels); a user's digest as that
user, so access rules apply to both exactly as they do to answers.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from metricloop.core.catalog.model import Catalog
from metricloop.core.loop.routing import channel_language


@dataclass(frozen=True)
class DigestTarget:
    """One digest recipient: a channel (id or #name) or a user id, its metrics and its language."""

    key: str
    kind: Literal["channel", "user"]
    metrics: tuple[str, ...]
    language: str = "en"

    @property
    def identity(self) -> str:
        """Whose access rules the digest's queries run under."""
        return self.key


def digest_grain(catalog: Catalog) -> str:
    """loop.yml `digest.grain` (day by default)."""
    section = catalog.loop.get("digest") or {}
    return str(section.get("grain") or "day") if isinstance(section, dict) else "day"


def channel_targets(catalog: Catalog) -> list[DigestTarget]:
    """The channels in `digest.channels`, in loop.yml's order, with their metrics and language."""
    section = catalog.loop.get("digest") or {}
    channels = section.get("channels") if isinstance(section, dict) else None
    out = []
    for key, value in (channels or {}).items():
        settings: dict[str, Any] = value if isinstance(value, dict) else {"metrics": value}
        metrics = tuple(str(m) for m in settings.get("metrics") or ())
        language = settings.get("language") or channel_language(catalog.loop, str(key))
        out.append(DigestTarget(str(key), "channel", metrics, "zh" if str(language).startswith("zh") else "en"))
    return out


def user_targets(catalog: Catalog, store: Any) -> list[DigestTarget]:
    """Every user following at least one catalog metric, with the metrics they follow (English)."""
    users = sorted({u for m in catalog.metrics for u in store.followers(m.name)})
    known = {m.name for m in catalog.metrics}
    return [DigestTarget(u, "user", tuple(m for m in store.follows(u) if m in known)) for u in users]


def digest_targets(catalog: Catalog, store: Any) -> list[DigestTarget]:
    """All digest recipients: the configured channels, then the following users."""
    return [*channel_targets(catalog), *user_targets(catalog, store)]

"""Block Kit for the digest, in the channel's language, and the poster that puts it (and its sparklines) in Slack.

Layout: header (the period reported) · per tier, a bold tier line then one section per metric (name and
value, changes, target progress, and open alerts / overdue actions / missing data as a warning line) · the
sparkline image in the digest's thread. Words come from core/loop/digest_text, numbers from formatting, so a
digest reads exactly like an answer. A channel configured as ``#name`` is posted to by id (slack/channel_ids):
the stored (channel, ts) is the one replies in the thread carry, and one Slack lacks fails with a clear message.
"""
from __future__ import annotations

import logging
from typing import Any

from metricloop.core.catalog.model import Catalog
from metricloop.core.loop.digest import Digest
from metricloop.core.loop.digest_text import digest_title, line_text
from metricloop.core.present.texts import say
from metricloop.errors import log_internal_error
from metricloop.slack.channel_ids import ChannelIds
from metricloop.slack.limits import HEADER_MAX, MAX_BLOCKS, SECTION_MAX

log = logging.getLogger(__name__)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def digest_blocks(catalog: Catalog, digest: Digest, lang: str = "en") -> list[dict[str, Any]]:
    """The digest as Slack blocks (at most Slack's 50; lines beyond that are left out, least moved first)."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _clip(digest_title(digest, lang), HEADER_MAX)}}]
    for tier, lines in digest.sections:
        if len(blocks) >= MAX_BLOCKS - 1:
            break
        blocks.append({"type": "context", "block_id": f"tier_{tier}",
                       "elements": [{"type": "mrkdwn", "text": f"*{say(f'tier_{tier}', lang)}*"}]})
        for line in lines:
            if len(blocks) >= MAX_BLOCKS:
                break
            words = line_text(catalog, line, digest.grain, lang)
            text = f"*{_esc(words.name)}*   {_esc(words.value)}"
            if words.details:
                text += "\n" + " · ".join(_esc(d) for d in words.details)
            if words.notes:
                text += "\n:warning: " + " · ".join(_esc(n) for n in words.notes)
            blocks.append({"type": "section", "block_id": f"metric_{line.metric}"[:255],
                           "text": {"type": "mrkdwn", "text": _clip(text, SECTION_MAX)}})
    return blocks


class SlackDigestPoster:
    """Posts a digest to a channel (id or #name) or a user (their DM), with the sparklines in its thread."""

    def __init__(self, client: Any, catalog: Catalog, chart_renderer: Any = None,
                 channels: ChannelIds | None = None) -> None:
        self.client, self.catalog, self.chart_renderer = client, catalog, chart_renderer
        self.channels = channels or ChannelIds(client)

    def post(self, channel: str, digest: Digest, lang: str, chart: dict[str, Any] | None) -> tuple[str, str]:
        """Post the digest; return (channel id, ts). A failed chart upload is logged, never fatal; a channel
        Slack does not have (or the bot is not in) raises slack/channel_ids.ChannelNotFound, nothing posted."""
        posted = self.client.chat_postMessage(channel=self.channels.resolve(channel), text=digest_title(digest, lang),
                                              blocks=digest_blocks(self.catalog, digest, lang))
        channel_id, ts = posted["channel"], posted["ts"]
        if chart is not None and self.chart_renderer is not None:
            try:
                self.client.files_upload_v2(channel=channel_id, thread_ts=ts, filename="digest.png",
                                            content=self.chart_renderer.render_png(chart),
                                            title=chart["title"]["text"], alt_txt=say("digest_chart_alt", lang))
            except Exception as exc:  # noqa: BLE001 - the digest is posted; a missing chart is only logged
                log_internal_error(exc, f"digest chart upload to {channel_id}/{ts}")
        return channel_id, ts

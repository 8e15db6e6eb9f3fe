"""The "Teach this word" button on a reply that could not place a word, and the modal it opens: the words prefilled
from the reply, what they mean prefilled with the metric offered first. Submitting it runs the same teaching as
`/metrics teach <words> = <meaning>` (slack/listeners/teaching.py), with the same rules: a metric's owner teaches
its words, any metric's owner a dimension's or a value's."""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from metricloop.core.present.texts import say
from metricloop.slack.loop_blocks import input_block, modal_view, read_metadata, state_value

TEACH_OPEN_ACTION = "ml_teach_open"
TEACH_VIEW = "ml_teach_view"
WORDS_INPUT = "ml_teach_words"
MEANS_INPUT = "ml_teach_means"
_WORDS_MAX = 100  # a phrase people say, never a sentence
_MEANS_MAX = 150  # a metric's name or label, or "dimension: value"
_VALUE_MAX = 2000  # Slack's limit on a button's value


def teach_value(phrase: str, means: str, lang: str) -> str:
    """The button's value: the words, what they likely mean, the reply's language (within Slack's limit)."""
    return json.dumps({"p": phrase[:_WORDS_MAX], "m": means[:_MEANS_MAX], "l": lang}, ensure_ascii=False,
                      separators=(",", ":"))[:_VALUE_MAX]


def read_teach_value(value: str) -> tuple[str, str, str]:
    """(words, meaning, language) from a button's value; empty strings (and English) when unreadable."""
    try:
        data = json.loads(value or "{}")
    except ValueError:
        data = {}
    data = data if isinstance(data, dict) else {}
    return str(data.get("p") or ""), str(data.get("m") or ""), str(data.get("l") or "en")


def teach_modal(phrase: str, means: str, *, channel: str | None, ts: str | None, lang: str = "en") -> dict[str, Any]:
    """The modal: the words and what they mean, both editable; where to say the outcome kept in its metadata."""
    words = {"type": "plain_text_input", "max_length": _WORDS_MAX, **({"initial_value": phrase} if phrase else {})}
    meaning = {"type": "plain_text_input", "max_length": _MEANS_MAX, **({"initial_value": means} if means else {})}
    blocks = [
        {"type": "context", "block_id": "ml_teach_about",
         "elements": [{"type": "mrkdwn", "text": say("teach_modal_about", lang)}]},
        input_block(WORDS_INPUT, say("teach_words_label", lang), words),
        input_block(MEANS_INPUT, say("teach_means_label", lang), meaning),
    ]
    metadata = json.dumps({"channel": channel, "ts": ts, "lang": lang})
    return modal_view(TEACH_VIEW, "teach_modal_title", blocks, metadata, lang)


def read_teach_form(view: Mapping[str, Any]) -> tuple[str | None, dict[str, str], dict[str, Any]]:
    """(`<words> = <meaning>` as `/metrics teach` takes it, or None; the errors to show; the modal's metadata)."""
    meta = read_metadata(view)
    words = (state_value(view, WORDS_INPUT) or "").strip()
    means = (state_value(view, MEANS_INPUT) or "").strip()
    if not words or not means:
        empty = say("teach_empty", meta.get("lang") or "en")
        return None, {block: empty for block, text in ((WORDS_INPUT, words), (MEANS_INPUT, means)) if not text}, meta
    return f"{words} = {means}", {}, meta

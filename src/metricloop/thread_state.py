"""One conversation model for every front end: what a thread (Slack) or a session (terminal) remembers.

Pure data. `MetricService.ask_in_thread(state, text)` answers one turn and returns the next state;
the Slack front end keeps it in the store per thread (`to_dict` / `from_dict`, JSON-safe), the
terminal chat in memory. Follow-ups read `context`; a clarification leaves `question` and `options`
pending, so the next turn may pick one ("2", or a button in Slack).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from typing import Any

from metricloop.core.answer import Answer
from metricloop.core.query import MetricQuery

log = logging.getLogger(__name__)
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class ThreadState:
    """The last answered query (context), its language, and a clarification awaiting a pick."""

    context: MetricQuery | None = None
    language: str = "en"
    question: str | None = None  # the question the pending options clarify
    options: tuple[str, ...] = ()  # metric names offered, in the order shown (1-based for people)

    def picked(self, text: str) -> str | None:
        """The metric a person picked by typing its number ("2"), if `text` is one of the offered numbers."""
        text = text.strip()
        if not self.options or not _NUMBER.fullmatch(text):
            return None
        index = int(text) - 1
        return self.options[index] if 0 <= index < len(self.options) else None

    def after(self, answer: Answer, question: str | None) -> ThreadState:
        """The state once `answer` (to `question`) was given.

        An answer becomes the context (and settles any pending choice); a clarification or a no-match
        leaves its options pending; anything else (an error, a refusal) changes nothing.
        """
        if answer.status == "answered" and answer.query is not None:
            return ThreadState(context=answer.query, language=answer.language)
        if answer.status in ("clarify", "no_match"):
            return replace(self, question=question, options=tuple(o.metric for o in answer.options))
        return self

    @property
    def blank(self) -> bool:
        """Nothing worth remembering yet (no context, nothing pending)."""
        return self.context is None and not self.options

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form for the store (keys only when set: an answered thread is {"query", "language"})."""
        data: dict[str, Any] = {"language": self.language}
        if self.context is not None:
            data["query"] = self.context.model_dump(mode="json")
        if self.options:
            data["question"] = self.question
            data["options"] = list(self.options)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ThreadState:
        """Read a stored state; a context written by an older catalog or contract is dropped, not fatal."""
        data = data or {}
        try:
            context = MetricQuery.model_validate(data["query"]) if data.get("query") else None
        except ValueError:
            log.info("dropping an unreadable thread context")
            context = None
        return cls(context=context, language=data.get("language", "en"), question=data.get("question"),
                   options=tuple(data.get("options") or ()))

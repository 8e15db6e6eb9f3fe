"""A question in Slack, answered in its thread: thinking reaction, answer blocks, chart, thread context.

This is the slow half of every listener (it runs in Bolt's lazy threads). It knows the service,
the durable store and a WebClient; it never sees Bolt request objects, only parsed payloads.
Failures never reach the user as tracebacks: a Slack API error or a bug is logged with an id and
the user gets a short apology quoting it.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from metricloop.adapters.charts import ChartRenderer
from metricloop.core.answer import Answer
from metricloop.core.catalog.access import AccessDenied
from metricloop.core.catalog.model import Metric
from metricloop.core.present.chart_spec import chart_spec
from metricloop.core.present.texts import say
from metricloop.core.query import MetricQuery
from metricloop.core.text import has_cjk
from metricloop.errors import log_internal_error
from metricloop.ports import ThreadStore
from metricloop.service import MetricService, denied_answer
from metricloop.slack import blocks as bk
from metricloop.slack import deliveries
from metricloop.slack import messages as msg
from metricloop.slack.audience import Audience, Viewer
from metricloop.slack.audit_listener import audit_question
from metricloop.slack.payloads import Click, Question
from metricloop.thread_state import ThreadState

log = logging.getLogger(__name__)
THINKING_REACTION = "hourglass_flowing_sand"


@dataclass
class Conversation:
    """Answers questions and clicks in Slack threads; each thread's ThreadState lives in the store.

    What a turn means (follow-ups, clarifications, picks) is the service's conversation model,
    shared with the terminal chat; this class only carries it between Slack and the store.
    """

    service: MetricService
    store: ThreadStore
    client: WebClient
    chart_renderer: ChartRenderer | None = None  # None: no charts
    audience: Audience | None = None  # who reads what is posted (access policies); built from the client if None

    def __post_init__(self) -> None:
        if self.audience is None:
            self.audience = Audience(self.client, lambda: self.service.catalog)

    @property
    def metrics(self) -> dict[str, Metric]:
        return {m.name: m for m in self.service.catalog.metrics}

    # -- thread state ---------------------------------------------------------------------------------
    def state(self, channel: str, thread_ts: str | None) -> ThreadState:
        """The thread's conversation state (survives restarts: it lives in the store)."""
        if thread_ts is None:
            return ThreadState()
        return ThreadState.from_dict(self.store.load_thread(channel, thread_ts))

    def context(self, channel: str, thread_ts: str) -> MetricQuery | None:
        """The last query answered in this thread."""
        return self.state(channel, thread_ts).context

    # -- entry points (called from lazy listeners) ----------------------------------------------------
    def answer_question(self, question: Question) -> None:
        """Answer in the question's thread, with a thinking reaction while working."""
        self._guarded(question.channel, question.thread_ts, lambda: self._answer_question(question))

    def _answer_question(self, q: Question) -> None:
        reacted = self._react(q.channel, q.ts, add=True)
        started, answer = time.perf_counter(), None
        try:
            viewer = self.audience.viewer(q.user, q.channel)
            answer, state = self.service.ask_in_thread(self.state(q.channel, q.thread_ts), q.text, user=viewer.asker)
            self.post_answer(answer, q.channel, q.thread_ts, question=q.text, state=state, viewer=viewer, user=q.user)
        finally:  # audited once the answer is out (or failed to go out), off the way of the answer itself
            audit_question(self.store, user=q.user, channel=q.channel, text=q.text, answer=answer, started=started)
            if reacted:
                self._react(q.channel, q.ts, add=False)

    def answer_command(self, text: str, *, user: str, channel: str, respond: Callable[..., Any]) -> None:
        """`/metrics <question>`: answered in the channel (see post_answer), else through the response_url."""
        def work() -> None:
            started = time.perf_counter()
            viewer = self.audience.viewer(user, channel)
            answer, state = self.service.ask_in_thread(ThreadState(), text, user=viewer.asker)
            try:
                self.post_answer(answer, channel, None, question=text, respond=respond, state=state, viewer=viewer,
                                 user=user)
            finally:
                audit_question(self.store, user=user, channel=channel, text=text, answer=answer, started=started,
                               via="command")

        lang = self.language_of(text)
        self.guarded_call(work, on_error=lambda error_id: respond(
            response_type="ephemeral", text=msg.error_generic(lang), blocks=bk.error_blocks(None, error_id, lang)))

    def answer_choice(self, click: Click) -> None:
        """A clarify/no-match button: answer the original question with the chosen metric, same thread."""
        self._guarded(click.channel, click.thread_ts, lambda: self._answer_choice(click))

    def _answer_choice(self, click: Click) -> None:
        started = time.perf_counter()
        metric, question = bk.parse_clarify_value(click.value)
        viewer = self.audience.viewer(click.user, click.channel)
        answer, state = self.service.pick_in_thread(self.state(click.channel, click.thread_ts), metric, question,
                                                    user=viewer.asker)
        try:
            self.post_answer(answer, click.channel, click.thread_ts, question=question, state=state, viewer=viewer,
                             user=click.user)
        finally:
            audit_question(self.store, user=click.user, channel=click.channel, text=question, answer=answer,
                           started=started, via="choice")

    def show_sql(self, click: Click) -> None:
        """Post the compiled SQL of an answer in its thread."""
        self._guarded(click.channel, click.thread_ts, lambda: self._show_sql(click))

    def _show_sql(self, click: Click) -> None:
        # Never the SQL in the button (a click can carry anything): the thread's query, compiled for whoever
        # clicked — their row filters in it — or their denial; shown to them alone unless the room may see it.
        query = self.context(click.channel, click.thread_ts)
        lang = self.state(click.channel, click.thread_ts).language
        viewer = self.audience.viewer(click.user, click.channel)
        text, sql = msg.sql_title(lang), None
        try:
            sql = self.service.explain(query, user=viewer.asker) if query else None
            blocks = bk.sql_blocks(sql, lang) if sql else bk.error_blocks(None, lang=lang)
        except AccessDenied as exc:
            text = denied_answer(query, exc, lang).message or ""
            blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
        if sql is None or viewer.private(list(query.metrics)):
            self.client.chat_postEphemeral(channel=click.channel, user=click.user, thread_ts=click.thread_ts,
                                           text=text, blocks=blocks)
            return
        self.client.chat_postMessage(channel=click.channel, thread_ts=click.thread_ts, text=text, blocks=blocks)

    # -- rendering ------------------------------------------------------------------------------------
    def post_answer(self, answer: Answer, channel: str, thread_ts: str | None, *, question: str | None = None,
                    respond: Callable[..., Any] | None = None, state: ThreadState | None = None,
                    viewer: Viewer | None = None, user: str | None = None) -> None:
        """Post an answer in the thread, keep the thread's next `state`, and upload the chart there.

        Without a thread (a /metrics answer) it becomes a channel message the bot owns, whose thread takes
        follow-ups and the chart. `respond` (the command's response_url) carries anything but an answer,
        and an answer the bot cannot post in the channel (not a member).
        """
        metrics = self.metrics
        shown = self.service.for_display(answer, user=viewer.asker if viewer else None)
        if viewer is not None and viewer.room is not None:  # a clarification offers only what the room may see
            shown = self.service.for_readers(shown, viewer.shared)
        if viewer is not None and user and shown.status == "answered" and viewer.private(shown.metrics):
            self._post_privately(shown, channel, thread_ts, user, respond)
            return
        if shown.status == "answered":
            blocks = bk.answer_blocks(shown, metrics, sql_ref=f"ref:{thread_ts or 'command'}")
        else:
            blocks = bk.blocks_for(shown, metrics, question=question)
        text = bk.fallback_text(shown, metrics)
        if deliveries.is_late():  # taken over after a restart (slack/durable): say so before the answer
            note = say("late_answer", answer.language)
            blocks = [{"type": "context", "elements": [{"type": "mrkdwn", "text": note}]}, *blocks]
            text = f"{note}\n{text}"
        if respond is not None and shown.status != "answered":
            respond(text=text, blocks=blocks, response_type="in_channel", replace_original=False)
            deliveries.answered()
            return
        try:
            posted = self.client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text, blocks=blocks,
                                                  metadata=deliveries.answer_metadata())
        except SlackApiError as exc:
            if respond is None:
                raise
            log.info("/metrics answer via response_url: %s", exc.response.get("error"))
            respond(text=text, blocks=blocks, response_type="in_channel", replace_original=False)
            deliveries.answered()
            self._upload_chart(answer, metrics, channel, None)
            return
        deliveries.answered()  # recorded now: a restart during the chart upload must not answer twice
        anchor = thread_ts or posted["ts"]
        if state is not None and not state.blank:
            self.store.save_thread(channel, anchor, state.to_dict())
        self._upload_chart(answer, metrics, channel, anchor)

    def _post_privately(self, shown: Answer, channel: str, thread_ts: str | None, user: str,
                        respond: Callable[..., Any] | None) -> None:
        """An answer some members of the channel may not see: to the asker alone, saying why (no chart, no
        thread state: nothing of it stays in the channel)."""
        metrics = self.metrics
        note = say("access_private", shown.language, metrics=", ".join(shown.metrics))
        blocks = [{"type": "context", "elements": [{"type": "mrkdwn", "text": note}]},
                  *bk.answer_blocks(shown, metrics, show_sql_button=False)]
        text = f"{note}\n{bk.fallback_text(shown, metrics)}"
        if respond is not None:
            respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)
        else:
            self.client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, text=text, blocks=blocks)
        deliveries.answered()

    def _upload_chart(self, answer: Answer, metrics: dict[str, Metric], channel: str, thread_ts: str | None) -> None:
        if self.chart_renderer is None:
            return
        spec = chart_spec(answer, metrics, answer.language)
        if spec is None:
            return
        title = answer.interpretation or ", ".join(answer.metrics)
        try:
            png = self.chart_renderer.render_png(spec)
            self.client.files_upload_v2(channel=channel, thread_ts=thread_ts, content=png, filename="chart.png",
                                        title=title, alt_txt=msg.chart_alt(title, answer.language))
        except Exception as exc:  # noqa: BLE001 - the answer is already posted; a missing chart is logged
            log_internal_error(exc, f"chart upload to {channel}/{thread_ts}")

    # -- plumbing -------------------------------------------------------------------------------------
    def _react(self, channel: str, ts: str, *, add: bool) -> bool:
        method = self.client.reactions_add if add else self.client.reactions_remove
        try:
            method(channel=channel, timestamp=ts, name=THINKING_REACTION)
            return True
        except SlackApiError as exc:  # e.g. missing scope or already reacted: the answer matters more
            log.info("reaction %s failed: %s", "add" if add else "remove", exc.response.get("error"))
            return False

    @staticmethod
    def language_of(text: str | None) -> str:
        """The reply language for text typed before the understander has seen it: Chinese if it has Han."""
        return "zh" if text and has_cjk(text) else "en"

    @staticmethod
    def guarded_call(work: Callable[[], Any], on_error: Callable[[str], Any] | None = None) -> None:
        """Run `work`; on any failure log it with an id and call `on_error(id)` (itself guarded)."""
        try:
            work()
        except Exception as exc:  # noqa: BLE001 - never let a traceback reach Slack (or kill the worker)
            error_id = log_internal_error(exc, "slack listener")
            if on_error is not None:
                try:
                    on_error(error_id)
                except Exception:  # noqa: BLE001 - if even the apology fails, the log has it all
                    log.warning("could not tell the user about error %s", error_id, exc_info=True)

    def _guarded(self, channel: str, thread_ts: str | None, work: Callable[[], None]) -> None:
        """Run `work`; on failure apologise briefly in the thread, quoting the logged error id."""
        self.guarded_call(work, on_error=lambda error_id: self.apologise(channel, thread_ts, error_id))

    def apologise(self, channel: str, thread_ts: str | None, error_id: str, lang: str = "en") -> None:
        """A short apology in the thread with the error id."""
        self.client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=msg.error_generic(lang),
                                     blocks=bk.error_blocks(None, error_id, lang))

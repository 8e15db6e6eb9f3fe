"""A question in Slack, answered in its thread: thinking reaction, answer blocks, chart, thread context.

This is the slow half of every listener (it runs in Bolt's lazy threads). It knows the service,
the durable store and a WebClient; it never sees Bolt request objects, only parsed payloads.
Failures never reach the user as tracebacks: a Slack API error or a bug is logged with an id and
the user gets a short apology quoting it.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from metricloop.core.answer import Answer
from metricloop.core.catalog.model import Metric
from metricloop.core.present.chart_spec import chart_spec
from metricloop.core.query import MetricQuery
from metricloop.core.text import has_cjk
from metricloop.errors import log_internal_error
from metricloop.slack import blocks as bk
from metricloop.slack import messages as msg
from metricloop.slack.payloads import Click, Question

log = logging.getLogger(__name__)
THINKING_REACTION = "hourglass_flowing_sand"


@dataclass
class Conversation:
    """Answers questions and clicks in Slack threads, keeping each thread's context in the store."""

    service: Any  # metricloop.service.MetricService
    store: Any  # metricloop.adapters.store.Store
    client: WebClient
    chart_renderer: Any = None  # adapters.charts.ChartRenderer; None: no charts

    @property
    def metrics(self) -> dict[str, Metric]:
        return {m.name: m for m in self.service.catalog.metrics}

    # -- thread context -------------------------------------------------------------------------------
    def context(self, channel: str, thread_ts: str) -> MetricQuery | None:
        """The last query answered in this thread (survives restarts: it lives in the store)."""
        state = self.store.load_thread(channel, thread_ts) or {}
        try:
            return MetricQuery.model_validate(state["query"]) if state.get("query") else None
        except ValueError:  # a context written by an older catalog/contract: start afresh
            log.info("dropping unreadable thread context %s/%s", channel, thread_ts)
            return None

    def _remember(self, channel: str, thread_ts: str, answer: Answer) -> None:
        if answer.status == "answered" and answer.query is not None:
            self.store.save_thread(channel, thread_ts, {"query": answer.query.model_dump(mode="json"),
                                                        "language": answer.language})

    # -- entry points (called from lazy listeners) ----------------------------------------------------
    def answer_question(self, question: Question) -> None:
        """Answer in the question's thread, with a thinking reaction while working."""
        self._guarded(question.channel, question.thread_ts, lambda: self._answer_question(question))

    def _answer_question(self, q: Question) -> None:
        reacted = self._react(q.channel, q.ts, add=True)
        try:
            answer = self.service.ask(q.text, context=self.context(q.channel, q.thread_ts), user=q.user)
            self.post_answer(answer, q.channel, q.thread_ts, question=q.text)
        finally:
            if reacted:
                self._react(q.channel, q.ts, add=False)

    def answer_command(self, text: str, *, user: str, channel: str, respond: Callable[..., Any]) -> None:
        """`/metrics <question>`: answered in the channel (see post_answer), else through the response_url."""
        def work() -> None:
            self.post_answer(self.service.ask(text, user=user), channel, None, question=text, respond=respond)

        lang = self.language_of(text)
        self.guarded_call(work, on_error=lambda error_id: respond(
            response_type="ephemeral", text=msg.error_generic(lang), blocks=bk.error_blocks(None, error_id, lang)))

    def answer_choice(self, click: Click) -> None:
        """A clarify/no-match button: answer the original question with the chosen metric, same thread."""
        self._guarded(click.channel, click.thread_ts, lambda: self._answer_choice(click))

    def _answer_choice(self, click: Click) -> None:
        metric, question = bk.parse_clarify_value(click.value)
        query = self.resolve_choice(metric, question, self.context(click.channel, click.thread_ts))
        answer = self.service.query(query, user=click.user, lang=self.language_of(question))
        self.post_answer(answer, click.channel, click.thread_ts, question=question)

    def resolve_choice(self, metric: str, question: str | None, context: MetricQuery | None) -> MetricQuery:
        """The chosen metric over what the question (or the thread) asked for: period, breakdown, filters.

        The understander is asked again for the question's shape; if it still cannot settle on a
        query, the thread's context (or the metric on its own) is used.
        """
        understander = getattr(self.service, "understander", None)
        base = None
        if question and understander is not None:
            try:
                base = understander.interpret(question, today=self.service.today(), context=context).query
            except Exception:  # noqa: BLE001 - the shape is a nicety; the chosen metric alone still answers
                log.debug("could not re-interpret %r", question, exc_info=True)
        base = base or context
        if base is None:
            return MetricQuery(metrics=(metric,))
        try:
            return base.with_changes(metrics=(metric,))
        except ValueError:  # e.g. a breakdown the chosen metric cannot be sliced by
            return MetricQuery(metrics=(metric,), time_range=base.time_range, grain=base.grain)

    def show_sql(self, click: Click) -> None:
        """Post the compiled SQL of an answer in its thread."""
        self._guarded(click.channel, click.thread_ts, lambda: self._show_sql(click))

    def _show_sql(self, click: Click) -> None:
        sql = click.value
        if not sql or sql.startswith("ref:"):  # too long for a button value: recompile the thread's query
            query = self.context(click.channel, click.thread_ts)
            sql = self.service.explain(query) if query else None
        state = self.store.load_thread(click.channel, click.thread_ts) or {}
        lang = state.get("language", "en")
        blocks = bk.sql_blocks(sql, lang) if sql else bk.error_blocks(None, lang=lang)
        self.client.chat_postMessage(channel=click.channel, thread_ts=click.thread_ts,
                                     text=msg.sql_title(lang), blocks=blocks)

    # -- rendering ------------------------------------------------------------------------------------
    def post_answer(self, answer: Answer, channel: str, thread_ts: str | None, *, question: str | None = None,
                    respond: Callable[..., Any] | None = None) -> None:
        """Post an answer in the thread and upload its chart there.

        Without a thread (a /metrics answer) it becomes a channel message the bot owns, whose thread takes
        follow-ups and the chart. `respond` (the command's response_url) carries anything but an answer,
        and an answer the bot cannot post in the channel (not a member).
        """
        metrics = self.metrics
        shown = self.service.for_display(answer)
        if shown.status == "answered":
            blocks = bk.answer_blocks(shown, metrics, sql_ref=f"ref:{thread_ts or 'command'}")
        else:
            blocks = bk.blocks_for(shown, metrics, question=question)
        text = bk.fallback_text(shown, metrics)
        if respond is not None and shown.status != "answered":
            respond(text=text, blocks=blocks, response_type="in_channel", replace_original=False)
            return
        try:
            posted = self.client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text, blocks=blocks)
        except SlackApiError as exc:
            if respond is None:
                raise
            log.info("/metrics answer via response_url: %s", exc.response.get("error"))
            respond(text=text, blocks=blocks, response_type="in_channel", replace_original=False)
            self._upload_chart(answer, metrics, channel, None)
            return
        anchor = thread_ts or posted["ts"]
        self._remember(channel, anchor, answer)
        self._upload_chart(answer, metrics, channel, anchor)

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

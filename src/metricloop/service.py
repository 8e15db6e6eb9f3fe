"""The application service: ask / query / explain, wiring the pure core to the adapters.

Knows nothing of Slack or terminals; every front end renders the `Answer` it returns.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from metricloop.adapters.warehouse_missing import missing_object
from metricloop.clock import SystemClock
from metricloop.core.answer import Answer, Option
from metricloop.core.catalog.access import AccessDenied, Identity, Policy, effective_policy
from metricloop.core.catalog.definition import definition_hashes
from metricloop.core.catalog.model import Catalog
from metricloop.core.compile.compiler import compile_dimension_values, compile_query
from metricloop.core.loop.target_note import target_note
from metricloop.core.present.describe import describe_query, dimension_label, localise_columns
from metricloop.core.present.result_notes import has_data, not_yet_note, result_note
from metricloop.core.present.texts import say
from metricloop.core.query import MetricQuery
from metricloop.core.text import has_cjk, suggest
from metricloop.errors import QueryTimeout, UserError, log_internal_error
from metricloop.loop.latest_days import LatestDays
from metricloop.ports import Clock, Interpreter, Warehouse
from metricloop.thread_state import ThreadState
from metricloop.viewer_values import (
    ViewerValues,
    clarify_for_viewer,
    hidden_as_unplaced,
    offer_fallback,
    scrub_offer,
)

log = logging.getLogger(__name__)
Viewer = Identity | Policy | str | None  # whose access rules apply; None: the trusted local operator


def denied_answer(query: MetricQuery | None, exc: AccessDenied, lang: str, restated: str | None = None) -> Answer:
    """The reply to a question its asker may not see: the metric names and nothing else."""
    metrics = exc.metrics or list(query.metrics if query else ())
    key = "access_denied_rows" if exc.rows else "access_denied"
    return Answer(status="denied", metrics=list(query.metrics) if query else [], query=query,
                  interpretation=restated, message=say(key, lang, metrics=", ".join(metrics)), language=lang)


@dataclass
class MetricService:
    """One catalog, one warehouse, one clock, and optionally an interpreter for plain-language questions.

    The clock is the one source of "today". A `today=` argument on a call is an override for tests and
    question sets that pin their own day (always a date); everything else reads the clock.
    """

    catalog: Catalog
    warehouse: Warehouse | None  # None: explain only
    dialect: str = "duckdb"
    schema: str | None = None
    timeout_s: float = 30.0
    max_rows: int = 10_000
    understander: Interpreter | None = None
    clock: Clock = field(default_factory=SystemClock)
    max_question_chars: int = 500  # longer questions are refused at once: interpretation work stays bounded
    viewer_values: ViewerValues | None = field(default=None, repr=False)  # row-limited viewers' values (lazy)
    latest_days: LatestDays | None = field(default=None, repr=False)  # each model's latest loaded day (lazy, short TTL)
    # metric → owners' target adjustments (payloads, oldest first) from the store; None: the catalog's targets only
    target_adjustments: Callable[[], Mapping[str, Sequence[Mapping[str, Any]]]] | None = field(default=None, repr=False)
    # rebuilds the interpreter when the store's taught words changed; whether it did (runtime.relearner, set
    # where a store is open); None: nothing to relearn
    relearn: Callable[[], bool] | None = field(default=None, repr=False)

    def today(self) -> dt.date:
        """Today in the configured timezone (from the clock)."""
        return self.clock.today()

    def explain(self, query: MetricQuery, dialect: str | None = None, *, today: dt.date | None = None,
                user: Viewer = None) -> str:
        """The SQL a query compiles to for `user` (their row filters in it), without touching the warehouse.

        Raises AccessDenied when the viewer may not see it: the SQL of someone else's question is never shown,
        nor SQL whose literals name values outside the viewer's rows ("Show SQL" on a colleague's "revenue in West")."""
        policy = self.policy_for(user)
        sql = compile_query(self.catalog, query, dialect or self.dialect, schema=self.schema,
                            as_of=today or self.today(), policy=policy).sql
        values = self.values_for(policy)
        if values is not None and values.hidden_filter_values(policy, query):
            raise AccessDenied("No access to these rows.", metrics=query.metrics, rows=True)
        return sql

    def policy_for(self, user: Viewer) -> Policy | None:
        """The access policy a caller's `user` stands for: None (the trusted local operator), a Policy as is
        (e.g. a channel's intersection, built by the Slack adapter), an Identity or a written name."""
        if user is None or isinstance(user, Policy):
            return user
        return effective_policy(self.catalog, user)

    def can_see(self, metric: str, user: Viewer) -> bool:
        """Whether `user` may see `metric` (and everything it is built from)."""
        policy = self.policy_for(user)
        return self.catalog.metric(metric) is not None and (policy is None or policy.can_see(metric))

    def values_for(self, policy: Policy | None) -> ViewerValues | None:
        """The dimension values a row-limited `policy` may see (None: the operator, no row filter, no warehouse)."""
        if policy is None or not policy.row_filters or self.warehouse is None:
            return None
        if self.viewer_values is None:
            self.viewer_values = ViewerValues(lambda: self.catalog, self.warehouse, self.dialect, self.schema,
                                              timeout_s=self.timeout_s)
        return self.viewer_values

    def refresh_values(self) -> int:
        """Re-read dimension values from the warehouse and teach them to the interpreter.

        Returns how many dimensions were indexed (0 when there is no refreshable index). Raises what the
        warehouse raises: the caller (the scheduler) logs it and keeps the previous index.
        """
        index = self.understander.value_index if self.understander is not None else None
        if index is None or not hasattr(index, "refresh"):
            return 0
        values = index.refresh()
        self.understander.refresh_values()
        if self.viewer_values is not None:
            self.viewer_values.forget()
        return len(values)

    def query(self, query: MetricQuery, *, user: Viewer = None, lang: str = "en",
              today: dt.date | None = None) -> Answer:
        """Compile and run a structured query; errors become answers, never tracebacks.

        `today` bounds how far a time series is widened to whole periods (never into the future).
        """
        restated = self._restate(query, lang)
        sql = None
        try:
            policy = self.policy_for(user)
            values = self.values_for(policy)
            if values is not None and values.hidden_filter_values(policy, query):
                # a value outside the viewer's rows: denied like any row denial, never an empty number
                raise AccessDenied("No access to these rows.", metrics=query.metrics, rows=True)
            compiled = compile_query(self.catalog, query, self.dialect, schema=self.schema,
                                     as_of=today or self.today(), policy=policy)
            sql = compiled.sql
            not_yet = not_yet_note(query, today or self.today(), lang)
            if not_yet is not None:  # the whole period is still to come: nothing to run, and never "—"
                return Answer(status="answered", interpretation=restated, metrics=list(query.metrics), query=query,
                              sql=sql, columns=localise_columns(self.catalog, compiled.columns, query.grain, lang),
                              message=not_yet, language=lang, definitions=self.definitions(query.metrics))
            result = self.warehouse.run(compiled, timeout_s=self.timeout_s, max_rows=self.max_rows)
        except AccessDenied as exc:  # names metrics only: no SQL, no values, no hint of the rows
            return denied_answer(query, exc, lang, restated)
        except QueryTimeout as exc:
            return Answer(status="error", metrics=list(query.metrics), query=query, sql=exc.sql or sql,
                          interpretation=restated, message=exc.message, language=lang)
        except UserError as exc:
            metric_hints = [s for s in exc.suggestions if self.catalog.metric(s) is not None]
            missing = missing_object(exc.message) if sql is not None else None  # the engine's, not the compiler's
            message = exc.message if missing is None else say(
                "missing_in_warehouse", lang, kind=say(f"kind_{missing.kind}", lang), name=missing.name,
                metrics=", ".join(query.metrics))
            return Answer(status="error", metrics=list(query.metrics), query=query, sql=sql,
                          interpretation=restated, message=message, language=lang,
                          options=[Option(metric=s, label=self.catalog.metric(s).display_name) for s in metric_hints])
        except Exception as exc:  # noqa: BLE001 - anything else is ours: log with an id, reply politely
            error_id = log_internal_error(exc, f"query {query.model_dump_json()}")
            return Answer(status="error", metrics=list(query.metrics), query=query, sql=sql,
                          interpretation=restated, message=say("internal_error", lang, id=error_id), language=lang)
        answer = Answer(
            status="answered", interpretation=restated, metrics=list(query.metrics), query=query, sql=compiled.sql,
            columns=localise_columns(self.catalog, result.columns, query.grain, lang),
            rows=[list(r) for r in result.rows], truncated=result.truncated,
            elapsed_ms=result.elapsed_ms, language=lang, definitions=self.definitions(query.metrics),
        )
        # cut by the row cap, or no data: said in `message`, so every front end and --json say it
        answer.message = result_note(answer, {m: self.catalog.metric(m) for m in query.metrics}, lang)
        return answer

    def definitions(self, metrics: Iterable[str]) -> dict[str, str]:
        """The definition version (hash) of each metric, as answers, digests and the audit trail record it."""
        try:
            hashes = definition_hashes(self.catalog)
        except Exception:  # noqa: BLE001 - a version label must never break an answer
            log.debug("could not hash the catalog's definitions", exc_info=True)
            return {}
        return {m: hashes[m] for m in metrics if m in hashes}

    def for_display(self, answer: Answer, *, user: Viewer = None) -> Answer:
        """The answer as a person should see it in chat: a single number also shows its change.

        A bare "revenue last month" is one value; in Slack and the terminal it is shown with the previous
        period and the change, so the summary can say "up 6.1% vs September". The JSON contract (`--json`)
        keeps exactly what was asked.
        """
        query = answer.query
        if (answer.status != "answered" or query is None or query.compare or query.group_by
                or query.time_range is None):
            return answer
        compared = self.query(query.model_copy(update={"compare": "previous_period"}), user=user,
                              lang=answer.language)
        if compared.status != "answered":
            return answer
        compared.interpretation = answer.interpretation
        compared.query = query
        compared.target_note = answer.target_note
        if answer.partial_data is not None:  # the same period, so the same days are missing or partial
            message = (" ".join(m for m in (compared.message, answer.partial_data.note, answer.target_note) if m)
                       if has_data(compared) else answer.message)  # no data: the first answer's note says why
            compared = compared.model_copy(update={"partial_data": answer.partial_data, "message": message})
        return compared

    def note_freshness(self, answer: Answer, today: dt.date | None = None) -> Answer:
        """`answer` saying so when its period reaches days after a model's latest loaded day, or days still inside
        loop.yml's `complete_after_days` ("Data for Orders is loaded up to Nov 26; Nov 27 is not in yet"), so a
        late load never reads as a collapse. Answers to questions carry it; scans and digests judge freshness
        themselves (loop/freshness.py)."""
        if self.warehouse is None or answer.status != "answered":
            return answer
        if self.latest_days is None:
            self.latest_days = LatestDays(self)
        return self.latest_days.note(answer, today or self.today())

    def for_readers(self, answer: Answer, readers: Viewer) -> Answer:
        """A clarification as everyone who reads it may see it (e.g. a channel's members, who may be limited to
        fewer rows than the asker): the nearest values it offers are only values all of them may see."""
        policy = self.policy_for(readers)
        values = self.values_for(policy)
        index = self.understander.value_index if self.understander is not None else None
        if values is None or index is None or answer.status not in ("clarify", "no_match") or not answer.message:
            return answer
        message = scrub_offer(answer.message, answer.language, lambda word: values.hides(policy, index.values(), word),
                              offer_fallback(self.catalog, [o.metric for o in answer.options]))
        return answer if message == answer.message else answer.model_copy(update={"message": message})

    def check_filter_values(self, query: MetricQuery, cap: int = 1000, *, user: Viewer = None) -> MetricQuery:
        """For structured input typed by a person: every filter value must exist in its dimension.

        `--where region=Eats` would otherwise answer an empty number; this names the dimension and the
        nearest real values instead, and `region=east` is spelled as the warehouse spells it (`East`).
        Dimensions with more than `cap` values are not checked. Returns the query with values respelled.
        A row-limited `user` is checked against the values of their rows only: nothing outside is suggested.
        """
        policy = self.policy_for(user)
        viewer = self.values_for(policy)
        where = []
        for flt in query.where:
            texts = [v for v in flt.values if isinstance(v, str)]
            if flt.op not in ("=", "!=", "in", "not in") or not texts:
                where.append(flt)
                continue
            seen = viewer.visible(policy, flt.dimension) if viewer is not None else None
            if seen is not None:
                rows = [(v,) for v in seen]
            else:
                sql = compile_dimension_values(self.catalog, flt.dimension, cap + 1, self.dialect, schema=self.schema)
                rows = self.warehouse.run_sql(sql, timeout_s=self.timeout_s, max_rows=cap + 1).rows
            if len(rows) > cap:
                where.append(flt)
                continue
            known = {str(r[0]).casefold(): str(r[0]) for r in rows if r[0] is not None}
            for value in texts:
                if value.casefold() not in known:
                    near = suggest(value, known.values())
                    label = dimension_label(self.catalog, flt.dimension)
                    hint = f" Did you mean {' or '.join(repr(n) for n in near)}?" if near else ""
                    raise UserError(f"{label} has no value {value!r}.{hint}", suggestions=near)
            respelled = tuple(known[v.casefold()] if isinstance(v, str) else v for v in flt.values)
            where.append(flt.model_copy(update={"values": respelled}))
        return query.model_copy(update={"where": tuple(where)})

    def ask(self, text: str, *, today: dt.date | None = None, context: MetricQuery | None = None,
            user: Viewer = None, choose_metric: str | None = None) -> Answer:
        """Answer a plain-language question (or clarify, or say honestly that nothing fits).

        `choose_metric` is the metric a person picked from a clarification; the rest of the
        question (period, breakdown, filters) is read from `text` as usual.
        """
        if self.understander is None:
            raise RuntimeError("this service was built without an understander")
        if len(text) > self.max_question_chars:  # before any reading: 40,000 characters took 41 s to interpret
            lang = "zh" if has_cjk(text[:self.max_question_chars]) else "en"
            return Answer(status="error", language=lang, message=say(
                "question_too_long", lang, length=f"{len(text):,}", limit=f"{self.max_question_chars:,}"))
        if text.strip() and not any(ch.isalnum() for ch in text):  # "';--", "???", "*;": nothing to read
            lang = "zh" if any("\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" for ch in text) else "en"
            return Answer(status="no_match", language=lang, message=say("no_words", lang))
        started = time.perf_counter()
        try:
            kwargs = {"choose_metric": choose_metric} if choose_metric else {}
            interpretation = self.understander.interpret(text, today=today or self.today(), context=context, **kwargs)
        except UserError as exc:
            return Answer(status="error", message=exc.message)
        except Exception as exc:  # noqa: BLE001
            error_id = log_internal_error(exc, f"interpret {text!r}")
            return Answer(status="error", message=say("internal_error", "en", id=error_id))
        lang = interpretation.language
        if interpretation.kind != "query" or interpretation.query is None:
            status = "clarify" if interpretation.kind == "clarify" else "no_match"
            reason = interpretation.reason
            policy = self.policy_for(user)
            values = self.values_for(policy)
            if values is not None:  # a row-limited viewer: nothing outside their rows offered or confirmed
                index = self.understander.value_index
                reason, deny = clarify_for_viewer(values, policy, self.catalog, interpretation,
                                                  index.values() if index is not None else {})
                if deny:
                    exc = AccessDenied("No access to these rows.", metrics=[o.metric for o in interpretation.options],
                                       rows=True)
                    return denied_answer(None, exc, lang)
            return Answer(status=status, interpretation=interpretation.restatement, message=reason,
                          options=[o for o in interpretation.options if self.can_see(o.metric, user)], language=lang,
                          elapsed_ms=(time.perf_counter() - started) * 1000)
        hidden = self._hidden_values(interpretation.query, user, lang, getattr(interpretation, "said_values", {}))
        if hidden:  # a value outside the viewer's rows reads as a word that is no value, never confirmed by a denial
            return Answer(status="clarify", message=hidden, language=lang,
                          options=[Option(metric=m, label=self.catalog.metric(m).display_name)
                                   for m in interpretation.query.metrics if self.can_see(m, user)],
                          elapsed_ms=(time.perf_counter() - started) * 1000)
        answer = self.note_freshness(self.query(interpretation.query, user=user, lang=lang, today=today), today)
        if interpretation.restatement:
            answer.interpretation = interpretation.restatement
        if getattr(interpretation, "asks_target", False):  # "revenue vs target this month"
            adjustments = self.target_adjustments() if self.target_adjustments else None
            note = target_note(self.catalog, answer, lang, adjustments)
            answer.message = " ".join(m for m in (answer.message, note) if m) or None
            answer.target_note = note
        answer.elapsed_ms = (time.perf_counter() - started) * 1000
        return answer

    def _hidden_values(self, query: MetricQuery, user: Viewer, lang: str, said: dict[str, str]) -> str | None:
        """For a row-limited viewer whose question names values outside their rows: the clarification to give,
        naming the question's own words (`said`), never the value's spelling ("nrth", not North)."""
        policy = self.policy_for(user)
        values = self.values_for(policy)
        hidden = values.hidden_filter_values(policy, query) if values is not None else []
        if not hidden:
            return None
        try:  # a metric the viewer may not see, or rows the policy cannot limit, is denied as ever (by query)
            compile_query(self.catalog, query, self.dialect, schema=self.schema, as_of=self.today(), policy=policy)
        except (AccessDenied, UserError):
            return None
        hidden = [said.get(h, h) for h in hidden]
        index = self.understander.value_index if self.understander is not None else None
        return hidden_as_unplaced(values, policy, self.catalog, list(query.metrics), hidden, lang,
                                  index.values() if index is not None else {})

    # -- conversations (Slack threads and the terminal chat share this model) ------------------------
    def ask_in_thread(self, state: ThreadState, text: str, *, user: Viewer = None,
                      today: dt.date | None = None) -> tuple[Answer, ThreadState]:
        """One turn of a conversation: a question, a follow-up on the thread's context, or the number of
        an option the previous turn offered ("2"). Returns the answer and the thread's next state."""
        picked = state.picked(text)
        if picked is not None:
            return self.pick_in_thread(state, picked, user=user, today=today)
        answer = self.ask(text, today=today, context=state.context, user=user)
        return answer, state.after(answer, text)

    def pick_in_thread(self, state: ThreadState, metric: str, question: str | None = None, *,
                       user: Viewer = None, today: dt.date | None = None) -> tuple[Answer, ThreadState]:
        """A person picked `metric` from a clarification of `question` (default: the one pending in `state`).

        The question is read again with the metric chosen (its period, breakdown and filters kept); if it
        still does not settle, the picked metric is answered over the question's (or the thread's) shape.
        """
        question = state.question if question is None else question
        answer = None
        if question:
            answer = self.ask(question, today=today, context=state.context, user=user, choose_metric=metric)
        if answer is None or answer.status in ("clarify", "no_match"):
            query = self._picked_query(metric, question, state.context, today)
            answer = self.note_freshness(
                self.query(query, user=user, lang="zh" if has_cjk(question or "") else "en", today=today), today)
        return answer, state.after(answer, question)

    def _picked_query(self, metric: str, question: str | None, context: MetricQuery | None,
                      today: dt.date | None) -> MetricQuery:
        base = None
        if question and self.understander is not None:
            try:
                base = self.understander.interpret(question, today=today or self.today(), context=context).query
            except Exception:  # noqa: BLE001 - the shape is a nicety; the chosen metric alone still answers
                log.debug("could not re-interpret %r", question, exc_info=True)
        base = base or context
        if base is None:
            return MetricQuery(metrics=(metric,))
        try:
            return base.with_changes(metrics=(metric,))
        except ValueError:  # e.g. a breakdown the chosen metric cannot be sliced by
            return MetricQuery(metrics=(metric,), time_range=base.time_range, grain=base.grain)

    def _restate(self, query: MetricQuery, lang: str) -> str | None:
        try:
            return describe_query(self.catalog, query, lang)
        except Exception:  # noqa: BLE001 - a restatement must never break an answer
            log.debug("could not restate %s", query, exc_info=True)
            return None

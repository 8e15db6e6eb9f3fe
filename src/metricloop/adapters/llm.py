"""Optional LLM interpreter over an OpenAI-compatible chat-completions endpoint.

The deterministic Understander always runs first and supplies the candidates (its top metrics and
their reachable dimensions with some values); the model is asked for MetricQuery JSON with a
json_schema response format. Its answer is validated against the catalog exactly like a user's
query (core/understand/validate.py). Anything invalid, unknown, hostile, slow or unparsable falls
back to the deterministic interpretation, which is also kept whenever the model declines.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import httpx

from metricloop.core.catalog.graph import available_dimensions
from metricloop.core.present.describe import describe_query
from metricloop.core.query import MetricQuery
from metricloop.core.understand.interpreter import Interpretation, Understander, ValueIndex
from metricloop.core.understand.validate import validate_proposal

log = logging.getLogger(__name__)
PROMPT = Path(__file__).resolve().parents[3] / "prompts" / "interpret.md"
MAX_CANDIDATES = 8

_FILTER = {"type": "object", "additionalProperties": False, "required": ["dimension", "op", "values"],
           "properties": {"dimension": {"type": "string"}, "op": {"type": "string"},
                          "values": {"type": "array", "items": {"type": ["string", "number"]}}}}
SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["kind"],
    "properties": {
        "kind": {"enum": ["query", "clarify", "no_match", "unsupported"]},
        "options": {"type": "array", "items": {"type": "string"}},
        "query": {"type": "object", "additionalProperties": False, "required": ["metrics"], "properties": {
            "metrics": {"type": "array", "items": {"type": "string"}},
            "group_by": {"type": "array", "items": {"type": "string"}},
            "grain": {"enum": ["day", "week", "month", "quarter", "year", None]},
            "time_range": {"type": ["object", "null"],
                           "properties": {"start": {"type": "string"}, "end": {"type": "string"}}},
            "where": {"type": "array", "items": _FILTER},
            "order_by": {"type": "array", "items": {"type": "object", "properties": {
                "field": {"type": "string"}, "descending": {"type": "boolean"}}}},
            "limit": {"type": ["integer", "null"]},
            "compare": {"enum": ["previous_period", "year_over_year", None]},
        }},
    },
}


class LLMInterpreter:
    """Wraps an Understander and is a whole `ports.Interpreter`: interpret, value_index, refresh_values."""

    def __init__(self, understander: Understander, url: str, model: str, api_key: str | None = None,
                 client: httpx.Client | None = None, timeout_s: float = 15.0, prompt: Path = PROMPT) -> None:
        self.understander = understander
        self.catalog = understander.catalog
        self.url = url if url.rstrip("/").endswith("/chat/completions") else url.rstrip("/") + "/chat/completions"
        self.model = model
        self.client = client or httpx.Client(timeout=timeout_s)
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.template = prompt.read_text(encoding="utf-8")
        self.fallbacks = 0  # how often the model's answer was rejected (for logs and tests)

    @classmethod
    def wrap(cls, understander: Understander, settings) -> LLMInterpreter:  # noqa: ANN001 - Settings
        return cls(understander, settings.llm_url, settings.llm_model, settings.llm_api_key,
                   timeout_s=min(settings.query_timeout_s, 20.0))

    @property
    def value_index(self) -> ValueIndex | None:
        """The wrapped understander's value index (what the scheduled refresh re-reads)."""
        return self.understander.value_index

    def refresh_values(self) -> None:
        """Rebuild the wrapped understander's lexicon after its value index was refreshed."""
        self.understander.refresh_values()

    def interpret(self, text: str, *, today=None, context: MetricQuery | None = None,  # noqa: ANN001
                  choose_metric: str | None = None) -> Interpretation:
        base = self.understander.interpret(text, today=today, context=context, choose_metric=choose_metric)
        if choose_metric or base.kind == "unsupported":
            return base
        today = today or self.understander.today_fn()
        candidates = self._candidates(text, base)
        if not candidates:
            return base
        try:
            reply = self._ask(self._prompt(text, today, context, candidates))
            if reply.get("kind") != "query":
                return base  # the model declined: the deterministic reading (often also a refusal) stands
            values = self.understander.value_map()
            query = validate_proposal(self.catalog, reply.get("query"), values=values, allowed_metrics=candidates)
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            self.fallbacks += 1
            log.info("LLM interpretation rejected, using the deterministic one: %s", exc)
            return base
        return Interpretation(kind="query", query=query, restatement=describe_query(self.catalog, query, base.language),
                              language=base.language, confidence=max(base.confidence, 0.5))

    def _candidates(self, text: str, base: Interpretation) -> list[str]:
        names = list(base.query.metrics) if base.query else [o.metric for o in base.options]
        for name in self.understander.rank_metrics(text):
            if len(names) >= MAX_CANDIDATES:
                break
            if name not in names:
                names.append(name)
        return names

    def _prompt(self, text: str, today, context: MetricQuery | None, candidates: list[str]) -> str:  # noqa: ANN001
        metrics = []
        for name in candidates:
            m = self.catalog.metric(name)
            metrics.append(f"- {name}: {m.display_name}" + (f" — {m.description}" if m and m.description else ""))
        values = self.understander.value_map()
        dims = []
        for ref, d in available_dimensions(self.catalog, candidates[:1]).items():
            if d.dimension is None or d.dimension.type != "categorical":
                continue
            sample = list(values.get((d.model.name, d.dimension.name), ()))[:15]
            dims.append(f"- {ref}: {d.label}" + (f" — {', '.join(map(str, sample))}" if sample else ""))
        fields = {"{today}": today.isoformat(), "{context}": context.model_dump_json() if context else "null",
                  "{metrics}": "\n".join(metrics), "{dimensions}": "\n".join(dims) or "(none)", "{question}": text}
        prompt = self.template
        for key, value in fields.items():
            prompt = prompt.replace(key, value)
        return prompt

    def _ask(self, prompt: str) -> dict[str, Any]:
        body = {"model": self.model, "temperature": 0, "messages": [{"role": "user", "content": prompt}],
                "response_format": {"type": "json_schema", "json_schema": {"name": "interpretation", "schema": SCHEMA}}}
        resp = self.client.post(self.url, json=body, headers=self.headers)
        resp.raise_for_status()
        content = resp.json()["choices"][0]["message"]["content"]
        data = json.loads(content)
        if not isinstance(data, dict):
            raise ValueError("the reply is not an object")
        return data

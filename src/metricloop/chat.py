"""`metricloop chat`: the local, terminal twin of the Slack bot.

Same service, same answers, rendered with rich; charts saved as PNG files whose path is printed;
follow-ups keep the previous question's context, as a Slack thread does.
"""
from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from rich.console import Console

from metricloop.adapters.charts import VegaChartRenderer
from metricloop.core.answer import Answer
from metricloop.core.present.chart_spec import chart_spec
from metricloop.core.present.texts import say
from metricloop.core.query import MetricQuery
from metricloop.render_terminal import print_answer
from metricloop.runtime import build_service
from metricloop.service import MetricService


@dataclass
class ChatSession:
    """One conversation: the service, the last query (context) and pending clarify options."""

    service: MetricService
    console: Console
    chart_dir: Path
    render_chart: Callable[[Answer], Path | None] | None = None
    today: dt.date | None = None
    context: MetricQuery | None = None
    last: Answer | None = None
    pending_question: str | None = None
    pending_options: list[str] = field(default_factory=list)

    @property
    def lang(self) -> str:
        """The language of the conversation so far (the last answer's), for the chat's own lines."""
        return self.last.language if self.last else "en"

    def handle(self, line: str) -> bool:
        """Process one line; False means the user wants to leave."""
        text = line.strip()
        if not text:
            return True
        if text in ("/quit", "/exit", "quit", "exit"):
            return False
        if text == "/help":
            self.console.print(say("chat_help", self.lang))
            return True
        if text == "/new":
            self.context = None
            self.console.print(say("chat_context_cleared", self.lang))
            return True
        if text == "/list":
            for m in sorted(self.service.catalog.supported_metrics(), key=lambda m: m.name):
                owner = m.meta.owner or say("chat_no_owner", self.lang)
                self.console.print(f"• [bold]{m.name}[/bold] — {m.display_name} ({owner})")
            return True
        if text == "/sql":
            self.console.print(self.last.sql if self.last and self.last.sql else say("chat_no_sql", self.lang))
            return True
        if self.pending_options and re.fullmatch(r"\d+", text):
            index = int(text) - 1
            if 0 <= index < len(self.pending_options):
                answer = self.service.ask(self.pending_question or "", today=self.today, context=self.context,
                                          choose_metric=self.pending_options[index])
                return self._show(answer, print_answer)
        answer = self.service.ask(text, today=self.today, context=self.context)
        if answer.status in ("clarify", "no_match"):
            self.pending_question = text
            self.pending_options = [o.metric for o in answer.options]
        return self._show(answer, print_answer)

    def _show(self, answer: Answer, print_answer) -> bool:  # noqa: ANN001
        metrics = {m.name: m for m in self.service.catalog.metrics}
        print_answer(self.console, self.service.for_display(answer), metrics)
        if answer.status == "clarify" and answer.options:
            self.console.print(say("chat_pick_number", answer.language))
        if answer.status == "answered":
            self.context = answer.query
            self.last = answer
            self.pending_options = []
            if self.render_chart:
                path = self.render_chart(answer)
                if path:
                    self.console.print(say("chart_path", answer.language, path=path))
        return True


def chart_writer(service: MetricService, chart_dir: Path) -> Callable[[Answer], Path | None]:
    """Render an answer's chart to a PNG file under chart_dir; None when the answer has no chart."""
    renderer = VegaChartRenderer()
    counter = iter(range(1, 1_000_000))

    def write(answer: Answer) -> Path | None:
        spec = chart_spec(answer, {m.name: m for m in service.catalog.metrics}, answer.language)
        if spec is None:
            return None
        chart_dir.mkdir(parents=True, exist_ok=True)
        path = chart_dir / f"chart-{dt.datetime.now():%Y%m%d-%H%M%S}-{next(counter)}.png"
        path.write_bytes(renderer.render_png(spec))
        return path

    return write


def run_chat(settings, *, stdin: TextIO | None = None, console: Console | None = None,  # noqa: ANN001
             today: dt.date | None = None) -> None:
    """The interactive loop; reads questions until EOF or /quit."""
    console = console or Console()
    with console.status(say("chat_loading")):
        service = build_service(settings, understanding=True)
    session = ChatSession(service=service, console=console, chart_dir=Path(settings.chart_dir),
                          render_chart=chart_writer(service, Path(settings.chart_dir)), today=today)
    stream = stdin or sys.stdin
    interactive = stream.isatty()
    console.print("[bold]metricloop[/bold] " + say("chat_welcome", count=len(service.catalog.supported_metrics())))
    while True:
        if interactive:
            console.print("[bold cyan]?[/bold cyan] ", end="")
        line = stream.readline()
        if not line:
            break
        if not interactive:
            console.print(f"[bold cyan]?[/bold cyan] {line.strip()}")
        if not session.handle(line):
            break

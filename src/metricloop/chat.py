"""`metricloop chat`: the local, terminal twin of the Slack bot.

Same runtime, same service, same conversation model (ThreadState: follow-ups keep the previous
question's context, a clarification's options are picked by number), rendered with rich; charts
saved as PNG files whose path is printed. The operator at the terminal teaches words as an owner would in Slack
(/teach, /forget, /words), and the next question uses them.
"""
from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from rich.console import Console

from metricloop.adapters.charts import ChartRenderer
from metricloop.cli_words import operator_teaching, plain
from metricloop.clock import FixedClock
from metricloop.core.answer import Answer
from metricloop.core.catalog.model import Catalog
from metricloop.core.present.chart_spec import chart_spec
from metricloop.core.present.texts import say
from metricloop.render_terminal import print_answer
from metricloop.runtime import build_runtime
from metricloop.service import MetricService
from metricloop.settings import Settings
from metricloop.thread_state import ThreadState


@dataclass
class ChatSession:
    """One conversation: the service, its ThreadState (context, pending options) and the last answer (/sql)."""

    service: MetricService
    console: Console
    chart_dir: Path
    render_chart: Callable[[Answer], Path | None] | None = None
    state: ThreadState = field(default_factory=ThreadState)
    last: Answer | None = None
    # /teach <words> = <metric>, /forget <words>, /words: (verb, argument) → the reply (cli_words.operator_teaching)
    teach: Callable[[str, str], str] | None = None

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
            self.state = replace(self.state, context=None)
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
        verb, _, arg = text.partition(" ")
        if verb in ("/teach", "/forget", "/words") and self.teach is not None:
            self.console.print(self.teach(verb[1:], arg.strip()), markup=False, highlight=False)
            return True
        answer, self.state = self.service.ask_in_thread(self.state, text)
        return self._show(answer)

    def _show(self, answer: Answer) -> bool:
        metrics = {m.name: m for m in self.service.catalog.metrics}
        print_answer(self.console, self.service.for_display(answer), metrics)
        if answer.status == "clarify" and answer.options:
            self.console.print(say("chat_pick_number", answer.language))
        if answer.status == "answered":
            self.last = answer
            if self.render_chart:
                path = self.render_chart(answer)
                if path:
                    self.console.print(say("chart_path", answer.language, path=path))
        return True


def chart_writer(catalog: Catalog, renderer: ChartRenderer, chart_dir: Path) -> Callable[[Answer], Path | None]:
    """Render an answer's chart to a PNG file under chart_dir; None when the answer has no chart."""
    counter = iter(range(1, 1_000_000))

    def write(answer: Answer) -> Path | None:
        spec = chart_spec(answer, {m.name: m for m in catalog.metrics}, answer.language)
        if spec is None:
            return None
        chart_dir.mkdir(parents=True, exist_ok=True)
        path = chart_dir / f"chart-{dt.datetime.now():%Y%m%d-%H%M%S}-{next(counter)}.png"
        path.write_bytes(renderer.render_png(spec))
        return path

    return write


def run_chat(settings: Settings, *, stdin: TextIO | None = None, console: Console | None = None,
             today: dt.date | None = None) -> None:
    """The interactive loop; reads questions until EOF or /quit. `today` pins the day (a FixedClock)."""
    console = console or Console()
    with console.status(say("chat_loading")):
        runtime = build_runtime(settings, clock=FixedClock(today, settings.timezone) if today else None)
    service = runtime.service
    chart_dir = Path(settings.chart_dir)
    session = ChatSession(service=service, console=console, chart_dir=chart_dir,
                          render_chart=chart_writer(service.catalog, runtime.chart_renderer, chart_dir),
                          teach=lambda verb, arg: plain(operator_teaching(settings, verb, arg, service,
                                                                          channel="chat").text))
    stream = stdin or sys.stdin
    interactive = stream.isatty()
    console.print("[bold]metricloop[/bold] " + say("chat_welcome", count=len(service.catalog.supported_metrics())))
    try:
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
    finally:
        runtime.close()

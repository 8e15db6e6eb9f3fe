"""`metricloop eval FILE`: score the interpreter on a question set and print accuracy by category."""
from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table
from ruamel.yaml import YAML

from metricloop.core.understand.evaluate import evaluate, parse_cases
from metricloop.runtime import build_service
from metricloop.settings import Settings


def run_eval(settings: Settings, file: Path, console: Console, *, show_failures: bool = True) -> float:
    """Interpret every question of `file` (with its own `today`) and return the overall accuracy."""
    data = YAML(typ="safe").load(Path(file).read_text(encoding="utf-8"))
    cases = parse_cases(data)
    service = build_service(settings, understanding=True)
    today = data.get("today")
    report = evaluate(cases, lambda text, ctx: service.understander.interpret(text, today=today, context=ctx))
    table = Table("category", "correct", "total", "accuracy", title=f"{file} — {len(cases)} questions")
    for name, (correct, total) in sorted(report.by(lambda c: c.category).items()):
        table.add_row(name, str(correct), str(total), f"{correct / total:.1%}")
    console.print(table)
    if show_failures:
        for outcome in report.failures:
            console.print(f"[red]✗[/red] [{outcome.case.category}] {outcome.case.q}: {'; '.join(outcome.problems)}",
                          markup=True, highlight=False)
    console.print(f"overall accuracy: [bold]{report.accuracy:.1%}[/bold]")
    return report.accuracy

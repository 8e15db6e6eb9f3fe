"""`metricloop eval FILE`: score the interpreter on a question set and print, per category and per language,
accuracy next to the false-answer rate (answered with a query that does not match what was asked)."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from ruamel.yaml import YAML

from metricloop.core.query import MetricQuery
from metricloop.core.understand.evaluate import (
    Case,
    Report,
    SliceFigures,
    evaluate,
    language_of,
    parse_cases,
    to_date_twins,
)
from metricloop.errors import UserError
from metricloop.progress import Tick, no_progress, progress_bar
from metricloop.runtime import build_service
from metricloop.service import MetricService
from metricloop.settings import Settings


def read_question_file(file: Path) -> tuple[dict, list[Case]]:
    """The question set's YAML and its cases; a case the scorer cannot read is a UserError naming the file."""
    data = YAML(typ="safe").load(Path(file).read_text(encoding="utf-8"))
    try:
        return data, parse_cases(data)
    except ValueError as exc:
        raise UserError(f"{file}: {exc}") from exc


def score_file(settings: Settings, file: Path, progress: Tick = no_progress, *,
               service: MetricService | None = None) -> Report:
    """Interpret every question of `file` (with its own `today`) and score it; `progress` hears of each
    question interpreted (a follow-up's first question too). `service` defaults to one built for `settings`."""
    data, cases = read_question_file(file)
    return score_questions(service or build_service(settings, understanding=True), data, cases, progress)


def score_questions(service: MetricService, data: dict, cases: list[Case], progress: Tick = no_progress) -> Report:
    """Score the cases of a question set already read (`read_question_file`) with `service`'s interpreter."""
    today = data.get("today")
    progress(0, total=sum(2 if case.after else 1 for case in cases))

    def interpret(text: str, context):  # noqa: ANN001 - a MetricQuery or None, as evaluate passes it
        interpretation = service.understander.interpret(text, today=today, context=context)
        progress()
        return interpretation

    return evaluate(cases, interpret, to_date_twins(service.catalog), same_rows(service, today))


def same_rows(service: MetricService, today: dt.date | None) -> Callable[[MetricQuery, MetricQuery], bool]:
    """Whether two queries return the same rows from the warehouse (numbers to 4 decimals), and some rows: an
    answer whose filter differs from the expected one but selects the same rows is the same number."""
    def rows(query: MetricQuery) -> list[tuple] | None:
        answer = service.query(query, today=today)
        if answer.status != "answered" or not answer.rows:
            return None
        return [tuple(round(v, 4) if isinstance(v, float) else v for v in row) for row in answer.rows]

    def same(expected: MetricQuery, interpreted: MetricQuery) -> bool:
        got = rows(interpreted)
        return got is not None and got == rows(expected)
    return same


def _table(heading: str, figures: dict[str, SliceFigures]) -> Table:
    table = Table(heading, "right", "total", "accuracy", "false answers", "false rate")
    for name, f in figures.items():
        table.add_row(escape(name), str(f.right), str(f.total), f"{f.accuracy:.1%}", str(f.false),
                      f"{f.false_rate:.1%}")
    return table


def print_report(report: Report, console: Console, title: str, *, show_failures: bool = True) -> None:
    """The report as tables (by category, by language), the failures, and the overall figures."""
    console.print(escape(title), highlight=False)
    console.print(_table("category", report.figures(lambda c: c.category)))
    console.print(_table("language", {**report.figures(language_of), **report.figures()}))
    if show_failures:
        for o in report.failures:
            # escaped: rich would read "[category]" and "['metric']" as markup and drop them
            tag = "[red]✗ false answer[/red]" if o.false_answer else "[yellow]✗ miss[/yellow]"
            console.print(f"{tag} {escape(f'[{o.case.category}]')} {escape(o.case.q)}: {escape('; '.join(o.problems))}",
                          highlight=False, soft_wrap=True)  # one line per failure, whatever the terminal width
    console.print(f"overall accuracy: [bold]{report.accuracy:.1%}[/bold] · false answers: "
                  f"[bold]{report.false_rate:.1%}[/bold] ({len(report.false_answers)} of {len(report.outcomes)})",
                  highlight=False)
    naming = report.answers_by_naming()
    console.print("answered with the metric named: {named[answered]} ({named[false_answers]} wrong) · reached from "
                  "other words: {unnamed[answered]} ({unnamed[false_answers]} wrong)".format(**naming), highlight=False,
                  soft_wrap=True)


def run_eval(settings: Settings, file: Path, console: Console, *, show_failures: bool = True,
             as_json: bool = False) -> float:
    """Score `file`, print the report (as JSON with `as_json`) and return the overall accuracy."""
    questions, cases = read_question_file(file)  # (a broken question set is told before the models load)
    with progress_bar("reading dimension values", console=console, quiet=as_json) as tick:
        service = build_service(settings, understanding=True, progress=tick)
    with progress_bar(f"scoring {Path(file).name}", console=console, quiet=as_json) as tick:
        report = score_questions(service, questions, cases, tick)
    if as_json:
        data = {"file": str(file), "questions": len(report.outcomes), **report.as_dict()}
        if not show_failures:
            data.pop("failures")
        console.print(json.dumps(data, ensure_ascii=False, indent=2), markup=False, highlight=False, soft_wrap=True)
    else:
        print_report(report, console, f"{file} — {len(report.outcomes)} questions", show_failures=show_failures)
    return report.accuracy

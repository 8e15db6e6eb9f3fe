"""The `metricloop` command: query, explain, ask, chat, catalog, demo, serve, start, eval."""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from metricloop.adapters.catalog_files import check_catalog
from metricloop.adapters.warehouse_open import is_url
from metricloop.cli_digest import register as register_digest_commands
from metricloop.cli_errors import SafeGroup
from metricloop.cli_governance import explain_for, print_explanation, record_definitions
from metricloop.cli_governance import register as register_governance_commands
from metricloop.cli_loop import register as register_loop_commands
from metricloop.cli_words import register as register_word_commands
from metricloop.clock import FixedClock
from metricloop.core.answer import Answer
from metricloop.core.catalog.build import suggest
from metricloop.core.catalog.graph import available_dimensions
from metricloop.core.catalog.model import MetricMeta
from metricloop.core.query import Filter, MetricQuery, OrderBy, TimeRange
from metricloop.core.time.calendar import GRAINS
from metricloop.errors import CatalogError, UserError
from metricloop.progress import progress_bar
from metricloop.runtime import build_offline_service, build_runtime, load_catalog_for, open_warehouse
from metricloop.settings import Settings, load_settings
from metricloop.settings_check import check_positive_int

# The Slack server, the terminal chat and renderer, the demo builder and the evaluator are imported inside the
# commands that use them: together they are about a third of a second of imports (slack_bolt, APScheduler,
# pygments) that a cold `metricloop ask --json` or `query` never needs (issue 9: a 2-second CLI).

app = typer.Typer(cls=SafeGroup, add_completion=False, no_args_is_help=True,
                  help="metricloop: governed metrics, answered in chat.")
catalog_app = typer.Typer(no_args_is_help=True, help="Check, list and show the governed catalog.")
app.add_typer(catalog_app, name="catalog")
register_loop_commands(app)  # scan, alerts
register_digest_commands(app, catalog_app)  # digest, actions, catalog tree
register_governance_commands(app, catalog_app)  # audit, catalog changes
register_word_commands(catalog_app)  # catalog words, teach, forget
console = Console()
err_console = Console(stderr=True)

CatalogOpt = typer.Option(None, "--catalog", help="Catalog directory (default: the demo catalog).")
WarehouseOpt = typer.Option(None, "--warehouse",
                        help="DuckDB warehouse file or engine URL: postgresql://…, spark://local[*], sc://… "
                             "(default: the demo warehouse).")
JsonOpt = typer.Option(False, "--json", help="Print one JSON object.")
_WHERE = re.compile(r"^\s*([\w.]+)\s*(!=|>=|<=|=|>|<| not in | in | like )\s*(.+?)\s*$", re.IGNORECASE)
ASK_HELP = ('Ask a question about a governed metric in plain words, e.g. metricloop ask "revenue by region last '
            'month"; `metricloop catalog list` shows the metrics. / 用自然语言询问受治理指标，例如 metricloop ask '
            '"上个月各地区的收入"；`metricloop catalog list` 列出所有指标。')
_COMPARE = {"previous": "previous_period", "previous_period": "previous_period", "pop": "previous_period",
            "yoy": "year_over_year", "year_over_year": "year_over_year"}


def _settings(catalog: Path | None, warehouse: Path | None) -> Settings:
    return load_settings(catalog_dir=catalog, warehouse=warehouse)


def _fail(message: str, as_json: bool, code: int = 1) -> None:
    if as_json:
        print(json.dumps(Answer(status="error", message=message).to_json_dict(), ensure_ascii=False))
    else:
        err_console.print(f"[red]{message}[/red]")
    raise typer.Exit(code)


def parse_where(text: str) -> Filter:
    """`region=East`, `customer__region in East,West`, `order_total>100` → a structured Filter."""
    match = _WHERE.match(text)
    if not match:
        raise UserError(f"Could not read the filter {text!r}; write it like region=East or region in East,West.")
    dimension, op, raw = match.group(1), match.group(2).strip().lower(), match.group(3)
    values = [v.strip().strip("'\"") for v in raw.split(",")] if op in ("in", "not in") else [raw.strip("'\"")]
    return Filter(dimension=dimension, op=op, values=tuple(_number_or_text(v) for v in values))


def _number_or_text(value: str) -> object:
    try:
        return int(value)
    except ValueError:
        try:
            return float(value)
        except ValueError:
            return value


def build_query(catalog, metrics, by, grain, start, end, compare, where, order, limit) -> MetricQuery:  # noqa: ANN001
    """Turn CLI flags into a MetricQuery, resolving bare dimension names (`region` → `customer__region`)."""
    unknown = [m for m in metrics if catalog.metric(m) is None]
    if unknown:
        hints = [s for s in (suggest(u, [m.name for m in catalog.metrics]) for u in unknown) if s]
        raise UserError(f"Unknown metric {', '.join(map(repr, unknown))}."
                        + (f" Did you mean {', '.join(hints)}?" if hints else ""), suggestions=hints)
    check_positive_int(limit, "--limit")
    refs = available_dimensions(catalog, metrics)

    def resolve(name: str) -> str:
        """A bare name resolves to the nearest model that has it (the measure's own model first)."""
        if name in refs or name == "metric_time" or name.startswith("metric_time__"):
            return name
        matches = sorted((len(r.path), key) for key, r in refs.items() if key.split("__")[-1] == name)
        if len(matches) == 1 or (len(matches) > 1 and matches[0][0] < matches[1][0]):
            return matches[0][1]
        return name  # ambiguous or unknown: the compiler explains with suggestions

    filters = [parse_where(w) for w in where]
    filters = [f.model_copy(update={"dimension": resolve(f.dimension)}) for f in filters]
    time_range = None
    if start or end:
        if not (start and end):
            raise UserError("Give both --from and --to (inclusive dates).")
        if start > end:
            raise UserError(f"The start {start.date()} is after the end {end.date()}.")
        time_range = TimeRange(start=start.date(), end=end.date())
    if grain and grain not in GRAINS:
        raise UserError(f"Unknown grain {grain!r}; use one of {', '.join(GRAINS)}.")
    if compare and compare not in _COMPARE:
        raise UserError(f"Unknown comparison {compare!r}; use previous or yoy.")
    orders = []
    for item in order:
        desc = item.startswith("-")
        orders.append(OrderBy(field=resolve(item.lstrip("-+")), descending=desc))
    return MetricQuery(metrics=tuple(metrics), group_by=tuple(resolve(b) for b in by), grain=grain,
                       time_range=time_range, where=tuple(filters), order_by=tuple(orders), limit=limit,
                       compare=_COMPARE.get(compare) if compare else None)


_metric_opt = typer.Option(..., "--metric", "-m", help="Metric name (repeat for several).")
_by_opt = typer.Option([], "--by", "-b", help="Dimension to group by (repeat).")
_grain_opt = typer.Option(None, "--grain", "-g", help="day|week|month|quarter|year")
_from_opt = typer.Option(None, "--from", formats=["%Y-%m-%d"], help="First day (inclusive).")
_to_opt = typer.Option(None, "--to", formats=["%Y-%m-%d"], help="Last day (inclusive).")
_compare_opt = typer.Option(None, "--compare", help="previous | yoy")
_where_opt = typer.Option([], "--where", "-w", help="Filter like region=East (repeat).")
_order_opt = typer.Option([], "--order", help="Order by a field; prefix - for descending (repeat).")
_limit_opt = typer.Option(None, "--limit", help="Keep the first N rows.")


@app.command()
def query(metric: list[str] = _metric_opt, by: list[str] = _by_opt, grain: str | None = _grain_opt,
          start: dt.datetime | None = _from_opt, end: dt.datetime | None = _to_opt,
          compare: str | None = _compare_opt, where: list[str] = _where_opt, order: list[str] = _order_opt,
          limit: int | None = _limit_opt, as_json: bool = JsonOpt,
          user: str | None = typer.Option(None, "--user", help="Answer as this person (id, e-mail or @handle): "
                                          "their access policy applies, as in Slack. Default: the operator."),
          catalog: Path | None = CatalogOpt, warehouse: Path | None = WarehouseOpt) -> None:
    """Compute governed metrics: `metricloop query -m revenue --by region --grain month --from ... --to ...`."""
    try:
        service = build_runtime(_settings(catalog, warehouse), understanding=False).service
        q = build_query(service.catalog, metric, by, grain, start, end, compare, where, order, limit)
        q = service.check_filter_values(q, user=user)
    except (UserError, ValueError) as exc:
        _fail(getattr(exc, "message", str(exc)), as_json)
    _print_answer(service.query(q, user=user), as_json, service.catalog)


@app.command()
def explain(metric: list[str] = _metric_opt, by: list[str] = _by_opt, grain: str | None = _grain_opt,
            start: dt.datetime | None = _from_opt, end: dt.datetime | None = _to_opt,
            compare: str | None = _compare_opt, where: list[str] = _where_opt, order: list[str] = _order_opt,
            limit: int | None = _limit_opt, dialect: str = typer.Option("duckdb", "--dialect"),
            catalog: Path | None = CatalogOpt, as_json: bool = JsonOpt,
            user: str | None = typer.Option(None, "--user", help="Explain as this person (id, e-mail or @handle): "
                                            "each metric allowed or denied, their row filters, and the SQL as "
                                            "they would see it, as in Slack. Default: the operator.")) -> None:
    """Print the SQL a query compiles to (any sqlglot dialect), without touching a warehouse; with --user or
    --json, also whose view it is: each metric allowed or denied and the row filters applied."""
    try:
        service = build_offline_service(_settings(catalog, None))
        q = build_query(service.catalog, metric, by, grain, start, end, compare, where, order, limit)
        if user is None and not as_json:
            print(service.explain(q, dialect))
            return
        report = explain_for(service, q, user, dialect)
    except (UserError, ValueError) as exc:
        _fail(getattr(exc, "message", str(exc)), as_json)
    if as_json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print_explanation(report)


def _print_answer(answer: Answer, as_json: bool, catalog) -> None:  # noqa: ANN001
    if as_json:
        print(json.dumps(answer.to_json_dict(), ensure_ascii=False, default=str))
    else:
        from metricloop.render_terminal import print_answer

        print_answer(console, answer, {m.name: m for m in catalog.metrics})
    if answer.status == "error":
        raise typer.Exit(1)


@catalog_app.command("check")
def catalog_check(catalog: Path | None = CatalogOpt, warehouse: Path | None = WarehouseOpt,
                  no_warehouse: bool = typer.Option(False, "--no-warehouse",
                                                    help="Skip the warehouse checks."),
                  record: bool = typer.Option(True, "--record/--no-record",
                                              help="Record the definitions (changelog) in the store.")) -> None:
    """Validate the catalog (and its tables/columns in the warehouse); list every problem at once. A valid
    catalog's definitions are recorded: changes since the last load become changelog entries."""
    settings = _settings(catalog, warehouse)
    table_columns = None
    if not no_warehouse and (is_url(settings.warehouse) or Path(settings.warehouse).exists()):
        table_columns = open_warehouse(settings).table_columns
    problems = check_catalog(settings.catalog_dir, table_columns, schema=settings.warehouse_schema)
    for problem in problems:
        console.print(str(problem), markup=False, highlight=False)
    if problems:
        err_console.print(f"[red]{len(problems)} problem(s)[/red]")
        raise typer.Exit(1)
    unsupported = [m for m in load_catalog_for(settings).metrics if m.unsupported_reason]
    for metric in unsupported:  # loads, but these cannot be answered yet: say so, with where they are defined
        console.print(f"warning: {metric.source} metric '{metric.name}' cannot be computed yet: "
                      f"{metric.unsupported_reason}", markup=False, highlight=False)
    note = f", {len(unsupported)} metric(s) not computable yet" if unsupported else ""
    if table_columns is None:  # say so: "OK" must not read as "its tables and columns were checked"
        why = "--no-warehouse" if no_warehouse else f"no warehouse at {settings.warehouse}"
        note += f"; warehouse checks skipped ({why}): tables and columns not verified"
    console.print(f"[green]catalog OK[/green] ({settings.catalog_dir}{note})")
    if record:
        for change in record_definitions(settings):
            console.print(f"definition {change.kind}: {change.metric} "
                          f"({', '.join(c['field'] for c in change.changes) or change.hash or '-'})",
                          markup=False, highlight=False)


@catalog_app.command("list")
def catalog_list(catalog: Path | None = CatalogOpt) -> None:
    """The governed metrics, with type, owner and domain."""
    try:
        cat = load_catalog_for(_settings(catalog, None))
    except CatalogError as exc:
        _fail(exc.message, False)
    table = Table("metric", "label", "type", "owner", "domain")
    for m in sorted(cat.metrics, key=lambda m: (m.meta.domain or "", m.name)):
        table.add_row(m.name, m.display_name, m.type + (" (unsupported)" if m.unsupported_reason else ""),
                      m.meta.owner or "", m.meta.domain or "")
    console.print(table)


@catalog_app.command("show")
def catalog_show(name: str, catalog: Path | None = CatalogOpt) -> None:
    """One metric's definition: type, formula, owner, synonyms, target, where it is defined."""
    cat = load_catalog_for(_settings(catalog, None))
    metric = cat.metric(name)
    if metric is None:
        hint = suggest(name, [m.name for m in cat.metrics])
        _fail(f"Unknown metric {name!r}." + (f" Did you mean {hint!r}?" if hint else ""), False)
    console.print_json(metric.model_dump_json(exclude_defaults=True))


@catalog_app.command("schema")
def catalog_schema() -> None:
    """Print the JSON Schema of metricloop's governance fields (metric `config.meta`)."""
    print(json.dumps(MetricMeta.model_json_schema(), indent=2))


@app.command()
def demo(path: Path | None = typer.Option(None, "--path", help="Where to write the DuckDB file."),
         end: dt.datetime | None = typer.Option(None, "--end", formats=["%Y-%m-%d"], help="Last day of data."),
         scale: float = typer.Option(1.0, "--scale", help="Size factor (1.0 ≈ a few million rows)."),
         if_missing: bool = typer.Option(False, "--if-missing",
                                         help="Do nothing when a demo ending less than a week ago exists.")) -> None:
    """Build the deterministic demo warehouse."""
    from metricloop.demo import build_demo
    from metricloop.demo.build import demo_end

    target = Path(path or load_settings().warehouse)
    if if_missing and target.exists():
        last = demo_end(target)
        if last is not None and (dt.date.today() - last).days <= 7:
            console.print(f"demo warehouse present: {target} (data to {last})")
            return
        # a stale demo makes "last month" an empty answer: rebuild it to end yesterday
        console.print(f"demo warehouse {target} ends {last}; rebuilding it up to yesterday")
    target.parent.mkdir(parents=True, exist_ok=True)
    with progress_bar("building the demo warehouse", console=console) as tick:
        info = build_demo(target, end=end.date() if end else None, scale=scale, progress=tick)
    console.print(f"[green]demo warehouse written[/green] {target}: {info.start} – {info.end}, "
                  f"{info.total_rows:,} rows in {len(info.tables)} tables, {len(info.incidents)} planted incidents "
                  "(see catalog/README.md)")


@app.command()
def ask(question: str, as_json: bool = JsonOpt,
        today: dt.datetime | None = typer.Option(None, "--today", formats=["%Y-%m-%d"],
                                                    help="Reference date for relative periods."),
        user: str | None = typer.Option(None, "--user", help="Who is asking (for access rules)."),
        catalog: Path | None = CatalogOpt, warehouse: Path | None = WarehouseOpt) -> None:
    """Answer a question in plain words (English or Chinese): `metricloop ask "revenue by region last quarter"`."""
    if not question.strip():  # at once: no catalog, warehouse or model for a question that is not there
        if as_json:
            print(json.dumps(Answer(status="no_match", message=ASK_HELP).to_json_dict(), ensure_ascii=False))
        else:
            console.print(ASK_HELP, markup=False, highlight=False)
        return
    try:
        clock = FixedClock(today.date()) if today else None  # --today: the question is asked on that day
        with progress_bar("reading dimension values", console=console, quiet=as_json) as tick:
            service = build_runtime(_settings(catalog, warehouse), clock=clock, progress=tick).service
    except UserError as exc:
        _fail(exc.message, as_json)
    answer = service.ask(question, user=user)
    _print_answer(answer, as_json, service.catalog)


@app.command()
def chat(today: dt.datetime | None = typer.Option(None, "--today", formats=["%Y-%m-%d"]),
         catalog: Path | None = CatalogOpt, warehouse: Path | None = WarehouseOpt) -> None:
    """Interactive local chat: the same answers as in Slack, in the terminal; charts saved as PNG."""
    from metricloop.chat import run_chat

    try:
        run_chat(_settings(catalog, warehouse), today=today.date() if today else None)
    except UserError as exc:
        _fail(exc.message, False)


@app.command("eval")
def evaluate(file: Path, catalog: Path | None = CatalogOpt, warehouse: Path | None = WarehouseOpt,
             min_accuracy: float = typer.Option(0.0, "--min-accuracy", help="Exit 1 below this accuracy (0–1)."),
             show_failures: bool = typer.Option(True, "--failures/--no-failures"), as_json: bool = JsonOpt) -> None:
    """Score the interpreter on a question set (YAML); prints accuracy and false-answer rate by category and
    language."""
    from metricloop.eval_runner import run_eval

    if not file.is_file():
        raise UserError(f"The question set {file} does not exist or is not a file: give a YAML file of questions "
                        "(`questions: [{q: ..., expect: {...}}]`, see tests/fixtures/questions/dev.yaml).")
    settings = _settings(catalog, warehouse)
    accuracy = run_eval(settings, file, console, show_failures=show_failures, as_json=as_json)
    if accuracy < min_accuracy:
        raise typer.Exit(1)


@app.command()
def serve(http: bool = typer.Option(False, "--http", help="Force HTTP mode even when SLACK_APP_TOKEN is set."),
          port: int | None = typer.Option(None, "--port", help="HTTP port (default METRICLOOP_HTTP_PORT, 3000)."),
          host: str | None = typer.Option(None, "--host", help="HTTP host (default 127.0.0.1)."),
          catalog: Path | None = CatalogOpt, warehouse: Path | None = WarehouseOpt) -> None:
    """Run the Slack bot: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on /slack/events."""
    from metricloop.slack.server import check_settings
    from metricloop.slack.server import serve as serve_slack

    settings = load_settings(catalog_dir=catalog, warehouse=warehouse, http_host=host, http_port=port)
    try:
        check_settings(settings, force_http=http)
        runtime = build_runtime(settings, slack=True, jobs=True)
        runtime.start()
        serve_slack(runtime.app, settings, force_http=http)
    except UserError as exc:
        _fail(exc.message, False)


@app.command()
def start(catalog: Path | None = CatalogOpt, warehouse: Path | None = WarehouseOpt) -> None:
    """The main job: the Slack bot when SLACK_BOT_TOKEN is set, otherwise the local chat."""
    from metricloop.chat import run_chat

    settings = _settings(catalog, warehouse)
    if settings.slack_configured:
        serve(http=False, port=None, host=None, catalog=catalog, warehouse=warehouse)
        return
    err_console.print("SLACK_BOT_TOKEN is not set: starting the local chat (`metricloop chat`).")
    try:
        run_chat(settings, today=None)
    except UserError as exc:
        _fail(exc.message, False)


def main() -> None:
    """Console-script entry point."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        app()
    except UserError as exc:
        err_console.print(f"[red]{exc.message}[/red]")
        sys.exit(1)


if __name__ == "__main__":
    main()

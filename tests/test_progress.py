"""Progress bars (issue 10): long work (`demo`, `scan`, `eval`, value-index builds) reports each step; a terminal
shows a bar that advances to the end, and `--json` or output that is not a terminal shows nothing."""
from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import duckdb
import pytest
from rich.console import Console
from tests.slack.conftest import FIXTURES, TableUnderstander, build_shop_warehouse
from typer.testing import CliRunner

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.value_index import WarehouseValueIndex
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.cli import app
from metricloop.clock import FixedClock
from metricloop.demo.build import STEPS, build_demo
from metricloop.eval_runner import score_file
from metricloop.loop.scanner import scan_range
from metricloop.progress import no_progress, progress_bar
from metricloop.service import MetricService

SMALL_EVAL = FIXTURES / "cli" / "eval_small.yaml"
runner = CliRunner()


class Recorder:
    """A tick that remembers what it heard."""

    def __init__(self) -> None:
        self.done, self.total, self.steps = 0, None, []

    def __call__(self, advance: int = 1, *, total: int | None = None, what: str | None = None) -> None:
        self.done += advance
        self.total = total if total is not None else self.total
        if what:
            self.steps.append(what)


def _counts(text: str) -> list[tuple[int, int]]:
    """The 'done/total' figures a bar drew, in order (colour codes removed)."""
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
    return [(int(a), int(b)) for a, b in re.findall(r"(?<![\d/])(\d+)/(\d+)(?![\d/])", plain)]


def _terminal(force: bool) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=force, width=100, color_system=None), out


def test_the_bar_advances_to_the_end_on_a_terminal():
    console, out = _terminal(True)
    with progress_bar("counting", console=console) as tick:
        tick(0, total=3)
        for step in ("one", "two", "three"):
            tick(what=step)
    shown = out.getvalue()
    assert list(dict.fromkeys(_counts(shown))) == [(0, 3), (1, 3), (2, 3), (3, 3)]  # every step drawn, in order
    assert "counting · three" in shown


@pytest.mark.parametrize(("force", "quiet"), [(False, False), (True, True), (False, True)])
def test_quiet_with_json_or_without_a_terminal(force, quiet):
    console, out = _terminal(force)
    with progress_bar("counting", console=console, quiet=quiet, total=2) as tick:
        tick()
        tick()
    assert tick is no_progress and out.getvalue() == ""


def test_demo_reports_every_step(tmp_path):
    heard = Recorder()
    build_demo(tmp_path / "demo.duckdb", end=dt.date(2026, 3, 31), scale=0.02, progress=heard)
    assert heard.total == heard.done == STEPS
    assert "writing orders" in heard.steps and "generating sessions" in heard.steps


def test_value_index_reports_each_dimension(tmp_path):
    catalog = load_catalog(FIXTURES / "catalogs" / "shop")
    warehouse = DuckDBWarehouse(str(build_shop_warehouse(tmp_path / "shop.duckdb")))
    heard = Recorder()
    WarehouseValueIndex(catalog, warehouse).refresh(heard)
    warehouse.close()
    categorical = [f"{sm.name}.{d.name}" for sm in catalog.semantic_models for d in sm.dimensions
                   if d.type == "categorical"]
    assert heard.total == heard.done == len(categorical) and heard.steps == categorical


def test_a_scan_over_a_range_reports_each_query(tmp_path):
    loop = FIXTURES / "loop"
    path = tmp_path / "loop.duckdb"
    con = duckdb.connect(str(path))
    con.execute((loop / "warehouse.sql").read_text())
    con.close()
    warehouse = DuckDBWarehouse(str(path))
    service = MetricService(catalog=load_catalog(loop / "catalog"), warehouse=warehouse,
                            clock=FixedClock(dt.date(2026, 3, 11)))
    heard = Recorder()
    result = scan_range(service, dt.date(2026, 3, 1), dt.date(2026, 3, 10), progress=heard)
    warehouse.close()
    assert heard.total == heard.done == result.queries > 1


def test_eval_reports_each_question(tmp_path):
    service = MetricService(catalog=load_catalog(FIXTURES / "catalogs" / "shop"), warehouse=None,
                            understander=TableUnderstander())
    heard = Recorder()
    report = score_file(None, SMALL_EVAL, heard, service=service)
    assert heard.total == heard.done == len(report.outcomes) == 4


@pytest.fixture(scope="module")
def demo_warehouse(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("progress") / "demo.duckdb"
    build_demo(path, end=dt.date(2026, 11, 26), scale=0.02)
    return str(path)


@pytest.fixture
def a_terminal(monkeypatch, tmp_path):
    """rich treats the output as a terminal (as when a person runs the command)."""
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setattr("metricloop.cli.console", Console())  # rich decides it is interactive when it is made
    monkeypatch.setenv("METRICLOOP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("METRICLOOP_STORE_PATH", str(tmp_path / "store.sqlite"))


SCAN = ["scan", "--from", "2026-11-20", "--to", "2026-11-26", "--dry-run", "--metric", "orders"]


def test_scan_in_a_terminal_shows_the_bar_and_with_json_prints_only_json(demo_warehouse, a_terminal):
    shown = runner.invoke(app, [*SCAN, "--warehouse", demo_warehouse])
    assert shown.exit_code == 0, shown.output
    done = _counts(shown.stdout)
    assert done and done[-1][0] == done[-1][1] > 1 and "scanning 2026-11-20" in shown.stdout
    quiet = runner.invoke(app, [*SCAN, "--warehouse", demo_warehouse, "--json"])
    assert quiet.exit_code == 0, quiet.output
    assert isinstance(json.loads(quiet.stdout), list) and "scanning" not in quiet.stdout


def test_eval_with_json_prints_only_json_in_a_terminal(demo_warehouse, a_terminal):
    result = runner.invoke(app, ["eval", str(SMALL_EVAL), "--warehouse", demo_warehouse, "--json"])
    assert json.loads(result.stdout)["questions"] == 4 and "scoring" not in result.stdout


def test_demo_in_a_terminal_shows_the_bar(tmp_path, a_terminal):
    result = runner.invoke(app, ["demo", "--path", str(tmp_path / "d.duckdb"), "--scale", "0.02",
                                 "--end", "2026-03-31"])
    assert result.exit_code == 0, result.output
    assert (STEPS, STEPS) in _counts(result.stdout) and "demo warehouse written" in result.stdout
    assert Path(tmp_path / "d.duckdb").exists()

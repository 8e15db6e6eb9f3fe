"""Clean errors, always (issue 10): every command with --json prints exactly one JSON value on stdout whatever
happens — a warehouse that is not a DuckDB file, one locked by a writer, a bad setting — and never a traceback.
The table is tests/fixtures/cli/bad_inputs.yaml (commands × bad inputs); a command with --json missing from it
fails the test."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import typer.main
from ruamel.yaml import YAML
from typer.testing import CliRunner

from metricloop.cli import app

ROOT = Path(__file__).resolve().parents[1]
TABLE = YAML(typ="safe").load((ROOT / "tests/fixtures/cli/bad_inputs.yaml").read_text(encoding="utf-8"))
COMMANDS = TABLE["commands"]
runner = CliRunner()


def _json_commands() -> set[str]:
    found: set[str] = set()

    def walk(cmd, path: list[str]) -> None:
        if hasattr(cmd, "commands"):  # a group (typer may ship its own click)
            for name, sub in cmd.commands.items():
                walk(sub, [*path, name])
        elif any("--json" in p.opts for p in cmd.params):
            found.add(" ".join(path))

    walk(typer.main.get_command(app), [])
    return found


def _name(command: dict) -> str:
    args = command["args"]
    return " ".join(args[:2]) if args[0] == "catalog" else args[0]


def test_the_table_covers_every_command_with_json():
    found = _json_commands()
    assert len(found) >= 8 and {"query", "ask", "scan"} <= found
    assert found - {_name(c) for c in COMMANDS} == set()


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("METRICLOOP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("METRICLOOP_STORE_PATH", str(tmp_path / "store.sqlite"))
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory):
    """Each kind of bad warehouse file; the locked one is held open for writing by another process."""
    tmp = tmp_path_factory.mktemp("bad")
    files = {kind: tmp / f"{kind.replace(' ', '_')}.duckdb" for kind in TABLE["bad_warehouses"]}
    files["text"].write_text("order_id,revenue\n1,10\n")
    files["random bytes"].write_bytes(bytes(range(256)) * 40)
    files["empty"].write_bytes(b"")
    files["directory"].mkdir()
    duckdb.connect(str(files["locked by a writer"])).close()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('ready', flush=True); time.sleep(600)", str(files["locked by a writer"])],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ready"
    yield files
    holder.kill()
    holder.wait()


def _one_json_value(result) -> object:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    text = result.stdout.strip()
    value, end = json.JSONDecoder().raw_decode(text)
    assert text[end:].strip() == "", f"more than one JSON value on stdout: {text[:300]}"
    return value


@pytest.mark.parametrize("kind", list(TABLE["bad_warehouses"]))
@pytest.mark.parametrize("command", COMMANDS, ids=_name)
def test_a_bad_warehouse_gives_one_json_error(command, kind, bad_files):
    path = str(bad_files[kind])
    result = runner.invoke(app, [*(a.replace("{warehouse}", path) for a in command["args"]), "--json"],
                           env={"METRICLOOP_WAREHOUSE": path})
    out = _one_json_value(result)
    if command.get("uses_warehouse", True):
        assert result.exit_code == 1 and out["status"] == "error"
        assert path in out["message"] and TABLE["bad_warehouses"][kind] in out["message"]
        assert "\n" not in out["message"]


@pytest.mark.parametrize("case", TABLE["bad_settings"], ids=lambda c: next(iter(c["env"])))
@pytest.mark.parametrize("command", COMMANDS, ids=_name)
def test_a_bad_setting_gives_one_json_error_naming_the_variable(command, case):
    args = [a.replace("{warehouse}", "var/demo.duckdb") for a in command["args"]]
    result = runner.invoke(app, [*args, "--json"], env=case["env"])
    out = _one_json_value(result)
    assert result.exit_code == 1 and out["status"] == "error" and case["message"] in out["message"]


@pytest.mark.parametrize("case", TABLE["bad_settings"], ids=lambda c: next(iter(c["env"])))
def test_a_bad_setting_is_one_line_without_json(case):
    result = runner.invoke(app, ["query", "-m", "revenue"], env=case["env"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert case["message"] in " ".join(result.output.split())


def test_an_empty_question_is_answered_at_once_with_terminal_help():
    result = runner.invoke(app, ["ask", "  ", "--warehouse", "/nonexistent.duckdb"])  # nothing is opened
    assert result.exit_code == 0 and "metricloop ask" in result.output and "/metrics" not in result.output
    out = _one_json_value(runner.invoke(app, ["ask", "", "--json"]))
    assert out["status"] == "no_match" and "metricloop catalog list" in out["message"]

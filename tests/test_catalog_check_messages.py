"""`metricloop catalog check` says what it did not check and where every duplicate is (issue 10)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from metricloop.cli import app

ROOT = Path(__file__).resolve().parents[1]
CASES = YAML(typ="safe").load((ROOT / "tests/fixtures/cli/catalog_check.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_catalog_check_output(case, tmp_path, monkeypatch):
    monkeypatch.setenv("METRICLOOP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("METRICLOOP_STORE_PATH", str(tmp_path / "store.sqlite"))
    catalog = tmp_path / "catalog"
    shutil.copytree(ROOT / "catalog", catalog)
    for name, text in (case.get("add") or {}).items():
        (catalog / name).write_text(text)
    args = [a.replace("{tmp}", str(tmp_path)) for a in case["args"]]
    result = CliRunner().invoke(app, ["catalog", "check", "--catalog", str(catalog), *args])
    output = " ".join(result.output.split())
    assert result.exit_code == case["exit"], output
    squeezed = "".join(output.split())  # rich wraps long paths anywhere, even inside a name
    for phrase in case["expect"]:
        assert "".join(phrase.split()) in squeezed, output

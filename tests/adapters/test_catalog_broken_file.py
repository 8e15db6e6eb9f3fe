"""After one catalog file fails to load, problems elsewhere neither suggest its names nor pretend they do not
exist anywhere (issue 10): cases in tests/fixtures/catalogs/broken_file_cases.yml, through the loader and
through `metricloop catalog check`."""
from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from metricloop.adapters.catalog_files import check_catalog
from metricloop.cli import app

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "catalogs" / "broken_file_cases.yml"
CASES = YAML(typ="safe").load(FIXTURE.read_text())["cases"]


def _write(case: dict, root: Path) -> Path:
    root.mkdir()
    for name, text in case["files"].items():
        data = text.replace("{BEL}", "\x07").encode().replace(b"{LATIN1}", b"\xe9")
        (root / name).write_bytes(data)
    return root


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_problems_after_a_file_that_did_not_load(case, tmp_path):
    reported = [str(p) for p in check_catalog(_write(case, tmp_path / "catalog"))]
    for expected in case["expect"]:
        assert any(expected in line for line in reported), f"{expected!r} not in {reported}"
    for never in case["never"]:
        assert not any(never in line for line in reported), f"{never!r} in {reported}"


@pytest.mark.parametrize("case", CASES[:2], ids=[c["name"] for c in CASES[:2]])
def test_catalog_check_prints_them_without_a_traceback(case, tmp_path):
    result = CliRunner().invoke(app, ["catalog", "check", "--catalog", str(_write(case, tmp_path / "catalog")),
                                      "--no-warehouse", "--no-record"])
    flat = "".join(result.output.split())  # rich wraps long lines
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "Internalerror" not in flat
    assert "whichdidnotload" in flat and "didyoumean'net_revenue'" not in flat

"""House rules that code review alone would miss."""
from __future__ import annotations

import ast
import json
from pathlib import Path

from metricloop.core.catalog import MetricMeta

SRC = Path(__file__).resolve().parents[1] / "src" / "metricloop"
FORBIDDEN_IN_CORE = {"duckdb", "slack_bolt", "slack_sdk", "apscheduler", "torch", "sentence_transformers",
                     "httpx", "requests", "socket", "sqlite3", "uvicorn", "starlette", "vl_convert", "urllib"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
            if node.module.startswith("metricloop.") and not node.module.startswith(("metricloop.core", "metricloop.errors")):
                found.add(node.module)
    return found


def test_core_is_pure():
    offenders = {}
    for path in sorted((SRC / "core").glob("*.py")):
        bad = {m for m in _imports(path) if m in FORBIDDEN_IN_CORE or m.startswith("metricloop.")}
        if bad:
            offenders[path.name] = sorted(bad)
    assert offenders == {}, f"core modules importing I/O or outer layers: {offenders}"


def test_published_meta_schema_is_current():
    published = json.loads((SRC / "schemas" / "metric_meta.schema.json").read_text())
    current = MetricMeta.model_json_schema()
    assert published["properties"] == current["properties"], "regenerate with `metricloop catalog schema`"

"""House rules that code review alone would miss."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from metricloop.core.catalog.model import MetricMeta

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
            if (node.module.startswith("metricloop.")
                    and not node.module.startswith(("metricloop.core", "metricloop.errors"))):
                found.add(node.module)
    return found


def test_core_is_pure():
    offenders = {}
    for path in sorted((SRC / "core").rglob("*.py")):
        bad = {m for m in _imports(path) if m in FORBIDDEN_IN_CORE or m.startswith("metricloop.")}
        if bad:
            offenders[str(path.relative_to(SRC))] = sorted(bad)
    assert offenders == {}, f"core modules importing I/O or outer layers: {offenders}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _metricloop_imports(path: Path) -> set[str]:
    """Every metricloop module `path` imports, wherever the import statement stands."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if (isinstance(node, ast.ImportFrom) and node.module and node.level == 0
                and node.module.startswith("metricloop")):
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("metricloop")}
    return found


def _import_graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in SRC.rglob("*.py")}
    return {name: {m for m in _metricloop_imports(path) if m in modules and m != name}
            for name, path in modules.items()}


def test_no_import_circles():
    graph = _import_graph()
    state: dict[str, int] = {}
    circles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append(trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert circles == [], f"import circles: {circles}"


def _may_import(package: Path) -> set[str]:
    doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text())) or ""
    lines = [line for line in doc.splitlines() if line.startswith("May import:")]
    assert lines, f"{package.relative_to(SRC)}/__init__.py must say what it may import ('May import: ...')"
    return {name.strip().rstrip(".") for name in lines[0].removeprefix("May import:").split(",") if name.strip()}


def test_core_subpackages_import_only_what_they_declare():
    offenders = {}
    for package in sorted(p for p in (SRC / "core").iterdir() if (p / "__init__.py").exists()):
        allowed = _may_import(package) | {package.name}
        for path in sorted(package.rglob("*.py")):
            for module in _metricloop_imports(path):
                if not module.startswith("metricloop.core."):
                    continue
                room = module.removeprefix("metricloop.core.")
                if not any(room == a or room.startswith(a + ".") for a in allowed):
                    offenders.setdefault(str(path.relative_to(SRC)), set()).add(room)
    assert offenders == {}, f"imports a subpackage does not declare: {offenders}"


def test_published_meta_schema_is_current():
    published = json.loads((SRC / "schemas" / "metric_meta.schema.json").read_text())
    current = MetricMeta.model_json_schema()
    assert published["properties"] == current["properties"], "regenerate with `metricloop catalog schema`"


def test_the_pytest_command_collects_as_python_m_pytest_does():
    """`pytest` (the command) put only tests/ on the path, so the 25 modules importing `tests.slack.conftest` and the
    like failed to collect unless run as `python -m pytest` (which adds the working directory)."""
    root = Path(__file__).resolve().parents[1]
    command = Path(sys.executable).with_name("pytest")
    done = subprocess.run([str(command), "--collect-only", "-q", "tests/test_progress.py"],
                          cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]

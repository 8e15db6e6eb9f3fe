"""What the blind question sets' soundness tests share (tests/test_eval_blind_*.py): a set's files loaded once, the
names its catalog gives, its gold SQL run as gold.yaml records rows, and the `catalog check` run. Each test module
keeps its own assertions (sizes, tolerances, extra checks); only the reading is here."""
from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from ruamel.yaml import YAML
from typer.testing import CliRunner

from metricloop.cli import app
from metricloop.core.text import has_cjk

FIXTURES = Path(__file__).resolve().parent / "fixtures"
_yaml = YAML(typ="safe")


@dataclass
class BlindSet:
    """One blind set's folder: questions.yaml, gold.yaml and catalog/*.yml, read once."""

    folder: str
    here: Path = field(init=False)
    questions: dict[str, Any] = field(init=False)
    gold: list[dict[str, Any]] = field(init=False)
    catalog: list[dict[str, Any]] = field(init=False)

    def __post_init__(self) -> None:
        self.here = FIXTURES / self.folder
        self.questions = _yaml.load((self.here / "questions.yaml").read_text(encoding="utf-8"))
        self.gold = _yaml.load((self.here / "gold.yaml").read_text(encoding="utf-8"))["questions"]
        files = sorted((self.here / "catalog").glob("*.yml"))
        self.catalog = [_yaml.load(p.read_text(encoding="utf-8")) for p in files]

    @property
    def answerable(self) -> list[dict[str, Any]]:
        return [q for q in self.questions["questions"] if "metrics" in q["expect"]]

    def metrics(self) -> list[dict[str, Any]]:
        return [m for doc in self.catalog for m in doc.get("metrics", [])]

    def metric_names(self) -> set[str]:
        return {m["name"] for m in self.metrics()}

    def dimension_names(self) -> set[str]:
        """`entity__dimension` for every dimension, named through its semantic model's primary entity."""
        names = set()
        for model in (m for doc in self.catalog for m in doc.get("semantic_models", [])):
            primary = next(e["name"] for e in model["entities"] if e["type"] == "primary")
            names.update(f"{primary}__{d['name']}" for d in model.get("dimensions", []))
        return names

    def dimension_columns(self) -> dict[str, tuple[str, str]]:
        """`entity__dimension` -> (table, column) for every dimension, named as in `dimension_names`."""
        out = {}
        for model in (m for doc in self.catalog for m in doc.get("semantic_models", [])):
            primary = next(e["name"] for e in model["entities"] if e["type"] == "primary")
            table = model["model"].split("'")[1]
            for d in model.get("dimensions", []):
                out[f"{primary}__{d['name']}"] = (table, d.get("expr", d["name"]))
        return out

    def catalog_texts(self) -> list[str]:
        return [p.read_text(encoding="utf-8") for p in (self.here / "catalog").glob("*.yml")]

    def gold_rows(self, warehouse: Path) -> dict[str, list[list]]:
        """Every gold SQL run once against the built warehouse, by question."""
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return {g["q"]: rows(con, g["sql"]) for g in self.gold}


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[list]:
    """The rows of `sql` as gold.yaml records them: numbers rounded to 4 decimals, dates as ISO strings."""
    def norm(v: Any) -> Any:
        if isinstance(v, decimal.Decimal | float):
            return round(float(v), 4)
        return v.isoformat() if isinstance(v, dt.date) else v
    return [[norm(v) for v in row] for row in con.execute(sql).fetchall()]


def same_row(got: list, want: list) -> bool:
    """Equal rows; numbers within rounding (a parallel DOUBLE sum may differ in its last digits between runs)."""
    return len(got) == len(want) and all(
        abs(g - w) <= 1e-3 if isinstance(g, int | float) and isinstance(w, int | float) else g == w
        for g, w in zip(got, want, strict=True))


def _numbers(row: list) -> list:
    return [v for v in row if isinstance(v, int | float)]


def same_ranked_rows(got: list, want: list, same: Callable[[list, list], bool] = same_row) -> bool:
    """The recorded rows in the recorded order, except that rows tied on every number may come in any order;
    `same` compares two rows (a set whose author recorded another tolerance passes its own).

    (A gold query ordered by a measure leaves equal measures in whatever order DuckDB's parallel scan gives;
    CI once saw two routes tied at 3,675 swap places.)"""
    if not got or len(got) != len(want):
        return False
    if all(same(g, w) for g, w in zip(got, want, strict=True)):
        return True
    if not all(same(_numbers(g), _numbers(w)) for g, w in zip(got, want, strict=True)):
        return False
    start = 0
    while start < len(want):  # each run of rows tied on their numbers must hold the same rows, in any order
        end = start + 1
        while end < len(want) and same(_numbers(want[end]), _numbers(want[start])):
            end += 1
        if not _same_rows_any_order(got[start:end], want[start:end], same):
            return False
        start = end
    return True


def _same_rows_any_order(got: list, want: list, same: Callable[[list, list], bool]) -> bool:
    """Each wanted row matched by one got row under `same`'s own tolerance (rounding to a digit count would
    split 3675.0004 and 3675.0006, which `same_row` calls equal)."""
    left = list(got)
    for w in want:
        match = next((i for i, g in enumerate(left) if same(g, w)), None)
        if match is None:
            return False
        del left[match]
    return not left


def names_what_the_catalog_has(blind: BlindSet, case: dict[str, Any]) -> None:
    """A question's expected metrics, dimensions and ordering are the catalog's; a follow-up's context is in the set."""
    expect = case["expect"]
    assert set(expect["metrics"]) <= blind.metric_names()
    named = list(expect.get("group_by") or []) + [w[0] for w in expect.get("where") or []]
    assert set(named) <= blind.dimension_names()
    assert {f for f, _ in expect.get("order") or []} <= set(expect["metrics"])
    if "after" in case:
        assert case["after"] in {q["q"] for q in blind.answerable}, "a follow-up's context is not in the set"


def english_only_with_every_metric_type(blind: BlindSet) -> None:
    """The catalog: English only, at most one synonym list, ≥ 15 metrics of every type incl. a grain_to_date
    cumulative and an offset derived metric."""
    texts = blind.catalog_texts()
    assert len(texts) >= 4 and not any(has_cjk(t) for t in texts)
    assert sum(t.count("synonyms:") for t in texts) <= 1
    metrics = blind.metrics()
    assert len(metrics) >= 15
    assert {m["type"] for m in metrics} == {"simple", "ratio", "derived", "cumulative"}
    assert any("grain_to_date" in m["type_params"] for m in metrics if m["type"] == "cumulative")
    assert any("offset_window" in ref for m in metrics if m["type"] == "derived" for ref in m["type_params"]["metrics"])


def catalog_check(blind: BlindSet, warehouse: Path, tmp_path: Path, monkeypatch: Any) -> Any:
    """`metricloop catalog check` of the set's catalog against its warehouse (cache and store kept in tmp_path)."""
    monkeypatch.setenv("METRICLOOP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("METRICLOOP_STORE_PATH", str(tmp_path / "store.sqlite"))
    args = ["catalog", "check", "--catalog", str(blind.here / "catalog"), "--warehouse", str(warehouse), "--no-record"]
    return CliRunner().invoke(app, args)

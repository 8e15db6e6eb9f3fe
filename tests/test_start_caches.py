"""What a cold `metricloop ask` no longer does at start (issue 9, "a fast CLI"), and that answers stay the same.

- The lexicon and spellers are kept on disk (adapters/lexicon_cache) per catalog, dimension values and code: an
  interpreter built from the cache reads every development question exactly as one built from scratch.
- The slim jieba is built on the first Chinese text, not at start; the catalog words' frequencies are cached.
- Everyday phrasings compile only the patterns a text may match (core/understand/paraphrase), and the trigger
  literals that say which (parsed from ~770 patterns, a third of a second) are kept on disk with the lexicon.
- The CLI and a runtime without Slack import neither slack_bolt, APScheduler nor pygments.
"""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.lexicon_cache import cached_builds
from metricloop.adapters.segmenter import install_slim_segmenter
from metricloop.adapters.value_index import build_value_index
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.core import text
from metricloop.core.understand.evaluate import evaluate, parse_cases
from metricloop.core.understand.interpreter import Understander
from metricloop.core.understand.lexicon import build_lexicon
from metricloop.core.understand.paraphrase import literal_index

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "fixtures" / "questions" / "dev.yaml"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from metricloop.demo.build import build_demo

    tmp = tmp_path_factory.mktemp("start")
    info = build_demo(tmp / "demo.duckdb", end=dt.date(2026, 11, 26), scale=0.02)
    catalog = load_catalog(ROOT / "catalog")
    values = build_value_index(catalog, DuckDBWarehouse(str(info.path), read_only=True))
    data = YAML(typ="safe").load(DEV.read_text(encoding="utf-8"))
    return catalog, values, data["today"], parse_cases(data)


def _readings(understander: Understander, today: dt.date, cases) -> list[dict]:
    report = evaluate(cases, lambda q, ctx: understander.interpret(q, today=today, context=ctx))
    return [{"q": o.case.q, "got": o.got.model_dump() if o.got is not None else None} for o in report.outcomes]


def _never(*_args):
    raise AssertionError("built again although it was cached")


def test_an_interpreter_from_the_cache_reads_every_question_as_one_built_from_scratch(world, tmp_path):
    catalog, values, today, cases = world
    built = cached_builds(catalog, "demo", tmp_path)
    Understander(catalog, None, values, built=built)  # cold: builds and writes
    kinds = sorted(p.name.split("-")[0] for p in tmp_path.glob("*.pickle"))
    assert kinds == ["lexicon", "paraphrase", "speller", "zh"], kinds
    # warm: each piece comes from disk, never from its builder
    for kind in ("lexicon", "speller", "zh-speller"):
        assert built(kind, _never, catalog, values.values()) is not None
    assert built("paraphrase-literals", _never, catalog, None) == literal_index()
    cached = Understander(catalog, None, values, built=built)
    assert _readings(cached, today, cases) == _readings(Understander(catalog, None, values), today, cases)
    assert len(cases) > 200


def test_other_values_another_catalog_or_a_torn_file_are_built_again(world, tmp_path):
    catalog, values, _, _ = world
    built = cached_builds(catalog, "demo", tmp_path)
    first = built("lexicon", build_lexicon, catalog, values.values())
    fewer = {key: list(seq)[:1] for key, seq in values.values().items()}
    assert built("lexicon", build_lexicon, catalog, fewer) != first  # its own entry, not the first one's
    other = catalog.model_copy(update={"metrics": catalog.metrics[:3]})
    with pytest.raises(AssertionError):
        built("lexicon", _never, other, values.values())  # not the runtime's catalog: always built
    for file in tmp_path.glob("lexicon-*.pickle"):
        file.write_bytes(b"torn")
    assert built("lexicon", build_lexicon, catalog, values.values()) == first


def test_the_slim_segmenter_is_built_on_the_first_chinese_text(world, tmp_path):
    catalog = world[0]
    before = text.segmenter_state()  # another module's tests in this worker may have installed one
    try:
        install_slim_segmenter(catalog, tmp_path)
        text.tokens("revenue by region last month")
        assert not list(tmp_path.glob("jieba-freq-*.json")), "an English text built the Chinese segmenter"
        words = text.tokens("上个月各地区的收入")
        assert "收入" in words and "地区" in words, words
        assert len(list(tmp_path.glob("jieba-freq-*.json"))) == 1
    finally:
        text.use_segmenter(*before)


def test_the_cli_and_a_runtime_without_slack_import_no_slack_scheduler_or_highlighter():
    code = ("import sys, metricloop.cli, metricloop.runtime; "
            "print(sorted(m for m in ('slack_bolt', 'slack_sdk', 'apscheduler', 'pygments') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stdout

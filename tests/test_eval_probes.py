"""Probes on the tuning catalogs (tests/fixtures/questions/probes.yaml): questions once answered with a number that
ignored part of them, found on catalogs other than the demo. One test per row, each on its set's real catalog,
warehouse (built by the set's generator) and value index — the embedding model is the bundled one, and Chinese is
segmented by the slim jieba the runtime installs."""
from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from metricloop.core.text import use_segmenter
from metricloop.core.understand.evaluate import Case, score_case
from set_interpreters import set_interpreter

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DATA = YAML(typ="safe").load((FIXTURES / "questions" / "probes.yaml").read_text(encoding="utf-8"))
ROWS = DATA["questions"]


# each probe in its set's xdist_group: the worker that scores the set's floor (tests/test_eval_blind_sets.py) asks
# its probes of the same interpreter
@pytest.mark.parametrize("row", [pytest.param(r, id=f"{r['set']}:{r['q']}", marks=pytest.mark.xdist_group(r["set"]))
                                 for r in ROWS])
def test_probe(tmp_path_factory, row):
    built = set_interpreter(row["set"], tmp_path_factory)
    understander = built.understander
    use_segmenter(*built.segmenter)
    try:
        context = understander.interpret(row["after"], today=DATA["today"]).query if "after" in row else None
        case = Case(q=row["q"], category="probe", expect=row["expect"])
        outcome = score_case(case, understander.interpret(row["q"], today=DATA["today"], context=context))
    finally:
        use_segmenter(None)
    assert outcome.ok, outcome.problems

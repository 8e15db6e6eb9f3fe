"""Issue 9's trust set: questions once answered with a number that ignored part of them, or did the
opposite (tests/fixtures/questions/trust.yaml). One test per question, on the demo catalog with the real
value index and embedding model, so each fix is pinned by the rows it made pass."""
from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

import test_eval_dev_set
from metricloop.core.understand.evaluate import parse_cases, score_case

ROOT = Path(__file__).resolve().parents[1]
DATA = YAML(typ="safe").load((ROOT / "tests" / "fixtures" / "questions" / "trust.yaml").read_text(encoding="utf-8"))
CASES = parse_cases(DATA)
understander = test_eval_dev_set.understander  # the demo interpreter, built as the dev set builds it


@pytest.mark.parametrize("case", CASES, ids=[f"{c.category}:{c.q}" for c in CASES])
def test_trust_question(understander, case):
    context = understander.interpret(case.after, today=DATA["today"]).query if case.after else None
    outcome = score_case(case, understander.interpret(case.q, today=DATA["today"], context=context))
    assert outcome.ok, outcome.problems

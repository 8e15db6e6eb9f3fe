"""dbt Labs' ACME insurance layer: plain metric questions find the right measure; row listings are refused.

The real bundled embedding model is used, as in production.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.embeddings import SentenceEmbedder
from metricloop.core.understand.catalog_view import catalog_with_measure_metrics
from metricloop.core.understand.evaluate import evaluate, parse_cases
from metricloop.core.understand.interpreter import Understander

ACME = Path(__file__).resolve().parent / "fixtures" / "acme_insurance" / "semantic_models"
CASES = Path(__file__).resolve().parent / "fixtures" / "questions" / "acme.yaml"



@pytest.fixture(scope="module")
def catalog():
    return catalog_with_measure_metrics(load_catalog(ACME))


def test_measures_with_create_metric_become_metrics(catalog):
    names = {m.name for m in catalog.metrics}
    assert {"claims", "number_of_policies", "total_policy_amount", "avg_time_to_settle_claim"} <= names
    assert "premium" not in names  # no create_metric: stays a measure unless all_measures=True
    assert "loss_payment_amount" in names and len(names) == len(catalog.metrics)


def test_all_measures_option_adds_the_rest():
    full = catalog_with_measure_metrics(load_catalog(ACME), all_measures=True)
    assert "premium" in {m.name for m in full.metrics}


def test_acme_questions(catalog, tmp_path):
    data = YAML(typ="safe").load(CASES.read_text(encoding="utf-8"))
    understander = Understander(catalog, SentenceEmbedder(cache_dir=tmp_path), None)
    report = evaluate(parse_cases(data), lambda t, c: understander.interpret(t, today=data["today"], context=c))
    assert report.failures == [], [(o.case.q, o.problems) for o in report.failures]

"""dbt Labs' ACME insurance benchmark end to end: `ask` in plain words over the real semantic layer and
the benchmark's own rows gives the gold results of its plain metric questions."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from metricloop.runtime import build_service
from metricloop.settings import load_settings

ACME = Path(__file__).resolve().parent / "fixtures" / "acme_insurance"
GOLD = {q["question"].strip(): q["gold_result"]["data"] for q in json.loads((ACME / "questions_gold.json").read_text())}
QUESTIONS = [
    "How many claims do we have?",
    "How many policies do we have?",
    "How many claims have been placed by policy number?",
    "What is the average time to settle a claim by policy number?",
    "What is the total loss amounts, which is the sum of loss payment, loss reserve amount by claim number?",
    "What are the loss payment amount of all claims by claim number?",
    "What are the loss reserve amount of all claims by claim number?",
]


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    path = tmp_path_factory.mktemp("acme") / "acme.duckdb"
    con = duckdb.connect(str(path))
    for csv in sorted((ACME / "csv").glob("*.csv")):
        con.execute(f"CREATE TABLE {csv.stem.lower()} AS SELECT * FROM read_csv_auto(?, header = true)", [str(csv)])
    # the YAML's ref('fire_claim') is the CSV FireClaim.csv, whose empty Premium column sniffs as text
    con.execute("CREATE VIEW fire_claim AS SELECT * REPLACE (CAST(Premium AS DOUBLE) AS Premium) FROM fireclaim")
    con.close()
    settings = load_settings(catalog_dir=ACME / "semantic_models", warehouse=path,
                             cache_dir=tmp_path_factory.mktemp("cache"))
    return build_service(settings, understanding=True)


@pytest.mark.parametrize("question", QUESTIONS)
def test_plain_metric_question_gives_the_gold_result(service, question):
    import datetime as dt

    answer = service.ask(question, today=dt.date(2026, 11, 27))
    assert answer.status == "answered", (answer.status, answer.message)
    want = sorted([[float(v) if isinstance(v, float) else v for v in row] for row in GOLD[question]])
    got = sorted([[float(v) if isinstance(v, float) else v for v in row] for row in answer.rows])
    assert got == want, (answer.interpretation, answer.sql)


def test_row_listing_questions_are_refused_honestly(service):
    import datetime as dt

    answer = service.ask("Return all the claims we have by claim number, open date and close date?",
                         today=dt.date(2026, 11, 27))
    assert answer.status == "no_match" and answer.rows == [] and "not lists of individual records" in answer.message

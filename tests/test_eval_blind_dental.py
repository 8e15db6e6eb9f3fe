"""The blind dental set (issue 9: a dental clinic chain — appointments, no-shows and late cancellations, procedures
and production, collections, chair utilisation, treatment-plan acceptance, new patients, hygiene recall, reviews) is
a sound fixture: its warehouse builds the same rows on every run and covers the whole history, every gold SQL runs
and returns the rows recorded in gold.yaml, the English-only catalog passes `metricloop catalog check` against its
warehouse, and every question names metrics, dimensions and filter values its catalog and data have.

Only the fixture is checked here, never the interpreter's accuracy on it.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

import duckdb
import pytest

from blind_fixture import (
    BlindSet,
    catalog_check,
    english_only_with_every_metric_type,
    names_what_the_catalog_has,
    same_row,
)
from metricloop.core.text import has_cjk
from metricloop.core.understand.evaluate import parse_cases
from test_generality import build_warehouse, shared_warehouse

FOLDER = "blind_dental"
# at least this many questions, Chinese questions, refusals
AT_LEAST, CHINESE, REFUSALS = 100, 36, 16
CATEGORIES = {"simple", "colloquial", "typo", "breakdown", "filter", "negation", "topn", "compare", "trend", "to_date",
              "followup", "refuse"}
FIRST_DAY, LAST_DAY = dt.date(2024, 11, 1), dt.date(2026, 11, 26)

BLIND = BlindSet(FOLDER)
ANSWERABLE = BLIND.answerable
GOLD = BLIND.gold


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return shared_warehouse(FOLDER, tmp_path_factory, tmp_path_factory.mktemp(FOLDER) / f"{FOLDER}.duckdb")


@pytest.fixture(scope="module")
def gold_rows(warehouse):
    return BLIND.gold_rows(warehouse)


def test_the_set_is_big_enough_and_parses():
    data = BLIND.questions
    questions = data["questions"]
    assert len(parse_cases(data)) == len(questions) >= AT_LEAST
    assert len([c for c in questions if has_cjk(c["q"])]) >= CHINESE
    assert len([c for c in questions if "metrics" not in c["expect"]]) >= REFUSALS
    assert len({c["q"] for c in questions}) == len(questions), "a question is repeated"
    cats = Counter(c["cat"] for c in questions)
    assert set(cats) == CATEGORIES and min(cats.values()) >= 5, cats


def test_today_is_the_day_after_the_data_and_every_period_is_inside_it():
    questions = BLIND.questions
    assert questions["today"] == LAST_DAY + dt.timedelta(days=1)
    for name, (start, end) in questions["ranges"].items():
        assert FIRST_DAY <= start <= end <= questions["today"], name
    for case in ANSWERABLE:
        if case["expect"].get("time"):
            start, end = case["expect"]["time"]
            assert FIRST_DAY <= start <= end <= questions["today"], case["q"]


def test_refusals_name_known_kinds():
    for case in (q for q in BLIND.questions["questions"] if "metrics" not in q["expect"]):
        kinds = case["expect"]["kind"]
        assert set(kinds if isinstance(kinds, list) else [kinds]) <= {"clarify", "no_match", "unsupported"}, case


def test_every_answerable_question_has_one_gold_entry():
    assert [g["q"] for g in GOLD] == [q["q"] for q in ANSWERABLE]


@pytest.mark.parametrize("case", ANSWERABLE, ids=[q["q"] for q in ANSWERABLE])
def test_every_question_names_what_the_catalog_has(case):
    names_what_the_catalog_has(BLIND, case)


def test_the_catalog_is_english_only_untuned_and_has_every_metric_type():
    english_only_with_every_metric_type(BLIND)


def test_every_filter_value_is_spelled_as_in_the_data(warehouse):
    columns = BLIND.dimension_columns()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for case in ANSWERABLE:
            for dimension, _, values in case["expect"].get("where") or []:
                table, column = columns[dimension]
                known = {r[0] for r in con.execute(f"SELECT DISTINCT {column} FROM {table}").fetchall()}
                assert set(values if isinstance(values, list) else [values]) <= known, (case["q"], known)


@pytest.mark.parametrize("gold", GOLD, ids=[g["q"] for g in GOLD])
def test_gold_sql_returns_the_recorded_rows(gold_rows, gold):
    got, want = gold_rows[gold["q"]], gold["result"]
    assert got and len(got) == len(want), (got, want)
    assert all(same_row(g, w) for g, w in zip(got, want, strict=True)), (got, want)


def test_the_catalog_passes_catalog_check(warehouse, tmp_path, monkeypatch):
    result = catalog_check(BLIND, warehouse, tmp_path, monkeypatch)
    assert result.exit_code == 0 and "catalog OK" in result.output, result.output


def test_the_warehouse_is_deterministic(warehouse, tmp_path):
    """The same `end` gives the same rows (money is DECIMAL, so sums are exact): a second build matches the first,
    table by table."""
    again = build_warehouse(FOLDER, tmp_path / "again.duckdb")
    with duckdb.connect(str(warehouse), read_only=True) as a, duckdb.connect(str(again), read_only=True) as b:
        listing = "SELECT table_name FROM information_schema.tables ORDER BY 1"
        tables = [r[0] for r in a.execute(listing).fetchall()]
        assert tables == [r[0] for r in b.execute(listing).fetchall()]
        for table in tables:
            digest = f"SELECT count(*), sum(hash(t)) FROM {table} t"
            assert a.execute(digest).fetchone() == b.execute(digest).fetchone(), table


def test_the_daily_facts_run_exactly_to_the_day_before_today(warehouse):
    """Every dated fact table covers the whole history, first day to last (the generator's promise)."""
    columns = (("fct_appointments", "appointment_date"), ("fct_procedures", "service_date"),
               ("fct_payments", "payment_date"), ("fct_clinic_days", "business_date"),
               ("fct_treatment_plans", "presented_date"), ("fct_patient_reviews", "review_date"),
               ("fct_recall_due", "due_date"))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table, column in columns:
            got = con.execute(f"SELECT min({column}), max({column}) FROM {table}").fetchone()
            assert got == (FIRST_DAY, LAST_DAY), table


def test_the_values_a_description_lists_are_the_data_values(warehouse):
    """The categorical values a dimension's description lists (people read them to phrase filters) exist."""
    listed = {"clinic__region": ["Northeast", "Midwest", "South", "West"],
              "provider__provider_role": ["Dentist", "Hygienist", "Orthodontist", "Oral Surgeon"],
              "appointment__appointment_type": ["Hygiene Recall", "New Patient Exam", "Restorative", "Endodontic",
                                                "Implant", "Orthodontic", "Emergency", "Cosmetic"],
              "procedure__payer_type": ["Commercial PPO", "DHMO", "Medicaid", "Self-pay"],
              "treatment_plan__plan_category": ["Restorative", "Endodontics", "Implants", "Orthodontics",
                                                "Periodontics", "Cosmetic"],
              "review__review_source": ["Google", "Yelp", "Post-visit Survey"]}
    columns = BLIND.dimension_columns()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for dimension, values in listed.items():
            table, column = columns[dimension]
            known = {r[0] for r in con.execute(f"SELECT DISTINCT {column} FROM {table}").fetchall()}
            assert set(values) == known, dimension

"""A row-limited viewer learns no value outside their rows (issue 11): not from a "did you mean", not from a
clarification's offer, not from an answer that confirms the value exists. On the governed shop
(tests/fixtures/catalogs/governed): U0EAST sees East rows only; wen@example.com sees West online orders only.
What each may see is written out here by hand (plain SQL over the shop), not read from the code under test."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from tests.governance.policy_world import GOVERNED, build_warehouse

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.value_index import build_value_index
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.clock import FixedClock
from metricloop.core.catalog.access import effective_policy
from metricloop.core.present.describe import dimension_labels
from metricloop.core.present.texts import say
from metricloop.core.query import Filter, MetricQuery
from metricloop.core.understand.interpreter import Understander
from metricloop.errors import UserError
from metricloop.service import MetricService
from metricloop.thread_state import ThreadState
from metricloop.viewer_values import ViewerValues, clarify_for_viewer, scrub_offer

EAST, WEN = "U0EAST", "wen@example.com"
DENIED = say("access_denied_rows", "en", metrics="revenue")
# the rows each viewer may see, as plain SQL over the shop's tables (the oracle)
ROWS = {EAST: "c.region = 'East'", WEN: "c.region = 'West' AND o.channel = 'online'"}
COLUMNS = {"customer__region": "c.region", "customer__segment": "c.segment", "order__status": "o.status",
           "order__channel": "o.channel"}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("viewer_values") / "governed.duckdb"
    build_warehouse(path).close()
    warehouse = DuckDBWarehouse(str(path), read_only=True, timeout_s=10)
    yield warehouse
    warehouse.close()


@pytest.fixture(scope="module")
def service(warehouse):
    catalog = load_catalog(GOVERNED)
    clock = FixedClock(dt.date(2026, 6, 15))
    return MetricService(catalog=catalog, warehouse=warehouse, clock=clock,
                         understander=Understander(catalog, None, build_value_index(catalog, warehouse),
                                                   today_fn=clock.today))


def _oracle(warehouse, user: str, ref: str) -> set[str]:
    sql = (f"SELECT DISTINCT {COLUMNS[ref]} FROM orders o JOIN customers c ON o.customer_id = c.customer_id "
           f"WHERE {ROWS[user]} AND {COLUMNS[ref]} IS NOT NULL")
    if ref.startswith("customer__") and user == EAST:  # customers' own rows count too (the customers metric)
        sql += f" UNION SELECT DISTINCT {COLUMNS[ref]} FROM customers c WHERE {ROWS[user]}"
    return {r[0] for r in warehouse.run_sql(sql).rows}


@pytest.mark.parametrize("user", [EAST, WEN])
@pytest.mark.parametrize("ref", sorted(COLUMNS))
def test_the_values_a_viewer_sees_are_those_of_their_rows(service, warehouse, user, ref):
    values = ViewerValues(lambda: service.catalog, warehouse)
    policy = effective_policy(service.catalog, user)
    assert set(values.visible(policy, ref)) == _oracle(warehouse, user, ref)


def test_a_dimension_no_metric_can_read_under_the_row_filters_shows_nothing(service, warehouse):
    values = ViewerValues(lambda: service.catalog, warehouse)
    assert values.visible(effective_policy(service.catalog, EAST), "session__device") == ()


# (question, user, status, words the reply must hold, words it must not hold)
CASES = [
    ("revenue in Wst", None, "clarify", ["West"], []),  # the operator is offered West: the leak being closed
    ("revenue in Wst", EAST, "clarify", [], ["West", "North"]),
    # a value outside the viewer's rows reads as a word that is no value: a denial would confirm it exists
    ("revenue in Nrth", EAST, "clarify", [], ["North"]),  # read as North (a typo the lexicon forgives)
    ("revenue in Eat", EAST, "clarify", ["East"], ["West"]),  # a value of their own rows is still offered
    ("revenue in West", EAST, "clarify", [], ["West", "22"]),
    ("revenue in North", EAST, "clarify", [], ["North"]),
    ("revenue by region for West", EAST, "clarify", [], ["West"]),
    ("revenue in East", EAST, "answered", [], []),
    ("revenue for enterprise", EAST, "answered", [], []),
    ("revenue in store", WEN, "clarify", [], ["store"]),
    ("revenue in East", WEN, "clarify", [], []),
    ("revenue online", WEN, "answered", [], []),
    ("revenue in West", None, "answered", [], []),
]


@pytest.mark.parametrize(("question", "user", "status", "present", "absent"), CASES)
def test_no_value_outside_the_viewers_rows_is_suggested_or_confirmed(service, question, user, status, present,
                                                                     absent):
    answer = service.ask(question, user=user)
    reply = " ".join(filter(None, [answer.message, *(o.label for o in answer.options)]))
    assert answer.status == status, (answer.status, reply)
    for word in present:
        assert word in reply
    for word in absent:  # (the question's own words may be echoed: "could not place 'store'")
        assert word.lower() not in reply.lower() or word.lower() in question.lower()
    if status == "denied":  # the same words as any row denial, and nothing from the rows
        assert answer.message == DENIED and not answer.rows and not answer.sql


@pytest.mark.parametrize("word", ["Wst", "North"])
def test_a_hidden_value_or_its_near_miss_reads_like_a_word_that_matches_nothing(service, word):
    said = service.ask(f"revenue in {word}", user=EAST)
    nothing = service.ask("revenue in Narnia", user=EAST)
    assert (said.status, said.message.replace(word.lower(), "narnia")) == (nothing.status, nothing.message)


def test_a_follow_up_naming_a_hidden_value_is_asked_back_without_rows(service):
    first, state = service.ask_in_thread(ThreadState(), "revenue in East", user=EAST)
    assert first.status == "answered"
    again, _ = service.ask_in_thread(state, "what about West?", user=EAST)
    assert again.status == "clarify" and not again.rows and "West" not in (again.message or "")


@pytest.mark.parametrize(("value", "user", "said", "unsaid"), [
    ("Wst", None, "'West'", ""),
    ("Wst", EAST, "no value 'Wst'", "West"),
    ("West", EAST, "no value 'West'", "North"),  # as for a value that does not exist at all
    ("Narnia", EAST, "no value 'Narnia'", "West"),
])
def test_where_values_are_checked_against_the_viewers_rows(service, value, user, said, unsaid):
    query = MetricQuery(metrics=("revenue",), where=(Filter(dimension="customer__region", values=(value,)),))
    with pytest.raises(UserError) as caught:
        service.check_filter_values(query, user=user)
    assert said in caught.value.message and (not unsaid or unsaid not in caught.value.message)


def test_where_values_of_the_viewers_rows_are_respelled(service):
    query = MetricQuery(metrics=("revenue",), where=(Filter(dimension="customer__region", values=("east",)),))
    assert service.check_filter_values(query, user=EAST).where[0].values == ("East",)


class _Values:
    """A stand-in for ViewerValues: what one viewer sees per dimension."""

    def __init__(self, seen):
        self.seen = seen

    def visible(self, policy, ref):
        return self.seen.get(ref, ())

    def hides(self, policy, index, word):
        return False


REFS = ["order__bill_region", "order__ship_region"]


@pytest.mark.parametrize(("seen", "kept"), [
    ({"order__bill_region": ("North",), "order__ship_region": ("North",)}, REFS),
    ({"order__bill_region": ("North",), "order__ship_region": ("South",)}, ["order__bill_region"]),
    ({"order__bill_region": ("East",), "order__ship_region": ("South",)}, None),  # in neither: denied
])
def test_a_value_in_several_dimensions_is_asked_about_only_where_the_viewer_sees_it(service, seen, kept):
    interpretation = SimpleNamespace(
        language="en", options=[], clarify_dimension_values={"north": REFS},
        reason=say("ambiguous_value", "en", value="north", dims=dimension_labels(service.catalog, REFS)))
    reason, denied = clarify_for_viewer(_Values(seen), effective_policy(service.catalog, EAST), service.catalog,
                                        interpretation, {})
    assert denied is (kept is None)
    if kept is not None:
        assert reason == say("ambiguous_value", "en", value="north", dims=dimension_labels(service.catalog, kept))


def test_readings_are_cached_and_forgotten_on_refresh(service, warehouse):
    runs = []

    class Counting:
        def run(self, compiled, **kwargs):
            runs.append(compiled.sql)
            return warehouse.run(compiled, **kwargs)

    values = ViewerValues(lambda: service.catalog, Counting())
    policy = effective_policy(service.catalog, EAST)
    first = values.visible(policy, "order__channel")
    assert values.visible(policy, "order__channel") == first and len(runs) == 1
    assert "'East'" in runs[0]  # read through the compiler with the viewer's row filter
    values.forget()
    values.visible(policy, "order__channel")
    assert len(runs) == 2


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("offer", "kept"), [
    ("West, region", "region"),                      # the hidden value goes, the dimension stays
    ("West, North", "channel, status"),              # only hidden values were near: the dimensions instead
    ("East, region", "East, region"),                # nothing hidden: unchanged
])
def test_an_offer_loses_exactly_the_hidden_values(lang, offer, kept):
    reason = say("unplaced", lang, words="wst", offer=offer)
    scrubbed = scrub_offer(reason, lang, lambda word: word in ("West", "North"), ["channel", "status"])
    assert scrubbed == say("unplaced", lang, words="wst", offer=kept)
    assert scrub_offer("Not sure which metric 'West' means", lang, lambda w: True, []) == \
        "Not sure which metric 'West' means"  # another kind of reply is left alone

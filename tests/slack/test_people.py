"""Catalog owners (e-mails, handles, ids) resolve to Slack users through users.lookupByEmail, cached."""
from __future__ import annotations

import pytest
from slack_sdk import WebClient

from fakes import workspace as ws
from metricloop.slack.people import People, slack_id


@pytest.fixture
def people(fake_slack) -> People:
    fake_slack.workspace.users["U0ANA"] = {"name": "ana", "profile": {"email": "ana@example.com",
                                                                     "display_name": "ana.s"}}
    return People(WebClient(token=ws.BOT_TOKEN, base_url=fake_slack.base_url))


@pytest.mark.parametrize(("person", "expected"), [
    ("ana@example.com", "U0ANA"), ("Ana@Example.com", "U0ANA"), ("U0BOB", "U0BOB"), ("<@U0BOB>", "U0BOB"),
    ("@ana", None), ("nobody@example.org", None), (None, None),
])
def test_user_id(people, person, expected):
    assert people.user_id(person) == expected


def test_mention_falls_back_to_the_written_name(people):
    assert people.mention("ana@example.com") == "<@U0ANA>"
    assert people.mention("@cfo") == "@cfo"
    assert people.mention(None) == "—"


@pytest.mark.parametrize(("user", "person", "expected"), [
    ("U0ANA", "ana@example.com", True), ("U0ANA", "@ana", True), ("U0ANA", "@ana.s", True),
    ("U0ANA", "U0ANA", True), ("U0BOB", "ana@example.com", False), ("U0BOB", "@ana", False), ("U0ANA", None, False),
])
def test_is_person(people, user, person, expected):
    assert people.is_person(user, person) is expected


def test_lookups_are_cached_misses_included(people, fake_slack):
    for _ in range(3):
        people.user_id("ana@example.com")
        people.user_id("ghost@example.org")
        people.is_person("U0BOB", "@ana")
    assert len(fake_slack.calls_to("users.lookupByEmail")) == 2
    assert len(fake_slack.calls_to("users.info")) == 1


def test_slack_id_reads_only_ids():
    assert [slack_id(p) for p in ("U0ANA", "<@W012|ana>", "ana", "@ana", "")] == ["U0ANA", "W012", None, None, None]

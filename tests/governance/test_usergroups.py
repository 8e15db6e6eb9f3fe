"""Slack user groups in `access:` by id or by handle (issue 11): the catalog check validates how they are
written; slack/usergroups resolves a handle with usergroups.list and members with usergroups.users.list,
each cached for the TTL, so joining or leaving a group changes access within the TTL; an unknown group lets
nobody in."""
from __future__ import annotations

import shutil

import pytest
from slack_sdk import WebClient
from tests.governance.policy_world import GOVERNED

from fakes import workspace as ws
from metricloop.adapters.catalog_files import check_catalog, load_catalog
from metricloop.slack.audience import Audience
from metricloop.slack.usergroups import UserGroups

HEAD = "# access for a test\naccess:\n"  # the snippet's first line is line 3


@pytest.mark.parametrize(("entry", "valid", "suggestion"), [
    ("S0EASTMGR", True, None),
    ("@east-managers", True, None),
    ("east-managers", True, None),
    ("@East Managers", False, "@east-managers"),
    ("Regional Managers", False, "@regional-managers"),
    ("<!subteam^S0EAST|@east>", False, "S0EAST"),  # a mention pasted from Slack: its id
])
def test_slack_groups_are_ids_or_handles(tmp_path, entry, valid, suggestion):
    catalog = tmp_path / "catalog"
    shutil.copytree(GOVERNED, catalog)
    (catalog / "loop.yml").write_text(HEAD + f"  groups:\n    east:\n      slack_groups: ['{entry}']\n")
    problems = [(p.field, p.line, p.suggestion) for p in check_catalog(catalog)]
    assert problems == ([] if valid else [("access.groups.east.slack_groups.0", 5, suggestion)]), problems


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def slack(fake_slack):
    fake_slack.workspace.usergroups.update({"S0EASTMGR": ["U0BOB"], "S0OLD": ["U0BOB"]})
    fake_slack.workspace.usergroup_handles.update({"S0EASTMGR": "east-managers", "S0OLD": "old-team"})
    return fake_slack, WebClient(token=ws.BOT_TOKEN, base_url=fake_slack.base_url)


def _calls(fake, method: str) -> int:
    return sum(c.method == method for c in fake.workspace.calls)


@pytest.mark.parametrize("name", ["@east-managers", "east-managers", "@East-Managers", "S0EASTMGR"])
def test_a_group_by_handle_or_id_has_its_members(slack, name):
    fake, client = slack
    assert UserGroups(client).members(name) == {"U0BOB"}


def test_handles_and_members_are_cached_for_the_ttl(slack):
    fake, client = slack
    clock = Clock()
    groups = UserGroups(client, ttl_s=300, clock=clock)
    for _ in range(3):
        assert groups.members("@east-managers") == {"U0BOB"} and groups.members("@old-team") == {"U0BOB"}
    assert _calls(fake, "usergroups.list") == 1 and _calls(fake, "usergroups.users.list") == 2
    fake.workspace.usergroups["S0EASTMGR"] = ["U0ANN"]  # Bob leaves, Ann joins
    clock.now = 299
    assert groups.members("@east-managers") == {"U0BOB"}
    clock.now = 301
    assert groups.members("@east-managers") == {"U0ANN"}
    assert _calls(fake, "usergroups.list") == 2 and _calls(fake, "usergroups.users.list") == 3


def test_an_unknown_group_lets_nobody_in(slack):
    fake, client = slack
    assert UserGroups(client).members("@nobody-here") == frozenset()
    assert UserGroups(client).members("S0MISSING") == frozenset()


def test_a_person_handle_among_members_is_not_taken_for_a_group(slack):
    """`east: ["@bo", "@east-managers"]`: @east-managers is the user group, @bo stays a person's handle."""
    fake, client = slack
    catalog = load_catalog(GOVERNED)
    access = {"groups": {"east": ["@bo", "@east-managers"]}, "metrics": {"big_revenue": ["east"]}}
    catalog = catalog.model_copy(update={"loop": {**catalog.loop, "access": access}})
    fake.workspace.users["U0BO"] = {"name": "bo", "profile": {"display_name": "bo", "email": "bo@example.com"}}
    fake.workspace.users["U0NEW"] = {"name": "new", "profile": {"display_name": "new"}}
    audience = Audience(client, lambda: catalog)
    assert audience.policy("U0BOB").can_see("big_revenue")  # in the group @east-managers
    assert audience.policy("U0BO").can_see("big_revenue")   # @bo himself
    assert not audience.policy("U0NEW").can_see("big_revenue")
    asked = {c.params["usergroup"] for c in fake.workspace.calls if c.method == "usergroups.users.list"}
    assert asked == {"S0EASTMGR"}  # @bo was never looked up as a user group

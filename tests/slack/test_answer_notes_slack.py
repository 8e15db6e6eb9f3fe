"""In Slack, end to end (signed events, the real Bolt app, the fake Web API): a reply says when its rows were
cut by the row cap, when there is no data or none yet, and when a mention holds no question at all (issue 10)."""
from __future__ import annotations

import json

import pytest

from fakes import slack_requests as rq
from fakes import workspace as ws

CH = ws.DEFAULT_CHANNEL


def _reply_text(driver, question: str) -> str:
    event = rq.app_mention(question)
    assert driver.event(event).status == 200
    msg, = driver.replies(CH, event["ts"])
    return json.dumps(msg["blocks"], ensure_ascii=False) + msg.get("text", "")


def test_a_reply_cut_by_the_row_cap_says_so(driver, service):
    service.max_rows = 5
    text = _reply_text(driver, "daily orders in January")
    assert "Only the first 5 rows are here: the result hit the row cap" in text
    assert "The row cap cut the result after Jan 5, 2026" in text


@pytest.mark.parametrize(("question", "says", "never"), [
    ("revenue in June 2025", "No data: there are no rows for Revenue in Jun 2025.", "—"),
    ("revenue in 2027", "No data yet: 2027 has not happened yet.", "—"),
    ("???", "I could not read a question in that", "Revenue"),
    ("';--", "I could not read a question in that", "Orders"),
])
def test_no_data_and_no_question_are_said_plainly(driver, question, says, never):
    text = _reply_text(driver, question)
    assert says in text and never not in text

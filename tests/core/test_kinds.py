"""The kind of number a question asks for (core/understand/kinds.asked_kind): a table of questions."""
from __future__ import annotations

import pytest

from metricloop.core.understand.kinds import asked_kind

CASES = [
    ("how long does delivery take", "duration"),
    ("average days to redeem a loan", "duration"),
    ("上个月的平均等待多久", "average"),
    ("停水分钟数", "duration"),
    # (session 35) a span said in days after its noun: 库存周转天数 is inventory turnover in days, never the stock
    ("上个月铜的库存周转天数是多少", "duration"),
    ("逾期天数", "duration"),
    ("转化率", "rate"),
    ("what % of quotes closed", "rate"),
    ("revenue last month", None),
    ("上个月的理赔件数", None),
    ("天数", None),  # the word alone is no span of anything
    # (session 42) "<thing> time" is how long it takes ("query resolution time" had been asked back between the
    # resolution time and the queries resolved)
    ("query resolution time this month vs last month", "duration"),
    ("wait time by clinic", "duration"),
    ("on time rate", "rate"),
    ("revenue by time of day", None),
]


@pytest.mark.parametrize("text,kind", CASES)
def test_asked_kind(text, kind):
    assert asked_kind(text) == kind

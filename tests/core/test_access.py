"""Access rules from loop.yml: open by default, restricted domains need a member of an allowed group."""
import pytest

from metricloop.core.catalog.access import can_see
from metricloop.core.catalog.model import Catalog, Metric, MetricInput, MetricMeta

LOOP = {"access": {"groups": {"finance": ["U1", "ana@example.com"], "exec": ["U9"]},
                   "domains": {"finance": ["finance"]},
                   "metrics": {"board_kpi": ["exec"]}}}


def _metric(name, domain=None):
    return Metric(name=name, type="simple", measure=MetricInput(name="m"), meta=MetricMeta(domain=domain))


CATALOG = Catalog(metrics=(_metric("revenue", "sales"), _metric("refund_rate", "finance"),
                           _metric("board_kpi", "sales")), loop=LOOP)


@pytest.mark.parametrize("user, metric, allowed", [
    ("U5", "revenue", True),             # domain not restricted
    ("U5", "refund_rate", False),        # restricted domain, not a member
    ("U1", "refund_rate", True),
    ("ana@example.com", "refund_rate", True),
    ("U1", "board_kpi", False),          # per-metric rule wins over the (open) domain
    ("U9", "board_kpi", True),
    (None, "refund_rate", True),         # the local operator is trusted
    ("U1", "no_such_metric", False),
])
def test_can_see(user, metric, allowed):
    assert can_see(CATALOG, user, metric) is allowed

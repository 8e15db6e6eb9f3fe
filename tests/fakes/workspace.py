"""The identity of the fake Slack workspace, shared by the fake server and the request builders."""
from __future__ import annotations

TEAM_ID = "T0METRIC"
TEAM_DOMAIN = "metricloop-test"
ENTERPRISE_ID = None
APP_ID = "A0METRIC"
BOT_ID = "B0METRIC"
BOT_USER_ID = "U0METRICBOT"
BOT_TOKEN = "xoxb-1111-2222-fakebottoken"
APP_TOKEN = "xapp-1-A0METRIC-3333-fakeapptoken"
DEFAULT_USER = "U0ALICE"
DEFAULT_CHANNEL = "C0METRICS"
# Channels the fake workspace has (id → name): those the project's catalogs and test fixtures name, so
# chat.postMessage takes "#sales" as Slack does and conversations.list lists them. Any other id is taken as a
# channel too; any other name is not found.
ALERTS_CHANNEL = "C0ALERTS"  # "#metrics-alerts", the documented default notice channel, as Slack's events name it
CHANNELS = {"C0METRICS": "metrics", "C0ALERTS": "metrics-alerts", "C0SALES": "sales", "C0SALESMETRICS": "sales-metrics",
            "C0EXECDAILY": "exec-daily", "C0GROWTH": "growth", "C0FINALERTS": "finance-alerts",
            "C0SUPPORTOPS": "support-ops", "C0PLANTOPS": "plant-ops", "C0EMPTY": "empty", "C0FINANCE": "finance"}

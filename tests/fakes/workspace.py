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

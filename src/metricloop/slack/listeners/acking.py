"""The acknowledgement every listener sends first."""
from __future__ import annotations

from typing import Any


def ack_now(ack: Any) -> None:
    """Acknowledge within Slack's 3 seconds; the real work runs in the listener's lazy function."""
    ack()

"""The two clocks: the system's, in the configured timezone, and a fixed day (tests, `scan --date`).

Everything that needs "today" reads it from the one `Clock` the runtime built (see ports.Clock);
the core never reads the system time itself: the date is passed in.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class SystemClock:
    """Now, in `timezone` (an IANA name such as "Europe/Berlin"); "today" is that zone's calendar date."""

    timezone: str = "UTC"

    def now(self) -> dt.datetime:
        """The current moment in the configured timezone."""
        return dt.datetime.now(ZoneInfo(self.timezone))

    def today(self) -> dt.date:
        """The calendar date now in the configured timezone."""
        return self.now().date()


@dataclass(frozen=True)
class FixedClock:
    """A clock stopped on `day`: a past day is evaluated exactly as if it were that day.

    `now()` is `at` on that day (midnight by default) in `timezone`.
    """

    day: dt.date
    timezone: str = "UTC"
    at: dt.time = dt.time(0, 0)

    def now(self) -> dt.datetime:
        """`at` on the fixed day, timezone-aware."""
        return dt.datetime.combine(self.day, self.at, tzinfo=ZoneInfo(self.timezone))

    def today(self) -> dt.date:
        """The fixed day."""
        return self.day

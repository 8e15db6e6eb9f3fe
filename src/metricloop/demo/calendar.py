"""The demo's calendar: one row per day with the multipliers that shape every table.

Everything here is a small numpy array indexed by day number (0 = START); the generators
multiply these into expected volumes, so seasonality and holidays are written down once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from metricloop.errors import UserError

START = date(2024, 1, 1)

# Monday..Sunday. Shoppers buy more at the weekend; support and factories are quieter then.
SHOP_WEEKDAY = np.array([0.94, 0.93, 0.96, 0.99, 1.05, 1.16, 1.10])
SUPPORT_WEEKDAY = np.array([1.18, 1.10, 1.06, 1.02, 0.96, 0.70, 0.62])


@dataclass(frozen=True)
class Days:
    """Per-day arrays from START through `end` (inclusive)."""

    start: date
    end: date
    t: np.ndarray  # day number, 0..n-1
    weekday: np.ndarray  # 0 = Monday
    holiday: np.ndarray  # shopping multiplier from holidays (1.0 on ordinary days)

    @property
    def n(self) -> int:
        return len(self.t)

    def index(self, day: date) -> int:
        """Day number of a calendar date (may fall outside 0..n-1)."""
        return (day - self.start).days

    def years(self) -> np.ndarray:
        """Fractional years since START, for growth curves."""
        return self.t / 365.25

    def annual(self, amplitude: float, peak_doy: int = 350) -> np.ndarray:
        """A yearly cosine wave peaking on day-of-year `peak_doy` (mid-December by default)."""
        doy = self.start.timetuple().tm_yday + self.t  # the cosine is periodic, so no wrap-around needed
        return 1.0 + amplitude * np.cos(2 * np.pi * (doy - peak_doy) / 365.25)


def black_friday(year: int) -> date:
    """The day after the fourth Thursday of November (US Thanksgiving)."""
    nov1 = date(year, 11, 1)
    first_thu = nov1 + timedelta(days=(3 - nov1.weekday()) % 7)
    return first_thu + timedelta(days=22)


def holiday_effects(year: int) -> dict[date, float]:
    """Shopping multipliers for one year's holidays: Black Friday week, Christmas, New Year."""
    bf = black_friday(year)
    effects = {
        bf - timedelta(days=1): 0.85,  # Thanksgiving itself is quiet
        bf: 2.6,
        bf + timedelta(days=1): 1.7,
        bf + timedelta(days=2): 1.5,
        bf + timedelta(days=3): 2.0,  # Cyber Monday
        date(year, 12, 24): 0.75,
        date(year, 12, 25): 0.40,
        date(year, 12, 26): 1.25,
        date(year, 12, 31): 0.70,
        date(year, 1, 1): 0.35,
        date(year, 1, 2): 0.75,
    }
    for k in range(8, 22):  # the gift-buying ramp before Christmas
        effects.setdefault(date(year, 12, k), 1.0 + 0.02 * (k - 7))
    return effects


def make_days(end: date, start: date = START) -> Days:
    """Build the calendar from `start` through `end`."""
    if end < start + timedelta(days=60):
        earliest = start + timedelta(days=60)
        raise UserError(f"The demo needs at least 60 days of data: pick an end date after {earliest}.")
    n = (end - start).days + 1
    t = np.arange(n)
    weekday = (t + start.weekday()) % 7
    holiday = np.ones(n)
    for year in range(start.year, end.year + 1):
        for day, factor in holiday_effects(year).items():
            i = (day - start).days
            if 0 <= i < n:
                holiday[i] = factor
    return Days(start=start, end=end, t=t, weekday=weekday, holiday=holiday)

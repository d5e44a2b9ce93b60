"""Working days for case deadlines: weekends and public holidays skipped.

Pure functions plus a loader for the holiday list (a CSV the operator keeps
up to date: lunar-calendar holidays and compensatory days are announced
each year, so they cannot be computed; see docs/followup.md).
"""

import csv
import functools
from datetime import date, timedelta
from pathlib import Path

DEFAULT_HOLIDAYS = Path(__file__).resolve().parent.parent / "data" / "holidays_vn.csv"


def is_working_day(day: date, holidays: frozenset[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays: frozenset[date] = frozenset()) -> date:
    """The date `days` working days after `start` (start itself not counted)."""
    current = start
    remaining = max(days, 0)
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            remaining -= 1
    return current


@functools.cache
def load_holidays(path: str | None = None) -> frozenset[date]:
    """Dates from a CSV with a `date` column (yyyy-mm-dd)."""
    with open(path or DEFAULT_HOLIDAYS, encoding="utf-8", newline="") as handle:
        return frozenset(date.fromisoformat(row["date"].strip()) for row in csv.DictReader(handle))

"""Reporting periods in Vietnam time."""

from datetime import date, datetime

import pytest

from survey import periods
from survey.periods import PeriodError, parse, previous, year_before

TODAY = date(2026, 11, 15)


def test_kinds_and_defaults():
    assert parse(None, None, None, None, TODAY) == periods.Period(
        "quarter", date(2026, 10, 1), date(2026, 12, 31)
    )
    assert parse("month", "2026-02", None, None, TODAY).end == date(2026, 2, 28)
    assert parse("month", "2024-02", None, None, TODAY).end == date(2024, 2, 29)
    assert parse("quarter", "2026-Q1", None, None, TODAY).end == date(2026, 3, 31)
    assert parse("year", "2025", None, None, TODAY).days == 365
    custom = parse("custom", None, "2026-01-10", "2026-01-20", TODAY)
    assert custom.days == 11 and custom.kind == "custom"


@pytest.mark.parametrize(
    "args",
    [
        ("week", None, None, None),
        ("month", "2026-13", None, None),
        ("quarter", "2026-Q5", None, None),
        ("custom", None, "2026-02-01", "2026-01-01"),
        ("custom", None, "31/02/2026", "2026-03-01"),
        ("custom", None, "2026/02/01", "2026-03-01"),
        ("custom", None, "2020-01-01", "2026-01-01"),
    ],
)
def test_bad_input_is_a_clear_error(args):
    with pytest.raises(PeriodError) as error:
        parse(*args, TODAY)
    assert str(error.value)  # a Vietnamese message to show


def test_previous_and_same_period_last_year():
    march = periods.month(2026, 3)
    assert previous(march) == periods.month(2026, 2)
    assert previous(periods.month(2026, 1)) == periods.month(2025, 12)
    assert previous(periods.quarter(2026, 1)) == periods.quarter(2025, 4)
    assert previous(periods.year(2026)) == periods.year(2025)
    custom = periods.custom(date(2026, 3, 11), date(2026, 3, 20))
    assert previous(custom) == periods.custom(date(2026, 3, 1), date(2026, 3, 10))
    assert year_before(periods.quarter(2026, 2)) == periods.quarter(2025, 2)
    leap = periods.custom(date(2024, 2, 29), date(2024, 3, 1))
    assert year_before(leap) == periods.custom(date(2023, 2, 28), date(2023, 3, 1))


def test_local_days_are_utc_plus_seven():
    start, end = periods.month(2026, 1).utc_bounds()
    assert start == datetime(2025, 12, 31, 17, 0) and end == datetime(2026, 1, 31, 17, 0)
    assert periods.local_date(datetime(2026, 1, 31, 16, 59)) == date(2026, 1, 31)
    assert periods.local_date(datetime(2026, 1, 31, 17, 0)) == date(2026, 2, 1)


def test_value_round_trips():
    for period in (periods.month(2026, 3), periods.quarter(2026, 4), periods.year(2025)):
        assert parse(period.kind, period.value, None, None, TODAY) == period
    assert [p.start.month for p in periods.months_back(date(2026, 2, 10), 3)] == [12, 1, 2]


@pytest.mark.parametrize(
    ("start", "end"),
    [("0001-01-01", "0001-12-31"), ("9999-12-01", "9999-12-31"), ("01/01/0001", "31/12/0001")],
)
def test_dates_outside_the_supported_years_are_a_clear_error(start, end):
    """Year 1 or 9999 would overflow the previous and next periods (a 500 page before)."""
    with pytest.raises(PeriodError) as error:
        parse("custom", None, start, end, TODAY)
    assert "năm từ 1901 đến 2199" in str(error.value)


def test_custom_dates_typed_day_first_as_vietnamese_users_write_them():
    typed = parse("custom", None, "10/01/2026", "20/01/2026", TODAY)
    assert typed == parse("custom", None, "2026-01-10", "2026-01-20", TODAY)
    assert typed.start == date(2026, 1, 10)  # day first, never month first
    with pytest.raises(PeriodError) as error:
        parse("custom", None, "10.01.2026", "20/01/2026", TODAY)
    assert "dd/mm/yyyy" in str(error.value)

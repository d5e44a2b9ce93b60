"""Reporting periods in Vietnam time: month, quarter, year or custom dates.

Pure (no Flask, no SQL). A period is a closed range of local dates; stored
times are naive UTC and Vietnam is UTC+7 all year, so a local day is one
fixed UTC interval.
"""

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

KINDS = ("month", "quarter", "year", "custom")
UTC_OFFSET = timedelta(hours=7)
MAX_CUSTOM_DAYS = 3 * 366
# Years a typed period may fall in. The pages also compute the previous period,
# the same period a year before, the next one and a trend of months back, so the
# input must stay well inside Python's years 1..9999 or those computations overflow.
FIRST_YEAR, LAST_YEAR = 1901, 2199
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")  # ISO for links and the API, dd/mm/yyyy as people type it


class PeriodError(ValueError):
    """Bad period input; the message is Vietnamese and safe to show."""


@dataclass(frozen=True)
class Period:
    kind: str
    start: date  # first local day, inclusive
    end: date  # last local day, inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def value(self) -> str:
        """The selector value that reproduces this period (see `parse`)."""
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[start, end) in naive UTC."""
        return local_day_start(self.start), local_day_start(self.end + timedelta(days=1))


def local_day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day) - UTC_OFFSET


def local_date(moment_utc: datetime) -> date:
    return (moment_utc + UTC_OFFSET).date()


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """First day of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return add_months(day, 1) - timedelta(days=1)


def month(year: int, number: int) -> Period:
    first = date(year, number, 1)
    return Period("month", first, month_end(first))


def quarter(year: int, number: int) -> Period:
    first = date(year, 3 * (number - 1) + 1, 1)
    return Period("quarter", first, month_end(add_months(first, 2)))


def year(number: int) -> Period:
    return Period("year", date(number, 1, 1), date(number, 12, 31))


def custom(start: date, end: date) -> Period:
    if end < start:
        raise PeriodError("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")
    if (end - start).days + 1 > MAX_CUSTOM_DAYS:
        raise PeriodError("Khoảng thời gian tối đa là 3 năm.")
    return Period("custom", start, end)


def containing(kind: str, day: date) -> Period:
    """The month, quarter or year that contains `day`."""
    if kind == "month":
        return month(day.year, day.month)
    if kind == "quarter":
        return quarter(day.year, (day.month - 1) // 3 + 1)
    return year(day.year)


def year_supported(day: date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def _read_date(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _parse_date(text: str) -> date:
    day = _read_date(text)
    if day is None:
        raise PeriodError(f"Ngày không hợp lệ: {text!r} (cần dạng dd/mm/yyyy hoặc YYYY-MM-DD).")
    if not year_supported(day):
        raise PeriodError(f"Ngày ngoài khoảng cho phép: {text!r} (năm từ {FIRST_YEAR} đến {LAST_YEAR}).")
    return day


def parse(kind: str | None, value: str | None, start: str | None, end: str | None, today: date) -> Period:
    """Period from selector input; missing input gives the current quarter."""
    kind = kind or "quarter"
    if kind not in KINDS:
        raise PeriodError("Loại kỳ báo cáo không hợp lệ.")
    if kind == "custom":
        return custom(_parse_date(start or ""), _parse_date(end or ""))
    if not value:
        return containing(kind, today)
    patterns = {"month": r"(\d{4})-(\d{1,2})", "quarter": r"(\d{4})-Q([1-4])", "year": r"(\d{4})()"}
    match = re.fullmatch(patterns[kind], value.strip())
    if not match or not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR:
        raise PeriodError(f"Kỳ báo cáo không hợp lệ: {value!r}.")
    number = int(match.group(2) or 0)
    if kind == "month":
        if not 1 <= number <= 12:
            raise PeriodError(f"Tháng không hợp lệ: {value!r}.")
        return month(int(match.group(1)), number)
    return quarter(int(match.group(1)), number) if kind == "quarter" else year(int(match.group(1)))


def previous(period: Period) -> Period:
    """The period just before, of the same kind and length."""
    if period.kind == "custom":
        return replace(
            period, start=period.start - timedelta(days=period.days), end=period.start - timedelta(days=1)
        )
    if period.kind == "year":
        return year(period.start.year - 1)
    months = 1 if period.kind == "month" else 3
    first = add_months(period.start, -months)
    return Period(period.kind, first, month_end(add_months(first, months - 1)))


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def year_before(period: Period) -> Period:
    """The same period one year earlier."""
    if period.kind == "custom":
        return replace(period, start=_shift_year(period.start, -1), end=_shift_year(period.end, -1))
    return containing(period.kind, _shift_year(period.start, -1))


def months_back(last: date, count: int) -> list[Period]:
    """`count` whole months ending with the month of `last`, oldest first."""
    first = add_months(last, -(count - 1))
    return [month(add_months(first, i).year, add_months(first, i).month) for i in range(count)]

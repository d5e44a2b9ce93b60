"""The period a page shows, from its query string (pure apart from `request`)."""

from dataclasses import dataclass

from flask import request

from survey import periods
from survey.models.types import utcnow


@dataclass(frozen=True)
class Selection:
    period: periods.Period
    error: str | None  # shown above the selector; the default period is used
    typed: dict  # what the user typed, re-shown in the form

    def args(self, **extra) -> dict:
        """Query arguments that reproduce this period (for links and exports)."""
        base = {"period": self.period.kind}
        if self.period.kind == "custom":
            base |= {"from": self.period.start.isoformat(), "to": self.period.end.isoformat()}
        else:
            base["value"] = self.period.value
        return base | {k: v for k, v in extra.items() if v not in (None, "")}


def today():
    return periods.local_date(utcnow())


def from_request() -> Selection:
    typed = {k: request.args.get(k, "") for k in ("period", "value", "from", "to")}
    try:
        period = periods.parse(typed["period"] or None, typed["value"], typed["from"], typed["to"], today())
        return Selection(period, None, typed)
    except periods.PeriodError as error:
        return Selection(periods.containing("quarter", today()), str(error), typed)


def quick_choices() -> list[tuple[str, periods.Period]]:
    """Shortcut links: this and last month, quarter and year."""
    now = today()
    result = []
    for kind in ("month", "quarter", "year"):
        current = periods.containing(kind, now)
        result += [(f"this_{kind}", current), (f"last_{kind}", periods.previous(current))]
    return result


def args_for(period: periods.Period) -> dict:
    return Selection(period, None, {}).args()


def period_label(period: periods.Period) -> str:
    """'Tháng 11/2026', 'Quý 4/2026', 'Năm 2026' or the two dates."""
    from flask_babel import gettext as _

    from survey.i18n import format_date

    if period.kind == "month":
        return _("Tháng %(m)d/%(y)d", m=period.start.month, y=period.start.year)
    if period.kind == "quarter":
        return _("Quý %(q)d/%(y)d", q=(period.start.month - 1) // 3 + 1, y=period.start.year)
    if period.kind == "year":
        return _("Năm %(y)d", y=period.start.year)
    return _("Từ %(a)s đến %(b)s", a=format_date(period.start), b=format_date(period.end))

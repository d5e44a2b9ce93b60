"""Follow-up figures: cases opened, answered within the deadline, median
time to answer. One entry point, `case_figures`, used by the dashboards,
the JSON API and the evidence pack's report, so they agree.

Definitions (docs/followup.md): a case counts in the period it was
*opened*; it is answered on time when the answer was recorded on or before
its due date (Vietnam local date); time to answer runs from opening to the
first "answered" status, in hours.
"""

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from survey.extensions import db
from survey.followup.cases import local_today
from survey.i18n import to_local
from survey.models import Case
from survey.models.followup import OPEN_STATUSES


@dataclass(frozen=True)
class CaseRow:
    opened_at: datetime
    answered_at: datetime | None
    due_on: date
    status: str


@dataclass(frozen=True)
class CaseFigures:
    opened: int
    answered: int  # an answer was recorded (answered or closed since)
    answered_on_time: int
    due: int  # answered, or unanswered past the due date: the on-time denominator
    open: int
    overdue: int
    closed: int
    median_hours_to_answer: float | None

    @property
    def on_time_share(self) -> float | None:
        return self.answered_on_time / self.due if self.due else None

    def as_dict(self) -> dict:
        return {
            "opened": self.opened,
            "answered": self.answered,
            "answered_on_time": self.answered_on_time,
            "due": self.due,
            "on_time_share": self.on_time_share,
            "open": self.open,
            "overdue": self.overdue,
            "closed": self.closed,
            "median_hours_to_answer": self.median_hours_to_answer,
        }


def summarise_rows(rows: Iterable[CaseRow], today: date) -> CaseFigures:
    """Pure: the figures for already-selected cases."""
    rows = list(rows)
    answered = [r for r in rows if r.answered_at is not None]
    on_time = [r for r in answered if to_local(r.answered_at).date() <= r.due_on]
    late_open = [r for r in rows if r.answered_at is None and r.status in OPEN_STATUSES and r.due_on < today]
    hours = [(r.answered_at - r.opened_at).total_seconds() / 3600 for r in answered]
    return CaseFigures(
        opened=len(rows),
        answered=len(answered),
        answered_on_time=len(on_time),
        due=len(answered) + len(late_open),
        open=sum(1 for r in rows if r.status in OPEN_STATUSES),
        overdue=len(late_open),
        closed=sum(1 for r in rows if r.status == "closed"),
        median_hours_to_answer=statistics.median(hours) if hours else None,
    )


def case_rows(
    agency_ids: list[int] | None, start: datetime | None = None, end: datetime | None = None
) -> list[tuple[int, CaseRow]]:
    """(agency id, row) for cases opened in [start, end) (naive UTC)."""
    stmt = select(Case.agency_id, Case.opened_at, Case.answered_at, Case.due_on, Case.status)
    if agency_ids is not None:
        stmt = stmt.where(Case.agency_id.in_(agency_ids))
    if start is not None:
        stmt = stmt.where(Case.opened_at >= start)
    if end is not None:
        stmt = stmt.where(Case.opened_at < end)
    return [(agency_id, CaseRow(*rest)) for agency_id, *rest in db.session.execute(stmt)]


def case_figures(
    agency_ids: list[int] | None,
    start: datetime | None = None,
    end: datetime | None = None,
    today: date | None = None,
) -> CaseFigures:
    """Stable entry point for the evidence report: figures for cases opened
    in [start, end) (naive UTC; None = unbounded) in these agencies."""
    return summarise_rows((row for _, row in case_rows(agency_ids, start, end)), today or local_today())


def by_agency(
    groups: dict[int, list[int]], start: datetime | None, end: datetime | None, today: date
) -> dict[int, CaseFigures]:
    """Figures per group (e.g. each child agency with its subtree), one query."""
    all_ids = sorted({i for ids in groups.values() for i in ids})
    rows = case_rows(all_ids, start, end)
    return {
        key: summarise_rows((row for agency_id, row in rows if agency_id in set(ids)), today)
        for key, ids in groups.items()
    }


def by_month(
    agency_ids: list[int] | None, start: datetime | None, end: datetime | None, today: date
) -> list[tuple[str, CaseFigures]]:
    """Figures per month of opening (Vietnam local month, "YYYY-MM")."""
    months: dict[str, list[CaseRow]] = {}
    for _, row in case_rows(agency_ids, start, end):
        months.setdefault(to_local(row.opened_at).strftime("%Y-%m"), []).append(row)
    return [(month, summarise_rows(rows, today)) for month, rows in sorted(months.items())]

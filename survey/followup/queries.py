"""Read-only queries behind the work list, the digest and the summaries.

Every function takes the caller's agency ids (None = unrestricted, as
scope_agency_ids returns) so scope is enforced in SQL.
"""

from datetime import date, datetime, timedelta

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import selectinload

from survey.extensions import db
from survey.followup.cases import local_today
from survey.models import Alert, Case, Response
from survey.models.followup import OPEN_STATUSES, STATUS_ANSWERED, STATUSES


def _scoped(stmt: Select, agency_ids: list[int] | None) -> Select:
    return stmt if agency_ids is None else stmt.where(Case.agency_id.in_(agency_ids))


def work_list(agency_ids: list[int] | None, status: str | None = None, today: date | None = None) -> Select:
    """Open cases by default; overdue first, then by due date, oldest first."""
    today = today or local_today()
    stmt = _scoped(select(Case), agency_ids).options(
        selectinload(Case.agency), selectinload(Case.assignee), selectinload(Case.response)
    )
    if status in STATUSES:
        stmt = stmt.where(Case.status == status)
    elif status != "all":
        stmt = stmt.where(Case.status.in_(OPEN_STATUSES))
    overdue_first = case((Case.status.in_(OPEN_STATUSES) & (Case.due_on < today), 0), else_=1)
    return stmt.order_by(overdue_first, Case.due_on, Case.opened_at, Case.id)


def overdue_count(agency_ids: list[int] | None, today: date | None = None) -> int:
    stmt = _scoped(select(func.count(Case.id)), agency_ids).where(
        Case.status.in_(OPEN_STATUSES), Case.due_on < (today or local_today())
    )
    return db.session.scalar(stmt) or 0


def open_count(agency_ids: list[int] | None) -> int:
    stmt = _scoped(select(func.count(Case.id)), agency_ids).where(Case.status.in_(OPEN_STATUSES))
    return db.session.scalar(stmt) or 0


def _list(stmt: Select) -> list[Case]:
    return list(db.session.scalars(stmt.options(selectinload(Case.agency), selectinload(Case.assignee))))


def digest(agency_ids: list[int] | None, now: datetime, today: date | None = None) -> dict:
    """What a head reads each morning: new in 24 h, overdue, due soon, answered, alerts."""
    today = today or local_today(now)
    since = now - timedelta(days=1)
    base = _scoped(select(Case), agency_ids)
    open_ = Case.status.in_(OPEN_STATUSES)
    return {
        "since": since,
        "new": _list(base.where(Case.opened_at >= since).order_by(Case.opened_at)),
        "overdue": _list(base.where(open_, Case.due_on < today).order_by(Case.due_on, Case.id)),
        "due_soon": _list(
            base.where(open_, Case.due_on >= today, Case.due_on <= today + timedelta(days=2)).order_by(
                Case.due_on, Case.id
            )
        ),
        "answered": _list(
            base.where(Case.status == STATUS_ANSWERED, Case.answered_at >= since).order_by(Case.answered_at)
        ),
        "alerts": recent_alerts(agency_ids, since),
    }


def recent_alerts(agency_ids: list[int] | None, since: datetime, unacknowledged_only=False) -> list[Alert]:
    stmt = select(Alert).options(selectinload(Alert.agency)).where(Alert.created_at >= since)
    if agency_ids is not None:
        stmt = stmt.where(Alert.agency_id.in_(agency_ids))
    if unacknowledged_only:
        stmt = stmt.where(Alert.acknowledged_at.is_(None))
    return list(db.session.scalars(stmt.order_by(Alert.created_at.desc()).limit(50)))


def comments(agency_ids: list[int] | None) -> Select:
    """Responses with a comment, newest first (for opening a case by hand)."""
    stmt = (
        select(Response)
        .where(Response.comment.is_not(None))
        .order_by(Response.submitted_at.desc(), Response.id.desc())
    )
    if agency_ids is not None:
        stmt = stmt.where(Response.agency_id.in_(agency_ids))
    return stmt


def case_ids_for(response_ids: list[int]) -> dict[int, int]:
    """response id -> case id, for the responses of one page."""
    if not response_ids:
        return {}
    rows = db.session.execute(select(Case.response_id, Case.id).where(Case.response_id.in_(response_ids)))
    return {response_id: case_id for response_id, case_id in rows}

"""Recording administrative changes: who, when, what, before and after.

Every console action calls `record()` in the same transaction as the change,
so a change without its log entry can never be committed.
"""

from datetime import date, datetime

from flask_login import current_user
from sqlalchemy import Select, select

from survey.extensions import db
from survey.models import AdminLog, AgencyClosure


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot(obj, fields: tuple[str, ...]) -> dict:
    """The listed attributes of a model as JSON-safe values."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def _actor():
    try:
        if current_user and current_user.is_authenticated:
            return current_user.id, current_user.email
    except (AttributeError, RuntimeError):  # outside a request (CLI)
        pass
    return None, "cli"


def record(
    entity: str,
    entity_id,
    action: str,
    agency_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AdminLog:
    user_id, email = _actor()
    entry = AdminLog(
        user_id=user_id,
        user_email=email,
        entity=entity,
        entity_id=str(entity_id),
        agency_id=agency_id,
        action=action,
        before=before,
        after=after,
    )
    db.session.add(entry)
    return entry


def log_query(
    agency_ids: list[int] | None,
    entity: str | None = None,
    action: str | None = None,
    who: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> Select:
    """Newest first. Scoped users see only entries tied to their subtree."""
    stmt = select(AdminLog).order_by(AdminLog.at.desc(), AdminLog.id.desc())
    if agency_ids is not None:
        stmt = stmt.where(AdminLog.agency_id.in_(agency_ids))
    if entity:
        stmt = stmt.where(AdminLog.entity == entity)
    if action:
        stmt = stmt.where(AdminLog.action == action)
    if who:
        stmt = stmt.where(AdminLog.user_email.ilike(f"%{who}%"))
    if start is not None:
        stmt = stmt.where(AdminLog.at >= start)
    if end is not None:
        stmt = stmt.where(AdminLog.at < end)
    return stmt


def history_query(agency_id: int) -> Select:
    """An agency's own history plus that of units merged into it (they sit below it)."""
    merged_below = select(AgencyClosure.descendant_id).where(AgencyClosure.ancestor_id == agency_id)
    from survey.models import Agency

    merged = select(Agency.id).where(Agency.id.in_(merged_below), Agency.merged_into_id.is_not(None))
    return (
        select(AdminLog)
        .where((AdminLog.agency_id == agency_id) | AdminLog.agency_id.in_(merged))
        .order_by(AdminLog.at.desc(), AdminLog.id.desc())
    )

"""Opening and changing cases; every change is recorded as a CaseEvent.

This module is the only one that writes cases. Views and the CLI call it.
"""

import logging
from datetime import date, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from survey.extensions import db
from survey.followup import settings as followup_settings
from survey.followup.workdays import add_working_days, load_holidays
from survey.i18n import to_local
from survey.lowscores import is_low
from survey.models import Case, CaseEvent, Contact, Response, User
from survey.models.followup import (
    SOURCE_AUTO,
    SOURCE_MANUAL,
    STATUS_ANSWERED,
    STATUS_CLOSED,
    STATUS_IN_PROGRESS,
    STATUS_NEW,
)
from survey.models.types import utcnow

log = logging.getLogger(__name__)

# Which status may follow which; "answered -> in progress" reopens a case
# whose answer did not settle the matter.
TRANSITIONS = {
    STATUS_NEW: (STATUS_IN_PROGRESS, STATUS_ANSWERED),
    STATUS_IN_PROGRESS: (STATUS_ANSWERED,),
    STATUS_ANSWERED: (STATUS_CLOSED, STATUS_IN_PROGRESS),
    STATUS_CLOSED: (STATUS_IN_PROGRESS,),
}
TEXT_FIELDS = ("answer_text", "cause", "corrective_action")


class CaseError(ValueError):
    """A change that the workflow refuses; the message is shown to the user."""


def local_today(now: datetime | None = None) -> date:
    return to_local(now or utcnow()).date()


def due_date(opened_at: datetime, working_days: int) -> date:
    holidays = load_holidays(current_app.config.get("HOLIDAYS_FILE"))
    return add_working_days(local_today(opened_at), working_days, holidays)


def needs_follow_up(response: Response) -> bool:
    """Low by the agency's threshold (survey.lowscores.is_low: any rating at or
    below it, an uncoded "not satisfied", or Q7 "asked to pay"). The public
    form asks for a contact on the same rule, so the two never disagree."""
    return is_low(response, followup_settings.effective_cached(response.agency_id).low_threshold)


def case_for_response(response_id: int) -> Case | None:
    return db.session.scalar(select(Case).where(Case.response_id == response_id))


def contact_for_response(response_id: int) -> Contact | None:
    return db.session.scalar(select(Contact).where(Contact.response_id == response_id))


def open_case(response: Response, user: User | None = None) -> Case:
    """Open (or return the existing) case for a response; flushes, no commit."""
    existing = case_for_response(response.id)
    if existing is not None:
        return existing
    rules = followup_settings.effective(response.agency_id)
    now = utcnow()
    contact = contact_for_response(response.id)
    case = Case(
        response_id=response.id,
        agency_id=response.agency_id,
        contact_id=contact.id if contact else None,
        source=SOURCE_MANUAL if user else SOURCE_AUTO,
        status=STATUS_NEW,
        opened_by_id=user.id if user else None,
        opened_at=now,
        due_on=due_date(now, rules.due_working_days),
    )
    db.session.add(case)
    db.session.flush()
    _event(case, user, "opened", None, case.source, now)
    log.info("case %s opened (%s) for response %s", case.id, case.source, response.id)
    return case


def on_contact_stored(response: Response, contact: Contact) -> Case | None:
    """A consented contact after a low answer opens a case automatically."""
    if contact.phone is None and contact.email is None:
        return None
    if not needs_follow_up(response):
        return None
    case = open_case(response)
    if case.contact_id is None:
        case.contact_id = contact.id
    return case


def _event(case: Case, user: User | None, field: str, old, new, at: datetime | None = None) -> None:
    db.session.add(
        CaseEvent(
            case_id=case.id,
            user_id=user.id if user else None,
            at=at or utcnow(),
            field=field,
            old_value=None if old is None else str(old),
            new_value=None if new is None else str(new),
        )
    )


def assign(case: Case, assignee: User | None, user: User) -> None:
    if case.status == STATUS_CLOSED:
        raise CaseError(_l("Hồ sơ đã đóng; hãy mở lại trước khi giao."))
    old = case.assignee.email if case.assignee else None
    if (assignee.id if assignee else None) == case.assignee_id:
        return
    case.assignee_id = assignee.id if assignee else None
    _event(case, user, "assignee", old, assignee.email if assignee else None)
    if case.status == STATUS_NEW and assignee is not None:
        _set_status(case, STATUS_IN_PROGRESS, user)


def set_texts(case: Case, user: User, values: dict[str, str | None]) -> None:
    """Record the answer to the citizen, the cause and the corrective action."""
    for name in TEXT_FIELDS:
        if name not in values:
            continue
        new = (values[name] or "").strip() or None
        old = getattr(case, name)
        if new != old:
            setattr(case, name, new)
            _event(case, user, name, old, new)


def change_status(case: Case, new_status: str, user: User) -> None:
    if new_status == case.status:
        return
    if new_status not in TRANSITIONS.get(case.status, ()):
        raise CaseError(_l("Không thể chuyển trạng thái hồ sơ như vậy."))
    if new_status == STATUS_ANSWERED and not case.answer_text:
        raise CaseError(_l("Cần ghi nội dung đã trả lời người dân trước khi chuyển sang “Đã trả lời”."))
    if new_status == STATUS_CLOSED and not (case.cause and case.corrective_action):
        raise CaseError(_l("Cần ghi nguyên nhân và hành động khắc phục trước khi đóng hồ sơ."))
    _set_status(case, new_status, user)


def _set_status(case: Case, new_status: str, user: User | None) -> None:
    old = case.status
    case.status = new_status
    now = utcnow()
    if new_status == STATUS_ANSWERED and case.answered_at is None:
        case.answered_at = now
    if new_status == STATUS_CLOSED:
        case.closed_at = now
    if old == STATUS_CLOSED:
        case.closed_at = None
    _event(case, user, "status", old, new_status, now)


def set_due(case: Case, due_on: date, user: User) -> None:
    if due_on != case.due_on:
        _event(case, user, "due_on", case.due_on.isoformat(), due_on.isoformat())
        case.due_on = due_on


def is_overdue(case: Case, today: date | None = None) -> bool:
    return case.is_open and case.due_on < (today or local_today())

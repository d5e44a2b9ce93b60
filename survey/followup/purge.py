"""Purging contact details: after a case closes, or at the latest when the
contact reaches its maximum age (domain guide §6: delete when follow-up
closes, 12 months at most). The case, the contact's consent record and the
anonymous answer stay; each purge is logged on the case and in the log.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select

from survey.contacts import purge_contact
from survey.extensions import db
from survey.followup import settings as followup_settings
from survey.models import Case, CaseEvent, Contact
from survey.models.followup import STATUS_CLOSED
from survey.models.types import utcnow

log = logging.getLogger("survey.followup.purge")

REASON_CLOSED = "case_closed"
REASON_MAX_AGE = "max_age"


@dataclass(frozen=True)
class Purged:
    contact_id: int
    case_id: int | None
    reason: str


def _has_details():
    return or_(Contact.phone.is_not(None), Contact.email.is_not(None))


def due_after_closure(now: datetime) -> list[tuple[Contact, Case]]:
    """Contacts whose case closed at least the agency's purge delay ago."""
    stmt = (
        select(Contact, Case)
        .join(Case, Case.contact_id == Contact.id)
        .where(Case.status == STATUS_CLOSED, Contact.purged_at.is_(None), _has_details())
    )
    delays: dict[int, int] = {}
    result = []
    for contact, case in db.session.execute(stmt):
        if case.agency_id not in delays:
            delays[case.agency_id] = followup_settings.effective(case.agency_id).purge_after_days
        if case.closed_at <= now - timedelta(days=delays[case.agency_id]):
            result.append((contact, case))
    return result


def too_old(now: datetime) -> list[Contact]:
    limit = now - timedelta(days=current_app.config["CONTACT_MAX_AGE_DAYS"])
    stmt = select(Contact).where(Contact.purged_at.is_(None), _has_details(), Contact.consent_at <= limit)
    return list(db.session.scalars(stmt))


def purge_due(now: datetime | None = None) -> list[Purged]:
    """Purge every contact that is due; one commit at the end."""
    now = now or utcnow()
    done: list[Purged] = []
    for contact, case in due_after_closure(now):
        done.append(_purge(contact, case, REASON_CLOSED))
    for contact in too_old(now):
        case = db.session.scalar(select(Case).where(Case.contact_id == contact.id))
        done.append(_purge(contact, case, REASON_MAX_AGE))
    db.session.commit()
    return done


def _purge(contact: Contact, case: Case | None, reason: str) -> Purged:
    purge_contact(contact, reason)
    if case is not None:
        db.session.add(CaseEvent(case_id=case.id, user_id=None, field="contact_purged", new_value=reason))
    log.info("contact %s purged (%s), case %s", contact.id, reason, case.id if case else "-")
    return Purged(contact.id, case.id if case else None, reason)

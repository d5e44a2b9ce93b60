"""Consented contact details: stored apart from answers, purgeable."""

from survey.extensions import db
from survey.models import Contact, Response
from survey.models.types import utcnow

NOTICE_VERSION = "2026-01"  # the privacy notice the citizen was shown


def store_contact(
    response: Response, phone: str | None, email: str | None, notice_version: str = NOTICE_VERSION
) -> Contact:
    """Record the details with the consent's time and notice version.

    Follow-up hooks in here: a contact left after a low answer opens a
    case (survey/followup/cases.py). The caller commits.
    """
    contact = Contact(
        response_id=response.id,
        phone=(phone or "").strip() or None,
        email=(email or "").strip() or None,
        notice_version=notice_version,
    )
    db.session.add(contact)
    db.session.flush()
    from survey.followup.cases import on_contact_stored  # the follow-up hook

    on_contact_stored(response, contact)
    return contact


def purge_contact(contact: Contact, reason: str) -> None:
    """Blank the personal details; the record of the purge stays."""
    contact.phone = None
    contact.email = None
    contact.purged_at = utcnow()
    contact.purge_reason = reason

"""Who may see which packs: agency subtree and, for auditors, a period."""

from datetime import date

from flask import abort
from sqlalchemy import select

from survey.auth.scope import scope_agency_ids
from survey.extensions import db
from survey.models import Agency, EvidenceJob, User
from survey.models.user import ROLE_ADMIN, ROLE_AUDITOR, ROLE_COMMITTEE, ROLE_HEAD

EVIDENCE_ROLES = (ROLE_ADMIN, ROLE_COMMITTEE, ROLE_HEAD, ROLE_AUDITOR)
LOG_ROLES = (ROLE_ADMIN, ROLE_COMMITTEE)


def period_allowed(user: User, start: date, end: date) -> bool:
    """Auditors may be limited to a period (scope_from/scope_to on the user)."""
    if user.scope_from is not None and start < user.scope_from:
        return False
    return user.scope_to is None or end <= user.scope_to


def agencies_for(user: User) -> list[Agency]:
    stmt = select(Agency).where(Agency.active.is_(True)).order_by(Agency.depth, Agency.name)
    ids = scope_agency_ids(user)
    if ids is not None:
        stmt = stmt.where(Agency.id.in_(ids))
    return list(db.session.scalars(stmt))


def jobs_query(user: User):
    stmt = select(EvidenceJob).order_by(EvidenceJob.id.desc())
    ids = scope_agency_ids(user)
    if ids is not None:
        stmt = stmt.where(EvidenceJob.agency_id.in_(ids))
    if user.scope_from is not None:
        stmt = stmt.where(EvidenceJob.date_from >= user.scope_from)
    if user.scope_to is not None:
        stmt = stmt.where(EvidenceJob.date_to <= user.scope_to)
    return stmt


def job_in_scope(user: User, job_id: int) -> EvidenceJob:
    """404 for a job outside the user's agencies or period (not revealed)."""
    job = db.session.scalar(jobs_query(user).where(EvidenceJob.id == job_id))
    if job is None:
        abort(404)
    return job

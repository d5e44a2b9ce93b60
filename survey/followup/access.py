"""Who may do what with a case. Scope comes first (scope_agency_ids, in the
query: out of scope is 404); roles then decide editing and contact access."""

from flask import abort
from sqlalchemy import select

from survey.auth.scope import scope_agency_ids
from survey.extensions import db
from survey.models import AgencyClosure, Case, Response, User
from survey.models.user import ROLE_ADMIN, ROLE_HEAD, ROLE_STAFF

HANDLER_ROLES = (ROLE_ADMIN, ROLE_HEAD, ROLE_STAFF)
ASSIGNEE_ROLES = (ROLE_HEAD, ROLE_STAFF)
SETTINGS_ROLES = (ROLE_ADMIN, ROLE_HEAD)


def _load_in_scope(model, row_id: int, user: User):
    """One row of a model with an agency_id, or 404 when missing or out of scope."""
    stmt = select(model).where(model.id == row_id)
    ids = scope_agency_ids(user)
    if ids is not None:
        stmt = stmt.where(model.agency_id.in_(ids))
    row = db.session.scalar(stmt)
    if row is None:
        abort(404)
    return row


def load_case(case_id: int, user: User) -> Case:
    return _load_in_scope(Case, case_id, user)


def load_response(response_id: int, user: User) -> Response:
    return _load_in_scope(Response, response_id, user)


def can_edit(user: User) -> bool:
    return user.role in HANDLER_ROLES


def can_see_contact(user: User, case: Case) -> bool:
    """Only those who handle the case: the agency's heads in scope and the
    assigned officer. Not administrators, the committee or auditors."""
    return user.role == ROLE_HEAD or (user.role == ROLE_STAFF and case.assignee_id == user.id)


def assignable_users(case: Case) -> list[User]:
    """Active heads and staff whose scope includes the case's agency."""
    above = select(AgencyClosure.ancestor_id).where(AgencyClosure.descendant_id == case.agency_id)
    stmt = (
        select(User)
        .where(User.active.is_(True), User.role.in_(ASSIGNEE_ROLES), User.agency_id.in_(above))
        .order_by(User.email)
    )
    return list(db.session.scalars(stmt))

"""Row scope: which agencies a user may see. Enforced in queries, not templates."""

from flask import abort

from survey.agencies import subtree_ids
from survey.models import Agency, User
from survey.models.user import ROLE_ADMIN, ROLE_AUDITOR, ROLE_COMMITTEE

WHOLE_TREE_ROLES = (ROLE_COMMITTEE, ROLE_AUDITOR)


def scope_agency_ids(user: User) -> list[int] | None:
    """None means unrestricted; otherwise the ids of the user's subtree."""
    if user.role == ROLE_ADMIN:
        return None
    if user.agency_id is None:
        # Province-wide roles may be unscoped; heads and staff never are.
        return None if user.role in WHOLE_TREE_ROLES else []
    return subtree_ids(user.agency_id)


def in_scope(user: User, agency: Agency) -> bool:
    ids = scope_agency_ids(user)
    return ids is None or agency.id in ids


def ensure_in_scope(user: User, agency: Agency | None) -> Agency:
    """404 rather than 403 so that out-of-scope agencies are not revealed."""
    if agency is None or not in_scope(user, agency):
        abort(404)
    return agency


def root_agency_for(user: User) -> Agency | None:
    return user.agency

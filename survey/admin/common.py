"""Helpers shared by the console views: who may manage, scope, search, CSV."""

import csv
import io

from flask import abort, request
from flask_login import current_user
from sqlalchemy import select

from survey.agencies import get_by_code
from survey.auth.access import roles_required
from survey.auth.scope import ensure_in_scope, scope_agency_ids
from survey.extensions import db
from survey.models import Agency
from survey.models.user import ROLE_ADMIN, ROLE_COMMITTEE, ROLE_HEAD

# Who may change things in the console (within their subtree).
MANAGER_ROLES = (ROLE_ADMIN, ROLE_COMMITTEE, ROLE_HEAD)
manager_required = roles_required(*MANAGER_ROLES)


def search_text() -> str:
    return (request.values.get("q") or "").strip()[:100]


def scope_ids() -> list[int] | None:
    return scope_agency_ids(current_user)


def is_province_wide() -> bool:
    return scope_ids() is None


def scoped_agency(code: str | None) -> Agency:
    """The agency by code if the user may see it; 404 otherwise."""
    return ensure_in_scope(current_user, get_by_code(code or ""))


def agency_choices(active_only: bool = True) -> list[tuple[str, str]]:
    stmt = select(Agency.code, Agency.name).order_by(Agency.depth, Agency.name)
    if (ids := scope_ids()) is not None:
        stmt = stmt.where(Agency.id.in_(ids))
    if active_only:
        stmt = stmt.where(Agency.retired_at.is_(None))
    return [(code, f"{name} ({code})") for code, name in db.session.execute(stmt)]


def require_province_wide() -> None:
    if not is_province_wide():
        abort(404)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """Spreadsheet formula injection: a cell starting with = + - @ tab CR gets a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_text(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
    return "\ufeff" + out.getvalue()

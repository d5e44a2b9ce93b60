"""Access decorators. Each one also records its policy on the view function,
so a test can walk the URL map and find any route without a policy."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from survey.models.user import ROLE_ADMIN, ROLES

PUBLIC = "public"


def public(view):
    view.access_policy = PUBLIC
    return view


def roles_required(*roles: str):
    """Logged-in users with one of `roles`; object scope is checked in queries."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapper.access_policy = tuple(roles)
        return wrapper

    return decorate


def admin_required(view):
    return roles_required(ROLE_ADMIN)(view)


any_staff_role = roles_required(*ROLES)

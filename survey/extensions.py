"""Extension instances, bound to the app in create_app()."""

import inspect
from functools import wraps

from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from survey.netid import client_network_key

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=client_network_key, default_limits=[])


def within_limits(app, environ, check) -> bool:
    """For the WSGI-level answers (public/fast_form.py, fast_submit.py): run
    `check`, a function carrying a view's @limiter.limit decorators, in a
    request context for environ, so it counts in the view's own buckets.
    False when a limit is reached (the view then answers with its 429 page)."""
    if not limiter.enabled:
        return True
    from flask_limiter import RateLimitExceeded

    try:
        with app.request_context(environ):
            check()
    except RateLimitExceeded:
        return False
    return True


def unless_limits_off(limited_view):
    """Put above a view's @limiter.limit decorators: with RATELIMIT_ENABLED off,
    Flask-Limiter's wrappers still identify the request and resolve its limits
    (about a tenth of a cached form page view) only to find nothing to check,
    so then the plain view runs. With limits on, nothing changes."""
    plain_view = inspect.unwrap(limited_view)

    @wraps(limited_view)
    def view(*args, **kwargs):
        return (limited_view if limiter.enabled else plain_view)(*args, **kwargs)

    return view

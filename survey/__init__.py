"""Hài Lòng QR: citizen-satisfaction surveys for Vietnamese public agencies."""

import os

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from survey.config import check_production_safety, load_config

__version__ = "0.1.0"

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class App(Flask):
    """Flask, remembering which views and hooks are plain functions.

    Flask asks inspect.iscoroutinefunction about every hook and view of every
    request (about fifteen per page view); the answer never changes.
    """

    def ensure_sync(self, func):
        known = self.__dict__.setdefault("_sync_functions", {})
        try:
            return known[func]
        except KeyError:
            known[func] = super().ensure_sync(func)
            return known[func]
        except TypeError:  # an unhashable callable
            return super().ensure_sync(func)


def create_app(overrides: dict | None = None) -> Flask:
    from survey import input_guard

    app = App(
        __name__,
        template_folder=os.path.join(PROJECT_ROOT, "templates"),
        static_folder=os.path.join(PROJECT_ROOT, "static"),
        instance_path=os.path.join(PROJECT_ROOT, "instance"),
    )
    # A code is one path segment: "0%2F" must not be merged and redirected to
    # another code's page, it is simply not found.
    app.url_map.merge_slashes = False
    input_guard.bound_integer_ids(app)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(load_config(app.instance_path))
    app.config.update(overrides or {})
    check_production_safety(app.config)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    from survey import compression, errors, headers, i18n, input_guard, logs, masking, session_cookie
    from survey.auth import sessions
    from survey.public import fast_form, fast_submit

    session_cookie.register(app)
    logs.register(app)
    sessions.register(app)
    errors.register(app)
    i18n.register(app)
    masking.register(app)
    compression.register(app)
    fast_submit.install(app)  # inside ProxyFix (headers.register): it sees the client's address
    fast_form.install(app)  # ... and scheme
    headers.register(app)
    input_guard.register(app)
    return app


def register_extensions(app: Flask) -> None:
    from survey import models  # noqa: F401  (every table known to Alembic)
    from survey.auth.loader import register_user_loader
    from survey.extensions import babel, csrf, db, limiter, login_manager, migrate
    from survey.i18n import babel_locale
    from survey.rollups import freshness  # noqa: F401  (marks late changes for the roll-ups)

    db.init_app(app)
    with app.app_context():
        from survey import db_pool

        db_pool.install(db.engine, app.config["DB_PING_IDLE_SECONDS"])
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    register_user_loader(login_manager)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=babel_locale)
    limiter.init_app(app)


def register_blueprints(app: Flask) -> None:
    from survey.admin import bp as admin_bp
    from survey.api import bp as api_bp
    from survey.auth import bp as auth_bp
    from survey.dashboards import bp as dashboards_bp
    from survey.evidence.web import bp as evidence_bp
    from survey.extensions import csrf
    from survey.followup.blueprint import load_views as followup_views
    from survey.posters.web import bp as posters_bp
    from survey.public import bp as public_bp
    from survey.questionnaire_admin import bp as questionnaire_admin_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(dashboards_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(questionnaire_admin_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(followup_views())
    app.register_blueprint(evidence_bp)
    app.register_blueprint(posters_bp)
    csrf.exempt(api_bp)  # bearer tokens, no cookies


def register_commands(app: Flask) -> None:
    from survey.cli import register

    register(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL, a long busy timeout and foreign keys for every SQLite connection.

    perf-baselines.md: without busy_timeout >= 5 s concurrent submits fail
    with "database is locked"; WAL lets readers run beside the writer.
    """
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    from flask import current_app, has_app_context

    busy_ms, sync = 5000, "NORMAL"
    if has_app_context():
        busy_ms = current_app.config["SQLITE_BUSY_TIMEOUT_MS"]
        sync = current_app.config["SQLITE_SYNCHRONOUS"]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
    cursor.execute(f"PRAGMA synchronous={sync if sync in ('NORMAL', 'FULL') else 'NORMAL'}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()

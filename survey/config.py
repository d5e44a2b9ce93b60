"""Configuration read from the environment when the app is created.

Every limit and threshold is an environment variable so that operators,
benchmarks and load tests can change it without touching code; the README
lists them all.
"""

import logging
import os
from pathlib import Path

DEV_SECRET_KEY = "dev-only-insecure-secret-key"  # noqa: S105 - refused in production


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(env: dict, name: str, default: int) -> int:
    return int(env.get(name) or default)


def _float(env: dict, name: str, default: float) -> float:
    return float(env.get(name) or default)


def default_database_url(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "hailong.sqlite3")


def load_config(instance_path: str, env: dict | None = None) -> dict:
    """Build the Flask config mapping from environment variables."""
    env = dict(os.environ if env is None else env)
    production = env.get("HAILONG_ENV", "development") == "production"
    return {
        "ENV_NAME": "production" if production else "development",
        "SECRET_KEY": env.get("SECRET_KEY") or DEV_SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL") or default_database_url(instance_path),
        "PUBLIC_BASE_URL": (env.get("PUBLIC_BASE_URL") or "http://127.0.0.1:8000").rstrip("/"),
        "MIN_SAMPLE": _int(env, "MIN_SAMPLE", 30),
        "LOW_SAMPLE": _int(env, "LOW_SAMPLE", 100),
        "DEFAULT_TARGET": _float(env, "DEFAULT_TARGET", 0.90),
        "QR_UPPERCASE_URL": _bool(env.get("QR_UPPERCASE_URL"), True),
        "QR_LOGO_DIR": env.get("QR_LOGO_DIR") or str(Path(instance_path) / "logos"),
        "POSTER_HOTLINE": env.get("POSTER_HOTLINE", ""),
        "POSTER_DIR": env.get("POSTER_DIR") or str(Path(instance_path) / "posters"),
        "DOSSIER_HASH_KEY": env.get("DOSSIER_HASH_KEY", ""),
        "DOSSIER_LINK_DAYS": _int(env, "DOSSIER_LINK_DAYS", 30),
        "ROLLUP_MAX_CATCHUP_DAYS": _int(env, "ROLLUP_MAX_CATCHUP_DAYS", 7),
        "DASHBOARD_CACHE_SIZE": _int(env, "DASHBOARD_CACHE_SIZE", 256),
        "INDEPENDENT_CHANNELS": tuple(
            c.strip() for c in env.get("INDEPENDENT_CHANNELS", "independent").split(",") if c.strip()
        ),
        "GAP_THRESHOLD": _float(env, "GAP_THRESHOLD", 0.10),
        "COMMENT_MAX_LENGTH": _int(env, "COMMENT_MAX_LENGTH", 500),
        "INTEGRITY_SETTLE_SECONDS": _int(env, "INTEGRITY_SETTLE_SECONDS", 60),
        "EVIDENCE_DIR": env.get("EVIDENCE_DIR") or str(Path(instance_path) / "evidence"),
        "EVIDENCE_UPLOAD_MAX": _int(env, "EVIDENCE_UPLOAD_MAX", 512 * 1024 * 1024),
        # Raw rows per XLSX sheet (Excel's limit is 1,048,576); more rows go on to the next sheet.
        "EVIDENCE_XLSX_SHEET_ROWS": _int(env, "EVIDENCE_XLSX_SHEET_ROWS", 1_000_000),
        # A job whose progress has not moved for this long lost its worker: marked failed.
        "EVIDENCE_JOB_STALL_SECONDS": _int(env, "EVIDENCE_JOB_STALL_SECONDS", 900),
        "POSTER_JOB_STALL_SECONDS": _int(env, "POSTER_JOB_STALL_SECONDS", 900),
        "SQLITE_BUSY_TIMEOUT_MS": _int(env, "SQLITE_BUSY_TIMEOUT_MS", 5000),
        "SQLITE_SYNCHRONOUS": env.get("SQLITE_SYNCHRONOUS", "NORMAL"),
        # A worker checkpoints the WAL after this many submits, outside the writer lock
        # (sqlite_writer.py); 0 leaves it to SQLite's autocheckpoint inside the commit.
        "SQLITE_CHECKPOINT_EVERY": _int(env, "SQLITE_CHECKPOINT_EVERY", 500),
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), True),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        # A shared storage that stops answering (Redis restarting) must not stop
        # the survey: each worker counts in memory until it answers again.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": _bool(env.get("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"), True),
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE"), production),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": _int(env, "MAX_CONTENT_LENGTH", 2 * 1024 * 1024),
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        # Project-root translations/ (not survey/translations): `make translations`.
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).resolve().parent.parent / "translations"),
        # No pool_pre_ping (a round trip per checkout): survey/db_pool.py pings
        # only connections idle for DB_PING_IDLE_SECONDS and replaces dead ones.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_recycle": 1800},
        "DB_PING_IDLE_SECONDS": _int(env, "DB_PING_IDLE_SECONDS", 2),
        **survey_config(env),
        **followup_config(env),
        **hardening_config(env),
    }


def survey_config(env: dict) -> dict:
    """The citizen survey: abuse resistance (survey/antiabuse.py), caches and kiosk mode."""
    return {
        "RATELIMIT_SUBMIT_DEVICE": env.get("RATELIMIT_SUBMIT_DEVICE", "5 per 10 minutes;20 per day"),
        "RATELIMIT_SUBMIT_NETWORK": env.get("RATELIMIT_SUBMIT_NETWORK", "120 per 10 minutes"),
        "RATELIMIT_SUBMIT_KIOSK": env.get("RATELIMIT_SUBMIT_KIOSK", "60 per 10 minutes"),
        "RATELIMIT_FORM_NETWORK": env.get("RATELIMIT_FORM_NETWORK", "300 per minute"),
        "BURST_WINDOW_MINUTES": _int(env, "BURST_WINDOW_MINUTES", 10),
        "BURST_DEVICE_TOP": _int(env, "BURST_DEVICE_TOP", 3),
        "BURST_NETWORK_TOP": _int(env, "BURST_NETWORK_TOP", 10),
        "BURST_KIOSK_TOP": _int(env, "BURST_KIOSK_TOP", 10),
        "OPENING_HOURS": env.get("OPENING_HOURS", "07:00-17:30"),
        "OPENING_DAYS": env.get("OPENING_DAYS", "1-6"),
        "LOW_SCORE_MAX": _int(env, "LOW_SCORE_MAX", 2),
        "QUESTIONNAIRE_CACHE_SECONDS": _int(env, "QUESTIONNAIRE_CACHE_SECONDS", 60),
        "FORM_PAGE_CACHE_SECONDS": _int(env, "FORM_PAGE_CACHE_SECONDS", 30),
        "SCAN_FLUSH_EVERY": _int(env, "SCAN_FLUSH_EVERY", 200),
        "SCAN_FLUSH_SECONDS": _int(env, "SCAN_FLUSH_SECONDS", 10),
        "KIOSK_RESET_SECONDS": _int(env, "KIOSK_RESET_SECONDS", 8),
    }


def hardening_config(env: dict) -> dict:
    """Sessions, sign-in defences, proxies and logs (docs/operations.md)."""
    return {
        # Idle limit (Flask refuses a session cookie older than this, refreshed
        # on every request) and absolute limit since login (survey/auth/sessions.py).
        "PERMANENT_SESSION_LIFETIME": 60 * _int(env, "SESSION_IDLE_MINUTES", 60),
        "SESSION_MAX_HOURS": _int(env, "SESSION_MAX_HOURS", 12),
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT") or "10 per minute",
        "LOGIN_MAX_FAILURES": _int(env, "LOGIN_MAX_FAILURES", 5),
        "LOGIN_LOCKOUT_MINUTES": _int(env, "LOGIN_LOCKOUT_MINUTES", 15),
        # Number of reverse proxies in front of the app (nginx: 1). 0 trusts
        # no X-Forwarded-* header at all.
        "TRUSTED_PROXIES": _int(env, "TRUSTED_PROXIES", 0),
        "LOG_LEVEL": (env.get("LOG_LEVEL") or "INFO").upper(),
    }


def followup_config(env: dict) -> dict:
    """Follow-up defaults (agencies override them at /followup/settings/<code>)
    and the optional SMTP relay for alert emails (docs/followup.md)."""
    return {
        "FOLLOWUP_DUE_WORKING_DAYS": _int(env, "FOLLOWUP_DUE_WORKING_DAYS", 5),
        "FOLLOWUP_PURGE_AFTER_DAYS": _int(env, "FOLLOWUP_PURGE_AFTER_DAYS", 30),
        "CONTACT_MAX_AGE_DAYS": _int(env, "CONTACT_MAX_AGE_DAYS", 365),
        "ALERT_WINDOW_MINUTES": _int(env, "ALERT_WINDOW_MINUTES", 15),
        "ALERT_MIN_ANSWERS": _int(env, "ALERT_MIN_ANSWERS", 4),
        "ALERT_UNHAPPY_SHARE": _float(env, "ALERT_UNHAPPY_SHARE", 0.5),
        "HOLIDAYS_FILE": env.get("HOLIDAYS_FILE") or None,
        "SMTP_HOST": env.get("SMTP_HOST") or None,
        "SMTP_PORT": _int(env, "SMTP_PORT", 25),
        "SMTP_USERNAME": env.get("SMTP_USERNAME") or None,
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": _bool(env.get("SMTP_STARTTLS"), False),
        "SMTP_TIMEOUT": _int(env, "SMTP_TIMEOUT", 10),
        "MAIL_FROM": env.get("MAIL_FROM") or "hailong@localhost",
    }


class ConfigError(RuntimeError):
    """Raised when the configuration is unsafe to run with."""


def check_production_safety(config: dict) -> None:
    if config["ENV_NAME"] != "production":
        return
    if config["SECRET_KEY"] == DEV_SECRET_KEY:
        raise ConfigError("SECRET_KEY must be set to a long random value when HAILONG_ENV=production")
    if config["RATELIMIT_ENABLED"] and config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        # Each gunicorn worker process keeps its own counts: with 5 workers a
        # limit of 5 lets up to 25 through. Allowed (one worker, a test box), but said.
        logging.getLogger(__name__).warning(
            "RATELIMIT_STORAGE_URI=memory:// counts each limit per worker process; "
            "set a shared storage (e.g. redis://) so the configured limits hold"
        )

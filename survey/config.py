"""Configuration read from the environment when the app is created.

Every limit and threshold is an environment variable so that operators,
benchmarks and load tests can change it without touching code; the README
lists them all.
"""

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
        "COMMENT_MAX_LENGTH": _int(env, "COMMENT_MAX_LENGTH", 500),
        "INTEGRITY_SETTLE_SECONDS": _int(env, "INTEGRITY_SETTLE_SECONDS", 60),
        "SQLITE_BUSY_TIMEOUT_MS": _int(env, "SQLITE_BUSY_TIMEOUT_MS", 5000),
        "SQLITE_SYNCHRONOUS": env.get("SQLITE_SYNCHRONOUS", "NORMAL"),
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), True),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE"), production),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": _int(env, "MAX_CONTENT_LENGTH", 2 * 1024 * 1024),
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        # Project-root translations/ (not survey/translations): `make translations`.
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).resolve().parent.parent / "translations"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    }


class ConfigError(RuntimeError):
    """Raised when the configuration is unsafe to run with."""


def check_production_safety(config: dict) -> None:
    if config["ENV_NAME"] == "production" and config["SECRET_KEY"] == DEV_SECRET_KEY:
        raise ConfigError("SECRET_KEY must be set to a long random value when HAILONG_ENV=production")

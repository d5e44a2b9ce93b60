import pytest

from survey import create_app
from survey.config import ConfigError, check_production_safety


def test_production_refuses_default_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("HAILONG_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    with pytest.raises(ConfigError):
        create_app()


def test_production_starts_with_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("HAILONG_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-secret-value-0123456789")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("x.db")


def test_production_warns_that_memory_limits_are_per_worker(caplog):
    production = {"ENV_NAME": "production", "SECRET_KEY": "a-long-random-secret-value-0123456789"}
    with caplog.at_level("WARNING", logger="survey.config"):
        check_production_safety(
            production | {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}
        )
    assert "counts each limit per worker process" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="survey.config"):
        shared = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}
        check_production_safety(production | shared)
        check_production_safety(
            production | {"RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://"}
        )
    assert "per worker process" not in caplog.text

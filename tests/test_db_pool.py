"""Pooled connections: pinged only after idling, and a dead idle one is
replaced before a request uses it (survey/db_pool.py)."""

import pytest
from sqlalchemy import text

from survey import create_app
from survey.extensions import db
from tests.conftest import TEST_CONFIG


@pytest.fixture
def pool_app(database_url):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "DB_PING_IDLE_SECONDS": 0})
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_connection_that_died_while_idle_is_replaced_before_use(pool_app):
    with pool_app.app_context():
        engine = db.engine
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            first = connection.connection.dbapi_connection
        first.close()  # as a database restart leaves it, unknown to the pool
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 2")).scalar() == 2
            assert connection.connection.dbapi_connection is not first


def test_a_connection_in_steady_use_is_not_pinged(database_url, monkeypatch):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "DB_PING_IDLE_SECONDS": 60})
    with app.app_context():
        engine = db.engine
        pings = []
        real_ping = engine.dialect.do_ping
        monkeypatch.setattr(engine.dialect, "do_ping", lambda conn: pings.append(1) or real_ping(conn))
        for n in range(5):
            with engine.connect() as connection:
                assert connection.execute(text(f"SELECT {n}")).scalar() == n
        assert pings == []
        engine.dispose()

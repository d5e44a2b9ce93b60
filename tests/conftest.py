"""Shared fixtures. The database engine is chosen by --db (sqlite|postgres);
`make test` runs the whole suite once with each."""

import os
import tempfile

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from survey import PROJECT_ROOT, create_app
from survey.extensions import db
from tests import factories
from tests.pgcluster import Cluster


def pytest_addoption(parser):
    parser.addoption("--db", default=os.environ.get("TEST_DB", "sqlite"), choices=("sqlite", "postgres"))


def pytest_report_header(config):
    return f"database engine: {config.getoption('--db')}"


@pytest.fixture(scope="session")
def db_engine_name(pytestconfig) -> str:
    return pytestconfig.getoption("--db")


@pytest.fixture(scope="session")
def pg_cluster(db_engine_name):
    if db_engine_name != "postgres":
        yield None
        return
    cluster = Cluster().start()
    yield cluster
    cluster.destroy()


@pytest.fixture(scope="session")
def database_url(db_engine_name, pg_cluster, tmp_path_factory) -> str:
    if pg_cluster is not None:
        return pg_cluster.url()
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "migrations")

TEST_CONFIG = {
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    # Tests run at any hour; tests of the opening-hours flag set their own.
    "OPENING_HOURS": "00:00-24:00",
    "OPENING_DAYS": "1-7",
    # Tables are wiped between tests and ids reused: no cached questionnaires.
    "QUESTIONNAIRE_CACHE_SECONDS": 0,
    "FORM_PAGE_CACHE_SECONDS": 0,
    "SCAN_FLUSH_EVERY": 1,  # every scan written at once (survey/public/scan_buffer.py)
    "PUBLIC_BASE_URL": "https://hailong.example.vn",
    "SECRET_KEY": "test-secret-key-not-for-production",
}


def _compile_catalogues() -> None:
    """`make` compiles the .mo files; a bare `pytest` after a rebase that
    brought new .po strings must not test stale English catalogues."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    root = os.path.join(PROJECT_ROOT, "translations")
    for locale in os.listdir(root):
        po = os.path.join(root, locale, "LC_MESSAGES", "messages.po")
        mo = po[:-2] + "mo"
        if not os.path.exists(po):
            continue
        if os.path.exists(mo) and os.path.getmtime(mo) >= os.path.getmtime(po):
            continue
        with open(po, "rb") as source:
            catalogue = read_po(source, locale=locale)
        with open(mo, "wb") as target:
            write_mo(target, catalogue, use_fuzzy=True)


@pytest.fixture(scope="session")
def app(database_url):
    _compile_catalogues()
    application = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url})
    with application.app_context():
        upgrade(directory=MIGRATIONS)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _wipe() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(table.name for table in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture(autouse=True)
def _clean_database(request, app):
    """Every test starts from empty tables (plus questionnaire v1)."""
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        _wipe()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def province():
    """A small two-level province with two communes and one department."""
    return factories.province()


@pytest.fixture
def login(client):
    def _login(user, password=factories.PASSWORD):
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.text
        return client

    return _login


@pytest.fixture
def tmpdir_path():
    with tempfile.TemporaryDirectory() as path:
        yield path

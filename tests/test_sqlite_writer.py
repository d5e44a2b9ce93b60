"""Submits to an SQLite file take turns through a lock the kernel queues
(survey/sqlite_writer.py): one worker writes, the next one waits and wakes
when it is done, including workers forked from a master that already held
the lock file open (gunicorn --preload)."""

import fcntl
import json
import multiprocessing
import os
import time

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from survey import create_app, sqlite_writer
from survey.extensions import db
from survey.models import Response
from survey.sqlite_writer import lock_path, one_writer
from tests import factories
from tests.conftest import MIGRATIONS, TEST_CONFIG
from tests.survey_helpers import ANSWERS, submit

HOLD_SECONDS = 0.4


def _acquire_and_report(url, queue) -> None:
    with one_writer(url):
        queue.put(time.monotonic())


def test_a_forked_worker_waits_while_another_writes(tmp_path):
    url = make_url(f"sqlite:///{tmp_path}/survey.sqlite3")
    forks = multiprocessing.get_context("fork")
    queue = forks.Queue()
    with one_writer(url):  # this process opened the lock file before forking, as a --preload master
        worker = forks.Process(target=_acquire_and_report, args=(url, queue))
        worker.start()
        time.sleep(HOLD_SECONDS)
        released = time.monotonic()
    acquired = queue.get(timeout=10)
    worker.join(timeout=10)
    assert acquired >= released  # it waited for the write to end, not a moment less


def test_the_lock_file_sits_beside_the_database_and_only_for_sqlite_files(tmp_path):
    assert (
        lock_path(make_url(f"sqlite:///{tmp_path}/survey.sqlite3"))
        == f"{tmp_path}/survey.sqlite3.writer-lock"
    )
    assert lock_path(make_url("sqlite://")) is None  # in memory: one process anyway
    assert lock_path(make_url("postgresql+psycopg://survey@/survey")) is None  # PostgreSQL needs no help


# --- The WAL is checkpointed after the lock is released, not inside a submit's commit.

BIG_ROW = b"x" * (5 * 1024 * 1024)  # 5 MB: past SQLite's 1,000-page autocheckpoint threshold


@pytest.fixture
def wal_database(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite_writer, "_since_checkpoint", 0)
    path = tmp_path / "survey.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        connection.exec_driver_sql("CREATE TABLE rows (body BLOB)")
        connection.commit()
    yield engine, path
    engine.dispose()


def _write(connection, body: bytes = b"answer") -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")
    connection.exec_driver_sql("INSERT INTO rows VALUES (?)", (body,))
    connection.exec_driver_sql("COMMIT")


def test_a_submit_commit_leaves_the_wal_and_other_writers_still_checkpoint(wal_database):
    engine, path = wal_database
    size_before = path.stat().st_size
    with engine.connect() as connection:
        with one_writer(engine.url, connection, checkpoint_every=1000):
            _write(connection, BIG_ROW)
        assert path.stat().st_size == size_before  # 5 MB in the WAL, none copied under the lock
        autocheckpoint = connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
        assert autocheckpoint == sqlite_writer.SQLITE_AUTOCHECKPOINT_PAGES
        _write(connection)  # an ordinary writer on the same pooled connection
    assert path.stat().st_size > len(BIG_ROW)  # SQLite's own checkpoint ran at its commit


def test_every_nth_submit_checkpoints_once_the_lock_is_free(wal_database, monkeypatch):
    engine, path = wal_database
    lock_was_free = []
    real_checkpoint = sqlite_writer.checkpoint

    def checkpoint_and_look(connection):
        probe = os.open(lock_path(engine.url), os.O_RDWR)
        try:
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if a submit still held it
            fcntl.flock(probe, fcntl.LOCK_UN)
            lock_was_free.append(True)
        finally:
            os.close(probe)
        real_checkpoint(connection)

    monkeypatch.setattr(sqlite_writer, "checkpoint", checkpoint_and_look)
    with engine.connect() as connection:
        for n in range(1, 6):
            with one_writer(engine.url, connection, checkpoint_every=3):
                _write(connection, BIG_ROW if n == 1 else b"answer")
            copied = path.stat().st_size > len(BIG_ROW)
            assert copied == (n >= 3), n  # into the database file at the third submit
    assert lock_was_free == [True]  # one checkpoint in five submits, run outside the lock


def test_a_failed_checkpoint_costs_the_citizen_nothing(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path}/survey.sqlite3"
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "SQLITE_CHECKPOINT_EVERY": 1})

    def broken(connection):
        raise OperationalError("PRAGMA wal_checkpoint(PASSIVE)", None, Exception("disk I/O error"))

    monkeypatch.setattr(sqlite_writer, "checkpoint", broken)
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        monkeypatch.setattr(sqlite_writer.log, "disabled", False)  # Alembic's logging setup disables it
        code = factories.province().point_a.code
        client = app.test_client()
        capsys.readouterr()
        replies = [submit(client, code, ANSWERS) for _ in range(2)]
        assert [reply.status_code for reply in replies] == [302, 302]
        assert db.session.scalar(select(func.count(Response.id))) == 2
        logged = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
        failures = [e for e in logged if e["msg"] == "SQLite checkpoint after a submit failed"]
        assert [e["error"] for e in failures] == ["OperationalError"] * 2
        db.session.remove()
        db.engine.dispose()

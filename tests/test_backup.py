"""`backup` while answers keep arriving, `restore` into an empty database,
and the restored data passes `verify-integrity`. Real commands, both engines."""

import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import MetaData, create_engine, select

from survey.extensions import db
from survey.models import SurveyPoint
from survey.questionnaires import ensure_default
from survey.responses import Submission, record
from tests import factories
from tests.conftest import TEST_CONFIG

ROOT = Path(__file__).resolve().parent.parent


def flask_cli(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": TEST_CONFIG["SECRET_KEY"]}
    flask = str(Path(sys.executable).parent / "flask")
    return subprocess.run(
        [flask, "--app", "wsgi", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def empty_database(db_engine_name, pg_cluster, tmp_path):
    """The URL of a brand-new, empty database on the same engine."""
    if db_engine_name == "sqlite":
        yield "sqlite:///" + str(tmp_path / "restored.sqlite3")
        return
    name = f"restored_{uuid.uuid4().hex[:8]}"
    admin = {"host": str(pg_cluster.root), "port": pg_cluster.port, "user": "postgres", "dbname": "postgres"}
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield pg_cluster.url(name)
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def snapshot(url: str) -> dict[str, dict[tuple, dict]]:
    """Every row of every table, by primary key."""
    engine = create_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as conn:
            return {
                table.name: {
                    tuple(row[c.name] for c in table.primary_key.columns): dict(row)
                    for row in conn.execute(select(table)).mappings()
                }
                for table in metadata.sorted_tables
            }
    finally:
        engine.dispose()


class Writer(threading.Thread):
    """Citizens answering through the real service while the backup runs."""

    def __init__(self, app, point_id: int):
        super().__init__(daemon=True)
        self.app, self.point_id, self.stop, self.stored = app, point_id, threading.Event(), 0

    def run(self):
        with self.app.app_context():
            point, version = db.session.get(SurveyPoint, self.point_id), ensure_default()
            while not self.stop.is_set():
                nonce = f"live-{uuid.uuid4().hex}"
                record(point, version, Submission(nonce=nonce, answers={"Q1": 4, "Q9": 5}, comment="Ổn"))
                self.stored += 1
                self.stop.wait(0.01)  # a steady stream, not a busy loop hogging the GIL
            db.session.remove()


def test_backup_under_load_restores_into_an_empty_database(
    app, province, database_url, empty_database, tmp_path
):
    for overall in (5, 4, 2, 5, 1, 3, 5, 4):
        factories.answer(province.point_a, overall=overall, comment="Cán bộ nhiệt tình")
    sealed = app.test_cli_runner().invoke(args=["seal"])
    assert sealed.exit_code == 0, sealed.output
    before = snapshot(database_url)

    writer = Writer(app, province.point_a.id)
    writer.start()
    output = str(tmp_path / "hailong.backup")
    made = flask_cli(database_url, "backup", "--output", output)
    writer.stop.set()
    writer.join(timeout=60)
    assert made.returncode == 0, made.stderr
    assert "Đã sao lưu vào" in made.stdout and os.path.getsize(output) > 0
    assert writer.stored > 0
    after = snapshot(database_url)

    restored = flask_cli(empty_database, "restore", output)
    assert restored.returncode == 0, restored.stderr
    checked = flask_cli(empty_database, "verify-integrity")
    assert checked.returncode == 0, checked.stdout + checked.stderr

    copy = snapshot(empty_database)
    for table, rows in after.items():
        # Everything from before the backup is there, nothing is invented or altered ...
        assert before.get(table, {}).items() <= copy[table].items(), table
        assert copy[table].items() <= rows.items(), table
    # ... and the copy is one moment: each restored answer sheet is whole.
    restored_ids = {response_id for (response_id,) in copy["responses"]}
    for key, row in after["answers"].items():
        assert (row["response_id"] in restored_ids) == (key in copy["answers"]), row

    again = flask_cli(empty_database, "restore", output)
    assert again.returncode != 0 and "chỉ khôi phục vào cơ sở dữ liệu trống" in again.stderr


def test_restore_refuses_a_file_that_is_not_a_backup(empty_database, tmp_path):
    junk = tmp_path / "not-a-backup.bin"
    junk.write_bytes(b"PK\x03\x04 this is a zip, not a database")
    result = flask_cli(empty_database, "restore", str(junk))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr

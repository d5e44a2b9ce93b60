"""Consistent backups while the service runs, and restores into an empty database.

SQLite: the online backup API copies the whole file in one step, i.e. inside
one read transaction: a snapshot, while WAL lets citizens keep writing.
PostgreSQL: pg_dump (custom format) reads everything in one repeatable-read
transaction; pg_restore loads it in a single transaction or not at all.
Passwords go to the tools through PGPASSWORD, never on a command line.
"""

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Engine, make_url


class BackupError(RuntimeError):
    """A refusal or a failure the operator must see (message in Vietnamese)."""


def sqlite_path(engine: Engine) -> str:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("Cơ sở dữ liệu SQLite trong bộ nhớ không thể sao lưu.")
    return database


def pg_tool(name: str) -> str:
    """The newest server's client tool (pg_dump must not be older than the server)."""
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version, reverse=True)
    found = candidates[0] if candidates else shutil.which(name)
    if not found:
        raise BackupError(f"Không tìm thấy {name} (cài gói postgresql-client).")
    return found


def _version(path: str) -> float:
    try:
        return float(Path(path).parent.parent.name)
    except ValueError:
        return 0.0


def pg_environment(engine: Engine) -> dict[str, str]:
    """libpq variables for the app's database URL (socket or TCP)."""
    url = make_url(str(engine.url.render_as_string(hide_password=False)))
    query = dict(url.query)
    values = {
        "PGHOST": url.host or query.get("host"),
        "PGPORT": str(url.port or query.get("port") or ""),
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
    }
    return {**os.environ, **{key: str(value) for key, value in values.items() if value}}


def is_empty(engine: Engine) -> bool:
    return not inspect(engine).get_table_names()


def backup(engine: Engine, output: str) -> None:
    """Write a consistent copy of the database to `output` (replaced atomically)."""
    partial = output + ".partial"
    if engine.dialect.name == "sqlite":
        _sqlite_backup(sqlite_path(engine), partial)
    elif engine.dialect.name == "postgresql":
        _run(
            [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", partial],
            engine,
        )
    else:
        raise BackupError(f"Chưa hỗ trợ sao lưu {engine.dialect.name}.")
    os.replace(partial, output)


def _sqlite_backup(source_path: str, target_path: str) -> None:
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)  # pages=-1: one step, one snapshot
        target.execute("PRAGMA journal_mode=DELETE")  # a self-contained single file
        if target.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("Bản sao lưu không vượt qua kiểm tra toàn vẹn của SQLite.")
    finally:
        target.close()
        source.close()


def restore(engine: Engine, backup_file: str) -> None:
    """Load a backup into the (empty) database the app is configured with."""
    if not os.path.isfile(backup_file):
        raise BackupError(f"Không tìm thấy tệp sao lưu {backup_file}.")
    if not is_empty(engine):
        raise BackupError("Cơ sở dữ liệu đích đã có bảng; chỉ khôi phục vào cơ sở dữ liệu trống.")
    engine.dispose()
    if engine.dialect.name == "sqlite":
        _sqlite_restore(backup_file, sqlite_path(engine))
    elif engine.dialect.name == "postgresql":
        command = [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
        _run(
            [*command, "--single-transaction", "--dbname", pg_environment(engine)["PGDATABASE"], backup_file],
            engine,
        )
    else:
        raise BackupError(f"Chưa hỗ trợ khôi phục {engine.dialect.name}.")


def _sqlite_restore(backup_file: str, target_path: str) -> None:
    source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("Tệp sao lưu bị hỏng (PRAGMA integrity_check).")
        target = sqlite3.connect(target_path)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
        finally:
            target.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"Tệp không phải bản sao lưu SQLite: {error}") from error
    finally:
        source.close()


def _run(command: list[str], engine: Engine) -> None:
    result = subprocess.run(command, env=pg_environment(engine), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} thất bại: {result.stderr.strip()[-500:]}")

"""The bare Flask baseline for bench/survey_bench.py: a tiny page and an
endpoint that validates a form and inserts one row, on the same database and
the same SQLite settings (WAL, busy_timeout, synchronous) as the real app.

    BARE_DB_URL=sqlite:////tmp/x.sqlite3 gunicorn -w 5 -k sync bench.bare_app:app
"""

import os
from datetime import UTC, datetime

from flask import Flask, request
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    create_engine,
    event,
    insert,
)

PAGE = (
    "<!doctype html><html lang=vi><head><meta charset=utf-8><title>OK</title></head>"
    "<body><p>Xin chào</p></body></html>"
)

metadata = MetaData()
bare_responses = Table(
    "bare_responses",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("nonce", String(64), unique=True, nullable=False),
    Column("point", String(16), nullable=False),
    Column("created_at", DateTime, nullable=False),
    *[Column(f"a{i}", SmallInteger) for i in range(1, 10)],
    Column("comment", Text),
)


def _engine(url: str):
    if not url.startswith("sqlite"):
        return create_engine(url, pool_size=8, max_overflow=0)
    busy_ms = int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "5000"))
    engine = create_engine(url, connect_args={"timeout": busy_ms / 1000}, pool_size=16, max_overflow=0)

    @event.listens_for(engine, "connect")
    def _pragmas(connection, _record):
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute(f"PRAGMA synchronous={os.environ.get('SQLITE_SYNCHRONOUS', 'NORMAL')}")
        cursor.close()

    return engine


engine = _engine(os.environ["BARE_DB_URL"])
app = Flask(__name__)


@app.get("/hello")
def hello():
    return PAGE


@app.post("/submit/<code>")
def submit(code: str):
    form = request.form
    row = {"nonce": form["nonce"][:64], "point": code, "created_at": datetime.now(UTC).replace(tzinfo=None)}
    for i in range(1, 10):
        raw = form.get(f"Q{i}")
        if raw is not None and raw != "na" and not 1 <= int(raw) <= 5:
            return "bad", 400
        row[f"a{i}"] = int(raw) if raw and raw != "na" else None
    row["comment"] = form.get("Q10", "")[:500]
    with engine.begin() as connection:
        connection.execute(insert(bare_responses), row)
    return "<!doctype html><p>Cảm ơn!</p>", 201

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
    text,
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
        cursor.execute("PRAGMA foreign_keys=ON")  # as the real app (no effect on bare_responses)
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


# The same rows as the real submit, stored the bare way: not a target of the
# issue (its baseline is the one-row insert above) but a second baseline that
# tells the schema's cost (a response row with its indexes and foreign keys,
# and nine answer rows) from the application's (CSRF, checks, cookies...).
_schema: dict = {}


def _tables_and_point(code: str) -> dict:
    if not _schema:
        meta = MetaData()
        _schema["responses"] = Table("responses", meta, autoload_with=engine)
        _schema["answers"] = Table("answers", meta, autoload_with=engine)
    if code not in _schema:
        with engine.connect() as connection:
            point = connection.execute(
                text(
                    "SELECT p.id, p.agency_id, p.procedure_id, max(v.id) FROM survey_points p, questionnaire_versions v"
                    " WHERE p.code = :code GROUP BY p.id"
                ),
                {"code": code},
            ).one()
            questions = connection.execute(
                text("SELECT key, id FROM questions WHERE questionnaire_id = :version"), {"version": point[3]}
            ).all()
        _schema[code] = {"point": point, "questions": dict(questions)}
    return _schema[code] | {"responses": _schema["responses"], "answers": _schema["answers"]}


@app.post("/submit-rows/<code>")
def submit_rows(code: str):
    found, form = _tables_and_point(code), request.form
    point_id, agency_id, procedure_id, version_id = found["point"]
    answers = []
    for key, question_id in found["questions"].items():
        raw = form.get(key)
        if key == "Q10" or raw is None:
            continue
        value = None if raw == "na" else int(raw)
        answers.append(
            {"question_id": question_id, "value": value, "not_applicable": value is None, "scale": "L5"}
        )
    row = {
        "nonce": form["nonce"][:64],
        "survey_point_id": point_id,
        "agency_id": agency_id,
        "procedure_id": procedure_id,
        "questionnaire_id": version_id,
        "submitted_at": datetime.now(UTC).replace(tzinfo=None),
        "channel": "qr",
        "overall": int(form["Q9"]),
        "comment": form.get("Q10", "")[:500],
        "locale": "vi",
        "is_demo": False,
    }
    with engine.begin() as connection:
        response_id = connection.execute(insert(found["responses"]), row).inserted_primary_key[0]
        connection.execute(insert(found["answers"]), [a | {"response_id": response_id} for a in answers])
    return "<!doctype html><p>Cảm ơn!</p>", 201

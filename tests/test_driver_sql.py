"""The submit's statements on the driver's cursor (survey/driver_sql.py) write
what SQLAlchemy writes, fail as SQLAlchemy fails, and give their connection
back to the pool as they found it."""

import re
from datetime import datetime

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from survey.driver_sql import driver_connection
from survey.extensions import db
from survey.models import Response
from tests.survey_helpers import fresh_form
from tests.test_fast_submit import ANSWERS, FlaskSaw

SQLALCHEMY_DATETIME = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}"  # what the SQLite dialect writes


# Every column but those that differ by design between two answers.
COLUMNS = [c.name for c in Response.__table__.columns if c.name not in ("id", "nonce")]


def _raw_rows() -> list[tuple]:
    """Every response as the database holds it (no type processing on the way out)."""
    return (
        db.session.connection()
        .exec_driver_sql(f"SELECT {', '.join(COLUMNS)} FROM responses ORDER BY id")
        .all()
    )


def test_a_fast_submit_stores_the_bytes_the_view_stores(app, client, province, monkeypatch):
    from survey import responses

    # A whole second: the driver's own date adapter would write no ".000000" (SQLAlchemy does).
    monkeypatch.setattr(responses, "utcnow", lambda: datetime(2026, 12, 2, 2, 30, 0))
    code = province.point_a.code
    with FlaskSaw(app) as flask_saw:
        client.post(f"/s/{code}", data={"nonce": fresh_form(client, code), **ANSWERS})  # driver
        client.set_cookie("another", "1")  # the view answers this one (SQLAlchemy)
        client.post(f"/s/{code}", data={"nonce": fresh_form(client, code), **ANSWERS})
    assert flask_saw.posts() == 1
    fast, full = _raw_rows()
    submitted_at = COLUMNS.index("submitted_at")
    assert [type(v) for v in fast] == [type(v) for v in full]
    if db.engine.dialect.name == "sqlite":  # text dates: the sealed leaves hash these very strings
        assert re.fullmatch(SQLALCHEMY_DATETIME, fast[submitted_at])
        assert re.fullmatch(SQLALCHEMY_DATETIME, full[submitted_at])
    same = [i for i in range(len(fast)) if i != submitted_at]
    assert [fast[i] for i in same] == [full[i] for i in same]


def _row(province, nonce: str) -> dict:
    from survey.models import QuestionnaireVersion
    from survey.models.types import utcnow
    from survey.responses import ROW_KEYS

    point = province.point_a
    return dict.fromkeys(ROW_KEYS) | {
        "nonce": nonce,
        "survey_point_id": point.id,
        "agency_id": point.agency_id,
        "questionnaire_id": db.session.scalar(db.select(db.func.min(QuestionnaireVersion.id))),
        "submitted_at": utcnow(),
        "channel": "qr",
        "locale": "vi",
        "is_demo": False,
        "comment": "Số điện thoại của tôi 0912 345 678",
    }


def test_a_repeated_nonce_is_sqlalchemys_integrity_error_without_the_citizens_words(app, province):
    row = _row(province, "same-nonce")
    statement = insert(Response.__table__)
    autocommit = db.engine.dialect.name != "sqlite"
    with driver_connection(db.engine, autocommit=autocommit) as connection:
        connection.execute(statement, row)
        if not autocommit:
            connection.exec_driver_sql("COMMIT")
    with pytest.raises(IntegrityError) as failure:
        with driver_connection(db.engine, autocommit=autocommit) as connection:
            connection.execute(statement, row)
    assert "0912" not in str(failure.value)  # a comment can hold personal data: never in a log line
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1


def test_a_connection_goes_back_to_the_pool_as_it_came(app):
    """Out of autocommit (PostgreSQL, as fast_submit.py asks) and with no transaction
    left open by work that failed half-way, so the next request's session finds it clean."""
    autocommit = db.engine.dialect.name != "sqlite"
    with pytest.raises(RuntimeError):
        with driver_connection(db.engine, autocommit=autocommit) as connection:
            seen = connection.driver
            connection.exec_driver_sql("BEGIN" if autocommit else "BEGIN IMMEDIATE")
            raise RuntimeError("the request failed half-way")
    # still open (in the pool) and clean:
    if autocommit:
        assert seen.autocommit is False and seen.info.transaction_status.name == "IDLE"
    else:
        assert seen.in_transaction is False

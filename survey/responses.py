"""Storing a citizen's response: exactly once, append-only.

The citizen's submit is the hot path, so a response and its answers go in
as two Core statements (one row, then every answer in one executemany) in
one short transaction, with no ORM object graph and no look-up beforehand:
the unique nonce is the guard, and a repeated nonce (double tap, retry, back
and resubmit) comes back from the database as an IntegrityError, answered
with the response already stored.
"""

from contextlib import suppress
from dataclasses import dataclass, field, is_dataclass
from datetime import datetime
from functools import lru_cache

from flask import current_app
from sqlalchemy import bindparam, cast, exists, func, insert, select, true
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError

from survey import scales
from survey.extensions import db
from survey.models import Answer, Procedure, QuestionnaireVersion, Response, SurveyPoint
from survey.models.response import CHANNEL_QR
from survey.models.types import utcnow
from survey.questionnaire_v1 import OVERALL_KEY
from survey.sqlite_writer import one_writer


@dataclass
class Submission:
    """What the citizen sent, already validated by the form."""

    nonce: str
    # question key -> option value: an int code, None for "not applicable",
    # or the posted option code ("5", "na", "ns"...; see scales.option_code)
    answers: dict[str, int | str | None]
    comment: str | None = None
    procedure: Procedure | None = None
    channel: str = CHANNEL_QR
    locale: str = "vi"
    device_key: str | None = None
    network_key: str | None = None
    # A one-time dossier link: the unique column refuses a second answer.
    dossier_link_id: int | None = None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Stored:
    """What the submit path needs to know about a stored response, without
    loading it back (anti-abuse review, alert check, thank-you token)."""

    id: int
    survey_point_id: int
    agency_id: int
    overall: int | None
    submitted_at: datetime
    channel: str
    device_key: str | None
    network_key: str | None
    dossier_link_id: int | None = None


# Built once: Core statements on the session's connection, in its transaction.
_INSERT_RESPONSE = insert(Response.__table__)
_INSERT_ANSWERS = insert(Answer.__table__)


def store(point: SurveyPoint, version, sub: Submission) -> tuple[Stored, bool]:
    """Insert the response and its answers in one transaction and commit.

    `version` is a QuestionnaireVersion or its cached snapshot (anything with
    `.id` and `.questions`). Returns (stored, created); a repeated nonce
    returns the response already stored, created False.
    """
    row, answers = _rows(point, version, sub)
    try:
        connection = db.session.connection()
        response_id = connection.execute(_INSERT_RESPONSE, row).inserted_primary_key[0]
        if answers:
            connection.execute(_INSERT_ANSWERS, [{**a, "response_id": response_id} for a in answers])
        db.session.commit()  # also flushes what the caller changed (a dossier link's used_at)
    except IntegrityError:
        db.session.rollback()
        existing = find_by_nonce(sub.nonce)
        if existing is None:
            raise  # not the nonce: a dossier link answered a moment earlier
        return stored_from(existing), False
    stored = Stored(id=response_id, **{k: row[k] for k in _STORED_COLUMNS})
    from survey.followup.alerts import after_response  # spike alerts, after the commit

    after_response(stored.agency_id, stored.survey_point_id)
    return stored, True


def store_on(connection, point: SurveyPoint, version, sub: Submission) -> tuple[Stored | None, bool]:
    """store() on a connection of the caller's (autocommit mode on PostgreSQL,
    the driver's default on SQLite: no transaction open), for the
    citizen's submit (public/fast_submit.py), with the checks after the commit
    left to the caller. PostgreSQL: the response and its answers in one
    statement, atomic as every statement is, so one round trip instead of
    BEGIN, two inserts and COMMIT. SQLite: BEGIN IMMEDIATE, the two inserts,
    COMMIT (every row is ready before the write lock is taken).

    `point` may be a copy the caller kept from an earlier submit: the response
    row is only inserted if the point is still as that copy says (same code,
    agency, procedure and status: not retired or moved since). Returns
    (None, False) when it is not, and nothing is stored."""
    row, answers = _rows(point, version, sub)
    row |= {"point_code": point.code, "point_procedure_id": point.procedure_id, "point_status": point.status}
    try:
        if connection.dialect.name == "postgresql" and answers:
            arrays = {f"answer_{key}": [a[key] for a in answers] for key in ANSWER_KEYS}
            response_id = connection.execute(_pg_store(), {**row, **arrays}).scalar()
        else:
            response_id = _insert_in_transaction(connection, row, answers)
    except IntegrityError:
        existing = find_by_nonce(sub.nonce)
        if existing is None:
            raise  # not the nonce: a dossier link answered a moment earlier
        return stored_from(existing), False
    if response_id is None:
        return None, False
    return Stored(id=response_id, **{k: row[k] for k in _STORED_COLUMNS}), True


def _insert_in_transaction(connection, row: dict, answers: list[dict]) -> int | None:
    every = current_app.config["SQLITE_CHECKPOINT_EVERY"]
    # Submits queue in the kernel, not in SQLite's busy sleeps; with `every` at 0
    # SQLite checkpoints inside the commit, as it does by default.
    with one_writer(db.engine.url, connection if every else None, every):
        return _write(connection, row, answers)


def _write(connection, row: dict, answers: list[dict]) -> int | None:
    connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.dialect.name == "sqlite" else "BEGIN")
    try:
        response_id = connection.execute(_guarded_insert(), row).scalar()
        if answers and response_id is not None:
            connection.execute(_INSERT_ANSWERS, [{**a, "response_id": response_id} for a in answers])
        connection.exec_driver_sql("COMMIT")
    except BaseException:
        with suppress(Exception):  # the connection died: nothing was committed either way
            connection.exec_driver_sql("ROLLBACK")
        raise
    return response_id


ROW_KEYS = (
    "nonce",
    "survey_point_id",
    "agency_id",
    "procedure_id",
    "questionnaire_id",
    "submitted_at",
    "channel",
    "overall",
    "comment",
    "locale",
    "device_key",
    "network_key",
    "is_demo",
    "dossier_link_id",
)
ANSWER_KEYS = ("question_id", "value", "not_applicable", "scale", "label")


@lru_cache(maxsize=1)
def _guarded_insert():
    """INSERT INTO responses (...) SELECT <the row> WHERE <the point is as the
    caller saw it> RETURNING id: no row, and no id, when it is not."""
    responses, points = Response.__table__, SurveyPoint.__table__
    unchanged = exists().where(
        points.c.id == bindparam("survey_point_id", type_=points.c.id.type),
        points.c.code == bindparam("point_code", type_=points.c.code.type),
        points.c.agency_id == bindparam("agency_id", type_=points.c.agency_id.type),
        points.c.procedure_id.is_not_distinct_from(
            bindparam("point_procedure_id", type_=points.c.procedure_id.type)
        ),
        points.c.status == bindparam("point_status", type_=points.c.status.type),
    )
    values = select(*(bindparam(key, type_=responses.c[key].type) for key in ROW_KEYS)).where(unchanged)
    return insert(responses).from_select(list(ROW_KEYS), values).returning(responses.c.id)


@lru_cache(maxsize=1)
def _pg_store():
    """WITH inserted AS (<the guarded insert>)
    INSERT INTO answers SELECT inserted.id, a.* FROM inserted, unnest(arrays) a
    RETURNING response_id -- one statement, whatever the number of answers;
    no row when the guard stopped the response."""
    answers = Answer.__table__
    inserted = _guarded_insert().cte("inserted")
    rows = (
        func.unnest(*(cast(bindparam(f"answer_{key}"), ARRAY(answers.c[key].type)) for key in ANSWER_KEYS))
        .table_valued(*ANSWER_KEYS)
        .render_derived()
    )
    pick = (
        select(inserted.c.id, *(rows.c[key] for key in ANSWER_KEYS)).select_from(inserted).join(rows, true())
    )
    return insert(answers).from_select(["response_id", *ANSWER_KEYS], pick).returning(answers.c.response_id)


def record(point: SurveyPoint, version: QuestionnaireVersion, sub: Submission) -> tuple[Response, bool]:
    """store(), then the ORM object: for callers that want the whole response
    (imports, tests). Returns (response, created)."""
    stored, created = store(point, version, sub)
    return db.session.get(Response, stored.id), created


_STORED_COLUMNS = (
    "survey_point_id",
    "agency_id",
    "overall",
    "submitted_at",
    "channel",
    "device_key",
    "network_key",
    "dossier_link_id",
)


def stored_from(response: Response) -> Stored:
    return Stored(id=response.id, **{k: getattr(response, k) for k in _STORED_COLUMNS})


def _rows(point: SurveyPoint, version, sub: Submission) -> tuple[dict, list[dict]]:
    """The response row (submitted now) and its answer rows, without response_id."""
    procedure_id = point.procedure_id or (sub.procedure.id if sub.procedure else None)
    overall, answers = answer_rows(version, sub.answers)
    row = {
        "nonce": sub.nonce,
        "survey_point_id": point.id,
        "agency_id": point.agency_id,
        "procedure_id": procedure_id,
        "questionnaire_id": version.id,
        "submitted_at": utcnow(),
        "channel": sub.channel,
        "overall": overall,
        "comment": (sub.comment or "").strip() or None,
        "locale": sub.locale,
        "device_key": sub.device_key,
        "network_key": sub.network_key,
        "is_demo": False,
        "dossier_link_id": sub.dossier_link_id,
    }
    return row, answers


def answer_rows(version, answers: dict[str, int | str | None]) -> tuple[int | None, list[dict]]:
    """(overall rating, answer rows) for the posted answers; a value that is
    not an option of its question is a ValueError."""
    by_key = {q.key: q for q in version.questions}
    overall, rows = None, []
    for key, raw in answers.items():
        question = by_key[key]
        by_code, scale = _option_table(question) if is_dataclass(question) else _table_of(question)
        option = by_code.get(scales.NA if raw is None else str(raw))
        if option is None and raw is None:
            option = {"value": None, "na": True}  # an import's "no answer": kept out of denominators
        if option is None:
            raise ValueError(f"{key}: {raw!r} is not an option of this question")
        if key == OVERALL_KEY:
            overall = option.get("value")
        rows.append(
            {
                "question_id": question.id,
                "value": option.get("value"),
                "not_applicable": bool(option.get("na")),
                "scale": scale,
                "label": option.get("vi"),
            }
        )
    return overall, rows


def _table_of(question) -> tuple[dict[str, dict], str | None]:
    """Posted code -> option (the first with that code, as scales.find_option),
    and the question's scale id when it is a rating."""
    by_code: dict[str, dict] = {}
    for option in question.options:
        by_code.setdefault(scales.option_code(option), option)
    return by_code, scales.scale_of(question.options) if question.kind == "scale" else None


@lru_cache(maxsize=512)
def _option_table(question) -> tuple[dict[str, dict], str | None]:
    """_table_of for an immutable questionnaire snapshot (public/catalogue.py),
    worked out once per snapshot instead of on every submit."""
    return _table_of(question)


def _build(point: SurveyPoint, version: QuestionnaireVersion, sub: Submission) -> Response:
    """An unsaved ORM response with its answers (tests dating an answer in the past)."""
    row, answers = _rows(point, version, sub)
    response = Response(**row)
    response.answers = [Answer(**a) for a in answers]
    return response


def rollback_or_drop() -> None:
    """End a failed transaction after the answer is committed; when the
    connection itself died (database restarting), drop it without another
    ROLLBACK, so the rest of the request and its teardown do not fail again."""
    try:
        db.session.rollback()
    except Exception:
        db.session.invalidate()


def find_by_nonce(nonce: str) -> Response | None:
    if len(nonce) > 64 or "\x00" in nonce:  # never stored (and PostgreSQL refuses NUL)
        return None
    return db.session.scalar(select(Response).where(Response.nonce == nonce))

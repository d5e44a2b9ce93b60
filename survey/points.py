"""Survey points: creation (codes never reused) and the public list."""

from collections.abc import Iterator

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from survey import qr
from survey.codes import new_code, normalise
from survey.extensions import db
from survey.models import Agency, Procedure, SurveyPoint


def public_url(code: str) -> str:
    """The survey's URL as people read it: always PUBLIC_BASE_URL, never the request host."""
    return f"{current_app.config['PUBLIC_BASE_URL']}/s/{code}"


def qr_url(code: str) -> str:
    """What the QR code encodes: public_url upper-cased (HTTPS://HOST/S/CODE) when
    QR_UPPERCASE_URL is on, so the symbol stays in alphanumeric mode and small."""
    config = current_app.config
    return qr.compact_url(config["PUBLIC_BASE_URL"], f"s/{code}", config["QR_UPPERCASE_URL"])


def short_url(code: str) -> str:
    """The address printed under a poster's QR for people who type it."""
    return public_url(code).split("://", 1)[-1]


def create_point(
    agency: Agency, procedure: Procedure | None = None, counter: str | None = None
) -> SurveyPoint:
    code = new_code()
    while db.session.scalar(select(SurveyPoint.id).where(SurveyPoint.code == code)):
        code = new_code()
    point = SurveyPoint(code=code, agency=agency, procedure=procedure, counter=counter or None)
    db.session.add(point)
    db.session.flush()
    return point


def find_point(code: str) -> SurveyPoint | None:
    code = normalise(code)
    if not (code.isascii() and code.isalnum() and len(code) <= 32):  # no NUL bytes or junk to the database
        return None
    stmt = (
        select(SurveyPoint)
        .options(joinedload(SurveyPoint.agency), joinedload(SurveyPoint.procedure))
        .where(SurveyPoint.code == code)
    )
    return db.session.scalar(stmt)


EXPORT_COLUMNS = [
    "code",
    "url",
    "agency_code",
    "agency_name",
    "procedure_code",
    "procedure_name",
    "counter",
    "status",
]


def export_rows(agency_ids: list[int] | None = None) -> Iterator[dict]:
    stmt = (
        select(SurveyPoint)
        .options(joinedload(SurveyPoint.agency), joinedload(SurveyPoint.procedure))
        .order_by(SurveyPoint.id)
    )
    if agency_ids is not None:
        stmt = stmt.where(SurveyPoint.agency_id.in_(agency_ids))
    for point in db.session.scalars(stmt):
        yield {
            "code": point.code,
            "url": public_url(point.code),
            "agency_code": point.agency.code,
            "agency_name": point.agency.name,
            "procedure_code": point.procedure.code if point.procedure else "",
            "procedure_name": point.procedure.name if point.procedure else "",
            "counter": point.counter or "",
            "status": point.status,
        }

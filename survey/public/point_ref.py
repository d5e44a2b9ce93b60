"""The survey point of a citizen's submit, read as plain columns.

A submit needs the point's id, agency, procedure and status; loading the
ORM object with its agency and procedure joined costs more CPU than the
rest of the lookup and the insert together. The agency and procedure load
on first use only (the questionnaire cache's first fill, a form sent back
with errors), so pages render exactly as with the ORM point.
"""

from sqlalchemy import bindparam, select

from survey.codes import normalise
from survey.extensions import db
from survey.models import Agency, Procedure, SurveyPoint
from survey.models.survey_point import STATUS_RETIRED

_COLUMNS = (
    SurveyPoint.id,
    SurveyPoint.code,
    SurveyPoint.agency_id,
    SurveyPoint.procedure_id,
    SurveyPoint.counter,
    SurveyPoint.status,
)
_BY_CODE = select(*_COLUMNS).where(SurveyPoint.code == bindparam("code"))


class PointRef:
    """Duck-types SurveyPoint for the submit path and the form template."""

    __slots__ = ("id", "code", "agency_id", "procedure_id", "counter", "status", "_agency", "_procedure")

    def __init__(self, id, code, agency_id, procedure_id, counter, status):  # noqa: A002 (column name)
        self.id, self.code, self.agency_id, self.procedure_id = id, code, agency_id, procedure_id
        self.counter, self.status = counter, status
        self._agency = self._procedure = None

    def columns(self) -> tuple:
        """The columns it was made from, in the constructor's order (PointRef(*columns))."""
        return (self.id, self.code, self.agency_id, self.procedure_id, self.counter, self.status)

    @property
    def is_retired(self) -> bool:
        return self.status == STATUS_RETIRED

    @property
    def agency(self) -> Agency:
        if self._agency is None:
            self._agency = db.session.get(Agency, self.agency_id)
        return self._agency

    @property
    def procedure(self) -> Procedure | None:
        if self._procedure is None and self.procedure_id is not None:
            self._procedure = db.session.get(Procedure, self.procedure_id)
        return self._procedure


def find_point_ref(code: str, connection=None) -> PointRef | None:
    """The point with this code, as points.find_point would find it, or None
    (read on `connection` when given, else in the session's transaction)."""
    code = normalise(code)
    if not (code.isascii() and code.isalnum() and len(code) <= 32):  # no NUL bytes or junk to the database
        return None
    connection = connection if connection is not None else db.session.connection()
    row = connection.execute(_BY_CODE, {"code": code}).first()
    return PointRef(*row) if row is not None else None

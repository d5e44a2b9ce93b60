"""Survey points for the console: many at once, counter labels, figures per point."""

from datetime import datetime

from sqlalchemy import func, select

from survey import audit
from survey.extensions import db
from survey.models import Agency, AgencyProcedure, Procedure, Response, SurveyPoint
from survey.points import create_point
from survey.retirement import retire_point


def create_logged(agency: Agency, procedure: Procedure | None, counter: str | None) -> SurveyPoint:
    point = create_point(agency, procedure, counter)
    audit.record(
        "survey_point",
        point.code,
        "create",
        agency.id,
        after={"procedure": procedure.code if procedure else None, "counter": point.counter},
    )
    return point


def create_per_procedure(agency: Agency, counter: str | None) -> list[SurveyPoint]:
    """One point for each active procedure of the agency that has no active point yet."""
    covered = select(SurveyPoint.procedure_id).where(
        SurveyPoint.agency_id == agency.id,
        SurveyPoint.status == "active",
        SurveyPoint.procedure_id.is_not(None),
    )
    stmt = (
        select(Procedure)
        .join(AgencyProcedure, AgencyProcedure.procedure_id == Procedure.id)
        .where(
            AgencyProcedure.agency_id == agency.id, Procedure.active.is_(True), Procedure.id.not_in(covered)
        )
        .order_by(Procedure.code)
    )
    return [create_logged(agency, procedure, counter) for procedure in db.session.scalars(stmt)]


def set_counter(point: SurveyPoint, counter: str | None) -> None:
    before = {"counter": point.counter}
    point.counter = (counter or "").strip() or None
    audit.record("survey_point", point.code, "counter", point.agency_id, before, {"counter": point.counter})


def answer_counts(point_ids: list[int]) -> dict[int, tuple[int, datetime | None]]:
    """Point id -> (responses received, time of the last one), in one query."""
    if not point_ids:
        return {}
    stmt = (
        select(Response.survey_point_id, func.count(), func.max(Response.submitted_at))
        .where(Response.survey_point_id.in_(point_ids))
        .group_by(Response.survey_point_id)
    )
    return {point_id: (n, last) for point_id, n, last in db.session.execute(stmt)}


def retire_logged(point: SurveyPoint, replacement: SurveyPoint | None = None) -> SurveyPoint:
    """retire_point() plus its entry in the administration log."""
    retire_point(point, replacement)
    audit.record(
        "survey_point",
        point.code,
        "retire",
        point.agency_id,
        before={"status": "active"},
        after={"status": point.status, "replacement": replacement.code if replacement else None},
    )
    return point

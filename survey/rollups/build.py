"""Recompute roll-up rows from responses: idempotent DELETE + INSERT ... SELECT."""

from datetime import date, timedelta

from sqlalchemy import and_, case, delete, func, insert, literal, select
from sqlalchemy.types import Date

from survey.exclusions import excluded_response_ids
from survey.extensions import db
from survey.models import (
    Answer,
    Question,
    Response,
    RollupDayCriteria,
    RollupDayTotals,
    RollupMonthAgency,
    RollupMonthCriteria,
    RollupMonthPoint,
    RollupMonthProcedure,
)
from survey.periods import local_day_start, month_end
from survey.rollups.versions import bump_data

VALUES = (1, 2, 3, 4, 5)


def counted_condition():
    """A response counts unless its latest exclusion decision is 'exclude'."""
    return Response.id.not_in(excluded_response_ids())


def _day_window(day: date) -> list:
    return [
        Response.submitted_at >= local_day_start(day),
        Response.submitted_at < local_day_start(day + timedelta(days=1)),
    ]


def _agency_filter(column, agency_ids: list[int] | None) -> list:
    return [] if agency_ids is None else [column.in_(agency_ids)]


def recompute_day(day: date, agency_ids: list[int] | None = None) -> None:
    """Rebuild the day rows of `day` for the given agencies (None: all)."""
    bump_data(db.session)
    for table in (RollupDayTotals, RollupDayCriteria):
        db.session.execute(
            delete(table).where(table.day == day, *_agency_filter(table.agency_id, agency_ids))
        )
    where = _day_window(day) + _agency_filter(Response.agency_id, agency_ids)
    counted = counted_condition()
    procedure = func.coalesce(Response.procedure_id, 0)
    totals = (
        select(
            Response.agency_id,
            literal(day, Date),
            Response.survey_point_id,
            procedure,
            Response.channel,
            func.count(),
            func.count(case((counted, 1))),
            func.count(case((and_(counted, Response.overall >= 4), 1))),
        )
        .where(*where)
        .group_by(Response.agency_id, Response.survey_point_id, procedure, Response.channel)
    )
    columns = ["agency_id", "day", "point_id", "procedure_id", "channel", "responses", "counted", "satisfied"]
    db.session.execute(insert(RollupDayTotals).from_select(columns, totals))
    criteria = (
        select(
            Response.agency_id,
            literal(day, Date),
            Question.criterion_code,
            *[
                func.count(case((and_(Answer.value == v, Answer.not_applicable.is_(False)), 1)))
                for v in VALUES
            ],
            func.count(case((Answer.not_applicable.is_(True), 1))),
            func.count(case((and_(Answer.value.is_(None), Answer.not_applicable.is_(False)), 1))),
        )
        .join(Answer, Answer.response_id == Response.id)
        .join(Question, Question.id == Answer.question_id)
        .where(*where, counted, Question.kind == "scale", Question.criterion_code.is_not(None))
        # Lets SQLite reach answers through their response_id index instead of scanning them.
        .where(Answer.response_id.in_(select(Response.id).where(*where)))
        .group_by(Response.agency_id, Question.criterion_code)
    )
    columns = ["agency_id", "day", "criterion", "n1", "n2", "n3", "n4", "n5", "na", "nu"]
    db.session.execute(insert(RollupDayCriteria).from_select(columns, criteria))


def _month_from_days(target, source, month: date, keys: list[str], sums: list[str], agency_ids) -> None:
    db.session.execute(
        delete(target).where(target.month == month, *_agency_filter(target.agency_id, agency_ids))
    )
    key_columns = [getattr(source, k) for k in keys]
    stmt = (
        select(
            source.agency_id,
            literal(month, Date),
            *key_columns,
            *[func.sum(getattr(source, s)) for s in sums],
        )
        .where(
            source.day >= month, source.day <= month_end(month), *_agency_filter(source.agency_id, agency_ids)
        )
        .group_by(source.agency_id, *key_columns)
    )
    db.session.execute(insert(target).from_select(["agency_id", "month", *keys, *sums], stmt))


def recompute_month(month: date, agency_ids: list[int] | None = None) -> None:
    """Rebuild the month rows of `month` from its day rows."""
    totals = ["responses", "counted", "satisfied"]
    _month_from_days(RollupMonthAgency, RollupDayTotals, month, ["channel"], totals, agency_ids)
    _month_from_days(RollupMonthProcedure, RollupDayTotals, month, ["procedure_id"], totals, agency_ids)
    _month_from_days(RollupMonthPoint, RollupDayTotals, month, ["point_id"], totals, agency_ids)
    distribution = ["n1", "n2", "n3", "n4", "n5", "na", "nu"]
    _month_from_days(RollupMonthCriteria, RollupDayCriteria, month, ["criterion"], distribution, agency_ids)

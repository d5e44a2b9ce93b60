"""Every number the management-review report prints, gathered in one place.

Rates come from survey/summaries.py (`summarise`), the same function the
dashboards and the API call, so the report, the XLSX and the screen agree.
Only breakdowns the summary has no call for (counts per procedure, channel,
exclusion reason) are grouped here, with the same counting rule.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from sqlalchemy import and_, case, func, select

from survey.evidence.scope import EvidenceScope, local_midnight_utc
from survey.exclusions import excluded_response_ids
from survey.extensions import db
from survey.models import Answer, Procedure, Question, Response, ResponseExclusion
from survey.stats import Rate, target_status
from survey.summaries import Period, Summary, summarise

COMMENT_SAMPLE = 20


@dataclass(frozen=True)
class ProcedureRow:
    """One procedure's answers; code and name are None for the answers given
    with no procedure (an agency QR, "Khác / Không rõ")."""

    code: str | None
    name: str | None
    responses: int
    rate: Rate

    @property
    def known(self) -> bool:
        return self.code is not None


@dataclass(frozen=True)
class MonthRow:
    month: date
    summary: Summary


@dataclass
class ReportFigures:
    scope: EvidenceScope
    summary: Summary
    previous: Summary
    target: float
    procedures: list[ProcedureRow] = field(default_factory=list)  # named procedures only
    unknown_procedure: ProcedureRow | None = None
    months: list[MonthRow] = field(default_factory=list)
    channels: dict[str, int] = field(default_factory=dict)
    exclusions: dict[str, int] = field(default_factory=dict)
    comments_total: int = 0
    comments: list[tuple[datetime, int | None, str]] = field(default_factory=list)
    alerts: dict[str, int] = field(default_factory=dict)
    agencies: int = 0

    @property
    def status(self) -> str | None:
        return target_status(self.summary.rate.ci95, self.target)

    def procedure_table(self) -> list[ProcedureRow]:
        """Named procedures, then the answers with no procedure: the rows add
        up to every answer of the period, as on the dashboard page."""
        return self.procedures + ([self.unknown_procedure] if self.unknown_procedure else [])


def gather(scope: EvidenceScope) -> ReportFigures:
    ids, period = scope.agency_ids, scope.period
    figures = ReportFigures(
        scope=scope,
        summary=summarise(ids, period),
        previous=summarise(ids, scope.previous().period),
        target=scope.agency.quality_target or current_app.config["DEFAULT_TARGET"],
        agencies=len(ids),
    )
    conditions = scope_conditions(ids, period)
    rows = by_procedure(conditions)
    figures.procedures = [row for row in rows if row.known]
    figures.unknown_procedure = next((row for row in rows if not row.known), None)
    figures.months = [MonthRow(start, summarise(ids, p)) for start, p in months(scope)]
    figures.channels = _grouped(Response.channel, conditions)
    figures.exclusions = exclusion_reasons(conditions)
    figures.comments_total, figures.comments = comments(conditions)
    figures.alerts = {"Q7": answer_count(conditions, "Q7", 2), "Q6b": answer_count(conditions, "Q6b", 1)}
    return figures


def scope_conditions(agency_ids: list[int], period: Period) -> list:
    return [
        Response.agency_id.in_(agency_ids),
        Response.submitted_at >= period.start,
        Response.submitted_at < period.end,
    ]


def counted_condition():
    return Response.id.not_in(excluded_response_ids())


def by_procedure(conditions: list) -> list[ProcedureRow]:
    """Counted responses and satisfied ones per procedure, the rule of
    summarise(); answers with no procedure make a row of their own (code None)."""
    counted = counted_condition()
    stmt = (
        select(
            Procedure.code,
            Procedure.name,
            func.count(Response.id),
            func.count(case((counted, 1))),
            func.count(case((and_(counted, Response.overall >= 4), 1))),
        )
        .outerjoin(Procedure, Procedure.id == Response.procedure_id)
        .where(*conditions)
        .group_by(Procedure.code, Procedure.name)
        .order_by(func.count(Response.id).desc(), Procedure.code)
    )
    min_sample = current_app.config["MIN_SAMPLE"]
    return [
        ProcedureRow(c, n, total, Rate(sat, cnt, min_sample))
        for c, n, total, cnt, sat in db.session.execute(stmt)
    ]


def months(scope: EvidenceScope) -> list[tuple[date, Period]]:
    """Calendar months (Vietnam time) overlapping the period, clipped to it."""
    result, cursor = [], scope.date_from.replace(day=1)
    while cursor <= scope.date_to:
        following = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
        start = max(cursor, scope.date_from)
        end = min(following, date.fromordinal(scope.date_to.toordinal() + 1))
        result.append((cursor, Period(local_midnight_utc(start), local_midnight_utc(end))))
        cursor = following
    return result


def _grouped(column, conditions: list) -> dict:
    stmt = select(column, func.count(Response.id)).where(*conditions).group_by(column).order_by(column)
    return {key: n for key, n in db.session.execute(stmt)}


def exclusion_reasons(conditions: list) -> dict[str, int]:
    latest = select(func.max(ResponseExclusion.id)).group_by(ResponseExclusion.response_id)
    stmt = (
        select(ResponseExclusion.reason, func.count())
        .join(Response, Response.id == ResponseExclusion.response_id)
        .where(ResponseExclusion.id.in_(latest), ResponseExclusion.action == "exclude", *conditions)
        .group_by(ResponseExclusion.reason)
        .order_by(ResponseExclusion.reason)
    )
    return {reason: n for reason, n in db.session.execute(stmt)}


def comments(conditions: list) -> tuple[int, list]:
    with_comment = [*conditions, counted_condition(), Response.comment.is_not(None)]
    total = db.session.scalar(select(func.count(Response.id)).where(*with_comment)) or 0
    stmt = (
        select(Response.submitted_at, Response.overall, Response.comment)
        .where(*with_comment)
        .order_by(Response.submitted_at.desc(), Response.id.desc())
        .limit(COMMENT_SAMPLE)
    )
    return total, [tuple(row) for row in db.session.execute(stmt)]


def answer_count(conditions: list, key: str, value: int) -> int:
    stmt = (
        select(func.count(Answer.id))
        .join(Response, Response.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .where(Question.key == key, Answer.value == value, counted_condition(), *conditions)
    )
    return db.session.scalar(stmt) or 0

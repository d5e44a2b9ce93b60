"""Answer a period from roll-ups: whole months, edge days, and the open day raw.

Every reader returns plain counts keyed by the requested dimensions, so
summaries.py can turn them into rates the same way whatever the source.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Integer, and_, any_, bindparam, case, func, select
from sqlalchemy.dialects.postgresql import ARRAY

from survey.extensions import db
from survey.models import (
    AgencyClosure,
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
from survey.periods import add_months, local_day_start, month_end, month_start
from survey.rollups.build import VALUES, counted_condition

TOTALS = ("responses", "counted", "satisfied")
# n1..n5, N/A, and "uncoded" answers of 3-/4-level scales ("not satisfied",
# survey/scales.py): no 1-5 code, in the denominator, never satisfied.
DISTRIBUTION = ("n1", "n2", "n3", "n4", "n5", "na", "nu")


@dataclass(frozen=True)
class Segment:
    source: str  # "month" | "day" | "raw"
    month: date
    start: date
    end: date


def plan(start: date, end: date, built: date | None) -> list[Segment]:
    """Split [start, end] into month rows, day rows and raw reads.

    `built` is the last rolled-up day, None when roll-ups cannot be used."""
    segments = []
    month = month_start(start)
    while month <= end:
        first, last = max(start, month), min(end, month_end(month))
        segments += _month_segments(month, first, last, built)
        month = add_months(month, 1)
    return segments


def _month_segments(month: date, first: date, last: date, built: date | None) -> list[Segment]:
    if built is None or first > built:
        return [Segment("raw", month, first, last)]
    rolled_end = min(last, built)
    whole = first == month and (rolled_end == month_end(month) or rolled_end == built)
    segments = [Segment("month" if whole else "day", month, first, rolled_end)]
    if last > built:
        segments.append(Segment("raw", month, built + timedelta(days=1), last))
    return segments


@dataclass(frozen=True)
class Scope:
    """Which rows: agencies (None: all), grouped under ancestors, one procedure."""

    agency_ids: list[int] | None = None
    under: list[int] | None = None
    procedure_id: int | None = None


def agency_in(column, ids: list[int]):
    """`column IN ids`; on PostgreSQL one array parameter (`= ANY(:ids)`), so a
    subtree of thousands of agencies is one bind value with real estimates."""
    if db.engine.dialect.name == "postgresql":
        return column == any_(bindparam("agency_ids", list(ids), type_=ARRAY(Integer), unique=True))
    return column.in_(ids)


def _where(scope: Scope, agency_col, procedure_col) -> list:
    conditions = []
    if scope.agency_ids is not None:
        conditions.append(agency_in(agency_col, scope.agency_ids))
    if scope.procedure_id is not None:
        conditions.append(procedure_col == scope.procedure_id)
    return conditions


def _run(stmt, scope: Scope, agency_col, keys: dict, measures: list, where: list):
    """Execute one grouped query; `keys` maps dimension name -> column."""
    if "ancestor" in keys and db.engine.dialect.name == "sqlite":
        return _run_under(stmt, scope, agency_col, keys, measures, where)
    if "ancestor" in keys:
        stmt = stmt.join(AgencyClosure, AgencyClosure.descendant_id == agency_col)
        where = where + [AgencyClosure.ancestor_id.in_(scope.under or [])]
        keys = {k: v for k, v in keys.items() if k != "ancestor"} | {"ancestor": AgencyClosure.ancestor_id}
    columns = list(keys.values())
    stmt = stmt.add_columns(*columns, *measures).where(*where)
    return db.session.execute(stmt.group_by(*columns) if columns else stmt).all()


def _run_under(stmt, scope: Scope, agency_col, keys: dict, measures: list, where: list) -> list:
    """Per-unit figures with the closure read apart and applied in Python.

    SQLite's planner drives a join of the month rows with the closure table
    from the month index and probes the closure once per row and unit (over
    a second for 50 units at 100,000 responses); grouping by agency first and
    summing under each ancestor here reads each row once. Same rows out as
    the join: the other keys, then the ancestor, then the measures."""
    ancestors_of: dict[int, list[int]] = defaultdict(list)
    closure = select(AgencyClosure.ancestor_id, AgencyClosure.descendant_id)
    for ancestor, descendant in db.session.execute(
        closure.where(AgencyClosure.ancestor_id.in_(scope.under or []))
    ):
        ancestors_of[descendant].append(ancestor)
    if not ancestors_of:
        return []
    plain = [column for name, column in keys.items() if name != "ancestor"]
    columns = [*plain, agency_col]
    stmt = stmt.add_columns(*columns, *measures).where(*where, agency_col.in_(list(ancestors_of)))
    width = len(plain)
    return [
        (*row[:width], ancestor, *row[width + 1 :])
        for row in db.session.execute(stmt.group_by(*columns))
        for ancestor in ancestors_of[row[width]]
    ]


def _accumulate(result: dict, rows, names: list[str], width: int, month: date | None, by: tuple) -> None:
    """Add each row's measures under its key (the `by` values; `month` when given)."""
    positions = [None if name == "month" and month is not None else names.index(name) for name in by]
    first = len(names)
    for row in rows:
        key = tuple(month if p is None else row[p] for p in positions)
        totals = result[key]
        for i, value in enumerate(row[first:]):
            if value:
                totals[i] += int(value)


def _totals_month_table(by: tuple, scope: Scope):
    if "procedure" in by or scope.procedure_id is not None:
        return RollupMonthProcedure
    return RollupMonthPoint if "point" in by else RollupMonthAgency


def _totals_keys(table, by: tuple, point_col="point_id", procedure_col="procedure_id") -> dict:
    mapping = {
        "agency": lambda: table.agency_id,
        "channel": lambda: table.channel,
        "procedure": lambda: getattr(table, procedure_col),
        "point": lambda: getattr(table, point_col),
        "ancestor": lambda: None,
    }
    return {name: mapping[name]() for name in by if name != "month"}


def totals(segments: list[Segment], scope: Scope, by: tuple = ()) -> dict[tuple, list[int]]:
    """responses, counted, satisfied per key of `by` (agency, ancestor,
    channel, procedure, point, month)."""
    result: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    months = [s.month for s in segments if s.source == "month"]
    if months:
        table = _totals_month_table(by, scope)
        keys = {**({"month": table.month} if "month" in by else {}), **_totals_keys(table, by)}
        where = [
            table.month.in_(months),
            *_where(scope, table.agency_id, getattr(table, "procedure_id", None)),
        ]
        measures = [func.sum(getattr(table, m)) for m in TOTALS]
        rows = _run(select().select_from(table), scope, table.agency_id, _clean(keys), measures, where)
        _accumulate(result, rows, _names(keys), 3, None, by)
    for segment in segments:
        if segment.source == "day":
            _day_totals(result, segment, scope, by)
        elif segment.source == "raw":
            _raw_totals(result, segment, scope, by)
    return dict(result)


def _clean(keys: dict) -> dict:
    """Drop placeholder entries (the ancestor column is added by _run)."""
    return {k: v for k, v in keys.items() if v is not None or k == "ancestor"}


def _names(keys: dict) -> list[str]:
    names = [k for k in keys if k != "ancestor"]
    return names + (["ancestor"] if "ancestor" in keys else [])


def _day_totals(result, segment: Segment, scope: Scope, by: tuple) -> None:
    table = RollupDayTotals
    keys = _clean(_totals_keys(table, by))
    where = [
        table.day >= segment.start,
        table.day <= segment.end,
        *_where(scope, table.agency_id, table.procedure_id),
    ]
    measures = [func.sum(getattr(table, m)) for m in TOTALS]
    rows = _run(select().select_from(table), scope, table.agency_id, keys, measures, where)
    _accumulate(result, rows, _names(keys), 3, segment.month, by)


def _raw_window(segment: Segment) -> list:
    return [
        Response.submitted_at >= local_day_start(segment.start),
        Response.submitted_at < local_day_start(segment.end + timedelta(days=1)),
    ]


def _raw_totals(result, segment: Segment, scope: Scope, by: tuple) -> None:
    mapping = {
        "agency": Response.agency_id,
        "channel": Response.channel,
        "procedure": func.coalesce(Response.procedure_id, 0),
        "point": Response.survey_point_id,
        "ancestor": None,
    }
    keys = _clean({name: mapping[name] for name in by if name != "month"})
    counted = counted_condition()
    measures = [
        func.count(),
        func.count(case((counted, 1))),
        func.count(case((and_(counted, Response.overall >= 4), 1))),
    ]
    where = _raw_window(segment) + _where(scope, Response.agency_id, Response.procedure_id)
    rows = _run(select().select_from(Response), scope, Response.agency_id, keys, measures, where)
    _accumulate(result, rows, _names(keys), 3, segment.month, by)


def criteria(segments: list[Segment], scope: Scope, by: tuple = ("criterion",)) -> dict[tuple, list[int]]:
    """Counted answers n1..n5 and N/A per key of `by` (criterion, ancestor, month).

    Roll-ups carry no procedure: a procedure filter reads raw rows."""
    if scope.procedure_id is not None:
        segments = [Segment("raw", s.month, s.start, s.end) for s in segments]
    result: dict[tuple, list[int]] = defaultdict(lambda: [0] * len(DISTRIBUTION))
    months = [s.month for s in segments if s.source == "month"]
    if months:
        table = RollupMonthCriteria
        keys = _clean({**({"month": table.month} if "month" in by else {}), **_criteria_keys(table, by)})
        where = [table.month.in_(months), *_where(scope, table.agency_id, None)]
        rows = _run(
            select().select_from(table),
            scope,
            table.agency_id,
            keys,
            [func.sum(getattr(table, m)) for m in DISTRIBUTION],
            where,
        )
        _accumulate(result, rows, _names(keys), len(DISTRIBUTION), None, by)
    for segment in segments:
        if segment.source == "day":
            table = RollupDayCriteria
            keys = _clean(_criteria_keys(table, by))
            where = [
                table.day >= segment.start,
                table.day <= segment.end,
                *_where(scope, table.agency_id, None),
            ]
            rows = _run(
                select().select_from(table),
                scope,
                table.agency_id,
                keys,
                [func.sum(getattr(table, m)) for m in DISTRIBUTION],
                where,
            )
            _accumulate(result, rows, _names(keys), len(DISTRIBUTION), segment.month, by)
        elif segment.source == "raw":
            _raw_criteria(result, segment, scope, by)
    return dict(result)


def _criteria_keys(table, by: tuple) -> dict:
    mapping = {"criterion": lambda: table.criterion, "ancestor": lambda: None}
    return {name: mapping[name]() for name in by if name != "month"}


def _raw_criteria(result, segment: Segment, scope: Scope, by: tuple) -> None:
    keys = _clean(
        {
            name: {"criterion": Question.criterion_code, "ancestor": None}[name]
            for name in by
            if name != "month"
        }
    )
    measures = [func.count(case((Answer.value == v, 1))) for v in VALUES]
    measures.append(func.count(case((Answer.not_applicable.is_(True), 1))))
    measures.append(func.count(case((and_(Answer.value.is_(None), Answer.not_applicable.is_(False)), 1))))
    stmt = (
        select()
        .select_from(Response)
        .join(Answer, Answer.response_id == Response.id)
        .join(Question, Question.id == Answer.question_id)
    )
    where = _raw_window(segment) + _where(scope, Response.agency_id, Response.procedure_id)
    where += [counted_condition(), Question.kind == "scale", Question.criterion_code.is_not(None)]
    # Lets SQLite reach answers through their response_id index instead of scanning them.
    where.append(Answer.response_id.in_(select(Response.id).where(*_raw_window(segment))))
    rows = _run(stmt, scope, Response.agency_id, keys, measures, where)
    _accumulate(result, rows, _names(keys), len(DISTRIBUTION), segment.month, by)

"""Roll-ups give exactly the figures of raw rows, and stay correct after late writes."""

import random
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from survey import periods
from survey.extensions import db
from survey.models import ResponseExclusion, RollupDirty, RollupMonthAgency
from survey.models.types import utcnow
from survey.rollups import freshness
from survey.summaries import Period, breakdown, by_unit, criteria_by_unit, summarise, trend
from tests import factories


def _spread(province, days=80, seed=7):
    """Responses over the last `days` days, two communes, some N/A, some today."""
    rng = random.Random(seed)
    now = utcnow()
    made = []
    for i in range(120):
        point = rng.choice([province.point_a, province.point_a_agency, province.point_b])
        when = now - timedelta(days=rng.randint(0, days), hours=rng.randint(0, 23))
        overall = rng.choice([1, 2, 3, 4, 4, 5, 5, 5])
        extra = {"Q1": rng.choice([2, 3, 4, 5]), "Q5": rng.choice([None, 4, 5])}
        channel = "independent" if i % 5 == 0 else "qr"
        made.append(factories.answer_at(point, when, overall, channel=channel, **extra))
    made.append(factories.answer(province.point_a, overall=5, Q1=5))  # now: the open day
    return made


def _as_tuple(summary):
    crit = [(c.code, tuple(c.counts.values()), c.not_applicable) for c in summary.criteria]
    return summary.responses, summary.counted, summary.satisfied, crit


def _raw(ids, period):
    start, end = period.utc_bounds()
    return summarise(ids, Period(start, end))


def test_rollups_equal_raw_rows_for_any_period(app, province, monkeypatch):
    monkeypatch.setitem(app.config, "MIN_SAMPLE", 1)
    made = _spread(province)
    db.session.add(ResponseExclusion(response_id=made[3].id, action="exclude", reason="test"))
    db.session.commit()
    freshness.catch_up()
    assert freshness.built_through() == freshness.closed_through()
    assert db.session.scalar(select(func.count()).select_from(RollupMonthAgency)) > 0
    today = periods.local_date(utcnow())
    ids = [province.commune_a.id, province.commune_b.id]
    for period in (
        periods.containing("quarter", today),
        periods.containing("month", today),
        periods.custom(today - timedelta(days=47), today),
        periods.custom(today - timedelta(days=70), today - timedelta(days=3)),
        periods.previous(periods.containing("month", today)),
    ):
        assert _as_tuple(summarise(ids, period)) == _as_tuple(_raw(ids, period)), period
    whole = periods.custom(today - timedelta(days=90), today)
    assert summarise(ids, whole).responses == len(made)
    assert summarise(ids, whole).counted == len(made) - 1


def test_not_built_reads_raw_with_same_result(app, province, monkeypatch):
    monkeypatch.setitem(app.config, "MIN_SAMPLE", 1)
    _spread(province)
    monkeypatch.setitem(app.config, "ROLLUP_MAX_CATCHUP_DAYS", 0)
    period = periods.custom(periods.local_date(utcnow()) - timedelta(days=60), periods.local_date(utcnow()))
    ids = [province.commune_a.id]
    assert freshness.built_through() is None
    assert _as_tuple(summarise(ids, period)) == _as_tuple(_raw(ids, period))


def test_late_exclusion_and_late_response_are_counted(app, province, monkeypatch):
    monkeypatch.setitem(app.config, "MIN_SAMPLE", 1)
    old = factories.answer_at(province.point_a, utcnow() - timedelta(days=20), 5)
    freshness.catch_up()
    period = periods.custom(periods.local_date(old.submitted_at), periods.local_date(utcnow()))
    ids = [province.commune_a.id]
    assert summarise(ids, period).satisfied == 1

    db.session.add(ResponseExclusion(response_id=old.id, action="exclude", reason="burst"))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(RollupDirty)) == 1
    assert (summarise(ids, period).counted, summarise(ids, period).responses) == (0, 1)
    assert db.session.scalar(select(func.count()).select_from(RollupDirty)) == 0

    factories.answer_at(province.point_a, utcnow() - timedelta(days=19), 2)
    late = summarise(ids, period)
    assert (late.responses, late.counted, late.satisfied) == (2, 1, 0)


def test_subtree_rollup_breakdowns_and_trend(app, province, monkeypatch):
    monkeypatch.setitem(app.config, "MIN_SAMPLE", 1)
    made = _spread(province)
    freshness.catch_up()
    today = periods.local_date(utcnow())
    period = periods.custom(today - timedelta(days=90), today)
    units = by_unit([province.root.id, province.commune_a.id, province.dept.id], period)
    assert units[province.root.id].responses == len(made)
    in_a = [r for r in made if r.agency_id == province.commune_a.id]
    assert units[province.commune_a.id].responses == len(in_a)
    assert province.dept.id not in units

    procedures = breakdown([province.commune_a.id], period, "procedure")
    birth = [r for r in in_a if r.procedure_id == province.birth.id]
    assert procedures[province.birth.id].responses == len(birth)
    assert procedures[None].responses == len(in_a) - len(birth)
    points = breakdown(None, period, "point")
    assert points[province.point_b.id].responses == len(
        [r for r in made if r.survey_point_id == province.point_b.id]
    )

    heat = criteria_by_unit([province.commune_a.id], period)
    access = next(c for c in heat[province.commune_a.id] if c.code == "access")
    assert access.n == len(in_a)

    months = trend(None, today - timedelta(days=90), today)
    assert len(months) in (4, 5) and sum(f.responses for _, f in months) == len(made)
    channels = by_unit([province.root.id], period, by_channel=True)
    assert channels[(province.root.id, "independent")].responses == 24


def test_refresh_command(app, province, runner):
    factories.answer_at(
        province.point_a, datetime.combine(date.today(), datetime.min.time()) - timedelta(days=3)
    )
    result = runner.invoke(args=["rollups", "refresh", "--all"])
    assert result.exit_code == 0, result.output
    assert "Đã tổng hợp" in result.output
    assert freshness.built_through() == freshness.closed_through()

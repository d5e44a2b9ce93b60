"""The shared summary service against an independent count."""

from survey.extensions import db
from survey.models import ResponseExclusion
from survey.summaries import summarise
from tests import factories


def test_counts_exclusions_and_not_applicable(app, province, monkeypatch):
    monkeypatch.setitem(app.config, "MIN_SAMPLE", 1)
    point = province.point_a
    factories.answer(point, overall=5, Q1=5, Q5=None)
    factories.answer(point, overall=4, Q1=3)
    factories.answer(point, overall=3, Q1=2)
    excluded = factories.answer(point, overall=5, Q1=5)
    db.session.add(ResponseExclusion(response_id=excluded.id, action="exclude", reason="test"))
    db.session.commit()

    summary = summarise([province.commune_a.id])
    assert (summary.responses, summary.counted, summary.satisfied) == (4, 3, 2)
    assert round(summary.rate.value, 4) == round(2 / 3, 4)
    q1 = next(c for c in summary.criteria if c.code == "access")
    assert q1.counts == {1: 0, 2: 1, 3: 1, 4: 0, 5: 1}
    result = next(c for c in summary.criteria if c.code == "result")
    assert result.not_applicable == 1 and result.n == 0 and result.rate.value is None


def test_restored_answer_counts_again(app, province, monkeypatch):
    monkeypatch.setitem(app.config, "MIN_SAMPLE", 1)
    response = factories.answer(province.point_a, overall=2)
    db.session.add(
        ResponseExclusion(response_id=response.id, action="exclude", reason="burst", pending_review=True)
    )
    db.session.commit()
    assert summarise([province.commune_a.id]).counted == 0
    db.session.add(ResponseExclusion(response_id=response.id, action="include", reason="reviewed"))
    db.session.commit()
    assert summarise([province.commune_a.id]).counted == 1


def test_other_subtree_not_counted(app, province):
    factories.answer(province.point_b, overall=5)
    assert summarise([province.commune_a.id]).responses == 0


def test_several_periods_in_one_month_query_match_one_read_each(app, province, monkeypatch):
    """period_totals (one grouped read of month rows) gives what summarise gives per period."""
    from datetime import timedelta

    from survey import periods
    from survey.models.types import utcnow
    from survey.rollups import freshness
    from survey.summaries import period_totals

    monkeypatch.setitem(app.config, "MIN_SAMPLE", 1)
    today = periods.local_date(utcnow())
    quarter = periods.previous(periods.containing("quarter", today))
    chosen = [quarter, periods.previous(quarter), periods.year_before(quarter)]
    for number, period in enumerate(chosen):
        for day in (3, 40, 80):
            moment = periods.local_day_start(period.start + timedelta(days=day)) + timedelta(hours=10)
            factories.answer_at(province.point_a, moment, 5 if day != 40 else 2 + number)
    freshness.catch_up()
    ids = [province.commune_a.id]
    combined = period_totals(ids, chosen)
    for period, figures in zip(chosen, combined, strict=True):
        one = summarise(ids, period)
        assert (figures.responses, figures.counted, figures.satisfied) == (
            one.responses,
            one.counted,
            one.satisfied,
        )
    assert [f.responses for f in combined] == [3, 3, 3]
    assert [f.satisfied for f in combined] == [2, 2, 3]
    open_period = periods.containing("quarter", today)  # partly raw: read one by one
    factories.answer(province.point_a, overall=5)
    assert period_totals(ids, [open_period])[0].responses == summarise(ids, open_period).responses >= 1

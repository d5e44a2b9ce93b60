"""The summary API against an independent count of the stored answers."""

import math
import random
from datetime import timedelta

from sqlalchemy import select

from survey import periods
from survey.extensions import db
from survey.models import Answer, Question, Response, ResponseExclusion
from survey.models.types import utcnow
from survey.rollups import freshness
from tests import factories


def _token(runner, agency):
    result = runner.invoke(args=["api-token", "create", "--name", "Báo cáo tỉnh", "--agency", agency])
    assert result.exit_code == 0, result.output
    return {"Authorization": "Bearer " + result.stdout.strip().splitlines()[0]}


def _wilson(x, n):
    z, p = 1.96, x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _data(province):
    rng = random.Random(11)
    now = utcnow()
    made = []
    for i in range(90):
        point = [province.point_a, province.point_a_agency, province.point_b][i % 3]
        when = now - timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 23))
        made.append(
            factories.answer_at(point, when, rng.choice([2, 3, 4, 5, 5]), Q3=rng.choice([3, 4, 5, None]))
        )
    for response in made[:6]:
        db.session.add(ResponseExclusion(response_id=response.id, action="exclude", reason="test"))
    db.session.commit()
    return made


def _independent_count(agency_ids, start, end, procedure_id=None):
    excluded = {r for r in db.session.scalars(select(ResponseExclusion.response_id))}
    rows = [
        r
        for r in db.session.scalars(select(Response))
        if r.agency_id in agency_ids
        and start <= periods.local_date(r.submitted_at) <= end
        and (procedure_id is None or r.procedure_id == procedure_id)
    ]
    counted = [r for r in rows if r.id not in excluded]
    satisfied = [r for r in counted if r.overall >= 4]
    return len(rows), len(counted), len(satisfied), {r.id for r in counted}


def test_summary_equals_independent_count(app, client, runner, province, monkeypatch):
    monkeypatch.setitem(app.config, "MIN_SAMPLE", 10)
    _data(province)
    freshness.catch_up()
    headers = _token(runner, "T01")
    today = periods.local_date(utcnow())
    start, end = today - timedelta(days=30), today
    body = client.get(f"/api/v1/agencies/T01/summary?from={start}&to={end}", headers=headers).json
    ids = [province.root.id, province.dept.id, province.commune_a.id, province.commune_b.id]
    responses, counted, satisfied, counted_ids = _independent_count(ids, start, end)
    assert (body["responses"], body["counted"], body["satisfied"]) == (responses, counted, satisfied)
    assert body["satisfaction_rate"] == round(satisfied / counted, 6)
    low, high = _wilson(satisfied, counted)
    assert [round(v, 3) for v in body["ci95"]] == [round(low, 3), round(high, 3)]
    assert body["min_sample"] == 10 and body["from"] == str(start) and body["to"] == str(end)

    q3 = db.session.scalar(select(Question.id).where(Question.key == "Q3"))
    values = [
        a.value
        for a in db.session.scalars(select(Answer).where(Answer.question_id == q3))
        if a.response_id in counted_ids
    ]
    attitude = next(c for c in body["criteria"] if c["code"] == "official_attitude")
    assert attitude["not_applicable"] == values.count(None)
    assert attitude["counted"] == len(values) - values.count(None)
    assert attitude["satisfied"] == len([v for v in values if v is not None and v >= 4])


def test_per_procedure_summary_and_min_sample(app, client, runner, province, monkeypatch):
    monkeypatch.setitem(app.config, "MIN_SAMPLE", 30)
    _data(province)
    headers = _token(runner, "T01-XA")
    today = periods.local_date(utcnow())
    start = today - timedelta(days=45)
    url = f"/api/v1/agencies/T01-XA/procedures/1.001193/summary?from={start}&to={today}"
    body = client.get(url, headers=headers).json
    responses, counted, satisfied, _ = _independent_count(
        [province.commune_a.id], start, today, province.birth.id
    )
    assert (body["responses"], body["counted"], body["satisfied"]) == (responses, counted, satisfied)
    assert counted < 30 and body["satisfaction_rate"] is None and body["ci95"] is None
    assert body["procedure"]["code"] == "1.001193"


def test_token_scope_auth_and_bad_dates(client, runner, province):
    headers = _token(runner, "T01-XA")
    assert (
        client.get(
            "/api/v1/agencies/T01-XB/summary?from=2026-01-01&to=2026-01-31", headers=headers
        ).status_code
        == 404
    )
    assert (
        client.get("/api/v1/agencies/T01/summary?from=2026-01-01&to=2026-01-31", headers=headers).status_code
        == 404
    )
    assert client.get("/api/v1/agencies/T01-XA/summary?from=2026-01-01&to=2026-01-31").status_code == 401
    bad = client.get("/api/v1/agencies/T01-XA/summary?from=2026-02-01&to=2026-01-01", headers=headers)
    assert bad.status_code == 400 and "Ngày kết thúc" in bad.json["message"]
    missing = client.get("/api/v1/agencies/T01-XA/summary", headers=headers)
    assert missing.status_code == 400
    empty = client.get("/api/v1/agencies/T01-XA/summary?from=2020-01-01&to=2020-01-31", headers=headers).json
    assert (empty["responses"], empty["satisfaction_rate"], empty["ci95"]) == (0, None, None)

"""Earlier answers in a province's agencies, so the submit is measured against
tables in use rather than empty ones.

On an empty table PostgreSQL plans the submit's checks as sequential scans
(cheapest on twenty rows), and the driver keeps that generic plan for its
prepared statement until autovacuum analyzes the table, up to a minute
later: a benchmark that grows the table by thousands of rows a second then
measured some rounds at half speed (bench/README.md). A server in use has a
history, analyzed; so does the benchmark's, spread over AGENCIES communes
(one counter point each) and the benchmark's own, as a province's is.
"""

from datetime import timedelta

from sqlalchemy import false, insert, literal, select, text

BATCH = 10_000
AGENCIES = 100


def seed_history(app, code: str, count: int, agencies: int = AGENCIES) -> None:
    """`count` answers, taking turns between the benchmark's point and the
    counters of `agencies` - 1 other communes (1: every answer at the benchmark's
    commune, as at a department using the service alone), one every five minutes before
    yesterday (outside every burst and spike window), each with its 5-level answers;
    then, on PostgreSQL, ANALYZE as autovacuum would have."""
    from survey.extensions import db
    from survey.models import Answer, Question, Response, SurveyPoint
    from survey.models.types import utcnow
    from survey.questionnaires import ensure_default

    if count <= 0:
        return
    with app.app_context():
        points = [db.session.scalar(select(SurveyPoint).where(SurveyPoint.code == code))]
        points += _other_points(points[0].agency.parent, agencies - 1)
        version = ensure_default()
        start = utcnow() - timedelta(days=1)
        for first in range(0, count, BATCH):
            numbers = range(first, min(first + BATCH, count))
            rows = [_response(points[n % len(points)], version.id, start, n) for n in numbers]
            db.session.execute(insert(Response), rows)
        scales = select(Question.id).where(Question.questionnaire_id == version.id, Question.kind == "scale")
        answers = (
            select(Response.id, Question.id, Response.id % 5 + 1, false(), literal("L5"))
            .join_from(Response, Question, Question.id.in_(scales))  # every response with every question
            .where(Response.nonce.like("history-%"))
        )
        db.session.execute(
            insert(Answer).from_select(
                ["response_id", "question_id", "value", "not_applicable", "scale"], answers
            )
        )
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        db.engine.dispose()


def _other_points(parent, count: int) -> list:
    from survey.agencies import create_agency
    from survey.points import create_point

    agencies = [
        create_agency(f"BENCH-H{n}", f"Ủy ban nhân dân xã Lịch Sử {n}", "commune_pc", parent)
        for n in range(count)
    ]
    return [create_point(agency, None, "Quầy 1") for agency in agencies]


def _response(point, questionnaire_id: int, start, n: int) -> dict:
    return {
        "nonce": f"history-{n}",
        "survey_point_id": point.id,
        "agency_id": point.agency_id,
        "procedure_id": point.procedure_id,
        "questionnaire_id": questionnaire_id,
        "submitted_at": start - timedelta(minutes=5 * n),
        "channel": "qr",
        "overall": n % 5 + 1,
        "comment": "Góp ý trước đây." if n % 4 == 0 else None,
        "locale": "vi",
        "device_key": f"history-device-{n}",
        "network_key": f"history-network-{n % 5000}",
        "is_demo": False,
    }

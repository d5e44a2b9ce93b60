"""Answer scales: codes, labels, uncoded answers and the N/A rule."""

from survey import scales
from survey.extensions import db
from survey.models import Answer, Question, QuestionnaireVersion
from survey.questionnaires import ensure_criteria
from survey.responses import Submission, record
from survey.summaries import summarise
from tests import factories


def _l3_version(agency) -> QuestionnaireVersion:
    ensure_criteria()
    version = QuestionnaireVersion(
        code="l3", agency_id=agency.id, version=2, title_vi="Phiếu 3 mức", title_en="3-level", scale="L3"
    )
    version.questions.append(
        Question(
            position=0,
            key="Q9",
            kind="scale",
            text_vi="Nhìn chung?",
            text_en="Overall?",
            criterion_code="overall",
            required=True,
            options=scales.L3.as_options(),
        )
    )
    db.session.add(version)
    db.session.commit()
    return version


def test_option_codes_and_scale_recognition():
    assert [scales.option_code(o) for o in scales.L5.as_options("Không áp dụng")] == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "na",
    ]
    assert [scales.option_code(o) for o in scales.L3.options] == ["ns", "4", "5"]
    assert scales.scale_of(scales.L4.as_options("N/A")) == "L4"
    assert scales.find_option(list(scales.L5.options), 4)["vi"] == "Hài lòng"


def test_l5_answer_keeps_scale_and_label(province):
    response = factories.answer(province.point_a, overall=2, Q5=None)
    by_key = {a.question.key: a for a in response.answers}
    assert (by_key["Q9"].scale, by_key["Q9"].value, by_key["Q9"].label) == ("L5", 2, "Không hài lòng")
    assert by_key["Q5"].not_applicable and by_key["Q5"].label == "Hôm nay tôi chưa nhận kết quả"
    assert by_key["Q5"].value is None


def test_three_level_not_satisfied_counts_in_denominator_but_not_na(app, province):
    version = _l3_version(province.commune_a)
    for n, raw in enumerate(["5", "4", "ns", "ns"]):
        record(province.point_a, version, Submission(nonce=f"l3-{n}", answers={"Q9": raw}))
    stored = db.session.scalars(db.select(Answer).where(Answer.label == "Chưa/Không hài lòng")).all()
    assert len(stored) == 2 and all(
        a.value is None and not a.not_applicable and a.scale == "L3" for a in stored
    )
    app.config["MIN_SAMPLE"] = 1
    try:
        figures = summarise([province.commune_a.id])
    finally:
        app.config["MIN_SAMPLE"] = 30
    assert (figures.satisfied, figures.counted) == (2, 4)  # 2 of 4, not 2 of 2
    overall = next(c for c in figures.criteria if c.code == "overall")
    assert (overall.n, overall.uncoded, overall.rate.satisfied) == (4, 2, 2)
    assert overall.mean == 4.5  # the mean uses coded answers only


def test_not_applicable_stays_out_of_the_denominator(app, province):
    factories.answer(province.point_a, overall=5, Q5=4)
    factories.answer(province.point_a, overall=5, Q5=None)
    figures = summarise([province.commune_a.id])
    result = next(c for c in figures.criteria if c.code == "result")
    assert (result.n, result.not_applicable) == (1, 1)


def test_roll_ups_keep_uncoded_answers_in_the_denominator(app, province, monkeypatch):
    from datetime import timedelta

    from survey import periods
    from survey.models.types import utcnow
    from survey.responses import _build
    from survey.rollups import freshness

    monkeypatch.setitem(app.config, "MIN_SAMPLE", 1)
    version = _l3_version(province.commune_a)
    for n, raw in enumerate(["5", "ns", "ns", "4"]):
        response = _build(province.point_a, version, Submission(nonce=f"old-{n}", answers={"Q9": raw}))
        response.submitted_at = utcnow() - timedelta(days=20 + n)
        db.session.add(response)
    db.session.commit()
    freshness.catch_up()
    today = periods.local_date(utcnow())
    from_rollups = summarise([province.commune_a.id], periods.custom(today - timedelta(days=40), today))
    overall = next(c for c in from_rollups.criteria if c.code == "overall")
    assert (overall.n, overall.uncoded, overall.rate.satisfied) == (4, 2, 2)
    assert (from_rollups.counted, from_rollups.satisfied) == (4, 2)

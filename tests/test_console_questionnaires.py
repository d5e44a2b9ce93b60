"""Choosing which questionnaire version an agency uses from which date."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import AdminLog, Question, QuestionnaireVersion, Response
from survey.questionnaires import assigned_version
from tests import factories


@pytest.fixture
def v2(province):
    """A copy of v1 with its own title, as the version editor would make it."""
    version = QuestionnaireVersion(
        code="v2", version=2, title_vi="Phiếu khảo sát rút gọn", title_en="Short survey"
    )
    for q in province.version.questions:
        version.questions.append(
            Question(
                position=q.position,
                key=q.key,
                kind=q.kind,
                text_vi=q.text_vi,
                text_en=q.text_en,
                criterion_code=q.criterion_code,
                required=q.required,
                options=q.options,
                show_if=q.show_if,
            )
        )
    db.session.add(version)
    db.session.commit()
    return version


@pytest.fixture
def head(province):
    return factories.user("head@tinh.vn", "committee", province.root)


def test_assignment_switches_the_public_survey_from_its_date(client, login, head, province, v2):
    session = login(head)
    today = date.today()
    v1 = province.version
    session.post(
        "/admin/agencies/T01/questionnaire",
        data={"questionnaire": v1.id, "valid_from": (today - timedelta(days=10)).isoformat()},
    )
    session.post(
        "/admin/agencies/T01-XA/questionnaire",
        data={"questionnaire": v2.id, "valid_from": (today + timedelta(days=30)).isoformat()},
    )
    # Today the province-wide choice (v1) holds everywhere; commune A's v2 starts next month.
    for point in (province.point_a, province.point_b):
        page = client.get(f"/s/{point.code}").text
        assert v1.title_vi in page and "Phiếu khảo sát rút gọn" not in page
    later = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=31)
    assert assigned_version(province.commune_a, later).id == v2.id
    assert assigned_version(province.commune_b, later).id == v1.id
    session.post(
        "/admin/agencies/T01-XA/questionnaire", data={"questionnaire": v2.id, "valid_from": today.isoformat()}
    )
    assert "Phiếu khảo sát rút gọn" in client.get(f"/s/{province.point_a.code}").text
    entry = db.session.scalar(
        select(AdminLog).where(AdminLog.entity == "agency_questionnaire").order_by(AdminLog.id.desc())
    )
    assert entry.after["questionnaire"] == "v2"


def test_answers_are_stored_with_the_assigned_version(client, login, head, province, v2):
    login(head).post(
        "/admin/agencies/T01-XA/questionnaire",
        data={"questionnaire": v2.id, "valid_from": date.today().isoformat()},
    )
    client.post("/logout")
    form = client.get(f"/s/{province.point_a.code}")
    nonce = form.text.split('name="nonce" type="hidden" value="')[1].split('"')[0]
    client.post(f"/s/{province.point_a.code}", data={"nonce": nonce, "Q9": "4"})
    assert db.session.scalar(select(Response.questionnaire_id)) == v2.id


def test_bad_date_keeps_the_choice(login, head, province, v2):
    page = login(head).post(
        "/admin/agencies/T01-XA/questionnaire", data={"questionnaire": v2.id, "valid_from": "31/02"}
    )
    assert page.status_code == 422
    assert f'<option selected value="{v2.id}">' in page.text


def test_phone_preview_renders_the_version(login, head, province, v2):
    client = login(head)
    page = client.get(f"/admin/questionnaire-versions/{v2.id}/preview?agency=T01-XA")
    assert page.status_code == 200 and "iframe" in page.text
    phone = client.get(f"/admin/questionnaire-versions/{v2.id}/phone?agency=T01-XA")
    assert "Phiếu khảo sát rút gọn" in phone.text and province.commune_a.name in phone.text
    assert "Nhìn chung, Ông/Bà hài lòng thế nào với sự phục vụ hôm nay?" in phone.text

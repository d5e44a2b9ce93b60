"""Administrators make questionnaire versions per agency; old answers keep theirs."""

import re

from survey.extensions import db
from survey.models import AgencyQuestionnaire, Answer, Question, QuestionnaireVersion, Response
from tests import factories
from tests.survey_helpers import submit


def _form_data(page_text: str) -> dict:
    """Every field of the editor as the browser would post it, unchanged."""
    data = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page_text):
        data[name] = value
    for tag in re.finditer(r'<input([^>]*)type="checkbox"([^>]*)>', page_text):
        attrs = tag.group(1) + tag.group(2)
        name = re.search(r'name="([^"]+)"', attrs).group(1)
        if "checked" in attrs:
            data[name] = "y"
        else:
            data.pop(name, None)
    for name, body in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>\r?\n?(.*?)</textarea>', page_text, re.S
    ):
        data[name] = body
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page_text, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"', options)
        data[name] = chosen.group(1) if chosen else re.search(r'value="([^"]*)"', options).group(1)
    return {key: value.replace("&#34;", '"').replace("&amp;", "&") for key, value in data.items()}


def _row(data: dict, key: str) -> str:
    return next(
        name[: -len("-key")] for name, value in data.items() if name.endswith("-key") and value == key
    )


def test_only_administrators_reach_the_editor(client, province, login):
    head = factories.user("head@xa.vn", "head", province.commune_a)
    assert login(head).get("/admin/questionnaires/").status_code == 403


def test_new_agency_version_with_reworded_reordered_questions(client, province, login):
    admin = factories.user("admin@tinh.vn", "admin")
    login(admin)
    old = factories.answer(province.point_a, overall=4)
    editor = client.get(f"/admin/questionnaires/new?agency={province.commune_a.code}")
    assert editor.status_code == 200
    data = _form_data(editor.text)
    assert data["agency_code"] == province.commune_a.code and data["scale"] == "L5"
    q1, q2, q8 = _row(data, "Q1"), _row(data, "Q2"), _row(data, "Q8")
    data[f"{q1}-text_vi"] = "Nơi chờ có đủ ghế và mát không?"
    data[f"{q1}-text_en"] = "Was the waiting area cool, with enough seats?"
    data[f"{q1}-required"] = "y"
    data[f"{q1}-position"] = "100"  # move Q1 to the end
    data[f"{q2}-drop"] = "y"
    data[f"{q8}-key"] = ""  # an empty key drops the row too
    saved = client.post("/admin/questionnaires/new", data=data)
    assert saved.status_code == 302, saved.text
    version = db.session.scalar(
        db.select(QuestionnaireVersion).where(QuestionnaireVersion.agency_id.is_not(None))
    )
    keys = [q.key for q in version.questions]
    assert "Q2" not in keys and "Q8" not in keys and keys[-1] == "Q1"
    assert version.questions[-1].required and version.questions[-1].text_en.startswith("Was the waiting")
    assigned = db.session.scalar(db.select(AgencyQuestionnaire))
    assert (assigned.agency_id, assigned.questionnaire_id) == (province.commune_a.id, version.id)
    q6b = next(q for q in version.questions if q.key == "Q6b")
    assert q6b.show_if == {"question": "Q6", "in": [2, 3]}  # choice questions keep their logic

    page = client.get(f"/s/{province.point_a.code}")
    assert "Nơi chờ có đủ ghế và mát không?" in page.text
    assert "công khai, hướng dẫn thông tin thủ tục" not in page.text  # Q2 is gone
    other = client.get(f"/s/{province.point_b.code}")
    assert "công khai, hướng dẫn thông tin thủ tục" in other.text  # another commune keeps v1

    submit(client, province.point_a.code, {"Q9": "5", "Q1": "4"})
    new = db.session.scalar(db.select(Response).order_by(Response.id.desc()))
    assert new.questionnaire_id == version.id
    db.session.refresh(old)
    assert old.questionnaire_id == province.version.id  # old answers stay tied to v1
    wording = db.session.scalar(
        db.select(Question.text_vi)
        .join(Answer, Answer.question_id == Question.id)
        .where(Answer.response_id == old.id, Question.key == "Q9")
    )
    assert wording == "Nhìn chung, Ông/Bà hài lòng thế nào với sự phục vụ hôm nay?"


def test_three_level_scale_version(client, province, login):
    login(factories.user("admin@tinh.vn", "admin"))
    data = _form_data(client.get(f"/admin/questionnaires/new?agency={province.commune_a.code}").text)
    data["scale"] = "L3"
    assert client.post("/admin/questionnaires/new", data=data).status_code == 302
    page = client.get(f"/s/{province.point_a.code}")
    assert "Chưa/Không hài lòng" in page.text and "Rất không hài lòng" not in page.text
    submit(client, province.point_a.code, {"Q9": "ns"})
    answer = db.session.scalar(db.select(Answer))
    assert (answer.scale, answer.value, answer.label) == ("L3", None, "Chưa/Không hài lòng")


def test_a_used_version_is_never_changed(client, province, login):
    login(factories.user("admin@tinh.vn", "admin"))
    before = [(q.key, q.text_vi) for q in province.version.questions]
    factories.answer(province.point_a, overall=4)
    show = client.get(f"/admin/questionnaires/{province.version.id}")
    assert "không thể sửa" in show.text
    data = _form_data(client.get(f"/admin/questionnaires/new?from={province.version.id}").text)
    data["agency_code"] = province.commune_a.code
    data[f"{_row(data, 'Q9')}-text_vi"] = "Đánh giá chung?"
    assert client.post(f"/admin/questionnaires/new?from={province.version.id}", data=data).status_code == 302
    db.session.expire_all()
    assert [(q.key, q.text_vi) for q in province.version.questions] == before
    assert db.session.scalar(db.select(db.func.count(QuestionnaireVersion.id))) == 2


def test_invalid_versions_are_refused_with_the_reason(client, province, login):
    login(factories.user("admin@tinh.vn", "admin"))
    data = _form_data(client.get(f"/admin/questionnaires/new?agency={province.commune_a.code}").text)
    data[f"{_row(data, 'Q9')}-drop"] = "y"
    page = client.post("/admin/questionnaires/new", data=data)
    assert page.status_code == 422 and "đánh giá chung" in page.text
    data.pop(f"{_row(data, 'Q9')}-drop")
    data[f"{_row(data, 'Q3')}-key"] = "Q1"
    page = client.post("/admin/questionnaires/new", data=data)
    assert page.status_code == 422 and "Mã câu hỏi bị trùng: Q1." in page.text
    data["agency_code"] = "KHONG-CO"
    page = client.post("/admin/questionnaires/new", data=data)
    assert page.status_code == 422 and "Không có cơ quan, đơn vị với mã này." in page.text
    assert 'value="KHONG-CO"' in page.text  # what was typed stays
    assert db.session.scalar(db.select(db.func.count(QuestionnaireVersion.id))) == 1

"""Survey points from the console: many at once, counters, retire and replace."""

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import AdminLog, SurveyPoint
from tests import factories


@pytest.fixture
def head(province):
    return factories.user("head@xa.vn", "head", province.commune_a)


def test_one_point_per_procedure_skips_covered_ones(login, head, province):
    client = login(head)
    response = client.post(
        "/admin/survey-points/new", data={"agency": "T01-XA", "per_procedure": "y", "counter": "Quầy 2"}
    )
    assert response.status_code == 302
    points = db.session.scalars(
        select(SurveyPoint).where(SurveyPoint.agency_id == province.commune_a.id)
    ).all()
    # birth already had a point; only marriage gets a new one.
    assert sorted((p.procedure.code if p.procedure else "") for p in points) == ["", "1.000894", "1.001193"]
    new = next(p for p in points if p.procedure and p.procedure.code == "1.000894")
    assert new.counter == "Quầy 2"


def test_unknown_procedure_keeps_the_form(login, head, province):
    page = login(head).post(
        "/admin/survey-points/new", data={"agency": "T01-XA", "procedure": "9.999999", "counter": "Quầy 7"}
    )
    assert page.status_code == 422
    assert "Không tìm thấy thủ tục" in page.text and 'value="Quầy 7"' in page.text


def test_point_page_counts_answers_and_label_counter(login, head, province):
    factories.answer(province.point_a, overall=5)
    factories.answer(province.point_a, overall=3)
    client = login(head)
    page = client.get(f"/admin/survey-points/{province.point_a.code}")
    assert 'data-testid="point-answers">2<' in page.text
    client.post(f"/admin/survey-points/{province.point_a.code}/counter", data={"counter": "Quầy số 5"})
    assert "Quầy số 5" in client.get("/admin/survey-points?agency=T01-XA").text


def test_a_counter_name_too_long_is_explained_not_dropped(login, head, province):
    """It used to come back to the page as if saved, the typed name gone."""
    client = login(head)
    typed = "Quầy tiếp nhận và trả kết quả " * 6  # 180 characters
    page = client.post(f"/admin/survey-points/{province.point_a.code}/counter", data={"counter": typed})
    assert page.status_code == 422 and "Tên quầy tối đa 100 ký tự." in page.text
    assert typed.strip() in page.text  # what was typed is kept to be shortened
    db.session.refresh(province.point_a)
    assert province.point_a.counter != typed.strip()


def test_retire_with_replacement_sends_scanners_on(login, head, province):
    client = login(head)
    confirm = client.get(f"/admin/survey-points/{province.point_a.code}/retire")
    assert "không hoàn tác được" in confirm.text
    client.post(
        f"/admin/survey-points/{province.point_a.code}/retire",
        data={"replacement": province.point_a_agency.code},
    )
    scanned = client.get(f"/s/{province.point_a.code}")
    assert scanned.status_code == 410
    assert f"/s/{province.point_a_agency.code}" in scanned.text
    entry = db.session.scalar(select(AdminLog).where(AdminLog.action == "retire"))
    assert entry.after["replacement"] == province.point_a_agency.code


def test_replacement_must_be_active_and_in_scope(login, head, province):
    page = login(head).post(
        f"/admin/survey-points/{province.point_a.code}/retire", data={"replacement": province.point_b.code}
    )
    assert page.status_code == 422
    assert f"Không tìm thấy điểm khảo sát {province.point_b.code}" in page.text
    db.session.expire_all()
    assert not db.session.get(SurveyPoint, province.point_a.id).is_retired


def test_print_a_point_poster_with_its_names(login, head, province, tmp_path):
    import subprocess

    client = login(head)
    page = client.get(f"/admin/survey-points/{province.point_a.code}")
    assert f"/posters/point/{province.point_a.code}.pdf?layout=a5" in page.text
    pdf = client.get(f"/posters/point/{province.point_a.code}.pdf?layout=a5")
    assert pdf.mimetype == "application/pdf"
    path = tmp_path / "poster.pdf"
    path.write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    assert "Ủy ban nhân dân xã Hòa Bình" in text and "1.001193" in text
    assert client.get(f"/posters/point/{province.point_b.code}.pdf").status_code == 404

"""QR to counted answer in one pass, on whichever engine the suite runs."""

import io
import subprocess

from PIL import Image

from survey.extensions import db
from survey.models import Answer, Response
from tests import factories


def decode_qr(png: bytes) -> list[str]:
    """Decode with zbar (a real decoder, not the encoder's word)."""
    result = subprocess.run(["zbarimg", "--quiet", "--raw", "-"], input=png, capture_output=True, check=True)
    return result.stdout.decode().split()


def test_qr_png_decodes_to_public_base_url(client, province):
    response = client.get(f"/qr/{province.point_a.code}.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    Image.open(io.BytesIO(response.data)).verify()
    assert decode_qr(response.data) == [f"HTTPS://HAILONG.EXAMPLE.VN/S/{province.point_a.code}"]


def test_qr_ignores_request_host(client, province):
    response = client.get(f"/qr/{province.point_a.code}.png", base_url="http://evil.example")
    assert decode_qr(response.data) == [f"HTTPS://HAILONG.EXAMPLE.VN/S/{province.point_a.code}"]


def test_survey_page_shows_agency_and_procedure(client, province):
    page = client.get(f"/s/{province.point_a.code}")
    assert page.status_code == 200
    assert "Ủy ban nhân dân xã Hòa Bình" in page.text
    assert "Thủ tục đăng ký khai sinh (1.001193)" in page.text
    assert "Nhìn chung, Ông/Bà hài lòng thế nào với sự phục vụ hôm nay?" in page.text


def test_submit_stores_one_response_and_summary_counts_it(client, province, login):
    form = client.get(f"/s/{province.point_a.code}")
    nonce = form.text.split('name="nonce" type="hidden" value="')[1].split('"')[0]
    posted = client.post(
        f"/s/{province.point_a.code}",
        data={"nonce": nonce, "Q1": "4", "Q5": "na", "Q9": "5", "Q10": "Cán bộ nhiệt tình"},
    )
    assert posted.status_code == 302
    stored = db.session.scalars(db.select(Response)).all()
    assert len(stored) == 1
    assert stored[0].overall == 5 and stored[0].agency_id == province.commune_a.id
    assert stored[0].procedure_id == province.birth.id
    answers = {a.question_id: a for a in db.session.scalars(db.select(Answer))}
    assert sum(a.not_applicable for a in answers.values()) == 1  # Q5 "not received today"

    head = factories.user("head@xa.vn", "head", province.commune_a)
    summary = login(head).get(f"/agencies/{province.commune_a.code}")
    assert summary.status_code == 200
    assert 'data-testid="responses">1<' in summary.text
    assert "Chưa đủ dữ liệu" in summary.text  # 1 answer is below the minimum sample


def test_same_nonce_twice_stores_one_response(client, province):
    data = {"nonce": "fixed-nonce-123", "Q9": "4"}
    client.post(f"/s/{province.point_a.code}", data=data)
    client.post(f"/s/{province.point_a.code}", data=data)
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1


def test_missing_overall_keeps_answers_and_names_the_field(client, province):
    page = client.post(f"/s/{province.point_a.code}", data={"nonce": "n-1", "Q1": "2", "Q10": "Chờ lâu quá"})
    assert page.status_code == 422
    assert 'href="#Q9-0"' in page.text  # the summary links to the first option
    assert '<input checked id="Q1-1" name="Q1" type="radio" value="2">' in page.text
    assert "Chờ lâu quá" in page.text
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 0


def test_unknown_code_is_a_readable_404(client):
    page = client.get("/s/ZZZZ9999")
    assert page.status_code == 404
    assert "Không tìm thấy phiếu khảo sát" in page.text
    assert "quét lại mã QR tại quầy" in page.text  # what to do next


def test_agency_level_point_offers_procedure_pick_list(client, province):
    page = client.get(f"/s/{province.point_a_agency.code}")
    assert "Thủ tục Ông/Bà thực hiện hôm nay:" in page.text
    assert "Khác / Không rõ" in page.text
    client.post(f"/s/{province.point_a_agency.code}", data={"nonce": "n-2", "Q9": "3", "Q0": "1.000894"})
    stored = db.session.scalar(db.select(Response))
    assert stored.procedure_id == province.marriage.id


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}

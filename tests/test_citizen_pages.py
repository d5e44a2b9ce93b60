"""Every problem a citizen can meet is a small Vietnamese page saying what to do."""

import pytest
from sqlalchemy.exc import OperationalError

from survey.public import citizen_errors


@pytest.mark.parametrize(
    ("kind", "status", "title", "next_step"),
    [
        ("unknown_code", 404, "Không tìm thấy phiếu khảo sát", "quét lại mã QR tại quầy"),
        ("dossier_expired", 410, "Đường dẫn đánh giá đã hết hạn", "mã QR đặt tại quầy"),
        ("dossier_answered", 409, "Hồ sơ này đã được đánh giá", "bộ phận tiếp nhận và trả kết quả"),
        ("too_many", 429, "Quá nhiều lần gửi", "thử lại sau ít phút"),
        ("server_trouble", 503, "Hệ thống đang bận", "thử lại sau một lát"),
    ],
)
def test_citizen_problem_pages(app, kind, status, title, next_step):
    with app.test_request_context("/s/ABCDEFGH"):
        response = citizen_errors.render(kind)
        text = response.get_data(as_text=True)
    assert response.status_code == status
    assert title in text and next_step in text
    assert '<html lang="vi">' in text and "Traceback" not in text


@pytest.mark.parametrize(
    ("address", "broken_lookup"),
    [
        ("/s/{code}", "survey.public.survey.find_point"),
        ("/S/{code}", "survey.public.survey.find_point"),  # as the posters' QR codes spell it
        ("/d/ABCDEFGHJKLMNP", "survey.dossiers.find_link"),
        ("/D/ABCDEFGHJKLMNP", "survey.dossiers.find_link"),
    ],
)
def test_database_trouble_on_the_survey_is_a_citizen_page(
    app, client, province, monkeypatch, address, broken_lookup
):
    def broken(*_args, **_kwargs):
        raise OperationalError("SELECT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(broken_lookup, broken)
    page = client.get(address.format(code=province.point_a.code))
    assert page.status_code == 503
    assert "Hệ thống đang bận" in page.text and "quét lại mã QR" in page.text

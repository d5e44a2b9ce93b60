"""Retiring a point: the printed code keeps working and says where to go."""

from survey.extensions import db
from survey.models import Response, SurveyPoint
from survey.points import create_point
from tests.qrdecode import decode_png


def _retire(runner, *args):
    return runner.invoke(args=["survey-points", "retire", *args])


def test_retired_code_points_to_its_replacement(runner, client, province):
    new = create_point(province.commune_a, province.birth, "Quầy 2")
    db.session.commit()
    result = _retire(runner, province.point_a.code, "--replacement", new.code)
    assert result.exit_code == 0, result.output
    assert f"{province.point_a.code} → {new.code}" in result.output
    page = client.get(f"/s/{province.point_a.code}")
    assert page.status_code == 410
    assert "Mã QR này đã ngừng sử dụng" in page.text
    assert f'href="/s/{new.code}"' in page.text
    assert client.get(f"/s/{new.code}").status_code == 200


def test_retired_point_refuses_answers(runner, client, province):
    _retire(runner, province.point_a.code)
    posted = client.post(f"/s/{province.point_a.code}", data={"Q9": "5", "nonce": "n-retired"})
    assert posted.status_code == 410
    assert db.session.scalar(db.select(db.func.count()).select_from(Response)) == 0


def test_without_replacement_the_page_sends_to_the_counter(runner, client, province):
    _retire(runner, province.point_b.code)
    page = client.get(f"/S/{province.point_b.code}")
    assert "Vui lòng quét mã QR mới tại quầy hoặc hỏi cán bộ tiếp nhận." in page.text
    assert "Ủy ban nhân dân phường Đông Kinh" in page.text


def test_replacement_chain_lands_on_the_point_in_use(runner, client, province):
    second = create_point(province.commune_a)
    third = create_point(province.commune_a)
    db.session.commit()
    _retire(runner, province.point_a.code, "--replacement", second.code)
    _retire(runner, second.code, "--replacement", third.code)
    assert f'href="/s/{third.code}"' in client.get(f"/s/{province.point_a.code}").text


def test_qr_image_of_a_retired_point_is_still_served(runner, client, province):
    _retire(runner, province.point_a.code)
    data = client.get(f"/qr/{province.point_a.code}.png").data
    assert decode_png(data) == [f"HTTPS://HAILONG.EXAMPLE.VN/S/{province.point_a.code}"]


def test_refusals_are_explained(runner, province):
    assert "Không tìm thấy điểm khảo sát ZZZZ2222" in _retire(runner, "ZZZZ2222").output
    code = province.point_a.code
    assert "phải khác" in _retire(runner, code, "--replacement", code).output
    _retire(runner, province.point_b.code)
    refused = _retire(runner, code, "--replacement", province.point_b.code)
    assert refused.exit_code != 0 and "cũng đã ngừng sử dụng" in refused.output
    again = _retire(runner, province.point_b.code)
    assert again.exit_code != 0 and "đã ngừng sử dụng từ trước" in again.output
    assert db.session.get(SurveyPoint, province.point_a.id).status == "active"

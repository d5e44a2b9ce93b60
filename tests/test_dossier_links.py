"""One-time dossier links, end to end: the one-stop software asks, the citizen answers once."""

import re

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from survey.extensions import db
from survey.models import DossierLink, Response
from survey.models.types import utcnow
from survey.questionnaires import ensure_default
from survey.responses import Submission, record
from survey.scans import daily_scans, today_in_vietnam
from tests.qrdecode import decode_png, svg_to_png

BASE = "https://hailong.example.vn"
DOSSIER = "000.00.12.H43-260115-0042"


def _token(runner, agency="T01"):
    result = runner.invoke(args=["api-token", "create", "--name", "Một cửa điện tử", "--agency", agency])
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[0]


def _ask(client, token, dossier=DOSSIER, procedure="1.001193", agency="T01-XA", **extra):
    body = {"dossier_code": dossier, "procedure_code": procedure, "agency_code": agency, **extra}
    return client.post("/api/v1/dossier-links", json=body, headers={"Authorization": f"Bearer {token}"})


def _path(url: str) -> str:
    return url.removeprefix(BASE).removeprefix(BASE.upper())


def _nonce(page: str) -> str:
    return page.split('name="nonce" type="hidden" value="')[1].split('"')[0]


def _responses() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Response))


def test_issue_link_with_qr_images_that_decode(client, runner, province):
    response = _ask(client, _token(runner))
    assert response.status_code == 201, response.json
    body = response.json
    token = body["url"].rsplit("/", 1)[1]
    assert body["url"] == f"{BASE}/d/{token}"
    assert body["qr_png"] == f"{BASE}/qr/d/{token}.png" and body["qr_svg"] == f"{BASE}/qr/d/{token}.svg"
    assert body["expires_at"].endswith("Z") and isinstance(body["dossier_link_id"], int)
    encoded = f"HTTPS://HAILONG.EXAMPLE.VN/D/{token}"
    assert decode_png(client.get(_path(body["qr_png"])).data) == [encoded]
    assert decode_png(svg_to_png(client.get(_path(body["qr_svg"])).data)) == [encoded]


def test_asking_twice_returns_the_same_link(client, runner, province):
    token = _token(runner)
    first = _ask(client, token).json
    again = _ask(client, token, dossier=f"  {DOSSIER.lower()} ")
    assert again.status_code == 200
    assert again.json == first
    other = _ask(client, token, dossier="000.00.12.H43-260115-0043").json
    assert other["url"] != first["url"]


def test_the_dossier_code_is_not_stored(client, runner, province):
    _ask(client, _token(runner))
    row = db.session.execute(db.select(DossierLink.__table__)).mappings().one()
    assert not any(DOSSIER.upper() in str(value).upper() for value in row.values())


def test_answer_once_then_refused_with_a_clear_message(client, runner, province):
    body = _ask(client, _token(runner)).json
    scanned = _path(decode_png(client.get(_path(body["qr_png"])).data)[0])  # /D/<TOKEN>, as scanned
    page = client.get(scanned)
    assert page.status_code == 200
    assert "chỉ dùng để đánh giá một lần" in page.text
    assert "Thủ tục đăng ký khai sinh (1.001193)" in page.text
    sent = client.post(scanned, data={"nonce": _nonce(page.text), "Q9": "4"})
    assert sent.status_code == 302
    stored = db.session.scalar(db.select(Response))
    assert (stored.channel, stored.dossier_link_id) == ("dossier", body["dossier_link_id"])
    again = client.get(scanned)
    assert again.status_code == 410 and "Hồ sơ này đã được đánh giá" in again.text
    second = client.post(_path(body["url"]), data={"nonce": "another-form", "Q9": "1"})
    assert second.status_code == 410 and "Mỗi hồ sơ chỉ được đánh giá một lần" in second.text
    assert _responses() == 1


def test_double_tap_on_send_stores_one_answer(client, runner, province):
    path = _path(_ask(client, _token(runner)).json["url"])
    nonce = _nonce(client.get(path).text)
    assert client.post(path, data={"nonce": nonce, "Q9": "5"}).status_code == 302
    assert client.post(path, data={"nonce": nonce, "Q9": "5"}).status_code == 302
    assert _responses() == 1


def test_database_refuses_a_second_answer_for_a_dossier(client, runner, province):
    link = db.session.get(DossierLink, _ask(client, _token(runner)).json["dossier_link_id"])
    version = ensure_default()
    record(link.survey_point, version, Submission(nonce="a", answers={"Q9": 5}, dossier_link_id=link.id))
    with pytest.raises(IntegrityError):
        record(link.survey_point, version, Submission(nonce="b", answers={"Q9": 5}, dossier_link_id=link.id))


def test_expired_link_is_refused_with_a_clear_message(app, client, runner, province):
    app.config["DOSSIER_LINK_DAYS"] = 0
    try:
        body = _ask(client, _token(runner)).json
    finally:
        app.config["DOSSIER_LINK_DAYS"] = 30
    assert body["expires_at"] <= utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")
    page = client.get(_path(body["url"]))
    assert page.status_code == 410 and "Đường dẫn đánh giá đã hết hạn" in page.text
    posted = client.post(_path(body["url"]), data={"nonce": "late", "Q9": "5"})
    assert posted.status_code == 410 and _responses() == 0


def test_link_opens_are_counted_as_scans_of_the_point(client, runner, province):
    body = _ask(client, _token(runner)).json
    client.get(_path(body["url"]))
    link = db.session.get(DossierLink, body["dossier_link_id"])
    today = today_in_vietnam()
    assert daily_scans(link.survey_point_id, today, today) == {today: 1}


def test_link_reuses_the_agency_point_for_the_procedure(client, runner, province):
    body = _ask(client, _token(runner)).json
    assert db.session.get(DossierLink, body["dossier_link_id"]).survey_point_id == province.point_a.id
    marriage = _ask(client, _token(runner), dossier="X-2", procedure="1.000894").json
    point = db.session.get(DossierLink, marriage["dossier_link_id"]).survey_point
    assert (point.agency.code, point.procedure.code, point.counter) == (
        "T01-XA",
        "1.000894",
        "Giấy tiếp nhận hồ sơ",
    )


def test_authentication_and_scope(client, runner, province):
    no_header = client.post("/api/v1/dossier-links", json={})
    assert no_header.status_code == 401
    commune_token = _token(runner, agency="T01-XA")
    outside = _ask(client, commune_token, agency="T01-XB")
    assert outside.status_code == 404 and "T01-XB" in outside.json["message"]
    runner.invoke(args=["api-token", "revoke", "1"])
    assert _ask(client, commune_token).status_code == 401


def test_bad_requests_get_clear_json_errors(client, runner, province):
    token = _token(runner)
    headers = {"Authorization": f"Bearer {token}"}
    not_json = client.post("/api/v1/dossier-links", data="x", headers=headers)
    assert not_json.status_code == 400 and "JSON" in not_json.json["message"]
    missing = _ask(client, token, dossier="")
    assert (
        missing.status_code == 400 and missing.json["message"] == "Thiếu trường dossier_code (chuỗi ký tự)."
    )
    nul = _ask(client, token, agency="\x00")  # PostgreSQL refuses NUL in text
    assert nul.status_code == 400 and "NUL" in nul.json["message"]
    unknown = _ask(client, token, procedure="9.999999")
    assert unknown.status_code == 404 and unknown.json["message"] == "Không tìm thấy thủ tục 9.999999."
    _ask(client, token)
    conflict = _ask(client, token, procedure="1.000894")
    assert conflict.status_code == 409 and "thủ tục khác" in conflict.json["message"]


def test_unknown_link_is_404(client, province):
    assert client.get("/d/ZZZZZZZZZZZZZZ").status_code == 404
    assert client.get("/qr/d/ZZZZZZZZZZZZZZ.png").status_code == 404


def test_openapi_documents_the_endpoint(client):
    with client.get("/api/v1/openapi.json") as response:
        spec = response.json
    operation = spec["paths"]["/dossier-links"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert schema["required"] == ["dossier_code", "procedure_code", "agency_code"]
    answer = spec["components"]["schemas"]["DossierLink"]["properties"]
    assert {"url", "qr_png", "qr_svg", "expires_at", "dossier_link_id"} <= set(answer)


def test_the_dossier_index_holds_only_answers_with_a_dossier(app):
    """Unique (above) and partial: the submits by QR code, nearly all of them,
    write no entry into it (migration 5e0f3c7a9b21)."""
    if db.engine.dialect.name == "postgresql":
        definition = db.session.scalar(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_responses_dossier_link_id'")
        )
    else:
        definition = db.session.scalar(
            text("SELECT sql FROM sqlite_master WHERE name = 'ix_responses_dossier_link_id'")
        )
    assert "UNIQUE" in definition.upper()
    assert re.search(r"WHERE \(?dossier_link_id IS NOT NULL\)?$", definition), definition


def test_a_repeated_send_on_a_dossier_link_shows_the_same_thank_you_page(client, runner, province):
    """A double tap whose second request is the one the phone shows: the same thank-you
    page as the first, with its token, so a low answer still gets the contact invitation."""
    path = _path(_ask(client, _token(runner)).json["url"])
    nonce = _nonce(client.get(path).text)
    first = client.post(path, data={"nonce": nonce, "Q9": "1"})
    second = client.post(path, data={"nonce": nonce, "Q9": "1"})
    assert first.status_code == second.status_code == 302
    assert "t=" in second.headers["Location"]
    assert "lien-he" in client.get(second.headers["Location"]).text
    assert _responses() == 1


def test_a_stale_session_on_a_dossier_link_keeps_the_answers(app, client, runner, province, monkeypatch):
    """A phone that restored the tab without its cookies: the form comes back with the
    "session expired" message and every answer, as on the survey's own address."""
    path = _path(_ask(client, _token(runner)).json["url"])
    nonce = _nonce(client.get(path).text)
    client.delete_cookie("session")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = client.post(path, data={"nonce": nonce, "Q9": "2", "Q10": "Chờ lâu", "csrf_token": "stale"})
    assert page.status_code == 422
    assert "Phiên trả lời đã hết hạn" in page.text and "Chờ lâu" in page.text
    assert re.search(r'<input checked id="Q9-1" name="Q9"[^>]* value="2">', page.text)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    again = client.post(path, data={"nonce": nonce, "Q9": "2", "Q10": "Chờ lâu", "csrf_token": token})
    assert again.status_code == 302 and _responses() == 1

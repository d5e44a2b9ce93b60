"""Evidence packs on the web: made in the background, scoped by agency and
period, every download logged, and a page that verifies an uploaded pack."""

import hashlib
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from survey.evidence import jobs
from survey.extensions import db
from survey.models import EvidenceDownload, EvidenceJob
from tests import factories
from tests.evidence_helpers import members, populate, rewrite, scope_for, sealed_now


@pytest.fixture
def world(province, app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "packs"))
    populate(province)
    sealed_now(app, monkeypatch)
    scope = scope_for(province.root)
    auditor = factories.user("kiemtra@t01.vn", "auditor")
    auditor.scope_from, auditor.scope_to = scope.date_from - timedelta(days=365), scope.date_to
    db.session.commit()
    return scope, auditor


def form_data(scope, code="T01", **extra):
    return {
        "agency": code,
        "subtree": "y",
        "date_from": f"{scope.date_from:%d/%m/%Y}",
        "date_to": f"{scope.date_to:%d/%m/%Y}",
        **extra,
    }


def make_pack(client, scope, code="T01") -> EvidenceJob:
    response = client.post("/evidence/", data=form_data(scope, code))
    assert response.status_code == 302, response.get_data(as_text=True)
    job_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    jobs.wait(job_id)
    db.session.expire_all()
    return db.session.get(EvidenceJob, job_id)


def test_auditor_makes_a_pack_in_the_background_and_each_download_is_logged(world, login, client):
    scope, auditor = world
    login(auditor)
    job = make_pack(client, scope)
    assert job.status == "done" and job.requested_by_id == auditor.id
    page = client.get(f"/evidence/packs/{job.id}").get_data(as_text=True)
    assert "Xong" in page and job.sha256 in page and job.seal_root in page
    with client.get(f"/evidence/packs/{job.id}/download") as first:
        assert first.status_code == 200 and first.headers["Content-Disposition"].startswith("attachment")
        assert hashlib.sha256(first.data).hexdigest() == job.sha256
    client.get(f"/evidence/packs/{job.id}/download").close()
    logged = list(db.session.scalars(select(EvidenceDownload)))
    assert len(logged) == 2
    assert {(d.user_id, d.job_id, d.sha256) for d in logged} == {(auditor.id, job.id, job.sha256)}
    listing = client.get("/evidence/").get_data(as_text=True)
    assert f"#{job.id}" in listing


def test_auditor_cannot_ask_outside_their_period(world, login, client):
    scope, auditor = world
    login(auditor)
    data = form_data(scope)
    data["date_to"] = f"{scope.date_to + timedelta(days=1):%d/%m/%Y}"
    page = client.post("/evidence/", data=data).get_data(as_text=True)
    assert "nằm ngoài phạm vi được phép" in page
    assert db.session.scalar(select(EvidenceJob.id)) is None


def test_typed_bad_date_is_explained_and_kept(world, login, client):
    scope, auditor = world
    login(auditor)
    page = client.post("/evidence/", data=form_data(scope, date_from="31/02/2026")).get_data(as_text=True)
    assert "Ngày không hợp lệ, cần dạng ngày/tháng/năm" in page and 'value="31/02/2026"' in page


def test_dates_outside_the_supported_years_are_refused_before_any_pack(world, login, client):
    scope, auditor = world
    auditor.scope_from = auditor.scope_to = None  # nothing else limits the period
    db.session.commit()
    login(auditor)
    data = form_data(scope, date_from="01/01/0001", date_to="31/12/0001")
    page = client.post("/evidence/", data=data).get_data(as_text=True)
    assert "Ngày ngoài khoảng cho phép: năm từ 1901 đến 2199." in page and 'value="01/01/0001"' in page
    assert db.session.scalar(select(EvidenceJob.id)) is None


def test_page_past_the_end_of_the_pack_list_shows_the_last_page(world, login, client):
    scope, auditor = world
    login(auditor)
    job = make_pack(client, scope)
    page = client.get("/evidence/?page=99999999999999999999")
    assert page.status_code == 200 and f"#{job.id}" in page.get_data(as_text=True)


def test_heads_see_only_their_subtree_and_staff_none(world, login, client, province):
    scope, auditor = world
    login(auditor)
    job = make_pack(client, scope)
    client.post("/logout")
    head = factories.user("lanhdao@xa.vn", "head", province.commune_a)
    login(head)
    assert client.get(f"/evidence/packs/{job.id}").status_code == 404
    assert client.get(f"/evidence/packs/{job.id}/download").status_code == 404
    page = client.get("/evidence/").get_data(as_text=True)
    assert "T01-XA" in page and 'value="T01"' not in page
    refused = client.post("/evidence/", data=form_data(scope, "T01"))
    assert refused.status_code == 200 and db.session.scalar(select(db.func.count(EvidenceJob.id))) == 1
    client.post("/logout")
    login(factories.user("canbo@xa.vn", "staff", province.commune_a))
    assert client.get("/evidence/").status_code == 403
    assert db.session.scalar(select(db.func.count(EvidenceDownload.id))) == 0


def test_verify_page_checks_an_uploaded_pack(world, login, client, tmp_path):
    scope, auditor = world
    login(auditor)
    job = make_pack(client, scope)
    with open(job.file_path, "rb") as fh:
        original = fh.read()
    good = client.post("/evidence/verify", data={"pack": (io.BytesIO(original), "pack.zip")})
    assert "Gói nguyên vẹn" in good.get_data(as_text=True)
    copy = tmp_path / "tampered.zip"
    copy.write_bytes(original)
    rewrite(str(copy), "data/responses.csv", lambda data: data.replace(b",5,", b",4,", 1))
    bad = client.post("/evidence/verify", data={"pack": (io.BytesIO(copy.read_bytes()), "x.zip")})
    text = bad.get_data(as_text=True)
    assert "Gói không còn nguyên vẹn" in text and "Tệp data/responses.csv đã bị thay đổi" in text
    empty = client.post("/evidence/verify", data={})
    assert "Vui lòng chọn tệp ZIP." in empty.get_data(as_text=True)


def test_download_log_is_for_the_committee(world, login, client):
    scope, auditor = world
    login(auditor)
    job = make_pack(client, scope)
    client.get(f"/evidence/packs/{job.id}/download").close()
    assert client.get("/evidence/downloads").status_code == 403
    client.post("/logout")
    login(factories.user("bcd@t01.vn", "committee"))
    page = client.get("/evidence/downloads").get_data(as_text=True)
    assert "kiemtra@t01.vn" in page and f"#{job.id}" in page


def test_cli_packs_are_listed_too(runner, world, tmp_path):
    scope, _ = world
    out = str(tmp_path / "cli.zip")
    result = runner.invoke(
        args=[
            "evidence-pack",
            "--agency",
            "T01",
            "--from",
            scope.date_from.isoformat(),
            "--to",
            scope.date_to.isoformat(),
            "--output",
            out,
        ]
    )
    assert result.exit_code == 0, result.output
    job = db.session.scalar(select(EvidenceJob))
    assert job.requested_by_id is None and job.status == "done" and job.file_path == out
    assert members(out)["manifest.json"]

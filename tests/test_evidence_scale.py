"""A pack at scale: raw rows split over XLSX sheets (never truncated), the
integrity facts checked in the one data pass, and pack jobs whose worker
died marked failed instead of "running" forever."""

import io
import json
import socket
import subprocess
import sys
from datetime import timedelta

import openpyxl
import pytest
from flask_babel import refresh
from sqlalchemy import func, select, text

from survey.evidence import jobs
from survey.evidence.pack import build_pack
from survey.extensions import db
from survey.integrity.sealer import latest_seal
from survey.integrity.verify import verify
from survey.models import EvidenceJob, Response, SealedLeaf
from survey.models.types import utcnow
from tests import factories
from tests.evidence_helpers import members, populate, scope_for, sealed_now


def test_raw_rows_beyond_the_sheet_limit_go_on_numbered_sheets(province, app, monkeypatch, tmp_path):
    data = populate(province)  # 37 responses
    sealed_now(app, monkeypatch)
    monkeypatch.setitem(app.config, "EVIDENCE_XLSX_SHEET_ROWS", 10)
    content = members(build_pack(scope_for(province.root), str(tmp_path / "p.zip")).path)
    book = openpyxl.load_workbook(io.BytesIO(content["data/responses.xlsx"]))
    raw = [f"Dữ liệu gốc {i}" for i in (1, 2, 3, 4)]
    assert book.sheetnames[-4:] == raw
    ids = []
    for title in raw:
        rows = list(book[title].iter_rows(values_only=True))
        assert rows[0][0] == "response_id" and len(rows) <= 11
        ids += [row[0] for row in rows[1:]]
    every = sorted(r.id for r in [*data.responses, data.excluded])
    assert ids == every  # all 37, in order, none dropped
    overview = dict(row[:2] for row in book["Tổng hợp"].iter_rows(values_only=True))
    assert "chia thành 4 trang tính" in overview["Dữ liệu gốc"]
    assert "tối đa 10 phiếu" in overview["Dữ liệu gốc"]
    assert "chia thành 4 trang tính" in content["VERIFY.txt"].decode()
    manifest = json.loads(content["manifest.json"])
    assert manifest["xlsx_raw_sheets"] == {"raw_sheets": raw, "rows_per_sheet": 10}


def test_one_sheet_when_the_rows_fit(province, app, monkeypatch, tmp_path):
    populate(province)
    sealed_now(app, monkeypatch)
    content = members(build_pack(scope_for(province.root), str(tmp_path / "p.zip")).path)
    book = openpyxl.load_workbook(io.BytesIO(content["data/responses.xlsx"]))
    assert book.sheetnames[-1] == "Dữ liệu gốc" and len(list(book["Dữ liệu gốc"].rows)) == 38


def test_deleted_and_inserted_responses_are_stated_in_the_pack(province, app, monkeypatch, tmp_path):
    data = populate(province)
    sealed_now(app, monkeypatch)
    gone, stamp = data.responses[3].id, data.responses[0].submitted_at
    db.session.execute(text("DELETE FROM answers WHERE response_id = :id"), {"id": gone})
    db.session.execute(text("DELETE FROM responses WHERE id = :id"), {"id": gone})
    sneaked = factories.answer(province.point_a, overall=5).id
    # Stamped before the seal's cutoff: the sealer would have taken it.
    db.session.execute(
        text("UPDATE responses SET submitted_at = :t WHERE id = :id"), {"t": stamp, "id": sneaked}
    )
    db.session.commit()
    manifest = json.loads(
        members(build_pack(scope_for(province.root), str(tmp_path / "p.zip")).path)["manifest.json"]
    )
    problems = "\n".join(manifest["integrity_check"]["problems"])
    assert manifest["integrity_check"]["ok"] is False
    assert f"phiếu id {gone} không còn trong cơ sở dữ liệu" in problems
    assert f"Phiếu id {sneaked}" in problems and "được chèn thêm sau khi niêm phong" in problems


def test_recent_responses_not_yet_sealed_are_counted_not_flagged(province, app, monkeypatch, tmp_path):
    populate(province)
    sealed_now(app, monkeypatch)
    monkeypatch.setitem(app.config, "INTEGRITY_SETTLE_SECONDS", 3600)
    factories.answer(province.point_a, overall=4)  # after the cutoff: the next seal takes it
    manifest = json.loads(
        members(build_pack(scope_for(province.root), str(tmp_path / "p.zip")).path)["manifest.json"]
    )
    assert manifest["integrity_check"]["ok"] is True
    assert manifest["counts"]["not_yet_sealed"] == 1 and manifest["counts"]["sealed"] == 37


def _job(province, **fields) -> EvidenceJob:
    scope = scope_for(province.root)
    job = EvidenceJob(agency_id=province.root.id, date_from=scope.date_from, date_to=scope.date_to, **fields)
    db.session.add(job)
    db.session.commit()
    return job


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.fixture
def committee(login):
    login(factories.user("iso@tinh.vn", "committee"))


def test_job_whose_worker_died_is_marked_failed_on_the_next_visit(province, client, committee):
    host = socket.gethostname()
    dead = _job(
        province, status="running", worker=f"{host}:{_dead_pid()}", heartbeat_at=utcnow(), rows_total=50
    )
    page = client.get(f"/evidence/packs/{dead.id}").get_data(as_text=True)
    assert "Bị gián đoạn" in page and "Đang tạo" not in page and 'http-equiv="refresh"' not in page
    db.session.expire_all()
    assert db.session.get(EvidenceJob, dead.id).status == "failed"
    refresh()  # the test's shared app context caches the locale; a server has one per request
    english = client.get(f"/evidence/packs/{dead.id}?lang=en").get_data(as_text=True)
    refresh()
    assert "Interrupted: the process making the pack stopped part-way." in english


def test_a_failed_pack_says_so_without_the_exception_text(province, client, committee, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("SELECT comment FROM responses -- internal detail")

    monkeypatch.setattr(jobs, "build_pack", broken)
    job = _job(province, status="queued")
    assert jobs.run(job.id).status == "failed"
    page = client.get(f"/evidence/packs/{job.id}").get_data(as_text=True)
    assert "Không tạo được tệp. Vui lòng thử lại hoặc báo quản trị hệ thống." in page
    assert "RuntimeError" in page and "SELECT comment" not in page


def test_stalled_heartbeat_fails_a_job_of_another_machine_but_a_live_one_runs_on(
    province, app, client, committee
):
    old = utcnow() - timedelta(seconds=app.config["EVIDENCE_JOB_STALL_SECONDS"] + 60)
    stalled = _job(province, status="running", worker="other-host:1", heartbeat_at=old)
    queued = _job(province, status="queued", created_at=old)
    live = _job(province, status="running", worker="other-host:2", heartbeat_at=utcnow())
    mine = _job(province, status="running", worker=f"{socket.gethostname()}:1", heartbeat_at=utcnow())
    assert client.get("/evidence/").status_code == 200
    db.session.expire_all()
    status = {j: db.session.get(EvidenceJob, j.id).status for j in (stalled, queued, live, mine)}
    assert status[stalled] == "failed" and status[queued] == "failed"
    assert status[live] == "running"
    assert status[mine] == "running"  # pid 1 is alive: its heartbeat decides


def test_a_job_being_made_here_is_never_failed(province, app, monkeypatch):
    job = _job(province, status="running", worker=jobs.worker_name(), heartbeat_at=utcnow())
    monkeypatch.setitem(jobs._threads, job.id, object())  # noqa: SLF001 - a live thread of this process
    assert jobs.fail_abandoned() == 0
    monkeypatch.delitem(jobs._threads, job.id)  # noqa: SLF001
    assert jobs.fail_abandoned() == 1  # same process, no thread: it ended without finishing


def test_the_demo_is_sealed_once_loaded(runner):
    result = runner.invoke(args=["seed-demo", "--days", "3"])
    assert result.exit_code == 0, result.output
    assert "Niêm phong #1:" in result.output
    last = latest_seal()
    sealed = db.session.scalar(select(func.count()).select_from(SealedLeaf))
    settled = db.session.scalar(select(func.count(Response.id)).where(Response.submitted_at < last.cutoff))
    assert sealed >= settled > 0  # every settled demo answer is in the log
    assert verify().ok


def test_verify_integrity_reports_unsealed_answers_as_waiting_not_broken(runner, province, app, monkeypatch):
    populate(province)
    sealed_now(app, monkeypatch)
    factories.answer(province.point_a, overall=2)
    factories.answer(province.point_b, overall=5)
    result = runner.invoke(args=["verify-integrity"])
    assert result.exit_code == 0, result.output
    assert "Chưa niêm phong: 2 phiếu" in result.output and "không phải lỗi" in result.output

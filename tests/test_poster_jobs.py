"""Batch posters from the admin UI: a background job, scope-checked, downloadable."""

import os
import socket
import subprocess
import sys
from datetime import timedelta

import pytest

from survey.extensions import db
from survey.models import PosterJob
from survey.models.types import utcnow
from survey.posters import jobs
from tests import factories
from tests.qrdecode import decode_pdf, pdf_text, words


def _urls(*points):
    return sorted(f"HTTPS://HAILONG.EXAMPLE.VN/S/{p.code}" for p in points)


def _start(client, agency, layout="a4", subtree=False, **extra):
    data = {"agency": agency, "layout": layout, "hotline": "0205 3812 345", **extra}
    if subtree:
        data["subtree"] = "y"
    response = client.post("/posters/", data=data)
    if response.status_code != 302:
        return response, None
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    jobs.wait(job_id)
    return response, job_id


def _download(client, job_id) -> bytes:
    with client.get(f"/posters/jobs/{job_id}.pdf") as response:  # send_file: close the file
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        return response.get_data()


@pytest.fixture
def poster_dir(app, tmp_path):
    before = app.config["POSTER_DIR"]
    app.config["POSTER_DIR"] = str(tmp_path)
    yield tmp_path
    app.config["POSTER_DIR"] = before


def test_head_prints_the_agency_posters_in_the_background(client, login, province, poster_dir):
    head = factories.user("head@xa.vn", "head", province.commune_a)
    login(head)
    form = client.get("/posters/").text
    assert 'value="T01-XA"' in form and 'value="T01-XB"' not in form  # only their scope is offered
    _response, job_id = _start(client, "T01-XA")
    page = client.get(f"/posters/jobs/{job_id}").text
    assert "Đã xong: 2 áp phích." in page and 'http-equiv="refresh"' not in page
    pdf = _download(client, job_id)
    assert sorted(u for page in decode_pdf(pdf) for u in page) == _urls(
        province.point_a, province.point_a_agency
    )
    assert "Đường dây nóng / Hotline: 0205 3812 345" in words(pdf_text(pdf))
    assert f"posters/jobs/{job_id}.pdf" in client.get("/posters/").text


def test_subtree_sheet_for_the_province(client, login, province, poster_dir):
    login(factories.user("admin@t.vn", "admin"))
    _response, job_id = _start(client, "T01", layout="sheet", subtree=True)
    job = db.session.get(PosterJob, job_id)
    assert (job.status, job.points, job.done) == ("done", 3, 3)
    pdf = _download(client, job_id)
    assert decode_pdf(pdf, dpi=200) == [_urls(province.point_a, province.point_a_agency, province.point_b)]


def test_other_agencies_jobs_are_invisible(client, login, province, poster_dir):
    login(factories.user("admin@t.vn", "admin"))
    _response, job_id = _start(client, "T01-XB")
    client.post("/logout")
    login(factories.user("head@xa.vn", "head", province.commune_a))
    assert client.get(f"/posters/jobs/{job_id}").status_code == 404
    assert client.get(f"/posters/jobs/{job_id}.pdf").status_code == 404
    assert f"/posters/jobs/{job_id}" not in client.get("/posters/").text
    refused, no_job = _start(client, "T01-XB")
    assert no_job is None and refused.status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(PosterJob)) == 1


def test_auditor_reads_but_does_not_print(client, login, province, poster_dir):
    login(factories.user("audit@t.vn", "auditor"))
    assert "Tạo tệp PDF" not in client.get("/posters/").text
    assert client.post("/posters/", data={"agency": "T01", "layout": "a4"}).status_code == 403


def test_agency_without_points_fails_with_a_clear_message(client, login, province, poster_dir):
    login(factories.user("admin@t.vn", "admin"))
    _response, job_id = _start(client, "T01-STP")
    page = client.get(f"/posters/jobs/{job_id}").text
    assert "không có điểm khảo sát đang dùng" in page
    assert client.get(f"/posters/jobs/{job_id}.pdf").status_code == 404


def test_one_points_poster_from_the_console(client, login, province):
    login(factories.user("head@xa.vn", "head", province.commune_a))
    response = client.get(f"/posters/point/{province.point_a.code}.pdf?layout=a5")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert decode_pdf(response.data) == [_urls(province.point_a)]
    assert "Thủ tục đăng ký khai sinh" in words(pdf_text(response.data))
    assert client.get(f"/posters/point/{province.point_b.code}.pdf").status_code == 404
    assert client.get(f"/posters/point/{province.point_a.code}.pdf?layout=a0").status_code == 400
    point_page = client.get(f"/admin/survey-points/{province.point_a.code}").text
    assert f"/posters/point/{province.point_a.code}.pdf" in point_page


def test_retired_point_gets_no_poster(client, runner, login, province):
    runner.invoke(args=["survey-points", "retire", province.point_a.code])
    login(factories.user("admin@t.vn", "admin"))
    refused = client.get(f"/posters/point/{province.point_a.code}.pdf")
    assert refused.status_code == 409 and "điểm thay thế" in refused.text


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _job(agency, **columns) -> PosterJob:
    job = PosterJob(agency=agency, layout="a4", status="running", points=12, done=3, **columns)
    db.session.add(job)
    db.session.commit()
    return job


def test_a_job_whose_worker_died_says_interrupted_not_running(app, client, login, province):
    """Killed, restarted or stalled workers leave no job "running" for ever (job_liveness.py)."""
    login(factories.user("admin@t.vn", "admin"))
    old = utcnow() - timedelta(seconds=app.config["POSTER_JOB_STALL_SECONDS"] + 60)
    dead = _job(province.commune_a, worker=f"{socket.gethostname()}:{_dead_pid()}", heartbeat_at=utcnow())
    stalled = _job(province.commune_a, worker="other-host:7", heartbeat_at=old)
    live = _job(province.commune_a, worker="other-host:8", heartbeat_at=utcnow())
    page = client.get(f"/posters/jobs/{dead.id}").text
    assert "Việc tạo tệp đã bị gián đoạn" in page and 'http-equiv="refresh"' not in page
    assert "Bị gián đoạn" in client.get("/posters/").text
    live_page = client.get(f"/posters/jobs/{live.id}").text
    assert "Đang tạo: 3/12 áp phích." in live_page and 'http-equiv="refresh"' in live_page
    db.session.expire_all()
    status = {job.id: (job.status, job.error) for job in db.session.scalars(db.select(PosterJob))}
    assert status[dead.id] == status[stalled.id] == ("failed", "abandoned")
    assert status[live.id] == ("running", None)


def test_a_finished_job_keeps_its_worker_and_last_heartbeat(client, login, province, poster_dir):
    login(factories.user("admin@t.vn", "admin"))
    _response, job_id = _start(client, "T01-XA")
    job = db.session.get(PosterJob, job_id)
    assert job.status == "done" and job.worker.endswith(f":{os.getpid()}") and job.heartbeat_at is not None

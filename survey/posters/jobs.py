"""Batch poster jobs from the admin UI: hundreds of pages are a background job,
never work inside a request (perf-baselines: ~0.1-0.3 s per poster).

A thread per job, with its own app context and session; progress is written
to the poster_jobs row so any worker process can show it. The row names its
worker and beats with the progress: a job whose worker died or stalled for
POSTER_JOB_STALL_SECONDS is marked failed ("abandoned") by the next worker that
shows or starts posters (fail_abandoned, job_liveness.py).
"""

import logging
import os
import threading
from datetime import datetime

from flask import Flask, current_app
from sqlalchemy import update

from survey import job_liveness
from survey.extensions import db
from survey.job_liveness import worker_name
from survey.models import Agency, PosterJob, User
from survey.models.poster_job import JOB_DONE, JOB_FAILED, JOB_QUEUED, JOB_RUNNING
from survey.models.types import utcnow
from survey.posters.service import build_pdf, points_for

log = logging.getLogger(__name__)
PROGRESS_EVERY = 10  # points between progress commits
_threads: dict[int, threading.Thread] = {}


class NothingToPrint(Exception):
    """The agency (or subtree) has no active survey point."""


def create(user: User, agency: Agency, subtree: bool, layout: str, hotline: str) -> PosterJob:
    job = PosterJob(
        agency=agency,
        subtree=subtree,
        layout=layout,
        hotline=hotline or "",
        requested_by=user,
        status=JOB_QUEUED,
    )
    db.session.add(job)
    db.session.commit()
    return job


def file_path(job: PosterJob) -> str:
    return os.path.join(current_app.config["POSTER_DIR"], job.file_name)


def start(job: PosterJob, with_logo: bool = False) -> threading.Thread:
    fail_abandoned()
    job.worker, job.heartbeat_at = worker_name(), utcnow()
    db.session.commit()
    app = current_app._get_current_object()  # noqa: SLF001 - the thread needs the real app
    thread = threading.Thread(
        target=_run_in_app, args=(app, job.id, with_logo), name=f"posters-{job.id}", daemon=True
    )
    _threads[job.id] = thread
    thread.start()
    return thread


def wait(job_id: int, timeout: float = 300) -> None:
    """For tests: block until the job's thread ends."""
    thread = _threads.get(job_id)
    if thread is not None:
        thread.join(timeout)


def _run_in_app(app: Flask, job_id: int, with_logo: bool) -> None:
    with app.app_context():
        try:
            run(job_id, with_logo)
        finally:
            db.session.remove()
            _threads.pop(job_id, None)


def run(job_id: int, with_logo: bool = False) -> PosterJob:
    job = db.session.get(PosterJob, job_id)
    points = points_for(job.agency, job.subtree)
    job.status, job.points = JOB_RUNNING, len(points)
    job.worker, job.heartbeat_at = worker_name(), utcnow()
    db.session.commit()
    try:
        if not points:
            raise NothingToPrint
        data = build_pdf(points, job.layout, job.hotline, with_logo, _progress(job_id))
        os.makedirs(current_app.config["POSTER_DIR"], exist_ok=True)
        with open(file_path(job), "wb") as handle:
            handle.write(data)
    except Exception as exc:  # noqa: BLE001 - any failure is shown on the job page
        return _fail(job_id, exc)
    job = db.session.get(PosterJob, job_id)
    job.status, job.done, job.finished_at = JOB_DONE, job.points, utcnow()
    db.session.commit()
    return job


def _fail(job_id: int, exc: Exception) -> PosterJob:
    if not isinstance(exc, NothingToPrint):
        log.exception("poster job %s failed", job_id)
    db.session.rollback()
    job = db.session.get(PosterJob, job_id)
    job.status, job.finished_at = JOB_FAILED, utcnow()
    job.error = "no_points" if isinstance(exc, NothingToPrint) else type(exc).__name__[:500]
    db.session.commit()
    return job


def _progress(job_id: int):
    done = {"n": 0}

    def advance(n: int) -> None:
        done["n"] += n
        if done["n"] % PROGRESS_EVERY == 0:
            # Its own short transaction: committing the session would expire
            # every point being drawn and reload them one by one.
            with db.engine.begin() as connection:
                beat = {"done": done["n"], "heartbeat_at": utcnow()}
                connection.execute(update(PosterJob).where(PosterJob.id == job_id).values(beat))

    return advance


def fail_abandoned(now: datetime | None = None) -> int:
    """Mark failed the poster jobs that nobody is making any more."""
    failed = job_liveness.fail_abandoned(
        PosterJob, _threads, current_app.config["POSTER_JOB_STALL_SECONDS"], now
    )
    if failed:
        log.warning("posters: %d job(s) lost their worker, marked failed", failed)
    return failed

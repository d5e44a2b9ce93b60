"""Running a pack in the background so the web worker answers at once.

A thread per job, with its own app context and session; progress is written
to the job row after every batch of rows, so any worker can show it. The row
also names its worker ("host:pid") and beats on every step: a job whose
worker is gone (a restart, a recycled or killed worker) or whose heartbeat
stalled for EVIDENCE_JOB_STALL_SECONDS is marked failed by the next worker
that shows or starts a pack (fail_abandoned, job_liveness.py), never left "running".
"""

import logging
import os
import threading
from datetime import datetime
from functools import partial

from flask import Flask, current_app

from survey import job_liveness
from survey.evidence.pack import build_pack
from survey.evidence.scope import EvidenceScope
from survey.extensions import db
from survey.job_liveness import worker_name
from survey.models import EvidenceJob
from survey.models.evidence import JOB_DONE, JOB_FAILED, JOB_RUNNING
from survey.models.types import utcnow
from survey.summaries import summarise

log = logging.getLogger(__name__)
_threads: dict[int, threading.Thread] = {}


def scope_of(job: EvidenceJob) -> EvidenceScope:
    return EvidenceScope(job.agency, job.subtree, job.date_from, job.date_to)


def pack_path(job: EvidenceJob) -> str:
    folder = current_app.config["EVIDENCE_DIR"]
    os.makedirs(folder, exist_ok=True)
    return os.path.join(
        folder, f"evidence-{job.id}-{job.agency.code}-{job.date_from:%Y%m%d}-{job.date_to:%Y%m%d}.zip"
    )


def start(job: EvidenceJob) -> threading.Thread:
    fail_abandoned()
    job.worker, job.heartbeat_at = worker_name(), utcnow()
    db.session.commit()
    app = current_app._get_current_object()  # noqa: SLF001 - the thread needs the real app
    thread = threading.Thread(target=_run_in_app, args=(app, job.id), name=f"evidence-{job.id}", daemon=True)
    _threads[job.id] = thread
    thread.start()
    return thread


def wait(job_id: int, timeout: float = 120) -> None:
    """For tests and the CLI: block until the job's thread ends."""
    thread = _threads.get(job_id)
    if thread is not None:
        thread.join(timeout)


def _run_in_app(app: Flask, job_id: int) -> None:
    with app.app_context():
        try:
            run(job_id)
        finally:
            db.session.remove()
            _threads.pop(job_id, None)


def run(job_id: int) -> EvidenceJob:
    job = db.session.get(EvidenceJob, job_id)
    scope = scope_of(job)
    job.status, job.rows_total = JOB_RUNNING, summarise(scope.agency_ids, scope.period).responses
    job.worker, job.heartbeat_at = worker_name(), utcnow()
    db.session.commit()
    try:
        progress = partial(_advance, job_id)
        result = build_pack(scope, pack_path(job), progress=progress, lang=job.lang or "vi")
    except Exception as exc:  # noqa: BLE001 - any failure is shown on the job page
        log.exception("evidence pack %s failed", job_id)
        db.session.rollback()
        job = db.session.get(EvidenceJob, job_id)
        # The kind of failure only: an exception's message can quote SQL or a citizen's comment.
        job.status, job.error, job.finished_at = JOB_FAILED, type(exc).__name__[:500], utcnow()
        db.session.commit()
        return job
    job = db.session.get(EvidenceJob, job_id)
    finish(job, result)
    return job


def finish(job: EvidenceJob, result) -> None:
    job.status, job.finished_at, job.rows_done = JOB_DONE, utcnow(), job.rows_total
    job.file_path, job.sha256, job.size = result.path, result.sha256, result.size
    job.document_id = result.manifest["document_id"]
    job.seal_root = (result.manifest["seal"] or {}).get("root_hash")
    db.session.commit()


def _advance(job_id: int, stage: str, rows: int) -> None:
    """Every step is a heartbeat; data steps also move the progress bar."""
    job = db.session.get(EvidenceJob, job_id)
    job.heartbeat_at = utcnow()
    if stage == "data":
        job.rows_done += rows
    db.session.commit()


def fail_abandoned(now: datetime | None = None) -> int:
    """Mark failed the pack jobs that nobody is making any more."""
    failed = job_liveness.fail_abandoned(
        EvidenceJob, _threads, current_app.config["EVIDENCE_JOB_STALL_SECONDS"], now
    )
    if failed:
        log.warning("evidence: %d pack job(s) lost their worker, marked failed", failed)
    return failed

"""Telling a background job whose worker died from one still being made.

Evidence packs and poster batches run in a thread of the web worker that
started them and write their progress to their row. The row also names that
worker ("host:pid") and when the job last showed life. A job nobody is making
any more (its worker restarted, recycled or killed, or its heartbeat older
than the stall time) is marked failed by the next worker that shows or starts
such a job, never left "running" for ever.
"""

import os
import socket
from datetime import datetime, timedelta

from sqlalchemy import select

from survey.extensions import db
from survey.models.types import utcnow

# The states both kinds of job go through (models/evidence.py, models/poster_job.py).
WAITING, FAILED = ("queued", "running"), "failed"
ABANDONED = "abandoned"  # the error of a job whose worker is gone (pages explain it)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def fail_abandoned(model, threads: dict, stall_seconds: int, now: datetime | None = None) -> int:
    """Mark failed the queued or running jobs of `model` that nobody is making
    any more (`threads`: the jobs with a live thread in this process)."""
    now = now or utcnow()
    stalled_before = now - timedelta(seconds=stall_seconds)
    failed = 0
    for job in db.session.scalars(select(model).where(model.status.in_(WAITING))):
        if job.id not in threads and abandoned(
            job.worker, job.heartbeat_at or job.created_at, stalled_before
        ):
            job.status, job.error, job.finished_at = FAILED, ABANDONED, now
            failed += 1
    db.session.commit()
    return failed


def abandoned(worker: str | None, last_sign: datetime, stalled_before: datetime) -> bool:
    """For a queued or running job with no thread in this process: is it lost?"""
    if last_sign < stalled_before:
        return True
    host, _, pid = (worker or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's worker: only its heartbeat tells
    return int(pid) == os.getpid() or not _alive(int(pid))  # ours with no thread: it ended


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

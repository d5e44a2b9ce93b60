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
from datetime import datetime


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


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

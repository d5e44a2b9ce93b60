"""Scan counts gathered in the worker and written in batches.

Counting every page open with its own write made the form page wait for the
database writer (with SQLite, one writer for the whole site): about the cost
of a whole submit on every scan. Counts are kept per worker and written in
one transaction every SCAN_FLUSH_EVERY scans or SCAN_FLUSH_SECONDS seconds,
whichever comes first. The price: a worker that dies loses at most that many
unwritten scans (counts only, never answers). SCAN_FLUSH_EVERY=1 writes each
scan at once, as the test suite does.
"""

import threading
import time
from datetime import date

from survey.scans import count_scan, today_in_vietnam

_lock = threading.Lock()
_pending: dict[tuple[int, date], int] = {}
_oldest = {"at": 0.0}


def take_due(point_id: int, config) -> dict[tuple[int, date], int]:
    """Count one scan; the batch to write when one is due (then written by
    write_batch, in an app context), else an empty dict. Needs no app context,
    so the WSGI-level page (fast_form.py) only enters one to write."""
    with _lock:
        if not _pending:
            _oldest["at"] = time.monotonic()
        key = (point_id, today_in_vietnam())
        _pending[key] = _pending.get(key, 0) + 1
        due = (
            sum(_pending.values()) >= config["SCAN_FLUSH_EVERY"]
            or time.monotonic() - _oldest["at"] >= config["SCAN_FLUSH_SECONDS"]
        )
        batch = dict(_pending) if due else {}
        if due:
            _pending.clear()
    return batch


def write_batch(batch: dict[tuple[int, date], int]) -> None:
    try:
        for (point_id, day), count in sorted(batch.items()):
            count_scan(point_id, day, by=count, commit=False)
        from survey.extensions import db

        db.session.commit()
    except Exception:
        with _lock:  # put them back: the next flush tries again
            for key, count in batch.items():
                _pending[key] = _pending.get(key, 0) + count
        raise

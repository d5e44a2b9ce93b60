"""Citizens' submits write to an SQLite file one at a time, queued by the kernel.

SQLite lets one connection write at a time. The others get SQLITE_BUSY and
sleep in its busy handler (1, 2, 5, 10, 15, 20 ms... between tries) until
the lock is free, so under a burst of submits a waiting worker often sleeps
well past the moment the writer finished: that sleep is most of the
submit's p99 on SQLite. Before its short write transaction the submit takes
an exclusive flock on a file next to the database: waiters sleep in the
kernel and the next one wakes as soon as the lock is released. Other writers
(the console, the sealer, the view's path) still meet SQLite's own lock and
busy timeout; the flock only orders the submits among themselves.

A commit that finds the WAL past SQLite's autocheckpoint threshold (1,000
pages, about a hundred submits) copies it back into the database file on the
spot, fsyncs included, and under the flock every waiting submit would wait
for that too. So a submit's commit does not checkpoint: its connection's
autocheckpoint is off for the write and back on after it, and every
SQLITE_CHECKPOINT_EVERY submits of a worker a passive checkpoint runs after
the lock is released, while the next submit writes (measured in
docs/survey.md, Speed). Other writers (console, sealer, command line) keep
SQLite's autocheckpoint.
"""

import fcntl
import logging
import os
import threading
from contextlib import contextmanager
from functools import lru_cache

# Lock file -> this process's descriptor. A flock belongs to an open file
# description, which a fork shares: each worker opens its own after the fork.
_descriptors: dict[str, int] = {}
# Threads of one process share that descriptor, and so the flock: they queue here first.
_threads = threading.Lock()
SQLITE_AUTOCHECKPOINT_PAGES = 1000  # SQLite's default, restored after each submit
_since_checkpoint = 0  # this worker's submits since its last checkpoint

log = logging.getLogger(__name__)


def _after_fork_in_child() -> None:
    global _threads, _since_checkpoint
    _since_checkpoint = 0
    _descriptors.clear()  # the parent's descriptors stay open; never flocked from here
    _threads = threading.Lock()  # a fork taken mid-write copies it locked


os.register_at_fork(after_in_child=_after_fork_in_child)


@lru_cache(maxsize=8)
def lock_path(url) -> str | None:
    """The lock file of an SQLite database file (None for other engines and in-memory
    databases); worked out once per database, not on every submit."""
    database = url.database
    if (
        url.get_backend_name() != "sqlite"
        or not database
        or database == ":memory:"
        or database.startswith("file:")
    ):
        return None
    return os.path.abspath(database) + ".writer-lock"


@contextmanager
def one_writer(url, connection=None, checkpoint_every: int = 0):
    """The submit's write transaction, one worker at a time. Given the
    connection that writes, its commit leaves the WAL alone and, every
    `checkpoint_every` submits of this worker, checkpoints once the lock is free."""
    path = lock_path(url)
    if path is None:
        yield
        return
    if connection is not None:
        connection.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
    try:
        with _threads:
            descriptor = _descriptor(path)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        if connection is not None:
            _after_write(connection, checkpoint_every)


def _after_write(connection, checkpoint_every: int) -> None:
    """Autocheckpoint back on, and a checkpoint when this worker's turn has
    come. The answer is committed by now: a failure here is logged, never
    the citizen's problem."""
    global _since_checkpoint
    try:
        connection.exec_driver_sql(f"PRAGMA wal_autocheckpoint={SQLITE_AUTOCHECKPOINT_PAGES}")
        _since_checkpoint += 1
        if checkpoint_every and _since_checkpoint >= checkpoint_every:
            _since_checkpoint = 0
            checkpoint(connection)
    except Exception:
        log.warning("SQLite checkpoint after a submit failed", exc_info=True)


def checkpoint(connection) -> None:
    """Copy the WAL's committed pages into the database file without waiting
    for readers or writers (PASSIVE); what a reader still needs stays for the next one."""
    connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")


def _descriptor(path: str) -> int:
    descriptor = _descriptors.get(path)
    if descriptor is None:
        descriptor = _descriptors[path] = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    return descriptor

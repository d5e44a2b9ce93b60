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
"""

import fcntl
import os
import threading
from contextlib import contextmanager
from functools import lru_cache

# Lock file -> this process's descriptor. A flock belongs to an open file
# description, which a fork shares: each worker opens its own after the fork.
_descriptors: dict[str, int] = {}
# Threads of one process share that descriptor, and so the flock: they queue here first.
_threads = threading.Lock()


def _after_fork_in_child() -> None:
    global _threads
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
def one_writer(url):
    path = lock_path(url)
    if path is None:
        yield
        return
    with _threads:
        descriptor = _descriptor(path)
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)


def _descriptor(path: str) -> int:
    descriptor = _descriptors.get(path)
    if descriptor is None:
        descriptor = _descriptors[path] = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    return descriptor

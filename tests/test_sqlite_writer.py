"""Submits to an SQLite file take turns through a lock the kernel queues
(survey/sqlite_writer.py): one worker writes, the next one waits and wakes
when it is done, including workers forked from a master that already held
the lock file open (gunicorn --preload)."""

import multiprocessing
import time

from sqlalchemy.engine import make_url

from survey.sqlite_writer import lock_path, one_writer

HOLD_SECONDS = 0.4


def _acquire_and_report(url, queue) -> None:
    with one_writer(url):
        queue.put(time.monotonic())


def test_a_forked_worker_waits_while_another_writes(tmp_path):
    url = make_url(f"sqlite:///{tmp_path}/survey.sqlite3")
    forks = multiprocessing.get_context("fork")
    queue = forks.Queue()
    with one_writer(url):  # this process opened the lock file before forking, as a --preload master
        worker = forks.Process(target=_acquire_and_report, args=(url, queue))
        worker.start()
        time.sleep(HOLD_SECONDS)
        released = time.monotonic()
    acquired = queue.get(timeout=10)
    worker.join(timeout=10)
    assert acquired >= released  # it waited for the write to end, not a moment less


def test_the_lock_file_sits_beside_the_database_and_only_for_sqlite_files(tmp_path):
    assert (
        lock_path(make_url(f"sqlite:///{tmp_path}/survey.sqlite3"))
        == f"{tmp_path}/survey.sqlite3.writer-lock"
    )
    assert lock_path(make_url("sqlite://")) is None  # in memory: one process anyway
    assert lock_path(make_url("postgresql+psycopg://survey@/survey")) is None  # PostgreSQL needs no help

"""Fault tests: no answer lost or doubled when workers die or the database goes away.

A real gunicorn (deploy/gunicorn.conf.py) serves the test database on a free
loopback port while a few citizens submit continuously, each with a unique
nonce, retrying the same nonce when the connection breaks (as a citizen
pressing "Gửi" again would). Afterwards every acknowledged answer (HTTP 302
to the thank-you page) is looked up in the database.
"""

import random
import sqlite3
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from survey.extensions import db
from tests.faults import NONCE_PREFIX, Server, get_status, run_load, wait_for_acks
from tests.pgcluster import wait_ready


@pytest.fixture
def serve(database_url, tmp_path):
    servers = []

    def start(**env):
        servers.append(Server(database_url, tmp_path / "gunicorn.log", **env).start())
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def tally(ledger) -> dict:
    """Compare what the server acknowledged with what is stored."""
    try:
        db.session.rollback()  # read what the server committed, not a stale snapshot
    except OperationalError:
        # The test's own connection died with the database; it is invalidated
        # now, and the next statement gets a fresh one from the pool.
        db.session.remove()
    rows = db.session.execute(
        text(
            "SELECT r.nonce, COUNT(a.id) FROM responses r LEFT JOIN answers a ON a.response_id = r.id "
            "WHERE r.nonce LIKE :prefix GROUP BY r.id, r.nonce ORDER BY r.id"
        ),
        {"prefix": NONCE_PREFIX + "%"},
    ).all()
    nonces = [nonce for nonce, _ in rows]
    # Every citizen sends the same answers, so every whole sheet has as many
    # answer rows as the first one, stored before any fault was injected.
    whole = rows[0][1] if rows else 0
    return {
        "acknowledged": len(ledger.acknowledged),
        "stored": len(set(nonces)),
        "lost": len(ledger.acknowledged - set(nonces)),
        "duplicated": len(nonces) - len(set(nonces)),
        "answers_per_sheet": whole,
        "half_written": sum(1 for _, answers in rows if answers != whole),
        "stored_unacknowledged": len(set(nonces) - ledger.acknowledged),
    }


def report(capsys, label: str, figures: dict, ledger, extra: str = "") -> None:
    with capsys.disabled():
        print(
            f"\n[fault:{label}] acknowledged {figures['acknowledged']}, stored {figures['stored']}, "
            f"lost {figures['lost']}, duplicated {figures['duplicated']}, "
            f"half-written {figures['half_written']} "
            f"(stored before the reply was lost: {figures['stored_unacknowledged']}; {extra}; "
            f"replies {dict(ledger.statuses)})"
        )


def assert_nothing_lost(figures: dict, ledger) -> None:
    assert not ledger.unexpected, ledger.unexpected[:3]
    assert figures["acknowledged"] >= 5, figures  # the load really ran
    assert figures["answers_per_sheet"] > 0, figures
    assert figures["lost"] == 0 and figures["duplicated"] == 0 and figures["half_written"] == 0, figures


def test_killing_workers_loses_and_doubles_nothing(serve, province, db_engine_name, capsys):
    server = serve(workers=2)
    rng, kills = random.Random(9), []

    def killer(ledger):
        wait_for_acks(ledger, 3)
        for _ in range(10):
            kills.append(server.kill_a_worker(rng))
            time.sleep(0.6)
        wait_for_acks(ledger, 3, since=time.monotonic())  # served again after the last kill

    ledger = run_load(server.base, province.point_a.code, seconds=0, during=killer)
    figures = tally(ledger)
    report(capsys, f"worker-kill/{db_engine_name}", figures, ledger, f"SIGKILLed {sum(kills)} workers")
    assert sum(kills) >= 8
    assert ledger.statuses[None] > 0  # some requests really died with their worker
    assert_nothing_lost(figures, ledger)
    assert get_status(server.base + "/healthz") == 200


def _stop_database(db_engine_name, pg_cluster, database_url):
    """Make the database unusable; returns the function that brings it back."""
    if db_engine_name == "postgres":
        pg_cluster.pg_ctl("stop", "-m", "immediate", "-w")  # as a crash would

        def restart():
            pg_cluster.pg_ctl("start", "-w", "-t", "60", "-l", str(pg_cluster.root / "log"))
            wait_ready(pg_cluster)

        return restart
    # SQLite: a writer that holds the lock past every busy timeout (a stuck
    # maintenance job, a disk stall). Readers go on; no answer can be stored.
    holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")

    def release():
        holder.execute("ROLLBACK")
        holder.close()

    return release


def test_database_outage_gives_a_503_and_recovers_alone(
    serve, province, db_engine_name, pg_cluster, database_url, capsys
):
    server = serve(workers=2, SQLITE_BUSY_TIMEOUT_MS=300)
    code, seen = province.point_a.code, {}

    def outage(ledger):
        wait_for_acks(ledger, 5)
        seen["down_at"] = time.monotonic()
        bring_back = _stop_database(db_engine_name, pg_cluster, database_url)
        try:
            time.sleep(1.0)
            seen["health_down"] = get_status(server.base + "/healthz")
            time.sleep(0.5)
        finally:
            bring_back()
        seen["up_at"] = time.monotonic()
        wait_for_acks(ledger, 5, since=seen["up_at"])

    ledger = run_load(server.base, code, seconds=0, during=outage)
    figures = tally(ledger)
    report(
        capsys,
        f"db-outage/{db_engine_name}",
        figures,
        ledger,
        f"/healthz during outage {seen['health_down']}",
    )
    assert seen["health_down"] == 503
    # Answers were stored before the outage and again after it, with no restart of the app.
    assert min(ledger.ack_times) < seen["down_at"] < seen["up_at"] < max(ledger.ack_times)
    assert ledger.statuses[503] > 0, ledger.statuses
    page = ledger.busy_pages[0]
    assert "thử lại sau một lát" in page and "Traceback" not in page
    assert_nothing_lost(figures, ledger)
    # Back without a restart of the app: health is green and a new answer is stored.
    assert get_status(server.base + "/healthz") == 200
    after = run_load(server.base, code, seconds=1.5, threads=1)
    assert after.acknowledged and not after.unexpected

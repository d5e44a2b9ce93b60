"""Where a citizen's submit spends its time: every SQL statement it sends,
and a cProfile of many submits, in one process (no HTTP server).

    .venv/bin/python -m bench.profile_submit [--db sqlite|postgres] [--submits 300] [--top 25]

Seeds one commune and a procedure point as bench/survey_bench.py does, takes
a CSRF token and session cookie from the form page as a browser would, then
posts the same answers as the benchmark (9 answers, a 100-character comment,
a fresh nonce, device cookie and client address each) through Flask's test client with the benchmark's
configuration (rate limits off, opening hours 00:00-24:00, bursts out of
reach). Prints the statements of one warm submit with their time, the
statement count per submit, and the functions with the most cumulative time.
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.survey_bench import SECRET, answers_body, seed_point  # noqa: E402


def _app(url: str):
    from flask_migrate import upgrade

    from survey import create_app

    os.environ["DATABASE_URL"] = url
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": SECRET,
            "RATELIMIT_ENABLED": False,
            "OPENING_HOURS": "00:00-24:00",
            "OPENING_DAYS": "1-7",
            "BURST_DEVICE_TOP": 10**9,
            "BURST_NETWORK_TOP": 10**9,
            "LOG_LEVEL": "WARNING",
        }
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    return app


def citizen_address(n: int) -> str:
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


class Statements:
    """Every statement sent to the database with its wall time: through SQLAlchemy's
    cursor events, and on the driver's cursor (survey/driver_sql.py, the citizen's
    submit), which those events do not see."""

    def __init__(self, engine):
        self.log: list[tuple[str, float]] = []
        self.recording = False
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)
        self._time_driver_statements()

    def _time_driver_statements(self) -> None:
        from survey import driver_sql

        def timed(run, sql_of):
            def wrapper(*args):
                started = time.perf_counter()
                try:
                    return run(*args)
                finally:
                    if self.recording:
                        self.log.append((" ".join(sql_of(*args).split()), time.perf_counter() - started))

            return wrapper

        statement = driver_sql.DriverStatement
        for name in ("execute", "executemany"):
            run = getattr(statement, name)
            setattr(
                statement,
                name,
                timed(run, lambda this, _cursor, dialect, _values: this.compiled(dialect).sql),
            )
        connection = driver_sql.DriverConnection
        connection.exec_driver_sql = timed(connection.exec_driver_sql, lambda _this, sql: sql)

    def _before(self, conn, cursor, statement, params, context, many):
        conn.info["t0"] = time.perf_counter()

    def _after(self, conn, cursor, statement, params, context, many):
        if self.recording:
            self.log.append((" ".join(statement.split()), time.perf_counter() - conn.info["t0"]))


def print_statement_times(log: list[tuple[str, float]], submits: int) -> None:
    by_statement: dict[str, list[float]] = {}
    for sql, seconds in log:
        by_statement.setdefault(sql[:110], []).append(seconds)
    print(f"\nStatements over {submits} submits (profiler on): count, median and mean ms")
    for sql, times in by_statement.items():
        times.sort()
        median, mean = times[len(times) // 2] * 1000, sum(times) / len(times) * 1000
        print(f"  {len(times):5d} {median:7.2f} {mean:7.2f}  {sql}")


def wsgi_cpu(app, url: str, code: str, session: str, body: str, submits: int) -> None:
    """CPU per submit through each app's WSGI entry (no test client, no server),
    the real submit beside bench/bare_app.py's insert, alternating, in this process."""
    from werkzeug.test import EnvironBuilder

    os.environ["BARE_DB_URL"] = url
    from bench import bare_app

    # survey's SQLite connect hook reads the current app's settings: give the bare app the same ones.
    bare_app.app.config.update(SQLITE_BUSY_TIMEOUT_MS=5000, SQLITE_SYNCHRONOUS="NORMAL")
    bare_app.engine = bare_app._engine(url)  # on this run's database
    bare_app.metadata.create_all(bare_app.engine)

    def environs(path: str, cookie: str | None, tag: str) -> list[dict]:
        return [
            EnvironBuilder(
                path=path,
                method="POST",
                data=f"nonce={tag}{n}&{body}".encode(),
                content_type="application/x-www-form-urlencoded",
                headers={"Cookie": f"session={cookie}; hl_d={tag}{n}"} if cookie else {},
                environ_overrides={"REMOTE_ADDR": citizen_address(n)},
            ).get_environ()
            for n in range(submits)
        ]

    def cpu_per_call(wsgi, prepared: list[dict]) -> float:
        started = time.process_time()
        for environ in prepared:
            b"".join(wsgi(environ, lambda status, headers, exc_info=None: None))
        return (time.process_time() - started) / len(prepared) * 1000

    figures: dict[str, list[float]] = {"real": [], "bare": []}
    for round_ in range(3):
        figures["bare"].append(cpu_per_call(bare_app.app, environs(f"/submit/{code}", None, f"b{round_}-")))
        figures["real"].append(cpu_per_call(app, environs(f"/s/{code}", session, f"w{round_}-")))
    real, bare = (sorted(figures[k])[1] for k in ("real", "bare"))
    print(
        f"Through the WSGI entry, CPU per submit (median of 3 alternating rounds of {submits}): "
        f"real {real:.2f} ms, bare insert {bare:.2f} ms ({bare / real:.0%}; load average {os.getloadavg()[0]:.1f})"
    )
    bare_app.engine.dispose()


def run(args) -> None:
    folder = tempfile.mkdtemp(prefix="profile-submit-")
    cluster = None
    if args.db == "postgres":
        from tests.pgcluster import Cluster

        cluster = Cluster().start()
        url = cluster.url()
    else:
        url = f"sqlite:///{folder}/profile.sqlite3"
    try:
        app = _app(url)
        code = seed_point(app)
        client = app.test_client()
        page = client.get(f"/s/{code}").text
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        body = answers_body(csrf)
        counter = iter(range(10**9))

        def submit():
            n = next(counter)
            if not args.one_citizen:  # each submit from its own phone and network, as in real life
                client.set_cookie("hl_d", f"device-{n}")
            reply = client.post(
                f"/s/{code}",
                data=f"nonce=p-{n}&{body}",
                content_type="application/x-www-form-urlencoded",
                environ_overrides={"REMOTE_ADDR": "127.0.0.1" if args.one_citizen else citizen_address(n)},
            )
            assert reply.status_code in (302, 303), (reply.status_code, reply.text[:500])

        for _ in range(20):  # warm caches (questionnaire snapshot, form class, pool)
            submit()
        with app.app_context():
            from survey.extensions import db

            statements = Statements(db.engine)
        statements.recording = True
        submit()
        statements.recording = False
        print(f"Statements of one warm submit ({args.db}):")
        for sql, seconds in statements.log:
            print(f"  {seconds * 1000:7.2f} ms  {sql[:150]}")
        print(
            f"  total {sum(s for _, s in statements.log) * 1000:.2f} ms in {len(statements.log)} statements"
        )

        statements.log.clear()
        statements.recording = True
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(args.submits):
            submit()
        profiler.disable()
        elapsed = time.perf_counter() - started
        statements.recording = False
        kinds = Counter(sql.split()[0] for sql, _ in statements.log)
        print_statement_times(statements.log, args.submits)
        print(
            f"\n{args.submits} submits in {elapsed:.2f} s under the profiler "
            f"({elapsed / args.submits * 1000:.2f} ms each); statements per submit: "
            + ", ".join(f"{k} {v / args.submits:.1f}" for k, v in kinds.most_common())
        )
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats(args.sort)
        stats.print_stats(args.top)
        if args.callees:
            stats.print_callees(args.callees)
        print(out.getvalue())
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.submits):
            submit()
        plain, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"{args.submits} submits without the profiler: {plain / args.submits * 1000:.2f} ms each, "
            f"{cpu / args.submits * 1000:.2f} ms of this process's CPU (load average {os.getloadavg()[0]:.1f})"
        )
        wsgi_cpu(app, url, code, client.get_cookie("session").value, body, args.submits)
        with app.app_context():
            db.engine.dispose()
    finally:
        if cluster is not None:
            cluster.destroy()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--submits", type=int, default=300)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument(
        "--one-citizen",
        action="store_true",
        help="every submit from one device and network (the old benchmark)",
    )
    parser.add_argument("--sort", default="cumulative", help="pstats order: cumulative, tottime...")
    parser.add_argument("--callees", default="", help="also print what functions matching this call")
    run(parser.parse_args())


if __name__ == "__main__":
    main()

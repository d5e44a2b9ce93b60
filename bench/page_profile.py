"""Where one form page view spends its time: cProfile over N test-client GETs
of the real form page (gzip, no cookies: a first visit, as survey_bench's wrk
sends it), with the bench's configuration, plus the SQL statements per view.

    .venv/bin/python -m bench.page_profile [--requests 500] [--db URL] [--top 25]

Prints ms per page view, statements per view and the top functions by
cumulative and by own time. A tool for finding the hot path, not a benchmark
(no baseline): the figures that count come from bench/survey_bench.py.
"""

import argparse
import cProfile
import io
import logging
import os
import pstats
import sys
import tempfile
import time

from werkzeug.test import EnvironBuilder

from bench.survey_bench import SECRET, prepare

BENCH_ENV = {
    "SECRET_KEY": SECRET,
    "RATELIMIT_ENABLED": "false",
    "OPENING_HOURS": "00:00-24:00",
    "OPENING_DAYS": "1-7",
    "PUBLIC_BASE_URL": "http://127.0.0.1",
}
BROWSER = {"Accept-Encoding": "gzip", "Accept-Language": "vi-VN,vi;q=0.9"}


def _per_view(app, path: str, count: int, rounds: int = 3) -> float:
    """CPU ms per view straight through the WSGI app (no test client: as a
    server calls it), best of three rounds (the machine is shared)."""
    base = EnvironBuilder(path=path, headers=BROWSER).get_environ()

    def start_response(_status, _headers, _exc_info=None):
        return None

    best = []
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(count):
            environ = dict(base, **{"wsgi.input": io.BytesIO()})
            body = app(environ, start_response)
            b"".join(body)
            getattr(body, "close", lambda: None)()
        best.append((time.process_time() - started) / count * 1000)
    return min(best)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--db", default="")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--limiter", action="store_true", help="rate limits on, as in production")
    args = parser.parse_args()
    url = args.db or f"sqlite:///{tempfile.mkdtemp(prefix='page-profile-')}/bench.sqlite3"
    seed = prepare(url)
    os.environ.update(BENCH_ENV, DATABASE_URL=url)
    if args.limiter:
        os.environ["RATELIMIT_ENABLED"] = "true"
        os.environ["RATELIMIT_FORM_NETWORK"] = "1000000 per minute"
    from sqlalchemy import event

    from survey import create_app
    from survey.extensions import db
    from survey.logs import LOGGER_NAME

    app = create_app()
    # Alembic's logging setup (in prepare) disabled the app's loggers; a server logs every request.
    for name in (LOGGER_NAME, app.logger.name):
        logging.getLogger(name).disabled = False
    sys.stderr = open(os.devnull, "w")  # the request log is written, as to gunicorn's log file  # noqa: SIM115
    statements = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a, **k: statements.append(a[2]))
    client = app.test_client(use_cookies=False)
    path = f"/s/{seed['code']}"
    for _ in range(20):  # warm: caches, pools, templates
        assert client.get(path, headers=BROWSER).status_code == 200
    statements.clear()
    profiler = cProfile.Profile(time.process_time)  # CPU time: the machine is shared
    started = time.process_time()
    profiler.enable()
    _per_view(app, path, args.requests, rounds=1)
    profiler.disable()
    elapsed = time.process_time() - started
    print(f"{args.requests} page views: {elapsed / args.requests * 1000:.2f} ms each (under cProfile)")
    print(f"SQL statements per view: {len(statements) / args.requests:.2f}")
    for sql in sorted(set(statements))[:10]:
        print("   ", " ".join(sql.split())[:160])
    plain = _per_view(app, path, args.requests)
    os.environ["BARE_DB_URL"] = url
    from bench.bare_app import app as bare

    baseline = _per_view(bare, "/hello", args.requests)
    print(
        f"without the profiler: {plain:.3f} ms per view; bare page {baseline:.3f} ms "
        f"(in-process ratio {baseline / plain:.0%}, gunicorn's own cost not included)"
    )
    stats = pstats.Stats(profiler)
    stats.dump_stats(os.path.join(tempfile.gettempdir(), "page_profile.pstats"))
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()

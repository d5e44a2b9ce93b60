"""Submit throughput through the real stack, with a baseline in the same run.

    .venv/bin/python -m bench.bench_submit [--db sqlite|postgres] [--seconds 10] [--connections 16] [--workers N]

Starts gunicorn with deploy/gunicorn.conf.py on a loopback port against a
fresh database (a temporary SQLite file, or a throwaway PostgreSQL cluster
from tests/pgcluster.py), then drives it with wrk (Debian package `wrk`):

1. baseline: GET / (template, no database), GET /healthz (one round trip);
2. POST /s/<code>: a whole citizen answer (CSRF, validation, one insert of
   the response and its answers in one transaction), each with a new nonce.

Prints requests/s, p50/p99 latency and errors per phase, submit as a share
of the baselines, and checks that every acknowledged submit was stored.
wrk runs on the same cores as the server, as in docs/perf-baselines.md.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.faults import Citizen, Server  # noqa: E402  (shared with the fault tests)

LUA = """
local counter = 0
local prefix = "{prefix}"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "{cookie}"
request = function()
  counter = counter + 1
  return wrk.format(nil, "{path}", nil, "{body}&nonce=" .. prefix .. "-" .. counter)
end
"""

DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %.2f %.2f %.3f\\n", summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.duration / 1e6))
end
"""


def prepare(url: str) -> str:
    """Migrate, create one commune and its survey point; return the point code."""
    env = {**os.environ, "DATABASE_URL": url}
    flask = [str(Path(sys.executable).parent / "flask"), "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    from survey import create_app
    from survey.agencies import create_agency
    from survey.extensions import db
    from survey.points import create_point
    from survey.questionnaires import ensure_default

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        ensure_default()
        root = create_agency("BENCH", "Ủy ban nhân dân tỉnh Đo Tải", "provincial_pc")
        commune = create_agency("BENCH-X", "Ủy ban nhân dân xã Đo Tải", "commune_pc", root)
        point = create_point(commune)
        db.session.commit()
        code = point.code
        db.engine.dispose()
    return code


def wrk(url: str, seconds: int, connections: int, script: str) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script + DONE)
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", handle.name, url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(handle.name)
    found = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)", output)
    requests, errors, p50, p99, duration = found.groups()
    return {
        "requests": int(requests),
        "errors": int(errors),
        "rps": int(requests) / float(duration),
        "p50": float(p50),
        "p99": float(p99),
    }


def submit_script(server: Server, code: str) -> str:
    citizen = Citizen(server.base, code)
    if not citizen.open_form():
        raise SystemExit("could not open the survey form")
    cookie = ""
    for handler in citizen.opener.handlers:
        if hasattr(handler, "cookiejar"):
            cookie = "; ".join(f"{c.name}={c.value}" for c in handler.cookiejar)
    from urllib.parse import urlencode

    body = urlencode(citizen.fields)
    return LUA.format(prefix=uuid.uuid4().hex[:8], cookie=cookie, path=f"/s/{code}", body=body)


def run(args) -> None:
    cluster, folder = None, tempfile.mkdtemp(prefix="hailong-bench-")
    if args.db == "postgres":
        from tests.pgcluster import Cluster

        cluster = Cluster({"synchronous_commit": "on", "fsync": "on", "full_page_writes": "on"}).start()
        url = cluster.url()
    else:
        url = "sqlite:///" + os.path.join(folder, "bench.sqlite3")
    server = None
    try:
        code = prepare(url)
        server = Server(url, Path(folder) / "gunicorn.log", workers=args.workers, LOG_LEVEL="INFO").start()
        results = {}
        for name, path in (("GET / (baseline)", "/"), ("GET /healthz (baseline)", "/healthz")):
            results[name] = wrk(server.base + path, args.seconds, args.connections, "")
        results["POST /s/<code> (submit)"] = wrk(
            server.base + f"/s/{code}", args.seconds, args.connections, submit_script(server, code)
        )
        report(args, results, url)
    finally:
        if server is not None:
            server.stop()
        if cluster is not None:
            cluster.destroy()
        shutil.rmtree(folder, ignore_errors=True)


def report(args, results: dict, url: str) -> None:
    engine = create_engine(url)
    with engine.connect() as conn:
        stored = conn.scalar(select(func.count()).select_from(text("responses")))
    engine.dispose()
    print(
        f"\nengine {args.db}, gunicorn sync x{args.workers}, wrk -t1 -c{args.connections} -d{args.seconds}s"
    )
    print(f"{'phase':28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, figures in results.items():
        print(
            f"{name:28} {figures['rps']:8.0f} {figures['p50']:8.1f} {figures['p99']:8.1f} {figures['errors']:7d}"
        )
    submit = results["POST /s/<code> (submit)"]
    for name in ("GET / (baseline)", "GET /healthz (baseline)"):
        print(f"submit / {name}: {submit['rps'] / results[name]['rps']:.0%}")
    print(f"submits acknowledged {submit['requests'] - submit['errors']}, stored {stored}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    run(parser.parse_args())


if __name__ == "__main__":
    main()

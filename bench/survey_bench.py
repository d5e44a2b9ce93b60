"""Throughput of the real survey form page and submit through gunicorn,
beside a bare Flask page and a bare one-row insert in the same run, with the
same server settings, on SQLite (WAL) and PostgreSQL, at 16 and 64
connections (issue 5; baselines and targets: perf-baselines.md).

    .venv/bin/python -m bench.survey_bench [--duration 5] [--rounds 3] [--conns 16,64] [--db sqlite,postgres]

Both servers run side by side and the bare and real runs alternate, round
after round; each figure is the median round. A shared machine's load moves
within minutes, and a bare run measured minutes before the real one made the
ratio swing by tens of points.

Needs wrk (scripts/install-test-deps.sh installs it). Every server is started
here, on 127.0.0.1 only, and stopped by its pid. The real app runs with rate
limits off and opening hours 00:00-24:00; every POST comes from a different
citizen (its own device cookie, its own address through X-Forwarded-For with
one trusted proxy, as behind nginx), so the default burst thresholds stay and
each submit is the normal path: CSRF check, validation, insert of the
response and its answers, commit, the spike-alert and burst checks of a top
rating, redirect. Figures go to stdout and bench/results/.
"""

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from bench.history import AGENCIES, seed_history
from bench.load import WORKERS, Server, get_script, post_script, tree_cpu_seconds, wrk

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret-key-not-for-production"  # noqa: S105 - a throwaway local server
COMMENT = (
    "Cán bộ hướng dẫn tận tình, thủ tục nhanh gọn nhưng phòng chờ hơi nóng và thiếu ghế ngồi cho người già."
)
TARGETS = {"page": 0.60, "submit": 0.80}
HISTORY = 100_000  # earlier answers to the point (bench/history.py)


def seed_point(app) -> str:
    """One commune with a procedure point (the bench's only survey point); returns its code."""
    from survey.agencies import create_agency
    from survey.extensions import db
    from survey.models import AgencyProcedure, Procedure
    from survey.points import create_point
    from survey.questionnaires import ensure_default

    with app.app_context():
        ensure_default()
        root = create_agency("BENCH", "Ủy ban nhân dân tỉnh Thử Tải", "provincial_pc")
        commune = create_agency("BENCH-X", "Ủy ban nhân dân xã Thử Tải", "commune_pc", root)
        procedure = Procedure(code="1.001193", name="Thủ tục đăng ký khai sinh", field="Hộ tịch")
        db.session.add(procedure)
        db.session.flush()
        db.session.add(AgencyProcedure(agency_id=commune.id, procedure_id=procedure.id))
        point = create_point(commune, procedure, "Quầy 1")
        db.session.commit()
        return point.code


def prepare(url: str, history: int = 0, agencies: int = AGENCIES) -> dict:
    """Migrate, seed one commune with a procedure point, create the bare table,
    and take a CSRF token with its session cookie as a browser would."""
    os.environ["DATABASE_URL"] = url
    os.environ["BARE_DB_URL"] = url
    from flask_migrate import upgrade

    from bench import bare_app
    from survey import create_app
    from survey.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET, "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    code = seed_point(app)
    seed_history(app, code, history, agencies)
    with app.app_context():
        client = app.test_client()
        page = client.get(f"/s/{code}").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        cookie = client.get_cookie("session").value
        db.engine.dispose()
    engine = bare_app._engine(url)  # not the module's engine: it was made for the first database
    bare_app.metadata.create_all(engine)
    engine.dispose()
    return {"code": code, "csrf": token, "cookie": f"session={cookie}"}


def count_rows(url: str, table: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608 (constant)
    engine.dispose()
    return count


def answers_body(csrf: str) -> str:
    answers = "Q1=4&Q2=5&Q3=5&Q4=4&Q5=na&Q6=1&Q7=1&Q8=na&Q9=5&website="
    return f"csrf_token={quote(csrf)}&{answers}&Q10={quote(COMMENT)}"


def _scripts(label: str, code: str, seed: dict) -> dict:
    """The page and submit scripts for one app (the submit's run id is filled in per run)."""
    browser = {"Accept-Encoding": "gzip", "Accept-Language": "vi-VN,vi;q=0.9"}
    if label == "bare":
        return {"page": get_script("/hello", browser), "path": f"/submit/{code}", "table": "bare_responses"}
    return {"page": get_script(f"/s/{code}", browser), "path": f"/s/{code}", "table": "responses"} | {
        "cookie": seed["cookie"]
    }


def _median_run(runs: list[dict]) -> dict:
    """The round with the median req/s (its own p50/p99), every round's req/s,
    and the errors and stored rows of all rounds together."""
    ordered = sorted(runs, key=lambda run: run["rps"])
    totals = {key: sum(run.get(key, 0) for run in runs) for key in ("errors", "stored")}
    return ordered[len(ordered) // 2] | totals | {"rounds": [round(run["rps"]) for run in runs]}


LIMITS_ON = {  # production's limits, with the per-network page limit out of reach (every GET is 127.0.0.1)
    "RATELIMIT_ENABLED": "true",
    "RATELIMIT_FORM_NETWORK": "100000000 per minute",
}


def measure(
    db_name: str,
    url: str,
    conns: list[int],
    seconds: int,
    rounds: int,
    limits: bool = False,
    kinds: tuple[str, ...] = ("page", "submit"),
    history: tuple[int, int] = (HISTORY, AGENCIES),
    database_pid: int | None = None,
) -> list[dict]:
    """Both servers up side by side; bare and real runs alternate, round after
    round, so a change in the machine's load falls on both alike. With
    `database_pid` (PostgreSQL's postmaster), each run also counts the
    database server's CPU."""
    seed = prepare(url, *history)
    code = seed["code"]
    env = {
        "DATABASE_URL": url,
        "BARE_DB_URL": url,
        "SECRET_KEY": SECRET,
        "RATELIMIT_ENABLED": "false",
        "OPENING_HOURS": "00:00-24:00",
        "OPENING_DAYS": "1-7",
        "TRUSTED_PROXIES": "1",  # as behind nginx: the citizen's address comes in X-Forwarded-For
        "PUBLIC_BASE_URL": "http://127.0.0.1",
    } | (LIMITS_ON if limits else {})
    body = answers_body(seed["csrf"])
    servers = {}
    try:
        servers["bare"] = Server("bench.bare_app:app", env, "/hello")
        servers["real"] = Server("wsgi:app", env, "/healthz")
        scripts = {label: _scripts(label, code, seed) for label in servers}
        # The same rows as the real submit, stored the bare way (bare_app.py): a second,
        # informative baseline for the submit, on the bare server.
        scripts["rows"] = {"path": f"/submit-rows/{code}", "table": "responses"}
        labels = {"page": ("bare", "real"), "submit": ("bare", "rows", "real")}
        for label, server in servers.items():  # warm-up: every worker's first page and first submit
            wrk(server.url, scripts[label]["page"], 16, 3)
            post = post_script(scripts[label]["path"], body, scripts[label].get("cookie", ""), f"warm{label}")
            wrk(server.url, post, 16, 2)
        rows = []
        setting = {"url": url, "body": body, "seconds": seconds, "database_pid": database_pid}
        for c in conns:
            for kind in kinds:
                runs = {label: [] for label in labels[kind]}
                for _ in range(rounds):
                    for label in labels[kind]:
                        server = servers["real" if label == "real" else "bare"]
                        runs[label].append(_one_run(kind, label, server, scripts[label], c, setting))
                for label in labels[kind]:
                    rows.append(
                        {"db": db_name, "kind": kind, "app": label, "conns": c} | _median_run(runs[label])
                    )
    finally:
        for server in servers.values():
            server.stop()
    return rows


def _one_run(kind: str, label: str, server: Server, script: dict, conns: int, setting: dict) -> dict:
    url, seconds = setting["url"], setting["seconds"]
    if kind == "page":
        return _counted(lambda: wrk(server.url, script["page"], conns, seconds), server, setting)
    before = count_rows(url, script["table"])
    run_id = f"{label}{conns}{int(time.time() * 1000)}"
    post = post_script(script["path"], setting["body"], script.get("cookie", ""), run_id)
    result = _counted(lambda: wrk(server.url, post, conns, seconds), server, setting)
    stored = count_rows(url, script["table"]) - before
    # Distinct citizens: nothing may look like a burst (the app would exclude it).
    excluded = count_rows(url, "response_exclusions") if label == "real" else 0
    return result | {"stored": stored, "excluded": excluded}


def _counted(run, server: Server, setting: dict) -> dict:
    """wrk's figures, the load average after, and the CPU per request of the
    gunicorn server and of the database server (PostgreSQL only)."""
    database_pid = setting["database_pid"]
    app_cpu, db_cpu = server.cpu_seconds(), tree_cpu_seconds(database_pid) if database_pid else 0.0
    result = run()
    per_request = 1000 / max(result["requests"], 1)
    cpu = {"cpu_app": (server.cpu_seconds() - app_cpu) * per_request}
    if database_pid:
        cpu["cpu_db"] = (tree_cpu_seconds(database_pid) - db_cpu) * per_request
    return result | cpu | {"load": os.getloadavg()[0]}


def report(rows: list[dict]) -> str:
    lines = [
        f"{'db':9} {'what':7} {'conns':>5} {'bare req/s':>10} {'real req/s':>10} {'ratio':>6} {'target':>6} "
        f"{'bare p50/p99 ms':>16} {'real p50/p99 ms':>16} {'real errors':>11} {'stored':>8} {'excluded':>8} "
        f"{'load':>5}  verdict  (req/s per round: real / bare)"
    ]
    for real in [r for r in rows if r["app"] == "real"]:
        bare = next(
            r
            for r in rows
            if r["app"] == "bare"
            and (r["db"], r["kind"], r["conns"]) == (real["db"], real["kind"], real["conns"])
        )
        ratio = real["rps"] / bare["rps"]
        target = TARGETS[real["kind"]]
        ok = ratio >= target and real["errors"] == 0
        if real["kind"] == "submit":
            ok = ok and real["p99"] <= 2 * bare["p99"]
        lines.append(
            f"{real['db']:9} {real['kind']:7} {real['conns']:>5} {bare['rps']:>10.0f} {real['rps']:>10.0f} "
            f"{ratio:>6.0%} {target:>6.0%} {bare['p50']:>7.1f}/{bare['p99']:<8.1f} {real['p50']:>7.1f}/{real['p99']:<8.1f} "
            f"{real['errors']:>11} {real['stored'] if real['kind'] == 'submit' else '':>8} "
            f"{real.get('excluded', ''):>8} {real['load']:>5.1f}  {'meets target' if ok else 'BELOW TARGET'}"
            f"  ({' '.join(map(str, real['rounds']))} / {' '.join(map(str, bare['rounds']))})"
            + _same_rows(rows, real)
        )
    return "\n".join(lines)


def _same_rows(rows: list[dict], real: dict) -> str:
    """The real submit beside the bare app storing the same rows (no target: it tells the
    schema's write cost from the application's)."""
    same = [r for r in rows if r["app"] == "rows" and (r["db"], r["conns"]) == (real["db"], real["conns"])]
    if real["kind"] != "submit" or not same:
        return ""
    return (
        f"  same rows stored bare: {same[0]['rps']:.0f} req/s, real {real['rps'] / same[0]['rps']:.0%} of it"
    )


def cpu_report(rows: list[dict]) -> str:
    """CPU per request of each app's gunicorn (master and workers) and of PostgreSQL's
    processes, in the median round: where a request's machine time went."""
    lines = ["CPU per request, ms (gunicorn + PostgreSQL) in the median round:"]
    for real in [r for r in rows if r["app"] == "real"]:
        same = [
            r for r in rows if (r["db"], r["kind"], r["conns"]) == (real["db"], real["kind"], real["conns"])
        ]
        figures = "  ".join(
            f"{r['app']} {r['cpu_app']:.3f}" + (f" + {r['cpu_db']:.3f}" if "cpu_db" in r else "")
            for r in same
        )
        lines.append(f"  {real['db']:9} {real['kind']:7} {real['conns']:>5}  {figures}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per run")
    parser.add_argument("--rounds", type=int, default=3, help="alternating bare/real runs; the median counts")
    parser.add_argument("--conns", default="16,64")
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--kinds", default="page,submit", help="what to measure: page, submit or both")
    parser.add_argument(
        "--history",
        type=int,
        default=HISTORY,
        help="earlier answers in the tables before the runs (0: empty)",
    )
    parser.add_argument(
        "--history-agencies",
        type=int,
        default=AGENCIES,
        help="communes the history is spread over (1: a department using the service alone)",
    )
    parser.add_argument(
        "--limits-on",
        action="store_true",
        help="the real app with rate limits on, as in production (every submit is its own device and network)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: run scripts/install-test-deps.sh")
    conns = [int(c) for c in args.conns.split(",")]
    kinds = tuple(k for k in ("page", "submit") if k in args.kinds.split(","))
    if not kinds:
        sys.exit("--kinds takes page, submit or page,submit")
    rows = []
    for db_name in args.db.split(","):
        if rows:
            print(report(rows), flush=True)  # figures so far, in case a later database fails
        if db_name == "sqlite":
            folder = tempfile.mkdtemp(prefix="survey-bench-")
            rows += measure(
                "sqlite",
                f"sqlite:///{folder}/bench.sqlite3",
                conns,
                args.duration,
                args.rounds,
                args.limits_on,
                kinds,
                (args.history, args.history_agencies),
            )
            shutil.rmtree(folder, ignore_errors=True)
        else:
            sys.path.insert(0, str(ROOT))
            from tests.pgcluster import Cluster

            cluster = Cluster().start()
            try:
                rows += measure(
                    "postgres",
                    cluster.url(),
                    conns,
                    args.duration,
                    args.rounds,
                    args.limits_on,
                    kinds,
                    (args.history, args.history_agencies),
                    int((cluster.data / "postmaster.pid").read_text().split()[0]),
                )
            finally:
                cluster.destroy()
    text = report(rows) + "\n" + cpu_report(rows)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    header = (
        f"survey_bench {stamp}: gunicorn {' '.join(WORKERS)}; wrk -t1, {args.rounds} alternating bare/real rounds of {args.duration}s (median) on the same "
        f"{os.cpu_count()} cores; page = GET with gzip; submit = one POST with 9 answers + comment; "
        f"{args.history:,} earlier answers in the tables over {args.history_agencies} agencies; "
        f"rate limits {'ON (production defaults, page limit raised)' if args.limits_on else 'off'}.\n"
    )
    print(header + text)
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / f"survey_bench-{stamp}.txt").write_text(header + text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

"""Dashboard server time against data volume, with a raw-SQL baseline in the same run.

    .venv/bin/python -m bench.dashboards --engine postgres --responses 100000 --responses 10000000
    .venv/bin/python -m bench.dashboards --engine sqlite --responses 100000 --responses 1000000

    # load once (no lock), then time as often as needed under the shared bench lock:
    .venv/bin/python -m bench.dashboards --engine postgres --responses 10000000 --keep /tmp/b --load-only
    .venv/bin/python -m bench.dashboards --engine postgres --responses 10000000 --keep /tmp/b --lock /work/bench.lock

For each size: a fresh database (SQLite temporary file, or a database in a
throwaway PostgreSQL 15 cluster started like the test harness), an agency
tree (root, --agencies/20 first-level units, the rest below them), real
procedure codes from survey/data/procedures.csv, N synthetic responses over
24 months with 7 scale answers each, then `rollups refresh --all`.

Measured per size (server time through the Flask test client, --repeat
runs after a warm-up; p50 and p95):
- `overview`: the province overview (/overview/ROOT) for the last closed quarter;
- `head`: a first-level unit's agency-head page for the same quarter;
- `head-open`: the same page for the current quarter (the open day is read raw);
- each page first computed on every request (`(no cache)`: DASHBOARD_CACHE_SIZE 0),
  then with the rendered-figures cache warm (survey/dashboards/cache.py);
- `raw-sql overview` / `raw-sql head`: the plain aggregate SQL that computes the
  same headline figures (responses, counted, satisfied per unit) from raw responses;
- `select 1`: a round trip, for scale.
Results are printed and written to bench/results/dashboards-<engine>.json.
"""

import argparse
import csv
import json
import os
import sqlite3
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import bindparam, insert, select, text

from bench.common import bench_lock, sample_ms
from survey import PROJECT_ROOT, create_app, periods
from survey.agencies import create_agency, subtree_ids
from survey.extensions import db
from survey.models import Agency, Procedure, Question, SurveyPoint, User
from survey.models.types import utcnow
from survey.questionnaires import ensure_default
from survey.rollups import freshness

MIGRATIONS = os.path.join(PROJECT_ROOT, "migrations")
SCALE_KEYS = ("Q1", "Q2", "Q3", "Q4", "Q5", "Q8")
DAYS = 730
PASSWORD = "bench-password-2026"  # noqa: S105 - a throwaway benchmark account


def _procedures(count: int = 20) -> list[Procedure]:
    with open(os.path.join(PROJECT_ROOT, "survey", "data", "procedures.csv"), encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:count]
    items = [Procedure(code=r["code"], name=r["name"], field=r["field"]) for r in rows]
    db.session.add_all(items)
    db.session.flush()
    return items


def build_tree(agencies: int) -> tuple[Agency, list[Agency]]:
    root = create_agency("BENCH", "Tỉnh thử tải", "provincial_pc")
    first = [
        create_agency(f"BENCH-{i:03d}", f"Sở thử tải {i}", "department", root)
        for i in range(max(1, agencies // 20))
    ]
    for i in range(agencies - len(first) - 1):
        create_agency(f"BENCH-X{i:05d}", f"Xã thử tải {i}", "commune_pc", first[i % len(first)])
    db.session.flush()
    return root, first


def build_points() -> dict[int, int]:
    """One counter point per agency; returns agency id -> point id."""
    agencies = db.session.scalars(select(Agency.id).order_by(Agency.id)).all()
    rows = [{"code": f"B{a:07d}", "agency_id": a, "counter": "Quầy 1", "status": "active"} for a in agencies]
    db.session.execute(insert(SurveyPoint), rows)
    return dict(db.session.execute(select(SurveyPoint.agency_id, SurveyPoint.id)).all())


questions_overall: list[int] = []
COMMENT = "Thủ tục nhanh gọn, cán bộ nhiệt tình"
# One uniform draw in [0, 1) per use, in each engine's SQL.
_U_SQLITE = "(random() / 18446744073709551616.0 + 0.5)"


def load_sqlite(path: str, n: int, agency_ids, points, procedures, version_id, questions) -> None:
    """Set-based generation inside SQLite (a recursive CTE), one transaction.

    Same shape as PostgreSQL: agencies skewed (u^2), overall answers skewed
    towards satisfied (1 + floor(5 sqrt(u))), 10 % with a comment, times in
    order over DAYS days, 6 scale answers near the overall one plus Q9."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("PRAGMA cache_size=-1000000")
    first_agency, first_point = min(agency_ids), points[min(agency_ids)]
    procs = ",".join(str(p) for p in procedures)
    now = utcnow().strftime("%Y-%m-%d %H:%M:%S")
    connection.execute(
        f"""
        WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < {int(n)}),
        u AS MATERIALIZED (
            SELECT i, {_U_SQLITE} AS ua, {_U_SQLITE} AS uo, {_U_SQLITE} AS uc, {_U_SQLITE} AS up,
                   abs(random()) % 3600 AS jitter FROM g)
        INSERT INTO responses (nonce, survey_point_id, agency_id, procedure_id, questionnaire_id,
            submitted_at, channel, overall, comment, locale, is_demo)
        SELECT 'bench-' || i, ? + k, ? + k, json_extract(?, '$[' || CAST(up * ? AS INTEGER) || ']'), ?,
            datetime(?, '-' || CAST(? * 86400.0 * (? - i) / ? + jitter AS INTEGER) || ' seconds') || '.000000',
            'qr', 1 + CAST(5 * sqrt(uo) AS INTEGER), CASE WHEN uc < 0.1 THEN ? END, 'vi', 0
        FROM (SELECT *, min(? - 1, CAST(? * ua * ua AS INTEGER)) AS k FROM u)
        ORDER BY i
        """,
        (
            first_point,
            first_agency,
            f"[{procs}]",
            len(procedures),
            version_id,
            now,
            DAYS,
            n,
            n,
            COMMENT,
            len(agency_ids),
            len(agency_ids),
        ),
    )
    _answers_sqlite(connection, questions)
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()


def _answers_sqlite(connection, questions) -> None:
    offsets = " UNION ALL ".join(f"SELECT {int(q)} AS q" for q in questions)
    connection.execute(
        "INSERT INTO answers (response_id, question_id, value, not_applicable)"
        " SELECT r.id, q.q, max(1, min(5, r.overall + abs(random()) % 3 - 1)), 0"
        f" FROM responses r CROSS JOIN ({offsets}) q ORDER BY r.id"
    )
    connection.execute(
        "INSERT INTO answers (response_id, question_id, value, not_applicable)"
        " SELECT id, ?, overall, 0 FROM responses ORDER BY id",
        (questions_overall[0],),
    )


def load_postgres(n: int, agency_ids, points, procedures, version_id, questions) -> None:
    """Set-based generation inside PostgreSQL (generate_series), foreign-key
    triggers off and the answers index built once at the end."""
    first_agency, first_point = min(agency_ids), points[min(agency_ids)]
    params = {
        "n": n,
        "agencies": len(agency_ids),
        "a0": first_agency,
        "p0": first_point,
        "v": version_id,
        "procs": procedures,
        "days": DAYS,
        "comment": COMMENT,
    }
    db.session.execute(text("SET session_replication_role = replica"))
    db.session.execute(text("DROP INDEX ix_answers_response_id"))
    db.session.execute(
        text(
            "INSERT INTO responses (nonce, survey_point_id, agency_id, procedure_id, questionnaire_id, submitted_at,"
            " channel, overall, comment, locale, is_demo)"
            " SELECT 'bench-' || g, :p0 + a.k, :a0 + a.k, (:procs)[1 + floor(random() * cardinality(:procs))::int],"
            " :v, (now() at time zone 'utc') - make_interval(secs => CAST(:days * 86400.0 * (:n - g) / :n"
            "   + floor(random() * 3600) AS double precision)),"
            " 'qr', 1 + floor(5 * random() ^ 0.5)::int,"
            " CASE WHEN random() < 0.1 THEN :comment END, 'vi', false"
            " FROM generate_series(1, :n) g"
            " CROSS JOIN LATERAL (SELECT least(:agencies - 1, floor(:agencies * random() ^ 2)::int + (g * 0)) AS k) a"
        ).bindparams(bindparam("procs")),
        params,
    )
    db.session.commit()
    db.session.execute(text("SET session_replication_role = replica"))
    db.session.execute(
        text(
            "INSERT INTO answers (response_id, question_id, value, not_applicable)"
            " SELECT r.id, q, CASE WHEN q = :q9 THEN r.overall"
            "   ELSE greatest(1, least(5, r.overall + floor(random() * 3)::int - 1)) END, false"
            " FROM responses r CROSS JOIN unnest(CAST(:qs AS integer[])) q ORDER BY r.id"
        ),
        {"qs": [*questions, questions_overall[0]], "q9": questions_overall[0]},
    )
    db.session.execute(text("CREATE INDEX ix_answers_response_id ON answers (response_id)"))
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))


def _times(call, repeat: int) -> dict:
    call()
    samples = sorted(sample_ms(call, repeat))
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return {"p50_ms": round(statistics.median(samples), 1), "p95_ms": round(p95, 1)}


def _raw_sql(units: list[int], quarter: periods.Period):
    """The plain aggregate: headline per unit (closure join) from raw responses."""
    start, end = quarter.utc_bounds()
    statement = text(
        "SELECT c.ancestor_id, count(*), count(CASE WHEN r.id NOT IN (SELECT response_id FROM response_exclusions)"
        " THEN 1 END), count(CASE WHEN r.overall >= 4 THEN 1 END)"
        " FROM responses r JOIN agency_closure c ON c.descendant_id = r.agency_id"
        " WHERE c.ancestor_id IN :units AND r.submitted_at >= :start AND r.submitted_at < :end"
        " GROUP BY c.ancestor_id"
    ).bindparams(bindparam("units", expanding=True))
    return lambda: db.session.execute(statement, {"units": units, "start": start, "end": end}).all()


def measure(app, size: int, repeat: int) -> dict:
    client = app.test_client()
    with app.app_context():
        first = db.session.scalars(select(Agency).where(Agency.depth == 1).order_by(Agency.id)).first()
        units = [a.id for a in db.session.scalars(select(Agency).where(Agency.depth == 1))]
        head_ids = subtree_ids(first.id)
    assert client.post("/login", data={"email": "bench@hailong.vn", "password": PASSWORD}).status_code == 302
    today = periods.local_date(utcnow())
    closed = periods.previous(periods.containing("quarter", today))
    current = periods.containing("quarter", today)

    def page(url):
        return lambda: _ok(client.get(url))

    urls = {
        "overview": f"/overview/BENCH?period=quarter&value={closed.value}",
        "head": f"/agencies/{first.code}?period=quarter&value={closed.value}",
        "head-open": f"/agencies/{first.code}?period=quarter&value={current.value}",
    }
    results = {}
    size_setting = app.config["DASHBOARD_CACHE_SIZE"]
    for suffix, cache_size in ((" (no cache)", 0), ("", size_setting)):
        # Computed on every request first, then with the figures cache warm.
        app.config["DASHBOARD_CACHE_SIZE"] = cache_size
        for name, url in urls.items():
            results[name + suffix] = _times(page(url), repeat)
    with app.app_context():
        results["raw-sql overview"] = _times(_raw_sql(units, closed), repeat)
        results["raw-sql head"] = _times(_raw_sql([first.id], closed), repeat)
        results["select 1"] = _times(lambda: db.session.execute(text("SELECT 1")).all(), repeat)
        del head_ids
    return results


def _ok(response):
    assert response.status_code == 200, response.status_code
    return response


def prepare(url: str, size: int, agencies: int, engine: str) -> tuple:
    app = _app(url)
    timings = {}
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        version = ensure_default()
        by_key = {
            q.key: q.id
            for q in db.session.scalars(select(Question).where(Question.questionnaire_id == version.id))
        }
        questions_overall[:] = [by_key["Q9"]]
        root, _first = build_tree(agencies)
        procedures = [p.id for p in _procedures()]
        points = build_points()
        user = User(email="bench@hailong.vn", role="committee")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        agency_ids = sorted(points)
        start = time.perf_counter()
        scale = [by_key[k] for k in SCALE_KEYS]
        if engine == "sqlite":
            load_sqlite(
                url.removeprefix("sqlite:///"), size, agency_ids, points, procedures, version.id, scale
            )
        else:
            load_postgres(size, agency_ids, points, procedures, version.id, scale)
        timings["load_s"] = round(time.perf_counter() - start, 1)
        start = time.perf_counter()
        days = freshness.rebuild_all()
        timings["rollup_build_s"] = round(time.perf_counter() - start, 1)
        timings["rollup_days"] = days
        start = time.perf_counter()
        freshness.recompute_day(periods.local_date(utcnow()) - timedelta(days=1))
        db.session.commit()
        timings["recompute_one_day_ms"] = round((time.perf_counter() - start) * 1000, 1)
    return app, timings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--responses", type=int, action="append", help="sizes to measure (repeatable)")
    parser.add_argument("--agencies", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="keep the databases (and the PostgreSQL cluster) in DIR; a size already loaded there is reused",
    )
    parser.add_argument("--load-only", action="store_true", help="load and roll up, measure nothing")
    parser.add_argument(
        "--lock", metavar="FILE", help="hold an exclusive flock on FILE while timing (never while loading)"
    )
    args = parser.parse_args()
    sizes = args.responses or [100_000]
    cluster = _cluster(args.keep) if args.engine == "postgres" else None
    report = {"engine": args.engine, "agencies": args.agencies, "repeat": args.repeat, "sizes": {}}
    try:
        for size in sizes:
            url, timings_file = _database(args.engine, cluster, size, args.keep)
            if timings_file is not None and timings_file.exists():
                app = _app(url)
                with app.app_context():
                    upgrade(directory=MIGRATIONS)  # a database kept from an older checkout
                timings = json.loads(timings_file.read_text())
            else:
                app, timings = prepare(url, size, args.agencies, args.engine)
                if timings_file is not None:
                    timings_file.write_text(json.dumps(timings))
            if not args.load_only:
                with bench_lock(args.lock):
                    timings = {**timings, "loadavg": os.getloadavg(), **measure(app, size, args.repeat)}
                report["sizes"][size] = timings
                _print(size, timings)
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    finally:
        if cluster is not None and not args.keep:
            cluster.destroy()
    if not args.load_only:
        out = Path(PROJECT_ROOT) / "bench" / "results"
        out.mkdir(parents=True, exist_ok=True)
        (out / f"dashboards-{args.engine}.json").write_text(json.dumps(report, indent=2))


def _app(url: str):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False})


def _cluster(keep: str | None):
    from tests.pgcluster import Cluster

    settings = {"shared_buffers": "1GB", "work_mem": "64MB", "jit": "off", "max_wal_size": "8GB"}
    if keep and (Path(keep) / "pg" / "data" / "PG_VERSION").exists():
        return Cluster(settings, root=str(Path(keep) / "pg")).reopen()
    return Cluster(settings, root=str(Path(keep) / "pg") if keep else None).start()


def _database(engine: str, cluster, size: int, keep: str | None) -> tuple[str, Path | None]:
    """The database URL for a size, and where its load timings are kept (None: not kept)."""
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="hailong-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    timings_file = folder / f"{engine}-{size}.json" if keep else None
    if engine == "sqlite":
        path = folder / f"bench-{size}.sqlite3"
        if timings_file is None or not timings_file.exists():
            path.unlink(missing_ok=True)
        return f"sqlite:///{path}", timings_file
    name = f"bench{size}"
    if timings_file is None or not timings_file.exists():
        createdb = [str(cluster.bindir / "createdb"), "-h", str(cluster.root), "-p", str(cluster.port)]
        cluster._run(str(cluster.bindir / "dropdb"), *createdb[1:], "-U", "postgres", "--if-exists", name)
        cluster._run(*createdb, "-U", "postgres", name)
    return cluster.url(name), timings_file


def _print(size: int, row: dict) -> None:
    load = ", ".join(f"{x:.2f}" for x in row["loadavg"])
    print(
        f"\n== {size:,} responses: load {row['load_s']} s, roll-ups {row['rollup_build_s']} s "
        f"({row['rollup_days']} days), one day {row['recompute_one_day_ms']} ms; load average {load}"
    )
    names = ("overview", "head", "head-open")
    for name in (*[n + " (no cache)" for n in names], *names, "raw-sql overview", "raw-sql head", "select 1"):
        print(f"  {name:18s} p50 {row[name]['p50_ms']:8.1f} ms   p95 {row[name]['p95_ms']:8.1f} ms")


if __name__ == "__main__":
    main()

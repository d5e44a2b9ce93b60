"""Evidence pack at scale: time and peak memory for N responses.

    .venv/bin/python -m bench.evidence_pack [--sizes 100000,1000000] [--db sqlite|postgres]

For each size: load N synthetic responses (10 answers each) into a fresh
database, then run each phase in its own process so its peak RSS is its own:
  baseline  stream every response with its answers to a plain CSV (the least
            any export must do: read the rows once and write them)
  seal      first seal of all N responses (leaf encoding, hashing, tree)
  pack      `build_pack` for the whole province and year (seal, full
            verification, CSV/XLSX/JSON, records, leaves, PDF, ZIP)
  verify    `verify_pack` on the ZIP
("idle" is the app alone, for the memory floor.) Results are printed and appended to bench/results/evidence_pack.txt.
"""

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.common import bench_lock  # noqa: E402 - after the path is set (run as a script)

YEAR_START = datetime(2025, 1, 1)


def make_app(url: str):
    from flask_migrate import upgrade

    from survey import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INTEGRITY_SETTLE_SECONDS": 0, "TESTING": True})
    with app.app_context():
        upgrade(directory=os.path.join(ROOT, "migrations"))
    return app


def load(url: str, n: int) -> None:
    """Province, 40 communes, real procedure codes, N responses over 2025."""

    from survey.agencies import create_agency
    from survey.extensions import db
    from survey.models import Procedure
    from survey.points import create_point
    from survey.questionnaires import ensure_default

    app = make_app(url)
    with app.app_context():
        version = ensure_default()
        root = create_agency("BENCH", "Ủy ban nhân dân tỉnh Đo Tải", "provincial_pc")
        with open(os.path.join(ROOT, "survey", "data", "procedures.csv"), encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))[:20]
        procedures = [Procedure(code=r["code"], name=r["name"], field=r["field"]) for r in rows]
        db.session.add_all(procedures)
        communes = [
            create_agency(f"BENCH-X{i:02d}", f"Ủy ban nhân dân xã Số {i}", "commune_pc", root)
            for i in range(40)
        ]
        points = [create_point(c) for c in communes]
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            load_sql(n, version.id, [p.id for p in points], [p.id for p in procedures])
        else:
            load_python(n, version, points, procedures)


def load_python(n: int, version, points: list, procedures: list) -> None:
    """Rows built in Python, 10,000 responses per INSERT (SQLite)."""
    from sqlalchemy import insert

    from survey.extensions import db
    from survey.models import Answer, Response

    questions = [q for q in version.questions if q.kind in ("scale", "choice")]
    rng = random.Random(7)
    span = 365 * 86400
    for start in range(0, n, 10000):
        responses, answers = [], []
        for i in range(start, min(n, start + 10000)):
            point = points[i % len(points)]
            overall = min(5, 1 + int(5 * rng.random() ** 0.5))
            moment = YEAR_START + timedelta(seconds=span * i / n)
            comment = "Cán bộ hướng dẫn tận tình, thủ tục nhanh gọn." if i % 10 == 0 else None
            responses.append(
                dict(
                    id=i + 1,
                    nonce=f"bench-{i}",
                    survey_point_id=point.id,
                    agency_id=point.agency_id,
                    procedure_id=procedures[i % 20].id,
                    questionnaire_id=version.id,
                    submitted_at=moment,
                    channel="qr",
                    overall=overall,
                    comment=comment,
                    locale="vi",
                    is_demo=False,
                )
            )
            for q in questions:
                value = (
                    overall
                    if q.key == "Q9"
                    else (1 if q.kind == "choice" else min(5, overall + (i + q.position) % 2))
                )
                answers.append(dict(response_id=i + 1, question_id=q.id, value=value, not_applicable=False))
        db.session.execute(insert(Response), responses)
        db.session.execute(insert(Answer), answers)
        db.session.commit()


# The same shape as the Python loader (SQLite), generated inside PostgreSQL:
# a million responses load in minutes instead of an hour on a busy machine.
RESPONSES_SQL = """
INSERT INTO responses (id, nonce, survey_point_id, agency_id, procedure_id, questionnaire_id,
                       submitted_at, channel, overall, comment, locale, is_demo)
SELECT g.i, 'bench-' || (g.i - 1), pt.id, pt.agency_id, (CAST(:procs AS int[]))[((g.i - 1) % 20) + 1],
       :version, CAST(:start AS timestamp) + (g.i - 1) * (:span / :n) * interval '1 second', 'qr', g.overall,
       CASE WHEN (g.i - 1) % 10 = 0 THEN :comment END, 'vi', false
FROM (SELECT i, CAST(LEAST(5, 1 + floor(5 * sqrt(((i * 1103515245 + 12345) % 2147483648) / 2147483648.0)))
                     AS smallint) AS overall
      FROM generate_series(CAST(:lo AS bigint), CAST(:hi AS bigint)) AS i) AS g
JOIN survey_points AS pt ON pt.id = (CAST(:points AS int[]))[((g.i - 1) % :npoints) + 1]
"""
ANSWERS_SQL = """
INSERT INTO answers (response_id, question_id, value, not_applicable)
SELECT r.id, q.id,
       CASE WHEN q.key = 'Q9' THEN r.overall WHEN q.kind = 'choice' THEN 1
            ELSE LEAST(5, r.overall + (r.id - 1 + q.position) % 2) END,
       false
FROM responses AS r CROSS JOIN questions AS q
WHERE q.questionnaire_id = :version AND q.kind IN ('scale', 'choice') AND r.id BETWEEN :lo AND :hi
"""


def load_sql(n: int, version: int, points: list[int], procedures: list[int]) -> None:
    from sqlalchemy import text

    from survey.extensions import db

    fixed = {
        "procs": procedures,
        "version": version,
        "start": YEAR_START,
        "span": 365 * 86400.0,
        "n": n,
        "comment": "Cán bộ hướng dẫn tận tình, thủ tục nhanh gọn.",
        "points": points,
        "npoints": len(points),
    }
    for lo in range(1, n + 1, 100000):
        bounds = {"lo": lo, "hi": min(n, lo + 99999)}
        db.session.execute(text(RESPONSES_SQL), {**fixed, **bounds})
        db.session.execute(text(ANSWERS_SQL), {"version": version, **bounds})
        db.session.commit()
        print(f"  loaded {bounds['hi']:,} responses", file=sys.stderr, flush=True)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))


def phase(name: str, url: str, workdir: str) -> dict:
    """Run in a child process; returns its figures."""
    from survey.agencies import get_by_code
    from survey.evidence.scope import EvidenceScope

    app = make_app(url)
    started, cpu = time.perf_counter(), time.process_time()
    extra = {}
    with app.app_context():
        if name == "baseline":
            extra["bytes"] = baseline_csv(os.path.join(workdir, "baseline.csv"))
        elif name == "seal":
            from survey.integrity.sealer import seal

            extra["leaves"] = seal(now=datetime(2026, 6, 1)).tree_size
        elif name == "pack":
            from survey.evidence.pack import build_pack

            scope = EvidenceScope(get_by_code("BENCH"), True, date(2025, 1, 1), date(2025, 12, 31))
            clock = StageClock()
            result = build_pack(scope, os.path.join(workdir, "pack.zip"), progress=clock)
            extra["stages"] = clock.summary()
            extra["bytes"] = result.size
            extra["integrity_ok"] = result.manifest["integrity_check"]["ok"]
        elif name == "verify":
            from survey.evidence.verify_pack import verify_pack

            extra["ok"] = verify_pack(os.path.join(workdir, "pack.zip")).ok
    seconds = time.perf_counter() - started
    # CPU of this process only (not the database server's): steadier than wall time on a busy machine.
    extra["cpu_s"] = round(time.process_time() - cpu, 1)
    return {"phase": name, "seconds": round(seconds, 1), "peak_rss_mb": peak_rss_mb(), **extra}


class StageClock:
    """Progress callback noting when each stage of build_pack ends (its last
    event): seal; data (seal log, figures, then the one pass writing CSV,
    XLSX, JSON and records); report (leaves.bin with the root checks, PDF);
    the rest is manifest and ZIP."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.last: dict[str, float] = {}

    def __call__(self, stage: str, rows: int) -> None:
        self.last[stage] = time.perf_counter()

    def summary(self) -> str:
        marks = [*self.last.items(), ("manifest+zip", time.perf_counter())]
        parts, previous = [], self.started
        for stage, moment in marks:
            parts.append(f"{stage} {moment - previous:.1f} s")
            previous = moment
        return " / ".join(parts)


def peak_rss_mb() -> int:
    """VmHWM of this process (ru_maxrss would include the parent's peak,
    which Linux carries across fork and exec)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    return 0


def baseline_csv(path: str) -> int:
    """Plain streaming read of every response and its answers into a CSV."""
    from sqlalchemy import select

    from survey.extensions import db
    from survey.models import Answer, Response

    stmt = (
        select(
            Response.id,
            Response.submitted_at,
            Response.agency_id,
            Response.overall,
            Response.comment,
            Answer.question_id,
            Answer.value,
        )
        .join(Answer, Answer.response_id == Response.id)
        .order_by(Response.id)
        .execution_options(yield_per=20000)
    )
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        for row in db.session.execute(stmt):
            writer.writerow(row)
    return os.path.getsize(path)


def run_size(n: int, engine: str, lock: str | None = None) -> list[dict]:
    workdir = tempfile.mkdtemp(prefix=f"bench-evidence-{n}-")
    cluster = None
    if engine == "postgres":
        from tests.pgcluster import Cluster

        cluster = Cluster().start()
        url = cluster.url()
    else:
        url = "sqlite:///" + os.path.join(workdir, "bench.sqlite3")
    try:
        started = time.perf_counter()
        load(url, n)
        results = [{"phase": "load", "seconds": round(time.perf_counter() - started, 1)}]
        # The first seal is set-up (a real log is sealed daily), timed but outside the lock.
        results.append(run_phase("seal", url, workdir))
        before = os.getloadavg()
        for name in ("idle", "baseline", "pack", "verify"):
            with bench_lock(lock):  # phase by phase, so other benchmarks get their turn between
                results.append(run_phase(name, url, workdir))
        results.append({"phase": "load_avg", "before": before, "after": os.getloadavg()})
        return results
    finally:
        if cluster is not None:
            cluster.destroy()
        shutil.rmtree(workdir, ignore_errors=True)


def run_phase(name: str, url: str, workdir: str) -> dict:
    command = [
        sys.executable,
        "-m",
        "bench.evidence_pack",
        "--phase",
        name,
        "--url",
        url,
        "--workdir",
        workdir,
    ]
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(n: int, engine: str, results: list[dict]) -> str:
    lines = [
        f"evidence pack, {n:,} responses ({n * 10:,} answers), {engine}, {datetime.now():%Y-%m-%d %H:%M}"
    ]
    base = next(r for r in results if r["phase"] == "baseline")
    for r in results:
        if r["phase"] == "load_avg":
            before, after = (" ".join(f"{v:.2f}" for v in r[k]) for k in ("before", "after"))
            lines.append(f"  load average (1/5/15 min): {before} before the timed phases, {after} after")
            continue
        ratio = (
            f"  ({r['seconds'] / base['seconds']:.1f}× baseline)"
            if r["phase"] in ("seal", "pack", "verify")
            else ""
        )
        extras = ", ".join(
            f"{k} {v:,}" if isinstance(v, int) and not isinstance(v, bool) else f"{k} {v}"
            for k, v in r.items()
            if k not in ("phase", "seconds", "peak_rss_mb")
        )
        peak = f", peak RSS {r['peak_rss_mb']} MB" if "peak_rss_mb" in r else ""
        lines.append(
            f"  {r['phase']:<9} {r['seconds']:>8.1f} s{peak}{', ' + extras if extras else ''}{ratio}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--db", default="sqlite", choices=("sqlite", "postgres"))
    parser.add_argument("--phase")
    parser.add_argument("--url")
    parser.add_argument("--workdir")
    parser.add_argument("--lock", help="flock this file around each timed phase (e.g. /work/bench.lock)")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.url, args.workdir)))
        return
    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    for n in (int(s) for s in args.sizes.split(",")):
        text = report(n, args.db, run_size(n, args.db, args.lock))
        print(text, flush=True)
        with open(os.path.join(ROOT, "bench", "results", "evidence_pack.txt"), "a", encoding="utf-8") as fh:
            fh.write(text + "\n")


if __name__ == "__main__":
    main()

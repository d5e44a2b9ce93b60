"""QR generation rate and a batch of posters for a 500-point subtree: time and peak memory.

    .venv/bin/python -m bench.posters_bench [--points 500] [--layouts a4,sheet] [--db URL]

Builds a province with --points survey points spread over communes (real
procedure codes from survey/data/procedures.csv), then runs each phase in a
fresh child process so that its peak resident memory is its own:

- idle:     import and create the app, load the points (the memory floor);
- qr-png:   one bare 600 px PNG per point (the baseline the issue asks for);
- qr-svg:   one SVG per point;
- <layout>: the batch PDF for the whole subtree, as `flask posters --subtree`.

Prints wall and CPU seconds, per-item milliseconds and peak RSS per phase.
SQLite by default (a temporary file); pass --db for PostgreSQL.
"""

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

from flask_migrate import upgrade

from survey import create_app
from survey.agencies import create_agency, get_by_code
from survey.extensions import db
from survey.models import AgencyProcedure, Procedure
from survey.points import create_point

ROOT = "BENCH"
PER_COMMUNE = 10
PROCEDURES_CSV = os.path.join(os.path.dirname(os.path.dirname(__file__)), "survey", "data", "procedures.csv")
MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")


def _app(url: str):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "PUBLIC_BASE_URL": "https://hailong.langson.gov.vn"})


def _real_procedures(count: int) -> list[Procedure]:
    with open(PROCEDURES_CSV, encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["agency_kind"] == "commune_pc"][:count]
    procedures = [Procedure(code=row["code"], name=row["name"], field=row["field"]) for row in rows]
    db.session.add_all(procedures)
    db.session.flush()
    return procedures


def build_province(url: str, points: int) -> None:
    app = _app(url)
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        if get_by_code(ROOT):
            return
        root = create_agency(ROOT, "Ủy ban nhân dân tỉnh Lạng Sơn (thử tải)", "provincial_pc")
        procedures = _real_procedures(PER_COMMUNE - 1)
        for index in range((points + PER_COMMUNE - 1) // PER_COMMUNE):
            commune = create_agency(
                f"{ROOT}-X{index:03d}", f"Ủy ban nhân dân xã Thử Nghiệm Số {index + 1}", "commune_pc", root
            )
            db.session.add_all(AgencyProcedure(agency_id=commune.id, procedure_id=p.id) for p in procedures)
            create_point(commune, None, "Bộ phận một cửa")
            for procedure in procedures[: min(PER_COMMUNE, points - index * PER_COMMUNE) - 1]:
                create_point(commune, procedure, "Quầy 1")
        db.session.commit()


def run_phase(url: str, phase: str) -> dict:
    """In the child: one phase, timed; peak RSS read after it."""
    from survey import qr
    from survey.points import qr_url
    from survey.posters.service import build_pdf, points_for

    app = _app(url)
    with app.app_context():
        points = points_for(get_by_code(ROOT), subtree=True)
        texts = [qr_url(p.code) for p in points]
        wall, cpu = time.perf_counter(), time.process_time()
        size = 0
        if phase == "qr-png":
            size = sum(len(qr.png_bytes(text, 600)) for text in texts)
        elif phase == "qr-svg":
            size = sum(len(qr.svg_bytes(text)) for text in texts)
        elif phase != "idle":
            size = len(build_pdf(points, phase))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "phase": phase,
        "items": len(points),
        "wall": wall,
        "cpu": cpu,
        "bytes": size,
        "peak_mib": peak_kib / 1024,
    }


def _child(url: str, phase: str) -> dict:
    command = [sys.executable, "-m", "bench.posters_bench", "--db", url, "--phase", phase]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _report(rows: list[dict]) -> None:
    """CPU time is the steadier figure on a shared machine; wall time is shown beside it."""
    idle = next(row for row in rows if row["phase"] == "idle")
    png = next(row for row in rows if row["phase"] == "qr-png")
    header = ("phase", "items", "wall s", "cpu s", "cpu ms/item", "× png", "output", "peak MiB", "+idle")
    print("{:<8} {:>6} {:>8} {:>7} {:>11} {:>6} {:>10} {:>9} {:>7}".format(*header))
    for row in rows:
        per_item = 1000 * row["cpu"] / row["items"] if row["items"] else 0.0
        ratio = row["cpu"] / png["cpu"] if png["cpu"] else 0.0
        output = f"{row['bytes'] / 1024:,.0f} KiB" if row["bytes"] else "-"
        extra = row["peak_mib"] - idle["peak_mib"]
        print(
            f"{row['phase']:<8} {row['items']:>6} {row['wall']:>8.2f} {row['cpu']:>7.2f} {per_item:>11.1f} "
            f"{ratio:>6.1f} {output:>10} {row['peak_mib']:>9.1f} {extra:>+7.1f}"
        )
    rate = png["items"] / png["cpu"] if png["cpu"] else 0.0
    print(f"\nbare QR PNG rate: {rate:,.0f} images per CPU second (600 px, alphanumeric URL, one process)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=500)
    parser.add_argument("--layouts", default="a4,sheet")
    parser.add_argument("--db")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(run_phase(args.db, args.phase)))
        return
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{folder}/bench.sqlite3"
        started = time.perf_counter()
        build_province(url, args.points)
        print(
            f"province with {args.points} survey points built in {time.perf_counter() - started:.1f} s ({url.split(':')[0]})"
        )
        phases = ["idle", "qr-png", "qr-svg", *args.layouts.split(",")]
        rows = []
        for phase in phases:
            rows.append(_child(url, phase))
            print(f"  {phase} done", file=sys.stderr)
        _report(rows)


if __name__ == "__main__":
    main()

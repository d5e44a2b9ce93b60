"""Cost of the console's agency tree at national scale: tree page, move, merge.

    .venv/bin/python -m bench.console [--groups 34] [--per-group 100] [--responses 20000] [--db URL]

Builds a root with --groups children (provinces, or pre-2025 districts),
each with --per-group communes and one survey point per commune, plus
--responses responses. Prints, each with a baseline from the same run:
- the tree page (/admin/agencies, every unit in one page, no JavaScript)
  against the paged search list (/admin/agencies?q=..., 50 rows);
- moving one group (a subtree of --per-group units) under another group,
  against adding one unit (create_agency);
- merging one commune into another (points, procedures, history follow),
  against renaming one.
SQLite by default (a temporary file); pass --db for PostgreSQL.
"""

import argparse
import statistics
import tempfile
import time
from datetime import timedelta

from flask_migrate import upgrade
from sqlalchemy import insert

from bench.common import sample_ms
from survey import agency_changes, create_app
from survey.agencies import create_agency, get_by_code
from survey.extensions import db
from survey.models import Response, User
from survey.models.types import utcnow
from survey.points import create_point
from survey.questionnaires import ensure_default

PASSWORD = "bench-password-2026"  # noqa: S105 - a throwaway bench account


def _build(groups: int, per_group: int, responses: int) -> None:
    version = ensure_default()
    root = create_agency("B", "Cả nước (thử tải)", "provincial_pc")
    points = []
    for g in range(groups):
        group = create_agency(f"B-{g:02d}", f"Tỉnh thử tải {g:02d}", "provincial_pc", root)
        for c in range(per_group):
            commune = create_agency(f"B-{g:02d}-{c:03d}", f"Xã thử tải {g:02d}-{c:03d}", "commune_pc", group)
            points.append(create_point(commune))
    now = utcnow()
    rows = [
        {
            "nonce": f"bench-{i}",
            "survey_point_id": points[i % len(points)].id,
            "agency_id": points[i % len(points)].agency_id,
            "questionnaire_id": version.id,
            "submitted_at": now - timedelta(minutes=i),
            "channel": "qr",
            "overall": 1 + i % 5,
            "locale": "vi",
            "is_demo": False,
        }
        for i in range(responses)
    ]
    for start in range(0, len(rows), 10_000):
        db.session.execute(insert(Response), rows[start : start + 10_000])
    admin = User(email="admin@bench.vn", role="admin")
    admin.set_password(PASSWORD)
    db.session.add(admin)
    db.session.commit()


def _timed(action, repeat: int = 5) -> list[float]:
    return sample_ms(action, repeat)


def _line(name: str, times: list[float], baseline_name: str, baseline: list[float]) -> None:
    ratio = statistics.median(times) / statistics.median(baseline)
    print(
        f"{name:<32} median {statistics.median(times):8.1f} ms  max {max(times):8.1f} ms   "
        f"baseline {baseline_name}: {statistics.median(baseline):7.1f} ms   ×{ratio:.1f}"
    )


def _pages(app) -> None:
    client = app.test_client()
    client.post("/login", data={"email": "admin@bench.vn", "password": PASSWORD})
    tree = _timed(lambda: client.get("/admin/agencies"))
    search = _timed(lambda: client.get("/admin/agencies?q=Xã thử tải 07"))
    _line("tree page (all units)", tree, "search page", search)
    size = len(client.get("/admin/agencies").data)
    print(f"{'tree page size':<32} {size / 1024:8.0f} KiB")


def _changes(groups: int) -> None:
    counter = iter(range(10_000))

    def add_one():
        create_agency(f"B-NEW-{next(counter)}", "Đơn vị mới", "commune_pc", get_by_code("B-00"))
        db.session.commit()

    added = _timed(add_one)
    targets = iter(range(1, 1 + 5))

    def move_group():
        agency_changes.move(get_by_code("B-00"), get_by_code(f"B-{next(targets) % groups:02d}"))
        db.session.commit()

    moved = _timed(move_group)
    _line("move a group subtree", moved, "add one unit", added)
    names = iter(range(10_000))

    def rename_one():
        agency_changes.rename(get_by_code("B-02-001"), f"Xã đổi tên {next(names)}")
        db.session.commit()

    renamed = _timed(rename_one)
    pairs = iter(range(10, 15))

    def merge_two():
        n = next(pairs)
        agency_changes.merge(get_by_code(f"B-02-{n:03d}"), get_by_code("B-02-000"))
        db.session.commit()

    merged = _timed(merge_two)
    _line("merge two communes", merged, "rename one", renamed)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=34)
    parser.add_argument("--per-group", type=int, default=100)
    parser.add_argument("--responses", type=int, default=20_000)
    parser.add_argument("--db")
    args = parser.parse_args()
    if args.groups < 7 or args.per_group < 15:  # the timed moves use groups 1-5, the merges communes 10-14
        parser.error("needs --groups of at least 7 and --per-group of at least 15")
    url = args.db or "sqlite:///" + tempfile.mkdtemp() + "/bench.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade(directory="migrations")
        start = time.perf_counter()
        _build(args.groups, args.per_group, args.responses)
        units = 1 + args.groups * (1 + args.per_group)
        print(
            f"built {units} units, {args.responses} responses in {time.perf_counter() - start:.1f} s ({url.split(':')[0]})"
        )
        _pages(app)
        _changes(args.groups)


if __name__ == "__main__":
    main()

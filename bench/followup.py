"""Cost of follow-up on the citizen's submit path and of the work list.

    .venv/bin/python -m bench.followup [--background 50000] [--submits 300] [--cases 5000] [--db URL]

Baseline in the same run: the same submits with the alert hook switched
off. Prints median and p95 per submit, then the time of the work list,
the overdue count and case_figures over --cases cases. SQLite by default
(a temporary file); pass --db for PostgreSQL.
"""

import argparse
import statistics
import tempfile
import time
from datetime import timedelta

from flask_migrate import upgrade
from sqlalchemy import insert, select

from bench.common import sample_ms
from survey import create_app
from survey.agencies import create_agency
from survey.extensions import db
from survey.followup import alerts, figures, queries
from survey.models import Case, Response
from survey.models.types import utcnow
from survey.points import create_point
from survey.questionnaires import ensure_default
from survey.responses import Submission, record


def _background(point, version, count: int) -> None:
    now = utcnow()
    rows = [
        {
            "nonce": f"bg-{i}",
            "survey_point_id": point.id,
            "agency_id": point.agency_id,
            "questionnaire_id": version.id,
            "submitted_at": now - timedelta(minutes=i % 500_000),
            "channel": "qr",
            "overall": 1 + i % 5,
            "locale": "vi",
            "is_demo": False,
        }
        for i in range(count)
    ]
    for start in range(0, count, 10_000):
        db.session.execute(insert(Response), rows[start : start + 10_000])
    db.session.commit()


def _cases(agency, count: int) -> None:
    """Cases on the oldest background responses (opened over 90 days)."""
    response_ids = db.session.scalars(select(Response.id).order_by(Response.id).limit(count)).all()
    today = utcnow().date()
    rows = [
        {
            "response_id": response_id,
            "agency_id": agency.id,
            "status": ("new", "in_progress", "answered", "closed")[i % 4],
            "opened_at": utcnow() - timedelta(days=i % 90),
            "due_on": today - timedelta(days=i % 20 - 10),
        }
        for i, response_id in enumerate(response_ids)
    ]
    db.session.execute(insert(Case), rows)
    db.session.commit()


def _time_submits(point, version, n: int) -> tuple[list[float], list[float]]:
    """Alternate submits without and with the alert hook, so that drift
    (cache, file growth, other load on the machine) hits both alike."""
    hook, off = alerts.after_response, (lambda agency_id, point_id: [])
    times: tuple[list[float], list[float]] = ([], [])
    for i in range(2 * n):
        alerts.after_response = hook if i % 2 else off
        start = time.perf_counter()
        record(point, version, Submission(nonce=f"t-{i}", answers={"Q9": 4 if i % 3 else 1}))
        times[i % 2].append((time.perf_counter() - start) * 1000)
    alerts.after_response = hook
    return times


def _describe(label: str, times: list[float]) -> str:
    p95 = statistics.quantiles(times, n=20)[-1]
    return f"{label:<34} median {statistics.median(times):6.2f} ms   p95 {p95:6.2f} ms   (n={len(times)})"


def _timed(label: str, fn, repeat: int = 20) -> str:
    times = sample_ms(fn, repeat)
    return f"{label:<34} median {statistics.median(times):6.2f} ms   (repeat={repeat})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--background", type=int, default=50_000)
    parser.add_argument("--submits", type=int, default=300)
    parser.add_argument("--cases", type=int, default=5_000)
    parser.add_argument("--db")
    args = parser.parse_args()
    url = args.db or "sqlite:///" + tempfile.mkdtemp() + "/bench.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade(directory="migrations")
        version = ensure_default()
        agency = create_agency("B01", "Ủy ban nhân dân xã Đo Lường", "commune_pc")
        point = create_point(agency)
        db.session.commit()
        _background(point, version, args.background)
        _cases(agency, args.cases)
        print(f"engine {db.engine.dialect.name}; {args.background} background responses, {args.cases} cases")
        baseline, with_hook = _time_submits(point, version, args.submits)
        print(_describe("submit, baseline (no alert check)", baseline))
        print(_describe("submit, with alert check", with_hook))
        print(_timed("alert check alone (check_place)", lambda: alerts.check_place(agency.id, point.id), 200))
        ids = [agency.id]
        print(
            _timed(
                "work list page (50 rows)", lambda: db.paginate(queries.work_list(ids), page=1, per_page=50)
            )
        )
        print(_timed("overdue count", lambda: queries.overdue_count(ids)))
        print(_timed("case_figures (all cases)", lambda: figures.case_figures(ids)))


if __name__ == "__main__":
    main()

"""The world the authorization matrix runs in: two provinces, every role.

Each scoped user has one agency inside its scope (``inside``) and one
outside (``outside``): a sibling commune for commune users, the other
province for province-wide users. The administrator sees everything, so its
"outside" object is expected to be served too.
"""

import os
import tempfile
from datetime import date
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import select

from survey.agencies import create_agency
from survey.extensions import db
from survey.followup.cases import open_case
from survey.models import AgencyProcedure, Alert, Case, EvidenceJob, User
from survey.models.evidence import JOB_DONE
from survey.models.types import utcnow
from survey.points import create_point
from tests import factories

# Real codes from survey/data/procedures.csv, one handled only by each agency
# so that a leaked row in a list is visible.
UNIQUE_PROCEDURES = {
    "T01-XA": ("1.000656", "Thủ tục đăng ký khai tử", "Hộ tịch"),
    "T01-XB": ("1.000689", "Thủ tục đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con", "Hộ tịch"),
    "T02-XA": ("1.001022", "Thủ tục đăng ký nhận cha, mẹ, con", "Hộ tịch"),
}


def _user(email: str, role: str, agency) -> User:
    account = User(email=email, role=role, agency=agency, password_hash="!")  # no login by password
    db.session.add(account)
    return account


def build() -> SimpleNamespace:
    p = factories.province()
    root2 = create_agency("T02", "Ủy ban nhân dân tỉnh Đối Chứng", "provincial_pc")
    commune2 = create_agency("T02-XA", "Ủy ban nhân dân xã Biên Giới", "commune_pc", root2)
    agencies = {"T01-XA": p.commune_a, "T01-XB": p.commune_b, "T02-XA": commune2}
    procedures = {code: factories.procedure(*UNIQUE_PROCEDURES[code]) for code in agencies}
    for code, agency in agencies.items():
        db.session.add(AgencyProcedure(agency_id=agency.id, procedure_id=procedures[code].id))
    points = {"T01-XA": p.point_a, "T01-XB": p.point_b, "T02-XA": create_point(commune2)}
    users = {
        "admin": _user("quantri@test.vn", "admin", None),
        "committee": _user("bcd@test.vn", "committee", p.root),
        "head": _user("lanhdao@test.vn", "head", p.commune_a),
        "staff": _user("canbo@test.vn", "staff", p.commune_a),
        "auditor": _user("kiemtra@test.vn", "auditor", p.root),
    }
    db.session.commit()
    world = SimpleNamespace(province=p, agencies=agencies, points=points, procedures=procedures, users=users)
    for add in EXTRAS:
        add(world)
    db.session.commit()
    return world


def _followup(world) -> None:
    """Per agency: an unhappy answer with a comment, its case, and an alert."""
    world.responses, world.cases, world.alerts = {}, {}, {}
    for code, point in world.points.items():
        response = factories.answer(point, overall=1, comment=comment_marker(code))
        existing = db.session.scalar(select(Case).where(Case.response_id == response.id))
        world.responses[code] = response
        world.cases[code] = existing or open_case(response)
        moment = utcnow()
        alert = Alert(
            agency_id=point.agency_id,
            level="point",
            survey_point_id=point.id,
            window_start=moment,
            window_end=moment,
            answers=5,
            unhappy=4,
        )
        db.session.add(alert)
        db.session.flush()
        world.alerts[code] = alert


def _evidence(world) -> None:
    """Per agency: a finished evidence pack with a small file to download."""
    world.evidence_jobs = {}
    folder = tempfile.mkdtemp(prefix="hailong-authz-")
    for code, agency in world.agencies.items():
        path = os.path.join(folder, f"pack-{code}.zip")
        with open(path, "wb") as handle:
            handle.write(b"PK\x05\x06" + b"\x00" * 18)  # an empty zip archive
        job = EvidenceJob(
            agency_id=agency.id,
            date_from=date(2026, 1, 1),
            date_to=date(2026, 6, 30),
            status=JOB_DONE,
            file_path=path,
            sha256="0" * 64,
            size=22,
        )
        db.session.add(job)
        db.session.flush()
        world.evidence_jobs[code] = job


def _console(world) -> None:
    """Per agency: a staff account to manage, an API token, an invitation link."""
    from survey import invitations
    from survey.api.tokens import issue
    from survey.dossiers import issue_link

    world.members, world.tokens, world.invites, world.dossier_links = {}, {}, {}, {}
    for code, agency in world.agencies.items():
        member = _user(f"thanhvien-{code.lower()}@test.vn", "staff", agency)
        db.session.flush()
        world.members[code] = member
        world.tokens[code] = issue(f"Phần mềm một cửa {code}", agency)[0]
        request = {
            "dossier_code": f"000.00.{code}-260101-0001",
            "procedure_code": world.procedures[code].code,
            "agency_code": code,
        }
        world.dossier_links[code] = issue_link(world.tokens[code], request)[0]
        with current_app.test_request_context():
            world.invites[code] = invitations.link_for(member).rsplit("/", 1)[1]


def _posters(world) -> None:
    """Per agency: a finished poster job with its PDF on disk."""
    from survey.models import PosterJob
    from survey.posters import jobs

    world.poster_jobs = {}
    for code, agency in world.agencies.items():
        job = PosterJob(agency_id=agency.id, layout="a4", status="done", points=1, done=1)
        db.session.add(job)
        db.session.flush()
        path = jobs.file_path(job)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(b"%PDF-1.4\n%%EOF\n")
        world.poster_jobs[code] = job


def comment_marker(code: str) -> str:
    return f"Chờ lâu quá ở {code}"


# Builders of per-agency objects that routes take as URL arguments; add yours.
EXTRAS = [_followup, _evidence, _console, _posters]


def inside(world, role: str):
    """An agency inside the role's scope (every test user's scope holds T01-XA)."""
    return world.agencies["T01-XA"]


def outside(world, role: str):
    """An agency outside the role's scope (for admin: one it may still see)."""
    return world.agencies["T01-XB" if role in ("head", "staff") else "T02-XA"]

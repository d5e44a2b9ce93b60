"""Small builders with Vietnamese names for tests."""

from types import SimpleNamespace

from survey.agencies import create_agency
from survey.extensions import db
from survey.models import AgencyProcedure, Procedure, User
from survey.points import create_point
from survey.questionnaires import ensure_default
from survey.responses import Submission, record

PASSWORD = "mat-khau-thu-nghiem-2026"


def procedure(code="1.001193", name="Thủ tục đăng ký khai sinh", field="Hộ tịch") -> Procedure:
    item = Procedure(code=code, name=name, field=field)
    db.session.add(item)
    db.session.flush()
    return item


def user(email, role, agency=None, password=PASSWORD) -> User:
    account = User(email=email, role=role, agency=agency)
    account.set_password(password)
    db.session.add(account)
    db.session.commit()
    return account


def province() -> SimpleNamespace:
    version = ensure_default()
    root = create_agency("T01", "Ủy ban nhân dân tỉnh Thử Nghiệm", "provincial_pc")
    dept = create_agency("T01-STP", "Sở Tư pháp tỉnh Thử Nghiệm", "dept_justice", root)
    commune_a = create_agency("T01-XA", "Ủy ban nhân dân xã Hòa Bình", "commune_pc", root)
    commune_b = create_agency("T01-XB", "Ủy ban nhân dân phường Đông Kinh", "commune_pc", root)
    birth = procedure()
    marriage = procedure("1.000894", "Thủ tục đăng ký kết hôn")
    for commune in (commune_a, commune_b):
        db.session.add_all(
            [AgencyProcedure(agency_id=commune.id, procedure_id=p.id) for p in (birth, marriage)]
        )
    point_a = create_point(commune_a, birth, "Quầy 1")
    point_a_agency = create_point(commune_a)
    point_b = create_point(commune_b)
    db.session.commit()
    return SimpleNamespace(
        version=version,
        root=root,
        dept=dept,
        commune_a=commune_a,
        commune_b=commune_b,
        birth=birth,
        marriage=marriage,
        point_a=point_a,
        point_a_agency=point_a_agency,
        point_b=point_b,
    )


_counter = {"n": 0}


def answer(point, overall=5, version=None, comment=None, **answers):
    """Store one response through the real service."""
    _counter["n"] += 1
    version = version or ensure_default()
    values = {"Q9": overall, **answers}
    response, _ = record(
        point, version, Submission(nonce=f"test-{_counter['n']}-{id(point)}", answers=values, comment=comment)
    )
    return response


def answer_at(point, when, overall=5, comment=None, channel="qr", procedure=None, **answers):
    """Store one response dated `when` (naive UTC), as an import or a late sync would."""
    from survey.models import Response
    from survey.responses import _build

    _counter["n"] += 1
    version = ensure_default()
    submission = Submission(
        nonce=f"at-{_counter['n']}-{id(point)}",
        answers={"Q9": overall, **answers},
        comment=comment,
        channel=channel,
        procedure=procedure,
    )
    response: Response = _build(point, version, submission)
    response.submitted_at = when
    db.session.add(response)
    db.session.commit()
    return response


def procedure_point(agency, procedure, counter=None):
    point = create_point(agency, procedure, counter)
    db.session.commit()
    return point

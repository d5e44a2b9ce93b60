"""Demo logins, one per role, printed by `make run` and listed in the README."""

from sqlalchemy import select

from survey.extensions import db
from survey.models import Agency, User

# email, role, agency code (None = whole installation), password
DEMO_USERS = [
    ("admin@demo.hailong.vn", "admin", None, "demo-admin-2026"),
    ("bcd.iso@demo.hailong.vn", "committee", "LS", "demo-committee-2026"),
    ("lanhdao.stp@demo.hailong.vn", "head", "LS-STP", "demo-head-2026"),
    ("lanhdao.xa@demo.hailong.vn", "head", "LS-X06040", "demo-head-2026"),
    ("canbo.xa@demo.hailong.vn", "staff", "LS-X06040", "demo-staff-2026"),
    ("kiemtra@demo.hailong.vn", "auditor", "LS", "demo-auditor-2026"),
]


def create_demo_users() -> None:
    for email, role, agency_code, password in DEMO_USERS:
        if db.session.scalar(select(User).where(User.email == email)):
            continue
        agency = db.session.scalar(select(Agency).where(Agency.code == agency_code)) if agency_code else None
        user = User(email=email, role=role, agency=agency, full_name=f"Demo {role}")
        user.set_password(password)
        db.session.add(user)


def describe_demo_users() -> list[str]:
    return [
        f"{role:<10} {email:<32} {password}  ({code or 'toàn hệ thống'})"
        for email, role, code, password in DEMO_USERS
    ]

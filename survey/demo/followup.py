"""A handful of realistic follow-up cases for the demo commune (Thất Khê),
in every state, so `make run` shows the feature. Demo only: the phone
numbers are fictitious and the responses are the synthetic ones."""

from datetime import datetime, timedelta

from sqlalchemy import select

from survey.extensions import db
from survey.followup.cases import due_date
from survey.followup.settings import effective
from survey.models import Agency, Case, CaseEvent, Contact, Response, User
from survey.models.types import utcnow

DEMO_COMMUNE = "LS-X06040"
HEAD_EMAIL, STAFF_EMAIL = "lanhdao.xa@demo.hailong.vn", "canbo.xa@demo.hailong.vn"
# (status, assigned, days to answer): oldest first; the last two are the newest
PLAN = [
    ("closed", True, 2),
    ("closed", True, 4),
    ("answered", True, 1),
    ("answered", True, 6),
    ("in_progress", True, None),
    ("in_progress", True, None),
    ("new", False, None),
    ("new", False, None),
]
ANSWERS = {
    "Phải chờ": (
        "Đã gọi điện xin lỗi; từ tuần sau bố trí thêm ghế và quạt ở phòng chờ.",
        "Phòng chờ thiếu ghế, quạt hỏng từ tháng trước.",
        "Mua thêm 10 ghế, sửa quạt; kiểm tra phòng chờ hằng tuần.",
    ),
    "Hướng dẫn": (
        "Đã gọi điện hướng dẫn đầy đủ giấy tờ còn thiếu, hẹn nhận hồ sơ một lần.",
        "Bảng hướng dẫn thành phần hồ sơ chưa cập nhật theo quy định mới.",
        "Cập nhật bảng niêm yết; nhắc cán bộ dùng phiếu hướng dẫn một lần.",
    ),
}
DEFAULT_ANSWER = (
    "Đã liên hệ người dân, giải thích và xin lỗi về sự chậm trễ.",
    "Thiếu người trực quầy giờ cao điểm.",
    "Bố trí thêm một cán bộ trực buổi sáng thứ Hai.",
)


def _already_seeded() -> bool:
    stmt = select(Case.id).join(Response, Response.id == Case.response_id).where(Response.is_demo.is_(True))
    return db.session.scalar(stmt.limit(1)) is not None


def _candidates(agency: Agency) -> list[Response]:
    """The most recent low answers of the last 60 days, oldest first."""
    since = utcnow() - timedelta(days=60)
    stmt = (
        select(Response)
        .where(Response.agency_id == agency.id, Response.overall <= 2, Response.submitted_at >= since)
        .order_by(Response.submitted_at.desc())
        .limit(len(PLAN))
    )
    return list(reversed(db.session.scalars(stmt).all()))


def seed_cases() -> int:
    """Create the demo cases once; returns how many were created."""
    agency = db.session.scalar(select(Agency).where(Agency.code == DEMO_COMMUNE))
    head = db.session.scalar(select(User).where(User.email == HEAD_EMAIL))
    staff = db.session.scalar(select(User).where(User.email == STAFF_EMAIL))
    if agency is None or head is None or staff is None or _already_seeded():
        return 0
    responses = _candidates(agency)
    plans = PLAN[len(PLAN) - len(responses) :]  # a short demo keeps the newest states
    for number, (response, plan) in enumerate(zip(responses, plans, strict=True)):
        _demo_case(response, plan, number, head, staff)
    db.session.commit()
    return len(responses)


def _demo_case(response: Response, plan: tuple, number: int, head: User, staff: User) -> None:
    status, assigned, days_to_answer = plan
    opened = response.submitted_at + timedelta(minutes=2)
    contact = Contact(
        response_id=response.id,
        phone=f"0900 000 {100 + number}",
        consent_at=response.submitted_at,
        notice_version="2026-01",
    )
    db.session.add(contact)
    db.session.flush()
    rules = effective(response.agency_id)
    case = Case(
        response_id=response.id,
        agency_id=response.agency_id,
        contact_id=contact.id,
        source="auto",
        status="new",
        opened_at=opened,
        due_on=due_date(opened, rules.due_working_days),
    )
    db.session.add(case)
    db.session.flush()
    _log(case, None, opened, "opened", None, "auto")
    if assigned:
        case.assignee_id, case.status = staff.id, "in_progress"
        at = opened + timedelta(hours=3)
        _log(case, head, at, "assignee", None, staff.email)
        _log(case, head, at, "status", "new", "in_progress")
    if days_to_answer is not None:
        _answer(case, staff, head, opened + timedelta(days=days_to_answer, hours=2), status == "closed")


def _answer(case: Case, staff: User, head: User, at: datetime, close: bool) -> None:
    comment = case.response.comment or ""
    answer, cause, action = next((v for k, v in ANSWERS.items() if comment.startswith(k)), DEFAULT_ANSWER)
    case.answer_text, case.cause, case.status, case.answered_at = answer, cause, "answered", at
    _log(case, staff, at, "answer_text", None, answer)
    _log(case, staff, at, "cause", None, cause)
    _log(case, staff, at, "status", "in_progress", "answered")
    if close:
        closed = at + timedelta(days=1)
        case.corrective_action, case.status, case.closed_at = action, "closed", closed
        _log(case, head, closed, "corrective_action", None, action)
        _log(case, head, closed, "status", "answered", "closed")


def _log(case: Case, user: User | None, at: datetime, field: str, old, new) -> None:
    db.session.add(
        CaseEvent(
            case_id=case.id,
            user_id=user.id if user else None,
            at=at,
            field=field,
            old_value=old,
            new_value=new,
        )
    )

"""The follow-up part of the evidence pack's management-review report
(ISO 9001 10.2: nonconformity and corrective action; domain guide §5:
corrective actions with owner, due date and status).

Registered with survey.evidence.sections so the evidence package never
imports follow-up; the writer reads only case_figures and case rows, never
a contact detail.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from survey.evidence.report.parts import mask
from survey.evidence.report.text import num
from survey.evidence.sections import register_followup
from survey.extensions import db
from survey.i18n import format_date
from survey.models import Alert, Case

STATUS_VI = {
    "new": _l("Mới"),
    "in_progress": _l("Đang xử lý"),
    "answered": _l("Đã trả lời"),
    "closed": _l("Đã đóng"),
}
MAX_ROWS = 40


def _cases(agency_ids: list[int], start, end) -> list[Case]:
    stmt = (
        select(Case)
        .options(selectinload(Case.assignee))
        .where(Case.agency_id.in_(agency_ids), Case.opened_at >= start, Case.opened_at < end)
        .order_by(Case.opened_at.desc())
        .limit(MAX_ROWS)
    )
    return list(db.session.scalars(stmt))


def _alert_count(agency_ids: list[int], start, end) -> int:
    stmt = select(func.count(Alert.id)).where(
        Alert.agency_id.in_(agency_ids), Alert.created_at >= start, Alert.created_at < end
    )
    return db.session.scalar(stmt) or 0


def _case_table(doc, cases: list[Case]) -> None:
    rows = [
        [
            _("Số"),
            _("Mở ngày"),
            _("Người xử lý"),
            _("Hạn"),
            _("Trạng thái"),
            _("Nguyên nhân"),
            _("Hành động khắc phục"),
        ]
    ]
    for case in cases:
        owner = (case.assignee.full_name or case.assignee.email) if case.assignee else "—"
        rows.append(
            [
                f"#{case.id}",
                format_date(case.opened_at),
                owner,
                format_date(case.due_on),
                str(STATUS_VI.get(case.status, case.status)),
                mask(case.cause or "—"),
                mask(case.corrective_action or "—"),
            ]
        )
    doc.grid(rows, (12, 19, 28, 19, 19, 37, 38), size=7.5)


@register_followup
def write_followup(doc, scope) -> bool:
    """Alerts and the corrective-action register for the pack's scope; the
    figures themselves are survey/evidence/report/followup_cases.py's."""
    agency_ids, period = scope.agency_ids, scope.period
    alerts = _alert_count(agency_ids, period.start, period.end)
    cases = _cases(agency_ids, period.start, period.end)
    if not cases and alerts == 0:
        return False
    doc.subheading(_("Hành động khắc phục (ISO 9001:2015 mục 10.2)"))
    doc.bullet(_("Cảnh báo nhiều người không hài lòng trong thời gian ngắn: %(n)s.", n=num(alerts)))
    if cases:
        doc.paragraph(
            _(
                "Sổ theo dõi hành động khắc phục (%(n)s hồ sơ mới nhất; thông tin liên hệ của người dân"
                " không bao giờ in trong báo cáo):",
                n=num(len(cases)),
            ),
            9,
        )
        _case_table(doc, cases)
    return True

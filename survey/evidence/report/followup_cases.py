"""Report section 5: complaint follow-up, from the follow-up feature's own
figures (survey/followup/figures.case_figures), so the report and the
follow-up screens agree."""

from flask_babel import gettext as _

from survey.evidence.report.text import num, pct
from survey.evidence.sections import register_followup
from survey.followup.figures import case_figures
from survey.i18n import format_decimal


@register_followup
def followup_cases(doc, scope) -> bool:
    period = scope.period
    figures = case_figures(scope.agency_ids, period.start, period.end)
    doc.subheading(_("Hồ sơ theo dõi phản ánh mở trong kỳ"))
    if figures.opened == 0:
        doc.paragraph(_("Không có hồ sơ theo dõi phản ánh nào được mở trong kỳ."), 9.5)
        return True
    hours = figures.median_hours_to_answer
    median = "—" if hours is None else _("%(n)s giờ", n=format_decimal(hours, 1))
    doc.grid(
        [
            [_("Chỉ số"), _("Giá trị")],
            [_("Hồ sơ mở trong kỳ"), num(figures.opened)],
            [_("Đã trả lời người dân"), num(figures.answered)],
            [_("Trả lời đúng hạn / đến hạn"), f"{num(figures.answered_on_time)} / {num(figures.due)}"],
            [_("Tỷ lệ trả lời đúng hạn"), pct(figures.on_time_share)],
            [_("Đang mở (trong đó quá hạn)"), f"{num(figures.open)} ({num(figures.overdue)})"],
            [_("Đã đóng"), num(figures.closed)],
            [_("Thời gian trả lời (trung vị)"), median],
        ],
        (110, 60),
    )
    return True

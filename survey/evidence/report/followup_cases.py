"""Report section 5: complaint follow-up, from the follow-up feature's own
figures (survey/followup/figures.case_figures), so the report and the
follow-up screens agree."""

from survey.evidence.report.text import num, pct
from survey.evidence.sections import register_followup
from survey.followup.figures import case_figures


@register_followup
def followup_cases(doc, scope) -> bool:
    period = scope.period
    figures = case_figures(scope.agency_ids, period.start, period.end)
    doc.subheading("Hồ sơ theo dõi phản ánh mở trong kỳ")
    if figures.opened == 0:
        doc.paragraph("Không có hồ sơ theo dõi phản ánh nào được mở trong kỳ.", 9.5)
        return True
    hours = figures.median_hours_to_answer
    median = "—" if hours is None else f"{hours:.1f} giờ".replace(".", ",")
    doc.grid(
        [
            ["Chỉ số", "Giá trị"],
            ["Hồ sơ mở trong kỳ", num(figures.opened)],
            ["Đã trả lời người dân", num(figures.answered)],
            ["Trả lời đúng hạn / đến hạn", f"{num(figures.answered_on_time)} / {num(figures.due)}"],
            ["Tỷ lệ trả lời đúng hạn", pct(figures.on_time_share)],
            ["Đang mở (trong đó quá hạn)", f"{num(figures.open)} ({num(figures.overdue)})"],
            ["Đã đóng", num(figures.closed)],
            ["Thời gian trả lời (trung vị)", median],
        ],
        (110, 60),
    )
    return True

"""The report's first half: identification, scope, method and results."""

import io
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from survey.evidence.figures import ProcedureRow, ReportFigures
from survey.evidence.report.charts import trend_png
from survey.evidence.report.document import FAMILY, ReportDocument
from survey.evidence.report.text import (
    channel_text,
    ci_text,
    margin_text,
    num,
    pct,
    rate_text,
    reason_text,
    status_text,
)
from survey.extensions import db
from survey.i18n import current_locale, format_date, format_datetime, format_decimal
from survey.models import QuestionnaireVersion, Response

PROCEDURE_ROWS = 25


def cover(doc: ReportDocument, figures: ReportFigures, doc_id: str, generated_at: datetime) -> None:
    scope = figures.scope
    doc.add_page()
    doc.set_font(FAMILY, "B", 9.5)
    top = doc.get_y()
    doc.multi_cell(80, 5, scope.agency.name.upper(), align="C")
    doc.set_xy(doc.l_margin + 82, top)
    doc.multi_cell(0, 5, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"), align="C")
    doc.ln(8)
    doc.set_font(FAMILY, "B", 14)
    doc.multi_cell(
        0,
        7.5,
        _("BÁO CÁO KẾT QUẢ KHẢO SÁT\nSỰ HÀI LÒNG CỦA NGƯỜI DÂN, TỔ CHỨC"),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    doc.set_font(FAMILY, "", 10.5)
    period = _(
        "Kỳ báo cáo: từ ngày %(start)s đến ngày %(end)s",
        start=format_date(scope.date_from),
        end=format_date(scope.date_to),
    )
    doc.multi_cell(0, 6, period, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.paragraph(
        _("Đầu vào xem xét của lãnh đạo theo TCVN ISO 9001:2015, điều 9.3.2 c) 1)"), 9.5, muted=True
    )
    doc.ln(2)
    doc.grid(
        [
            [_("Thông tin tài liệu"), ""],
            [_("Mã tài liệu"), doc_id],
            [_("Ngày lập"), format_datetime(generated_at) + " " + _("(giờ Việt Nam)")],
            [_("Lập bởi"), _("Phần mềm Hài Lòng QR, tự động từ dữ liệu khảo sát đã niêm phong")],
        ],
        (45, 125),
    )


def scope_section(doc: ReportDocument, figures: ReportFigures) -> None:
    scope, summary = figures.scope, figures.summary
    doc.heading(_("1. Phạm vi và kỳ báo cáo"))
    unit = f"{scope.agency.name} ({scope.agency.code})"
    if scope.subtree and figures.agencies > 1:
        unit += " " + _("và %(n)s đơn vị trực thuộc", n=num(figures.agencies - 1))
    doc.bullet(_("Đơn vị: %(unit)s.", unit=unit))
    period = _(
        "Thời gian: %(start)s – %(end)s (%(days)s ngày).",
        start=format_date(scope.date_from),
        end=format_date(scope.date_to),
        days=num(scope.days),
    )
    doc.bullet(period)
    doc.bullet(_("Thủ tục hành chính có phiếu khảo sát: %(n)s.", n=num(len(figures.procedures))))
    doc.bullet(
        _(
            "Số phiếu nhận được: %(n)s; được tính: %(counted)s.",
            n=num(summary.responses),
            counted=num(summary.counted),
        )
    )


def method_section(doc: ReportDocument, figures: ReportFigures) -> None:
    doc.heading(_("2. Phương pháp"))
    doc.subheading(_("2.1. Cách thu thập"))
    doc.paragraph(
        _(
            "Người dân, tổ chức tự nguyện quét mã QR tại nơi làm thủ tục và trả lời phiếu trên điện thoại, "
            "không cần đăng nhập, không ghi họ tên. Mẫu là mẫu tự chọn tại quầy, không phải mẫu ngẫu nhiên; "
            "người rất hài lòng hoặc rất không hài lòng có thể trả lời nhiều hơn."
        )
    )
    rows = [[_("Kênh"), _("Số phiếu")]] + [[channel_text(c), num(n)] for c, n in figures.channels.items()]
    doc.grid(rows, (120, 50))
    questionnaire_section(doc, figures)
    doc.subheading(_("2.3. Cách tính"))
    for line in METHOD_RULES:
        doc.bullet(str(line))
    excluded = figures.summary.responses - figures.summary.counted
    doc.bullet(_("Phiếu bị loại trong kỳ: %(n)s", n=num(excluded)) + _reasons(figures.exclusions) + ".")
    doc.bullet(
        _(
            "Cỡ mẫu được tính: %(n)s phiếu; sai số (nửa độ rộng khoảng tin cậy 95 %%) "
            "của tỷ lệ hài lòng chung: %(margin)s.",
            n=num(figures.summary.counted),
            margin=margin_text(figures.summary.rate),
        )
    )
    doc.ln(1)


METHOD_RULES = [
    _l("Thang 5 mức: 1 Rất không hài lòng, 2 Không hài lòng, 3 Bình thường, 4 Hài lòng, 5 Rất hài lòng."),
    _l(
        "Tỷ lệ hài lòng = (số trả lời mức 4 + mức 5) / (số trả lời từ mức 1 đến mức 5). "
        "Mức 3 (Bình thường) không được tính là hài lòng."
    ),
    _l("Câu trả lời “không áp dụng” và câu bỏ trống không nằm trong mẫu số."),
    _l(
        "Khoảng tin cậy 95 % theo phương pháp Wilson. Dưới 30 câu trả lời: không công bố tỷ lệ (“chưa đủ dữ liệu”)."
    ),
    _l(
        "Đánh giá so với mục tiêu: Đạt nếu cận dưới ≥ mục tiêu; Chưa đạt nếu cận trên < mục tiêu; "
        "còn lại là Chưa chắc chắn."
    ),
    _l(
        "Phiếu không bao giờ bị xoá hay sửa. Phiếu bị loại (phiếu thử, phiếu dồn dập bất thường) được ghi "
        "thành quyết định riêng: ai, khi nào, lý do; không tính vào kết quả nhưng vẫn có trong dữ liệu gốc."
    ),
]


def _reasons(reasons: dict[str, int]) -> str:
    if not reasons:
        return ""
    return " (" + "; ".join(f"{reason_text(r)}: {num(n)}" for r, n in reasons.items()) + ")"


def questionnaire_section(doc: ReportDocument, figures: ReportFigures) -> None:
    scope, period = figures.scope, figures.scope.period
    used = select(Response.questionnaire_id).where(
        Response.agency_id.in_(scope.agency_ids),
        Response.submitted_at >= period.start,
        Response.submitted_at < period.end,
    )
    versions = db.session.scalars(select(QuestionnaireVersion).where(QuestionnaireVersion.id.in_(used)))
    for version in versions:
        english = current_locale() == "en"
        title = version.title_en if english else version.title_vi
        doc.subheading(
            _(
                "2.2. Phiếu khảo sát: %(title)s, phiên bản %(code)s",
                title=title,
                code=f"{version.code}.{version.version}",
            )
        )
        rows = [[_("Câu"), _("Nội dung câu hỏi (nguyên văn)")]]
        rows += [
            [q.key, q.text_en if english else q.text_vi] for q in version.questions if q.kind != "procedure"
        ]
        doc.grid(rows, (18, 152), size=8)


def results_section(doc: ReportDocument, figures: ReportFigures) -> None:
    summary, previous = figures.summary, figures.previous
    doc.heading(_("3. Kết quả"))
    doc.subheading(_("3.1. Mức độ hài lòng chung so với mục tiêu chất lượng"))
    doc.grid(
        [
            [_("Chỉ số"), _("Kỳ này"), _("Kỳ trước")],
            [_("Số phiếu được tính (n)"), num(summary.counted), num(previous.counted)],
            [_("Tỷ lệ hài lòng"), rate_text(summary.rate), rate_text(previous.rate)],
            [_("Khoảng tin cậy 95 %"), ci_text(summary.rate), ci_text(previous.rate)],
            [_("Sai số"), margin_text(summary.rate), margin_text(previous.rate)],
            [_("Mục tiêu chất lượng"), pct(figures.target), ""],
            [_("Đánh giá"), status_text(figures.status), ""],
        ],
        (70, 50, 50),
    )
    doc.paragraph(_comparison(figures), 9.5)
    criteria_table(doc, figures)
    procedure_table(doc, figures)
    trend(doc, figures)


def _comparison(figures: ReportFigures) -> str:
    now, before = figures.summary.rate, figures.previous.rate
    if not (now.enough and before.enough):
        return _("So sánh với kỳ trước: chưa đủ dữ liệu ở một trong hai kỳ để kết luận.")
    overlap = now.ci95[0] <= before.ci95[1] and before.ci95[0] <= now.ci95[1]
    change = (now.value - before.value) * 100
    sign = "+" if change >= 0 else "−"
    points = sign + format_decimal(abs(change), 1)
    if overlap:
        return _(
            "So sánh với kỳ trước: %(points)s điểm %% (chưa đủ căn cứ để kết luận có thay đổi thật: "
            "hai khoảng tin cậy chồng nhau).",
            points=points,
        )
    return _(
        "So sánh với kỳ trước: %(points)s điểm %% (thay đổi có ý nghĩa: hai khoảng tin cậy không chồng nhau).",
        points=points,
    )


def criteria_table(doc: ReportDocument, figures: ReportFigures) -> None:
    doc.subheading(_("3.2. Theo tiêu chí"))
    rows = [[_("Tiêu chí"), "n", _("Không áp dụng"), _("Tỷ lệ hài lòng"), _("KTC 95 %"), _("Điểm TB")]]
    english = current_locale() == "en"
    for c in figures.summary.criteria:
        mean = "—" if c.mean is None else format_decimal(c.mean, 2)
        rows.append(
            [
                c.name_en if english else c.name_vi,
                num(c.n),
                num(c.not_applicable),
                rate_text(c.rate),
                ci_text(c.rate),
                mean,
            ]
        )
    doc.grid(rows, (58, 16, 22, 26, 32, 16))


def procedure_table(doc: ReportDocument, figures: ReportFigures) -> None:
    doc.subheading(_("3.3. Theo thủ tục hành chính"))
    shown = figures.procedures[:PROCEDURE_ROWS]
    if figures.unknown_procedure is not None:
        shown = [*shown, figures.unknown_procedure]
    if not shown:
        doc.paragraph(_("Không có phiếu gắn với thủ tục cụ thể trong kỳ."), 9.5)
        return
    rows = [[_("Mã TTHC"), _("Tên thủ tục"), "n", _("Tỷ lệ hài lòng"), _("KTC 95 %")]]
    rows += [procedure_cells(p) for p in shown]
    doc.grid(rows, (20, 78, 14, 26, 32))
    if len(figures.procedures) > PROCEDURE_ROWS:
        doc.paragraph(
            _("%(n)s thủ tục; bảng đầy đủ trong tệp dữ liệu XLSX.", n=num(len(figures.procedures))),
            8.5,
            muted=True,
        )


def procedure_cells(p: ProcedureRow) -> list[str]:
    # The dashboard's label for answers with no procedure, so page and report read alike.
    name = p.name if p.known else _("Không rõ thủ tục")
    return [p.code or "", name, num(p.rate.n), rate_text(p.rate), ci_text(p.rate)]


def trend(doc: ReportDocument, figures: ReportFigures) -> None:
    doc.subheading(_("3.4. Diễn biến theo tháng"))
    image = trend_png(figures.months, figures.target)
    if image is not None:
        doc.image(io.BytesIO(image), w=170)
    rows = [[_("Tháng"), "n", _("Tỷ lệ hài lòng"), _("KTC 95 %")]]
    for m in figures.months:
        rows.append(
            [f"{m.month:%m/%Y}", num(m.summary.counted), rate_text(m.summary.rate), ci_text(m.summary.rate)]
        )
    doc.grid(rows, (30, 30, 50, 60))

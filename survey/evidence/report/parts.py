"""The report's second half: citizens' words, follow-up, integrity, ISO, sign-off."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from survey.evidence.figures import ReportFigures
from survey.evidence.report.document import FAMILY, ReportDocument
from survey.evidence.report.text import num, utc_moment_text
from survey.evidence.sections import followup_writers
from survey.evidence.statement import IntegrityStatement
from survey.i18n import format_datetime
from survey.masking import mask_numbers

RATING_VI = {
    1: _l("Rất không hài lòng"),
    2: _l("Không hài lòng"),
    3: _l("Bình thường"),
    4: _l("Hài lòng"),
    5: _l("Rất hài lòng"),
}

ISO_CLAUSES = [
    ("9.1.2", _l("Theo dõi sự thỏa mãn của khách hàng"), _l("Mục 2 (phương pháp) và mục 3 (kết quả).")),
    (
        "9.1.3",
        _l("Phân tích và đánh giá"),
        _l("Mục 3: so với mục tiêu, theo tiêu chí, thủ tục, tháng và kỳ trước."),
    ),
    ("9.3.2 c) 1)", _l("Đầu vào xem xét của lãnh đạo: sự thỏa mãn của khách hàng"), _l("Toàn bộ báo cáo.")),
    (
        "7.5.3",
        _l("Kiểm soát thông tin dạng văn bản"),
        _l("Mục 6: dữ liệu chỉ ghi thêm, niêm phong, kiểm chứng được."),
    ),
]


def mask(text: str) -> str:
    """Phone and ID numbers never printed in a report: the same rule as every page (survey/masking.py)."""
    return mask_numbers(text)


def voices_section(doc: ReportDocument, figures: ReportFigures) -> None:
    doc.heading(_("4. Ý kiến của người dân, tổ chức"))
    overall = next((c for c in figures.summary.criteria if c.code == "overall"), None)
    if overall is not None:
        rows = [[_("Đánh giá chung (câu Q9)"), _("Số phiếu")]]
        rows += [[f"{v}. {RATING_VI[v]}", num(overall.counts.get(v, 0))] for v in (5, 4, 3, 2, 1)]
        doc.grid(rows, (110, 60))
    doc.paragraph(
        _(
            "Số phiếu có góp ý bằng lời: %(total)s. Dưới đây là %(shown)s góp ý gần nhất, giữ nguyên văn "
            "(số điện thoại, số giấy tờ được ẩn).",
            total=num(figures.comments_total),
            shown=num(len(figures.comments)),
        )
    )
    rows = [[_("Thời điểm"), _("Đánh giá"), _("Góp ý")]]
    for moment, overall_value, text in figures.comments:
        rows.append([format_datetime(moment), str(overall_value or "—"), mask(text)])
    if len(rows) > 1:
        doc.grid(rows, (30, 18, 122), size=8)


def followup_section(doc: ReportDocument, figures: ReportFigures) -> None:
    doc.heading(_("5. Theo dõi phản ánh, kiến nghị và cảnh báo"))
    doc.bullet(
        _(
            "Phiếu trả lời có người gợi ý hoặc yêu cầu nộp thêm tiền, quà (câu Q7 “Có”): %(n)s.",
            n=num(figures.alerts["Q7"]),
        )
    )
    doc.bullet(
        _(
            "Phiếu cho biết phải đi lại thêm do hướng dẫn không đầy đủ hoặc bị yêu cầu giấy tờ ngoài quy định "
            "(câu Q6b “Có”): %(n)s.",
            n=num(figures.alerts["Q6b"]),
        )
    )
    wrote = any([writer(doc, figures.scope) for writer in followup_writers()])
    if not wrote:
        doc.paragraph(
            _("Hệ thống chưa ghi nhận hồ sơ theo dõi, xử lý phản ánh nào trong kỳ."), 9.5, muted=True
        )


def integrity_section(doc: ReportDocument, statement: IntegrityStatement) -> None:
    doc.heading(_("6. Tính toàn vẹn của dữ liệu"))
    doc.paragraph(
        _(
            "Phiếu khảo sát chỉ được ghi thêm, không sửa, không xoá. Mỗi phiếu và mỗi quyết định loại phiếu "
            "được băm (SHA-256) và đưa vào cây Merkle theo chuẩn RFC 6962; định kỳ hệ thống niêm phong gốc "
            "của cây. Bất kỳ phiếu nào bị sửa, xoá hoặc chèn thêm trực tiếp trong cơ sở dữ liệu đều bị phát hiện."
        )
    )
    if statement.seal is None:
        doc.paragraph(_("Chưa có niêm phong nào tại thời điểm lập báo cáo."), 10)
    else:
        seal_table(doc, statement)
    doc.paragraph(verdict_text(statement), 10)
    doc.paragraph(
        _(
            "Người nhận báo cáo nên lưu lại gốc và số lá ở trên: một bản dữ liệu về sau phải khớp với gốc này "
            "(lệnh verify-integrity --root … --size …, hoặc theo hướng dẫn VERIFY.txt trong gói minh chứng)."
        ),
        9,
        muted=True,
    )


def seal_table(doc: ReportDocument, statement: IntegrityStatement) -> None:
    seal = statement.seal
    doc.grid(
        [
            [_("Niêm phong"), ""],
            [_("Số hiệu niêm phong"), f"#{seal['id']}"],
            [_("Số lá (bản ghi) được niêm phong"), num(seal["tree_size"])],
            [_("Thời điểm niêm phong (UTC)"), utc_moment_text(seal["sealed_at"])],
            [_("Phiếu trong phạm vi báo cáo đã niêm phong"), num(statement.sealed)],
            [_("Phiếu trong phạm vi chưa niêm phong (mới gửi)"), num(statement.unsealed)],
        ],
        (100, 70),
    )
    doc.paragraph(_("Gốc Merkle (SHA-256) — ghi lại để đối chiếu về sau:"), 9.5)
    doc.mono(seal["root_hash"][:32] + "\n" + seal["root_hash"][32:], 10)
    doc.ln(1)


def verdict_text(statement: IntegrityStatement) -> str:
    if not statement.problems:
        return _(
            "Kiểm tra toàn vẹn khi lập báo cáo: mọi phiếu và quyết định loại phiếu trong báo cáo khớp với "
            "bản đã niêm phong; gốc của mọi niêm phong khớp với sổ niêm phong; không bản ghi đã niêm phong "
            "nào bị xoá."
        )
    return _(
        "Kiểm tra toàn vẹn khi lập báo cáo: PHÁT HIỆN %(n)s chỗ không khớp. Chỗ đầu tiên: %(first)s",
        n=num(len(statement.problems)),
        first=statement.problems[0],
    )


def iso_section(doc: ReportDocument) -> None:
    doc.heading(_("7. Các điều khoản TCVN ISO 9001:2015 được đáp ứng"))
    rows = [[_("Điều khoản"), _("Yêu cầu"), _("Nội dung trong báo cáo")]]
    rows += [[clause, str(need), str(where)] for clause, need, where in ISO_CLAUSES]
    doc.grid(rows, (25, 70, 75))


def signoff_section(doc: ReportDocument) -> None:
    if doc.get_y() > doc.h - 70:
        doc.add_page()
    doc.ln(6)
    doc.set_font(FAMILY, "B", 10)
    width = (doc.w - doc.l_margin - doc.r_margin) / 3
    for title in (_("NGƯỜI LẬP"), _("NGƯỜI KIỂM TRA"), _("THỦ TRƯỞNG ĐƠN VỊ")):
        doc.cell(width, 6, title, align="C")
    doc.ln(6)
    doc.set_font(FAMILY, "", 8.5)
    for _i in range(3):
        doc.cell(width, 5, _("(Ký, ghi rõ họ tên)"), align="C")
    doc.ln(30)

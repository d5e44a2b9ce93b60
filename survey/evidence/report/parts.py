"""The report's second half: citizens' words, follow-up, integrity, ISO, sign-off."""

import re

from survey.evidence.figures import ReportFigures
from survey.evidence.report.document import FAMILY, ReportDocument
from survey.evidence.report.text import num
from survey.evidence.sections import followup_writers
from survey.evidence.statement import IntegrityStatement
from survey.i18n import format_datetime

RATING_VI = {1: "Rất không hài lòng", 2: "Không hài lòng", 3: "Bình thường", 4: "Hài lòng", 5: "Rất hài lòng"}
# Long digit runs look like phone or ID numbers: never printed in a report.
DIGITS = re.compile(r"\d[\d .-]{7,}\d")

ISO_CLAUSES = [
    ("9.1.2", "Theo dõi sự thỏa mãn của khách hàng", "Mục 2 (phương pháp) và mục 3 (kết quả)."),
    ("9.1.3", "Phân tích và đánh giá", "Mục 3: so với mục tiêu, theo tiêu chí, thủ tục, tháng và kỳ trước."),
    ("9.3.2 c) 1)", "Đầu vào xem xét của lãnh đạo: sự thỏa mãn của khách hàng", "Toàn bộ báo cáo."),
    (
        "7.5.3",
        "Kiểm soát thông tin dạng văn bản",
        "Mục 6: dữ liệu chỉ ghi thêm, niêm phong, kiểm chứng được.",
    ),
]


def mask(text: str) -> str:
    return DIGITS.sub("[đã ẩn số]", text)


def voices_section(doc: ReportDocument, figures: ReportFigures) -> None:
    doc.heading("4. Ý kiến của người dân, tổ chức")
    overall = next((c for c in figures.summary.criteria if c.code == "overall"), None)
    if overall is not None:
        rows = [["Đánh giá chung (câu Q9)", "Số phiếu"]]
        rows += [[f"{v}. {RATING_VI[v]}", num(overall.counts.get(v, 0))] for v in (5, 4, 3, 2, 1)]
        doc.grid(rows, (110, 60))
    doc.paragraph(
        f"Số phiếu có góp ý bằng lời: {num(figures.comments_total)}. Dưới đây là "
        f"{num(len(figures.comments))} góp ý gần nhất, giữ nguyên văn (số điện thoại, số giấy tờ được ẩn)."
    )
    rows = [["Thời điểm", "Đánh giá", "Góp ý"]]
    for moment, overall_value, text in figures.comments:
        rows.append([format_datetime(moment), str(overall_value or "—"), mask(text)])
    if len(rows) > 1:
        doc.grid(rows, (30, 18, 122), size=8)


def followup_section(doc: ReportDocument, figures: ReportFigures) -> None:
    doc.heading("5. Theo dõi phản ánh, kiến nghị và cảnh báo")
    doc.bullet(
        f"Phiếu trả lời có người gợi ý hoặc yêu cầu nộp thêm tiền, quà (câu Q7 “Có”): {num(figures.alerts['Q7'])}."
    )
    doc.bullet(
        "Phiếu cho biết phải đi lại thêm do hướng dẫn không đầy đủ hoặc bị yêu cầu giấy tờ ngoài quy định "
        f"(câu Q6b “Có”): {num(figures.alerts['Q6b'])}."
    )
    wrote = any([writer(doc, figures.scope) for writer in followup_writers()])
    if not wrote:
        doc.paragraph("Hệ thống chưa ghi nhận hồ sơ theo dõi, xử lý phản ánh nào trong kỳ.", 9.5, muted=True)


def integrity_section(doc: ReportDocument, statement: IntegrityStatement) -> None:
    doc.heading("6. Tính toàn vẹn của dữ liệu")
    doc.paragraph(
        "Phiếu khảo sát chỉ được ghi thêm, không sửa, không xoá. Mỗi phiếu và mỗi quyết định loại phiếu "
        "được băm (SHA-256) và đưa vào cây Merkle theo chuẩn RFC 6962; định kỳ hệ thống niêm phong gốc của cây. "
        "Bất kỳ phiếu nào bị sửa, xoá hoặc chèn thêm trực tiếp trong cơ sở dữ liệu đều bị phát hiện."
    )
    seal = statement.seal
    if seal is None:
        doc.paragraph("Chưa có niêm phong nào tại thời điểm lập báo cáo.", 10)
    else:
        doc.grid(
            [
                ["Niêm phong", ""],
                ["Số hiệu niêm phong", f"#{seal['id']}"],
                ["Số lá (bản ghi) được niêm phong", num(seal["tree_size"])],
                ["Thời điểm niêm phong (UTC)", seal["sealed_at"][:19].replace("T", " ")],
                ["Phiếu trong phạm vi báo cáo đã niêm phong", num(statement.sealed)],
                ["Phiếu trong phạm vi chưa niêm phong (mới gửi)", num(statement.unsealed)],
            ],
            (100, 70),
        )
        doc.paragraph("Gốc Merkle (SHA-256) — ghi lại để đối chiếu về sau:", 9.5)
        doc.mono(seal["root_hash"][:32] + "\n" + seal["root_hash"][32:], 10)
        doc.ln(1)
    verdict = (
        "Kiểm tra toàn vẹn khi lập báo cáo: mọi bản ghi đã niêm phong đều khớp."
        if not statement.problems
        else f"Kiểm tra toàn vẹn khi lập báo cáo: PHÁT HIỆN {num(len(statement.problems))} chỗ không khớp. "
        f"Chỗ đầu tiên: {statement.problems[0]}"
    )
    doc.paragraph(verdict, 10)
    doc.paragraph(
        "Người nhận báo cáo nên lưu lại gốc và số lá ở trên: một bản dữ liệu về sau phải khớp với gốc này "
        "(lệnh verify-integrity --root … --size …, hoặc theo hướng dẫn VERIFY.txt trong gói minh chứng).",
        9,
        muted=True,
    )


def iso_section(doc: ReportDocument) -> None:
    doc.heading("7. Các điều khoản TCVN ISO 9001:2015 được đáp ứng")
    rows = [["Điều khoản", "Yêu cầu", "Nội dung trong báo cáo"]] + [list(c) for c in ISO_CLAUSES]
    doc.grid(rows, (25, 70, 75))


def signoff_section(doc: ReportDocument) -> None:
    if doc.get_y() > doc.h - 70:
        doc.add_page()
    doc.ln(6)
    doc.set_font(FAMILY, "B", 10)
    width = (doc.w - doc.l_margin - doc.r_margin) / 3
    for title in ("NGƯỜI LẬP", "NGƯỜI KIỂM TRA", "THỦ TRƯỞNG ĐƠN VỊ"):
        doc.cell(width, 6, title, align="C")
    doc.ln(6)
    doc.set_font(FAMILY, "", 8.5)
    for _ in range(3):
        doc.cell(width, 5, "(Ký, ghi rõ họ tên)", align="C")
    doc.ln(30)

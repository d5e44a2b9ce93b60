"""The evidence pack's report carries the follow-up figures and the
corrective-action register, never a contact detail."""

import subprocess

from survey.evidence.pack import build_pack
from survey.extensions import db
from tests.evidence_helpers import members, scope_for, sealed_now
from tests.followup_helpers import case_of, unhappy_with_contact


def _pdf_text(tmp_path, scope) -> str:
    result = build_pack(scope, str(tmp_path / "pack.zip"))
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(members(result.path)["report.pdf"])
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(text.stdout.split())


def test_report_lists_cases_with_cause_and_corrective_action(province, app, monkeypatch, tmp_path):
    closed = case_of(unhappy_with_contact(province.point_a, phone="0912 345 678"))
    closed.status, closed.answered_at, closed.closed_at = "closed", closed.opened_at, closed.opened_at
    closed.answer_text, closed.cause, closed.corrective_action = "Đã gọi", "Thiếu ghế chờ", "Mua thêm ghế"
    unhappy_with_contact(province.point_b, phone="0987 654 321")
    db.session.commit()
    sealed_now(app, monkeypatch)
    text = _pdf_text(tmp_path, scope_for(province.root))
    assert "ISO 9001:2015 mục 10.2" in text
    assert "Hồ sơ mở trong kỳ 2" in text and "Đã trả lời người dân 1" in text
    assert "Thiếu ghế chờ" in text and "Mua thêm ghế" in text
    assert "0912" not in text and "0987" not in text


def test_report_without_cases_says_none_were_recorded(province, app, monkeypatch, tmp_path):
    sealed_now(app, monkeypatch)
    text = _pdf_text(tmp_path, scope_for(province.root))
    assert "Không có hồ sơ theo dõi phản ánh nào được mở trong kỳ." in text
    assert "mục 10.2" not in text

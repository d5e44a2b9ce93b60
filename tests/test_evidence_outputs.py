"""What people read in a pack: the PDF (read back with pdftotext), the XLSX
(openpyxl), CSV and JSON agree with the dashboard, and untrusted comments
stay inert text everywhere."""

import csv
import io
import json
import os
import re
import subprocess

import openpyxl
import pytest

from survey.evidence.figures import by_procedure, scope_conditions
from survey.evidence.pack import build_pack
from survey.exports.safe import neutralise
from survey.questionnaire_v1 import QUESTIONS
from survey.summaries import summarise
from tests.evidence_helpers import (
    ARTEFACTS,
    FORMULA,
    SCRIPT,
    VIETNAMESE,
    members,
    populate,
    scope_for,
    sealed_now,
)


@pytest.fixture
def built(province, app, monkeypatch, tmp_path, login):
    populate(province)
    sealed_now(app, monkeypatch)
    scope = scope_for(province.root)
    result = build_pack(scope, str(tmp_path / "pack.zip"))
    content = members(result.path)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(content["report.pdf"])
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return scope, content, text, pdf


def xlsx(content) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content["data/responses.xlsx"]))


def test_pdf_numbers_equal_the_dashboard_and_the_xlsx(built, province, login, client):
    scope, content, text, _ = built
    summary = summarise(scope.agency_ids, scope.period)
    assert (summary.counted, summary.satisfied) == (36, 27)
    # PDF: the headline row prints 75,0 % with n and the Wilson interval.
    assert re.search(r"Tỷ lệ hài lòng\s+75,0 %", text)
    assert re.search(r"Số phiếu được tính \(n\)\s+36", text)
    low, high = summary.rate.ci95
    assert f"{low * 100:.1f} % – {high * 100:.1f} %".replace(".", ",") in text
    # XLSX summary sheet, read back with openpyxl.
    sheet = {row[0]: row[1] for row in xlsx(content)["Tổng hợp"].iter_rows(values_only=True)}
    assert sheet["Số phiếu được tính"] == 36 and sheet["Số phiếu hài lòng (mức 4, 5)"] == 27
    assert sheet["Tỷ lệ hài lòng"] == pytest.approx(0.75)
    assert sheet["Cận dưới KTC 95 %"] == pytest.approx(low)
    # The dashboard shows the same figure for the same agency.
    from tests import factories

    login(factories.user("bcd@t01.vn", "committee"))
    page = client.get("/agencies/T01").get_data(as_text=True)
    assert "75,0 %" in page and "n = 36" in page


def test_per_procedure_rows_use_the_summary_rule(built, province):
    scope, content, text, _ = built
    rows = by_procedure(scope_conditions(scope.agency_ids, scope.period))
    birth = next(r for r in rows if r.code == "1.001193")
    direct = summarise(scope.agency_ids, scope.period, procedure_id=province.birth.id)
    assert (birth.rate.n, birth.rate.satisfied) == (direct.counted, direct.satisfied)
    xl = {r[0]: r for r in xlsx(content)["Theo thủ tục"].iter_rows(values_only=True)}
    assert xl["1.001193"][3] == direct.counted


def test_formula_comment_is_inert_in_csv_and_xlsx(built):
    _, content, _, _ = built
    rows = list(csv.DictReader(io.StringIO(content["data/responses.csv"].decode("utf-8-sig"))))
    comments = {r["comment"] for r in rows}
    assert "'" + FORMULA in comments and FORMULA not in comments
    assert content["data/responses.csv"].startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    sheet = xlsx(content)["Dữ liệu gốc"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    column = header.index("comment")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    formula_cells = [c for c in cells if c.value and "HYPERLINK" in c.value]
    assert len(formula_cells) == 1
    assert formula_cells[0].data_type == "s" and formula_cells[0].value == "'" + FORMULA
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_script_comment_is_plain_text_everywhere(built):
    _, content, text, _ = built
    assert SCRIPT in text  # the PDF prints it as typed
    assert SCRIPT in content["data/responses.csv"].decode("utf-8-sig")
    raw_json = content["data/responses.json"].decode("utf-8")
    assert "<script>" not in raw_json  # escaped, safe to embed in HTML
    parsed = json.loads(raw_json)
    assert SCRIPT in {r["comment"] for r in parsed["responses"]}
    sheet = xlsx(content)["Dữ liệu gốc"]
    assert SCRIPT in {c for row in sheet.iter_rows(values_only=True) for c in row}


def test_json_holds_every_response_with_its_leaf(built):
    _, content, _, _ = built
    parsed = json.loads(content["data/responses.json"])
    assert len(parsed["responses"]) == 37
    assert all(isinstance(r["leaf_index"], int) for r in parsed["responses"])
    excluded = [r for r in parsed["responses"] if r["counted"] == 0]
    assert len(excluded) == 1 and excluded[0]["exclusion_reason"] == "test"


def test_pdf_vietnamese_text_is_exact_and_pages_are_kept(built, province):
    _, _, text, pdf = built
    flat = " ".join(text.split())
    for phrase in (
        "BÁO CÁO KẾT QUẢ KHẢO SÁT",
        "SỰ HÀI LÒNG CỦA NGƯỜI DÂN, TỔ CHỨC",
        "ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM",
        "Độc lập - Tự do - Hạnh phúc",
        "Ủy ban nhân dân tỉnh Thử Nghiệm (T01)",
        "Mức 3 (Bình thường) không được tính là hài lòng.",
        VIETNAMESE,
        "9.3.2 c) 1)",
        "THỦ TRƯỞNG ĐƠN VỊ",
    ):
        assert phrase in flat, phrase
    q1 = next(q["vi"] for q in QUESTIONS if q["key"] == "Q1")
    assert q1 in flat  # the exact wording the citizen saw
    assert "Phiếu bị loại trong kỳ: 1 (phiếu thử: 1)" in flat
    os.makedirs(ARTEFACTS, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), os.path.join(ARTEFACTS, "report")], check=True)
    pages = sorted(p for p in os.listdir(ARTEFACTS) if p.startswith("report") and p.endswith(".png"))
    assert len(pages) >= 4
    assert all(os.path.getsize(os.path.join(ARTEFACTS, p)) > 10_000 for p in pages)


def test_neutralise_prefixes_every_dangerous_start():
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(value) == "'" + value
    assert neutralise("Bình thường") == "Bình thường" and neutralise(5) == 5 and neutralise(None) is None


def test_followup_section_uses_the_followup_figures(province, app, monkeypatch, tmp_path):
    from survey.followup.figures import case_figures
    from tests.followup_helpers import unhappy_with_contact

    populate(province)
    unhappy_with_contact(province.point_a, overall=1)
    unhappy_with_contact(province.point_b, overall=2, phone="0987 654 321")
    sealed_now(app, monkeypatch)
    scope = scope_for(province.root)
    figures = case_figures(scope.agency_ids, scope.period.start, scope.period.end)
    assert figures.opened == 2
    content = members(build_pack(scope, str(tmp_path / "f.zip")).path)
    pdf = tmp_path / "f.pdf"
    pdf.write_bytes(content["report.pdf"])
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"Hồ sơ mở trong kỳ\s+2\b", text)
    assert re.search(r"Đang mở \(trong đó quá hạn\)\s+2 \(0\)", text)
    assert "0912" not in text and "0987" not in text  # contact details never reach the report


def test_streaming_xlsx_writer_keeps_text_as_text(tmp_path):
    from survey.exports.xlsx import Percent, XlsxStream, column_letter

    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]
    path = str(tmp_path / "t.xlsx")
    book = XlsxStream(path)
    book.sheet("Tổng hợp").append(["Tỷ lệ", Percent(0.875), 12, None, True])
    raw = book.sheet('Dữ liệu "gốc"')
    raw.append(["=1+1", "a\x0bb<c>&", 3.5] + list(range(30)))
    book.close()
    loaded = openpyxl.load_workbook(path)
    assert loaded.sheetnames == ["Tổng hợp", 'Dữ liệu "gốc"']
    first = loaded["Tổng hợp"]
    assert [c.value for c in first[1]] == ["Tỷ lệ", 0.875, 12, None, True]
    assert first["B1"].number_format == "0.00%"
    cells = loaded['Dữ liệu "gốc"'][1]
    assert cells[0].value == "=1+1" and cells[0].data_type == "s"  # stored as text, never a formula
    assert cells[1].value == "ab<c>&" and cells[2].value == 3.5 and cells[32].value == 29

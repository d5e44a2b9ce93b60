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
from flask_babel import force_locale

from survey import antiabuse
from survey.evidence.figures import by_procedure, scope_conditions
from survey.evidence.pack import build_pack
from survey.evidence.report.text import reason_text
from survey.exports.safe import neutralise
from survey.extensions import db
from survey.models import ResponseExclusion
from survey.questionnaire_v1 import QUESTIONS
from survey.stats import Rate
from survey.summaries import summarise
from tests import factories
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


def reason_codes() -> list[str]:
    """Every exclusion reason the app writes, from its constants (a new one is checked too)."""
    return sorted(value for name, value in vars(antiabuse).items() if name.startswith("REASON_"))


def test_every_exclusion_reason_the_app_writes_has_words_in_both_languages(app):
    codes = reason_codes()
    assert len(codes) >= 4
    labels = {}
    for lang in ("vi", "en"):
        with force_locale(lang):
            labels[lang] = [reason_text(code) for code in codes]
            fallback = reason_text("not_a_known_code")
        for code, label in zip(codes, labels[lang], strict=True):
            assert code not in label and label != fallback.replace("not_a_known_code", code)
        assert len(set(labels[lang])) == len(codes)  # each reason reads differently
    assert not set(labels["vi"]) & set(labels["en"])  # English words in the English report


def test_report_names_exclusion_reasons_in_words_and_an_unknown_code_readably(
    province, app, monkeypatch, tmp_path
):
    populate(province)
    decisions = {
        antiabuse.REASON_BURST_DEVICE: 2,
        f"{antiabuse.REASON_BURST_NETWORK},{antiabuse.REASON_OUT_OF_HOURS}": 1,
        antiabuse.REASON_HONEYPOT: 1,
        "chua_co_nhan": 1,  # a code this version does not know
    }
    for reason, n in decisions.items():
        for _i in range(n):
            excluded = factories.answer(province.point_b, overall=5)
            db.session.add(ResponseExclusion(response_id=excluded.id, action="exclude", reason=reason))
    db.session.commit()
    sealed_now(app, monkeypatch)
    content = members(build_pack(scope_for(province.root), str(tmp_path / "r.zip")).path)
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(content["report.pdf"])
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    line = flat.split("Phiếu bị loại trong kỳ: 6 (")[1].split(").")[0]
    assert "nhiều phiếu rất hài lòng dồn dập từ một thiết bị: 2" in line
    assert "nhiều phiếu rất hài lòng dồn dập từ một mạng + gửi ngoài giờ làm việc: 1" in line
    assert "điền vào ô ẩn chống phiếu tự động: 1" in line
    assert "phiếu thử: 1" in line and "lý do khác (chua_co_nhan): 1" in line
    for code in reason_codes():
        assert code not in flat


def test_procedure_tables_add_up_to_the_counted_answers_as_on_the_page(
    province, app, monkeypatch, tmp_path, login, client
):
    populate(province)  # 18 counted at the birth procedure, 18 with no procedure
    for _i in range(14):
        factories.answer(province.point_b, overall=5)  # 32 with no procedure: enough for a rate
    sealed_now(app, monkeypatch)
    content = members(build_pack(scope_for(province.root), str(tmp_path / "p.zip")).path)
    counted = json.loads(content["manifest.json"])["counts"]["counted"]
    assert counted == 50
    unknown_rate = Rate(28, 32, app.config["MIN_SAMPLE"])
    # XLSX "Theo thủ tục": one row per procedure and one for the answers with none.
    header, *rows = xlsx(content)["Theo thủ tục"].iter_rows(values_only=True)
    column = {name: i for i, name in enumerate(header)}
    assert sum(row[column["Được tính"]] for row in rows) == counted
    unknown = next(row for row in rows if row[column["Tên thủ tục"]] == "Không rõ thủ tục")
    assert unknown[column["Được tính"]] == 32
    assert unknown[column["Tỷ lệ hài lòng"]] == pytest.approx(unknown_rate.value)
    assert unknown[column["Cận dưới"]] == pytest.approx(unknown_rate.ci95[0])
    birth = next(row for row in rows if row[column["Mã TTHC"]] == province.birth.code)
    assert birth[column["Tỷ lệ hài lòng"]] == "chưa đủ dữ liệu"  # 18 answers, under the minimum
    # PDF §3.3: the same rows, with n and the interval.
    pdf = tmp_path / "p.pdf"
    pdf.write_bytes(content["report.pdf"])
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    section = text.split("3.3. Theo thủ tục hành chính")[1].split("3.4. Diễn biến theo tháng")[0]
    counts = re.findall(r"\s(\d+)\s+(?:chưa đủ dữ liệu|\d+,\d %)", section)
    assert sum(int(n) for n in counts) == counted
    low, high = (f"{v * 100:.1f} %".replace(".", ",") for v in unknown_rate.ci95)
    assert re.search(rf"Không rõ thủ tục\s+32\s+87,5 %\s+{low} – {high}", section)
    # The dashboard page shows the same row.
    login(factories.user("bcd@t01.vn", "committee"))
    page = client.get("/agencies/T01").get_data(as_text=True)
    assert re.search(r"Không rõ thủ tục</td>\s*<td class=\"num\">32</td>", page)


def test_the_report_masks_phone_numbers_in_comments_and_keeps_sums(app, province, monkeypatch, tmp_path):
    """The report's comments follow the rule of every page (survey/masking.py): a phone
    number hidden, a sum of money kept; the raw data keeps the comment as sealed."""
    populate(province)
    comment = "Gọi 0912 345 678, đã phải nộp thêm 1.500.000 đồng"
    factories.answer(province.point_a, overall=1, comment=comment)
    sealed_now(app, monkeypatch)
    content = members(build_pack(scope_for(province.root), str(tmp_path / "m.zip")).path)
    pdf = tmp_path / "m.pdf"
    pdf.write_bytes(content["report.pdf"])
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "345 678" not in flat and "[đã ẩn số]" in flat and "1.500.000 đồng" in flat
    raw = [data.decode("utf-8", "ignore") for name, data in content.items() if name.endswith(".csv")]
    assert any(comment in text for text in raw)  # the sealed raw data, as received

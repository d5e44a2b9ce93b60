"""Posters: decoded from the rasterised PDF, names read back with pdftotext."""

import io

import pytest
from PIL import Image

from survey.extensions import db
from survey.models import AgencyProcedure, Procedure
from survey.points import create_point
from tests.qrdecode import decode_pdf, pdf_fonts, pdf_page_count, pdf_pages_to_png, pdf_text, words

# A real procedure (survey/data/procedures.csv) with a long name full of diacritics.
LONG_CODE = "1.013225"
LONG_NAME = (
    "Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV (Công trình không theo tuyến/Theo tuyến "
    "trong đô thị/Tín ngưỡng, tôn giáo/Tượng đài, tranh hoành tráng/Theo giai đoạn cho công trình không theo "
    "tuyến/Theo giai đoạn cho công trình theo tuyến trong đô thị/Dự án) và nhà ở riêng lẻ"
)


def _run(runner, tmp_path, *args, agency="T01"):
    output = tmp_path / "posters.pdf"
    result = runner.invoke(args=["posters", "--agency", agency, *args, "--output", str(output)])
    assert result.exit_code == 0, result.output
    return output.read_bytes(), result


def _urls(*points):
    return sorted(f"HTTPS://HAILONG.EXAMPLE.VN/S/{p.code}" for p in points)


@pytest.mark.parametrize("layout", ["a4", "a5", "tent"])
def test_one_poster_per_page_and_every_code_decodes(runner, province, tmp_path, layout):
    pdf, result = _run(runner, tmp_path, "--subtree", "--layout", layout, "--hotline", "0205 3812 345")
    assert "Đã tạo 3 áp phích" in result.output
    pages = decode_pdf(pdf)
    copies = 2 if layout == "tent" else 1  # the tent shows the code on both faces
    assert len(pages) == 3 and all(len(page) == copies for page in pages)
    found = sorted({url for page in pages for url in page})
    assert found == _urls(province.point_a, province.point_a_agency, province.point_b)


@pytest.mark.parametrize("layout", ["a4", "a5", "tent", "sheet"])
def test_text_is_exact_vietnamese(runner, province, tmp_path, layout):
    pdf, _ = _run(runner, tmp_path, "--layout", layout, "--hotline", "0205 3812 345", agency="T01-XA")
    text = words(pdf_text(pdf))
    for expected in (
        "Ủy ban nhân dân xã Hòa Bình",
        "Thủ tục đăng ký khai sinh",
        "Mã thủ tục: 1.001193 · Quầy 1",
        "Mời Ông/Bà quét mã QR để đánh giá mức độ hài lòng",
        "Scan the QR code to rate our service (about one minute, anonymous)",
        f"Hoặc gõ địa chỉ / Or type: hailong.example.vn/s/{province.point_a.code}",
        "Đường dây nóng / Hotline: 0205 3812 345",
        "Tất cả thủ tục tại đơn vị",
    ):
        assert expected in text


def test_font_is_embedded(runner, province, tmp_path):
    pdf, _ = _run(runner, tmp_path, agency="T01-XA")
    fonts = pdf_fonts(pdf)
    assert fonts and all(embedded for _name, embedded in fonts)
    assert any("DejaVuSans" in name for name, _ in fonts)


def test_sheet_puts_six_codes_on_a_page_with_cut_marks(runner, province, tmp_path):
    for _ in range(4):
        create_point(province.commune_b)
    db.session.commit()
    pdf, _ = _run(runner, tmp_path, "--subtree", "--layout", "sheet")
    assert pdf_page_count(pdf) == 2
    pages = decode_pdf(pdf, dpi=200)
    assert [len(page) for page in pages] == [6, 1]
    first = Image.open(io.BytesIO(pdf_pages_to_png(pdf, 72)[0])).convert("L")
    # a cut mark 4.5-10.5 mm from the top, above the left edge of the first column (x = 12 mm)
    x, y = round(12 / 25.4 * 72), round(7.5 / 25.4 * 72)
    assert min(first.getpixel((x + dx, y)) for dx in (-1, 0, 1)) < 128
    assert first.getpixel((x + 20, y)) == 255  # only a mark, not a frame


def test_long_official_name_is_printed_whole_on_a4(runner, province, tmp_path):
    long = Procedure(code=LONG_CODE, name=LONG_NAME, field="Xây dựng")
    db.session.add(long)
    db.session.flush()
    db.session.add(AgencyProcedure(agency_id=province.dept.id, procedure_id=long.id))
    point = create_point(province.dept, long)
    db.session.commit()
    pdf, _ = _run(runner, tmp_path, agency="T01-STP")
    assert LONG_NAME in words(pdf_text(pdf))
    assert f"Mã thủ tục: {LONG_CODE}" in words(pdf_text(pdf))
    assert decode_pdf(pdf) == [_urls(point)]
    card, _ = _run(runner, tmp_path, "--layout", "sheet", agency="T01-STP")
    card_text = words(pdf_text(card))
    assert "…" in card_text and f"Mã thủ tục: {LONG_CODE}" in card_text  # cut, code intact
    assert decode_pdf(card, dpi=200) == [_urls(point)]


def test_logo_posters_still_decode(app, runner, province, tmp_path):
    logo = io.BytesIO()
    Image.new("RGB", (90, 90), (0, 90, 180)).save(logo, format="PNG")
    (tmp_path / "T01.png").write_bytes(logo.getvalue())
    before, app.config["QR_LOGO_DIR"] = app.config["QR_LOGO_DIR"], str(tmp_path)
    try:
        pdf, _ = _run(runner, tmp_path, "--logo", "--layout", "a5", agency="T01-XA")
    finally:
        app.config["QR_LOGO_DIR"] = before
    assert sorted(u for page in decode_pdf(pdf) for u in page) == _urls(
        province.point_a, province.point_a_agency
    )
    page = Image.open(io.BytesIO(pdf_pages_to_png(pdf, 100)[0])).convert("RGB")
    assert (0, 90, 180) in {color for _count, color in page.getcolors(1_000_000)}


def test_retired_points_get_no_poster(runner, province, tmp_path):
    runner.invoke(args=["survey-points", "retire", province.point_a_agency.code])
    pdf, result = _run(runner, tmp_path, agency="T01-XA")
    assert "Đã tạo 1 áp phích" in result.output
    assert decode_pdf(pdf) == [_urls(province.point_a)]


def test_refusals_are_explained(runner, province, tmp_path):
    out = str(tmp_path / "x.pdf")
    missing = runner.invoke(args=["posters", "--agency", "NOPE", "--output", out])
    assert missing.exit_code != 0 and "Không tìm thấy đơn vị NOPE" in missing.output
    empty = runner.invoke(args=["posters", "--agency", "T01-STP", "--output", out])
    assert empty.exit_code != 0 and "không có điểm khảo sát đang dùng" in empty.output
    bad = runner.invoke(args=["posters", "--agency", "T01", "--layout", "a3", "--output", out])
    assert bad.exit_code != 0
    nowhere = runner.invoke(
        args=["posters", "--agency", "T01-XA", "--output", str(tmp_path / "no" / "x.pdf")]
    )
    assert nowhere.exit_code != 0 and "Không ghi được tệp" in nowhere.output

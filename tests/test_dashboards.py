"""Agency head and committee pages: figures, periods, flags, scope, comments."""

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from survey import periods
from survey.models.types import utcnow
from tests import factories


@pytest.fixture
def commune_head(province):
    return factories.user("head@xa.vn", "head", province.commune_a)


@pytest.fixture
def committee(province):
    return factories.user("bcd@tinh.vn", "committee")


def _month_ago():
    return utcnow() - timedelta(days=35)


def test_head_sees_headline_criteria_procedures_and_comments(app, login, commune_head, province, monkeypatch):
    monkeypatch.setitem(app.config, "MIN_SAMPLE", 3)
    for overall in (5, 5, 4, 2):
        factories.answer(province.point_a, overall=overall, Q3=overall, comment=f"Ý kiến {overall}")
    client = login(commune_head)
    page = client.get("/agencies/T01-XA?period=month").text
    assert 'data-testid="responses">4<' in page and 'data-testid="satisfied">3<' in page
    assert "75,0 %" in page  # decimal comma
    assert "Thái độ của công chức" in page and "Thủ tục đăng ký khai sinh" in page
    assert "Ý kiến 2" in page
    assert "Chưa đạt" in page or "Chưa chắc chắn" in page


def test_period_selector_changes_the_figures_and_bad_input_is_explained(app, login, commune_head, province):
    factories.answer_at(province.point_a, _month_ago(), 5)
    factories.answer(province.point_a, overall=4)
    client = login(commune_head)
    last = periods.local_date(_month_ago())
    month = f"{last.year}-{last.month:02d}"
    page = client.get(f"/agencies/T01-XA?period=month&value={month}").text
    assert 'data-testid="responses">1<' in page
    wide = client.get(
        f"/agencies/T01-XA?period=custom&from={last - timedelta(days=3)}&to={periods.local_date(utcnow())}"
    )
    assert 'data-testid="responses">2<' in wide.text
    bad = client.get("/agencies/T01-XA?period=custom&from=2026-03-01&to=2026-02-01")
    assert bad.status_code == 200
    assert "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu." in bad.text
    assert 'value="2026-03-01"' in bad.text  # what was typed is kept


@pytest.mark.parametrize(
    ("start", "end"),
    [("0001-01-01", "0001-12-31"), ("9999-12-01", "9999-12-31"), ("01/01/0001", "31/12/0001")],
)
def test_dates_outside_the_supported_years_are_explained_on_every_summary(
    login, committee, province, start, end
):
    client = login(committee)
    dates = f"period=custom&from={start}&to={end}"
    for url in (f"/agencies/T01-XA?{dates}", f"/overview/{province.root.code}?{dates}"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "năm từ 1901 đến 2199" in page.text and 'data-testid="period-error"' in page.text
    for url in (
        f"/agencies/T01-XA/export/criteria.csv?{dates}",
        f"/agencies/T01-XA/charts/trend.png?{dates}",
    ):
        assert client.get(url).status_code == 200, url  # the default period, as for any bad input


def test_custom_period_typed_day_first(login, commune_head, province):
    factories.answer_at(province.point_a, _month_ago(), 5)
    factories.answer(province.point_a, overall=4)
    client = login(commune_head)
    last = periods.local_date(_month_ago())
    today = periods.local_date(utcnow())
    page = client.get(f"/agencies/T01-XA?period=custom&from={last:%d/%m/%Y}&to={today:%d/%m/%Y}").text
    assert 'data-testid="period-error"' not in page and 'data-testid="responses">2<' in page
    bad = client.get("/agencies/T01-XA?period=custom&from=1.3.2026&to=2026-03-31").text
    assert "dd/mm/yyyy" in bad


def test_page_past_the_end_shows_the_last_page_of_comments(login, commune_head, province):
    for number in range(21):  # 20 comments a page: two pages
        factories.answer(province.point_a, overall=4, comment=f"Góp ý số {number}")
    client = login(commune_head)
    for page_number in ("999999999", "99999999999999999999"):
        page = client.get(f"/agencies/T01-XA?period=month&page={page_number}")
        assert page.status_code == 200
        assert "Trang 2 / 2" in page.text and page.text.count("Góp ý số ") == 1  # the 21st comment


def test_procedure_flags_and_sorting(app, login, commune_head, province, monkeypatch):
    monkeypatch.setitem(app.config, "MIN_SAMPLE", 5)
    point_marriage = factories.procedure_point(province.commune_a, province.marriage)
    for _ in range(8):
        factories.answer(province.point_a, overall=2)
    for _ in range(2):
        factories.answer(point_marriage, overall=5)
    client = login(commune_head)
    page = client.get("/agencies/T01-XA?period=month&sort=n&desc=1").text
    table = page[page.index('data-testid="procedure-table"') :]
    assert table.index("khai sinh") < table.index("kết hôn")
    assert "Dưới mục tiêu" in table and "Quá ít phiếu" in table
    by_name = client.get("/agencies/T01-XA?period=month&sort=name").text
    table = by_name[by_name.index('data-testid="procedure-table"') :]
    assert table.index("khai sinh") < table.index("kết hôn")


def test_commune_head_never_sees_another_commune(login, commune_head, province):
    factories.answer(province.point_b, overall=5, comment="bí mật xã B")
    client = login(commune_head)
    for url in (
        "/agencies/T01-XB",
        "/agencies/T01-XB?period=year",
        "/overview/T01",
        "/overview/T01-XB",
        "/agencies/T01",
        "/agencies/T01-XB/export/comments.csv",
        "/agencies/T01-XB/export/criteria.xlsx",
        "/agencies/T01/export/children.csv",
        "/overview/T01/export/units.csv",
        "/agencies/T01-XB/charts/trend.png",
        "/agencies/T01-XB/charts/criteria.png",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "bí mật" not in response.text
    own = client.get("/agencies/T01-XA?period=year").text
    assert "bí mật xã B" not in own and "Đông Kinh" not in own


def test_committee_overview_ranks_drills_down_and_flags_gap(app, login, committee, province, monkeypatch):
    monkeypatch.setitem(app.config, "MIN_SAMPLE", 5)
    for i in range(10):
        factories.answer(province.point_a, overall=5)
        factories.answer_at(province.point_a, utcnow(), 5 if i < 5 else 2, channel="independent")
        factories.answer(province.point_b, overall=4 if i < 9 else 1)
    client = login(committee)
    assert client.get("/dashboard").headers["Location"].endswith("/overview/T01")
    page = client.get("/overview/T01?period=month").text
    assert page.count('data-testid="unit-row"') == 3
    assert 'data-testid="gap-flag"' in page  # own 100 % against independent 50 %
    assert "/agencies/T01-XA?" in page  # drill-down link to a leaf keeps the period
    heat = page[page.index('data-testid="heatmap"') :]
    assert "heat-" in heat and "Hòa Bình" in heat
    detail = client.get("/agencies/T01-XA?period=month").text
    assert "/overview/T01?" in detail  # the breadcrumb goes back up
    units = _csv_rows(client.get("/overview/T01/export/units.csv?period=month"))
    commune_a = next(row for row in units if row["Mã đơn vị"] == "T01-XA")
    assert (commune_a["Tự thu thập (%)"], commune_a["Số phiếu tự thu thập"]) == ("100.0", "10")
    assert (commune_a["Độc lập (%)"], commune_a["Số phiếu độc lập"]) == ("50.0", "10")
    heatmap = _csv_rows(client.get("/overview/T01/export/heatmap.csv?period=month"))
    overall = {
        row["Đơn vị"]: (row["Mức độ hài lòng chung"], row["Mức độ hài lòng chung: số phiếu"])
        for row in heatmap
    }
    assert overall[province.commune_a.name] == ("75.0", "20") and overall[province.commune_b.name] == (
        "90.0",
        "10",
    )


def _csv_rows(download) -> list[dict]:
    return list(csv.DictReader(io.StringIO(download.data.decode("utf-8-sig"))))


def test_downloads_are_excel_safe(app, login, commune_head, province):
    factories.answer(province.point_a, overall=1, comment='=HYPERLINK("http://x","bấm")')
    factories.answer(province.point_a, overall=2, comment="@SUM(A1) Phường Đông")
    client = login(commune_head)
    csv_file = client.get("/agencies/T01-XA/export/comments.csv?period=month")
    assert csv_file.data.startswith(b"\xef\xbb\xbf")
    assert "attachment" in csv_file.headers["Content-Disposition"]
    text = csv_file.data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM" in text and "Phường Đông" in text
    xlsx = client.get("/agencies/T01-XA/export/comments.xlsx?period=month")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert '\'=HYPERLINK("http://x","bấm")' in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    for name in ("criteria", "procedures", "trend", "children", "counters"):
        assert client.get(f"/agencies/T01-XA/export/{name}.csv").status_code == 200
    assert client.get("/agencies/T01-XA/export/nothing.csv").status_code == 404


def test_a_comment_with_control_characters_still_downloads_as_xlsx(login, commune_head, province):
    """XML has no room for most control characters: a comment carrying one (typed, pasted,
    or sent by a script) is written without it, and one hiding a formula behind it is
    still neutralised; the CSV keeps the comment as it was received."""
    factories.answer(province.point_a, overall=2, comment="Chờ\x07 lâu\x1b quá")
    factories.answer(province.point_a, overall=1, comment='\x01=HYPERLINK("http://x")')
    client = login(commune_head)
    xlsx = client.get("/agencies/T01-XA/export/comments.xlsx?period=month")
    assert xlsx.status_code == 200
    values = [cell.value for row in load_workbook(io.BytesIO(xlsx.data)).active.iter_rows() for cell in row]
    assert "Chờ lâu quá" in values and '\'=HYPERLINK("http://x")' in values
    assert (
        "Chờ\x07 lâu\x1b quá" in client.get("/agencies/T01-XA/export/comments.csv?period=month").data.decode()
    )


def test_comment_filters_and_script_is_text(app, login, commune_head, province):
    factories.answer(province.point_a, overall=1, Q3=1, comment="<script>alert(1)</script> thái độ kém")
    factories.answer(province.point_a_agency, overall=5, Q3=5, comment="Rất tốt")
    client = login(commune_head)
    page = client.get("/agencies/T01-XA?period=month").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; thái độ kém" in page
    low = client.get("/agencies/T01-XA?period=month&rating=1").text
    assert "thái độ kém" in low and "Rất tốt" not in low
    attitude = client.get("/agencies/T01-XA?period=month&criterion=official_attitude&rating=5").text
    assert "Rất tốt" in attitude and "thái độ kém" not in attitude
    birth = client.get(f"/agencies/T01-XA?period=month&procedure={province.birth.id}").text
    assert "thái độ kém" in birth and "Rất tốt" not in birth


def test_charts_are_png_with_alt_text(login, commune_head, province):
    factories.answer(province.point_a, overall=5, Q1=4)
    client = login(commune_head)
    for name in ("trend", "criteria"):
        image = client.get(f"/agencies/T01-XA/charts/{name}.png")
        assert image.status_code == 200 and image.data.startswith(b"\x89PNG")
    page = client.get("/agencies/T01-XA").text
    assert 'alt="Biểu đồ tỷ lệ hài lòng theo tháng' in page and 'data-testid="trend-table"' in page


def test_definitions_page(login, commune_head):
    page = login(commune_head).get("/definitions").text
    assert "Wilson" in page and "<table>" in page and "Chưa đủ dữ liệu" in page


def test_answers_per_hundred_dossiers(app, login, commune_head, province, runner, tmpdir_path):
    factories.answer(province.point_a, overall=5)
    month = periods.local_date(utcnow()).strftime("%Y-%m")
    path = f"{tmpdir_path}/dossiers.csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(f"agency_code,procedure_code,month,received\nT01-XA,,{month},200\n")
    result = runner.invoke(args=["import", "dossiers", path])
    assert result.exit_code == 0, result.output
    page = login(commune_head).get("/agencies/T01-XA?period=month").text
    assert 'data-testid="per-hundred"' in page and "0,5" in page and "Tỷ lệ phản hồi thấp" in page
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("agency_code,procedure_code,month,received\nT01-XA,,2026-13,4\nNOPE,,2026-01,4\n")
    bad = runner.invoke(args=["import", "dossiers", path])
    assert bad.exit_code != 0
    assert "Dòng 2: Tháng không hợp lệ" in bad.output and "Dòng 3: Không tìm thấy đơn vị" in bad.output


def test_phone_and_id_numbers_in_comments_are_not_shown(client, login, commune_head, province):
    """A citizen who types a phone or ID number into a comment never consented to it being
    read: every page and download for reading shows a mark instead; sums of money stay."""
    comment = "Gọi 0912 345 678 hoặc CCCD 012345678901; đã phải nộp thêm 1.500.000 đồng"
    response = factories.answer(province.point_a, overall=1, comment=comment)
    login(commune_head)
    staff = factories.user("canbo@xa.vn", "staff", province.commune_a)
    case = client.post(f"/responses/{response.id}/case")
    readings = {
        "summary": client.get("/agencies/T01-XA?period=month").text,
        "comments CSV": client.get("/agencies/T01-XA/export/comments.csv?period=month").data.decode(),
        "case": client.get(case.headers["Location"]).text if case.status_code == 302 else "",
    }
    login(staff)
    readings["comment list"] = client.get("/cases/comments").text
    for where, text in readings.items():
        assert "345 678" not in text and "012345678901" not in text, where
        assert "[đã ẩn số]" in text and "1.500.000 đồng" in text, where

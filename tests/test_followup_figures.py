"""Follow-up figures: pure rules, the figures page and the JSON API."""

from datetime import date, datetime, timedelta

from survey.api import tokens
from survey.extensions import db
from survey.followup.figures import CaseRow, case_figures, summarise_rows
from survey.models.types import utcnow
from tests import factories
from tests.followup_helpers import case_of, unhappy_with_contact

TODAY = date(2026, 3, 10)


def _row(opened, answered_after_hours=None, due=date(2026, 3, 6), status=None):
    opened_at = datetime(2026, 3, opened, 2, 0)
    answered = opened_at + timedelta(hours=answered_after_hours) if answered_after_hours is not None else None
    return CaseRow(opened_at, answered, due, status or ("answered" if answered else "new"))


def test_on_time_late_and_median():
    rows = [
        _row(2, answered_after_hours=10),  # answered 02/03, due 06/03: on time
        _row(2, answered_after_hours=24 * 6),  # answered 08/03: late
        _row(3),  # unanswered, due 06/03 passed: overdue, counts against
        _row(9, due=date(2026, 3, 16)),  # not yet due: not in the denominator
    ]
    figures = summarise_rows(rows, TODAY)
    assert (figures.opened, figures.answered, figures.answered_on_time, figures.due) == (4, 2, 1, 3)
    assert figures.overdue == 1 and figures.open == 2
    assert figures.median_hours_to_answer == (10 + 144) / 2
    assert abs(figures.on_time_share - 1 / 3) < 1e-9


def test_no_cases_no_shares():
    figures = summarise_rows([], TODAY)
    assert figures.opened == 0 and figures.on_time_share is None and figures.median_hours_to_answer is None


def test_answer_at_local_midnight_belongs_to_the_local_day():
    # 17:30 UTC on the 6th is 00:30 on the 7th in Vietnam: one day late
    row = CaseRow(datetime(2026, 3, 2, 2), datetime(2026, 3, 6, 17, 30), date(2026, 3, 6), "answered")
    assert summarise_rows([row], TODAY).answered_on_time == 0


def _answered_case(point, hours):
    case = case_of(unhappy_with_contact(point))
    case.status, case.answered_at, case.answer_text = (
        "answered",
        case.opened_at + timedelta(hours=hours),
        "Đã gọi",
    )
    db.session.commit()
    return case


def test_case_figures_by_scope_and_period(province):
    _answered_case(province.point_a, 4)
    _answered_case(province.point_b, 8)
    whole = case_figures(None)
    assert whole.opened == 2 and whole.median_hours_to_answer == 6
    assert case_figures([province.commune_a.id]).opened == 1
    assert case_figures(None, start=utcnow() + timedelta(hours=1)).opened == 0


def test_figures_page_for_the_head(client, login, province):
    _answered_case(province.point_a, 4)
    head = factories.user("bcd@tinh.vn", "committee", province.root)
    login(head)
    page = client.get("/cases/figures")
    assert page.status_code == 200 and province.commune_a.name in page.text
    bad = client.get("/cases/figures?from=31/31/2026")
    assert bad.status_code == 422 and "dd/mm/yyyy" in bad.text


def test_figures_page_explains_dates_outside_the_supported_years(client, login, province):
    login(factories.user("bcd@tinh.vn", "committee", province.root))
    page = client.get("/cases/figures?from=01/01/0001&to=31/12/0001")
    assert page.status_code == 422
    assert "Ngày ngoài khoảng cho phép: 01/01/0001 (năm từ 1901 đến 2199)." in page.text
    assert province.commune_a.name in page.text  # the figures of the default period are still shown


def test_api_case_figures_with_token_scope(client, province):
    _answered_case(province.point_a, 4)
    _answered_case(province.point_b, 8)
    _, plain = tokens.issue("Một cửa tỉnh", province.root)
    _, commune_token = tokens.issue("Một cửa xã B", province.commune_b)
    db.session.commit()
    auth = {"Authorization": f"Bearer {plain}"}
    body = client.get(f"/api/v1/agencies/{province.root.code}/cases", headers=auth).json
    assert body["figures"]["opened"] == 2 and body["figures"]["answered_on_time"] == 2
    children = {c["code"]: c["opened"] for c in body["children"]}
    assert children == {province.dept.code: 0, province.commune_a.code: 1, province.commune_b.code: 1}
    assert "0912" not in str(body)
    other = {"Authorization": f"Bearer {commune_token}"}
    assert client.get(f"/api/v1/agencies/{province.commune_a.code}/cases", headers=other).status_code == 404
    assert (
        client.get(f"/api/v1/agencies/{province.commune_b.code}/cases", headers=other).json["figures"][
            "opened"
        ]
        == 1
    )
    assert client.get(f"/api/v1/agencies/{province.root.code}/cases").status_code == 401
    bad = client.get(f"/api/v1/agencies/{province.root.code}/cases?from=2026-13-01", headers=auth)
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.json["message"]


def test_api_case_figures_refuse_dates_outside_the_supported_years(client, province):
    _, plain = tokens.issue("Một cửa tỉnh", province.root)
    db.session.commit()
    auth = {"Authorization": f"Bearer {plain}"}
    for dates in ("from=0001-01-01&to=0001-12-31", "from=9999-12-01&to=9999-12-31"):
        bad = client.get(f"/api/v1/agencies/{province.root.code}/cases?{dates}", headers=auth)
        assert bad.status_code == 400 and bad.json["error"] == "bad_request"
        assert "năm từ 1901 đến 2199" in bad.json["message"]


def test_openapi_describes_the_cases_endpoint(client):
    with client.get("/api/v1/openapi.json") as response:
        operation = response.json["paths"]["/agencies/{code}/cases"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"code", "from", "to"}

"""A unit's secretary manages only their own subtree: everything else is 404."""

import pytest
from sqlalchemy import func, select

from survey.agencies import get_by_code
from survey.extensions import db
from survey.models import AdminLog, User
from tests import factories


@pytest.fixture
def head_a(province):
    return factories.user("head.a@xa.vn", "head", province.commune_a)


OUTSIDE_GETS = [
    "/admin/agencies/T01-XB",
    "/admin/agencies/T01-XB/rename",
    "/admin/agencies/T01-XB/retire",
    "/admin/agencies/T01-XB/merge",
    "/admin/agencies/T01-XB/questionnaire",
    "/admin/procedures?agency=T01-XB",
    "/admin/survey-points?agency=T01-XB",
]


@pytest.mark.parametrize("url", OUTSIDE_GETS)
def test_other_agency_pages_answer_404(login, head_a, url):
    assert login(head_a).get(url).status_code == 404


def test_other_agency_point_page_is_404(login, head_a, province):
    client = login(head_a)
    assert client.get(f"/admin/survey-points/{province.point_b.code}").status_code == 404
    assert client.post(f"/admin/survey-points/{province.point_b.code}/retire").status_code == 404
    db.session.expire_all()
    assert not province.point_b.is_retired


def test_cannot_change_outside_scope(login, head_a, province):
    client = login(head_a)
    assert (
        client.post("/admin/agencies/T01-XB/rename", data={"name": "X", "kind": "commune_pc"}).status_code
        == 404
    )
    assert client.post("/admin/agencies/T01-XB/retire").status_code == 404
    # Merging my unit into another one would move my points outside my scope.
    assert (
        client.post("/admin/agencies/T01-XA/merge", data={"target": "T01-XB", "confirmed": "1"}).status_code
        == 404
    )
    created = client.post(
        "/admin/agencies/new",
        data={"code": "T01-XZ", "name": "Đơn vị lạ", "kind": "commune_pc", "parent": "T01"},
    )
    assert created.status_code in (404, 422)  # the parent is not even offered
    assert get_by_code("T01-XZ") is None
    assert db.session.scalar(select(func.count()).select_from(AdminLog)) == 0


def test_can_create_a_unit_under_own_agency(login, head_a, province):
    response = login(head_a).post(
        "/admin/agencies/new",
        data={
            "code": "T01-XA-2",
            "name": "Điểm tiếp nhận thôn Nà Pàn",
            "kind": "commune_pasc",
            "parent": "T01-XA",
        },
    )
    assert response.status_code == 302
    assert get_by_code("T01-XA-2").parent_id == province.commune_a.id


def test_cannot_invite_outside_scope_or_above_own_role(login, head_a, province):
    client = login(head_a)
    outside = client.post("/admin/users/new", data={"email": "x@xb.vn", "role": "staff", "agency": "T01-XB"})
    assert outside.status_code in (404, 422)  # the agency is not even offered
    above = client.post("/admin/users/new", data={"email": "y@xa.vn", "role": "admin", "agency": "T01-XA"})
    assert above.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_staff_and_auditor_cannot_change_anything(login, province):
    for role in ("staff", "auditor"):
        account = factories.user(f"{role}@xa.vn", role, province.commune_a)
        client = login(account)
        assert client.get("/admin/agencies/T01-XA").status_code == 200
        assert (
            client.post("/admin/agencies/T01-XA/rename", data={"name": "X", "kind": "commune_pc"}).status_code
            == 403
        )
        assert client.get("/admin/users").status_code == 403
        client.post("/logout")


def test_every_console_route_carries_a_staff_access_policy(app):
    console = [r for r in app.url_map.iter_rules() if r.rule.startswith("/admin")]
    assert len(console) > 30
    for rule in console:
        policy = getattr(app.view_functions[rule.endpoint], "access_policy", None)
        assert policy not in (None, "public"), rule.rule


def test_anonymous_visitors_are_sent_to_login_from_every_console_page(client, province):
    for url in (
        "/admin/agencies",
        "/admin/users",
        "/admin/tokens",
        "/admin/log",
        "/admin/log.csv",
        "/admin/help",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url

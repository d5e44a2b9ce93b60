"""An agency head of one commune cannot see another commune's numbers."""

import pytest

from tests import factories


@pytest.fixture
def commune_head(province):
    return factories.user("head.a@xa.vn", "head", province.commune_a)


def test_head_sees_own_commune(login, commune_head, province):
    client = login(commune_head)
    assert client.get(f"/agencies/{province.commune_a.code}").status_code == 200


@pytest.mark.parametrize("attr", ["commune_b", "root", "dept"])
def test_head_cannot_open_other_agency_summary(login, commune_head, province, attr):
    other = getattr(province, attr)
    page = login(commune_head).get(f"/agencies/{other.code}")
    assert page.status_code == 404
    assert other.name not in page.text


def test_admin_lists_are_scoped(login, commune_head, province):
    client = login(commune_head)
    agencies = client.get("/admin/agencies").text
    assert province.commune_a.name in agencies
    assert province.commune_b.name not in agencies
    points = client.get("/admin/survey-points").text
    assert province.point_a.code in points
    assert province.point_b.code not in points


def test_breadcrumbs_do_not_reveal_parent_outside_scope(login, commune_head, province):
    page = login(commune_head).get(f"/agencies/{province.commune_a.code}")
    assert province.root.name not in page.text


def test_committee_sees_whole_tree_and_children(login, province):
    committee = factories.user("bcd@tinh.vn", "committee", province.root)
    page = login(committee).get(f"/agencies/{province.root.code}")
    assert page.status_code == 200
    for child in (province.commune_a, province.commune_b, province.dept):
        assert child.name in page.text


def test_anonymous_is_sent_to_login(client, province):
    response = client.get(f"/agencies/{province.commune_a.code}")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_wrong_password_is_refused(client, commune_head):
    page = client.post("/login", data={"email": commune_head.email, "password": "sai-mat-khau-123"})
    assert page.status_code == 200
    assert "Email hoặc mật khẩu không đúng." in page.text

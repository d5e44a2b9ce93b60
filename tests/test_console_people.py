"""Users and API tokens from the console; the administration log for the auditor."""

import csv
import io

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import AdminLog, ApiToken, User
from tests import factories


@pytest.fixture
def admin(province):
    return factories.user("admin@tinh.vn", "admin")


def link_in(page_text: str) -> str:
    return page_text.split('data-testid="set-password-link">')[1].split("<")[0]


def test_invite_gives_a_one_time_link(app, login, admin, province):
    client = login(admin)
    page = client.post(
        "/admin/users/new",
        data={"email": "Thu.Ky@XA.vn", "full_name": "Nguyễn Thị Lan", "role": "head", "agency": "T01-XA"},
    )
    assert page.status_code == 200
    path = link_in(page.text).replace(app.config["PUBLIC_BASE_URL"], "")
    client.post("/logout")
    assert (
        client.post(path, data={"password": "mat-khau-moi-2026", "confirm": "mat-khau-moi-2026"}).status_code
        == 302
    )
    assert (
        client.post("/login", data={"email": "thu.ky@xa.vn", "password": "mat-khau-moi-2026"}).status_code
        == 302
    )
    client.post("/logout")
    again = client.get(path)
    assert again.status_code == 410 and "Liên kết không còn hiệu lực" in again.text


def test_mismatched_passwords_keep_the_link_usable(app, login, admin, province):
    client = login(admin)
    page = client.post("/admin/users/new", data={"email": "b@xa.vn", "role": "staff", "agency": "T01-XA"})
    path = link_in(page.text).replace(app.config["PUBLIC_BASE_URL"], "")
    wrong = client.post(path, data={"password": "mat-khau-moi-2026", "confirm": "khac-hoan-toan-1"})
    assert wrong.status_code == 422 and "Hai mật khẩu không khớp." in wrong.text
    assert client.get(path).status_code == 200


def test_disable_confirm_then_enable(login, admin, province):
    staff = factories.user("canbo@xa.vn", "staff", province.commune_a)
    client = login(admin)
    assert "Khóa tài khoản canbo@xa.vn?" in client.get(f"/admin/users/{staff.id}/disable").text
    client.post(f"/admin/users/{staff.id}/disable")
    db.session.expire_all()
    assert not db.session.get(User, staff.id).active
    client.post("/logout")
    refused = client.post("/login", data={"email": "canbo@xa.vn", "password": factories.PASSWORD})
    assert refused.status_code == 200
    login(admin).post(f"/admin/users/{staff.id}/enable")
    db.session.expire_all()
    assert db.session.get(User, staff.id).active


def test_change_role_and_scope_is_logged(login, admin, province):
    staff = factories.user("canbo@xa.vn", "staff", province.commune_a)
    login(admin).post(
        f"/admin/users/{staff.id}", data={"email": "canbo@xa.vn", "role": "head", "agency": "T01-XB"}
    )
    db.session.expire_all()
    changed = db.session.get(User, staff.id)
    assert (changed.role, changed.agency_id) == ("head", province.commune_b.id)
    entry = db.session.scalar(select(AdminLog).where(AdminLog.action == "update"))
    assert entry.before["role"] == "staff" and entry.after["role"] == "head"


def test_token_shown_once_then_revoked_with_last_use(client, login, admin, province):
    session = login(admin)
    created = session.post("/admin/tokens/new", data={"name": "Phần mềm một cửa", "agency": "T01-XA"})
    plain = created.text.split('data-testid="token-plain">')[1].split("<")[0]
    assert plain.startswith("hlqr_")
    listing = session.get("/admin/tokens").text
    assert plain not in listing and "Chưa dùng" in listing
    token = db.session.scalar(select(ApiToken))
    session.post(f"/admin/tokens/{token.id}/revoke")
    db.session.expire_all()
    assert not db.session.get(ApiToken, token.id).is_active
    assert "Đã thu hồi" in session.get("/admin/tokens").text


def test_log_filters_pages_and_exports_csv_safely(login, admin, province):
    client = login(admin)
    client.post("/admin/agencies/T01-XA/rename", data={"name": '=HYPERLINK("x")', "kind": "commune_pc"})
    client.post("/admin/agencies/T01-XB/rename", data={"name": "Phường Đông Kinh", "kind": "commune_pc"})
    page = client.get("/admin/log?action=rename")
    assert page.status_code == 200 and "Phường Đông Kinh" in page.text
    assert "Phường Đông Kinh" not in client.get("/admin/log?action=create").text
    export = client.get("/admin/log.csv?action=rename")
    assert export.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(export.data.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert all(not cell.startswith("=") for row in rows for cell in row.values())
    assert any("'{" in row["after"] or row["after"].startswith("{") for row in rows)


def test_log_ignores_filter_dates_outside_the_supported_years(login, admin, province):
    client = login(admin)
    client.post("/admin/agencies/T01-XB/rename", data={"name": "Phường Đông Kinh", "kind": "commune_pc"})
    for dates in ("from=0001-01-01&to=0001-12-31", "from=9999-12-01&to=9999-12-31"):
        page = client.get(f"/admin/log?{dates}")
        assert page.status_code == 200 and "Phường Đông Kinh" in page.text  # as an unreadable date is
        assert client.get(f"/admin/log.csv?{dates}").status_code == 200


def test_scoped_log_hides_other_agencies(login, admin, province):
    login(admin).post(
        "/admin/agencies/T01-XB/rename", data={"name": "Phường Đông Kinh", "kind": "commune_pc"}
    )
    auditor = factories.user("kiemtra@xa.vn", "auditor", province.commune_a)
    client = login(auditor)
    assert "Phường Đông Kinh" not in client.get("/admin/log").text
    assert "Phường Đông Kinh" not in client.get("/admin/log.csv").data.decode()


def test_help_menu_shows_the_user_guide(login, admin, province):
    client = login(admin)
    assert 'href="/admin/help"' in client.get("/admin/agencies").text
    page = client.get("/admin/help")
    assert page.status_code == 200
    assert "<h1" in page.text and "Hướng dẫn sử dụng" in page.text


def test_auditor_limited_to_a_period_sees_only_that_period_of_the_log(login, admin, province):
    from datetime import date, datetime

    session = login(admin)
    session.post("/admin/agencies/T01-XB/rename", data={"name": "Phường Đông Kinh", "kind": "commune_pc"})
    session.post("/admin/agencies/T01-XA/rename", data={"name": "Phường Tam Thanh", "kind": "commune_pc"})
    before, inside = db.session.scalars(select(AdminLog).order_by(AdminLog.id)).all()
    before.at, inside.at = datetime(2026, 3, 15, 3, 0), datetime(2026, 5, 10, 3, 0)
    auditor = factories.user("kiemtra@tinh.vn", "auditor")
    auditor.scope_from, auditor.scope_to = date(2026, 4, 1), date(2026, 6, 30)
    db.session.commit()
    client = login(auditor)
    assert "Phường Tam Thanh" in client.get("/admin/log").text
    assert "Phường Đông Kinh" not in client.get("/admin/log").text
    assert "Phường Đông Kinh" not in client.get("/admin/log?from=2026-01-01").text
    assert "Phường Đông Kinh" not in client.get("/admin/log.csv").data.decode()


def test_role_names_in_the_viewer_s_language(login, admin, province):
    """Role names were plain strings, never extracted: Vietnamese on the English console."""
    client = login(admin)
    listing = client.get("/admin/users?lang=en").text
    assert "System administrator" in listing and "Quản trị hệ thống" not in listing
    form = client.get("/admin/users/new").text
    assert "Auditor (read-only)" in form and "Kiểm tra viên" not in form
    assert form.count('href="/posters/"') == 1  # the console's menu names each page once

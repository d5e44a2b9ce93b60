"""Per-agency follow-up settings: who may change them, validation, inheritance."""

from survey.extensions import db
from survey.followup import settings as followup_settings
from survey.models import FollowupSettings
from tests import factories

GOOD = {
    "low_threshold": "3",
    "due_working_days": "7",
    "purge_after_days": "14",
    "alert_window_minutes": "30",
    "alert_min_answers": "6",
    "alert_unhappy_percent": "60",
    "duty_officer_email": "truc@tinh.vn",
}


def test_province_head_sets_rules_that_communes_inherit(client, login, province):
    login(factories.user("lanhdao@tinh.vn", "head", province.root))
    page = client.get(f"/followup/settings/{province.root.code}")
    assert page.status_code == 200 and "mặc định" in page.text
    assert client.post(f"/followup/settings/{province.root.code}", data=GOOD).status_code == 302
    rules = followup_settings.effective(province.commune_a.id)
    assert (rules.low_threshold, rules.due_working_days, rules.alert_unhappy_share) == (3, 7, 0.6)
    assert rules.duty_officer_email == "truc@tinh.vn" and rules.source_agency_id == province.root.id
    commune_page = client.get(f"/followup/settings/{province.commune_a.code}").text
    assert province.root.name in commune_page and 'value="7"' in commune_page


def test_bad_values_are_refused_and_kept(client, login, province):
    login(factories.user("lanhdao@xa.vn", "head", province.commune_a))
    bad = {**GOOD, "due_working_days": "0", "duty_officer_email": "khong-phai-email"}
    page = client.post(f"/followup/settings/{province.commune_a.code}", data=bad)
    assert page.status_code == 422
    assert "Nhập một số từ 1 đến 60." in page.text and "Email không hợp lệ." in page.text
    assert 'value="khong-phai-email"' in page.text
    assert db.session.scalar(db.select(db.func.count(FollowupSettings.id))) == 0


def test_staff_and_auditors_cannot_change_settings(client, login, province):
    login(factories.user("canbo@xa.vn", "staff", province.commune_a))
    assert client.post(f"/followup/settings/{province.commune_a.code}", data=GOOD).status_code == 403
    assert db.session.scalar(db.select(db.func.count(FollowupSettings.id))) == 0

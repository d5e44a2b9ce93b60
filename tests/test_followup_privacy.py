"""Scope and privacy: who sees a case and its contact; purging contacts."""

from datetime import timedelta

from survey.extensions import db
from survey.models import Answer, CaseEvent, Contact, Response
from survey.models.types import utcnow
from tests import factories
from tests.followup_helpers import case_of, unhappy_with_contact

PHONE = "0912 345 678"


def test_user_outside_the_subtree_cannot_open_the_case_or_see_the_contact(client, login, province):
    case = case_of(unhappy_with_contact(province.point_a, comment="Bí mật xã A"))
    other = factories.user("lanhdao@xb.vn", "head", province.commune_b)
    login(other)
    assert client.get(f"/cases/{case.id}").status_code == 404
    assert client.post(f"/cases/{case.id}", data={"status": "closed"}).status_code == 404
    assert client.post(f"/responses/{case.response_id}/case").status_code == 404
    assert client.get(f"/followup/settings/{province.commune_a.code}").status_code == 404
    assert client.get(f"/cases?agency={province.commune_a.code}").status_code == 404
    for url in ("/cases", "/cases/digest", "/cases/comments", "/cases?status=all"):
        page = client.get(url)
        assert page.status_code == 200 and PHONE not in page.text and "Bí mật xã A" not in page.text
    db.session.refresh(case)
    assert case.status == "new"


def test_contact_only_for_those_who_handle_the_case(client, login, province):
    case = case_of(unhappy_with_contact(province.point_a))
    staff = factories.user("canbo@xa.vn", "staff", province.commune_a)
    committee = factories.user("bcd@tinh.vn", "committee", province.root)
    auditor = factories.user("kiemtra@tinh.vn", "auditor", province.root)
    for viewer in (staff, committee, auditor):
        login(viewer)
        page = client.get(f"/cases/{case.id}")
        assert page.status_code == 200 and PHONE not in page.text, viewer.role
        client.post("/logout")
    case.assignee_id = staff.id
    db.session.commit()
    login(staff)
    assert PHONE in client.get(f"/cases/{case.id}").text


def test_contact_never_in_lists(client, login, province):
    unhappy_with_contact(province.point_a)
    head = factories.user("lanhdao@xa.vn", "head", province.commune_a)
    login(head)
    for url in (
        "/cases",
        "/cases/digest",
        "/cases/comments",
        "/cases/figures",
        f"/agencies/{province.commune_a.code}",
    ):
        assert PHONE not in client.get(url).text, url


def test_auditor_reads_but_cannot_change_a_case(client, login, province):
    case = case_of(unhappy_with_contact(province.point_a))
    auditor = factories.user("kiemtra@tinh.vn", "auditor", province.root)
    login(auditor)
    assert client.post(f"/cases/{case.id}", data={"status": "in_progress"}).status_code == 403


def _snapshot(response_id):
    response = db.session.get(Response, response_id)
    answers = db.session.scalars(db.select(Answer).where(Answer.response_id == response_id)).all()
    return (
        response.overall,
        response.comment,
        response.submitted_at,
        sorted((a.question_id, a.value) for a in answers),
    )


def test_purge_removes_contact_details_and_nothing_else(runner, province):
    closed = case_of(unhappy_with_contact(province.point_a, email="dan@example.vn"))
    still_open = case_of(unhappy_with_contact(province.point_a, phone="0987 000 111"))
    recent = case_of(unhappy_with_contact(province.point_a, phone="0977 222 333"))
    for case, days_ago in ((closed, 31), (recent, 2)):
        case.status, case.closed_at = "closed", utcnow() - timedelta(days=days_ago)
        case.answer_text, case.cause, case.corrective_action = "Đã trả lời", "Nguyên nhân", "Khắc phục"
    db.session.commit()
    before = _snapshot(closed.response_id)

    result = runner.invoke(args=["purge-contacts"])
    assert result.exit_code == 0, result.output
    assert f"contact {closed.contact_id}\tcase {closed.id}\tcase_closed" in result.stdout

    db.session.expire_all()
    contact = db.session.get(Contact, closed.contact_id)
    assert contact.phone is None and contact.email is None and contact.purged_at is not None
    assert contact.consent_at is not None and contact.purge_reason == "case_closed"
    assert _snapshot(closed.response_id) == before
    assert closed.answer_text == "Đã trả lời" and closed.corrective_action == "Khắc phục"
    assert db.session.get(Contact, still_open.contact_id).phone == "0987 000 111"
    assert db.session.get(Contact, recent.contact_id).phone == "0977 222 333"
    logged = db.session.scalars(db.select(CaseEvent).where(CaseEvent.field == "contact_purged")).all()
    assert [(e.case_id, e.new_value) for e in logged] == [(closed.id, "case_closed")]
    assert runner.invoke(args=["purge-contacts"]).stdout == ""


def test_contacts_past_the_maximum_age_are_purged_even_without_a_case(runner, province):
    from survey.contacts import store_contact

    response = factories.answer(province.point_a, overall=5)
    contact = store_contact(response, "0900 111 222", None)
    contact.consent_at = utcnow() - timedelta(days=400)
    db.session.commit()
    assert runner.invoke(args=["purge-contacts"]).exit_code == 0
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).phone is None
    assert db.session.get(Contact, contact.id).purge_reason == "max_age"


def test_purged_case_page_says_so(client, login, runner, province):
    case = case_of(unhappy_with_contact(province.point_a))
    case.status, case.closed_at = "closed", utcnow() - timedelta(days=60)
    db.session.commit()
    runner.invoke(args=["purge-contacts"])
    login(factories.user("lanhdao@xa.vn", "head", province.commune_a))
    page = client.get(f"/cases/{case.id}").text
    assert 'data-testid="contact-purged"' in page and PHONE not in page


def test_staff_take_a_case_themselves_but_cannot_assign_others(client, login, province):
    case = case_of(unhappy_with_contact(province.point_a))
    staff = factories.user("canbo@xa.vn", "staff", province.commune_a)
    colleague = factories.user("canbo2@xa.vn", "staff", province.commune_a)
    login(staff)
    form = {"status": "new", "due_on": case.due_on.strftime("%d/%m/%Y")}
    assert client.post(f"/cases/{case.id}", data={**form, "assignee": str(colleague.id)}).status_code == 422
    assert client.post(f"/cases/{case.id}", data={**form, "assignee": str(staff.id)}).status_code == 302
    db.session.refresh(case)
    assert case.assignee_id == staff.id and PHONE in client.get(f"/cases/{case.id}").text


def test_every_follow_up_route_carries_an_access_policy(app):
    mine = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("followup.") or rule.endpoint == "api.agency_cases"
    ]
    assert len(mine) >= 9
    for rule in mine:
        view = app.view_functions[rule.endpoint]
        assert getattr(view, "access_policy", None), rule.rule

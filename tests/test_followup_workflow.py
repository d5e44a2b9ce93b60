"""A case from a low answer through assignment, answer and closure."""

import re
from datetime import date, timedelta

from survey.extensions import db
from survey.followup import settings as followup_settings
from survey.followup.cases import local_today
from survey.followup.workdays import add_working_days, load_holidays
from survey.models import CaseEvent
from survey.pagination import PER_PAGE
from tests import factories
from tests.followup_helpers import case_of, unhappy_with_contact


def _people(province):
    head = factories.user("lanhdao@xa.vn", "head", province.commune_a)
    staff = factories.user("canbo@xa.vn", "staff", province.commune_a)
    return head, staff


def _form(case, **changes):
    data = {
        "assignee": str(case.assignee_id or 0),
        "status": case.status,
        "due_on": case.due_on.strftime("%d/%m/%Y"),
        "answer_text": case.answer_text or "",
        "cause": case.cause or "",
        "corrective_action": case.corrective_action or "",
    }
    data.update(changes)
    return data


def test_low_answer_with_contact_opens_case_due_in_five_working_days(province):
    response = unhappy_with_contact(province.point_a, overall=2)
    case = case_of(response)
    assert case is not None and case.status == "new" and case.source == "auto"
    assert case.agency_id == province.commune_a.id and case.contact.phone == "0912 345 678"
    assert case.due_on == add_working_days(local_today(), 5, load_holidays())
    assert case.due_on.weekday() < 5
    assert [e.field for e in case.events] == ["opened"] and case.events[0].user_id is None


def test_neutral_answer_or_no_contact_opens_no_case(province):
    assert case_of(unhappy_with_contact(province.point_a, overall=3)) is None
    assert case_of(factories.answer(province.point_a, overall=1)) is None


def test_a_low_criterion_answer_counts_even_with_a_fair_overall(province):
    from survey.contacts import store_contact

    response = factories.answer(province.point_a, overall=3, Q3=1)
    store_contact(response, None, "dan@example.vn")
    db.session.commit()
    assert case_of(response) is not None


def test_a_reported_request_for_extra_money_opens_a_case_whatever_the_rating(province):
    from survey.contacts import store_contact

    response = factories.answer(province.point_a, overall=4, Q7=2)
    store_contact(response, "0912 000 111", None)
    refused_to_say = factories.answer(province.point_a, overall=4, Q7=3)
    store_contact(refused_to_say, "0912 000 222", None)
    db.session.commit()
    assert case_of(response) is not None and case_of(refused_to_say) is None


def test_agency_threshold_is_configurable(province):
    followup_settings.save(
        province.commune_a.id,
        {**followup_settings.defaults().__dict__, "low_threshold": 3, "due_working_days": 2},
        None,
    )
    case = case_of(unhappy_with_contact(province.point_a, overall=3))
    assert case is not None
    assert case.due_on == add_working_days(local_today(), 2, load_holidays())
    # another commune keeps the installation default (2): a 3 opens nothing there
    assert case_of(unhappy_with_contact(province.point_b, overall=3)) is None


def test_walk_a_case_to_closure(client, login, province):
    head, staff = _people(province)
    case = case_of(unhappy_with_contact(province.point_a))
    login(head)
    page = client.get(f"/cases/{case.id}")
    assert page.status_code == 200 and "0912 345 678" in page.text and "Chờ quá lâu" in page.text

    assigned = client.post(f"/cases/{case.id}", data=_form(case, assignee=str(staff.id)))
    assert assigned.status_code == 302
    db.session.refresh(case)
    assert case.assignee_id == staff.id and case.status == "in_progress"

    refused = client.post(f"/cases/{case.id}", data=_form(case, status="answered"))
    assert refused.status_code == 422 and "Cần ghi nội dung đã trả lời" in refused.text
    db.session.refresh(case)
    assert case.status == "in_progress"

    answer = "Đã gọi điện xin lỗi, hẹn trả kết quả ngày 05/12."
    client.post(f"/cases/{case.id}", data=_form(case, status="answered", answer_text=answer))
    db.session.refresh(case)
    assert case.status == "answered" and case.answered_at is not None and case.answer_text == answer

    refused = client.post(f"/cases/{case.id}", data=_form(case, status="closed", cause="Thiếu người trực"))
    assert refused.status_code == 422 and "hành động khắc phục" in refused.text
    typed = "Bổ sung một cán bộ trực quầy giờ cao điểm"
    client.post(
        f"/cases/{case.id}",
        data=_form(case, status="closed", cause="Thiếu người trực", corrective_action=typed),
    )
    db.session.refresh(case)
    assert case.status == "closed" and case.closed_at is not None and case.corrective_action == typed

    events = db.session.scalars(db.select(CaseEvent).where(CaseEvent.case_id == case.id)).all()
    fields = [(e.field, e.new_value) for e in events]
    assert ("assignee", staff.email) in fields and ("status", "in_progress") in fields
    assert ("status", "answered") in fields and ("status", "closed") in fields
    assert ("answer_text", answer) in fields and ("corrective_action", typed) in fields
    assert {e.user_id for e in events if e.field != "opened"} == {head.id}
    history = client.get(f"/cases/{case.id}").text
    assert history.count('data-testid="event"') == len(events)


def test_refused_change_keeps_what_was_typed(client, login, province):
    head, _ = _people(province)
    case = case_of(unhappy_with_contact(province.point_a))
    login(head)
    typed = "Nguyên nhân: quầy đông người"
    page = client.post(f"/cases/{case.id}", data=_form(case, status="closed", cause=typed))
    assert page.status_code == 422 and typed in page.text


def test_bad_due_date_is_refused_in_vietnamese(client, login, province):
    head, _ = _people(province)
    case = case_of(unhappy_with_contact(province.point_a))
    login(head)
    page = client.post(f"/cases/{case.id}", data=_form(case, due_on="31/02/2026"))
    assert page.status_code == 422 and "dd/mm/yyyy" in page.text


def test_staff_opens_a_case_from_any_comment(client, login, province):
    _, staff = _people(province)
    response = factories.answer(province.point_a, overall=4, comment="Nên có thêm ghế chờ")
    login(staff)
    listing = client.get("/cases/comments")
    assert "Nên có thêm ghế chờ" in listing.text
    opened = client.post(f"/responses/{response.id}/case")
    assert opened.status_code == 302
    case = case_of(response)
    assert case.source == "manual" and case.opened_by_id == staff.id and case.contact_id is None
    assert client.post(f"/responses/{response.id}/case").status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(type(case))) == 1


def test_overdue_cases_come_first_and_reach_the_head_summary(client, login, province):
    head, _ = _people(province)
    fresh = case_of(unhappy_with_contact(province.point_a, comment="mới"))
    late = case_of(unhappy_with_contact(province.point_a, comment="trễ hạn"))
    late.due_on = local_today() - timedelta(days=3)
    db.session.commit()
    login(head)
    page = client.get("/cases").text
    assert page.index(f"#{late.id}<") < page.index(f"#{fresh.id}<")
    assert page.count('data-testid="overdue"') == 1
    summary = client.get(f"/agencies/{province.commune_a.code}").text
    assert 'data-testid="overdue-cases">1<' in summary and 'data-testid="open-cases">2<' in summary
    digest = client.get("/cases/digest").text
    assert "trễ hạn" in digest


def test_working_days_skip_weekends_and_holidays():
    friday = date(2026, 11, 27)
    assert add_working_days(friday, 1) == date(2026, 11, 30)
    assert add_working_days(friday, 5) == date(2026, 12, 4)
    # Tết Bính Ngọ: 16-20/02/2026 are days off for civil servants
    assert add_working_days(date(2026, 2, 13), 1, load_holidays()) == date(2026, 2, 23)
    assert add_working_days(date(2026, 4, 29), 1, load_holidays()) == date(2026, 5, 4)


def test_head_opens_a_case_from_a_comment_on_the_agency_summary(client, login, province):
    head, _ = _people(province)
    response = factories.answer(province.point_a, overall=3, comment="Bãi gửi xe chật")
    login(head)
    summary = client.get(f"/agencies/{province.commune_a.code}").text
    assert f'action="/responses/{response.id}/case"' in summary
    assert client.post(f"/responses/{response.id}/case").status_code == 302
    case = case_of(response)
    assert f'href="/cases/{case.id}"' in client.get(f"/agencies/{province.commune_a.code}").text


def test_the_comment_list_pages_through_every_comment(client, login, province):
    """More comments than fit on a page: both pages open, each links to the other,
    and every comment is on one of them."""
    _, staff = _people(province)
    for n in range(PER_PAGE + 1):
        factories.answer(province.point_a, overall=4, comment=f"Góp ý số {n:03d}")
    login(staff)
    first = client.get("/cases/comments")
    assert first.status_code == 200 and "Trang sau" in first.text and "Trang 1 / 2" in first.text
    second = client.get("/cases/comments?page=2")
    assert second.status_code == 200 and "Trang trước" in second.text
    shown = set(re.findall(r"Góp ý số \d{3}", first.text + second.text))
    assert len(shown) == PER_PAGE + 1
    assert client.get("/cases?status=all&page=2").status_code == 200

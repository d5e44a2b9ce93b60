"""The citizen's one-page survey through HTTP: content, validation, exactly once."""

import re

import pytest

from survey.extensions import db
from survey.models import Answer, Contact, Response, ResponseExclusion
from survey.points import create_point
from tests.survey_helpers import fresh_form, submit


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_agency_and_procedure_come_before_the_questions(client, province):
    page = client.get(f"/s/{province.point_a.code}").text
    agency = page.index("Ủy ban nhân dân xã Hòa Bình")
    assert agency < page.index("<h1>") < page.index("<fieldset")
    assert page.index("Thủ tục đăng ký khai sinh (1.001193)") < page.index("<h1>")
    assert f'href="/quyen-rieng-tu?p={province.point_a.code}"' in page
    # v1: Q1-Q9 are radio groups, each a fieldset with its legend.
    assert page.count("<fieldset") == page.count("<legend>") == 10  # Q1-Q8, Q6b, Q9
    assert "(bắt buộc)" in page and page.count("(bắt buộc)") == 1  # only Q9
    # Never in a shared cache; the back button restores the same form (same nonce).
    assert client.get(f"/s/{province.point_a.code}").headers["Cache-Control"] == "private, max-age=0"


def test_error_summary_links_to_fields_and_answers_are_kept(client, province):
    nonce = fresh_form(client, province.point_a_agency.code)
    page = client.post(
        f"/s/{province.point_a_agency.code}",
        data={"nonce": nonce, "Q1": "2", "Q5": "na", "Q0": "1.000894", "Q10": "x" * 501},
    )
    assert page.status_code == 422
    summary = page.text.split('id="error-summary"')[1].split("</div>")[0]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert targets == ["Q9-0", "Q10"]
    for target in targets:
        assert f'id="{target}"' in page.text
    assert "Góp ý tối đa 500 ký tự." in summary
    assert "Vui lòng chọn một câu trả lời cho câu hỏi này." in summary
    assert re.search(r'<input checked id="Q1-1" name="Q1" type="radio" value="2">', page.text)
    assert re.search(r'<input checked id="Q5-5" name="Q5" type="radio" value="na">', page.text)
    assert '<option selected value="1.000894">' in page.text
    assert "x" * 501 in page.text
    assert f'value="{nonce}"' in page.text  # the same form: a retry still stores once
    assert _count(Response) == 0


def test_errors_in_english_when_the_citizen_reads_english(client, province):
    page = client.post(f"/s/{province.point_a.code}?lang=en", data={"nonce": "n-en", "Q10": "x" * 501})
    assert page.status_code == 422
    assert "Please choose an answer to this question." in page.text
    assert "Comments can be at most 500 characters long." in page.text


def test_double_submit_stores_one_response(client, province):
    nonce = fresh_form(client, province.point_a.code)
    first = client.post(f"/s/{province.point_a.code}", data={"nonce": nonce, "Q9": "4"})
    second = client.post(f"/s/{province.point_a.code}", data={"nonce": nonce, "Q9": "4"})
    assert first.status_code == second.status_code == 302
    assert "/cam-on" in first.headers["Location"] and "/cam-on" in second.headers["Location"]
    assert _count(Response) == 1


def test_back_to_the_form_after_sending_says_it_is_already_in(client, province):
    submit(client, province.point_a.code, {"Q9": "4"})
    again = client.get(f"/s/{province.point_a.code}")
    assert "Ông/Bà vừa gửi đánh giá" in again.text and 'name="nonce"' not in again.text
    other_point = client.get(f"/s/{province.point_b.code}")
    assert 'name="nonce"' in other_point.text
    deliberate = client.get(f"/s/{province.point_a.code}?again=1")
    assert 'name="nonce"' in deliberate.text  # a new visit on purpose gets a new form
    assert _count(Response) == 1


def test_follow_up_question_ignored_unless_its_condition_holds(client, province):
    submit(client, province.point_a.code, {"Q9": "4", "Q6": "1", "Q6b": "1"})
    submit(client, province.point_a.code, {"Q9": "4", "Q6": "2", "Q6b": "1"})
    labels = [a.label for a in db.session.scalars(db.select(Answer).order_by(Answer.id))]
    assert labels.count("Có") == 1  # only the second response keeps Q6b


def test_honeypot_keeps_the_response_but_excludes_it_pending_review(client, province):
    posted = submit(client, province.point_a.code, {"Q9": "5", "website": "http://spam.example"})
    assert posted.status_code == 302  # a bot sees success
    exclusion = db.session.scalar(db.select(ResponseExclusion))
    assert (exclusion.reason, exclusion.action, exclusion.pending_review) == ("honeypot", "exclude", True)
    assert _count(Response) == 1


def test_low_answer_invites_contact_and_stores_it_apart_with_consent(client, province):
    posted = submit(client, province.point_a.code, {"Q9": "2", "Q10": "Phải chờ 2 tiếng"})
    thanks = client.get(posted.headers["Location"])
    assert "Cảm ơn Ông/Bà đã đánh giá!" in thanks.text
    contact_url = re.search(r'href="(/s/[^"]+/lien-he\?t=[^"]+)"', thanks.text).group(1)
    form = client.get(contact_url.replace("&amp;", "&"))
    assert 'type="checkbox"' in form.text and "checked" not in form.text.split('type="checkbox"')[0][-80:]
    refused = client.post(contact_url, data={"phone": "0912 345 678"})
    assert refused.status_code == 422
    assert "Vui lòng đánh dấu ô đồng ý nếu muốn được liên hệ lại." in refused.text
    assert 'value="0912 345 678"' in refused.text
    assert _count(Contact) == 0
    accepted = client.post(contact_url, data={"phone": "0912 345 678", "consent": "y"})
    assert accepted.status_code == 302
    contact = db.session.scalar(db.select(Contact))
    response = db.session.scalar(db.select(Response))
    assert contact.phone == "0912 345 678" and contact.response_id == response.id
    assert contact.notice_version == "2026-01" and contact.consent_at is not None
    assert "0912" not in (response.comment or "")
    again = client.get(accepted.headers["Location"])
    assert "Thông tin liên hệ đã được ghi nhận" in again.text
    assert "lien-he" not in again.text  # no second invitation


def test_contact_needs_a_phone_or_email(client, province):
    posted = submit(client, province.point_a.code, {"Q9": "1"})
    thanks = client.get(posted.headers["Location"])
    contact_url = re.search(r'href="(/s/[^"]+/lien-he\?t=[^"]+)"', thanks.text).group(1)
    page = client.post(contact_url, data={"consent": "y"})
    assert page.status_code == 422 and "Vui lòng nhập số điện thoại hoặc email." in page.text


def test_satisfied_citizen_is_not_asked_for_contact(client, province):
    posted = submit(client, province.point_a.code, {"Q9": "5", "Q3": "4"})
    thanks = client.get(posted.headers["Location"])
    assert "lien-he" not in thanks.text
    token = posted.headers["Location"].split("t=")[1]
    assert client.get(f"/s/{province.point_a.code}/lien-he?t={token}").status_code == 404


def test_extra_payment_report_invites_contact(client, province):
    posted = submit(client, province.point_a.code, {"Q9": "4", "Q7": "2"})
    assert "lien-he" in client.get(posted.headers["Location"]).text


def test_stale_csrf_token_keeps_answers(app, client, province):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client.post(
            f"/s/{province.point_a.code}",
            data={"nonce": "n-csrf", "Q9": "4", "Q10": "Tốt", "csrf_token": "expired"},
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert page.status_code == 422
    assert "Phiên trả lời đã hết hạn" in page.text
    assert re.search(r'<input checked id="Q9-3" name="Q9"[^>]* value="4">', page.text)
    assert _count(Response) == 0


def test_retired_code_points_to_its_replacement(client, province):
    replacement = create_point(province.commune_a)
    province.point_b.status, province.point_b.replacement = "retired", replacement
    db.session.commit()
    page = client.get(f"/s/{province.point_b.code}")
    assert page.status_code == 410
    assert "Mã QR này đã ngừng sử dụng" in page.text
    assert f'href="/s/{replacement.code}"' in page.text


def test_privacy_notice_names_the_controller_and_the_law(client, province):
    page = client.get(f"/quyen-rieng-tu?p={province.point_a.code}")
    assert page.status_code == 200
    for text in (
        "91/2025/QH15",
        "356/2025/NĐ-CP",
        "Ủy ban nhân dân xã Hòa Bình",
        "12 tháng",
        "2 ngày làm việc",
    ):
        assert text in page.text


def test_nul_bytes_and_a_mangled_nonce_still_store_the_answer(client, province):
    """PostgreSQL refuses NUL in text: the comment loses the NUL, a nonce that
    cannot be stored is replaced; the citizen gets the thank-you page."""
    code = province.point_a.code
    fresh_form(client, code)  # this browser's own device cookie, as every citizen has
    for nonce in ("x" * 100, "n\x00ul"):
        reply = client.post(f"/s/{code}", data={"nonce": nonce, "Q9": "4", "Q10": "Tốt\x00 lắm"})
        assert reply.status_code == 302 and "/cam-on" in reply.headers["Location"]
    stored = db.session.scalars(db.select(Response)).all()
    assert [r.comment for r in stored] == ["Tốt lắm", "Tốt lắm"]
    assert all(len(r.nonce) <= 64 and "\x00" not in r.nonce for r in stored)


def test_a_comment_with_line_breaks_is_counted_as_the_browser_counts_it(client, province, app):
    """A textarea posts each line break as CR LF; its maxlength counts one. A comment
    the browser let through is not refused, and it is stored with plain line breaks."""
    limit = app.config["COMMENT_MAX_LENGTH"]
    lines = ["Phòng chờ nóng"] * 10
    typed = "\r\n".join(lines) + "x" * (limit - len("\n".join(lines)))
    assert len(typed) > limit and len(typed.replace("\r\n", "\n")) == limit  # fits on screen only
    # The form's own checks (an invalid Q1 sends the form back): none about the comment.
    questioned = submit(client, province.point_a.code, {"Q9": "4", "Q1": "7", "Q10": typed})
    assert questioned.status_code == 422 and "Góp ý tối đa" not in questioned.text
    assert submit(client, province.point_a.code, {"Q9": "4", "Q10": typed}).status_code == 302
    assert db.session.scalars(db.select(Response.comment)).all() == [typed.replace("\r\n", "\n")]
    too_long = submit(client, province.point_a.code, {"Q9": "4", "Q10": typed + "y"})
    assert too_long.status_code == 422 and f"Góp ý tối đa {limit} ký tự" in too_long.text


@pytest.mark.parametrize(
    ("language", "message"),
    [("vi", "Lựa chọn này không có trong danh sách"), ("en", "This choice is not on the list")],
)
def test_an_answer_that_is_not_a_choice_is_explained_in_the_citizen_s_language(
    client, province, language, message
):
    """A rating outside the scale, or a procedure no longer on the list (removed while
    the form was open): the citizen's own language, the label without a doubled colon."""
    point = create_point(province.commune_a)  # agency-level: the procedure pick-list (Q0)
    db.session.commit()
    # The POST first: the tests' client shares one app context, where Flask-Babel keeps the first locale.
    answers = {"nonce": "n-choice", "Q9": "6", "Q0": "9.999999"}
    page = client.post(f"/s/{point.code}", data=answers, headers={"Accept-Language": language})
    assert page.status_code == 422 and _count(Response) == 0
    summary = page.text.split('id="error-summary"')[1].split("</ul>")[0]
    assert summary.count(message) == 2, summary  # the rating and the procedure
    assert "Not a valid choice" not in page.text and ":: " not in page.text

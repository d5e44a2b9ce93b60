"""The submit's quick path (survey/public/posted.py) accepts only what the
WTForms form accepts, and reads the same answer from it: checked on random
posted data with Hypothesis, on a procedure point and on an agency-level
point (with its procedure pick-list)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from survey.public.catalogue import form_for, questionnaire_for
from survey.public.posted import from_form, quick_accept

CHECKS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
FULL = {"Q1": "4", "Q2": "5", "Q3": "5", "Q4": "4", "Q5": "na", "Q6": "1", "Q7": "1", "Q8": "na", "Q9": "5"}
VALUES = st.one_of(
    st.sampled_from(["1", "2", "3", "4", "5", "na", "ns", "", " ", "None", "other", "0", "6", "5 "]),
    st.sampled_from(["1.001193", "1.000001"]),  # a procedure of the pick-list, and one not on it
    st.text(max_size=20),
    st.text(min_size=495, max_size=505),  # around the comment limit (500)
    # Line breaks as browsers post them (CR LF, counted as one), around the limit too.
    st.lists(st.sampled_from(["a", "ế", "\r\n", "\n", "\r"]), min_size=440, max_size=520).map("".join),
)
KEYS = st.sampled_from(["Q0", "Q1", "Q2", "Q5", "Q6", "Q6b", "Q7", "Q9", "Q10", "nonce", "website"])


def _both(app, point, data):
    """(quick path's result, (form valid, form's reading)) for the same POST."""
    with app.test_request_context(f"/s/{point.code}", method="POST", data=data):
        version, procedures = questionnaire_for(point)
        quick = quick_accept(version, procedures, app.config["COMMENT_MAX_LENGTH"])
        form = form_for(point, "vi")[2]
        valid = form.validate()
        return quick, (valid, from_form(form, procedures) if valid else None)


@CHECKS
@given(changes=st.dictionaries(KEYS, VALUES, max_size=6), dropped=st.sets(st.sampled_from(sorted(FULL))))
def test_quick_path_accepts_only_what_the_form_accepts(app, province, changes, dropped):
    for point in (province.point_a, province.point_a_agency):
        data = {k: v for k, v in {**FULL, "Q0": "1.001193", **changes}.items() if k not in dropped}
        quick, (valid, reading) = _both(app, point, MultiDict(data))
        if quick is not None:
            assert valid and reading == quick, (point.code, data)


def test_quick_path_takes_a_complete_answer_as_the_form_reads_it(app, province):
    data = {**FULL, "Q0": "1.001193", "Q10": "Phòng chờ hơi nóng", "nonce": "n-1", "website": ""}
    for point in (province.point_a, province.point_a_agency):
        quick, (valid, reading) = _both(app, point, data)
        assert quick is not None and valid and quick == reading
        assert quick.answers["Q9"] == "5" and quick.comment == "Phòng chờ hơi nóng"
    assert quick.procedure_code == "1.001193"


def test_quick_path_counts_a_line_break_as_the_browser_does(app, province):
    """A phone posts its textarea's line breaks as CR LF; at the limit on screen, the
    comment is still a complete answer, read with plain line breaks, as the form reads it."""
    limit = app.config["COMMENT_MAX_LENGTH"]
    comment = "\r\n".join(["Phòng chờ nóng"] * 20)
    comment += "x" * (limit - len(comment.replace("\r\n", "\n")))
    quick, (valid, reading) = _both(app, province.point_a, {**FULL, "Q10": comment, "nonce": "n-2"})
    assert quick is not None and valid and quick == reading
    assert quick.comment == comment.replace("\r\n", "\n") and len(quick.comment) == limit
    over, (valid, _reading) = _both(app, province.point_a, {**FULL, "Q10": comment + "y", "nonce": "n-3"})
    assert over is None and not valid


def test_quick_path_checks_the_csrf_token(app, client, province, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    point = province.point_a
    with app.test_request_context(f"/s/{point.code}", method="POST", data={**FULL, "csrf_token": "forged"}):
        version, procedures = questionnaire_for(point)
        assert quick_accept(version, procedures, 500) is None
    page = client.get(f"/s/{point.code}").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    reply = client.post(f"/s/{point.code}", data={**FULL, "csrf_token": token, "nonce": "n-2"})
    assert reply.status_code == 302 and "/cam-on" in reply.headers["Location"]
    forged = client.post(f"/s/{point.code}", data={**FULL, "csrf_token": "forged", "nonce": "n-3"})
    assert forged.status_code == 422  # the form's page, every answer kept

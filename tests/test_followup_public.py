"""From the citizen's real form to a case: the public contact step and the
follow-up rule agree, including a per-agency threshold."""

import re

from survey.extensions import db
from survey.followup import settings as followup_settings
from survey.models import Case
from tests.survey_helpers import submit


def _leave_contact(client, code: str, answers: dict):
    posted = submit(client, code, answers)
    thanks = client.get(posted.headers["Location"]).text
    match = re.search(r'href="(/s/[^"]+/lien-he\?t=[^"]+)"', thanks)
    if match is None:
        return None
    return client.post(match.group(1).replace("&amp;", "&"), data={"phone": "0912 345 678", "consent": "y"})


def test_citizen_form_low_answer_and_contact_open_a_case(client, province):
    assert (
        _leave_contact(client, province.point_a.code, {"Q9": "2", "Q10": "Phải chờ 2 tiếng"}).status_code
        == 302
    )
    case = db.session.scalar(db.select(Case))
    assert case.status == "new" and case.contact.phone == "0912 345 678"
    assert case.response.comment == "Phải chờ 2 tiếng"


def test_agency_threshold_changes_the_invitation_and_the_case(client, province):
    assert _leave_contact(client, province.point_a.code, {"Q9": "3"}) is None
    followup_settings.save(
        province.commune_a.id, {**followup_settings.defaults().__dict__, "low_threshold": 3}, None
    )
    assert _leave_contact(client, province.point_a.code, {"Q9": "3"}).status_code == 302
    assert db.session.scalar(db.select(db.func.count(Case.id))) == 1

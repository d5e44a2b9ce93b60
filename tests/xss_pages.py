"""Every place a citizen's text is shown, for the stored-XSS tests.

Citizen text (comments today; contact names and notes as follow-up lands)
is untrusted everywhere. Each entry is a function (client, world, response)
-> (url, method, data) for a page that SHOWS that response's comment, signed
in as the administrator. tests/test_xss.py stores a hostile comment through
the real survey form and checks each page shows it escaped, never raw.

To add a page that shows citizen text: append an entry to PAGES. The test
also checks the escaped text IS on the page, so an entry that does not
actually show the comment fails instead of passing vacuously.
"""

PAYLOAD = "<script>alert('xss')</script>\"'><img src=x onerror=alert(1)>"
ESCAPED = "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;"


def _survey_form_echo(client, world, response):
    """The form re-rendered after an error keeps what the citizen typed."""
    return (f"/s/{world.points['T01-XA'].code}", "POST", {"Q10": PAYLOAD})


def _dossier_form_echo(client, world, response):
    return (f"/d/{world.dossier_links['T01-XA'].token}", "POST", {"Q10": PAYLOAD})


def _comments_list(client, world, response):
    return ("/cases/comments", "GET", None)


def _case_page(client, world, response):
    from sqlalchemy import select

    from survey.extensions import db
    from survey.followup.cases import open_case
    from survey.models import Case

    case = db.session.scalar(select(Case).where(Case.response_id == response.id)) or open_case(response)
    db.session.commit()
    return (f"/cases/{case.id}", "GET", None)


def _agency_summary(client, world, response):
    return ("/agencies/T01-XA", "GET", None)


PAGES = {
    "dashboards.agency_summary (comments)": _agency_summary,
    "public.survey (re-rendered form)": _survey_form_echo,
    "public.dossier_survey (re-rendered form)": _dossier_form_echo,
    "followup.comments": _comments_list,
    "followup.case_page": _case_page,
}

"""Storing a citizen's posted answer: shared by the view (survey.py) and the
WSGI-level submit (fast_submit.py), so both store exactly the same rows and
run the same checks after the commit."""

import logging

from sqlalchemy.exc import SQLAlchemyError

from survey import antiabuse
from survey.extensions import db
from survey.followup.alerts import after_response
from survey.models.response import CHANNEL_DOSSIER
from survey.models.types import utcnow
from survey.public import after_commit
from survey.public.forms import OTHER_PROCEDURE, new_nonce
from survey.public.posted import Posted
from survey.responses import Stored, Submission, rollback_or_drop, store, store_on

log = logging.getLogger(__name__)


def store_posted(
    point,
    version,
    posted: Posted,
    procedures,
    *,
    channel,
    device_key,
    network_key,
    locale,
    dossier_link=None,
    connection=None,
) -> Stored | None:
    """Store the answer once; with a dossier link, mark it used in the same
    transaction. With `connection` (a driver connection, fast_submit.py), the
    answer and the checks after it go through that one connection, not the
    session, and nothing is stored (None) if `point` is no longer as it says."""
    submission = Submission(
        nonce=usable_nonce(posted.nonce),
        answers=posted.answers,
        comment=(posted.comment or "").replace("\x00", "") or None,  # PostgreSQL text refuses NUL
        procedure=chosen_procedure(posted, procedures),
        channel=channel,
        locale=locale,
        device_key=device_key,
        network_key=network_key,
    )
    if connection is not None and dossier_link is None:
        response, created = store_on(connection, point, version, submission)
        if response is None:
            return None  # the point was retired or moved since the caller read it: nothing stored
        if created:
            _checks_in_one_read(response, bool(posted.honeypot.strip()), connection)
        return response
    if dossier_link is not None:
        submission.channel = CHANNEL_DOSSIER
        submission.dossier_link_id = dossier_link.id
        dossier_link.used_at = utcnow()
    response, created = store(point, version, submission)  # with the alert check after its commit
    if created:
        review(response, honeypot_filled=bool(posted.honeypot.strip()))
    # End the checks' read transaction here, where a connection that died
    # meanwhile (database restarting) is dropped quietly, not at teardown,
    # where a failed ROLLBACK would turn the stored answer's redirect into a 500.
    rollback_or_drop()
    return response


def _checks_in_one_read(response, honeypot_filled: bool, connection) -> None:
    """The spike-alert check and the anti-abuse review of a committed answer,
    their reads sent as one statement (after_commit.py). A failed read only
    costs the checks (logged); the answer is stored."""
    try:
        now, unhappy, burst_rows = after_commit.read(response, connection)
    except SQLAlchemyError:
        log.warning("checks of response %s failed; review it by hand", response.id, exc_info=True)
        return
    after_response(response.agency_id, response.survey_point_id, connection, unhappy=unhappy, now=now)
    review(response, honeypot_filled, connection, burst_rows)
    if db.session.registry.has():  # the session wrote an alert or an exclusion (rare)
        rollback_or_drop()


def chosen_procedure(posted: Posted, procedures):
    """The procedure picked on an agency-level point's list, if any."""
    if procedures and posted.procedure_code not in (None, "", OTHER_PROCEDURE):
        return next((p for p in procedures if p.code == posted.procedure_code), None)
    return None


def review(response, honeypot_filled: bool, connection=None, burst_rows=None) -> None:
    """The anti-abuse review of an answer already committed: if the database
    fails now, the citizen still gets the thank-you page (the answer is
    stored), and the log names the response to review by hand."""
    try:
        antiabuse.review(
            response, honeypot_filled=honeypot_filled, connection=connection, burst_rows=burst_rows
        )
    except SQLAlchemyError:
        rollback_or_drop()
        log.warning("anti-abuse review of response %s failed; review it by hand", response.id, exc_info=True)


def usable_nonce(nonce: str | None) -> str:
    """The form's nonce; a missing or mangled one (too long for the column, a
    NUL byte) is replaced, so the answer is still stored (once per post)."""
    if not nonce or len(nonce) > 64 or "\x00" in nonce:
        return new_nonce()
    return nonce

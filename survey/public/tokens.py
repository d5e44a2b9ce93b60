"""Short-lived signed tokens that let the thank-you and contact pages find
the response just stored, without putting it in a session or a guessable URL."""

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from survey.extensions import db
from survey.models import Response
from survey.session_cookie import KeyCachingSigner

MAX_AGE_SECONDS = 3600
# Session key: the point this browser just answered, and the response's token.
# Going back to the form (the browser refetches it) then says "already sent"
# instead of offering the same answers for a second response.
ANSWERED = "answered"


_serializers: dict[str, URLSafeTimedSerializer] = {}


def _serializer() -> URLSafeTimedSerializer:
    """One serializer per secret, its key derived once (session_cookie.KeyCachingSigner)."""
    secret = current_app.config["SECRET_KEY"]
    serializer = _serializers.get(secret)
    if serializer is None:
        _serializers.clear()  # one secret at a time (tests change it)
        serializer = _serializers[secret] = URLSafeTimedSerializer(
            secret, salt="survey-response", signer=KeyCachingSigner
        )
    return serializer


def for_response(response: Response) -> str:
    return _serializer().dumps(response.id)


def response_from(token: str | None, point_id: int) -> Response | None:
    """The response the token names, if fresh and from this survey point."""
    if not token:
        return None
    try:
        response_id = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
    except BadSignature:
        return None
    response = db.session.get(Response, response_id)
    return response if response is not None and response.survey_point_id == point_id else None

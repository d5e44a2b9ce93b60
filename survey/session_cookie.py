"""Flask's signed-cookie session, with its signing serializer built once.

Flask builds a new serializer (key derivation and all) every time it opens
or saves a session: twice per request, on every page view. It depends only
on the secret keys, so it is kept until they change; cookies are the same.
"""

from flask import Flask
from flask.sessions import SecureCookieSessionInterface


class SessionInterface(SecureCookieSessionInterface):
    def __init__(self):
        self._cached: tuple = (None, None)

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        cached_keys, serializer = self._cached
        if cached_keys != keys:
            serializer = super().get_signing_serializer(app)
            self._cached = (keys, serializer)
        return serializer


def register(app: Flask) -> None:
    app.session_interface = SessionInterface()

"""Flask's signed-cookie session, with its signing serializer built once.

Flask builds a new serializer every time it opens or saves a session (twice
per request, on every page view), and itsdangerous derives the HMAC key from
the secret again for every signature. Both depend only on the secret keys, so
they are kept until the keys change; the cookies are byte for byte the same.
The CSRF token (csrf_tokens.py) signs with the same KeyCachingSigner.
"""

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import TimestampSigner

_derived: dict[tuple, bytes] = {}


class KeyCachingSigner(TimestampSigner):
    """itsdangerous' timestamp signer, deriving each (secret, salt) key once per worker."""

    def derive_key(self, secret_key=None) -> bytes:
        source = self.secret_keys[-1] if secret_key is None else secret_key
        cache_key = (source, self.salt, self.key_derivation, self.digest_method)
        derived = _derived.get(cache_key)
        if derived is None:
            if len(_derived) > 64:  # old secrets (tests change them) are dropped
                _derived.clear()
            derived = _derived[cache_key] = super().derive_key(secret_key)
        return derived


class SessionInterface(SecureCookieSessionInterface):
    def __init__(self):
        self._cached: tuple = (None, None)

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        cached_keys, serializer = self._cached
        if cached_keys != keys:
            serializer = super().get_signing_serializer(app)
            if serializer is not None:
                serializer.signer = KeyCachingSigner
            self._cached = (keys, serializer)
        return serializer


def register(app: Flask) -> None:
    app.session_interface = SessionInterface()

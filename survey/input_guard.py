"""Refuse request bodies the HTML forms cannot read, before a view sees them.

Flask-WTF reads a JSON body as form data; a JSON body that is not an object
(a number, a list) made it crash with a 500. Forms never send JSON, so such
a body is a clear 400. The bearer-token API parses its own JSON.
"""

import re

from flask import Flask, abort, request

_CONTROL = re.compile(r"[\x00-\x1f]")


def _refuse_unreadable_json() -> None:
    if (
        request.method in ("POST", "PUT", "PATCH")
        and request.is_json
        and not request.path.startswith("/api/")
    ):
        if not isinstance(request.get_json(silent=True), dict):
            abort(400)


def _refuse_control_characters() -> None:
    """No code, name or query value contains a control character; PostgreSQL
    refuses NUL bytes in text, so such a URL is a 404 before any query."""
    values = [*(request.view_args or {}).values(), *request.args.values()]
    if any(isinstance(v, str) and _CONTROL.search(v) for v in values):
        abort(404)


def register(app: Flask) -> None:
    app.before_request(_refuse_unreadable_json)
    app.before_request(_refuse_control_characters)

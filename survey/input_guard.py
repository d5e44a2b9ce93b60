"""Refuse request bodies the HTML forms cannot read, before a view sees them.

Flask-WTF reads a JSON body as form data; a JSON body that is not an object
(a number, a list) made it crash with a 500. Forms never send JSON, so such
a body is a clear 400. The bearer-token API parses its own JSON.
"""

import re

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

BIGGEST_ID = 2**63 - 1  # PostgreSQL's bigint, SQLite's integer


class DatabaseId(IntegerConverter):
    """<int:...> in a URL: a number no table can hold (an id typed or guessed)
    does not match, so it is the 404 page, not an OverflowError (a 500)."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=BIGGEST_ID, signed=False):  # noqa: A002
        super().__init__(url_map, fixed_digits, min, max, signed)


def bound_integer_ids(app: Flask) -> None:
    """Before any route is added: every <int:...> of the app takes DatabaseId."""
    app.url_map.converters["int"] = DatabaseId


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

"""The ISO secretary's console: agencies, procedures, points, users, tokens, log."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from survey.admin import (  # noqa: E402,F401
    agencies,
    help,
    log,
    points,
    procedures,
    questionnaires,
    tokens,
    tree,
    users,
)

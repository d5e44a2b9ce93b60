from flask import Blueprint

bp = Blueprint("public", __name__)

from survey.public import dossier, qr_images, views  # noqa: E402,F401

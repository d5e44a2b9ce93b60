from flask import Blueprint

bp = Blueprint("public", __name__)

from survey.public import contact, dossier, kiosk, pages, qr_images, survey, views  # noqa: E402,F401

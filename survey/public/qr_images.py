"""QR images at stable URLs: /qr/<code>.png (?size=, ?logo=1) and /qr/<code>.svg.

The encoded text is always built from PUBLIC_BASE_URL (survey.points.qr_url),
never from the request host. Images are cached in memory (survey.qr) and by
browsers and proxies for a day: their content never changes for a code.
"""

from flask import abort, current_app, request

from survey import qr
from survey.auth.access import public
from survey.logos import logo_for
from survey.models import Agency
from survey.points import find_point, qr_url
from survey.public import bp

DEFAULT_PNG_SIZE = 600


def requested_size() -> int:
    raw = request.args.get("size", "")
    if not raw:
        return DEFAULT_PNG_SIZE
    if not raw.isdigit():
        abort(400)
    return int(raw)


def _wants_logo(agency: Agency) -> bytes | None:
    if request.args.get("logo") not in ("1", "true", "yes"):
        return None
    return logo_for(agency)


def image_response(body: bytes, mimetype: str):
    return current_app.response_class(
        body, mimetype=mimetype, headers={"Cache-Control": "public, max-age=86400"}
    )


def _point_or_404(code: str):
    point = find_point(code)
    if point is None:
        abort(404)
    return point


@bp.get("/qr/<code>.png")
@public
def qr_png(code: str):
    point = _point_or_404(code)
    body = qr.png_bytes(qr_url(point.code), requested_size(), _wants_logo(point.agency))
    return image_response(body, "image/png")


@bp.get("/qr/<code>.svg")
@public
def qr_svg(code: str):
    point = _point_or_404(code)
    return image_response(qr.svg_bytes(qr_url(point.code), _wants_logo(point.agency)), "image/svg+xml")

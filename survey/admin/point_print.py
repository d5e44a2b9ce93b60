"""Printing one survey point's poster from the console (A4, A5 or table tent).

Batch printing of a whole agency lives with the posters (survey/posters/);
this is the "print" link on each point.
"""

from flask import Response, abort, request
from flask_login import current_user

from survey.admin import bp
from survey.auth.access import any_staff_role
from survey.auth.scope import ensure_in_scope
from survey.points import find_point
from survey.posters.service import build_pdf

SINGLE_LAYOUTS = ("a4", "a5", "tent")


@bp.get("/survey-points/<code>/poster.pdf")
@any_staff_role
def point_poster(code: str):
    point = find_point(code)
    ensure_in_scope(current_user, point.agency if point else None)
    layout = request.args.get("layout", "a4")
    if layout not in SINGLE_LAYOUTS or point.is_retired:
        abort(404)  # a retired code gets no new poster
    body = build_pdf([point], layout)
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"inline; filename=ap-phich-{point.code}-{layout}.pdf"},
    )

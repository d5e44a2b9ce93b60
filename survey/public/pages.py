"""Static citizen pages: the privacy notice."""

from flask import render_template, request

from survey.auth.access import public
from survey.contacts import NOTICE_VERSION
from survey.points import find_point
from survey.public import bp


@bp.get("/quyen-rieng-tu")
@public
def privacy():
    """The notice; ?p=<code> names the agency that controls the data."""
    point = find_point(request.args.get("p", "")) if request.args.get("p") else None
    return render_template("public/privacy.html", point=point, notice_version=NOTICE_VERSION)

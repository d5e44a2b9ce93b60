"""Staff pages for posters: one point's poster, and batch jobs for an agency or subtree."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from survey.agencies import get_by_code
from survey.auth.access import any_staff_role, roles_required
from survey.auth.scope import ensure_in_scope, scope_agency_ids
from survey.extensions import db
from survey.models import Agency, PosterJob
from survey.models.poster_job import JOB_DONE
from survey.models.user import ROLE_ADMIN, ROLE_COMMITTEE, ROLE_HEAD, ROLE_STAFF
from survey.pagination import paginate
from survey.points import find_point
from survey.posters import jobs
from survey.posters.pages import LAYOUTS
from survey.posters.service import build_pdf

bp = Blueprint("posters", __name__, url_prefix="/posters")
# Auditors only read; printing is the ISO secretary's (staff) and managers' job.
printing_roles = roles_required(ROLE_ADMIN, ROLE_COMMITTEE, ROLE_HEAD, ROLE_STAFF)

LAYOUT_LABELS = {
    "a4": _l("A4 dọc (áp phích tại quầy)"),
    "a5": _l("A5 dọc"),
    "tent": _l("Biển để bàn (A4 gấp đôi)"),
    "sheet": _l("Tờ 6 mã có dấu cắt (A4)"),
}


class PosterJobForm(FlaskForm):
    agency = SelectField(_l("Đơn vị"), validators=[DataRequired()])
    subtree = BooleanField(_l("Gồm cả các đơn vị trực thuộc"))
    layout = SelectField(
        _l("Khổ in"), choices=[SelectChoice(key, LAYOUT_LABELS[key]) for key in LAYOUTS], default="a4"
    )
    hotline = StringField(_l("Đường dây nóng (không bắt buộc)"), validators=[Length(max=40)])
    logo = BooleanField(_l("Biểu trưng ở giữa mã QR"))


def _agency_choices() -> list[SelectChoice]:
    stmt = select(Agency.code, Agency.name).order_by(Agency.depth, Agency.name)
    if (ids := scope_agency_ids(current_user)) is not None:
        stmt = stmt.where(Agency.id.in_(ids))
    return [SelectChoice(code, f"{name} ({code})") for code, name in db.session.execute(stmt)]


def _jobs_in_scope():
    stmt = select(PosterJob).order_by(PosterJob.id.desc())
    if (ids := scope_agency_ids(current_user)) is not None:
        stmt = stmt.where(PosterJob.agency_id.in_(ids))
    return stmt


@bp.route("/", methods=["GET", "POST"])
@any_staff_role
def index():
    form = PosterJobForm(hotline=current_app.config["POSTER_HOTLINE"])
    form.agency.choices = _agency_choices()
    if request.method == "POST":
        if current_user.read_only:
            abort(403)
        if form.validate_on_submit():
            agency = ensure_in_scope(current_user, get_by_code(form.agency.data))
            job = jobs.create(
                current_user, agency, form.subtree.data, form.layout.data, form.hotline.data.strip()
            )
            jobs.start(job, with_logo=form.logo.data)
            return redirect(url_for("posters.job", job_id=job.id))
    jobs.fail_abandoned()
    page = paginate(_jobs_in_scope())
    status = 422 if form.errors else 200
    return render_template("posters/index.html", form=form, page=page), status


def _scoped_job(job_id: int) -> PosterJob:
    job = db.session.get(PosterJob, job_id)
    ensure_in_scope(current_user, job.agency if job else None)
    return job


@bp.get("/jobs/<int:job_id>")
@any_staff_role
def job(job_id: int):
    jobs.fail_abandoned()
    item = _scoped_job(job_id)
    return render_template("posters/job.html", job=item)


@bp.get("/jobs/<int:job_id>.pdf")
@any_staff_role
def job_pdf(job_id: int):
    item = _scoped_job(job_id)
    if item.status != JOB_DONE:
        abort(404)
    return send_file(
        jobs.file_path(item), mimetype="application/pdf", as_attachment=True, download_name=item.file_name
    )


@bp.get("/point/<code>.pdf")
@any_staff_role
def point_poster(code: str):
    """One point's poster, drawn in the request (one page is quick)."""
    point = find_point(code)
    ensure_in_scope(current_user, point.agency if point else None)
    layout = request.args.get("layout", "a4")
    if layout not in LAYOUTS:
        abort(400)
    if point.is_retired:
        message = _("Điểm khảo sát này đã ngừng sử dụng; hãy in áp phích của điểm thay thế.")
        return render_template("error.html", status=409, title=_("Không in áp phích"), message=message), 409
    data = build_pdf([point], layout, current_app.config["POSTER_HOTLINE"], request.args.get("logo") == "1")
    name = f"poster-{point.code}-{layout}.pdf"
    response = current_app.response_class(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    return response

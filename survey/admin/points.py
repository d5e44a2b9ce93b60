"""Survey points: list, create one or many, label counters, retire with a replacement."""

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from survey import point_admin
from survey.admin import bp
from survey.admin.common import (
    MANAGER_ROLES,
    agency_choices,
    manager_required,
    scope_ids,
    scoped_agency,
    search_text,
)
from survey.admin.forms import CounterForm, PointForm, RetirePointForm
from survey.auth.access import any_staff_role
from survey.auth.scope import ensure_in_scope
from survey.extensions import db
from survey.models import Agency, Procedure, SurveyPoint
from survey.pagination import paginate
from survey.points import find_point, public_url
from survey.retirement import RetirementError, current_replacement
from survey.scans import conversion_by_point, today_in_vietnam

CONVERSION_DAYS = 30


def _conversions(point_ids: list[int]) -> dict:
    last = today_in_vietnam()
    return conversion_by_point(point_ids, last - timedelta(days=CONVERSION_DAYS - 1), last)


def _list_stmt(agency: Agency | None):
    stmt = (
        select(SurveyPoint)
        .options(joinedload(SurveyPoint.agency), joinedload(SurveyPoint.procedure))
        .order_by(SurveyPoint.id)
    )
    if agency is not None:
        return stmt.where(SurveyPoint.agency_id == agency.id)
    if (ids := scope_ids()) is not None:
        stmt = stmt.where(SurveyPoint.agency_id.in_(ids))
    return stmt


@bp.get("/survey-points")
@any_staff_role
def survey_points():
    agency = scoped_agency(request.args["agency"]) if request.args.get("agency") else None
    stmt = _list_stmt(agency)
    if q := search_text():
        stmt = stmt.join(Agency, Agency.id == SurveyPoint.agency_id).outerjoin(
            Procedure, Procedure.id == SurveyPoint.procedure_id
        )
        like = f"%{q}%"
        stmt = stmt.where(
            or_(
                Agency.name.ilike(like),
                SurveyPoint.code == q.upper(),
                SurveyPoint.counter.ilike(like),
                Procedure.code == q,
            )
        )
    if request.args.get("status") in ("active", "retired"):
        stmt = stmt.where(SurveyPoint.status == request.args["status"])
    page = paginate(stmt)
    return render_template(
        "admin/survey_points.html",
        page=page,
        q=q,
        agency=agency,
        counts=point_admin.answer_counts([p.id for p in page.items]),
        conversions=_conversions([p.id for p in page.items]),
        days=CONVERSION_DAYS,
        public_url=public_url,
        can_manage=current_user.role in MANAGER_ROLES,
    )


def _procedure(code: str | None) -> Procedure | None:
    if not code:
        return None
    return db.session.scalar(
        select(Procedure).where(Procedure.code == code.strip(), Procedure.active.is_(True))
    )


@bp.route("/survey-points/new", methods=["GET", "POST"])
@manager_required
def survey_point_new():
    form = PointForm(agency=request.args.get("agency"))
    form.agency.choices = agency_choices()
    if form.validate_on_submit():
        agency = scoped_agency(form.agency.data)
        procedure = _procedure(form.procedure.data)
        if form.procedure.data and procedure is None:
            form.procedure.errors.append(_("Không tìm thấy thủ tục đang áp dụng có mã này."))
        else:
            return _create(agency, procedure, form)
    return render_template("admin/point_form.html", form=form), 422 if form.errors else 200


def _create(agency: Agency, procedure: Procedure | None, form: PointForm):
    if form.per_procedure.data:
        created = point_admin.create_per_procedure(agency, form.counter.data)
    else:
        created = [point_admin.create_logged(agency, procedure, form.counter.data)]
    db.session.commit()
    flash(_("Đã tạo %(n)d điểm khảo sát.", n=len(created)))
    return redirect(url_for("admin.survey_points", agency=agency.code))


def _scoped_point(code: str) -> SurveyPoint:
    point = find_point(code)
    ensure_in_scope(current_user, point.agency if point else None)
    return point


@bp.get("/survey-points/<code>")
@any_staff_role
def survey_point(code: str):
    point = _scoped_point(code)
    return _point_page(point, CounterForm(obj=point))


def _point_page(point: SurveyPoint, form: CounterForm):
    n, last = point_admin.answer_counts([point.id]).get(point.id, (0, None))
    return render_template(
        "admin/point.html",
        point=point,
        answers=n,
        last=last,
        conversion=_conversions([point.id])[point.id],
        days=CONVERSION_DAYS,
        replacement=current_replacement(point) if point.is_retired else None,
        form=form,
        public_url=public_url,
        can_manage=current_user.role in MANAGER_ROLES,
    )


@bp.post("/survey-points/<code>/counter")
@manager_required
def survey_point_counter(code: str):
    point = _scoped_point(code)
    form = CounterForm()
    if not form.validate_on_submit():  # the page again, with the message and what was typed
        return _point_page(point, form), 422
    point_admin.set_counter(point, form.counter.data)
    db.session.commit()
    flash(_("Đã lưu tên quầy."))
    return redirect(url_for("admin.survey_point", code=point.code))


def _replacement(code: str | None) -> SurveyPoint | None:
    if not code:
        return None
    other, ids = find_point(code), scope_ids()
    if other is None or (ids is not None and other.agency_id not in ids):
        raise RetirementError(_("Không tìm thấy điểm khảo sát %(code)s.", code=code))
    return other


@bp.route("/survey-points/<code>/retire", methods=["GET", "POST"])
@manager_required
def survey_point_retire(code: str):
    point = _scoped_point(code)
    form = RetirePointForm()
    if form.validate_on_submit():
        try:
            point_admin.retire_logged(point, _replacement(form.replacement.data))
        except RetirementError as error:
            db.session.rollback()
            form.replacement.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Đã ngừng sử dụng điểm khảo sát %(code)s.", code=point.code))
            return redirect(url_for("admin.survey_point", code=point.code))
    return render_template("admin/point_retire.html", form=form, point=point), 422 if form.errors else 200

"""The procedure catalogue: search, assign to agencies, import the province's CSV."""

import base64
import binascii

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from survey import audit, procedure_import
from survey.admin import bp
from survey.admin.common import (
    MANAGER_ROLES,
    manager_required,
    require_province_wide,
    scope_ids,
    scoped_agency,
    search_text,
)
from survey.admin.forms import ApplyImportForm, AssignProcedureForm, ConfirmForm, ImportForm
from survey.auth.access import any_staff_role
from survey.extensions import db
from survey.importer import ImportFileError
from survey.models import AgencyProcedure, Procedure
from survey.pagination import paginate


def _catalogue(agency_code: str | None):
    stmt = select(Procedure).order_by(Procedure.field, Procedure.code)
    if agency_code:
        agency = scoped_agency(agency_code)
        handled = select(AgencyProcedure.procedure_id).where(AgencyProcedure.agency_id == agency.id)
        return agency, stmt.where(Procedure.id.in_(handled))
    if (ids := scope_ids()) is not None:
        handled = select(AgencyProcedure.procedure_id).where(AgencyProcedure.agency_id.in_(ids))
        stmt = stmt.where(Procedure.id.in_(handled))
    return None, stmt


@bp.get("/procedures")
@any_staff_role
def procedures():
    agency, stmt = _catalogue(request.args.get("agency"))
    if q := search_text():
        like = f"%{q}%"
        stmt = stmt.where(
            or_(Procedure.name.ilike(like), Procedure.code.ilike(like), Procedure.field.ilike(like))
        )
    if request.args.get("retired") != "1":
        stmt = stmt.where(Procedure.active.is_(True))
    return render_template(
        "admin/procedures.html",
        page=paginate(stmt),
        q=q,
        agency=agency,
        form=AssignProcedureForm(),
        can_manage=current_user.role in MANAGER_ROLES,
    )


@bp.post("/agencies/<code>/procedures")
@manager_required
def procedure_assign(code: str):
    agency = scoped_agency(code)
    form = AssignProcedureForm()
    wanted = (form.procedure.data or "").strip()
    procedure = db.session.scalar(
        select(Procedure).where(Procedure.code == wanted, Procedure.active.is_(True))
    )
    if not form.validate_on_submit() or procedure is None:
        flash(_("Không tìm thấy thủ tục đang áp dụng có mã %(code)s.", code=wanted))
    elif db.session.get(AgencyProcedure, (agency.id, procedure.id)) is None:
        db.session.add(AgencyProcedure(agency_id=agency.id, procedure_id=procedure.id))
        audit.record(
            "agency_procedure",
            f"{agency.code}:{procedure.code}",
            "assign",
            agency.id,
            after={"procedure": procedure.code},
        )
        db.session.commit()
        flash(_("Đã giao thủ tục %(code)s cho đơn vị.", code=procedure.code))
    return redirect(url_for("admin.procedures", agency=agency.code))


@bp.post("/agencies/<code>/procedures/<procedure_code>/remove")
@manager_required
def procedure_unassign(code: str, procedure_code: str):
    agency = scoped_agency(code)
    procedure = db.session.scalar(select(Procedure).where(Procedure.code == procedure_code))
    link = db.session.get(AgencyProcedure, (agency.id, procedure.id)) if procedure else None
    if link is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    db.session.delete(link)
    audit.record(
        "agency_procedure",
        f"{agency.code}:{procedure.code}",
        "unassign",
        agency.id,
        before={"procedure": procedure.code},
    )
    db.session.commit()
    flash(_("Đã bỏ giao thủ tục %(code)s; có thể giao lại bất cứ lúc nào.", code=procedure.code))
    return redirect(url_for("admin.procedures", agency=agency.code))


def _preview(data: bytes, retire_missing: bool):
    try:
        result = procedure_import.plan(data, retire_missing)
    except ImportFileError as error:
        return render_template("admin/procedure_import.html", form=ImportForm(), file_error=str(error)), 422
    apply_form = ApplyImportForm(
        payload=base64.b64encode(data).decode(), retire_missing="1" if retire_missing else ""
    )
    status = 200 if result.ok else 422
    return render_template("admin/procedure_preview.html", plan=result, form=apply_form), status


@bp.route("/procedures/import", methods=["GET", "POST"])
@manager_required
def procedure_import_upload():
    require_province_wide()
    form = ImportForm()
    if form.validate_on_submit():
        return _preview(form.file.data.read(), form.retire_missing.data)
    return render_template("admin/procedure_import.html", form=form), 422 if form.errors else 200


@bp.post("/procedures/import/apply")
@manager_required
def procedure_import_apply():
    require_province_wide()
    form = ApplyImportForm()
    try:
        data = base64.b64decode(form.payload.data or "", validate=True)
    except (binascii.Error, ValueError):
        abort(400)
    if not form.validate_on_submit():
        abort(400)
    result = procedure_import.plan(data, form.retire_missing.data == "1")
    if not result.ok:
        return render_template("admin/procedure_preview.html", plan=result, form=form), 422
    procedure_import.apply(result)
    db.session.commit()
    flash(
        _(
            "Đã nhập danh mục: %(a)d thêm mới, %(c)d thay đổi, %(r)d ngừng áp dụng.",
            a=len(result.added),
            c=len(result.changed),
            r=len(result.retired),
        )
    )
    return redirect(url_for("admin.procedures"))

"""Changing agencies: create, rename, set the quality objective, move, merge, retire and restore."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from survey import agency_changes as changes
from survey.admin import bp
from survey.admin.common import agency_choices, is_province_wide, manager_required, scoped_agency
from survey.admin.forms import AgencyForm, ConfirmForm, MergeForm, ParentForm, RenameForm, TargetForm
from survey.extensions import db
from survey.kinds import agency_kinds
from survey.models import Agency
from survey.quality_targets import set_target

NO_PARENT = ""


def _kind_choices() -> list[tuple[str, str]]:
    return [(kind, names[0]) for kind, names in agency_kinds().items()]


def _parent_choices(exclude: Agency | None = None) -> list[tuple[str, str]]:
    choices = [(code, label) for code, label in agency_choices() if exclude is None or code != exclude.code]
    if is_province_wide():
        choices.insert(0, (NO_PARENT, _("(Không có — đơn vị gốc)")))
    return choices


def _not_scope_root(agency: Agency) -> Agency:
    """A scoped user may not move, merge or retire the unit their scope hangs on."""
    if current_user.agency_id == agency.id and not is_province_wide():
        abort(404)
    return agency


def _parent_from(code: str | None) -> Agency | None:
    if not code:
        if not is_province_wide():
            abort(404)
        return None
    return scoped_agency(code)


def _done(agency: Agency, message: str):
    db.session.commit()
    flash(message)
    return redirect(url_for("admin.agency", code=agency.code))


def _failed(error: Exception) -> None:
    db.session.rollback()
    flash(str(error))


@bp.route("/agencies/new", methods=["GET", "POST"])
@manager_required
def agency_new():
    form = AgencyForm(parent=request.args.get("parent", NO_PARENT))
    form.kind.choices = _kind_choices()
    form.parent.choices = _parent_choices()
    if form.validate_on_submit():
        parent = _parent_from(form.parent.data)
        try:
            agency = changes.add(form.code.data.strip(), form.name.data.strip(), form.kind.data, parent)
        except changes.TreeError as error:
            form.code.errors.append(str(error))
        else:
            return _done(agency, _("Đã tạo đơn vị %(name)s.", name=agency.name))
    return render_template(
        "admin/agency_form.html", form=form, title=_("Thêm đơn vị")
    ), 422 if form.errors else 200


@bp.route("/agencies/<code>/rename", methods=["GET", "POST"])
@manager_required
def agency_rename(code: str):
    agency = scoped_agency(code)
    form = RenameForm(obj=agency)
    form.kind.choices = _kind_choices()
    if form.validate_on_submit():
        changes.rename(agency, form.name.data.strip(), form.kind.data)
        return _done(agency, _("Đã đổi tên đơn vị."))
    return render_template("admin/agency_form.html", form=form, agency=agency, title=_("Đổi tên đơn vị"))


def _percent_text(fraction: float | None) -> str:
    if fraction is None:
        return ""
    return f"{fraction * 100:.2f}".rstrip("0").rstrip(".").replace(".", ",")


@bp.route("/agencies/<code>/target", methods=["GET", "POST"])
@manager_required
def agency_target(code: str):
    """The agency's quality objective; empty means the province default."""
    agency = scoped_agency(code)
    form = TargetForm(
        data=None if request.method == "POST" else {"target": _percent_text(agency.quality_target)}
    )
    if form.validate_on_submit():
        if set_target(agency, form.target.parsed):
            return _done(agency, _("Đã lưu mục tiêu chất lượng."))
        return redirect(url_for("admin.agency", code=agency.code))
    return render_template(
        "admin/agency_form.html",
        form=form,
        agency=agency,
        title=_("Mục tiêu chất lượng"),
        hint=_(
            "Tỷ lệ người dân hài lòng mà đơn vị cam kết đạt, ví dụ 90 hoặc 92,5. "
            "Để trống để dùng mục tiêu chung của tỉnh (%(default)s).",
            default=_percent_text(current_app.config["DEFAULT_TARGET"]) + " %",
        ),
    ), 422 if form.errors else 200


@bp.route("/agencies/<code>/move", methods=["GET", "POST"])
@manager_required
def agency_move(code: str):
    agency = _not_scope_root(scoped_agency(code))
    form = ParentForm(parent=agency.parent.code if agency.parent else NO_PARENT)
    form.parent.choices = _parent_choices(exclude=agency)
    if form.validate_on_submit():
        try:
            changes.move(agency, _parent_from(form.parent.data))
        except changes.TreeError as error:
            form.parent.errors.append(str(error))
        else:
            return _done(agency, _("Đã chuyển đơn vị."))
    return render_template("admin/agency_form.html", form=form, agency=agency, title=_("Chuyển đơn vị"))


@bp.route("/agencies/<code>/merge", methods=["GET", "POST"])
@manager_required
def agency_merge(code: str):
    source = _not_scope_root(scoped_agency(code))
    form = MergeForm()
    form.target.choices = [(c, label) for c, label in agency_choices() if c != source.code]
    if not form.validate_on_submit():
        return render_template("admin/agency_merge.html", form=form, source=source)
    target = scoped_agency(form.target.data)
    if form.confirmed.data != "1":
        form.confirmed.data = "1"
        return render_template(
            "admin/agency_merge_confirm.html",
            form=form,
            source=source,
            target=target,
            facts=changes.merge_facts(source),
        )
    try:
        changes.merge(source, target)
    except changes.TreeError as error:
        _failed(error)
        return redirect(url_for("admin.agency_merge", code=source.code))
    return _done(target, _("Đã sáp nhập %(old)s vào %(new)s.", old=source.name, new=target.name))


@bp.route("/agencies/<code>/retire", methods=["GET", "POST"])
@manager_required
def agency_retire(code: str):
    agency = _not_scope_root(scoped_agency(code))
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            stopped = changes.retire(agency)
        except changes.TreeError as error:
            _failed(error)
            return redirect(url_for("admin.agency", code=agency.code))
        return _done(agency, _("Đã ngừng hoạt động đơn vị; %(n)d điểm khảo sát ngừng theo.", n=stopped))
    points = changes.active_points(agency)
    return render_template("admin/agency_retire.html", form=form, agency=agency, points=points)


@bp.post("/agencies/<code>/restore")
@manager_required
def agency_restore(code: str):
    agency = _not_scope_root(scoped_agency(code))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        changes.restore(agency)
    except changes.TreeError as error:
        _failed(error)
        return redirect(url_for("admin.agency", code=agency.code))
    return _done(agency, _("Đã khôi phục đơn vị."))

"""Which questionnaire version each agency uses from which date, and a phone preview.

The version editor itself lives with the survey (issue 5); here the
secretary only chooses and previews.
"""

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from survey import audit
from survey.admin import bp
from survey.admin.common import manager_required, scope_ids, scoped_agency
from survey.admin.forms import AssignQuestionnaireForm
from survey.auth.access import any_staff_role
from survey.extensions import db
from survey.i18n import current_locale
from survey.models import Agency, AgencyQuestionnaire, QuestionnaireVersion, SurveyPoint
from survey.pagination import paginate
from survey.public.forms import build_form_class, new_nonce
from survey.questionnaires import assigned_version, ensure_default


def _versions() -> list[QuestionnaireVersion]:
    """Province-wide versions and those made for an agency in the user's scope."""
    stmt = select(QuestionnaireVersion).order_by(QuestionnaireVersion.code, QuestionnaireVersion.version)
    if (ids := scope_ids()) is not None:
        stmt = stmt.where(QuestionnaireVersion.agency_id.is_(None) | QuestionnaireVersion.agency_id.in_(ids))
    return list(db.session.scalars(stmt))


def _label(version: QuestionnaireVersion) -> str:
    return f"{version.code} (v{version.version}) — {version.title_vi}"


@bp.get("/questionnaire-assignments")
@any_staff_role
def questionnaire_assignments():
    ensure_default()
    stmt = (
        select(AgencyQuestionnaire).join(Agency).order_by(AgencyQuestionnaire.valid_from.desc(), Agency.name)
    )
    if (ids := scope_ids()) is not None:
        stmt = stmt.where(AgencyQuestionnaire.agency_id.in_(ids))
    return render_template(
        "admin/questionnaires.html", page=paginate(stmt), versions=_versions(), label=_label
    )


@bp.route("/agencies/<code>/questionnaire", methods=["GET", "POST"])
@manager_required
def questionnaire_assign(code: str):
    agency = scoped_agency(code)
    versions = {v.id: v for v in _versions()}
    form = AssignQuestionnaireForm(valid_from=date.today())
    form.questionnaire.choices = [(v.id, _label(v)) for v in versions.values()]
    if form.validate_on_submit():
        _assign(agency, versions[form.questionnaire.data], form.valid_from.data)
        db.session.commit()
        flash(_("Đã chọn phiếu khảo sát cho đơn vị."))
        return redirect(url_for("admin.agency", code=agency.code))
    current = assigned_version(agency)
    return render_template(
        "admin/questionnaire_assign.html", form=form, agency=agency, current=current, label=_label
    ), (422 if form.errors else 200)


def _assign(agency: Agency, version: QuestionnaireVersion, valid_from: date) -> None:
    stmt = select(AgencyQuestionnaire).where(
        AgencyQuestionnaire.agency_id == agency.id, AgencyQuestionnaire.valid_from == valid_from
    )
    row = db.session.scalar(stmt)
    before = {"questionnaire": row.questionnaire.code, "version": row.questionnaire.version} if row else None
    if row is None:
        row = AgencyQuestionnaire(agency_id=agency.id, valid_from=valid_from, created_by_id=current_user.id)
        db.session.add(row)
    row.questionnaire_id = version.id
    after = {"questionnaire": version.code, "version": version.version, "valid_from": valid_from.isoformat()}
    audit.record("agency_questionnaire", agency.code, "assign", agency.id, before, after)


@bp.get("/questionnaire-versions/<int:version_id>/preview")
@any_staff_role
def questionnaire_preview(version_id: int):
    version = next((v for v in _versions() if v.id == version_id), None)
    if version is None:
        abort(404)
    agency = scoped_agency(request.args["agency"]) if request.args.get("agency") else current_user.agency
    return render_template("admin/questionnaire_preview.html", version=version, agency=agency, label=_label)


@bp.get("/questionnaire-versions/<int:version_id>/phone")
@any_staff_role
def questionnaire_phone(version_id: int):
    """The citizen's page as it renders on a phone (shown in a 360 px frame); it cannot submit."""
    version = next((v for v in _versions() if v.id == version_id), None)
    if version is None:
        abort(404)
    agency = scoped_agency(request.args["agency"]) if request.args.get("agency") else current_user.agency
    agency = agency or Agency(code="XEMTHU", name=_("Tên đơn vị của Ông/Bà"), kind="commune_pc")
    point = SurveyPoint(code="XEMTHU", agency=agency)
    form_class = build_form_class(version, current_locale(), [], current_app.config["COMMENT_MAX_LENGTH"])
    form = form_class(meta={"csrf": False})
    form.nonce.data = new_nonce()
    return render_template("public/survey.html", point=point, version=version, form=form, preview=True)

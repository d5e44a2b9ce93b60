"""Questionnaire versions: list, show, and a new version made from another."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from survey.admin.questionnaires import _assign as assign
from survey.agencies import get_by_code
from survey.auth.access import admin_required
from survey.auth.scope import ensure_in_scope
from survey.extensions import db
from survey.i18n import to_local
from survey.models import Criterion, QuestionnaireVersion
from survey.models.types import utcnow
from survey.pagination import paginate
from survey.public import catalogue
from survey.questionnaire_admin import bp
from survey.questionnaire_admin.forms import VersionForm, prefill, set_criteria
from survey.questionnaire_admin.versions import QuestionSpec, VersionError, response_counts, save
from survey.questionnaires import default_version, ensure_default


@bp.get("/")
@admin_required
def index():
    stmt = (
        select(QuestionnaireVersion)
        .options(joinedload(QuestionnaireVersion.agency))
        .order_by(QuestionnaireVersion.id.desc())
    )
    page = paginate(stmt)
    counts = response_counts([v.id for v in page.items])
    return render_template("questionnaire_admin/index.html", page=page, counts=counts)


def _version_or_404(version_id: int) -> QuestionnaireVersion:
    version = db.session.get(QuestionnaireVersion, version_id)
    if version is None:
        abort(404)
    return version


@bp.get("/<int:version_id>")
@admin_required
def show(version_id: int):
    version = _version_or_404(version_id)
    count = response_counts([version.id]).get(version.id, 0)
    return render_template("questionnaire_admin/show.html", version=version, count=count)


def _specs(form: VersionForm, source: QuestionnaireVersion) -> list[QuestionSpec]:
    """The kept rows in their chosen order; choice options come from the source."""
    by_key = {q.key: q for q in source.questions}
    rows = [
        row.form for row in form.questions if (row.form.key.data or "").strip() and not row.form.drop.data
    ]
    rows.sort(key=lambda row: row.position.data if row.position.data is not None else 10_000)
    specs = []
    for row in rows:
        key = row.key.data.strip()
        kept = by_key.get(key)
        specs.append(
            QuestionSpec(
                key=key,
                kind=row.kind.data,
                text_vi=(row.text_vi.data or "").strip(),
                text_en=(row.text_en.data or "").strip() or (row.text_vi.data or "").strip(),
                required=bool(row.required.data),
                criterion_code=row.criterion.data or None,
                na_vi=(row.na_vi.data or "").strip(),
                na_en=(row.na_en.data or "").strip(),
                options=list(kept.options) if kept is not None and kept.kind == row.kind.data else None,
                show_if=kept.show_if if kept is not None else None,
            )
        )
    return specs


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new():
    source_id = request.args.get("from", type=int)
    source = _version_or_404(source_id) if source_id else (default_version() or ensure_default())
    form = VersionForm()
    criteria = list(db.session.scalars(select(Criterion)))
    if request.method == "GET":
        agency_code = request.args.get("agency") or (source.agency.code if source.agency else "")
        prefill(form, source, agency_code)
    set_criteria(form, criteria)
    problem = None
    if form.validate_on_submit():
        agency = get_by_code(form.agency_code.data.strip())
        if agency is None:
            form.agency_code.errors.append(_("Không có cơ quan, đơn vị với mã này."))
        else:
            ensure_in_scope(current_user, agency)
            try:
                specs = _specs(form, source)
                if any(not spec.text_vi for spec in specs):
                    raise VersionError(_("Mỗi câu hỏi cần có nội dung tiếng Việt."))
                version = save(agency, form.title_vi.data, form.title_en.data, form.scale.data, specs)
                if form.apply_now.data:
                    db.session.refresh(version)  # loaded before assign() adds its row (autoflush)
                    # The console's assignment (with its audit record) makes it the one in use.
                    assign(agency, version, to_local(utcnow()).date())
                    db.session.commit()
                    catalogue.clear()
            except VersionError as error:
                problem = str(error)
            else:
                flash(_("Đã tạo phiên bản %(code)s cho %(unit)s.", code=version.code, unit=agency.name))
                return redirect(url_for("questionnaire_admin.show", version_id=version.id))
    status = 422 if form.errors or problem else 200
    page = render_template("questionnaire_admin/edit.html", form=form, source=source, problem=problem)
    return page, status

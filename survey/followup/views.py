"""Case work list, case page and opening cases (staff)."""

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from survey.agencies import get_by_code, subtree_ids
from survey.auth.access import any_staff_role, roles_required
from survey.auth.scope import ensure_in_scope, scope_agency_ids
from survey.extensions import db
from survey.followup import access, cases, queries
from survey.followup.blueprint import bp
from survey.followup.forms import EVENT_LABELS, STATUS_LABELS, ButtonForm, CaseForm
from survey.models import Answer, Case, Question, User
from survey.models.types import utcnow
from survey.pagination import paginate


def _list_scope() -> tuple[list[int] | None, object]:
    """The user's scope, narrowed to ?agency=CODE (404 outside the scope)."""
    code = request.args.get("agency")
    if not code:
        return scope_agency_ids(current_user), None
    agency = ensure_in_scope(current_user, get_by_code(code))
    return subtree_ids(agency.id), agency


@bp.get("/cases")
@any_staff_role
def work_list():
    ids, agency = _list_scope()
    status = request.args.get("status") or None
    page = paginate(queries.work_list(ids, status))
    return render_template(
        "followup/cases.html",
        page=page,
        agency=agency,
        status=status,
        labels=STATUS_LABELS,
        today=cases.local_today(),
        alerts=queries.recent_alerts(ids, _alert_since(), unacknowledged_only=True),
    )


def _alert_since():
    return utcnow() - timedelta(days=1)


def _answers(case: Case) -> list[tuple[Question, Answer]]:
    stmt = (
        select(Question, Answer)
        .join(Answer, Answer.question_id == Question.id)
        .where(Answer.response_id == case.response_id)
        .order_by(Question.position)
    )
    return [tuple(row) for row in db.session.execute(stmt)]


def _case_form(case: Case) -> CaseForm:
    form = CaseForm(obj=None if request.method == "POST" else case)
    if request.method != "POST":
        form.assignee.data = case.assignee_id or 0
    choices = [SelectChoice(0, _("— Chưa giao —"))]
    users = access.assignable_users(case)
    if current_user.role == "staff":  # staff take a case themselves; heads assign
        users = [u for u in users if u.id in (current_user.id, case.assignee_id)]
    form.assignee.choices = choices + [SelectChoice(u.id, u.full_name or u.email) for u in users]
    return form


def _render_case(case: Case, form: CaseForm, status: int = 200):
    return (
        render_template(
            "followup/case.html",
            case=case,
            form=form,
            answers=_answers(case),
            show_contact=access.can_see_contact(current_user, case),
            can_edit=access.can_edit(current_user),
            labels=STATUS_LABELS,
            event_labels=EVENT_LABELS,
            overdue=cases.is_overdue(case),
        ),
        status,
    )


@bp.get("/cases/<int:case_id>")
@any_staff_role
def case_page(case_id: int):
    case = access.load_case(case_id, current_user)
    return _render_case(case, _case_form(case))


@bp.post("/cases/<int:case_id>")
@roles_required(*access.HANDLER_ROLES)
def case_update(case_id: int):
    case = access.load_case(case_id, current_user)
    form = _case_form(case)
    if not form.validate_on_submit():
        return _render_case(case, form, 422)
    try:
        _apply(case, form)
    except cases.CaseError as error:
        db.session.rollback()
        form.status.errors = [str(error)]
        return _render_case(access.load_case(case_id, current_user), form, 422)
    db.session.commit()
    flash(_("Đã lưu hồ sơ #%(id)d.", id=case.id))
    return redirect(url_for("followup.case_page", case_id=case.id))


def _apply(case: Case, form: CaseForm) -> None:
    """Texts first, so that an answer typed together with "answered" counts;
    the status only when the user changed it (assigning moves "new" on)."""
    requested = form.status.data if form.status.data != case.status else None
    cases.set_texts(
        case,
        current_user,
        {
            "answer_text": form.answer_text.data,
            "cause": form.cause.data,
            "corrective_action": form.corrective_action.data,
        },
    )
    assignee = db.session.get(User, form.assignee.data) if form.assignee.data else None
    if assignee is not None or case.assignee_id is not None:
        cases.assign(case, assignee, current_user)
    cases.set_due(case, form.due_on.data, current_user)
    if requested is not None:
        cases.change_status(case, requested, current_user)


@bp.get("/cases/comments")
@any_staff_role
def comments():
    ids = scope_agency_ids(current_user)
    page = paginate(queries.comments(ids))
    case_ids = queries.case_ids_for([r.id for r in page.items])
    return render_template(
        "followup/comments.html",
        page=page,
        case_ids=case_ids,
        form=ButtonForm(),
        can_edit=access.can_edit(current_user),
    )


@bp.post("/responses/<int:response_id>/case")
@roles_required(*access.HANDLER_ROLES)
def open_from_response(response_id: int):
    response = access.load_response(response_id, current_user)
    if not ButtonForm().validate_on_submit():
        abort(400)
    case = cases.open_case(response, current_user)
    db.session.commit()
    flash(_("Đã mở hồ sơ phản ánh #%(id)d.", id=case.id))
    return redirect(url_for("followup.case_page", case_id=case.id))

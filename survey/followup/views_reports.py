"""Daily digest, follow-up figures, per-agency settings and alert
acknowledgement (staff)."""

from datetime import UTC, date, datetime, time, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from survey import periods
from survey.agencies import get_by_code, subtree_ids
from survey.auth.access import any_staff_role, roles_required
from survey.auth.scope import ensure_in_scope, scope_agency_ids
from survey.extensions import db
from survey.followup import access, alerts, cases, figures, queries
from survey.followup import settings as followup_settings
from survey.followup.blueprint import bp
from survey.followup.forms import STATUS_LABELS, ButtonForm, SettingsForm
from survey.i18n import LOCAL_TZ
from survey.models import Agency, Alert
from survey.models.types import utcnow


@bp.get("/cases/digest")
@any_staff_role
def digest():
    ids = scope_agency_ids(current_user)
    now = utcnow()
    return render_template(
        "followup/digest.html",
        digest=queries.digest(ids, now),
        labels=STATUS_LABELS,
        today=cases.local_today(now),
        form=ButtonForm(),
    )


def _typed_day(name: str) -> date | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return datetime.strptime(raw, "%d/%m/%Y").date()
    except ValueError:
        return None


def _parse_day(name: str) -> date | None:
    """The typed day if usable; a year out of range would overflow the UTC bounds."""
    day = _typed_day(name)
    return day if day is not None and periods.year_supported(day) else None


def _day_error(name: str) -> str | None:
    if not request.args.get(name):
        return None
    day = _typed_day(name)
    if day is None:
        return _("Ngày không hợp lệ: %(v)s (dùng dd/mm/yyyy).", v=request.args[name])
    if not periods.year_supported(day):
        return _(
            "Ngày ngoài khoảng cho phép: %(v)s (năm từ %(first)d đến %(last)d).",
            v=request.args[name],
            first=periods.FIRST_YEAR,
            last=periods.LAST_YEAR,
        )
    return None


def _utc_midnight(day: date) -> datetime:
    """Local (Vietnam) midnight as naive UTC, the way times are stored."""
    return datetime.combine(day, time.min, LOCAL_TZ).astimezone(UTC).replace(tzinfo=None)


def _period() -> tuple[date, date, list[str]]:
    today = cases.local_today()
    errors = [error for error in map(_day_error, ("from", "to")) if error]
    start = _parse_day("from") or date(today.year, 1, 1)
    end = _parse_day("to") or today
    if end < start:
        errors.append(_("Ngày kết thúc phải sau ngày bắt đầu."))
        start, end = end, start
    return start, end, errors


def _figure_groups(base: Agency | None) -> tuple[list[Agency], dict[int, list[int]]]:
    if base is not None:
        rows = [base] + list(base.children)
    else:
        rows = list(
            db.session.scalars(select(Agency).where(Agency.parent_id.is_(None)).order_by(Agency.name))
        )
    return rows, {a.id: ([a.id] if a is base else subtree_ids(a.id)) for a in rows}


@bp.get("/cases/figures")
@any_staff_role
def figures_page():
    code = request.args.get("agency")
    base = ensure_in_scope(current_user, get_by_code(code)) if code else current_user.agency
    start, end, errors = _period()
    start_utc, end_utc = _utc_midnight(start), _utc_midnight(end + timedelta(days=1))
    scope = subtree_ids(base.id) if base else scope_agency_ids(current_user)
    rows, groups = _figure_groups(base)
    today = cases.local_today()
    return render_template(
        "followup/figures.html",
        base=base,
        start=start,
        end=end,
        errors=errors,
        total=figures.case_figures(scope, start_utc, end_utc, today),
        rows=rows,
        per_agency=figures.by_agency(groups, start_utc, end_utc, today),
        per_month=figures.by_month(scope, start_utc, end_utc, today),
    ), (422 if errors else 200)


def _settings_form(agency: Agency) -> SettingsForm:
    form = SettingsForm()
    if request.method == "GET":
        rules = followup_settings.effective(agency.id)
        for name in followup_settings.FIELDS:
            if name != "alert_unhappy_share":
                getattr(form, name).data = getattr(rules, name)
        form.alert_unhappy_percent.data = round(rules.alert_unhappy_share * 100)
    return form


@bp.route("/followup/settings/<agency_code>", methods=["GET", "POST"])
@roles_required(*access.SETTINGS_ROLES)
def settings_page(agency_code: str):
    agency = ensure_in_scope(current_user, get_by_code(agency_code))
    form = _settings_form(agency)
    if form.validate_on_submit():
        followup_settings.save(agency.id, form.values(), current_user.id)
        flash(_("Đã lưu cấu hình theo dõi phản ánh cho %(name)s.", name=agency.name))
        return redirect(url_for("followup.settings_page", agency_code=agency.code))
    rules = followup_settings.effective(agency.id)
    inherited = db.session.get(Agency, rules.source_agency_id) if rules.source_agency_id else None
    status = 422 if form.errors else 200
    return render_template("followup/settings.html", agency=agency, form=form, inherited=inherited), status


@bp.post("/alerts/<int:alert_id>/ack")
@roles_required(*access.HANDLER_ROLES)
def acknowledge_alert(alert_id: int):
    alert = db.session.get(Alert, alert_id)
    ids = scope_agency_ids(current_user)
    if alert is None or (ids is not None and alert.agency_id not in ids):
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    alerts.acknowledge(alert, current_user.id)
    flash(_("Đã ghi nhận cảnh báo."))
    return redirect(url_for("followup.work_list"))

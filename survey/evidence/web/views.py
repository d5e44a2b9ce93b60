import os
import tempfile

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from survey.agencies import get_by_code
from survey.auth.access import roles_required
from survey.auth.scope import ensure_in_scope
from survey.evidence import jobs
from survey.evidence.scope import default_period
from survey.evidence.verify_pack import verify_pack
from survey.evidence.web import bp
from survey.evidence.web.access import (
    EVIDENCE_ROLES,
    LOG_ROLES,
    agencies_for,
    job_in_scope,
    jobs_query,
    period_allowed,
)
from survey.evidence.web.forms import PackForm, VerifyForm
from survey.extensions import db
from survey.i18n import to_local
from survey.models import EvidenceDownload, EvidenceJob
from survey.models.evidence import JOB_DONE
from survey.models.types import utcnow
from survey.pagination import paginate

STATUS_LABELS = {
    "queued": _l("Đang chờ"),
    "running": _l("Đang tạo"),
    "done": _l("Xong"),
    "failed": _l("Lỗi"),
}


@bp.context_processor
def labels():
    return {"status_labels": STATUS_LABELS}


def _defaults(form: PackForm) -> None:
    start, end = default_period(to_local(utcnow()).date())
    if current_user.scope_from and start < current_user.scope_from:
        start = current_user.scope_from
    if current_user.scope_to and end > current_user.scope_to:
        end = current_user.scope_to
    form.date_from.data, form.date_to.data = f"{start:%d/%m/%Y}", f"{end:%d/%m/%Y}"


@bp.route("/", methods=["GET", "POST"])
@roles_required(*EVIDENCE_ROLES)
def index():
    jobs.fail_abandoned()
    form = PackForm()
    form.agency.choices = [(a.code, f"{a.code} — {a.name}") for a in agencies_for(current_user)]
    if request.method == "GET":
        _defaults(form)
    elif form.validate_on_submit():
        if period_allowed(current_user, form.date_from.day, form.date_to.day):
            return _start(form)
        form.date_from.errors.append(_("Khoảng thời gian nằm ngoài phạm vi được phép của tài khoản."))
    page = paginate(jobs_query(current_user).options(joinedload(EvidenceJob.agency)), per_page=20)
    return render_template("evidence/index.html", form=form, page=page)


def _start(form: PackForm):
    agency = ensure_in_scope(current_user, get_by_code(form.agency.data))
    job = EvidenceJob(
        requested_by_id=current_user.id,
        agency_id=agency.id,
        subtree=form.subtree.data,
        date_from=form.date_from.day,
        date_to=form.date_to.day,
        lang=form.lang.data or "vi",
    )
    db.session.add(job)
    db.session.commit()
    jobs.start(job)
    flash(_("Đang tạo gói minh chứng; trang này tự cập nhật."))
    return redirect(url_for("evidence.job", job_id=job.id))


@bp.get("/packs/<int:job_id>")
@roles_required(*EVIDENCE_ROLES)
def job(job_id: int):
    jobs.fail_abandoned()
    item = job_in_scope(current_user, job_id)
    return render_template("evidence/job.html", job=item)


@bp.get("/packs/<int:job_id>/download")
@roles_required(*EVIDENCE_ROLES)
def download(job_id: int):
    item = job_in_scope(current_user, job_id)
    if item.status != JOB_DONE or not item.file_path or not os.path.exists(item.file_path):
        abort(404)
    db.session.add(EvidenceDownload(job_id=item.id, user_id=current_user.id, sha256=item.sha256))
    db.session.commit()
    return send_file(item.file_path, as_attachment=True, download_name=os.path.basename(item.file_path))


@bp.route("/verify", methods=["GET", "POST"])
@roles_required(*EVIDENCE_ROLES)
def verify():
    request.max_content_length = current_app.config["EVIDENCE_UPLOAD_MAX"]
    form, check = VerifyForm(), None
    if form.validate_on_submit():
        with tempfile.TemporaryFile() as upload:
            form.pack.data.save(upload)
            upload.seek(0)
            check = verify_pack(upload)
    return render_template("evidence/verify.html", form=form, check=check)


@bp.get("/downloads")
@roles_required(*LOG_ROLES)
def downloads():
    stmt = (
        select(EvidenceDownload)
        .options(
            joinedload(EvidenceDownload.user), joinedload(EvidenceDownload.job).joinedload(EvidenceJob.agency)
        )
        .order_by(EvidenceDownload.id.desc())
    )
    ids = jobs_query(current_user).with_only_columns(EvidenceJob.id)
    return render_template(
        "evidence/downloads.html", page=paginate(stmt.where(EvidenceDownload.job_id.in_(ids)))
    )

"""Assemble the management-review report into PDF bytes."""

from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _

from survey.evidence.figures import ReportFigures
from survey.evidence.report import build, followup_cases, parts
from survey.evidence.report.document import ReportDocument
from survey.evidence.statement import IntegrityStatement

SECTIONS = (followup_cases,)  # imported for their registration


def render_report(
    figures: ReportFigures,
    statement: IntegrityStatement,
    doc_id: str,
    generated_at: datetime,
    lang: str = "vi",
) -> bytes:
    """The report in `lang` (Vietnamese by default; "en" through Flask-Babel)."""
    with force_locale(lang):
        return _render(figures, statement, doc_id, generated_at)


def _render(
    figures: ReportFigures, statement: IntegrityStatement, doc_id: str, generated_at: datetime
) -> bytes:
    root = statement.seal["root_hash"][:16] + "…" if statement.seal else _("chưa niêm phong")
    doc = ReportDocument(_("%(doc)s · gốc niêm phong %(root)s", doc=doc_id, root=root))
    doc.set_title(_("Báo cáo kết quả khảo sát sự hài lòng"))
    doc.set_author("Hài Lòng QR")
    doc.set_creation_date(generated_at)
    build.cover(doc, figures, doc_id, generated_at)
    build.scope_section(doc, figures)
    build.method_section(doc, figures)
    build.results_section(doc, figures)
    parts.voices_section(doc, figures)
    parts.followup_section(doc, figures)
    parts.integrity_section(doc, statement)
    parts.iso_section(doc)
    parts.signoff_section(doc)
    return bytes(doc.output())

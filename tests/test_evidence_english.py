"""The management-review report in English (`--lang en`, or the web form's
language choice): English headings through Flask-Babel, the same numbers as
the Vietnamese report; Vietnamese stays the default."""

import os
import re
import subprocess

import pytest

from survey.evidence import jobs
from survey.extensions import db
from survey.models import EvidenceJob
from tests import factories
from tests.evidence_helpers import ARTEFACTS, cli_dates, members, populate, scope_for, sealed_now

ENGLISH_HEADINGS = [
    "REPORT ON THE SURVEY OF",
    "1. Scope and reporting period",
    "2. Method",
    "3. Results",
    "3.1. Overall satisfaction against the quality objective",
    "4. What citizens and organisations said",
    "6. Data integrity",
    "7. TCVN ISO 9001:2015 clauses served",
    "HEAD OF THE AGENCY",
]
VIETNAMESE_HEADINGS = ["1. Phạm vi và kỳ báo cáo", "3. Kết quả", "6. Tính toàn vẹn của dữ liệu"]


def pdf_text(path, tmp_path, keep: str | None = None) -> str:
    """The report's text; `keep`: also keep its pages as PNG test artefacts."""
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(members(path)["report.pdf"])
    if keep:
        os.makedirs(ARTEFACTS, exist_ok=True)
        subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), os.path.join(ARTEFACTS, keep)], check=True)
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def percentages(text: str) -> list[str]:
    """Every decimal percentage, decimal comma read as a point, in reading order."""
    return [value.replace(",", ".") for value in re.findall(r"(\d+[.,]\d)\s%", text)]


@pytest.fixture
def reports(runner, province, app, monkeypatch, tmp_path):
    populate(province)
    sealed_now(app, monkeypatch)
    texts = {}
    for lang in ("vi", "en"):
        path = str(tmp_path / f"{lang}.zip")
        args = ["evidence-pack", "--agency", "T01", "--subtree", *cli_dates(scope_for(province.root))]
        extra = [] if lang == "vi" else ["--lang", "en"]
        result = runner.invoke(args=[*args, "--output", path, *extra])
        assert result.exit_code == 0, result.output
        texts[lang] = pdf_text(path, tmp_path, keep="report-en" if lang == "en" else None)
    return texts


def test_english_report_has_english_headings_and_the_same_numbers(reports):
    english, vietnamese = reports["en"], reports["vi"]
    for heading in ENGLISH_HEADINGS:
        assert heading in english
    for heading in VIETNAMESE_HEADINGS:
        assert heading in vietnamese and heading not in english
    assert "Satisfaction rate" in english and "Responses counted (n)" in english
    assert percentages(english) == percentages(vietnamese) and len(percentages(english)) > 10
    assert "75.0 %" in english and "75,0 %" in vietnamese  # 27 of 36 satisfied
    # The questionnaire is quoted in its English wording.
    assert "How satisfied are you with the service point" in english


def test_web_form_language_choice_makes_an_english_report(
    province, app, monkeypatch, tmp_path, login, client
):
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "packs"))
    populate(province)
    sealed_now(app, monkeypatch)
    scope = scope_for(province.root)
    login(factories.user("iso@tinh.vn", "committee"))
    form = {
        "agency": "T01",
        "subtree": "y",
        "date_from": f"{scope.date_from:%d/%m/%Y}",
        "date_to": f"{scope.date_to:%d/%m/%Y}",
        "lang": "en",
    }
    response = client.post("/evidence/", data=form)
    assert response.status_code == 302
    job_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    jobs.wait(job_id)
    db.session.expire_all()
    job = db.session.get(EvidenceJob, job_id)
    assert job.status == "done" and job.lang == "en"
    text = pdf_text(job.file_path, tmp_path)
    assert "3. Results" in text and "3. Kết quả" not in text


def test_unknown_language_is_refused(runner, province, tmp_path):
    result = runner.invoke(
        args=["evidence-pack", "--agency", "T01", "--output", str(tmp_path / "x.zip"), "--lang", "fr"]
    )
    assert result.exit_code == 2 and "fr" in result.output

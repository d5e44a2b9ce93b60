"""The management-review report in English (`--lang en`, or the web form's
language choice): English headings through Flask-Babel, the same numbers as
the Vietnamese report; Vietnamese stays the default."""

import json
import os
import re
import subprocess
from datetime import datetime

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
def packs(runner, province, app, monkeypatch, tmp_path) -> dict[str, str]:
    """The Vietnamese and the English pack of one period, by language."""
    populate(province)
    sealed_now(app, monkeypatch)
    paths = {}
    for lang in ("vi", "en"):
        paths[lang] = str(tmp_path / f"{lang}.zip")
        args = ["evidence-pack", "--agency", "T01", "--subtree", *cli_dates(scope_for(province.root))]
        extra = [] if lang == "vi" else ["--lang", "en"]
        result = runner.invoke(args=[*args, "--output", paths[lang], *extra])
        assert result.exit_code == 0, result.output
    return paths


@pytest.fixture
def reports(packs, tmp_path):
    return {
        lang: pdf_text(path, tmp_path, keep="report-en" if lang == "en" else None)
        for lang, path in packs.items()
    }


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


def test_seal_time_reads_day_first_in_both_languages(packs, reports):
    """§6 prints the seal's time as dd/mm/yyyy HH:MM:SS (UTC), like every other
    date of the report, never an ISO stamp."""
    labels = {"vi": "Thời điểm niêm phong (UTC)", "en": "Sealed at (UTC)"}
    for lang, path in packs.items():
        sealed_at = json.loads(members(path)["manifest.json"])["seal"]["sealed_at"]
        moment = datetime.strptime(sealed_at, "%Y-%m-%dT%H:%M:%S.%fZ")
        expected = f"{moment:%d/%m/%Y %H:%M:%S}"
        assert re.search(re.escape(labels[lang]) + r"\s+" + re.escape(expected), reports[lang])
        assert f"{moment:%Y-%m-%d}" not in reports[lang]


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

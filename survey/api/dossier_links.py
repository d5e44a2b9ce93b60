"""POST /api/v1/dossier-links: a one-time survey link for a dossier receipt."""

from flask import g, jsonify, request

from survey.api import bp
from survey.api.tokens import token_required
from survey.dossiers import DossierLinkError, as_json, issue_link


@bp.post("/dossier-links")
@token_required
def create_dossier_link():
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        message = "Nội dung phải là JSON: {dossier_code, procedure_code, agency_code}."
        return jsonify({"error": "invalid", "message": message}), 400
    if any(isinstance(value, str) and "\x00" in value for value in payload.values()):
        # PostgreSQL refuses NUL bytes in text: a clear 400, not a failed query.
        message = "Mã không được chứa ký tự NUL."
        return jsonify({"error": "invalid", "message": message}), 400
    try:
        link, created = issue_link(g.api_token, payload)
    except DossierLinkError as exc:
        return jsonify({"error": exc.error, "message": exc.message}), exc.status
    return jsonify(as_json(link)), 201 if created else 200

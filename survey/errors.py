"""Error pages a citizen can read, JSON errors for the API, never a trace."""

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

from survey.extensions import db


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _render(status: int, title: str, message: str):
    if _wants_json():
        return jsonify({"error": title, "message": message}), status
    return render_template("error.html", status=status, title=title, message=message), status


# The survey (/s/, and /S/ as the posters' QR codes spell it), dossier links, kiosks.
CITIZEN_PREFIXES = ("/s/", "/S/", "/d/", "/D/", "/kiosk/")


def _citizen_path() -> bool:
    return request.path.startswith(CITIZEN_PREFIXES)


def _http_error(error: HTTPException):
    titles = {
        400: _("Yêu cầu không hợp lệ"),
        403: _("Không có quyền truy cập"),
        404: _("Không tìm thấy trang"),
        405: _("Phương thức không được hỗ trợ"),
        413: _("Nội dung gửi lên quá lớn"),
        429: _("Quá nhiều yêu cầu"),
    }
    messages = {
        403: _("Tài khoản của bạn không có quyền xem trang này."),
        404: _("Địa chỉ này không tồn tại. Vui lòng kiểm tra lại đường dẫn hoặc mã QR."),
        429: _("Bạn đã gửi quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau ít phút."),
    }
    code = error.code or 500
    if code == 429 and _citizen_path():
        from survey.public import citizen_errors

        return citizen_errors.render("too_many")
    title = titles.get(code, error.name)
    return _render(code, title, messages.get(code, _("Vui lòng kiểm tra lại và thử lại.")))


def _database_down(error):
    # The type only: the message may quote a citizen's comment as a parameter.
    logging.getLogger("hailong").warning(
        "database unavailable", extra={"fields": {"error": type(error).__name__}}
    )
    try:
        db.session.rollback()
    except Exception:
        # The connection died under us: drop it without another ROLLBACK, so
        # the request's teardown does not fail a second time (a 500).
        db.session.invalidate()
    if _citizen_path():
        from survey.public import citizen_errors

        return citizen_errors.render("server_trouble")
    return _render(
        503,
        _("Hệ thống đang bận"),
        _("Xin vui lòng thử lại sau một lát. Câu trả lời chưa được ghi nhận."),
    )


def _server_error(_error):
    db.session.rollback()
    if _citizen_path():
        from survey.public import citizen_errors

        return citizen_errors.render("server_trouble")
    return _render(
        500,
        _("Đã có lỗi xảy ra"),
        _("Xin lỗi, hệ thống gặp sự cố. Vui lòng thử lại sau ít phút."),
    )


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    # Server stopped, connection reset, pool exhausted: nothing was written
    # (one transaction per submission), so the citizen is told to retry.
    for kind in (OperationalError, InterfaceError, PoolTimeoutError):
        app.register_error_handler(kind, _database_down)
    # 500 (not Exception) so tests still see the real traceback.
    app.register_error_handler(500, _server_error)

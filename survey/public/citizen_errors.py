"""Problems a citizen can meet, each a small Vietnamese page with what to do
next: unknown code, retired code (with its replacement), expired or already
used dossier link, too many attempts, server trouble. Never a stack trace.

`abort_with(kind)` stops a view with the page; the dossier-link feature
(issue 4) uses the "dossier_expired" and "dossier_answered" kinds.
"""

from flask import abort, make_response, render_template
from flask_babel import lazy_gettext as _l

PAGES = {
    "unknown_code": (
        404,
        _l("Không tìm thấy phiếu khảo sát"),
        _l("Mã QR hoặc đường dẫn này không đúng."),
        _l("Vui lòng quét lại mã QR tại quầy, hoặc hỏi cán bộ tiếp nhận để được hướng dẫn."),
    ),
    "retired": (
        410,
        _l("Mã QR này đã ngừng sử dụng"),
        _l("Điểm khảo sát này đã được thay bằng mã QR mới."),
        _l("Vui lòng quét mã QR mới tại quầy hoặc hỏi cán bộ tiếp nhận."),
    ),
    "dossier_expired": (
        410,
        _l("Đường dẫn đánh giá đã hết hạn"),
        _l("Đường dẫn trên giấy tiếp nhận hồ sơ chỉ dùng được trong một thời gian nhất định."),
        _l("Ông/Bà vẫn có thể đánh giá bằng mã QR đặt tại quầy tiếp nhận."),
    ),
    "dossier_answered": (
        409,
        _l("Hồ sơ này đã được đánh giá"),
        _l("Mỗi hồ sơ chỉ được đánh giá một lần và ý kiến của Ông/Bà đã được ghi nhận."),
        _l("Nếu cần phản ánh thêm, Ông/Bà có thể liên hệ bộ phận tiếp nhận và trả kết quả."),
    ),
    "too_many": (
        429,
        _l("Quá nhiều lần gửi"),
        _l("Thiết bị hoặc mạng này đã gửi quá nhiều phiếu trong thời gian ngắn."),
        _l("Vui lòng thử lại sau ít phút. Nếu Ông/Bà đã gửi phiếu, ý kiến đã được ghi nhận."),
    ),
    "server_trouble": (
        503,
        _l("Hệ thống đang bận"),
        _l("Câu trả lời chưa được ghi nhận."),
        _l("Vui lòng thử lại sau một lát bằng cách quét lại mã QR."),
    ),
}


def render(kind: str, **context):
    status, title, message, next_step = PAGES[kind]
    page = render_template(
        "public/problem.html", kind=kind, title=title, message=message, next_step=next_step, **context
    )
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def abort_with(kind: str, **context):
    abort(render(kind, **context))

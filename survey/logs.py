"""Structured JSON logs with a request id, and no personal data.

One line per request: method, URL rule (the pattern, not the filled-in path,
so no codes or query strings), status, duration, request id and the staff
user's numeric id. Never an IP address, a comment, an email or a contact:
citizens are anonymous and logs are kept longer than their answers' context.
"""

import json
import logging
import re
import secrets
import sys
import time

from flask import Flask, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
# Accept the proxy's id (nginx $request_id) only when it looks like one.
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
LOGGER_NAME = "hailong"
_to_json = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per line
_second = (-1, "")  # the last whole second formatted (one strftime per second, not per line)


def _timestamp(created: float, msecs: float) -> str:
    global _second
    whole = int(created)
    if _second[0] != whole:
        _second = (whole, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)))
    return f"{_second[1]}.{int(msecs):03d}Z"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": _timestamp(record.created, record.msecs),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if has_request_context() and "request_id" in g:
            entry["request_id"] = g.request_id
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            # Exception type and where, not the message: driver messages can
            # quote the SQL parameters, i.e. a citizen's comment.
            kind, _value, trace = record.exc_info
            entry["error"] = kind.__name__ if kind else "unknown"
            while trace is not None and trace.tb_next is not None:
                trace = trace.tb_next
            if trace is not None:
                entry["where"] = f"{trace.tb_frame.f_code.co_filename}:{trace.tb_lineno}"
        return _to_json(entry)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is now (gunicorn and pytest replace it)."""

    def __init__(self):
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def configure(app: Flask) -> None:
    handler = _StderrHandler()
    handler.setFormatter(JsonFormatter())
    for name in (LOGGER_NAME, app.logger.name):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(app.config["LOG_LEVEL"])
        logger.propagate = False


def request_id(incoming: str) -> str:
    """The proxy's request id when it looks like one, else a new one."""
    return incoming if _VALID_ID.match(incoming) else secrets.token_hex(16)  # as uuid4().hex


def _start() -> None:
    g.request_id = request_id(request.headers.get(REQUEST_ID_HEADER, ""))
    g.request_started = time.perf_counter()


def log_request(fields: dict) -> None:
    """The request's one log line (fields: method, rule, endpoint, status, ms, ...)."""
    log = logging.getLogger(LOGGER_NAME)
    if log.isEnabledFor(logging.INFO):
        # makeRecord + handle: Logger.info would also walk the stack to find the
        # caller (one line per request; the formatter does not print it).
        log.handle(
            log.makeRecord(
                LOGGER_NAME, logging.INFO, __file__, 0, "request", (), None, extra={"fields": fields}
            )
        )


def _finish(response):
    response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
    log = logging.getLogger(LOGGER_NAME)
    if not log.isEnabledFor(logging.INFO):
        return response
    from flask_login import current_user

    user_id = None
    if "_login_user" in g and current_user.is_authenticated:
        user_id = current_user.id
    rule = request.url_rule
    started = g.get("request_started", time.perf_counter())
    fields = {
        "method": request.method,
        "rule": rule.rule if rule is not None else None,
        "endpoint": rule.endpoint if rule is not None else None,
        "status": response.status_code,
        "ms": round((time.perf_counter() - started) * 1000, 1),
        "user_id": user_id,
    }
    log_request(fields)
    return response


def register(app: Flask) -> None:
    configure(app)
    app.before_request(_start)
    app.after_request(_finish)

"""Locale choice and Vietnamese/English formatting of dates and numbers."""

from datetime import date, datetime
from functools import lru_cache
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel import Locale
from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

LOCALES = ("vi", "en")
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LANG_COOKIE = "lang"


def select_locale() -> str:
    """Vietnamese first: ?lang= switch, then the cookie, then Accept-Language."""
    if not has_request_context():  # CLI messages are in Vietnamese
        return "vi"
    return choose_locale(
        request.args.get("lang"), request.cookies.get(LANG_COOKIE), request.headers.get("Accept-Language", "")
    )


def choose_locale(query_lang: str | None, cookie_lang: str | None, accept_language: str) -> str:
    """The choice itself, for callers without a Flask request (public/fast_submit.py)."""
    chosen = query_lang or cookie_lang
    if chosen in LOCALES:
        return chosen
    return _best_match(accept_language)


@lru_cache(maxsize=512)
def _best_match(accept_language: str) -> str:
    """Phones send a handful of distinct headers: parse each once per worker."""
    return parse_accept_header(accept_language, LanguageAccept).best_match(LOCALES, default="vi") or "vi"


_BABEL_LOCALES = {code: Locale.parse(code) for code in LOCALES}


def babel_locale() -> Locale:
    """select_locale() as the Locale object Flask-Babel wants, parsed once per worker."""
    return _BABEL_LOCALES[select_locale()]


def current_locale() -> str:
    return str(get_locale() or "vi")


def to_local(moment: datetime) -> datetime:
    """Stored times are naive UTC; show them in Vietnam time."""
    from datetime import UTC

    return moment.replace(tzinfo=UTC).astimezone(LOCAL_TZ)


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value)
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return to_local(value).strftime("%d/%m/%Y %H:%M")


def format_decimal(value: float | None, digits: int = 1, locale: str | None = None) -> str:
    if value is None:
        return "—"
    text = f"{value:,.{digits}f}"
    if (locale or current_locale()) == "vi":
        text = text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return text


def format_percent(value: float | None, digits: int = 1, locale: str | None = None) -> str:
    if value is None:
        return "—"
    return format_decimal(value * 100, digits, locale) + " %"


def format_int(value: int | None, locale: str | None = None) -> str:
    return format_decimal(value, 0, locale) if value is not None else "—"


def language_url(lang: str) -> str:
    """This page in another language, keeping its other query arguments."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    return "?" + urlencode([*args, ("lang", lang)])


def register(app: Flask) -> None:
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(format_decimal, "decimal")
    app.add_template_filter(format_percent, "percent")
    app.add_template_filter(format_int, "int")

    @app.after_request
    def remember_language(response):
        chosen = request.args.get("lang")
        if chosen in LOCALES:
            response.set_cookie(
                LANG_COOKIE,
                chosen,
                max_age=365 * 86400,
                samesite="Lax",
                httponly=True,
                secure=current_app.config["SESSION_COOKIE_SECURE"],
            )
        return response

    @app.context_processor
    def locale_context():
        return {"current_locale": current_locale(), "language_url": language_url}

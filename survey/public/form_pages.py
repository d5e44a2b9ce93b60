"""The blank form page of a survey point, rendered once and kept per worker.

Every scan opens this page, and apart from two values it is the same HTML for
every visitor of a point in one language: the CSRF token and the form's
nonce. So the first GET renders it normally (survey.show_form) and stores the
page cut around those two values; later GETs look nothing up in the database
and render no template: they paste a fresh token and nonce between the
stored parts. What the page shows is exactly what a full render shows.

The parts are also kept gzip-compressed (raw deflate segments ending on a
byte boundary, see _deflated), so a phone that accepts gzip gets the stored
segments with the per-visit values between them as uncompressed "stored"
deflate blocks: one valid gzip stream, without compressing the page again.

Kept for FORM_PAGE_CACHE_SECONDS (0 turns the cache off). Any change to a
point, agency, procedure or questionnaire made in this process clears it at
once, at flush and again at commit (see _clear_on_changes); other worker
processes notice within that time, so a point retired in the console keeps
showing its form in other workers for at most FORM_PAGE_CACHE_SECONDS (its
submit is still refused at once: POST always looks the point up). Only the plain page is cached: the
kiosk, dossier links, the "already answered" page, retired points, error
re-renders and query strings other than ?lang= / ?again= take the full path.
"""

import struct
import time
import zlib
from dataclasses import dataclass

from flask import current_app, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from survey.codes import normalise
from survey.csrf_tokens import csrf_token
from survey.i18n import select_locale
from survey.public.forms import new_nonce

CACHED_ARGS = frozenset({"lang", "again"})
MAX_PAGES = 2000  # a worker's whole cache is dropped beyond this (bounded memory)
NONCE, CSRF = "nonce", "csrf"
PAGE_KEY = "hailong.form_page"  # WSGI environ: this response is the blank page kept under this key
PAGE_SLOTS = "hailong.form_page_slots"  # ... and the per-visit values it carries
# Committed changes to these tables can change what a form page shows.
WATCHED_TABLES = frozenset(
    {
        "survey_points",
        "agencies",
        "procedures",
        "agency_procedures",
        "questionnaire_versions",
        "questions",
        "agency_questionnaire",
    }
)


GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name or time
GZIP_LEVEL = 6


@dataclass(frozen=True)
class CachedPage:
    point_id: int
    stored_at: float
    parts: tuple[bytes, ...]  # the UTF-8 HTML around the slots
    slots: tuple[str, ...]  # NONCE / CSRF, in page order
    deflated: tuple[bytes, ...]  # each part as raw deflate; only the last one final
    first_crc: int  # CRC-32 of parts[0]

    def body(self, values: dict, gzipped: bool) -> bytes:
        """The page with this visit's values, plain or as one gzip stream."""
        filled = [values[slot]().encode() for slot in self.slots]
        if not gzipped:
            pieces = [self.parts[0]]
            for value, part in zip(filled, self.parts[1:], strict=True):
                pieces += (value, part)
            return b"".join(pieces)
        crc, size = self.first_crc, len(self.parts[0])
        pieces = [GZIP_HEADER, self.deflated[0]]
        for value, part, deflated in zip(filled, self.parts[1:], self.deflated[1:], strict=True):
            crc = zlib.crc32(part, zlib.crc32(value, crc))
            size += len(value) + len(part)
            pieces += (_stored(value), deflated)
        pieces.append(struct.pack("<II", crc, size & 0xFFFFFFFF))
        return b"".join(pieces)


def _deflated(part: bytes, last: bool) -> bytes:
    """Raw deflate of one part. A full flush ends it on a byte boundary with no
    reference to what follows, so segments can be joined in any combination."""
    packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -15)
    return packer.compress(part) + packer.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)


def _stored(value: bytes) -> bytes:
    """A non-final uncompressed deflate block (a token or nonce does not compress)."""
    return b"\x00" + struct.pack("<HH", len(value), len(value) ^ 0xFFFF) + value


_pages: dict[tuple, CachedPage] = {}


def clear() -> None:
    _pages.clear()


def _key() -> tuple | None:
    args = request.args
    if not CACHED_ARGS.issuperset(args.keys()) or any(len(v) > 1 for v in args.listvalues()):
        return None
    code = request.view_args["code"]
    # select_locale(): the choice Flask-Babel would make, without its per-request machinery.
    return (id(current_app._get_current_object()), normalise(code), select_locale(), request.query_string)


def current(key: tuple | None, ttl: float) -> CachedPage | None:
    """The page kept under key, unless it is older than ttl seconds."""
    page = _pages.get(key) if key is not None and ttl > 0 else None
    if page is None or time.monotonic() - page.stored_at >= ttl:
        return None
    return page


def lookup(gzipped: bool) -> tuple[int, bytes] | None:
    """(point id, the page with a fresh token and nonce) from the cache, or None."""
    ttl = current_app.config["FORM_PAGE_CACHE_SECONDS"]
    key = _key() if ttl > 0 else None
    page = current(key, ttl)
    if page is None:
        return None
    request.environ[PAGE_KEY], request.environ[PAGE_SLOTS] = key, page.slots
    return page.point_id, page.body({NONCE: new_nonce, CSRF: csrf_token}, gzipped)


def store(point_id: int, page: str, nonce: str) -> None:
    """Keep a freshly rendered blank form, cut around its per-visit values
    (each must occur exactly once, or the page is simply not cached)."""
    if current_app.config["FORM_PAGE_CACHE_SECONDS"] <= 0:
        return
    key = _key()
    values = {NONCE: nonce}
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        values[CSRF] = csrf_token()  # the token the render used (kept for the request)
    if key is None or any(page.count(value) != 1 for value in values.values()):
        return
    found = sorted((page.index(value), slot, value) for slot, value in values.items())
    parts, start = [], 0
    for index, _slot, value in found:
        parts.append(page[start:index].encode())
        start = index + len(value)
    parts.append(page[start:].encode())
    deflated = tuple(_deflated(part, last=i == len(parts) - 1) for i, part in enumerate(parts))
    if len(_pages) >= MAX_PAGES:
        _pages.clear()
    slots = tuple(slot for _index, slot, _value in found)
    _pages[key] = CachedPage(point_id, time.monotonic(), tuple(parts), slots, deflated, zlib.crc32(parts[0]))
    request.environ[PAGE_KEY], request.environ[PAGE_SLOTS] = (
        key,
        slots,
    )  # fast_form.py learns from this answer


@event.listens_for(Session, "after_flush")
def _clear_on_changes(session, _context) -> None:
    """A flushed change to anything a form page shows clears this worker's pages,
    and again at commit (a page rendered in between read the old rows)."""
    for instance in (*session.new, *session.dirty, *session.deleted):
        if getattr(instance, "__tablename__", None) in WATCHED_TABLES:
            _changed(session)
            return


@event.listens_for(Session, "do_orm_execute")
def _clear_on_bulk_changes(state) -> None:
    """Bulk UPDATE/DELETE statements (an agency merge moves points that way)."""
    if (state.is_update or state.is_delete) and state.bind_mapper is not None:
        if state.bind_mapper.local_table.name in WATCHED_TABLES:
            _changed(state.session)


def _changed(session) -> None:
    _pages.clear()
    session.info["form_pages_changed"] = True


@event.listens_for(Session, "after_commit")
def _clear_at_commit(session) -> None:
    if session.info.pop("form_pages_changed", False):
        _pages.clear()


@event.listens_for(Session, "after_rollback")
def _forget_at_rollback(session) -> None:
    session.info.pop("form_pages_changed", None)

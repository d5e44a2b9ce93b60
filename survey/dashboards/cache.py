"""Rendered dashboard figures, reused until the numbers behind them can change.

A fragment is keyed by what it shows (page, agency, period, sort, page of a
table, language) and by the state of everything it is computed from: the
version tokens of the roll-ups and of the catalogue (RollupState, kept by
survey/rollups/versions.py), plus, when the period reaches days that are
read raw (the open day), the newest response, exclusion and dossier link ids. The state is
read after the freshness check, so a late response or an exclusion first
recomputes its roll-up rows, which changes the token: a cached fragment can
never outlive the numbers it shows. Nothing user-specific goes into a
fragment (access is checked before, in the view; the trail, the follow-up
panel and the comments are rendered live).

One LRU per process (each gunicorn worker has its own), DASHBOARD_CACHE_SIZE
entries; 0 turns it off.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable

from flask import current_app, request
from flask_babel import get_locale
from sqlalchemy import func, select

from survey import periods
from survey.extensions import db
from survey.models import DossierLink, Response, ResponseExclusion, RollupState
from survey.summaries import segments


class FragmentCache:
    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key):
        with self.lock:
            value = self.entries.get(key)
            if value is None:
                self.misses += 1
                return None
            self.hits += 1
            self.entries.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


def state(period: periods.Period) -> tuple | None:
    """What the figures of `period` depend on; None when they must not be cached.

    Read once per request and period (a page keys several fragments on it)."""
    memo = request.__dict__.setdefault("_dashboard_state", {})
    if (period.start, period.end) not in memo:
        memo[(period.start, period.end)] = _read_state(period)
    return memo[(period.start, period.end)]


def _read_state(period: periods.Period) -> tuple | None:
    plan = segments(period)  # the freshness check (once per request) comes first
    row = db.session.execute(
        select(RollupState.data_version, RollupState.catalog_version, RollupState.built_through).where(
            RollupState.id == 1
        )
    ).first()
    if row is None or not row.data_version or row.built_through is None:
        return None  # roll-ups never built: everything is read raw, nothing kept
    live = ()
    if any(segment.source == "raw" for segment in plan):
        newest = select(
            select(func.max(Response.id)).scalar_subquery(),
            select(func.max(ResponseExclusion.id)).scalar_subquery(),
            select(func.max(DossierLink.id)).scalar_subquery(),  # dossiers issued today count too
        )
        live = tuple(db.session.execute(newest).one())
    return (*row, *live)


SETTINGS = ("MIN_SAMPLE", "LOW_SAMPLE", "DEFAULT_TARGET", "GAP_THRESHOLD", "INDEPENDENT_CHANNELS")


def _settings() -> tuple:
    """The configuration the figures are computed with (fixed per process in production)."""
    return tuple(str(current_app.config.get(name)) for name in SETTINGS)


def store() -> FragmentCache | None:
    size = current_app.config["DASHBOARD_CACHE_SIZE"]
    if size <= 0:
        return None
    cache = current_app.extensions.get("dashboard_cache")
    if cache is None:
        cache = current_app.extensions["dashboard_cache"] = FragmentCache(size)
    return cache


def fragment(name: str, params: tuple, period: periods.Period, render: Callable):
    """`render()` or the value it returned for the same key and data state."""
    cache = store()
    key_state = state(period) if cache is not None else None
    if key_state is None:
        return render()
    key = (name, params, period.kind, period.start, period.end, str(get_locale()), _settings(), key_state)
    value = cache.get(key)
    if value is None:
        value = render()
        cache.put(key, value)
    return value

"""Effective follow-up settings for an agency.

An agency's own row wins; otherwise the nearest ancestor's (a province can
set the rule once for every commune); otherwise the installation defaults.
"""

import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from survey.extensions import db
from survey.models import AgencyClosure, FollowupSettings

FIELDS = (
    "low_threshold",
    "due_working_days",
    "purge_after_days",
    "alert_window_minutes",
    "alert_min_answers",
    "alert_unhappy_share",
    "duty_officer_email",
)


@dataclass(frozen=True)
class Effective:
    low_threshold: int
    due_working_days: int
    purge_after_days: int
    alert_window_minutes: int
    alert_min_answers: int
    alert_unhappy_share: float
    duty_officer_email: str | None
    source_agency_id: int | None  # None: installation defaults


def defaults() -> Effective:
    config = current_app.config
    return Effective(
        low_threshold=config["LOW_SCORE_MAX"],
        due_working_days=config["FOLLOWUP_DUE_WORKING_DAYS"],
        purge_after_days=config["FOLLOWUP_PURGE_AFTER_DAYS"],
        alert_window_minutes=config["ALERT_WINDOW_MINUTES"],
        alert_min_answers=config["ALERT_MIN_ANSWERS"],
        alert_unhappy_share=config["ALERT_UNHAPPY_SHARE"],
        duty_officer_email=None,
        source_agency_id=None,
    )


def effective(agency_id: int) -> Effective:
    """One query: the closest row among the agency and its ancestors."""
    row = db.session.execute(
        select(*(getattr(FollowupSettings, name) for name in FIELDS), FollowupSettings.agency_id)
        .join(AgencyClosure, AgencyClosure.ancestor_id == FollowupSettings.agency_id)
        .where(AgencyClosure.descendant_id == agency_id)
        .order_by(AgencyClosure.depth)
        .limit(1)
    ).first()  # plain columns, no ORM object: it runs on every citizen's submit
    if row is None:
        return defaults()
    return Effective(*row)


_cache: dict[int, tuple[float, Effective]] = {}


def effective_cached(agency_id: int) -> Effective:
    """effective(), kept per process for QUESTIONNAIRE_CACHE_SECONDS (the
    same period as the questionnaire it goes with): every citizen's submit
    checks for a spike with these rules. A change saved here applies at once
    in this process and within that period in the others."""
    ttl = current_app.config["QUESTIONNAIRE_CACHE_SECONDS"]
    now = time.monotonic()
    hit = _cache.get(agency_id)
    if hit is not None and now - hit[0] < ttl:
        return hit[1]
    rules = effective(agency_id)
    _cache[agency_id] = (now, rules)
    return rules


def own_row(agency_id: int) -> FollowupSettings | None:
    return db.session.scalar(select(FollowupSettings).where(FollowupSettings.agency_id == agency_id))


def save(agency_id: int, values: dict, user_id: int | None) -> FollowupSettings:
    row = own_row(agency_id) or FollowupSettings(agency_id=agency_id)
    for name in FIELDS:
        setattr(row, name, values[name])
    row.updated_by_id = user_id
    db.session.add(row)
    db.session.commit()
    _cache.clear()  # descendants inherit the rule too
    return row

"""Exclusion state of responses, derived from the append-only decision log."""

from sqlalchemy import Select, func, select

from survey.models import ResponseExclusion


def excluded_response_ids() -> Select:
    """Ids of responses whose latest decision is "exclude"."""
    latest = (
        select(func.max(ResponseExclusion.id).label("id")).group_by(ResponseExclusion.response_id).subquery()
    )
    return select(ResponseExclusion.response_id).where(
        ResponseExclusion.id.in_(select(latest.c.id)),
        ResponseExclusion.action == "exclude",
    )

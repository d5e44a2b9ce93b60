"""The reads after a citizen's answer is committed, as one statement.

Every answer is followed by the spike-alert gate (followup/alerts.py: the
agency's unhappy answers in the window, at most the few a spike needs), and
a top rating also by the burst check (antiabuse.py: that device's and that
network's top ratings on the point in the last minutes). Both are small reads
through partial indexes, but on PostgreSQL each is a round trip to a server
on the same cores; so the submit sends them as one UNION ALL, each branch
through its own index as before, and hands each module its own rows. What
each module decides from them is unchanged.
"""

from datetime import datetime
from functools import lru_cache

from flask import current_app
from sqlalchemy import literal_column, select, union_all

from survey import antiabuse
from survey.followup import alerts


@lru_cache(maxsize=64)
def _statements(needed: int) -> tuple:
    """(the gate's rows, the gate's and the burst check's rows) for an agency
    whose spike needs `needed` unhappy answers; rows are (id, kind): kind 0 the
    gate's, 1 and 2 the burst check's (device, network)."""
    gate = alerts.unhappy_rows(needed, "gate_").subquery()
    gate_rows = select(gate.c.id, literal_column("0"))
    return gate_rows, union_all(*antiabuse.TOP_RATINGS_FROM.selects, gate_rows)


def read(response, connection) -> tuple[datetime, int, list | None]:
    """(the gate's "now", unhappy answers counted up to what a spike needs,
    the burst check's rows or None when the answer cannot be part of a burst)."""
    _rules, since, now, needed = alerts.gate(response.agency_id)
    params = {"gate_agency_id": response.agency_id, "gate_since": since, "gate_now": now}
    gate_rows, gate_and_burst = _statements(needed)
    burst = antiabuse.burst_params(response, current_app.config)
    if burst is None:
        return now, len(connection.execute(gate_rows, params).all()), None
    rows = connection.execute(gate_and_burst, {**params, **burst}).all()
    return now, sum(1 for row in rows if row[1] == 0), [row for row in rows if row[1] != 0]

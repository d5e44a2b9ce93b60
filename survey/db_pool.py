"""Replacing pooled connections that died while idle, without a ping per use.

`pool_pre_ping` sends "SELECT 1" every time a connection leaves the pool: on
PostgreSQL a round trip, paid twice by every citizen's submit (the insert's
transaction, then the checks after the commit), beside the bare insert's three.
A connection that was in use a moment ago is almost surely alive; one that sat
idle may have been cut by a database restart. So only a connection idle for
more than DB_PING_IDLE_SECONDS is pinged when it leaves the pool, and a dead
one is replaced there (the pool connects afresh, as with pre_ping).

A connection that dies while busy fails its statement, as it would with
pre_ping: SQLAlchemy recognises the disconnect and invalidates every
connection of the pool, so the next checkouts connect afresh. Nothing was
committed then: a citizen's submit is tried once more through the view
(public/fast_submit.py), and a request that still fails gets the "try again
in a moment" page (errors.py), never a 500.
"""

import time

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

IDLE_SINCE = "idle_since"


def install(engine: Engine, idle_seconds: float) -> None:
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _idle_from_now(_dbapi_connection, record) -> None:
        record.info[IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _alive_after_idling(dbapi_connection, record, _proxy) -> None:
        idle_since = record.info.get(IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since <= idle_seconds:
            return
        try:
            alive = dialect.do_ping(dbapi_connection)
        except Exception as error:  # any driver error: this connection is not usable
            raise DisconnectionError("idle connection lost") from error
        if not alive:
            raise DisconnectionError("idle connection lost")

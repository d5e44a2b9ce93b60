"""Version tokens for what the dashboards show (see RollupState).

`bump_data` is called by every roll-up recomputation; `bump_catalog` runs
from session listeners whenever a table the summaries read besides the
roll-ups (names, tree, targets, procedures, points, dossiers, criteria)
changes, through the ORM or a bulk statement. Both write with Core on the
session's connection, inside the same transaction as the change.
"""

from sqlalchemy import event, insert, update
from sqlalchemy.orm import Session

from survey.models import (
    Agency,
    AgencyClosure,
    AgencyProcedure,
    Criterion,
    DossierCount,
    Procedure,
    RollupState,
    SurveyPoint,
)
from survey.models.rollup import new_version

CATALOG = (Agency, AgencyClosure, AgencyProcedure, Criterion, DossierCount, Procedure, SurveyPoint)
CATALOG_TABLES = frozenset(model.__table__.name for model in CATALOG)


def _bump(connection, column: str) -> None:
    table = RollupState.__table__
    token = new_version()
    changed = connection.execute(update(table).where(table.c.id == 1).values({column: token}))
    if changed.rowcount == 0:
        connection.execute(
            insert(table).values(id=1, built_through=None, data_version=token, catalog_version=token)
        )


def bump_data(session: Session) -> None:
    _bump(session.connection(), "data_version")


def bump_catalog(session: Session) -> None:
    _bump(session.connection(), "catalog_version")


@event.listens_for(Session, "before_flush")
def _catalog_flush(session: Session, _context, _instances) -> None:
    dirty = (obj for obj in session.dirty if session.is_modified(obj))
    if any(isinstance(obj, CATALOG) for obj in (*session.new, *dirty, *session.deleted)):
        bump_catalog(session)


@event.listens_for(Session, "do_orm_execute")
def _catalog_statement(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in CATALOG_TABLES:
        bump_catalog(state.session)

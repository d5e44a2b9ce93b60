"""SQLAlchemy-built statements run on the database driver's own cursor.

Connection.execute costs 40-60 µs of Python per statement (execution
context, result object, events), more than SQLite takes to run a small
insert; the citizen's submit is the one path where that overhead decides
how many answers a server takes per second. A DriverStatement is compiled
once per dialect by SQLAlchemy, so its SQL text is SQLAlchemy's, and its
parameters go through the same bind processors SQLAlchemy applies (SQLite's
datetime text format, booleans as 0/1): a row written this way is the row
Connection.execute writes (tests/test_driver_sql.py compares them).

Only for statements whose result columns need no processing (integers and
strings); anything else stays on Connection.execute.
"""

from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import DBAPIError


@dataclass(frozen=True)
class Compiled:
    sql: str
    names: tuple[str, ...]  # parameters in the order the driver wants them
    processors: dict[str, Callable[[Any], Any]]
    positional: bool
    fixed: dict[str, Any]  # values the statement carries itself (a LIMIT's OFFSET 0)

    def parameters(self, values: dict) -> Sequence | dict:
        """The driver's parameters from a dict of bind name -> Python value."""
        values = {**self.fixed, **values} if self.fixed else values
        processed = {
            name: (process(values[name]) if (process := self.processors.get(name)) else values[name])
            for name in dict.fromkeys(self.names)
        }
        return tuple(processed[name] for name in self.names) if self.positional else processed


class DriverStatement:
    """A Core statement, compiled once per dialect. `keys` are the columns an
    INSERT is given (SQLAlchemy compiles an insert for the keys it receives)."""

    def __init__(self, statement, keys: Iterable[str] | None = None):
        self.statement = statement
        self.keys = list(keys) if keys is not None else None
        self._by_dialect: dict[str, Compiled] = {}

    def compiled(self, dialect) -> Compiled:
        found = self._by_dialect.get(dialect.name)
        if found is None:
            found = self._by_dialect[dialect.name] = self._compile(dialect)
        return found

    def _compile(self, dialect) -> Compiled:
        compiled = self.statement.compile(dialect=dialect, column_keys=self.keys)
        binds = compiled.binds
        names = tuple(compiled.positiontup) if dialect.positional else tuple(binds)
        if self.keys is not None and set(names) - set(self.keys):
            # A column default SQLAlchemy would fill in at execution: this class does not.
            raise ValueError(f"insert needs values it is not given: {sorted(set(names) - set(self.keys))}")
        processors = {}
        for name, bind in binds.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                processors[name] = process
        fixed = {name: bind.value for name, bind in binds.items() if not bind.required and name in names}
        return Compiled(compiled.string, names, processors, dialect.positional, fixed)

    def execute(self, cursor, dialect, values: dict):
        """Run with one row of values on a driver cursor; returns the cursor."""
        compiled = self.compiled(dialect)
        cursor.execute(compiled.sql, compiled.parameters(values))
        return cursor

    def executemany(self, cursor, dialect, rows: list[dict]):
        compiled = self.compiled(dialect)
        cursor.executemany(compiled.sql, [compiled.parameters(row) for row in rows])
        return cursor


class DriverResult:
    """What the submit reads from a Result, on a driver cursor (rows as tuples)."""

    def __init__(self, cursor):
        self.cursor = cursor

    def all(self) -> list[tuple]:
        return [tuple(row) for row in self.cursor.fetchall()]

    def first(self) -> tuple | None:
        row = self.cursor.fetchone()
        return tuple(row) if row is not None else None

    def scalar(self):
        row = self.first()
        return row[0] if row is not None else None


class DriverConnection:
    """Stands in for a Connection for the statements of one short piece of
    work (the citizen's submit): execute() of Core statements built once at
    import, exec_driver_sql() of plain text. Driver errors come out as
    SQLAlchemy's exceptions (IntegrityError, OperationalError...), as from
    Connection.execute, so callers catch the same classes."""

    def __init__(self, driver_connection, dialect):
        self.driver = driver_connection
        self.dialect = dialect
        self.cursor = driver_connection.cursor()

    def execute(self, statement, parameters: dict | list[dict]) -> DriverResult:
        many = isinstance(parameters, list)
        keys = tuple(parameters[0] if many else parameters) if statement.is_dml else None
        prepared = _prepared(statement, keys)
        with self._errors_as_sqlalchemys(statement, parameters):
            if many:
                prepared.executemany(self.cursor, self.dialect, parameters)
            else:
                prepared.execute(self.cursor, self.dialect, parameters)
        return DriverResult(self.cursor)

    def exec_driver_sql(self, sql: str) -> None:
        with self._errors_as_sqlalchemys(sql, None):
            self.cursor.execute(sql)

    @contextmanager
    def _errors_as_sqlalchemys(self, statement, parameters):
        dbapi = self.dialect.loaded_dbapi
        try:
            yield
        except dbapi.Error as error:
            raise DBAPIError.instance(
                str(statement), parameters, error, dbapi.Error, hide_parameters=True, dialect=self.dialect
            ) from error


_PREPARED: dict[tuple[int, tuple | None], DriverStatement] = {}


def _prepared(statement, keys: tuple | None) -> DriverStatement:
    """One DriverStatement per module-level statement (and per set of insert keys)."""
    found = _PREPARED.get((id(statement), keys))
    if found is None or found.statement is not statement:
        found = _PREPARED[(id(statement), keys)] = DriverStatement(statement, keys)
    return found


@contextmanager
def driver_connection(engine, autocommit: bool = False):
    """A pooled connection as a DriverConnection (in autocommit on request);
    it goes back to the pool as it came: out of autocommit, no transaction
    left open, or dropped from the pool if it died."""
    pooled = engine.raw_connection()
    driver = pooled.driver_connection
    connection = None
    try:
        if autocommit:
            driver.autocommit = True
        connection = DriverConnection(driver, engine.dialect)
        yield connection
    except BaseException as error:
        _after_failure(pooled, engine.dialect, error)
        raise
    finally:
        if connection is not None and pooled.is_valid:
            # A half-read SELECT (fetchone) keeps an SQLite read snapshot open, which
            # would keep checkpoints from restarting the WAL while the connection idles.
            with suppress(Exception):
                connection.cursor.close()
        if autocommit and pooled.is_valid:
            try:
                driver.autocommit = False
            except Exception:
                pooled.invalidate()
        pooled.close()


def _after_failure(pooled, dialect, error: BaseException) -> None:
    orig = getattr(error, "orig", None)
    if orig is not None and dialect.is_disconnect(orig, pooled.driver_connection, None):
        pooled.invalidate(orig)
        return
    try:
        pooled.driver_connection.rollback()  # a no-op when nothing is open
    except Exception:
        pooled.invalidate()

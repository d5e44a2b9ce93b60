"""The plan a statement runs with, as the server runs it: on PostgreSQL the
generic plan of a prepared statement (the driver prepares a statement after a
few runs and then keeps a parameter-blind plan), on SQLite its query plan."""

import re

from survey.extensions import db


def generic_plan(statement) -> str:
    connection = db.session.connection()
    compiled = statement.compile(dialect=connection.dialect)
    if connection.dialect.name == "sqlite":
        nulls = tuple(None for _ in compiled.positiontup)
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled.string}", nulls)
        return "\n".join(str(row[-1]) for row in rows)
    names = list(dict.fromkeys(re.findall(r"%\((\w+)\)s", compiled.string)))
    sql = re.sub(r"%\((\w+)\)s", lambda m: f"${names.index(m.group(1)) + 1}", compiled.string)
    connection.exec_driver_sql("SET LOCAL plan_cache_mode = force_generic_plan")
    connection.exec_driver_sql(f"PREPARE plan_probe AS {sql}")
    nulls = ", ".join("NULL" for _ in names)
    plan = "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN EXECUTE plan_probe({nulls})"))
    connection.exec_driver_sql("DEALLOCATE plan_probe")
    return plan

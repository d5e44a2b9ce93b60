"""Is the database usable for what citizens do, i.e. can an answer be stored?

PostgreSQL: a round trip (db_pool.py replaces dead connections, so a
restarted server reads as up again without manual steps). SQLite: readers
never block in WAL mode, so "SELECT 1" would say "up" while every submission
waits on a stuck writer; the probe takes and releases the write lock, within
the configured busy timeout.
"""

from survey.extensions import db


def database_ok() -> bool:
    try:
        with db.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                conn.exec_driver_sql("ROLLBACK")
            else:
                conn.exec_driver_sql("SELECT 1")
    except Exception:  # any driver error means the database is unusable
        return False
    return True

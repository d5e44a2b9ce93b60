"""Column types and helpers shared by the models."""

from datetime import UTC, datetime

from sqlalchemy import BigInteger, Integer

# BIGINT on PostgreSQL, INTEGER (the rowid alias) on SQLite.
BigId = BigInteger().with_variant(Integer, "sqlite")


def utcnow() -> datetime:
    """Naive UTC timestamp: every stored time is UTC, shown in Vietnam time."""
    return datetime.now(UTC).replace(tzinfo=None)

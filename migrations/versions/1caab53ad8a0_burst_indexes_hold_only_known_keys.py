"""burst indexes hold only rows with a key

The burst check reads one device's (and one network's) top ratings on a point.
Both partial indexes had the same predicate (overall = 5), so PostgreSQL could
serve the device half from the network index, scanning every top rating of the
window; it did, with a generic plan made while the table was small (0.6-1.1 ms
per submit instead of 0.02). With "key IS NOT NULL" in each predicate, implied
by the query's "key = ?", each half can only use its own index, on both engines;
and rows without a key (no device cookie) are not indexed at all.

Revision ID: 1caab53ad8a0
Revises: 769f7a4710a7
Create Date: 2026-12-02 09:35:00

"""

import sqlalchemy as sa
from alembic import op

revision = "1caab53ad8a0"
down_revision = "769f7a4710a7"
branch_labels = None
depends_on = None

OLD = "overall = 5"


def _recreate(predicates: dict[str, str]) -> None:
    with op.batch_alter_table("responses", schema=None) as batch_op:
        for name, (column, predicate) in predicates.items():
            batch_op.drop_index(name)
            batch_op.create_index(
                name,
                [column, "submitted_at"],
                unique=False,
                sqlite_where=sa.text(predicate),
                postgresql_where=sa.text(predicate),
            )


def upgrade():
    _recreate(
        {
            "ix_responses_top_device": ("device_key", "overall = 5 AND device_key IS NOT NULL"),
            "ix_responses_top_network": ("network_key", "overall = 5 AND network_key IS NOT NULL"),
        }
    )


def downgrade():
    _recreate({"ix_responses_top_device": ("device_key", OLD), "ix_responses_top_network": ("network_key", OLD)})

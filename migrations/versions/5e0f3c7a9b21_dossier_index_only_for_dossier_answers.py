"""the dossier index holds only answers with a dossier

ix_responses_dossier_link_id (unique: a dossier is answered once) had an
entry for every response, NULL for every answer by QR code, nearly all of
them: one more index written by every citizen's submit for nothing. Partial
now ("dossier_link_id IS NOT NULL"), still unique, on both engines.

Revision ID: 5e0f3c7a9b21
Revises: 1caab53ad8a0
Create Date: 2026-12-02 16:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "5e0f3c7a9b21"
down_revision = "1caab53ad8a0"
branch_labels = None
depends_on = None

NAME = "ix_responses_dossier_link_id"
PREDICATE = "dossier_link_id IS NOT NULL"


def upgrade():
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_index(NAME)
        batch_op.create_index(
            NAME,
            ["dossier_link_id"],
            unique=True,
            sqlite_where=sa.text(PREDICATE),
            postgresql_where=sa.text(PREDICATE),
        )


def downgrade():
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_index(NAME)
        batch_op.create_index(NAME, ["dossier_link_id"], unique=True)

"""poster job worker and heartbeat

Revision ID: 769f7a4710a7
Revises: 5c3f5d7e8687
Create Date: 2026-12-02 07:00:41.886754

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '769f7a4710a7'
down_revision = '5c3f5d7e8687'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('poster_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('worker', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(), nullable=True))



def downgrade():
    with op.batch_alter_table('poster_jobs', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('worker')


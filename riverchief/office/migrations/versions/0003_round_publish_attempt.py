"""A round's publish carries an attempt id (also written in the version's manifest), who started it and
when: a publish stopped half-way is recognised by its own version, never by another, and a second
publish cannot start while one is under way.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("rounds") as batch:
        batch.add_column(sa.Column("publish_attempt", sa.String(32)))
        batch.add_column(sa.Column("publishing_by", sa.String(64)))
        batch.add_column(sa.Column("publishing_since", sa.DateTime))


def downgrade():
    with op.batch_alter_table("rounds") as batch:
        batch.drop_column("publishing_since")
        batch.drop_column("publishing_by")
        batch.drop_column("publish_attempt")

"""A unit confirms 本月无进展 per entry: an unchanged value is then a report, not a form sent untouched.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("entries") as batch:
        batch.add_column(sa.Column("no_progress", sa.Boolean, nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("entries") as batch:
        batch.drop_column("no_progress")

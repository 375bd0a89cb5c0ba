"""When a name's RiverBoard session last ended (idle, logged out): a sign-on login must be newer than that,
so a browser coming back on the provider's old cookie alone goes through the provider again.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "session_ends",
        sa.Column("username", sa.String(64), primary_key=True),
        sa.Column("ended_at", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("session_ends")

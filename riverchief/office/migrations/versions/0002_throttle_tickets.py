"""Login throttling by address and by name-and-address (no hard lock), and one-time login tickets the
server exchanges for an HttpOnly session cookie. The users' lock columns go: nobody can lock an account.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failure", sa.DateTime, nullable=False),
        sa.Column("blocked_until", sa.DateTime),
    )
    op.create_table(
        "login_tickets",
        sa.Column("ticket_hash", sa.String(64), primary_key=True),
        sa.Column("sealed", sa.String(256), nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
    )
    with op.batch_alter_table("users") as batch:
        batch.drop_column("failed")
        batch.drop_column("locked_until")


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("failed", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", sa.DateTime))
    op.drop_table("login_tickets")
    op.drop_table("login_throttle")

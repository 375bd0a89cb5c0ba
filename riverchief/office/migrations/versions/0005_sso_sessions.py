"""A sign-on session keeps who it signed in (name, role, unit), so a reload needs no call to the provider; a
sign-on login counts once (its ID token's marker is used up), so a browser coming back on Streamlit's old
sign-on cookie goes through the provider again — no clock comparison with the provider. session_ends (a
clock comparison) goes.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("login_sessions") as batch:
        batch.add_column(sa.Column("via", sa.String(8), nullable=False, server_default="local"))
        batch.add_column(sa.Column("name", sa.String(100)))
        batch.add_column(sa.Column("role", sa.String(16)))
        batch.add_column(sa.Column("unit_id", sa.String(64)))
    op.create_table(
        "sso_logins",
        sa.Column("marker", sa.String(64), primary_key=True),
        sa.Column("used_at", sa.DateTime, nullable=False),
    )
    op.drop_table("session_ends")


def downgrade():
    op.create_table(
        "session_ends",
        sa.Column("username", sa.String(64), primary_key=True),
        sa.Column("ended_at", sa.DateTime, nullable=False),
    )
    op.drop_table("sso_logins")
    with op.batch_alter_table("login_sessions") as batch:
        batch.drop_column("unit_id")
        batch.drop_column("role")
        batch.drop_column("name")
        batch.drop_column("via")

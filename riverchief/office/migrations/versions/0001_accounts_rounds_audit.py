"""Accounts, login sessions, the audit log and the monthly reporting round.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("unit_id", sa.String(64)),
        sa.Column("password_hash", sa.String(255)),
        sa.Column("must_change", sa.Boolean, nullable=False),
        sa.Column("failed", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_login", sa.DateTime),
        sa.Column("row_version", sa.Integer, nullable=False),
    )
    op.create_table(
        "login_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_seen", sa.DateTime, nullable=False),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False, index=True),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("action", sa.String(32), nullable=False, index=True),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("notice_date", sa.Date, nullable=False, unique=True),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("base_version", sa.String(40), nullable=False),
        sa.Column("base_notice", sa.Date, nullable=False),
        sa.Column("opened_by", sa.String(64), nullable=False),
        sa.Column("opened_at", sa.DateTime, nullable=False),
        sa.Column("published_version", sa.String(40)),
        sa.Column("published_at", sa.DateTime),
        sa.Column("row_version", sa.Integer, nullable=False),
    )
    op.create_table(
        "entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("ref_id", sa.String(64), nullable=False),
        sa.Column("unit_id", sa.String(64), nullable=False, index=True),
        sa.Column("done_qty", sa.Float),
        sa.Column("progress", sa.Float),
        sa.Column("done_date", sa.Date),
        sa.Column("at_risk", sa.Boolean, nullable=False),
        sa.Column("risk_reason", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("return_reason", sa.Text, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("submitted_at", sa.DateTime),
        sa.Column("reviewed_by", sa.String(64)),
        sa.Column("row_version", sa.Integer, nullable=False),
        sa.UniqueConstraint("round_id", "kind", "ref_id"),
    )


def downgrade():
    for table in ("entries", "rounds", "audit", "login_sessions", "users"):
        op.drop_table(table)

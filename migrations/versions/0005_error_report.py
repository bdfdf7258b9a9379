"""error_report: mistakes reported by the public on a partner's page

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import geodata.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "error_report",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=20), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", geodata.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("triaged_at", geodata.types.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partner.id"],
            name=op.f("fk_error_report_partner_id_partner"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_error_report")),
    )
    op.create_index(
        op.f("ix_error_report_partner_id"), "error_report", ["partner_id"], unique=False
    )
    op.create_index(op.f("ix_error_report_status"), "error_report", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_error_report_status"), table_name="error_report")
    op.drop_index(op.f("ix_error_report_partner_id"), table_name="error_report")
    op.drop_table("error_report")

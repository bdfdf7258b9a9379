"""partner_change: the change log (outbox) that app servers sharing the database follow

Revision ID: 0009
Revises: 0008

Filled by every transaction that changes partners (directory/change_log.py). Existing
databases start with an empty log: each server's index is rebuilt once at its next start
(an index that does not know its sequence is not reused).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import geodata.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partner_change",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", geodata.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_change")),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("partner_change")

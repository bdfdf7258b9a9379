"""service: covering index (right, partner, help level) for orientation and search

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_service_right_slug", table_name="service")
    op.create_index(
        "ix_service_right_partner", "service", ["right_slug", "partner_id", "help_level"]
    )


def downgrade() -> None:
    op.drop_index("ix_service_right_partner", table_name="service")
    op.create_index("ix_service_right_slug", "service", ["right_slug"])

"""address street key: normalised street names for the offline geocoder

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ALTER TABLE on both backends (no batch copy: SpatiaLite keeps its geometry).
    op.add_column(
        "address",
        sa.Column("street_key", sa.String(length=200), server_default="", nullable=False),
    )
    op.create_index(
        "ix_address_insee_code_street_key", "address", ["insee_code", "street_key"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_address_insee_code_street_key", table_name="address")
    op.drop_column("address", "street_key")

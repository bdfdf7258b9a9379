"""back office: uploaded import files emptied after their retention period

Revision ID: 0010
Revises: 0009

Adds ``purged_at`` to ``import_upload``: when ``imports purge-uploads`` emptied the file's
content (the row, its file name, account and dates stay). Plain ALTER TABLE only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import geodata.types

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "import_upload",
        sa.Column("purged_at", geodata.types.UtcDateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("import_upload", "purged_at")

"""import_run: drop the table, never written nor read (import reports are printed instead)

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import geodata.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index(op.f("ix_import_run_dataset"), table_name="import_run")
    op.drop_table("import_run")


def downgrade() -> None:
    # The table as 0001 created it (empty: it never held a row).
    op.create_table(
        "import_run",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("dataset", sa.String(length=60), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("started_at", geodata.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_run")),
    )
    op.create_index(op.f("ix_import_run_dataset"), "import_run", ["dataset"], unique=False)

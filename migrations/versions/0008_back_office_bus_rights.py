"""back office: bus and rights editing — change times, edits of the rights catalogue

Revision ID: 0008
Revises: 0007

Adds ``updated_at`` to the bus des droits tables (the response caches follow a change of
the schedule), ``updated_at`` and ``edits`` to ``right`` (the claims edited in the back
office, which the bundled import does not silently overwrite) and ``subject`` to
``audit_entry`` (what a change that is not a partner's was made to: a bus route, a right).
Plain ALTER TABLE only: no table is rebuilt (SQLite 3.35+ drops a column in place).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import geodata.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BUS_TABLES = ("bus_route", "bus_stop", "bus_schedule", "bus_visit")


def _instant() -> sa.Column[object]:
    return sa.Column("updated_at", geodata.types.UtcDateTime(timezone=True), nullable=True)


def upgrade() -> None:
    for table in BUS_TABLES:
        op.add_column(table, _instant())
    op.add_column("right", _instant())
    op.add_column("right", sa.Column("edits", sa.JSON(), nullable=True))
    op.add_column("audit_entry", sa.Column("subject", sa.String(length=80), nullable=True))
    op.create_index(op.f("ix_audit_entry_subject"), "audit_entry", ["subject"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_entry_subject"), table_name="audit_entry")
    op.drop_column("audit_entry", "subject")
    op.drop_column("right", "edits")
    op.drop_column("right", "updated_at")
    for table in reversed(BUS_TABLES):
        op.drop_column(table, "updated_at")

"""bus des droits: recurrence rules, per-visit edits, holiday rule, what is on board

Revision ID: 0006
Revises: 0005

Adds ``bus_schedule`` (a stop's RRULE and time window), what is on board a rule and a
visit (rights, partners present), stable codes of routes and stops, the route's public
holiday rule, and on ``bus_visit`` the rule and date it comes from, whether it was edited
and the public reason of a change.

SQLite cannot add a foreign key to an existing table, and rebuilding a parent table
there would cascade deletes to its children: ``bus_visit`` is rebuilt (batch) only while
nothing references it, before the link tables on the way up and after them on the way
down; ``bus_route`` (a parent) and ``bus_stop`` (a SpatiaLite geometry) are never rebuilt.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

VISIT_SCHEDULE_FK = "fk_bus_visit_schedule_id_bus_schedule"


def _is_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _link_table(name: str, owner: str, owner_table: str, other: str) -> None:
    """A link table (owner, right or partner), both keys cascading on delete."""
    if other == "right_slug":
        other_column, target = sa.Column(other, sa.String(length=40), nullable=False), "right"
        target_key = "right.slug"
    else:
        other_column, target = sa.Column(other, sa.Integer(), nullable=False), "partner"
        target_key = "partner.id"
    op.create_table(
        name,
        sa.Column(owner, sa.Integer(), nullable=False),
        other_column,
        sa.ForeignKeyConstraint(
            [other], [target_key], name=op.f(f"fk_{name}_{other}_{target}"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            [owner],
            [f"{owner_table}.id"],
            name=op.f(f"fk_{name}_{owner}_{owner_table}"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(owner, other, name=op.f(f"pk_{name}")),
    )


def upgrade() -> None:
    op.create_table(
        "bus_schedule",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("stop_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("rule", sa.String(length=300), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["stop_id"],
            ["bus_stop.id"],
            name=op.f("fk_bus_schedule_stop_id_bus_stop"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bus_schedule")),
    )
    op.create_index(op.f("ix_bus_schedule_stop_id"), "bus_schedule", ["stop_id"], unique=False)
    op.create_index("uq_bus_schedule_stop_code", "bus_schedule", ["stop_id", "code"], unique=True)
    # Nothing references bus_visit yet: SQLite may rebuild it (batch) to add the foreign key.
    with op.batch_alter_table("bus_visit") as batch_op:
        batch_op.add_column(sa.Column("schedule_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("occurrence_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("change_reason", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("is_edited", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_foreign_key(
            VISIT_SCHEDULE_FK, "bus_schedule", ["schedule_id"], ["id"], ondelete="SET NULL"
        )
    for owner, owner_table in (("schedule_id", "bus_schedule"), ("visit_id", "bus_visit")):
        _link_table(f"{owner_table}_right", owner, owner_table, "right_slug")
        _link_table(f"{owner_table}_partner", owner, owner_table, "partner_id")
    op.add_column("bus_route", sa.Column("code", sa.String(length=60), nullable=True))
    op.add_column(
        "bus_route",
        sa.Column("holiday_rule", sa.String(length=30), server_default="skip", nullable=False),
    )
    op.create_index("uq_bus_route_code", "bus_route", ["code"], unique=True)
    op.add_column("bus_stop", sa.Column("code", sa.String(length=60), nullable=True))
    op.create_index("uq_bus_stop_route_code", "bus_stop", ["route_id", "code"], unique=True)

    op.create_index(op.f("ix_bus_visit_schedule_id"), "bus_visit", ["schedule_id"], unique=False)


def downgrade() -> None:
    for name in (
        "bus_visit_right",
        "bus_visit_partner",
        "bus_schedule_right",
        "bus_schedule_partner",
    ):
        op.drop_table(name)
    op.drop_index(op.f("ix_bus_visit_schedule_id"), table_name="bus_visit")
    # Nothing references bus_visit any more: SQLite may rebuild it (batch) without cascades.
    with op.batch_alter_table("bus_visit") as batch_op:
        if not _is_sqlite():
            batch_op.drop_constraint(VISIT_SCHEDULE_FK, type_="foreignkey")
        batch_op.drop_column("is_edited")
        batch_op.drop_column("change_reason")
        batch_op.drop_column("occurrence_on")
        batch_op.drop_column("schedule_id")
    # bus_stop holds a SpatiaLite geometry and bus_route is a parent table: neither is
    # rebuilt; a plain DROP COLUMN works on both backends (SQLite >= 3.35).
    op.drop_index("uq_bus_stop_route_code", table_name="bus_stop")
    op.execute("ALTER TABLE bus_stop DROP COLUMN code")
    op.drop_index("uq_bus_route_code", table_name="bus_route")
    op.execute("ALTER TABLE bus_route DROP COLUMN holiday_rule")
    op.execute("ALTER TABLE bus_route DROP COLUMN code")
    op.drop_index("uq_bus_schedule_stop_code", table_name="bus_schedule")
    op.drop_index(op.f("ix_bus_schedule_stop_id"), table_name="bus_schedule")
    op.drop_table("bus_schedule")

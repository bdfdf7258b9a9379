"""back office: accounts, their scope and sessions, the audit log, uploads; partner SIRET

Revision ID: 0007
Revises: 0006

``partner.siret`` is added and dropped with plain ALTER TABLE (SQLite 3.35+ drops a
column in place): the partner table, a parent with a SpatiaLite geometry, is never
rebuilt.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import geodata.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _user_fk(table: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["admin_user.id"], name=op.f(f"fk_{table}_user_id_admin_user"),
        ondelete=ondelete,
    )  # fmt: skip


def upgrade() -> None:
    op.add_column("partner", sa.Column("siret", sa.String(length=14), nullable=True))
    op.create_index(op.f("ix_partner_siret"), "partner", ["siret"], unique=False)
    op.create_table(
        "admin_user",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", geodata.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("reset_token_hash", sa.String(length=64), nullable=True),
        sa.Column("reset_expires_at", geodata.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", geodata.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", geodata.types.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_user")),
        sa.UniqueConstraint("email", name=op.f("uq_admin_user_email")),
    )
    op.create_table(
        "admin_user_area",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=9), nullable=False),
        _user_fk("admin_user_area"),
        sa.PrimaryKeyConstraint("user_id", "level", "code", name=op.f("pk_admin_user_area")),
    )
    op.create_table(
        "admin_user_partner",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partner.id"],
            name=op.f("fk_admin_user_partner_partner_id_partner"),
            ondelete="CASCADE",
        ),
        _user_fk("admin_user_partner"),
        sa.PrimaryKeyConstraint("user_id", "partner_id", name=op.f("pk_admin_user_partner")),
    )
    op.create_index(op.f("ix_admin_user_partner_partner_id"), "admin_user_partner", ["partner_id"])
    op.create_table(
        "admin_session",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", geodata.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", geodata.types.UtcDateTime(timezone=True), nullable=False),
        _user_fk("admin_session"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_admin_session_token_hash")),
    )
    op.create_index(op.f("ix_admin_session_user_id"), "admin_session", ["user_id"])
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", geodata.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("origin_detail", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        _user_fk("audit_entry", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    op.create_index(op.f("ix_audit_entry_at"), "audit_entry", ["at"])
    op.create_index(op.f("ix_audit_entry_partner_id"), "audit_entry", ["partner_id"])
    op.create_index(op.f("ix_audit_entry_user_id"), "audit_entry", ["user_id"])
    op.create_table(
        "import_upload",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("file_format", sa.String(length=20), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", geodata.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("applied_at", geodata.types.UtcDateTime(timezone=True), nullable=True),
        _user_fk("import_upload"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_upload")),
    )
    op.create_index(op.f("ix_import_upload_user_id"), "import_upload", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_import_upload_user_id"), table_name="import_upload")
    op.drop_table("import_upload")
    for name in ("at", "partner_id", "user_id"):
        op.drop_index(op.f(f"ix_audit_entry_{name}"), table_name="audit_entry")
    op.drop_table("audit_entry")
    op.drop_index(op.f("ix_admin_session_user_id"), table_name="admin_session")
    op.drop_table("admin_session")
    op.drop_index(op.f("ix_admin_user_partner_partner_id"), table_name="admin_user_partner")
    op.drop_table("admin_user_partner")
    op.drop_table("admin_user_area")
    op.drop_table("admin_user")
    op.drop_index(op.f("ix_partner_siret"), table_name="partner")
    op.drop_column("partner", "siret")

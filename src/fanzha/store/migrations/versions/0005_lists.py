"""lists: indicator expiry, list-import provenance, shadow decisions

Revision ID: 0005_lists
Revises: 0004_workflow
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fanzha.store.tables

revision: str = "0005_lists"
down_revision: str | None = "0004_workflow"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("expires_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "list_imports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("source", sa.String(length=60), nullable=True),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_stored", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("imported_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_imports")),
    )
    op.create_table(
        "shadow_decisions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("policy_version", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("subject_key", sa.String(length=80), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("fraud_type", sa.String(length=32), nullable=False),
        sa.Column("warn", sa.Boolean(), nullable=False),
        sa.Column("opens", sa.Boolean(), nullable=False),
        sa.Column("raises", sa.Boolean(), nullable=False),
        sa.Column("propose_stop_payment", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("assessed_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shadow_decisions")),
    )
    with op.batch_alter_table("shadow_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shadow_decisions_event_id"), ["event_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_shadow_decisions_policy_version"), ["policy_version"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("shadow_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shadow_decisions_policy_version"))
        batch_op.drop_index(batch_op.f("ix_shadow_decisions_event_id"))
    op.drop_table("shadow_decisions")
    op.drop_table("list_imports")
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.drop_column("expires_at")

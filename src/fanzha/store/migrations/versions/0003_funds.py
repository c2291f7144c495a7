"""funds: transfer index, stop orders, freezes, holds, returns, bank messages

Revision ID: 0003_funds
Revises: 0002_auth
Create Date: 2026-11-21 06:37:17.741033
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fanzha.store.tables

revision: str = "0003_funds"
down_revision: str | None = "0002_auth"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "bank_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("message_id", sa.String(length=80), nullable=True),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("target_kind", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.String(length=64), nullable=False),
        sa.Column("idempotency_key", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_messages")),
        sa.UniqueConstraint("message_id", name=op.f("uq_bank_messages_message_id")),
    )
    with op.batch_alter_table("bank_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_bank_messages_idempotency_key"), ["idempotency_key"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_bank_messages_target_id"), ["target_id"], unique=False)

    op.create_table(
        "freezes",
        sa.Column("freeze_id", sa.String(length=64), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=True),
        sa.Column("account", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("amount_fen", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("starts_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=True),
        sa.Column("due_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=True),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("updated_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("freeze_id", name=op.f("pk_freezes")),
    )
    with op.batch_alter_table("freezes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_freezes_account"), ["account"], unique=False)
        batch_op.create_index(batch_op.f("ix_freezes_due_at"), ["due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_freezes_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_freezes_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "protective_holds",
        sa.Column("hold_id", sa.String(length=64), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=True),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("due_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=True),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("updated_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("hold_id", name=op.f("pk_protective_holds")),
    )
    with op.batch_alter_table("protective_holds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_protective_holds_due_at"), ["due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_protective_holds_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_protective_holds_subject_id"), ["subject_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_protective_holds_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "return_decisions",
        sa.Column("decision_no", sa.String(length=80), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=True),
        sa.Column("freeze_id", sa.String(length=64), nullable=False),
        sa.Column("victim_id", sa.String(length=64), nullable=False),
        sa.Column("amount_fen", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("basis", sa.String(length=16), nullable=False),
        sa.Column("decided_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("application", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("decision_no", name=op.f("pk_return_decisions")),
    )
    with op.batch_alter_table("return_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_return_decisions_decided_at"), ["decided_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_return_decisions_freeze_id"), ["freeze_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_return_decisions_unit_id"), ["unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_return_decisions_victim_id"), ["victim_id"], unique=False)

    op.create_table(
        "stop_orders",
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=True),
        sa.Column("account", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("amount_fen", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("stopped_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=True),
        sa.Column("due_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=True),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("updated_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_stop_orders")),
    )
    with op.batch_alter_table("stop_orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stop_orders_account"), ["account"], unique=False)
        batch_op.create_index(batch_op.f("ix_stop_orders_due_at"), ["due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_stop_orders_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_stop_orders_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "transfers",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("payer", sa.String(length=40), nullable=False),
        sa.Column("payee", sa.String(length=40), nullable=False),
        sa.Column("at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("amount_fen", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_transfers")),
    )
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.create_index("ix_transfers_payee_at", ["payee", "at"], unique=False)
        batch_op.create_index("ix_transfers_payer_at", ["payer", "at"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.drop_index("ix_transfers_payer_at")
        batch_op.drop_index("ix_transfers_payee_at")

    op.drop_table("transfers")
    with op.batch_alter_table("stop_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stop_orders_unit_id"))
        batch_op.drop_index(batch_op.f("ix_stop_orders_status"))
        batch_op.drop_index(batch_op.f("ix_stop_orders_due_at"))
        batch_op.drop_index(batch_op.f("ix_stop_orders_account"))

    op.drop_table("stop_orders")
    with op.batch_alter_table("return_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_decisions_victim_id"))
        batch_op.drop_index(batch_op.f("ix_return_decisions_unit_id"))
        batch_op.drop_index(batch_op.f("ix_return_decisions_freeze_id"))
        batch_op.drop_index(batch_op.f("ix_return_decisions_decided_at"))

    op.drop_table("return_decisions")
    with op.batch_alter_table("protective_holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_protective_holds_unit_id"))
        batch_op.drop_index(batch_op.f("ix_protective_holds_subject_id"))
        batch_op.drop_index(batch_op.f("ix_protective_holds_status"))
        batch_op.drop_index(batch_op.f("ix_protective_holds_due_at"))

    op.drop_table("protective_holds")
    with op.batch_alter_table("freezes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_freezes_unit_id"))
        batch_op.drop_index(batch_op.f("ix_freezes_status"))
        batch_op.drop_index(batch_op.f("ix_freezes_due_at"))
        batch_op.drop_index(batch_op.f("ix_freezes_account"))

    op.drop_table("freezes")
    with op.batch_alter_table("bank_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bank_messages_target_id"))
        batch_op.drop_index(batch_op.f("ix_bank_messages_idempotency_key"))

    op.drop_table("bank_messages")

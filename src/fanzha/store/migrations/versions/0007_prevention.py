"""prevention: campaigns, reach, publicity records, places, self-check counts, citizen reports

Revision ID: 0007_prevention
Revises: 0006_account_opening
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fanzha.store.tables

revision: str = "0007_prevention"
down_revision: str | None = "0006_account_opening"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "app_registrations",
        sa.Column("place_id", sa.String(length=64), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("registered", sa.Integer(), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("imported_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("place_id", "as_of", name=op.f("pk_app_registrations")),
    )
    op.create_table(
        "citizen_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.Column("fraud_type", sa.String(length=32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("received_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by", sa.String(length=64), nullable=True),
        sa.Column("reviewed_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citizen_reports")),
    )
    with op.batch_alter_table("citizen_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_citizen_reports_status"), ["status"], unique=False)

    op.create_table(
        "prevention_campaigns",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("targeting_version", sa.String(length=40), nullable=False),
        sa.Column("audience", sa.Integer(), nullable=False),
        sa.Column("wechat_group", sa.String(length=100), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prevention_campaigns")),
    )
    with op.batch_alter_table("prevention_campaigns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prevention_campaigns_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_prevention_campaigns_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "prevention_opt_outs",
        sa.Column("phone", sa.String(length=24), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=True),
        sa.Column("via", sa.String(length=32), nullable=False),
        sa.Column("at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("phone", name=op.f("pk_prevention_opt_outs")),
    )
    with op.batch_alter_table("prevention_opt_outs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prevention_opt_outs_person_id"), ["person_id"], unique=False)

    op.create_table(
        "prevention_reach",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("idempotency_key", sa.String(length=80), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.String(length=64), nullable=True),
        sa.Column("unit_id", sa.String(length=64), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("gateway_id", sa.String(length=80), nullable=True),
        sa.Column("audience", sa.Integer(), nullable=False),
        sa.Column("officer_minutes", sa.Float(), nullable=False),
        sa.Column("created_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("done_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=True),
        sa.Column("done_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prevention_reach")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_prevention_reach_idempotency_key")),
    )
    with op.batch_alter_table("prevention_reach", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prevention_reach_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_prevention_reach_done_at"), ["done_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_prevention_reach_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            "ix_prevention_reach_status_channel_next", ["status", "channel", "next_attempt_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_prevention_reach_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "prevention_sweeps",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("last_id", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_prevention_sweeps")),
    )
    op.create_table(
        "publicity_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("natural_key", sa.String(length=64), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("audience", sa.String(length=100), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.String(length=64), nullable=True),
        sa.Column("app_installs", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publicity_events")),
        sa.UniqueConstraint("natural_key", name=op.f("uq_publicity_events_natural_key")),
    )
    with op.batch_alter_table("publicity_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publicity_events_held_on"), ["held_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_publicity_events_place_id"), ["place_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_publicity_events_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "publicity_place_cases",
        sa.Column("case_ref", sa.String(length=64), nullable=False),
        sa.Column("place_id", sa.String(length=64), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("loss_fen", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("case_ref", name=op.f("pk_publicity_place_cases")),
    )
    with op.batch_alter_table("publicity_place_cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publicity_place_cases_place_id"), ["place_id"], unique=False)

    op.create_table(
        "publicity_places",
        sa.Column("place_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("place_id", name=op.f("pk_publicity_places")),
    )
    with op.batch_alter_table("publicity_places", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publicity_places_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "publicity_posts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("platform", sa.String(length=40), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("reads", sa.BigInteger(), nullable=False),
        sa.Column("plays", sa.BigInteger(), nullable=False),
        sa.Column("likes", sa.BigInteger(), nullable=False),
        sa.Column("shares", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publicity_posts")),
    )
    with op.batch_alter_table("publicity_posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publicity_posts_published_on"), ["published_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_publicity_posts_unit_id"), ["unit_id"], unique=False)
        batch_op.create_index(
            "uq_publicity_posts_platform_external_id", ["platform", "external_id"], unique=True
        )

    op.create_table(
        "publicity_sms_batches",
        sa.Column("batch_ref", sa.String(length=64), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("messages", sa.BigInteger(), nullable=False),
        sa.Column("imported_at", fanzha.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("batch_ref", name=op.f("pk_publicity_sms_batches")),
    )
    with op.batch_alter_table("publicity_sms_batches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publicity_sms_batches_sent_on"), ["sent_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_publicity_sms_batches_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "selfcheck_counts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "kind", "verdict", name=op.f("pk_selfcheck_counts")),
    )


def downgrade() -> None:
    op.drop_table("selfcheck_counts")
    with op.batch_alter_table("publicity_sms_batches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publicity_sms_batches_unit_id"))
        batch_op.drop_index(batch_op.f("ix_publicity_sms_batches_sent_on"))

    op.drop_table("publicity_sms_batches")
    with op.batch_alter_table("publicity_posts", schema=None) as batch_op:
        batch_op.drop_index("uq_publicity_posts_platform_external_id")
        batch_op.drop_index(batch_op.f("ix_publicity_posts_unit_id"))
        batch_op.drop_index(batch_op.f("ix_publicity_posts_published_on"))

    op.drop_table("publicity_posts")
    with op.batch_alter_table("publicity_places", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publicity_places_unit_id"))

    op.drop_table("publicity_places")
    with op.batch_alter_table("publicity_place_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publicity_place_cases_place_id"))

    op.drop_table("publicity_place_cases")
    with op.batch_alter_table("publicity_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publicity_events_unit_id"))
        batch_op.drop_index(batch_op.f("ix_publicity_events_place_id"))
        batch_op.drop_index(batch_op.f("ix_publicity_events_held_on"))

    op.drop_table("publicity_events")
    op.drop_table("prevention_sweeps")
    with op.batch_alter_table("prevention_reach", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prevention_reach_unit_id"))
        batch_op.drop_index("ix_prevention_reach_status_channel_next")
        batch_op.drop_index(batch_op.f("ix_prevention_reach_person_id"))
        batch_op.drop_index(batch_op.f("ix_prevention_reach_done_at"))
        batch_op.drop_index(batch_op.f("ix_prevention_reach_campaign_id"))

    op.drop_table("prevention_reach")
    with op.batch_alter_table("prevention_opt_outs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prevention_opt_outs_person_id"))

    op.drop_table("prevention_opt_outs")
    with op.batch_alter_table("prevention_campaigns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prevention_campaigns_unit_id"))
        batch_op.drop_index(batch_op.f("ix_prevention_campaigns_status"))

    op.drop_table("prevention_campaigns")
    with op.batch_alter_table("citizen_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_citizen_reports_status"))

    op.drop_table("citizen_reports")
    op.drop_table("app_registrations")

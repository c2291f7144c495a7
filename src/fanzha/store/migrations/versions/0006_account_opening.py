"""accounts: opening branch, date and class (两卡, issue 14)

Revision ID: 0006_account_opening
Revises: 0005_lists
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_account_opening"
down_revision: str | None = "0005_lists"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("branch", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("opened_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("account_class", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("account_class")
        batch_op.drop_column("opened_on")
        batch_op.drop_column("branch")

"""Answers (with what a clarify or fallback weighed) and feedback on them.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("surface", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("topic", sa.String(80), nullable=True),
        sa.Column("candidates", sa.JSON, nullable=False),
        sa.Column("question", sa.String(500), nullable=True),
        sa.Column("user_hash", sa.String(32), nullable=True),
        sa.Column("channel_hash", sa.String(32), nullable=True),
    )
    op.create_index("ix_answers_at", "answers", ["at"])
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("surface", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("topic", sa.String(80), nullable=True),
        sa.Column("helpful", sa.Boolean, nullable=False),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("user_hash", sa.String(32), nullable=True),
        sa.Column("channel_hash", sa.String(32), nullable=True),
    )
    op.create_index("ix_feedback_at", "feedback", ["at"])


def downgrade() -> None:
    op.drop_index("ix_feedback_at", "feedback")
    op.drop_table("feedback")
    op.drop_index("ix_answers_at", "answers")
    op.drop_table("answers")

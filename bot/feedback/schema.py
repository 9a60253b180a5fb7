"""The tables behind the curator report (SQLAlchemy Core); Alembic migrations create them."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa


class UTCDateTime(sa.TypeDecorator[dt.datetime]):
    """A moment kept as naive UTC in every database and read back as aware UTC."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: sa.Dialect) -> object:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("times are kept in UTC: pass an aware datetime")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(
        self, value: dt.datetime | None, dialect: sa.Dialect
    ) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


metadata = sa.MetaData()

answers = sa.Table(
    "answers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", UTCDateTime, nullable=False, index=True),
    sa.Column("surface", sa.String(16), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("topic", sa.String(80), nullable=True),
    sa.Column("candidates", sa.JSON, nullable=False),
    sa.Column("question", sa.String(500), nullable=True),
    sa.Column("user_hash", sa.String(32), nullable=True),
    sa.Column("channel_hash", sa.String(32), nullable=True),
)

feedback = sa.Table(
    "feedback",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", UTCDateTime, nullable=False, index=True),
    sa.Column("surface", sa.String(16), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("topic", sa.String(80), nullable=True),
    sa.Column("helpful", sa.Boolean, nullable=False),
    sa.Column("reason", sa.String(500), nullable=True),
    sa.Column("user_hash", sa.String(32), nullable=True),
    sa.Column("channel_hash", sa.String(32), nullable=True),
)

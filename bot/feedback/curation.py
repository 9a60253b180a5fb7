"""The one object the adapters call: record a reply, record a click; nothing else."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from bot.feedback.recorder import Recorder
from bot.feedback.records import Policy, answer_record, feedback_record
from bot.reply import Question, Reply
from bot.settings import Settings, SettingsError

LOGGER = logging.getLogger("401k-bot.feedback")
T = TypeVar("T")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Curation:
    """Records replies and feedback for the curator report, under `policy`.

    With no recorder (BOT_FEEDBACK=off) every call does nothing.
    """

    policy: Policy = field(default_factory=lambda: Policy(enabled=False))
    recorder: Recorder | None = None
    now: Callable[[], dt.datetime] = utc_now

    @property
    def enabled(self) -> bool:
        return self.policy.enabled and self.recorder is not None

    def answered(self, question: Question, reply: Reply) -> None:
        """Queue what is kept of `reply` (its kind and topic; what a miss weighed)."""
        if self.recorder is not None:
            self.recorder.record(answer_record(self.policy, question, reply, self.now()))

    def rated(
        self,
        surface: str,
        rated: tuple[str, str | None],
        helpful: bool,
        person: tuple[str | None, str | None] = (None, None),
        reason: str | None = None,
    ) -> None:
        """Queue one click on a reply of kind and topic `rated`."""
        if self.recorder is not None:
            record = feedback_record(
                self.policy, self.now(), surface, rated, helpful, person, reason
            )
            self.recorder.record(record)

    def start(self) -> None:
        if self.recorder is not None:
            self.recorder.start()

    async def close(self) -> None:
        if self.recorder is not None:
            await self.recorder.close()


def policy_for(settings: Settings) -> Policy:
    return Policy(
        enabled=settings.bot_feedback == "on",
        record_questions=settings.bot_record_questions,
        hash_key=settings.bot_hash_key or None,
    )


def open_curation(settings: Settings) -> Curation:
    """The curation for `settings`, its database checked (not yet started).

    A SQLite file belongs to this machine, so its schema is brought up to date here; a
    PostgreSQL database is shared by replicas and must be migrated with `401k-bot db
    upgrade` first: a schema that is behind is a one-line SettingsError. A database that
    cannot be reached, or a SQLite folder that cannot be created, is logged and the bot
    goes on: records are lost (or, for the folder, not taken), replies are not.
    """
    policy = policy_for(settings)
    if not policy.enabled:
        return Curation(policy)
    from bot.feedback.database import Database, DatabaseError, FolderError

    try:
        database = Database(settings.bot_database_url)
    except FolderError as exc:
        LOGGER.warning("recording for the curator report is off: %s", exc)
        return Curation(Policy(enabled=False))
    except DatabaseError as exc:
        raise SettingsError(str(exc)) from None
    try:
        if database.is_sqlite:
            database.upgrade()
        else:
            database.check()
    except DatabaseError as exc:
        raise SettingsError(str(exc)) from None
    except Exception as exc:
        LOGGER.warning("the feedback database cannot be reached: %s", type(exc).__name__)
    recorder = Recorder(database, settings.bot_retention_days)
    return Curation(policy, recorder)


async def serving(curation: Curation, work: Awaitable[T]) -> T:
    """Run `work` with the curation's writer going; what is queued is written at the end."""
    curation.start()
    try:
        return await work
    finally:
        await curation.close()

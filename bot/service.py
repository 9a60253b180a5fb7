"""One answering service for every surface, without platform types.

The adapters turn a platform event into a `Question` (its text, its conversation key,
today's date) and call this service; it counts the question against the per-user limit,
loads the conversation's state, runs the engine off the event loop within a deadline,
saves the new state, and keeps what is kept of each reply: the metrics, one log line
without any text at INFO, the curator's record and the person's last question for the
"ask the experts" form. What is rendered and how it is delivered stays in the adapters.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sized
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from bot import metrics
from bot.conversation.store import ConversationMemory, ConversationStore, conversation_store
from bot.cooldown import Cooldown, Verdict
from bot.engine import Engine, default_engine
from bot.feedback.curation import Curation
from bot.feedback.expert import RecentQuestions
from bot.logs import log_failure, log_reply
from bot.plans.setting import plan_of
from bot.reply import Question, Reply, Surface

if TYPE_CHECKING:
    from bot.settings import Settings
    from bot.store import StateStore

T = TypeVar("T")


def engine_for(settings: Settings) -> Engine:
    """The engine a server runs: the disclosure, the tax year, the company's articles and
    link hosts, and the plan profile that `settings` name."""
    return default_engine(
        settings.disclosure,
        settings.bot_tax_year,
        settings.bot_knowledge_dir,
        link_hosts=settings.link_hosts,
        plan=plan_of(settings),
    )


def conversations_for(settings: Settings, store: StateStore) -> ConversationStore:
    """Where a server keeps its conversations: in `store` when it is shared (BOT_REDIS_URL),
    so every replica and shard goes on from the same turn; else in process, bounded."""
    return conversation_store(
        bool(settings.bot_redis_url),
        store,
        settings.bot_conversation_ttl_minutes,
        settings.bot_conversations_max,
    )


# The engine answers in well under a millisecond; one that takes this long is stuck.
# Slack and Discord both want an answer within 3 seconds.
ANSWER_SECONDS = 2.0


@dataclass(kw_only=True)
class AnsweringService:
    """The engine behind a surface named `surface` ("slack", "discord").

    `cooldown` is the per-user limit and `conversations` where the states live between
    turns. `curation` records each reply for the curator report, and `recent` keeps a
    person's last question in memory (timed by `clock`) where `keeps_question` says so.
    """

    engine: Engine
    surface: Surface
    cooldown: Cooldown
    conversations: ConversationStore = field(default_factory=ConversationMemory)
    answer_seconds: float = ANSWER_SECONDS
    curation: Curation = field(default_factory=Curation)
    recent: RecentQuestions = field(default_factory=RecentQuestions)
    # How long a person's last question is kept for the experts' form (not the limits,
    # which the store times).
    clock: Callable[[], float] = time.monotonic

    @property
    def logger(self) -> logging.Logger:
        return logging.getLogger(f"401k-bot.{self.surface}")

    async def limit(self, who: str) -> Verdict:
        """Count one question from `who` (an id the surface chooses) against the limit."""
        verdict = await self.cooldown.check(f"{self.surface}:{who}")
        if not verdict.allowed:
            metrics.rate_limited(self.surface)
        return verdict

    async def turn(self, question: Question) -> Reply | None:
        """The engine's reply to `question`; None (logged) when answering failed.

        A question with a conversation key is answered with that conversation's state,
        and the new state is saved once the reply is made; one without is answered alone.
        """
        key = question.conversation
        if key is None:
            return await self.run(lambda: self.engine.answer(question))
        state = await self.conversations.get(key)
        turn = await self.run(lambda: self.engine.converse(question, state))
        if turn is None:
            return None
        await self.conversations.put(key, turn.state)
        if isinstance(self.conversations, Sized):
            # Only an in-process store knows its size; Redis holds the shared ones.
            metrics.conversations_held(len(self.conversations))
        return turn.reply

    async def run(self, make: Callable[[], T]) -> T | None:
        """What `make` returns, worked out off the event loop; None when it raised or
        had not finished within `answer_seconds` (the failure is logged)."""
        try:
            return await asyncio.wait_for(asyncio.to_thread(make), self.answer_seconds)
        except Exception as exc:
            self.failed(exc)
            return None

    def failed(self, error: BaseException) -> None:
        """Log an answer that could not be made; an apology goes out instead."""
        log_failure("answer_failed", self.surface, code=type(error).__name__, level=logging.ERROR)
        # What was asked can be in the error, so the traceback is kept to DEBUG.
        self.logger.debug("answering failed", exc_info=error)

    async def in_conversation(self, key: str) -> bool:
        """Whether conversation `key` is live: the bot answered in it and it has not expired."""
        return await self.conversations.get(key) is not None

    def keeps_question(self, question: Question) -> bool:
        """Whether `question`'s text is kept in `recent` for the experts' form."""
        return True

    def record(self, question: Question, reply: Reply) -> None:
        """Queue `reply` for the curator report (never waited for), and keep the question
        for the experts' form where the surface offers one."""
        self.curation.answered(question, reply)
        if self.keeps_question(question):
            self.recent.put(question.user_id, question.channel_id, question.text, self.clock())

    def produced(self, reply: Reply | None, started: float) -> None:
        """Count a reply ready to send, `started` (perf_counter) being when the question
        arrived; None is an apology."""
        kind, topic = (reply.kind, reply.topic) if reply is not None else ("fallback", None)
        metrics.answer(self.surface, kind, topic, time.perf_counter() - started)

    def delivered(
        self,
        reply: Reply | None,
        started: float,
        question: Question | None = None,
        **fields: object,
    ) -> None:
        """A reply the platform accepted: counted, logged in one line (`fields` must hold
        no user text) and, when it answers `question`, recorded."""
        elapsed = time.perf_counter() - started
        metrics.delivered(self.surface, elapsed)
        if reply is None:
            return
        log_reply(self.surface, reply, elapsed * 1000, **fields)
        if question is not None:
            self.record(question, reply)

"""Answering on Discord without Discord types: cooldown, replies in flight, logging, apology."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sized
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from bot import metrics
from bot.conversation.store import ConversationMemory, ConversationStore
from bot.cooldown import Cooldown, Verdict, slow_down_text
from bot.discord_bot import failures
from bot.engine import Engine, Turn
from bot.feedback.curation import Curation
from bot.feedback.expert import RecentQuestions
from bot.logs import log_reply
from bot.render.discord import DiscordMessage, notice, to_message
from bot.reply import Question, Reply

LOGGER = logging.getLogger("401k-bot.discord")

APOLOGY = "Sorry, something went wrong while answering that. Please try again in a moment."
# An interaction must be answered within 3 seconds of being sent; the engine answers in
# well under a millisecond, so one that has not answered by now is stuck.
ANSWER_SECONDS = 2.0

Send = Callable[[DiscordMessage], Awaitable[object]]


class Inflight:
    """The replies being worked on, so a shutdown can stop new work and wait for the rest."""

    def __init__(self) -> None:
        self.accepting = True
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def count(self) -> int:
        return self._count

    @asynccontextmanager
    async def track(self) -> AsyncIterator[None]:
        self._count += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._count -= 1
            if self._count == 0:
                self._idle.set()

    async def wait_idle(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the replies in flight; True when none is left."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def drain(self, timeout: float) -> bool:
        """Stop taking new work, then wait for the replies in flight like `wait_idle`."""
        self.accepting = False
        return await self.wait_idle(timeout)


@dataclass
class Answers:
    """The engine behind every Discord entry point; `titles` labels topic buttons and
    `curation` records each reply sent for the curator report. `recent` keeps each
    person's last question in a server, in memory, to fill the "Ask a moderator" form."""

    engine: Engine
    disclosure: str
    cooldown: Cooldown
    titles: Callable[[], Mapping[str, str]] = dict
    inflight: Inflight = field(default_factory=Inflight)
    conversations: ConversationStore = field(default_factory=ConversationMemory)
    answer_seconds: float = ANSWER_SECONDS
    curation: Curation = field(default_factory=Curation)
    recent: RecentQuestions = field(default_factory=RecentQuestions)
    # How long a person's last question is kept for the moderator form.
    clock: Callable[[], float] = time.monotonic

    async def check(self, user_id: str) -> Verdict:
        """Count one question from `user_id` against the cooldown, on every shard at once.

        Discord user ids are global, so the limit is per person, not per server.
        """
        verdict = await self.cooldown.check(f"discord:{user_id}")
        if not verdict.allowed:
            metrics.rate_limited("discord")
        return verdict

    def slow_down(self, verdict: Verdict) -> DiscordMessage:
        return notice(slow_down_text(verdict, self.cooldown), self.disclosure)

    def apology(self) -> DiscordMessage:
        return notice(APOLOGY, self.disclosure)

    def problem(self, text: str) -> DiscordMessage:
        """Input that cannot be used, said plainly; nothing is calculated."""
        return notice(text, self.disclosure, title="Please check your input")

    async def respond(self, question: Question, send: Send, **fields: object) -> None:
        """Answer `question` through `send` and log one line; `fields` must hold no user text.

        A question with a conversation id is answered with that conversation's state,
        and the new state is kept once the reply is made.
        """
        key = question.conversation
        if key is None:
            await self.deliver(lambda: self.engine.answer(question), send, question, **fields)
            return
        state = await self.conversations.get(key)
        turns: list[Turn] = []

        def make() -> Reply:
            turn = self.engine.converse(question, state)
            turns.append(turn)
            return turn.reply

        await self.deliver(make, send, question, **fields)
        if turns:
            await self.conversations.put(key, turns[0].state)
            if isinstance(self.conversations, Sized):
                # Only an in-process store knows its size; Redis holds the shared ones.
                metrics.conversations_held(len(self.conversations))

    async def deliver(
        self,
        make: Callable[[], Reply],
        send: Send,
        question: Question | None = None,
        **fields: object,
    ) -> None:
        """Send what `make` builds and log the reply once sent.

        `make` runs off the event loop; if it raises or has not finished within
        `answer_seconds`, an apology is sent instead. A reply to `question` is recorded
        for the curator report once sent (queued, never waited for).
        """
        started = time.perf_counter()
        async with self.inflight.track():
            reply: Reply | None
            try:
                reply = await asyncio.wait_for(asyncio.to_thread(make), self.answer_seconds)
                message = to_message(
                    reply, self.titles(), feedback=self.curation.enabled, expert=True
                )
            except Exception as exc:
                # The traceback may quote what was typed, so it is kept to DEBUG.
                failures.answer_failed(exc)
                LOGGER.debug("answering failed", exc_info=True)
                reply, message = None, self.apology()
            kind, topic = (reply.kind, reply.topic) if reply else ("fallback", None)
            metrics.answer("discord", kind, topic, time.perf_counter() - started)
            try:
                await send(message)
            except Exception as exc:
                failures.reply_lost(exc)
                LOGGER.debug("sending a reply failed", exc_info=True)
                return
            metrics.delivered("discord", time.perf_counter() - started)
        if reply is not None:
            log_reply("discord", reply, (time.perf_counter() - started) * 1000, **fields)
            if question is not None:
                self.curation.answered(question, reply)
                if not question.is_dm:
                    self.recent.put(
                        question.user_id, question.channel_id, question.text, self.clock()
                    )

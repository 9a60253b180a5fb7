"""Answering on Discord without Discord types: replies in flight, the apology, delivery."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from bot.cooldown import Verdict, slow_down_text
from bot.discord_bot import failures
from bot.render.discord import DiscordMessage, notice, to_message
from bot.reply import Question, Reply, Surface
from bot.service import AnsweringService

LOGGER = logging.getLogger("401k-bot.discord")

APOLOGY = "Sorry, something went wrong while answering that. Please try again in a moment."

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


@dataclass(kw_only=True)
class Answers(AnsweringService):
    """The service behind every Discord entry point; `titles` labels topic buttons.

    A person's last question in a server is kept to fill the "Ask a moderator" form.
    """

    surface: Surface = "discord"
    disclosure: str
    titles: Callable[[], Mapping[str, str]] = dict
    inflight: Inflight = field(default_factory=Inflight)

    async def check(self, user_id: str) -> Verdict:
        """Count one question from `user_id` against the cooldown, on every shard at once.

        Discord user ids are global, so the limit is per person, not per server.
        """
        return await self.limit(user_id)

    def keeps_question(self, question: Question) -> bool:
        return not question.is_dm

    def slow_down(self, verdict: Verdict) -> DiscordMessage:
        return notice(slow_down_text(verdict, self.cooldown), self.disclosure)

    def apology(self) -> DiscordMessage:
        return notice(APOLOGY, self.disclosure)

    def problem(self, text: str) -> DiscordMessage:
        """Input that cannot be used, said plainly; nothing is calculated."""
        return notice(text, self.disclosure, title="Please check your input")

    async def respond(self, question: Question, send: Send, **fields: object) -> None:
        """Answer `question` through `send` and log one line; `fields` must hold no user text.

        A question with a conversation key is answered with that conversation's state.
        """
        await self._answer(lambda: self.turn(question), send, question, **fields)

    async def deliver(
        self,
        make: Callable[[], Reply],
        send: Send,
        question: Question | None = None,
        **fields: object,
    ) -> None:
        """Send what `make` builds (off the event loop) and log the reply once sent."""
        await self._answer(lambda: self.run(make), send, question, **fields)

    async def _answer(
        self,
        answer: Callable[[], Awaitable[Reply | None]],
        send: Send,
        question: Question | None,
        **fields: object,
    ) -> None:
        """Send the reply `answer` gives, or an apology when answering failed.

        A reply to `question` is recorded for the curator report once sent (queued,
        never waited for).
        """
        started = time.perf_counter()
        async with self.inflight.track():
            reply = await answer()
            message = self.apology()
            if reply is not None:
                try:
                    message = to_message(
                        reply, self.titles(), feedback=self.curation.enabled, expert=True
                    )
                except Exception as exc:
                    self.failed(exc)
                    reply = None
            self.produced(reply, started)
            try:
                await send(message)
            except Exception as exc:
                failures.reply_lost(exc)
                LOGGER.debug("sending a reply failed", exc_info=True)
                return
            self.delivered(reply, started, question, **fields)

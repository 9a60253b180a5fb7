"""Where conversation states live between turns: a protocol, and the in-process default.

The engine never stores anything; the answering service reads a state before a turn and
writes the new one after it. States expire `ttl` seconds after their last turn. In
process, at most `max_items` are held (the oldest goes first), so memory stays bounded
however many people talk; `SharedConversations` keeps them in the shared state store
(Redis with BOT_REDIS_URL), so a conversation continues on whichever replica gets the
next message.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from bot.conversation.state import ConversationState

if TYPE_CHECKING:
    from bot.store import StateStore

DEFAULT_TTL_MINUTES = 30
DEFAULT_MAX = 10_000


class ConversationStore(Protocol):
    """get / put by conversation key id; a missing or expired state is None."""

    async def get(self, key: str) -> ConversationState | None: ...

    async def put(self, key: str, state: ConversationState) -> None: ...


class ConversationMemory:
    """States in this process: bounded, expiring, the clock passed in for tests."""

    def __init__(
        self,
        ttl_seconds: float = DEFAULT_TTL_MINUTES * 60,
        max_items: int = DEFAULT_MAX,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if ttl_seconds <= 0 or max_items < 1:
            raise ValueError("a conversation store needs ttl_seconds > 0 and max_items >= 1")
        self.ttl_seconds = ttl_seconds
        self.max_items = max_items
        self._clock = clock
        self._states: OrderedDict[str, tuple[float, ConversationState]] = OrderedDict()

    def load(self, key: str) -> ConversationState | None:
        found = self._states.get(key)
        if found is None:
            return None
        expires, state = found
        if self._clock() >= expires:
            del self._states[key]
            return None
        return state

    def save(self, key: str, state: ConversationState) -> None:
        now = self._clock()
        self._states[key] = (now + self.ttl_seconds, state)
        self._states.move_to_end(key)
        while self._states:
            oldest, (expires, _) = next(iter(self._states.items()))
            if len(self._states) <= self.max_items and expires > now:
                break
            del self._states[oldest]

    async def get(self, key: str) -> ConversationState | None:
        return self.load(key)

    async def put(self, key: str, state: ConversationState) -> None:
        self.save(key, state)

    def __len__(self) -> int:
        return len(self._states)


class SharedConversations:
    """States as JSON in a `StateStore`, under `conversation:<id>`, for `ttl_seconds`.

    Every put renews the expiry. A store that cannot be reached finds nothing and drops
    the write, so the conversation starts afresh instead of the reply failing.
    """

    def __init__(self, store: StateStore, ttl_seconds: float = DEFAULT_TTL_MINUTES * 60) -> None:
        if ttl_seconds <= 0:
            raise ValueError("a conversation store needs ttl_seconds > 0")
        self.store = store
        self.ttl_seconds = ttl_seconds

    @staticmethod
    def key(conversation: str) -> str:
        return f"conversation:{conversation}"

    async def get(self, key: str) -> ConversationState | None:
        raw = await self.store.get(self.key(key))
        return None if raw is None else ConversationState.from_json(raw)

    async def put(self, key: str, state: ConversationState) -> None:
        await self.store.put(self.key(key), state.to_json().encode(), self.ttl_seconds)


def conversation_store(
    shared: bool, store: StateStore, ttl_minutes: float, max_items: int
) -> ConversationStore:
    """Where a bot keeps its conversations: the shared store when there is one
    (BOT_REDIS_URL), so every replica and shard goes on from the same turn; else in process."""
    if shared:
        return SharedConversations(store, ttl_minutes * 60)
    return ConversationMemory(ttl_minutes * 60, max_items)

"""Conversation states in the shared store: exact numbers back, an expiry, a rest when down."""

from __future__ import annotations

from decimal import Decimal

from bot.conversation import ConversationState, Pending
from bot.conversation.store import SharedConversations
from bot.numbers import Numbers
from bot.store.memory import MemoryStore
from bot.store.redis import RedisStore
from tests.fakes.redis import RedisServer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_state_put_by_one_process_is_read_by_another(redis_server: RedisServer) -> None:
    """Every slot and the pending question survive, the cents of a Decimal included."""
    state = ConversationState(
        slots=Numbers(deferrals=Decimal("23500.50"), employer=Decimal("6200")),
        calculator="after-tax-room",
        topic="after-tax-room",
        pending=Pending(calculator="after-tax-room"),
        last="clarify",
        turns=2,
    )
    writer = SharedConversations(RedisStore.from_url(redis_server.url), ttl_seconds=1800)
    reader = SharedConversations(RedisStore.from_url(redis_server.url), ttl_seconds=1800)

    assert await reader.get("discord:-:C1:-:U1") is None
    await writer.put("discord:-:C1:-:U1", state)

    assert await reader.get("discord:-:C1:-:U1") == state
    assert redis_server.stored_keys() == ["401k-bot:conversation:discord:-:C1:-:U1"]
    await writer.store.aclose()
    await reader.store.aclose()


async def test_a_state_expires_ttl_seconds_after_its_last_turn() -> None:
    clock = Clock()
    conversations = SharedConversations(MemoryStore(clock=clock), ttl_seconds=30 * 60)
    await conversations.put("k", ConversationState(topic="mega-backdoor-roth"))
    clock.now += 29 * 60
    await conversations.put("k", ConversationState(topic="roth-401k-basics"))
    clock.now += 29 * 60
    assert await conversations.get("k") == ConversationState(topic="roth-401k-basics")
    clock.now += 2 * 60
    assert await conversations.get("k") is None


async def test_an_unreachable_store_starts_the_conversation_afresh(
    own_redis: RedisServer,
) -> None:
    conversations = SharedConversations(RedisStore.from_url(own_redis.url), ttl_seconds=60)
    await conversations.put("k", ConversationState(topic="mega-backdoor-roth"))
    own_redis.stop()

    await conversations.put("k", ConversationState(topic="roth-401k-basics"))
    assert await conversations.get("k") is None
    await conversations.store.aclose()

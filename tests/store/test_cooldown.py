"""The per-user limit: at most `rate` questions in any `per` seconds, then how long to wait."""

from __future__ import annotations

import pytest

from bot.cooldown import Cooldown
from bot.store.memory import MemoryStore


class Clock:
    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def test_cooldown_allows_rate_questions_per_window_then_says_how_long_to_wait() -> None:
    """Five questions pass; the sixth waits until the first leaves the 10-second window."""
    clock = Clock()
    cooldown = Cooldown(5, 10, MemoryStore(clock=clock))
    for second in range(5):
        clock.now = 100 + second
        assert (await cooldown.check("sam")).allowed

    clock.now = 106
    refused = await cooldown.check("sam")

    assert not refused.allowed
    assert refused.retry_after == pytest.approx(4)
    assert refused.first_refusal
    clock.now = 107
    assert not (await cooldown.check("sam")).first_refusal
    assert (await cooldown.check("alex")).allowed, "each user has their own window"
    clock.now = 110
    assert (await cooldown.check("sam")).allowed


async def test_a_refusal_after_a_new_window_is_told_again() -> None:
    """Once a question was allowed again, the next burst past the limit is told once more."""
    clock = Clock()
    cooldown = Cooldown(1, 10, MemoryStore(clock=clock))
    assert (await cooldown.check("sam")).allowed
    assert (await cooldown.check("sam")).first_refusal
    clock.now += 10
    assert (await cooldown.check("sam")).allowed
    assert (await cooldown.check("sam")).first_refusal


async def test_cooldown_forgets_users_who_went_quiet() -> None:
    """Memory stays bounded by the users active in the last window."""
    clock = Clock(0)
    store = MemoryStore(clock=clock)
    cooldown = Cooldown(5, 10, store)
    for user in range(1000):
        await cooldown.check(str(user))

    clock.now = 30
    await cooldown.check("late")

    assert len(store) == 1


def test_a_cooldown_needs_a_positive_rate_and_window() -> None:
    with pytest.raises(ValueError, match="rate"):
        Cooldown(0, 10)

"""A per-user limit on questions, shared by every surface: at most `rate` in any `per` seconds."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store import StateStore, StoreUnavailable
from bot.store.memory import MemoryStore


@dataclass(frozen=True)
class Verdict:
    """Whether a question may be answered now; when not, how long to wait.

    `first_refusal` is true for the first refusal in a burst, so a surface that cannot
    answer privately warns once rather than on every message.
    """

    allowed: bool
    retry_after: float = 0.0
    first_refusal: bool = False


class Cooldown:
    """A sliding window per key, counted in `store` so every replica shares it.

    Keys are the callers' (`slack:T0001:U0001`); a store that cannot be reached allows.
    """

    def __init__(self, rate: int, per: float, store: StateStore | None = None) -> None:
        if rate < 1 or per <= 0:
            raise ValueError("a cooldown needs rate >= 1 and per > 0")
        self.rate = rate
        self.per = per
        self.store: StateStore = store if store is not None else MemoryStore()

    async def check(self, key: str) -> Verdict:
        """Count one question from `key` now if the window has room."""
        wait = await self.store.hit_or_wait(f"rate:{key}", self.rate, self.per)
        if wait <= 0:
            return Verdict(allowed=True)
        try:
            # Told once until a question is allowed again, on whichever replica.
            first = await self.store.add_if_absent(f"told:{key}", wait)
        except StoreUnavailable:
            first = True
        return Verdict(allowed=False, retry_after=wait, first_refusal=first)


def slow_down_text(verdict: Verdict, cooldown: Cooldown) -> str:
    """What a person told to wait reads: the limit, and how many seconds are left."""
    seconds = max(1, round(verdict.retry_after))
    unit = "second" if seconds == 1 else "seconds"
    return (
        f"You're asking faster than I can keep up with ({cooldown.rate} questions "
        f"every {cooldown.per:g} seconds). Try again in {seconds} {unit}."
    )

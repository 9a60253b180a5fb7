"""A per-user limit on questions, shared by every surface: at most `rate` in any `per` seconds."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass


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
    """A sliding window per key; the clock is passed in, so tests need no sleeping."""

    def __init__(self, rate: int, per: float) -> None:
        if rate < 1 or per <= 0:
            raise ValueError("a cooldown needs rate >= 1 and per > 0")
        self.rate = rate
        self.per = per
        self._hits: dict[str, deque[float]] = {}
        self._refused: set[str] = set()
        self._pruned_at = 0.0

    def check(self, key: str, now: float) -> Verdict:
        """Count one question from `key` at `now` if the window has room."""
        self._prune(now)
        hits = self._hits.setdefault(key, deque())
        while hits and now - hits[0] >= self.per:
            hits.popleft()
        if len(hits) < self.rate:
            hits.append(now)
            self._refused.discard(key)
            return Verdict(allowed=True)
        first = key not in self._refused
        self._refused.add(key)
        return Verdict(allowed=False, retry_after=self.per - (now - hits[0]), first_refusal=first)

    def __len__(self) -> int:
        return len(self._hits)

    def _prune(self, now: float) -> None:
        """Forget users whose last question left the window, at most once per window."""
        if now - self._pruned_at < self.per:
            return
        self._pruned_at = now
        stale = [key for key, hits in self._hits.items() if not hits or now - hits[-1] >= self.per]
        for key in stale:
            del self._hits[key]
            self._refused.discard(key)


def slow_down_text(verdict: Verdict, cooldown: Cooldown) -> str:
    """What a person told to wait reads: the limit, and how many seconds are left."""
    seconds = max(1, round(verdict.retry_after))
    unit = "second" if seconds == 1 else "seconds"
    return (
        f"You're asking faster than I can keep up with ({cooldown.rate} questions "
        f"every {cooldown.per:g} seconds). Try again in {seconds} {unit}."
    )

"""Prometheus metrics of the Slack and Discord processes, and the calls that count them.

Nothing here imports prometheus_client until `enable()` runs, so any module may call
these functions: until a process enables metrics (the Slack HTTP server and the
Discord process do), every call does nothing. No label ever carries a user id, a
channel id or anything typed: only the surface, the kind of reply, the topic id, the
API method, the error code and the store's backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info

PREFIX = "bot401k"

# Engine answers take well under a millisecond; a reply reaching the platform takes
# tens to hundreds of milliseconds; both adapters give up at 2 s and must answer by 3 s.
ENGINE_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0)
PLATFORM_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)

NO_TOPIC = "none"


@dataclass(frozen=True)
class Metrics:
    """The collectors of one process, in their own registry."""

    registry: CollectorRegistry
    answers: Counter
    engine_seconds: Histogram
    reply_seconds: Histogram
    ack_seconds: Histogram
    platform_errors: Counter
    replies_lost: Counter
    rate_limited: Counter
    conversations: Gauge
    store_errors: Counter
    build: Info


_current: Metrics | None = None


def enable(surface: str, version: str, tax_years: Sequence[int], articles: int) -> Metrics:
    """Start counting in this process, with the build's facts; returns the collectors."""
    global _current
    from prometheus_client import (
        GC_COLLECTOR,
        PLATFORM_COLLECTOR,
        PROCESS_COLLECTOR,
        CollectorRegistry,
        Counter,
        Gauge,
        Histogram,
        Info,
    )

    registry = CollectorRegistry(auto_describe=True)
    for collector in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
        registry.register(collector)

    def name(suffix: str) -> str:
        return f"{PREFIX}_{suffix}"

    metrics = Metrics(
        registry=registry,
        answers=Counter(
            name("answers"),
            "Replies the engine produced, by surface, kind and topic.",
            ["surface", "kind", "topic"],
            registry=registry,
        ),
        engine_seconds=Histogram(
            name("engine_seconds"),
            "Seconds from a question reaching the bot to its reply being ready.",
            ["surface"],
            buckets=ENGINE_BUCKETS,
            registry=registry,
        ),
        reply_seconds=Histogram(
            name("reply_seconds"),
            "Seconds from a question reaching the bot to the platform accepting the reply.",
            ["surface"],
            buckets=PLATFORM_BUCKETS,
            registry=registry,
        ),
        ack_seconds=Histogram(
            name("slack_ack_seconds"),
            "Seconds Slack's HTTP requests waited for their acknowledgement.",
            buckets=PLATFORM_BUCKETS,
            registry=registry,
        ),
        platform_errors=Counter(
            name("platform_errors"),
            "Calls to the Slack or Discord API that failed, by method and error code.",
            ["surface", "method", "code"],
            registry=registry,
        ),
        replies_lost=Counter(
            name("replies_lost"),
            "Replies that never reached the person who asked.",
            ["surface"],
            registry=registry,
        ),
        rate_limited=Counter(
            name("rate_limited"),
            "Questions refused because the asker was over the per-user limit.",
            ["surface"],
            registry=registry,
        ),
        conversations=Gauge(
            name("conversations_held"),
            "Conversation states held for people mid-conversation.",
            registry=registry,
        ),
        store_errors=Counter(
            name("store_errors"),
            "Failed calls to a state store, by backend.",
            ["backend"],
            registry=registry,
        ),
        build=Info(
            name("build"),
            "The running build: version, surface, tax years with figures, articles loaded.",
            registry=registry,
        ),
    )
    metrics.build.info(
        {
            "version": version,
            "surface": surface,
            "tax_years": ",".join(str(year) for year in sorted(tax_years)),
            "articles": str(articles),
        }
    )
    _current = metrics
    return metrics


def disable() -> None:
    """Stop counting; every call does nothing again."""
    global _current
    _current = None


def exposition() -> tuple[bytes, str]:
    """The metrics in the Prometheus text format, and its content type (empty when off)."""
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    body = b"" if _current is None else generate_latest(_current.registry)
    return body, CONTENT_TYPE_LATEST


def answer(surface: str, kind: str, topic: str | None, engine_seconds: float) -> None:
    """One reply produced, and how long it took to be ready."""
    if _current is not None:
        _current.answers.labels(surface, kind, topic or NO_TOPIC).inc()
        _current.engine_seconds.labels(surface).observe(engine_seconds)


def delivered(surface: str, seconds: float) -> None:
    """A reply the platform accepted, `seconds` after the question reached the bot."""
    if _current is not None:
        _current.reply_seconds.labels(surface).observe(seconds)


def slack_ack(seconds: float) -> None:
    """One Slack HTTP request acknowledged after `seconds`."""
    if _current is not None:
        _current.ack_seconds.observe(seconds)


def platform_error(surface: str, method: str, code: str) -> None:
    """A failed API call: `method` a name such as chat.postMessage, `code` Slack's or HTTP's."""
    if _current is not None:
        _current.platform_errors.labels(surface, method, code).inc()


def reply_lost(surface: str) -> None:
    """A reply given up on: it will not reach the person who asked."""
    if _current is not None:
        _current.replies_lost.labels(surface).inc()


def rate_limited(surface: str) -> None:
    """A question refused by the per-user limit."""
    if _current is not None:
        _current.rate_limited.labels(surface).inc()


def conversations_held(count: int) -> None:
    """How many conversation states the process holds now."""
    if _current is not None:
        _current.conversations.set(count)


def store_error(backend: str) -> None:
    """A failed call to the state store `backend` ("redis", "sqlite", "postgres", ...)."""
    if _current is not None:
        _current.store_errors.labels(backend).inc()

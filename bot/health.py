"""Liveness, readiness and metrics over HTTP, for the Slack server and the Discord process.

`/healthz` says the process is alive, so it stays cheap: at most it pings the shared
store, to say `degraded` (still 200) while the bot answers without it. `/readyz` is
200 only when every readiness check passes (the token accepted, the knowledge base
loaded, the configured store answered) and 503 otherwise, naming the checks that
failed. `/metrics` is the Prometheus text format. None of the three
is written to the access log.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from aiohttp.web_log import AccessLogger

from bot import metrics

LOGGER = logging.getLogger("401k-bot.health")

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"
PROBE_PATHS = frozenset({HEALTH_PATH, READY_PATH, METRICS_PATH})
# A Kubernetes probe times out after 2 seconds; a check slower than this counts as failed.
CHECK_SECONDS = 1.0

Check = Callable[[], bool | Awaitable[bool]]


async def passes(check: Check) -> bool:
    """Whether `check` passes now: true within CHECK_SECONDS, without raising."""
    try:
        result = check()
        if inspect.isawaitable(result):
            result = await asyncio.wait_for(result, CHECK_SECONDS)
    except Exception as exc:
        LOGGER.debug("a readiness check failed: %s", type(exc).__name__)
        return False
    return bool(result)


class Readiness:
    """Named checks that must all pass for the process to take traffic.

    A check is a callable returning a bool or an awaitable of one (a store's `ping`);
    `once` adds one that, having passed, counts as passed from then on.
    """

    def __init__(self) -> None:
        self._checks: dict[str, Check] = {}
        self._flags: dict[str, bool] = {}

    def add(self, name: str, check: Check) -> None:
        self._checks[name] = check

    def once(self, name: str, check: Check) -> None:
        """Add `check` until it first passes; from then on it counts as passed."""
        self._flags[name] = False

        async def until_passed() -> bool:
            if not self._flags[name]:
                self._flags[name] = await passes(check)
            return self._flags[name]

        self.add(name, until_passed)

    async def failing(self) -> list[str]:
        """The names of the checks that do not pass now, each given CHECK_SECONDS."""
        names = list(self._checks)
        results = await asyncio.gather(*(passes(self._checks[name]) for name in names))
        return [name for name, passed in zip(names, results, strict=True) if not passed]


def add_routes(
    application: web.Application, readiness: Readiness, *, degraded_unless: Check | None = None
) -> None:
    """Serve /healthz, /readyz and /metrics from `application`.

    `/healthz` says `degraded` while `degraded_unless` (the shared store's ping) fails.
    """

    async def health(_: web.Request) -> web.Response:
        if degraded_unless is not None and not await passes(degraded_unless):
            return web.Response(text="degraded: shared state unreachable")
        return web.Response(text="ok")

    async def ready(_: web.Request) -> web.Response:
        failing = await readiness.failing()
        if failing:
            return web.Response(status=503, text="not ready: " + ", ".join(failing))
        return web.Response(text="ready")

    async def scrape(_: web.Request) -> web.Response:
        body, content_type = metrics.exposition()
        return web.Response(body=body, headers={"Content-Type": content_type})

    application.router.add_get(HEALTH_PATH, health)
    application.router.add_get(READY_PATH, ready)
    application.router.add_get(METRICS_PATH, scrape)


class QuietAccessLogger(AccessLogger):
    """aiohttp's access log without the probes and scrapes, which come every few seconds."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        if request.path not in PROBE_PATHS:
            super().log(request, response, time)


def runner_for(application: web.Application, **options: Any) -> web.AppRunner:
    """An AppRunner for `application` whose access log leaves out the probes."""
    return web.AppRunner(application, access_log_class=QuietAccessLogger, **options)

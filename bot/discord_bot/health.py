"""The Discord process's health server: /healthz, /readyz and /metrics on DISCORD_HEALTH_PORT."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from bot import __version__, metrics
from bot.discord_bot.client import DiscordBot
from bot.discord_bot.topics import articles_of
from bot.health import Readiness, add_routes, runner_for
from bot.settings import SettingsError


def readiness_for(bot: DiscordBot) -> Readiness:
    """Ready while every shard of this process is connected and the bot takes questions.

    The store counts until it first answers, as on Slack: a later outage leaves the
    bot answering without shared state, and `/healthz` says degraded.
    """
    readiness = Readiness()
    readiness.add("gateway", lambda: bot.gateway.ready)
    readiness.add("accepting", lambda: bot.answers.inflight.accepting)
    readiness.add("knowledge", lambda: bool(bot.answers.titles()))
    readiness.once("store", bot.answers.cooldown.store.ping)
    return readiness


@asynccontextmanager
async def serving(bot: DiscordBot, host: str, port: int) -> AsyncIterator[Readiness]:
    """Count metrics and serve the health endpoints on `host:port` while in the block."""
    engine = bot.answers.engine
    metrics.enable("discord", __version__, engine.limits.years, len(articles_of(engine)))
    readiness = readiness_for(bot)
    application = web.Application()
    add_routes(application, readiness, degraded_unless=bot.answers.cooldown.store.ping)
    runner = runner_for(application, shutdown_timeout=0.5)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as exc:
        await runner.cleanup()
        raise SettingsError(
            f"DISCORD_HEALTH_PORT: cannot listen on {host}:{port}: {exc.strerror}"
        ) from None
    try:
        yield readiness
    finally:
        await runner.cleanup()

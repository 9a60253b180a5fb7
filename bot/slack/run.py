"""Running the Slack app in Socket Mode or HTTP mode, and stopping it cleanly on SIGTERM.

On SIGTERM or SIGINT the app stops taking new work (closes the socket or the
listening port), lets replies in flight finish, closes its connections and returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.access_log import QuietProbes
from bot.settings import SettingsError
from bot.slack.answering import Answerer
from bot.slack.app import build_app
from bot.slack.config import Credentials

LOGGER = logging.getLogger("401k-bot.slack")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
# Kubernetes and Docker wait 10 seconds after SIGTERM before killing.
SHUTDOWN_SECONDS = 8.0


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)


async def _finish_in_flight(deadline: float) -> None:
    """Wait for listener tasks still sending replies, cancelling any left at `deadline`."""
    loop = asyncio.get_running_loop()
    current = asyncio.current_task()
    pending = [task for task in asyncio.all_tasks() if task is not current]
    if not pending:
        return
    _, late = await asyncio.wait(pending, timeout=max(0.0, deadline - loop.time()))
    for task in late:
        task.cancel()
    if late:
        LOGGER.warning("cancelled %d unfinished tasks at shutdown", len(late))
        await asyncio.wait(late, timeout=0.5)


async def _reachable() -> bool:
    return True


def web_app(app: AsyncApp, ping: Callable[[], Awaitable[bool]] = _reachable) -> web.Application:
    """The aiohttp application for HTTP mode: Slack's requests and a health check.

    The health check stays 200 when the shared store (`ping`) is down, since the bot
    still answers; its body says `degraded`.
    """

    async def events(request: web.Request) -> web.Response:
        response = await app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    async def health(_: web.Request) -> web.Response:
        return web.Response(text="ok" if await ping() else "degraded: shared state unreachable")

    application = web.Application()
    application.router.add_post(EVENTS_PATH, events)
    application.router.add_get(HEALTH_PATH, health)
    application.router.add_get(READY_PATH, health)
    return application


async def serve_http(answerer: Answerer, creds: Credentials, host: str, port: int) -> None:
    """Serve HTTP mode on `host:port` until SIGTERM or SIGINT."""
    stop = asyncio.Event()
    _stop_on_signals(stop)
    async with aiohttp.ClientSession() as session:
        client = AsyncWebClient(token=creds.bot_token, base_url=creds.api_url, session=session)
        app = build_app(answerer, client=client, signing_secret=creds.signing_secret)
        runner = web.AppRunner(
            web_app(app, answerer.store.ping),
            shutdown_timeout=SHUTDOWN_SECONDS / 2,
            access_log_class=QuietProbes,
        )
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            raise SettingsError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
        LOGGER.info("serving Slack requests", extra={"fields": {"host": host, "port": port}})
        await stop.wait()
        LOGGER.info("stopping: finishing replies in flight")
        deadline = asyncio.get_running_loop().time() + SHUTDOWN_SECONDS
        await runner.cleanup()
        await _finish_in_flight(deadline)
    await answerer.store.aclose()
    LOGGER.info("stopped")


async def serve_socket(answerer: Answerer, creds: Credentials) -> None:
    """Connect over Socket Mode and answer until SIGTERM or SIGINT."""
    stop = asyncio.Event()
    _stop_on_signals(stop)
    async with aiohttp.ClientSession() as session:
        client = AsyncWebClient(token=creds.bot_token, base_url=creds.api_url, session=session)
        app = build_app(answerer, client=client, signing_secret=None)
        handler = AsyncSocketModeHandler(app, creds.app_token, web_client=client)
        connecting = asyncio.ensure_future(handler.connect_async())  # type: ignore[no-untyped-call]
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({connecting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        try:
            if connecting.done():
                _raise_for_connect(connecting)
                LOGGER.info("connected to Slack over Socket Mode")
                await stopping
            LOGGER.info("stopping: finishing replies in flight")
        finally:
            deadline = asyncio.get_running_loop().time() + SHUTDOWN_SECONDS
            connecting.cancel()
            stopping.cancel()
            with contextlib.suppress(Exception):
                await handler.close_async()  # type: ignore[no-untyped-call]
            await _finish_in_flight(deadline)
    await answerer.store.aclose()
    LOGGER.info("stopped")


def _raise_for_connect(connecting: asyncio.Future[None]) -> None:
    error = connecting.exception()
    if isinstance(error, SlackApiError):
        code = error.response.get("error", "an error")
        raise SettingsError(f"SLACK_APP_TOKEN was refused by Slack ({code})") from None
    if error is not None:
        raise error

"""Running the Slack app in Socket Mode or HTTP mode, and stopping it cleanly on SIGTERM.

On SIGTERM or SIGINT the app stops taking new work (closes the socket or the
listening port), lets replies in flight finish, closes its connections and returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import __version__, metrics
from bot.health import Readiness, add_routes, runner_for
from bot.logs import log_failure
from bot.settings import SettingsError
from bot.slack import failures
from bot.slack.answering import Answerer
from bot.slack.app import build_app
from bot.slack.config import Credentials

LOGGER = logging.getLogger("401k-bot.slack")

EVENTS_PATH = "/slack/events"
# The readiness flag set once Slack accepts the bot token.
TOKEN_CHECK = "slack_token"
TOKEN_RETRY_SECONDS = 10.0
# Slack's answers to auth.test that no retry will change.
TOKEN_REFUSED = frozenset({"invalid_auth", "not_authed", "account_inactive", "token_revoked"})
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
        log_failure("shutdown_cancelled", "slack", count=len(late))
        await asyncio.wait(late, timeout=0.5)


def web_app(app: AsyncApp, readiness: Readiness) -> web.Application:
    """The aiohttp application for HTTP mode: Slack's requests, health, readiness, metrics."""

    async def events(request: web.Request) -> web.Response:
        started = time.perf_counter()
        response = await app.async_dispatch(await to_bolt_request(request))
        metrics.slack_ack(time.perf_counter() - started)
        return await to_aiohttp_response(response)

    application = web.Application()
    application.router.add_post(EVENTS_PATH, events)
    add_routes(application, readiness)
    return application


def readiness_for(answerer: Answerer) -> Readiness:
    """Ready once the token check passed and while the knowledge base has articles."""
    readiness = Readiness()
    readiness.flag(TOKEN_CHECK)
    readiness.add("knowledge", lambda: bool(answerer.articles))
    return readiness


async def check_token(client: AsyncWebClient, readiness: Readiness) -> None:
    """Set the token-check flag once Slack accepts the token; retry while Slack is away."""
    while True:
        try:
            await client.auth_test()
        except (SlackApiError, aiohttp.ClientError, OSError, TimeoutError) as exc:
            _, code = failures.api_error(exc)
            metrics.platform_error("slack", "auth.test", code)
            log_failure("token_check_failed", "slack", method="auth.test", code=code)
            if code in TOKEN_REFUSED:
                return
            await asyncio.sleep(TOKEN_RETRY_SECONDS)
        else:
            readiness.set(TOKEN_CHECK)
            return


async def serve_http(answerer: Answerer, creds: Credentials, host: str, port: int) -> None:
    """Serve HTTP mode on `host:port` until SIGTERM or SIGINT."""
    stop = asyncio.Event()
    _stop_on_signals(stop)
    async with aiohttp.ClientSession() as session:
        client = AsyncWebClient(token=creds.bot_token, base_url=creds.api_url, session=session)
        app = build_app(answerer, client=client, signing_secret=creds.signing_secret)
        readiness = readiness_for(answerer)
        metrics.enable("slack", __version__, answerer.engine.limits.years, len(answerer.articles))
        runner = runner_for(web_app(app, readiness), shutdown_timeout=SHUTDOWN_SECONDS / 2)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            raise SettingsError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
        LOGGER.info("serving Slack requests", extra={"fields": {"host": host, "port": port}})
        token_check = asyncio.create_task(check_token(client, readiness))
        await stop.wait()
        LOGGER.info("stopping: finishing replies in flight")
        token_check.cancel()
        deadline = asyncio.get_running_loop().time() + SHUTDOWN_SECONDS
        await runner.cleanup()
        await _finish_in_flight(deadline)
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
    LOGGER.info("stopped")


def _raise_for_connect(connecting: asyncio.Future[None]) -> None:
    error = connecting.exception()
    if isinstance(error, SlackApiError):
        code = error.response.get("error", "an error")
        raise SettingsError(f"SLACK_APP_TOKEN was refused by Slack ({code})") from None
    if error is not None:
        raise error

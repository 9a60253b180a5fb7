"""Running the Slack app in Socket Mode or HTTP mode, and stopping it cleanly on SIGTERM.

At start the bot token is checked with `auth.test`: a refused token stops the start
with one line, and HTTP mode's `/readyz` answers 503 until the check has passed. On
SIGTERM or SIGINT the app stops taking new work (closes the socket or the listening
port), lets replies in flight finish, closes its connections and returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot import __version__, metrics
from bot.health import Check, Readiness, add_routes, runner_for
from bot.logs import log_failure
from bot.settings import SettingsError
from bot.slack.answering import Answerer
from bot.slack.app import build_app
from bot.slack.config import Credentials
from bot.slack.delivery import error_code
from bot.slack.signature import Gate

LOGGER = logging.getLogger("401k-bot.slack")

EVENTS_PATH = "/slack/events"
# The readiness check that passes once Slack accepted the bot token.
TOKEN_READY = "slack_token"
# Kubernetes and Docker wait 10 seconds after SIGTERM before killing.
SHUTDOWN_SECONDS = 8.0


@dataclass
class TokenCheck:
    """The start-up `auth.test`: `passed` once Slack accepted the bot token, and its team."""

    passed: bool = False
    team_id: str | None = None


async def check_token(creds: Credentials, session: aiohttp.ClientSession) -> dict[str, Any]:
    """`auth.test` for the bot token; SettingsError in one line if Slack refuses it.

    A 429 waits as long as Slack's Retry-After asks and a 5xx backs off, a few times
    each, so a busy moment at start is not mistaken for a revoked token.
    """
    client = AsyncWebClient(
        token=creds.bot_token,
        base_url=creds.api_url,
        session=session,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=5),
            AsyncServerErrorRetryHandler(max_retry_count=3),
        ],
    )
    try:
        response = await client.auth_test()
    except SlackApiError as exc:
        status = exc.response.status_code
        if status == 429 or status >= 500:
            raise SettingsError(
                f"Slack did not answer the SLACK_BOT_TOKEN check (HTTP {status}); try again"
            ) from None
        raise SettingsError(f"SLACK_BOT_TOKEN was refused by Slack ({error_code(exc)})") from None
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise SettingsError(
            f"cannot reach Slack at {creds.api_url} to check SLACK_BOT_TOKEN ({type(exc).__name__})"
        ) from None
    return dict(response.data) if isinstance(response.data, dict) else {}


async def _checked_unless_stopped(
    creds: Credentials, session: aiohttp.ClientSession, check: TokenCheck, stop: asyncio.Event
) -> bool:
    """Check the token; False if SIGTERM came first, SettingsError if it was refused."""
    checking = asyncio.ensure_future(check_token(creds, session))
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({checking, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if not checking.done():
        checking.cancel()
        return False
    identity = checking.result()
    check.team_id = identity.get("team_id")
    check.passed = True
    LOGGER.info("Slack accepted the bot token")
    return True


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


def web_app(
    app: AsyncApp, signing_secret: str, readiness: Readiness, store: Check | None = None
) -> web.Application:
    """The aiohttp application for HTTP mode: Slack's requests, health, readiness, metrics.

    A request is checked against `signing_secret` over its raw bytes before anything
    parses it: an unsigned one gets 401 whatever its body, and a signed body that does
    not parse gets 400. `/readyz` is 503 until every check of `readiness` passes;
    `/healthz` stays 200, with `degraded` in its body while `store` fails.
    """
    gate = Gate(signing_secret)

    async def events(request: web.Request) -> web.Response:
        started = time.perf_counter()
        body = await request.read()
        if not gate.admits(body, request.headers):
            return web.Response(status=401, text="invalid request signature")
        try:
            bolt_request = await to_bolt_request(request)
        except (ValueError, AttributeError, TypeError):
            LOGGER.warning(
                "a signed request had a body that does not parse",
                extra={"fields": {"event": "malformed_request", "surface": "slack"}},
            )
            return web.Response(status=400, text="malformed body")
        response = await app.async_dispatch(bolt_request)
        metrics.slack_ack(time.perf_counter() - started)
        return await to_aiohttp_response(response)

    application = web.Application()
    application.router.add_post(EVENTS_PATH, events)
    add_routes(application, readiness, degraded_unless=store)
    return application


def readiness_for(answerer: Answerer, check: TokenCheck) -> Readiness:
    """Ready once Slack accepted the token and the store first answered, while articles load.

    The store counts only until it first answers: an outage later leaves the replicas
    answering without shared state (`/healthz` says degraded), so it must not take them
    all out of the Service at once.
    """
    readiness = Readiness()
    readiness.add(TOKEN_READY, lambda: check.passed)
    readiness.add("knowledge", lambda: bool(answerer.articles))
    readiness.once("store", answerer.store.ping)
    return readiness


async def serve_http(answerer: Answerer, creds: Credentials, host: str, port: int) -> None:
    """Serve HTTP mode on `host:port` until SIGTERM or SIGINT."""
    stop = asyncio.Event()
    _stop_on_signals(stop)
    check = TokenCheck()
    async with aiohttp.ClientSession() as session:
        client = AsyncWebClient(token=creds.bot_token, base_url=creds.api_url, session=session)
        secret = creds.signing_secret or ""
        app = build_app(
            answerer, client=client, signing_secret=secret, allowed_teams=creds.allowed_teams
        )
        readiness = readiness_for(answerer, check)
        metrics.enable("slack", __version__, answerer.engine.limits.years, len(answerer.articles))
        runner = runner_for(
            web_app(app, secret, readiness, answerer.store.ping),
            shutdown_timeout=SHUTDOWN_SECONDS / 2,
        )
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            raise SettingsError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
        LOGGER.info("serving Slack requests", extra={"fields": {"host": host, "port": port}})
        try:
            if await _checked_unless_stopped(creds, session, check, stop):
                await stop.wait()
        except SettingsError:
            await runner.cleanup()
            raise
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
        if not await _checked_unless_stopped(creds, session, TokenCheck(), stop):
            LOGGER.info("stopped")
            return
        app = build_app(
            answerer, client=client, signing_secret=None, allowed_teams=creds.allowed_teams
        )
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
        raise SettingsError(f"SLACK_APP_TOKEN was refused by Slack ({error_code(error)})") from None
    if error is not None:
        raise error

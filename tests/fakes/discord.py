"""A fake Discord on 127.0.0.1 that records every request, and a real client pointed at it.

The fake serves the REST API (`/api/v10/...`) and a gateway WebSocket (`/gateway`) from
its own thread, so both in-process tests and the real `401k-bot` process in a subprocess
can talk to it. Payload fixtures are raw gateway payloads, fed to the client's own
parsers the way the gateway would.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import re
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import WSMsgType, web
from discord.http import Route

from bot.discord_bot import runner
from bot.discord_bot.client import DiscordBot
from bot.engine import Engine
from bot.settings import Settings
from bot.store.memory import MemoryStore

PAYLOADS = Path(__file__).parents[1] / "discord" / "payloads"
TOKEN = "fake-discord-token"
APP_ID = "1100000000000000001"
BOT_ID = "1100000000000000002"
BOT_USER = {
    "id": BOT_ID,
    "username": "401k-bot",
    "discriminator": "0",
    "global_name": "401k bot",
    "avatar": None,
    "bot": True,
}
_JSON = {"Content-Type": "application/json"}

GUILD = "900000000000000001"
BOT_ROLE = "900000000000000099"
# The invite's permissions and Add Reactions: View Channel, Send Messages, Embed Links,
# Read Message History, Send Messages in Threads, Add Reactions.
BOT_PERMISSIONS = 1024 | 2048 | 16384 | 65536 | 274877906944 | 64
SEND_MESSAGES, EMBED_LINKS, READ_MESSAGE_HISTORY = 2048, 16384, 65536
MISSING_PERMISSIONS, CANNOT_DM = 50013, 50007


@dataclass
class Refusal:
    """An error the fake answers with, the way Discord does, for `times` requests (None: all).

    A 429 carries `retry_after` seconds.
    """

    method: str
    pattern: str
    status: int
    code: int = 0
    retry_after: float | None = None
    times: int | None = None


@dataclass
class Request:
    """One request the fake received; `done` turns true once its response went out."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    done: bool = False


@dataclass
class FakeDiscord:
    """Discord's REST API and gateway, recording what the bot sends.

    `delays` holds (method, path pattern, seconds) rules that hold a response back, to
    keep a reply in flight; `gateway_ops` records the opcodes the client sent and
    `identified` the IDENTIFY payloads; `reject_token` answers login with a 401.
    `refusals` answer matching requests with an error; `registered` holds the commands
    last put, by path, and is what a GET of that path returns.
    """

    host: str = "127.0.0.1"
    port: int = 0
    requests: list[Request] = field(default_factory=list)
    gateway_ops: list[int] = field(default_factory=list)
    identified: list[dict[str, Any]] = field(default_factory=list)
    reject_token: bool = False
    delays: list[tuple[str, str, float]] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    registered: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1_200_000_000_000_000_000))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _loop: asyncio.AbstractEventLoop | None = None
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _sequence: Iterator[int] = field(default_factory=lambda: itertools.count(2))

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/gateway"

    # Running in a thread

    def start(self) -> None:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the fake Discord did not start")

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)
            self._thread.join(10)

    def _serve(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._stopping = asyncio.Event()

        async def main() -> None:
            app = web.Application()
            app.router.add_get("/gateway", self._gateway)
            app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
            app_runner = web.AppRunner(app, access_log=None)
            await app_runner.setup()
            site = web.TCPSite(app_runner, self.host, 0)
            await site.start()
            self.port = app_runner.addresses[0][1]
            ready.set()
            await self._stopping.wait()
            for ws in list(self._sockets):
                await ws.close()
            await app_runner.cleanup()

        loop.run_until_complete(main())
        loop.close()

    # What tests look at

    def calls(self, method: str, pattern: str) -> list[Request]:
        """Requests whose method matches and whose path matches `pattern` (a regex)."""
        with self._lock:
            return [
                r for r in self.requests if r.method == method and re.fullmatch(pattern, r.path)
            ]

    def replies(self) -> list[Request]:
        """Everything the bot sent as a message: interaction responses and channel messages."""
        with self._lock:
            return [
                r
                for r in self.requests
                if r.method == "POST"
                and (r.path.endswith("/callback") or re.fullmatch(r"channels/\d+/messages", r.path))
            ]

    async def wait_for(
        self, method: str, pattern: str, count: int = 1, timeout: float = 5.0
    ) -> list[Request]:
        """The first `count` matching requests, waiting up to `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.calls(method, pattern)
            if len(found) >= count:
                return found
            await asyncio.sleep(0.01)
        raise AssertionError(f"no {method} {pattern} within {timeout}s; got {self.requests}")

    def wait_until(self, condition: Callable[[], object], timeout: float = 15.0) -> None:
        """Block until `condition()` is true, for tests that drive a subprocess."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.02)
        raise AssertionError(f"timed out after {timeout}s; requests: {self.requests}")

    def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway event to every connected client."""
        assert self._loop is not None
        asyncio.run_coroutine_threadsafe(self._dispatch(event, data), self._loop).result(5)

    async def _dispatch(self, event: str, data: dict[str, Any]) -> None:
        message = {"op": 0, "t": event, "s": next(self._sequence), "d": data}
        for ws in list(self._sockets):
            await ws.send_str(json.dumps(message))

    # The REST API

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        body: Any = None
        if request.can_read_body:
            raw = await request.read()
            body = json.loads(raw) if raw else None
        recorded = Request(request.method, path, dict(request.query), body)
        with self._lock:
            self.requests.append(recorded)
        for method, pattern, seconds in self.delays:
            if method == request.method and re.fullmatch(pattern, path):
                await asyncio.wait([asyncio.ensure_future(self._stopping.wait())], timeout=seconds)
        refused = self._refused(request.method, path)
        status, data = refused or self._answer(request.method, path, body)
        recorded.done = True
        if data is None:
            return web.Response(status=status)
        return web.Response(status=status, body=json.dumps(data).encode(), headers=_JSON)

    def _refused(self, method: str, path: str) -> tuple[int, Any] | None:
        with self._lock:
            for rule in self.refusals:
                if rule.method != method or not re.fullmatch(rule.pattern, path):
                    continue
                if rule.times is not None:
                    if rule.times <= 0:
                        continue
                    rule.times -= 1
                if rule.status == 429:
                    limited = {"message": "You are being rate limited.", "global": False}
                    return 429, {**limited, "retry_after": rule.retry_after or 1.0}
                return rule.status, {"message": f"{rule.status}: refused", "code": rule.code}
        return None

    def _answer(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        if method == "GET" and path == "users/@me":
            if self.reject_token:
                return 401, {"message": "401: Unauthorized", "code": 0}
            return 200, BOT_USER
        if method == "GET" and path == "oauth2/applications/@me":
            return 200, _application()
        if method == "GET" and path == "gateway/bot":
            limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
            return 200, {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}
        if method == "PUT" and re.fullmatch(r"applications/\d+(/guilds/\d+)?/commands", path):
            # Discord fills in what a command left unset.
            unset = {"description": "", "default_member_permissions": None, "nsfw": False}
            commands = [
                {
                    **unset,
                    **command,
                    "id": str(next(self._ids)),
                    "application_id": APP_ID,
                    "version": "1",
                }
                for command in body
            ]
            with self._lock:
                self.registered[path] = commands
            return 200, commands
        if method == "GET" and re.fullmatch(r"applications/\d+(/guilds/\d+)?/commands", path):
            with self._lock:
                return 200, self.registered.get(path, [])
        if method == "POST" and path == "users/@me/channels":
            return 200, {"id": DM_OF_ASKER, "type": 1, "recipients": [ASKER], "flags": 0}
        if method == "PUT" and re.fullmatch(r"channels/\d+/messages/\d+/reactions/[^/]+/@me", path):
            return 204, None
        if method == "POST" and re.fullmatch(r"interactions/\d+/[^/]+/callback", path):
            interaction_id = path.split("/")[1]
            flags = (body.get("data") or {}).get("flags", 0)
            return 200, {
                "interaction": {
                    "id": interaction_id,
                    "type": body["type"],
                    "response_message_id": str(next(self._ids)),
                    "response_message_loading": False,
                    "response_message_ephemeral": bool(flags & 64),
                }
            }
        if method == "POST" and re.fullmatch(r"channels/\d+/messages", path):
            return 200, self.message(path.split("/")[1], body)
        if method == "DELETE" and re.fullmatch(r"channels/\d+/messages/\d+", path):
            return 204, None
        return 404, {"message": "Unknown route", "code": 0}

    def message(self, channel_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """A message the bot sent, as Discord returns it."""
        return {
            "id": str(next(self._ids)),
            "channel_id": channel_id,
            "type": 19 if body.get("message_reference") else 0,
            "author": BOT_USER,
            "content": body.get("content") or "",
            "timestamp": "2026-06-01T12:00:00.000000+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "flags": body.get("flags", 0),
        }

    # The gateway

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45000}}))
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            with self._lock:
                self.gateway_ops.append(payload["op"])
            if payload["op"] == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif payload["op"] == 2:
                with self._lock:
                    self.identified.append(payload["d"])
                shard = payload["d"].get("shard", [0, 1])
                ready = {
                    "v": 10,
                    "user": BOT_USER,
                    "guilds": [],
                    "session_id": "fake-session",
                    "resume_gateway_url": self.gateway_url,
                    "shard": shard,
                    "application": {"id": APP_ID, "flags": 0},
                }
                await ws.send_str(json.dumps({"op": 0, "t": "READY", "s": 1, "d": ready}))
        self._sockets.remove(ws)
        return ws


DM_OF_ASKER = "900000000000000021"
ASKER = {
    "id": "800000000000000001",
    "username": "sam",
    "discriminator": "0",
    "global_name": "Sam",
    "avatar": None,
}


def guild_create(channels: list[dict[str, Any]], threads: list[dict[str, Any]]) -> dict[str, Any]:
    """A GUILD_CREATE for the test server: @everyone, the bot's managed role, the bot member."""
    everyone = {"id": GUILD, "name": "@everyone", "permissions": str(BOT_PERMISSIONS)}
    managed = {
        "id": BOT_ROLE,
        "name": "401k-bot",
        "permissions": str(BOT_PERMISSIONS),
        "managed": True,
        "tags": {"bot_id": BOT_ID},
    }
    roles = [
        {"color": 0, "hoist": False, "position": i, "mentionable": False, "flags": 0, **r}
        for i, r in enumerate([everyone, managed])
    ]
    return {
        "id": GUILD,
        "name": "Benefits talk",
        "icon": None,
        "owner_id": "800000000000000009",
        "roles": roles,
        "emojis": [],
        "stickers": [],
        "features": [],
        "member_count": 3,
        "large": False,
        "unavailable": False,
        "joined_at": "2025-01-01T00:00:00.000000+00:00",
        "members": [
            {
                "user": BOT_USER,
                "roles": [BOT_ROLE],
                "joined_at": "2025-01-01T00:00:00.000000+00:00",
                "deaf": False,
                "mute": False,
                "flags": 0,
            }
        ],
        "channels": channels,
        "threads": threads,
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "nsfw_level": 0,
    }


def text_channel(channel_id: str, name: str, deny: int = 0) -> dict[str, Any]:
    """A text channel of the test server; `deny` is taken from @everyone there."""
    overwrites = [{"id": GUILD, "type": 0, "allow": "0", "deny": str(deny)}] if deny else []
    return {
        "id": channel_id,
        "type": 0,
        "guild_id": GUILD,
        "name": name,
        "position": 0,
        "permission_overwrites": overwrites,
        "nsfw": False,
        "parent_id": None,
        "rate_limit_per_user": 0,
        "topic": None,
        "last_message_id": None,
        "flags": 0,
    }


def thread(thread_id: str, parent_id: str, *, locked: bool = False) -> dict[str, Any]:
    return {
        "id": thread_id,
        "type": 11,
        "guild_id": GUILD,
        "parent_id": parent_id,
        "owner_id": ASKER["id"],
        "name": "a question",
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 1,
        "member_count": 1,
        "flags": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": "2026-06-01T12:00:00.000000+00:00",
            "locked": locked,
        },
    }


def _application() -> dict[str, Any]:
    return {
        "id": APP_ID,
        "name": "401k-bot",
        "description": "401(k) answers",
        "icon": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": {**BOT_USER, "id": "1100000000000000009", "bot": False},
        "verify_key": "0" * 64,
        "flags": 0,
    }


def payload(name: str, **changes: Any) -> dict[str, Any]:
    """A fixture from payloads/, with top-level keys replaced by `changes`."""
    data = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    data.update(copy.deepcopy(changes))
    return data


_OPTION_TYPES = {"public": 5, "year": 4, "age": 4, "deferrals": 4, "employer": 4, "salary": 4}


@dataclass
class Harness:
    """A real client and command tree logged in against the fake, and ways to drive it."""

    fake: FakeDiscord
    bot: DiscordBot
    now: float = 1000.0

    payload = staticmethod(payload)

    def command(self, name: str, **options: Any) -> dict[str, Any]:
        """The `name` slash-command fixture with exactly `options`."""
        data = payload(name)
        data["data"]["options"] = [
            {"name": key, "type": _OPTION_TYPES.get(key, 3), "value": value}
            for key, value in options.items()
        ]
        return data

    def interact(self, data: dict[str, Any]) -> None:
        """An INTERACTION_CREATE from the gateway."""
        self.bot.client._connection.parsers["INTERACTION_CREATE"](data)

    def message(self, data: dict[str, Any]) -> None:
        """A MESSAGE_CREATE from the gateway."""
        self.bot.client._connection.parsers["MESSAGE_CREATE"](data)

    def guild(self, data: dict[str, Any]) -> None:
        """A GUILD_CREATE from the gateway: the server, its channels and roles are cached."""
        self.bot.client._connection.parsers["GUILD_CREATE"](data)

    async def settle(self, seconds: float = 0.3) -> None:
        """Let handlers run, then wait for replies in flight."""
        await asyncio.sleep(seconds)
        assert await self.bot.answers.inflight.wait_idle(5)

    async def callback(self, timeout: float = 5.0) -> Request:
        """The one interaction response the bot sent."""
        [response] = await self.fake.wait_for("POST", r"interactions/\d+/[^/]+/callback")
        await self.settle(0.05)
        assert len(self.fake.replies()) == 1, self.fake.replies()
        return response


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    server = FakeDiscord()
    server.start()
    yield server
    server.stop()


def settings(**values: Any) -> Settings:
    return Settings(discord_token=TOKEN, **values)


async def logged_in(fake: FakeDiscord, engine: Engine | None = None, **values: Any) -> Harness:
    """The bot built from `values` (settings) around `engine`, logged in to the fake."""
    harness = Harness(fake, runner.build(settings(**values), engine))
    harness.bot.answers.cooldown.store = MemoryStore(clock=lambda: harness.now)
    await harness.bot.client.login(TOKEN)
    return harness


@pytest.fixture
async def discord_bot(fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Harness]:
    """The bot built from default settings, logged in; no gateway connection is needed."""
    monkeypatch.setattr(Route, "BASE", fake.api_url)
    harness = await logged_in(fake)
    yield harness
    await harness.bot.client.close()


@pytest.fixture
async def discord_bot_with(
    fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Callable[..., Awaitable[Harness]]]:
    """Build the bot around a given engine and settings: `await discord_bot_with(engine, ...)`."""
    monkeypatch.setattr(Route, "BASE", fake.api_url)
    built: list[Harness] = []

    async def make(engine: Engine | None = None, **values: Any) -> Harness:
        built.append(await logged_in(fake, engine, **values))
        return built[-1]

    yield make
    for harness in built:
        await harness.bot.client.close()

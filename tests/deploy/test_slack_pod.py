"""The Slack Deployment's container, run as a local process: its probes and its shutdown.

The process gets the Deployment's arguments and the environment its pods get (the
ConfigMap and the example Secret), listens on 127.0.0.1 and reaches only a fake Slack,
which accepts its token at start.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakes.redis import RedisServer


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def find(resources: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    (found,) = [doc for doc in resources if doc["kind"] == kind]
    return found


@pytest.fixture
def container(resources: list[dict[str, Any]]) -> dict[str, Any]:
    """The Slack Deployment's one container."""
    deployment = find(resources, "Deployment")
    (only,) = deployment["spec"]["template"]["spec"]["containers"]
    return only


def pod_environment(resources: list[dict[str, Any]], container: dict[str, Any]) -> dict[str, str]:
    """The variables a Slack pod starts with, from envFrom and env."""
    config_maps = {
        doc["metadata"]["name"]: doc["data"] for doc in resources if doc["kind"] == "ConfigMap"
    }
    secret = find(resources, "Secret")
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        env.update(config_maps[source["configMapRef"]["name"]])
    for entry in container.get("env", []):
        ref = entry.get("valueFrom", {}).get("secretKeyRef")
        env[entry["name"]] = secret["stringData"][ref["key"]] if ref else entry["value"]
    return env


@pytest.fixture
def pod(
    resources: list[dict[str, Any]],
    container: dict[str, Any],
    setting_names: set[str],
    fake_slack: Any,
    redis_server: RedisServer,
) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """`401k-bot` started with the container's arguments, on a free loopback port.

    The Secret's BOT_REDIS_URL names a managed Redis; a throwaway real one stands in.
    """
    port = free_port()
    args = list(container["args"])
    args[args.index("--host") + 1] = "127.0.0.1"
    args[args.index("--port") + 1] = str(port)
    env = {k: v for k, v in os.environ.items() if k not in setting_names}
    env.update(pod_environment(resources, container))
    env["SLACK_API_URL"] = fake_slack.api_url
    env["BOT_REDIS_URL"] = redis_server.url
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        yield process, port
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            status: int = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status


def wait_until_ready(process: subprocess.Popen[str], url: str, within: float) -> int:
    """The first 200 from `url`, else its last status once `within` seconds are up."""
    deadline = time.monotonic() + within
    status: int | None = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the bot exited with {process.returncode}: {process.stderr.read()}")
        try:
            status = get(url)
        except (urllib.error.URLError, ConnectionError):
            status = None
        if status == 200:
            return status
        time.sleep(0.1)
    if status is None:
        pytest.fail(f"{url} did not answer within {within} seconds")
    return status


def test_the_probe_path_answers_and_sigterm_stops_the_pod_in_its_grace_period(
    pod: tuple[subprocess.Popen[str], int],
    container: dict[str, Any],
    resources: list[dict[str, Any]],
) -> None:
    """The probes get 200; on SIGTERM the process exits 0 before Kubernetes would kill it."""
    process, port = pod
    probes = [container[name]["httpGet"] for name in ("livenessProbe", "readinessProbe")]
    for probe in probes:
        url = f"http://127.0.0.1:{port}{probe['path']}"
        assert wait_until_ready(process, url, within=20) == 200, probe["path"]

    grace = find(resources, "Deployment")["spec"]["template"]["spec"][
        "terminationGracePeriodSeconds"
    ]
    pause = int(container["lifecycle"]["preStop"]["exec"]["command"][1])
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=grace - pause) == 0
    assert time.monotonic() - started < grace - pause

    _, stderr = process.communicate(timeout=5)
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines, "the bot logged nothing"
    for line in lines:
        record = json.loads(line)  # LOG_FORMAT=json from the ConfigMap
        assert "xoxb-" not in line, "a token reached the log"
        assert record["level"]

"""The pods' Prometheus annotations point at the port and path where /metrics is served."""

from __future__ import annotations

from typing import Any

import pytest

from bot.health import METRICS_PATH
from bot.settings import Settings


def pod_template(resources: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    [found] = [r for r in resources if r["kind"] == kind and r["metadata"]["name"] == name]
    template: dict[str, Any] = found["spec"]["template"]
    return template


def listening_port(container: dict[str, Any], default: int) -> int:
    """The port the bot's own arguments or environment make it serve /metrics on."""
    args = container.get("args", [])
    if "--port" in args:
        return int(args[args.index("--port") + 1])
    for variable in container.get("env", []):
        if variable["name"] == "DISCORD_HEALTH_PORT":
            return int(variable["value"])
    return default


@pytest.mark.parametrize(
    ("kind", "name", "default"),
    [
        ("Deployment", "slack-bot", 3000),
        ("StatefulSet", "discord-bot", Settings().discord_health_port),
    ],
)
def test_each_pod_is_scraped_where_it_serves_metrics(
    resources: list[dict[str, Any]], kind: str, name: str, default: int
) -> None:
    """prometheus.io/scrape, /port and /path match the process's own port and /metrics."""
    template = pod_template(resources, kind, name)
    annotations = template["metadata"]["annotations"]
    [container] = template["spec"]["containers"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert annotations["prometheus.io/path"] == METRICS_PATH
    assert int(annotations["prometheus.io/port"]) == listening_port(container, default)

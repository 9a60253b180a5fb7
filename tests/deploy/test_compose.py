"""deploy/compose.yaml: Slack and Discord from one image, configured from .env."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE_DIR = REPO / "deploy"


TOKENS = {"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_TOKEN"}
# The tokens each service's adapter reads; every other token is blanked for it.
OWN_TOKENS = {
    "slack": {"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"},
    "slack-http": {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"},
    "discord": {"DISCORD_TOKEN"},
}


def option(args: list[str], flag: str) -> str:
    return args[args.index(flag) + 1]


def bots(compose: dict[str, Any]) -> dict[str, Any]:
    """The services that run the bot's image (all but `redis`)."""
    return {name: service for name, service in compose["services"].items() if name != "redis"}


def test_slack_and_discord_services_run_their_adapters(compose: dict[str, Any]) -> None:
    """`slack` runs Socket Mode and `discord` the Discord adapter, both by default."""
    services = compose["services"]
    assert services["slack"]["command"] == ["slack"]
    assert services["discord"]["command"] == ["discord"]
    assert "profiles" not in services["slack"]
    assert "profiles" not in services["discord"]


def test_every_service_builds_the_repository_dockerfile(compose: dict[str, Any]) -> None:
    """The build context is the repository root and the Dockerfile is deploy/Dockerfile."""
    for name, service in bots(compose).items():
        context = (COMPOSE_DIR / service["build"]["context"]).resolve()
        assert context == REPO, name
        assert (context / service["build"]["dockerfile"]).is_file(), name


def test_settings_come_from_the_repository_env_file(
    compose: dict[str, Any], setting_names: set[str]
) -> None:
    """Each service reads .env at the repository root, which git ignores."""
    for name, service in bots(compose).items():
        files = [(COMPOSE_DIR / entry).resolve() for entry in service["env_file"]]
        assert files == [REPO / ".env"], name
        environment = service.get("environment", {})
        assert set(environment) <= setting_names, name
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".env" in ignored


def test_services_run_as_the_image_user_with_a_read_only_root(compose: dict[str, Any]) -> None:
    """The same non-root user as the Dockerfile, and nothing writable but /tmp."""
    dockerfile = (REPO / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    (image_user,) = re.findall(r"^USER (\S+)$", dockerfile, flags=re.MULTILINE)
    for name, service in bots(compose).items():
        assert service["user"] == image_user, name
        assert service["read_only"] is True, name
        assert service["tmpfs"] == ["/tmp"], name
        assert service["cap_drop"] == ["ALL"], name


def test_services_get_time_to_shut_down(compose: dict[str, Any]) -> None:
    """Compose waits longer than the adapters' 10-second shutdown before it kills them."""
    for name, service in bots(compose).items():
        grace = re.fullmatch(r"(\d+)s", service["stop_grace_period"])
        assert grace, name
        assert int(grace[1]) > 10, name


def test_http_mode_health_check_uses_the_kubernetes_probe(compose: dict[str, Any]) -> None:
    """The HTTP-mode service checks the same path and port as the Kubernetes probes."""
    service = compose["services"]["slack-http"]
    assert service["profiles"] == ["http"]
    command = service["command"]
    port = option(command, "--port")
    assert command[:2] == ["slack", "--http"]
    assert service["ports"] == [f"127.0.0.1:{port}:{port}"], "published on loopback only"
    check = " ".join(service["healthcheck"]["test"])
    (deployment,) = [
        doc
        for doc in yaml.safe_load_all((REPO / "deploy/k8s/slack-deployment.yaml").read_text())
        if doc
    ]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    probe_path = container["livenessProbe"]["httpGet"]["path"]
    assert f"http://127.0.0.1:{port}{probe_path}" in check
    assert option(container["args"], "--port") == port


def test_each_service_sees_only_its_own_tokens(compose: dict[str, Any]) -> None:
    """.env holds every token; each service blanks those its adapter does not use."""
    assert set(bots(compose)) == set(OWN_TOKENS)
    for name, service in bots(compose).items():
        blanked = {key for key, value in service.get("environment", {}).items() if value == ""}
        assert blanked == TOKENS - OWN_TOKENS[name], name


def test_redis_is_optional_private_and_keeps_nothing(compose: dict[str, Any]) -> None:
    """`--profile redis` starts it; no port is published and nothing is written to disk."""
    redis = compose["services"]["redis"]
    assert redis["profiles"] == ["redis"]
    assert "ports" not in redis
    command = redis["command"]
    assert command[0] == "redis-server"
    assert option(command, "--save") == ""
    assert option(command, "--appendonly") == "no"
    assert option(command, "--maxmemory-policy") == "volatile-ttl", "every key has a TTL"
    assert redis["read_only"] is True
    assert redis["cap_drop"] == ["ALL"]
    header = (COMPOSE_DIR / "compose.yaml").read_text(encoding="utf-8")
    assert "BOT_REDIS_URL=redis://redis:6379/0" in header

"""The deployment fixes for more than one replica, each checked in the manifests and the image.

Figures come from running the image (README, Deployment): the worst shutdown measured
is 8.5 s (a stuck reply), and the adapters bound theirs at 10 s.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import aiohttp
import kubernetes_validate
import pytest
import yaml
from aiohttp import web

from bot.health import runner_for

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "k8s"
DOCKERFILE = (REPO / "deploy" / "Dockerfile").read_text(encoding="utf-8")
WORST_SHUTDOWN_SECONDS = 8.5
SHUTDOWN_BOUND_SECONDS = 10


def of_kind(resources: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [doc for doc in resources if doc["kind"] == kind]


def workload(resources: list[dict[str, Any]], component: str) -> dict[str, Any]:
    (found,) = [
        doc
        for doc in resources
        if doc["kind"] in ("Deployment", "StatefulSet")
        and doc["metadata"]["labels"]["app.kubernetes.io/component"] == component
    ]
    return found


def container(doc: dict[str, Any]) -> dict[str, Any]:
    (only,) = doc["spec"]["template"]["spec"]["containers"]
    return only


def selects(selector: dict[str, Any], doc: dict[str, Any]) -> bool:
    labels = doc["spec"]["template"]["metadata"]["labels"]
    return bool(selector.get("matchLabels", {}).items() <= labels.items())


def test_the_autoscaled_deployment_leaves_the_replica_count_to_the_hpa(
    resources: list[dict[str, Any]],
) -> None:
    """An apply would otherwise reset the HPA's count to the manifest's."""
    (hpa,) = of_kind(resources, "HorizontalPodAutoscaler")
    (deployment,) = [
        doc
        for doc in of_kind(resources, "Deployment")
        if doc["metadata"]["name"] == hpa["spec"]["scaleTargetRef"]["name"]
    ]
    assert "replicas" not in deployment["spec"]
    assert hpa["spec"]["minReplicas"] >= 2


@pytest.mark.parametrize("component", ["slack", "discord"])
def test_every_workload_has_a_disruption_budget_of_one_at_a_time_or_a_share(
    resources: list[dict[str, Any]], component: str
) -> None:
    target = workload(resources, component)
    (pdb,) = [
        p
        for p in of_kind(resources, "PodDisruptionBudget")
        if selects(p["spec"]["selector"], target)
    ]
    allowed = str(pdb["spec"]["maxUnavailable"])
    assert allowed == "1" or re.fullmatch(r"[1-4]?\d%", allowed), allowed
    if component == "slack":
        assert allowed.endswith("%"), "the Slack replica count changes with the HPA"


@pytest.mark.parametrize("component", ["slack", "discord"])
def test_pods_spread_across_nodes(resources: list[dict[str, Any]], component: str) -> None:
    target = workload(resources, component)
    spread = target["spec"]["template"]["spec"]["topologySpreadConstraints"]
    by_node = [c for c in spread if c["topologyKey"] == "kubernetes.io/hostname"]
    assert by_node
    for constraint in by_node:
        assert constraint["maxSkew"] == 1
        assert selects(constraint["labelSelector"], target)
        # DoNotSchedule would leave pods pending on a one-node cluster.
        assert constraint["whenUnsatisfiable"] == "ScheduleAnyway"


def test_discord_pods_have_probes_on_their_health_port(resources: list[dict[str, Any]]) -> None:
    """The Discord process serves /healthz and /readyz on DISCORD_HEALTH_PORT (8080)."""
    bot = container(workload(resources, "discord"))
    (port,) = bot["ports"]
    assert (port["name"], port["containerPort"]) == ("health", 8080)
    expected = {
        "startupProbe": "/healthz",
        "livenessProbe": "/healthz",
        "readinessProbe": "/readyz",
    }
    for probe, path in expected.items():
        assert bot[probe]["httpGet"] == {"path": path, "port": "health"}, probe


def test_network_policies_deny_by_default_and_allow_only_what_the_bots_use(
    resources: list[dict[str, Any]],
) -> None:
    """Egress: DNS, HTTPS to Slack and Discord, Redis. Ingress: each pod's own port."""
    policies = {doc["metadata"]["name"]: doc["spec"] for doc in of_kind(resources, "NetworkPolicy")}
    deny = policies.pop("default-deny")
    assert deny["podSelector"] == {}
    assert sorted(deny["policyTypes"]) == ["Egress", "Ingress"]
    assert "ingress" not in deny
    assert "egress" not in deny

    slack, discord = workload(resources, "slack"), workload(resources, "discord")
    egress_ports: set[tuple[str, int]] = set()
    ingress_ports: dict[str, set[int]] = {"slack": set(), "discord": set()}
    for spec in policies.values():
        targets = [
            name
            for name, w in (("slack", slack), ("discord", discord))
            if selects(spec["podSelector"], w)
        ]
        assert targets, "every policy applies to a bot pod"
        for rule in spec.get("egress", []):
            egress_ports |= {(p["protocol"], p["port"]) for p in rule["ports"]}
        for rule in spec.get("ingress", []):
            for name in targets:
                ingress_ports[name] |= {p["port"] for p in rule["ports"]}
    assert egress_ports == {("UDP", 53), ("TCP", 53), ("TCP", 443), ("TCP", 6379), ("TCP", 6380)}
    assert ingress_ports["slack"] == {container(slack)["ports"][0]["containerPort"]}
    assert ingress_ports["discord"] == {8080}


@pytest.mark.parametrize("component", ["slack", "discord"])
def test_grace_period_covers_the_pause_and_the_measured_shutdown(
    resources: list[dict[str, Any]], component: str
) -> None:
    target = workload(resources, component)
    grace = target["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
    pre_stop = container(target).get("lifecycle", {}).get("preStop")
    pause = int(pre_stop["exec"]["command"][1]) if pre_stop else 0
    if component == "slack":
        assert pause >= 5, "load balancers take 5 s or more to stop routing to a pod"
    assert pause + WORST_SHUTDOWN_SECONDS < pause + SHUTDOWN_BOUND_SECONDS <= grace


@pytest.mark.parametrize("component", ["slack", "discord"])
def test_every_pod_gets_the_redis_url_from_a_secret(
    resources: list[dict[str, Any]], component: str
) -> None:
    (entry,) = [
        e for e in container(workload(resources, component))["env"] if e["name"] == "BOT_REDIS_URL"
    ]
    assert entry["valueFrom"]["secretKeyRef"]["name"] == "bot-tokens"


def test_the_single_node_redis_is_valid_restricted_and_reachable_only_from_the_bots() -> None:
    documents = [
        doc for doc in yaml.safe_load_all((K8S / "redis" / "redis.yaml").read_text()) if doc
    ]
    validator = kubernetes_validate.latest_version()
    for doc in documents:
        kubernetes_validate.validate(doc, validator, strict=True)
    (deployment,) = of_kind(documents, "Deployment")
    pod = deployment["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert container(deployment)["securityContext"]["readOnlyRootFilesystem"] is True
    assert "--save" in container(deployment)["args"]
    (policy,) = of_kind(documents, "NetworkPolicy")
    (rule,) = policy["spec"]["ingress"]
    (source,) = rule["from"]
    assert source["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "401k-bot"}
    (kustomization,) = yaml.safe_load_all((K8S / "redis" / "kustomization.yaml").read_text())
    assert kustomization["resources"] == ["redis.yaml"]


def test_the_dockerfile_builds_offline_and_ships_no_installer() -> None:
    """No `# syntax=` line (BuildKit would fetch a frontend image); pip and setuptools removed."""
    assert not re.search(r"^#\s*syntax\s*=", DOCKERFILE, flags=re.MULTILINE | re.IGNORECASE)
    build, runtime = DOCKERFILE.split("\nFROM ", 2)[1:]
    assert "pip uninstall --yes pip setuptools" in build
    assert "COPY --from=build /opt/venv /opt/venv" in runtime


def test_the_image_compiles_the_standard_library_and_the_venv() -> None:
    """Bytecode is written at build time: the root filesystem is read-only at run time."""
    runtime = DOCKERFILE.split("\nFROM ", 2)[2]
    (compile_step,) = re.findall(r"RUN python -m compileall[^\n]*\n[^\n]*", runtime)
    assert 'sysconfig.get_path("stdlib")' in compile_step
    assert "/opt/venv/lib" in compile_step


async def test_probes_are_left_out_of_the_access_log(caplog: pytest.LogCaptureFixture) -> None:
    """A probe every few seconds would drown the log; other requests are still logged."""

    async def ok(_: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application()
    for path in ("/healthz", "/readyz", "/metrics", "/slack/events"):
        app.router.add_get(path, ok)
    runner = runner_for(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    with caplog.at_level(logging.INFO, logger="aiohttp.access"):
        async with aiohttp.ClientSession() as session:
            for path in ("/healthz", "/readyz", "/metrics", "/slack/events", "/nowhere"):
                async with session.get(f"http://127.0.0.1:{port}{path}") as response:
                    await response.read()
    await runner.cleanup()
    logged = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert len(logged) == 2
    assert "/slack/events" in logged[0]
    assert "/nowhere" in logged[1]

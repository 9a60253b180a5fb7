"""The Kubernetes manifests: valid objects that run the bot the way its adapters expect."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "k8s"
MANIFESTS = sorted(K8S.glob("*.yaml"))

# The oldest release the manifests support (every field they use is stable in 1.29) and
# the newest whose schemas kubernetes-validate ships.
KUBERNETES_VERSIONS = ["1.29", kubernetes_validate.latest_version()]

# Services need an RFC 1035 label (it must start with a letter); other names an RFC 1123 one.
DNS_1035_LABEL = re.compile(r"[a-z]([-a-z0-9]{0,61}[a-z0-9])?")
DNS_1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")


def load(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def find(resources: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [doc for doc in resources if doc["kind"] == kind]


def one(resources: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    (found,) = find(resources, kind)
    return found


def pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = workload["spec"]["template"]["spec"]
    return spec


def the_container(workload: dict[str, Any]) -> dict[str, Any]:
    (container,) = pod_spec(workload)["containers"]
    return container


def env_value(container: dict[str, Any], name: str) -> dict[str, Any]:
    (entry,) = [entry for entry in container.get("env", []) if entry["name"] == name]
    return entry


def option(args: list[str], flag: str) -> str:
    return args[args.index(flag) + 1]


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("path", MANIFESTS, ids=lambda path: path.name)
def test_every_manifest_is_valid_against_the_kubernetes_schema(path: Path, version: str) -> None:
    """Each object validates strictly: no unknown field, no wrong type, no unknown kind."""
    for doc in load(path):
        if doc["kind"] == "Kustomization":
            continue
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            where = ".".join(str(part) for part in exc.path)
            pytest.fail(f"{path.name}: {doc['kind']} {where}: {exc.message}")
        except kubernetes_validate.SchemaNotFoundError as exc:
            pytest.fail(f"{path.name}: {exc.message}")


def test_the_manifests_cover_both_surfaces(resources: list[dict[str, Any]]) -> None:
    """Slack runs as a Deployment with Service, autoscaler and budget; Discord as a StatefulSet."""
    kinds = [doc["kind"] for doc in resources]
    for kind in ("Deployment", "HorizontalPodAutoscaler", "StatefulSet"):
        assert kinds.count(kind) == 1, kind
    assert kinds.count("Service") == 2
    assert kinds.count("PodDisruptionBudget") == 2
    assert "NetworkPolicy" in kinds
    assert {"Namespace", "ConfigMap", "Secret"} <= set(kinds)


def test_names_are_valid_dns_labels(resources: list[dict[str, Any]]) -> None:
    """The API server would reject a Service whose name starts with a digit."""
    for doc in resources:
        name = doc["metadata"]["name"]
        rule = DNS_1035_LABEL if doc["kind"] == "Service" else DNS_1123_LABEL
        assert rule.fullmatch(name), f"{doc['kind']} name {name!r}"


def test_the_kustomization_applies_everything_but_the_secret_example() -> None:
    """`kubectl apply -k` never overwrites the real Secret with placeholders."""
    (kustomization,) = load(K8S / "kustomization.yaml")
    listed = set(kustomization["resources"])
    expected = {p.name for p in MANIFESTS} - {"kustomization.yaml", "secret.example.yaml"}
    assert listed == expected
    (namespace,) = load(K8S / "namespace.yaml")
    assert kustomization["namespace"] == namespace["metadata"]["name"]


def test_every_workload_runs_the_image_the_compose_file_builds(
    resources: list[dict[str, Any]], compose: dict[str, Any], project_version: str
) -> None:
    """One image everywhere, tagged with the package version rather than `latest`."""
    images = {
        container["image"]
        for kind in ("Deployment", "StatefulSet")
        for workload in find(resources, kind)
        for container in pod_spec(workload)["containers"]
    }
    compose_images = {
        service["image"] for service in compose["services"].values() if "build" in service
    }
    assert images == compose_images == {f"401k-bot:{project_version}"}


def test_environment_names_only_real_settings(
    resources: list[dict[str, Any]], setting_names: set[str]
) -> None:
    """Every variable a pod gets is a setting the bot reads; a typo would be ignored silently."""
    named = set()
    as_env = {
        source["configMapRef"]["name"]
        for kind in ("Deployment", "StatefulSet")
        for workload in find(resources, kind)
        for container in pod_spec(workload)["containers"]
        for source in container.get("envFrom", [])
        if "configMapRef" in source
    }
    for doc in find(resources, "ConfigMap"):
        if doc["metadata"]["name"] in as_env:
            named |= set(doc.get("data", {}))
    for doc in find(resources, "Secret"):
        named |= set(doc.get("stringData", {})) | set(doc.get("data", {}))
    for kind in ("Deployment", "StatefulSet"):
        for workload in find(resources, kind):
            for container in pod_spec(workload)["containers"]:
                named |= {entry["name"] for entry in container.get("env", [])}
    assert named, "no environment found in the manifests"
    assert named <= setting_names, f"not settings: {sorted(named - setting_names)}"


def test_config_and_secret_references_resolve(resources: list[dict[str, Any]]) -> None:
    """Every ConfigMap and Secret a pod refers to exists, with the key it asks for."""
    config_maps = {
        doc["metadata"]["name"]: doc.get("data", {}) for doc in find(resources, "ConfigMap")
    }
    secrets = {doc["metadata"]["name"]: doc["stringData"] for doc in find(resources, "Secret")}
    for kind in ("Deployment", "StatefulSet"):
        for workload in find(resources, kind):
            container = the_container(workload)
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    assert source["configMapRef"]["name"] in config_maps
                if "secretRef" in source:
                    assert source["secretRef"]["name"] in secrets
            for entry in container.get("env", []):
                ref = entry.get("valueFrom", {})
                if "secretKeyRef" in ref:
                    assert ref["secretKeyRef"]["key"] in secrets[ref["secretKeyRef"]["name"]]
                if "configMapKeyRef" in ref:
                    key = ref["configMapKeyRef"]["key"]
                    assert key in config_maps[ref["configMapKeyRef"]["name"]]


def test_the_secret_example_holds_only_placeholders(resources: list[dict[str, Any]]) -> None:
    """Nobody can mistake the example's values for real tokens."""
    secret = one(resources, "Secret")
    assert secret["stringData"]
    for key, value in secret["stringData"].items():
        assert "REPLACE-ME" in value, key


def test_tokens_come_from_the_secret_not_from_plain_values(
    resources: list[dict[str, Any]],
) -> None:
    """No token or signing secret is written into a manifest or a ConfigMap."""
    secret_keys = set(one(resources, "Secret")["stringData"])
    for doc in find(resources, "ConfigMap"):
        assert not secret_keys & set(doc.get("data", {}))
    for kind in ("Deployment", "StatefulSet"):
        for workload in find(resources, kind):
            for entry in the_container(workload).get("env", []):
                if entry["name"] in secret_keys:
                    assert "secretKeyRef" in entry["valueFrom"], entry["name"]


def slack_deployment(resources: list[dict[str, Any]]) -> dict[str, Any]:
    (deployment,) = [
        doc for doc in find(resources, "Deployment") if "slack" in the_container(doc)["args"]
    ]
    return deployment


def test_slack_runs_in_http_mode_on_the_port_it_declares(resources: list[dict[str, Any]]) -> None:
    """The adapter listens on all interfaces, on the container port the probes and Service use."""
    container = the_container(slack_deployment(resources))
    args = container["args"]
    assert args[:2] == ["slack", "--http"]
    assert option(args, "--host") == "0.0.0.0"
    (port,) = container["ports"]
    assert port["name"] == "http"
    assert int(option(args, "--port")) == port["containerPort"]
    env = {entry["name"] for entry in container["env"]}
    assert {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"} <= env


def test_slack_probes_ask_the_adapter_on_its_http_port(resources: list[dict[str, Any]]) -> None:
    """Start-up and liveness ask /healthz, readiness /readyz, on the adapter's HTTP port."""
    container = the_container(slack_deployment(resources))
    paths = {"startupProbe": "/healthz", "livenessProbe": "/healthz", "readinessProbe": "/readyz"}
    for probe, path in paths.items():
        check = container[probe]["httpGet"]
        assert check["path"] == path, probe
        assert check["port"] == container["ports"][0]["name"], probe


def test_slack_service_reaches_the_deployment_pods(resources: list[dict[str, Any]]) -> None:
    """The Service selects exactly the Slack pods and forwards to their HTTP port."""
    deployment = slack_deployment(resources)
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    (service,) = [
        doc for doc in find(resources, "Service") if doc["spec"].get("clusterIP") != "None"
    ]
    assert service["spec"]["selector"].items() <= pod_labels.items()
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    (port,) = service["spec"]["ports"]
    assert port["targetPort"] == the_container(deployment)["ports"][0]["name"]


def test_the_autoscaler_scales_the_slack_deployment(resources: list[dict[str, Any]]) -> None:
    """The HPA targets the Deployment and keeps at least two replicas."""
    deployment = slack_deployment(resources)
    hpa = one(resources, "HorizontalPodAutoscaler")
    target = hpa["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])
    assert 2 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"
    container = the_container(deployment)
    assert "cpu" in container["resources"]["requests"], "CPU utilisation needs a CPU request"


def test_the_disruption_budget_covers_the_slack_pods(resources: list[dict[str, Any]]) -> None:
    """A node drain leaves Slack replicas answering, as a share of however many there are."""
    pod_labels = slack_deployment(resources)["spec"]["template"]["metadata"]["labels"]
    (pdb,) = [
        doc
        for doc in find(resources, "PodDisruptionBudget")
        if doc["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    ]
    assert "minAvailable" not in pdb["spec"]
    share = re.fullmatch(r"(\d+)%", pdb["spec"]["maxUnavailable"])
    assert share, "a percentage follows the HPA's replica count"
    assert 0 < int(share[1]) < 50, "half or more could leave nothing answering"


def discord_statefulset(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return one(resources, "StatefulSet")


def test_discord_pods_learn_their_shard_from_their_name(resources: list[dict[str, Any]]) -> None:
    """POD_NAME (ending in the pod's ordinal) comes from the downward API."""
    container = the_container(discord_statefulset(resources))
    assert container["args"] == ["discord"]
    pod_name = env_value(container, "POD_NAME")
    assert pod_name["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name"
    assert env_value(container, "DISCORD_TOKEN")["valueFrom"]["secretKeyRef"]


def test_discord_has_a_headless_service(resources: list[dict[str, Any]]) -> None:
    """The StatefulSet's serviceName is a headless Service selecting its pods."""
    statefulset = discord_statefulset(resources)
    pod_labels = statefulset["spec"]["template"]["metadata"]["labels"]
    (service,) = [
        doc
        for doc in find(resources, "Service")
        if doc["metadata"]["name"] == statefulset["spec"]["serviceName"]
    ]
    assert service["spec"]["clusterIP"] == "None"
    assert service["spec"]["selector"].items() <= pod_labels.items()


@pytest.mark.parametrize("kind", ["Deployment", "StatefulSet"])
def test_pods_meet_the_restricted_pod_security_standard(
    resources: list[dict[str, Any]], kind: str
) -> None:
    """Non-root, no privilege escalation, no capabilities, default seccomp, read-only root."""
    workload = one(resources, kind)
    pod = pod_spec(workload)["securityContext"]
    assert pod["runAsNonRoot"] is True
    assert pod["runAsUser"] != 0
    assert pod["seccompProfile"]["type"] == "RuntimeDefault"
    assert pod_spec(workload)["automountServiceAccountToken"] is False
    container = the_container(workload)["securityContext"]
    assert container["allowPrivilegeEscalation"] is False
    assert container["readOnlyRootFilesystem"] is True
    assert container["capabilities"]["drop"] == ["ALL"]
    (namespace,) = find(resources, "Namespace")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"


@pytest.mark.parametrize("kind", ["Deployment", "StatefulSet"])
def test_pods_have_resource_requests_and_limits(resources: list[dict[str, Any]], kind: str) -> None:
    """CPU and memory are requested and capped, and the request never exceeds the limit."""
    limits = the_container(one(resources, kind))["resources"]
    for resource in ("cpu", "memory"):
        request = quantity(limits["requests"][resource])
        limit = quantity(limits["limits"][resource])
        assert 0 < request <= limit, resource


@pytest.mark.parametrize("kind", ["Deployment", "StatefulSet"])
def test_pods_get_time_to_shut_down(resources: list[dict[str, Any]], kind: str) -> None:
    """The grace period covers the preStop pause plus the adapter's 10-second shutdown."""
    workload = one(resources, kind)
    pause = 0
    pre_stop = the_container(workload).get("lifecycle", {}).get("preStop")
    if pre_stop:
        word, seconds = pre_stop["exec"]["command"]
        assert word == "sleep"
        pause = int(seconds)
    assert pod_spec(workload)["terminationGracePeriodSeconds"] >= pause + 10


def quantity(text: str) -> float:
    """A Kubernetes quantity such as 50m, 128Mi or 1 as a plain number."""
    units = {"m": 1e-3, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "k": 1e3, "M": 1e6, "G": 1e9}
    match = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", str(text))
    assert match, text
    number, unit = match.groups()
    return float(number) * units.get(unit, 1)


def test_each_discord_pod_runs_its_own_shard(
    resources: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, setting_names: set[str]
) -> None:
    """With the pods' environment, pod N of the StatefulSet runs shard N of the total, alone."""
    from bot.discord_bot.runner import sharding_of
    from bot.settings import Settings

    for name in setting_names:
        monkeypatch.delenv(name, raising=False)
    statefulset = discord_statefulset(resources)
    container = the_container(statefulset)
    config_maps = {doc["metadata"]["name"]: doc["data"] for doc in find(resources, "ConfigMap")}
    config: dict[str, str] = {}
    for source in container.get("envFrom", []):
        config.update(config_maps[source["configMapRef"]["name"]])
    replicas = statefulset["spec"]["replicas"]
    for ordinal in range(replicas):
        pod = f"{statefulset['metadata']['name']}-{ordinal}"
        settings = Settings(**{k.lower(): v for k, v in config.items()}, pod_name=pod)
        sharding = sharding_of(settings)
        assert sharding.count == replicas, pod
        assert list(sharding.ids or []) == [ordinal], pod


def test_the_plan_profile_is_mounted_where_bot_plan_file_points(
    resources: list[dict[str, Any]],
) -> None:
    """Each pod mounts the bot-plan ConfigMap where the commented BOT_PLAN_FILE expects it,
    and the profile shipped there passes `plan check`."""
    from bot.plans.loading import parse_plan

    config = (K8S / "configmap.yaml").read_text(encoding="utf-8")
    (path,) = re.findall(r"#\s*BOT_PLAN_FILE:\s*(\S+)", config)
    (plan,) = [d for d in find(resources, "ConfigMap") if d["metadata"]["name"] == "bot-plan"]
    folder, _, key = path.rpartition("/")
    parse_plan(plan["data"][key], "bot-plan")
    for kind in ("Deployment", "StatefulSet"):
        for workload in find(resources, kind):
            volumes = {v["name"]: v for v in pod_spec(workload)["volumes"]}
            mounts = {m["mountPath"]: m for m in the_container(workload)["volumeMounts"]}
            assert mounts[folder]["readOnly"] is True
            assert volumes[mounts[folder]["name"]]["configMap"]["name"] == "bot-plan"

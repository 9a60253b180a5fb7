"""The README's Deploy section names the files, services and image that exist."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def deploy_section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## Deploy\n(.*?)(?=^## )", text, flags=re.MULTILINE | re.DOTALL)
    assert match, "the README has no Deploy section"
    return match[1]


def test_compose_commands_start_services_that_exist(compose: dict[str, Any]) -> None:
    """Each `docker compose ... up` starts services defined in deploy/compose.yaml."""
    commands = re.findall(r"docker compose (.*?) up (?:--build )?-d ([^\n]+)", deploy_section())
    assert commands
    for options, services in commands:
        assert "-f deploy/compose.yaml" in options
        for service in services.split():
            assert service in compose["services"], service


def test_paths_named_in_the_section_exist() -> None:
    """Every deploy/ path and settings file the section mentions is in the repository."""
    paths = set(re.findall(r"deploy/[\w./-]*\w", deploy_section()))
    assert paths
    for path in paths | {".env.example"}:
        assert (REPO / path).exists(), path
    for name in re.findall(r"`([\w.-]+\.yaml)`", deploy_section()):
        assert (REPO / "deploy" / "k8s" / name).exists(), name


def test_images_built_in_the_section_match_the_manifests(project_version: str) -> None:
    """`docker build -t` and `kind load` use the image name and tag the manifests run."""
    section = deploy_section()
    tags = re.findall(r"docker build -f deploy/Dockerfile -t (\S+) \.", section)
    tags += re.findall(r"kind load docker-image (\S+?)`", section)
    assert tags
    for tag in tags:
        assert tag.rsplit("/", 1)[-1] == f"401k-bot:{project_version}", tag


def test_every_manifest_is_described(resources: list[dict[str, Any]]) -> None:
    """The section's table names each object the kustomization applies."""
    section = deploy_section()
    for doc in resources:
        if doc["kind"] in ("Namespace", "Secret"):
            continue
        assert f"{doc['kind']} `{doc['metadata']['name']}`" in section, doc["kind"]

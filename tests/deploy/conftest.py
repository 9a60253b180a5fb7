"""Shared views of the deployment files: the manifests, the compose file and the settings."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.settings import Settings

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "k8s"


def documents(path: Path) -> list[dict[str, Any]]:
    """The YAML documents of one file, skipping empty ones."""
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


@pytest.fixture(scope="session")
def setting_names() -> set[str]:
    """Every environment variable the bot reads as a setting."""
    return {name.upper() for name in Settings.model_fields}


@pytest.fixture(scope="session")
def resources() -> list[dict[str, Any]]:
    """Every Kubernetes object under deploy/k8s, the kustomization left out."""
    return [
        doc
        for path in sorted(K8S.glob("*.yaml"))
        for doc in documents(path)
        if doc.get("kind") != "Kustomization"
    ]


@pytest.fixture(scope="session")
def compose() -> dict[str, Any]:
    """deploy/compose.yaml, with its YAML anchors merged."""
    (doc,) = documents(REPO / "deploy" / "compose.yaml")
    return doc


@pytest.fixture(scope="session")
def project_version() -> str:
    """The version in pyproject.toml."""
    with (REPO / "pyproject.toml").open("rb") as file:
        version: str = tomllib.load(file)["project"]["version"]
    return version

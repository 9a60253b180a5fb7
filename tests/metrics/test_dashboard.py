"""deploy/grafana/401k-bot.json loads as is and queries only metrics the bot exports."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from bot import metrics
from tests.metrics.conftest import count_every_kind, sample_labels

DASHBOARD = Path(__file__).resolve().parents[2] / "deploy" / "grafana" / "401k-bot.json"

# PromQL's own words in the dashboard's queries; anything else is a metric name.
PROMQL = {
    "sum", "max", "min", "avg", "count", "by", "without", "on", "ignoring", "and", "or",
    "unless", "rate", "increase", "histogram_quantile", "clamp_min",
}  # fmt: skip
# Labels every scraped series gets from Prometheus itself.
TARGET_LABELS = {"instance", "job"}


def dashboard() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return data


def queries() -> list[str]:
    return [target["expr"] for panel in dashboard()["panels"] for target in panel["targets"]]


def parse(expr: str) -> tuple[set[str], set[str]]:
    """The metric names and the label names a PromQL expression uses."""
    text = re.sub(r'"[^"]*"', '""', expr)
    text = re.sub(r"\[[^\]]*\]", "", text)
    labels: set[str] = set()
    for matchers in re.findall(r"\{([^}]*)\}", text):
        labels.update(re.findall(r"([a-zA-Z_]\w*)\s*(?:=|!=|=~|!~)", matchers))
    text = re.sub(r"\{[^}]*\}", "", text)
    for grouping in re.findall(r"\b(?:by|without|on|ignoring)\s*\(([^)]*)\)", text):
        labels.update(name.strip() for name in grouping.split(",") if name.strip())
    text = re.sub(r"\b(by|without|on|ignoring)\s*\([^)]*\)", "", text)
    words = set(re.findall(r"[a-zA-Z_:][\w:]*", text)) - PROMQL
    return words, labels


@pytest.fixture
def exported(enabled: metrics.Metrics) -> dict[str, set[str]]:
    count_every_kind()
    return sample_labels()


def test_the_dashboard_is_a_grafana_dashboard_with_a_prometheus_data_source() -> None:
    """A uid, unique panel ids inside the 24-column grid, every query on the chosen source."""
    data = dashboard()
    assert data["uid"] == "401k-bot"
    assert data["title"]
    assert isinstance(data["schemaVersion"], int)
    [variable] = data["templating"]["list"]
    assert (variable["type"], variable["query"], variable["name"]) == (
        "datasource",
        "prometheus",
        "datasource",
    )
    ids = [panel["id"] for panel in data["panels"]]
    assert len(ids) == len(set(ids))
    for panel in data["panels"]:
        grid = panel["gridPos"]
        assert grid["x"] + grid["w"] <= 24, panel["title"]
        assert panel["targets"], panel["title"]
        for target in [panel, *panel["targets"]]:
            assert target["datasource"] == {"type": "prometheus", "uid": "${datasource}"}


def test_the_panels_an_on_call_person_looks_at_first_are_there() -> None:
    """Answers per minute by kind, p95 latency, fallback rate, errors by code, replies lost."""
    titles = " | ".join(panel["title"] for panel in dashboard()["panels"]).lower()
    for wanted in ("answers per minute, by kind", "p95 latency", "fallback rate", "replies lost"):
        assert wanted in titles
    assert "errors per minute, by method and code" in titles


@pytest.mark.parametrize("expr", queries())
def test_every_query_uses_only_metrics_and_labels_the_bot_exports(
    expr: str, exported: dict[str, set[str]]
) -> None:
    """Each metric a panel queries is in the exposition, with each label the query names."""
    names, labels = parse(expr)
    assert names, f"no metric in {expr}"
    for name in names:
        assert name in exported, f"{name} is not exported"
    available = set().union(*(exported[name] for name in names)) | TARGET_LABELS
    assert labels <= available, (expr, labels - available)


def test_the_query_parser_finds_names_and_labels() -> None:
    """The check above reads PromQL well enough to catch a misspelt metric or label."""
    expr = 'sum by (le, surface) (rate(bot401k_x_bucket{kind="a b"}[5m])) / on (job) up'
    assert parse(expr) == ({"bot401k_x_bucket", "up"}, {"le", "surface", "kind", "job"})

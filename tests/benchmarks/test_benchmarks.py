"""The benchmark scripts run to completion with tiny counts and print their figures.

These check that each script works and reports what the README quotes; they time
nothing themselves and assert no speed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
# The repository's own held-out questions, so the check needs nothing outside the repo.
QUESTIONS = str(Path(__file__).resolve().parents[1] / "engine" / "regression.yaml")


def run(script: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_json(script: str, *args: str) -> dict[str, Any]:
    done = run(script, *args, "--json")
    assert done.returncode == 0, done.stderr
    results: dict[str, Any] = json.loads(done.stdout)
    return results


def test_engine_benchmark_reports_accuracy_and_latency_beside_the_baseline() -> None:
    """Both matchers get an accuracy and a latency, at the built-in size and doubled."""
    results = run_json(
        "engine.py", QUESTIONS, "--rounds", "1", "--scales", "1,2", "--budget", "0.5"
    )

    accuracy = results["accuracy"]
    assert accuracy["questions"] == accuracy["in_scope"] + accuracy["out_of_scope"] > 0
    for name in ("engine", "baseline"):
        assert 0 <= accuracy[name]["all"] <= 1
    assert accuracy["baseline"]["out_of_scope"] == 0  # it never falls back
    one, two = results["speed"]
    assert (one["factor"], two["factor"]) == (1, 2)
    assert two["articles"] == 2 * one["articles"]
    assert two["example_questions"] == 2 * one["example_questions"]
    for size in (one, two):
        for name in ("engine", "baseline"):
            timed = size[name]
            assert timed["count"] == accuracy["questions"]
            assert 0 < timed["p50"] <= timed["p99"] <= timed["max"]
            assert timed["answers_per_second"] > 0
    short, long = results["hostile"]
    assert (short["length"], long["length"]) == (100, 4000)
    for size in (short, long):
        assert size["typical_ms"] > 0
        assert size["worst_ms"] > 0
        assert abs(size["ratio"] - size["worst_ms"] / size["typical_ms"]) < 0.2
        assert size["worst_input"]


def test_engine_benchmark_prints_a_readable_table() -> None:
    """Without --json the figures come as tables, with progress kept to stderr."""
    done = run("engine.py", QUESTIONS, "--rounds", "1", "--scales", "1", "--budget", "0.5")

    assert done.returncode == 0, done.stderr
    assert "top-1 topic accuracy" in done.stdout
    assert "×1 engine" in done.stdout
    assert "×1 baseline" in done.stdout
    assert "targets: p99 < 0.5 ms at ×1:" in done.stdout
    assert "hostile input" in done.stdout
    assert "worst < 20× typical at 4,000 characters:" in done.stdout
    assert "timing ×1" in done.stderr
    assert "timing" not in done.stdout


def test_startup_benchmark_times_ask_to_its_answer() -> None:
    """One run of `401k-bot ask` is timed to the answer and to exit, with its phases."""
    results = run_json("startup.py", "--runs", "1")

    assert results["runs"] == 1
    assert 0 < results["to_answer"]["median"] <= results["to_exit"]["median"]
    assert results["bare_interpreter"]["median"] > 0
    assert {"interpreter", "answer and print"} <= set(results["phases"])
    assert all(seconds >= 0 for seconds in results["phases"].values())
    assert " ask --json " in results["command"]
    assert results["server_only_imports"] == []


def test_slack_load_benchmark_answers_every_request_and_reads_the_peak_rss() -> None:
    """20 signed requests to the real HTTP-mode app: all 200, all replied to, memory read."""
    results = run_json("slack_load.py", "--requests", "20", "--concurrency", "5")

    assert results["sent"] == 20
    assert set(results["sent_by_kind"]) == {"/aftertaxroom", "/401k", "app_mention", "message.im"}
    assert results["errors"] == 0, results["errors_by_kind"]
    assert results["answered_200"] == 20
    assert results["replies_delivered"] == 20
    assert results["time_to_200"]["count"] == 20
    assert results["requests_per_second"] > 0
    assert results["rss_peak_mb"] >= results["rss_idle_mb"] > 0
    assert results["exit_status"] == 0


@pytest.mark.parametrize(
    ("script", "args", "named"),
    [
        ("engine.py", ["--scales", "0"], "--scales"),
        ("engine.py", ["--rounds", "many"], "--rounds"),
        ("startup.py", ["--runs", "0"], "--runs"),
        ("slack_load.py", ["--requests", "1000000"], "--requests"),
        ("slack_load.py", ["--duration", "nan"], "--duration"),
    ],
)
def test_counts_and_durations_out_of_bounds_are_refused(
    script: str, args: list[str], named: str
) -> None:
    """A count or duration outside its bounds is a usage error naming it, not a run."""
    done = run(script, *args, timeout=30)

    assert done.returncode == 2
    assert named in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_the_readme_gives_the_command_of_every_benchmark() -> None:
    """The README's Performance section names each script, and each one it names exists."""
    readme = (BENCHMARKS.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Performance\n", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"python3 benchmarks/(\w+\.py)", section))
    scripts = {path.name for path in BENCHMARKS.glob("*.py") if path.name != "timing.py"}
    assert named == scripts

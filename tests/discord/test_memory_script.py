"""The memory script feeds the real client server payloads and reports memory per 1,000."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "discord_memory.py"


def test_the_memory_script_caches_every_server_and_reports_its_figures() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--servers", "50", "--shape", "small", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert results["servers"] == 50
    assert results["channels"] == 20
    assert results["rss_after_mib"] >= results["rss_before_mib"]
    assert results["mib_per_1000_servers"] >= 0

"""How long `401k-bot ask` takes from process start to a printed answer.

Each run starts a fresh `401k-bot ask --json QUESTION` and times it until the answer's
line arrives on stdout, and until the process exits. One untimed run first warms the
file cache, compiles the modules to bytecode (in a temporary folder, as an installed
wheel has them) and leaves the prepared start (settings, articles, figures, vocabularies
and the matcher's index) in the user's cache folder, so the figures are those of a new
process on a machine already running. A second set of fresh processes times the phases
of the same work (interpreter, imports, the prepared start, the answer), to show where
the time goes, and a bare `python3 -c pass` shows the interpreter's own share. One more
run of the real command, with Python's import timing on, lists the packages it
imported that only the servers need (adapters, stores, metrics): there should be none.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

from timing import (
    bounded_seconds,
    console_script,
    emit,
    met,
    percentile,
    progress,
    table,
)

from bot.commands import whole

QUESTION = "What's the difference between Roth and after-tax contributions?"
TARGET_SECONDS = 0.15
# Packages only `slack` and `discord` use; `ask` and `chat` must start without them.
SERVER_ONLY = (
    "aiohttp",
    "discord",
    "prometheus_client",
    "psycopg",
    "redis",
    "slack_bolt",
    "slack_sdk",
    "sqlalchemy",
)

# Runs in a fresh interpreter: the steps of `401k-bot ask --json`, each timed. The
# monotonic clock is shared by every process, so the parent can time the interpreter.
PHASES = """
import json, sys, time
marks = [("started", time.monotonic())]
import rapidfuzz
marks.append(("import rapidfuzz", time.monotonic()))
from bot.cli import build_parser
build_parser(["ask"])
import bot.commands.ask, bot.engine, bot.start
marks.append(("import the bot's own modules", time.monotonic()))
from bot.commands.ask import build_engine
engine = build_engine()
marks.append(("settings, articles, figures, index: the prepared copy", time.monotonic()))
import datetime as dt
from bot.reply import Question
reply = engine.answer(Question(text=sys.argv[1], surface="cli", today=dt.date.today()))
print(json.dumps(reply.to_contract()), flush=True)
marks.append(("answer and print", time.monotonic()))
print(json.dumps(marks), file=sys.stderr)
"""


def is_answer(line: str) -> bool:
    try:
        reply = json.loads(line)
    except ValueError:
        return False
    return isinstance(reply, dict) and bool(reply.get("kind")) and bool(reply.get("disclosure"))


def child_env(folder: str | None) -> dict[str, str]:
    """The environment for the timed processes: bytecode cached in `folder`, if given.

    An installed wheel has its modules compiled to bytecode; an editable install run with
    PYTHONDONTWRITEBYTECODE compiles the bot's modules on every start instead.
    """
    env = dict(os.environ)
    if folder is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = folder
    return env


def time_ask(command: list[str], env: dict[str, str], timeout: float) -> tuple[float, float]:
    """Seconds from process start to the answer on stdout, and to the process's exit."""
    started = time.monotonic()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        answered = time.monotonic() - started
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise RuntimeError(f"{' '.join(command)} did not finish in {timeout:g} s") from None
    exited = time.monotonic() - started
    if process.returncode != 0 or not is_answer(line):
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}): {err.strip()}")
    return answered, exited


def time_phases(question: str, env: dict[str, str], timeout: float) -> dict[str, float]:
    """Seconds each phase of answering took in one fresh interpreter."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", PHASES, question],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the phase timing failed: {done.stderr.strip()}")
    marks = json.loads(done.stderr.strip().splitlines()[-1])
    phases = {"interpreter": marks[0][1] - started}
    for (_, before), (name, after) in itertools.pairwise(marks):
        phases[name] = after - before
    return phases


def server_only_imports(command: list[str], env: dict[str, str], timeout: float) -> list[str]:
    """The SERVER_ONLY packages one run of `command` imported, read from -X importtime."""
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={**env, "PYTHONPROFILEIMPORTTIME": "1"},
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode})")
    imported = {
        line.rsplit("|", 1)[-1].strip().split(".")[0]
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    return sorted(imported.intersection(SERVER_ONLY))


def measure(
    command: list[str], question: str, runs: int, env: dict[str, str], timeout: float
) -> dict[str, Any]:
    """Time `runs` fresh processes of each kind, after one untimed run of each."""
    bare = [sys.executable, "-c", "pass"]
    time_ask(command, env, timeout)
    subprocess.run(bare, check=True, env=env, timeout=timeout)
    time_phases(question, env, timeout)
    answered: list[float] = []
    exited: list[float] = []
    interpreter: list[float] = []
    phases: dict[str, list[float]] = {}
    for run in range(1, runs + 1):
        progress(f"run {run}/{runs}")
        to_answer, to_exit = time_ask(command, env, timeout)
        answered.append(to_answer)
        exited.append(to_exit)
        started = time.monotonic()
        subprocess.run(bare, check=True, env=env, timeout=timeout)
        interpreter.append(time.monotonic() - started)
        for name, seconds in time_phases(question, env, timeout).items():
            phases.setdefault(name, []).append(seconds)
    return {
        "to_answer": summary(answered),
        "to_exit": summary(exited),
        "bare_interpreter": summary(interpreter),
        "phases": {name: round(statistics.median(values), 4) for name, values in phases.items()},
        "server_only_imports": server_only_imports(command, env, timeout),
    }


def summary(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    return {
        "median": round(statistics.median(ordered), 4),
        "p90": round(percentile(ordered, 90), 4),
        "min": round(ordered[0], 4),
        "max": round(ordered[-1], 4),
    }


def report(results: dict[str, Any]) -> str:
    def row(label: str, figures: dict[str, float]) -> tuple[str, ...]:
        return (label, *(f"{figures[key]:.3f} s" for key in ("median", "p90", "min", "max")))

    lines = [
        f"{results['command']}",
        f"{results['runs']} runs after one warm-up, "
        + ("bytecode cached" if results["bytecode_cache"] else "environment as it is"),
        "",
        table(
            ["", "median", "p90", "min", "max"],
            [
                row("to the printed answer", results["to_answer"]),
                row("to process exit", results["to_exit"]),
                row("python3 -c pass", results["bare_interpreter"]),
            ],
        ),
        "",
        "where the time goes (medians of fresh processes):",
        table(
            ["phase", "median"],
            [(name, f"{value * 1000:,.0f} ms") for name, value in results["phases"].items()],
        ),
        "",
        "server-only packages imported ("
        + ", ".join(SERVER_ONLY)
        + "): "
        + (", ".join(results["server_only_imports"]) or "none"),
        "",
        f"target: median to the answer < {TARGET_SECONDS} s: "
        + met(results["to_answer"]["median"] < TARGET_SECONDS),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Time `401k-bot ask` from process start to the printed answer.",
        epilog="example: python3 benchmarks/startup.py --runs 10 --json",
    )
    parser.add_argument(
        "--runs", type=whole(1, 200, "runs"), default=10, help="timed runs of each kind (10)"
    )
    parser.add_argument("--question", default=QUESTION, help="the question to ask")
    parser.add_argument(
        "--timeout",
        type=bounded_seconds(1, 120),
        default=30.0,
        help="seconds one run may take before the benchmark stops (30)",
    )
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="leave PYTHONDONTWRITEBYTECODE as it is, so an editable install compiles the "
        "bot's modules on every start (default: cache bytecode in a temporary folder, as "
        "an installed wheel has it)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    if not args.question.strip() or args.question.strip() == "-":
        parser.error("--question must be a question")

    command = [*console_script(), "ask", "--json", args.question]
    try:
        if args.no_bytecode_cache:
            timed = measure(command, args.question, args.runs, child_env(None), args.timeout)
        else:
            with tempfile.TemporaryDirectory(prefix="startup-pycache-") as folder:
                env = child_env(folder)
                timed = measure(command, args.question, args.runs, env, args.timeout)
    except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
        sys.exit(f"startup benchmark: {exc}")
    results = {
        "command": " ".join([*command[:-1], json.dumps(args.question)]),
        "runs": args.runs,
        "bytecode_cache": not args.no_bytecode_cache,
        **timed,
        "target_seconds": TARGET_SECONDS,
    }
    emit(results, report(results), args.json)


if __name__ == "__main__":
    main()

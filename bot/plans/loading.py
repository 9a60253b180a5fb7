"""Reading a plan profile file, with one line per problem naming the field."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.plans.profile import PlanProfile
from calc.yamlfile import SafeLoader

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(SafeLoader):  # type: ignore[valid-type,misc]
    """The safe loader, leaving dates as text so a bad one is a field error, not a crash."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
    for first, resolvers in SafeLoader.yaml_implicit_resolvers.items()
}


class PlanError(Exception):
    """A plan profile that cannot be used; `lines` holds one problem per line."""

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)


def _where(loc: Sequence[int | str]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path


def _message(error: Any) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "is not a field of a plan profile (see docs/plan-profile.md)"
    if kind == "bool_type":
        return "must be true or false"
    if kind == "model_type":
        return "must be a group of fields (key: value lines under it)"
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind in ("literal_error", "enum"):
        return message.replace("Input should be", "must be")
    return message.replace("Input should be", "must be")


def to_lines(label: str, exc: ValidationError) -> list[str]:
    """Each of pydantic's errors as `label: field.path: problem`."""
    lines = []
    for error in exc.errors():
        where = _where(error["loc"]) or "profile"
        lines.append(f"{label}: {where}: {_message(error)}")
    return lines


def parse_plan(text: str, label: str) -> PlanProfile:
    """A profile from YAML `text`; PlanError lists every problem at once."""
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise PlanError([f"{label}: is not valid YAML{where}"]) from None
    if not isinstance(data, dict):
        raise PlanError([f"{label}: must be a YAML mapping of plan fields"])
    try:
        return PlanProfile.model_validate(data)
    except ValidationError as exc:
        raise PlanError(to_lines(label, exc)) from None


def load_plan(path: Path) -> PlanProfile:
    """The profile in `path`; PlanError when it cannot be read or is invalid."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PlanError([f"{path}: is not UTF-8 text"]) from None
    except OSError as exc:
        raise PlanError([f"{path}: cannot be read ({exc.strerror})"]) from None
    return parse_plan(text, str(path))

"""One article file: YAML front matter validated against the schema, then a Markdown body."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from calc.yamlfile import safe_load

MIN_QUESTIONS = 8
_TOPIC_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class KnowledgeError(Exception):
    """An article that cannot be used; the message names the file and the field."""

    def __init__(self, file: str, field: str, message: str) -> None:
        super().__init__(f"{file}: {field}: {message}")
        self.file = file
        self.field = field
        self.message = message


def _topic_id(value: str) -> str:
    if not _TOPIC_ID.fullmatch(value):
        raise ValueError(f"'{value}' is not a topic id (lowercase letters, digits and hyphens)")
    return value


# Characters a source URL may not hold: spaces, controls, bidi controls, and the ones
# that end or relabel a link in Slack (`|`, `<`, `>`) or Markdown.
_URL_UNSAFE = re.compile(
    r"[\s\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069|<>\\\[\]()\"']"
)
_BODY_LINK = re.compile(
    r"\]\(\s*(?P<target>[^)\s]*)|<(?P<angle>[a-z][a-z0-9+.-]*:[^>\s]*)>"
    r"|(?P<bare>\b(?:https?|ftps?)://[^\s)>\]]*|\bwww\.[^\s)>\]]+)",
    re.IGNORECASE,
)


def _url(value: str) -> str:
    if _URL_UNSAFE.search(value):
        raise ValueError("is not a plain https URL: it holds a space, a control character or |<>")
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError(f"'{value}' is not an https URL")
    if "@" in parts.netloc:
        raise ValueError(f"'{value}' has a user name in it; a link must name only its host")
    return value


def host_of(url: str) -> str:
    """The host of `url`, lowercased, without a trailing dot."""
    return (urlsplit(url).hostname or "").rstrip(".")


def link_problems(text: str, sources: tuple[str, ...], hosts: frozenset[str]) -> list[str]:
    """Links in `text` that could send a reader anywhere but the article's sources' hosts.

    A link must be https, name no user, and go to the host of one of `sources` or one
    of `hosts` (BOT_LINK_HOSTS).
    """
    allowed = {host_of(url) for url in sources} | hosts
    problems = []
    for found in _BODY_LINK.finditer(text):
        target = found["target"] or found["angle"] or found["bare"] or ""
        if target.lower().startswith("www."):
            target = "https://" + target
        try:
            parts = urlsplit(target)
            host = (parts.hostname or "").rstrip(".")
        except ValueError:
            parts, host = None, ""
        if parts is None or parts.scheme.lower() != "https" or "@" in parts.netloc:
            problems.append(f"links to '{target[:80]}', which is not a plain https link")
        elif host not in allowed:
            problems.append(
                f"links to {host}, which is not the host of a source; add it to sources "
                "or to BOT_LINK_HOSTS"
            )
    return problems


def _not_blank(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


TopicId = Annotated[str, AfterValidator(_topic_id)]
Url = Annotated[str, AfterValidator(_url)]
Text = Annotated[str, AfterValidator(_not_blank)]


class FrontMatter(BaseModel):
    """The keys of docs/knowledge-format.md; any other key is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: TopicId
    title: Text
    questions: tuple[Text, ...] = Field(default=(), validate_default=True)
    keywords: tuple[Text, ...] = ()
    related: tuple[TopicId, ...] = ()
    # Where to turn when what the article describes is not possible ("and if HR says
    # no?"): the topic a conversation goes to next.
    if_not: TopicId | None = None
    sources: tuple[Url, ...] = Field(default=(), validate_default=True)
    reviewed: dt.date
    tax_years: tuple[int, ...] = ()
    disclosure_note: Text | None = None

    @field_validator("questions")
    @classmethod
    def _enough_questions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(value) < MIN_QUESTIONS:
            raise ValueError(f"at least {MIN_QUESTIONS} questions are required, found {len(value)}")
        return value

    @field_validator("sources")
    @classmethod
    def _some_source(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("at least one URL is required")
        return value


KEYS = tuple(FrontMatter.model_fields)


@dataclass(frozen=True)
class ArticleFile:
    """The text of one article file, before validation."""

    path: Path
    text: str
    is_override: bool = False

    @property
    def label(self) -> str:
        return file_label(self.path, self.is_override)


@dataclass(frozen=True)
class Article:
    """A validated article; `is_override` when it came from BOT_KNOWLEDGE_DIR."""

    front: FrontMatter
    body: str
    path: Path
    is_override: bool = False

    @property
    def id(self) -> str:
        return self.front.id

    @property
    def label(self) -> str:
        return file_label(self.path, self.is_override)


def file_label(path: Path, is_override: bool) -> str:
    """How messages name a file: `knowledge/<id>.md` for built-ins, else its path."""
    return str(path) if is_override else f"knowledge/{path.name}"


def split_front_matter(text: str) -> tuple[str, str] | None:
    """The YAML between the opening and closing `---` lines, and the body; None if absent."""
    lines = text.removeprefix("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return None
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1 :])
    return None


def validate_file(
    file: ArticleFile, link_hosts: frozenset[str] = frozenset()
) -> tuple[Article | None, list[tuple[str, str]]]:
    """The article and no problems, or None and every (field, message) problem found.

    `link_hosts` are the hosts body links may go to besides those of the sources.
    """
    parts = split_front_matter(file.text)
    if parts is None:
        return None, [("front matter", "the file must start with front matter between '---' lines")]
    raw, body = parts
    try:
        data = safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        return None, [("front matter", f"is not valid YAML{where}")]
    if not isinstance(data, dict):
        return None, [("front matter", "must be a mapping of keys to values")]
    problems: list[tuple[str, str]] = []
    front: FrontMatter | None = None
    try:
        front = FrontMatter.model_validate(data)
    except ValidationError as exc:
        problems += [_describe(error) for error in exc.errors()]
    if not body.strip():
        problems.append(("body", "is empty"))
    stem = file.path.stem
    if front is not None and front.id != stem:
        problems.append(("id", f"'{front.id}' does not match the file name '{stem}.md'"))
    if front is not None:
        for name in ("body", "disclosure_note"):
            text = body if name == "body" else front.disclosure_note or ""
            problems += [(name, m) for m in link_problems(text, front.sources, link_hosts)]
    if problems or front is None:
        return None, problems
    return Article(front, body, file.path, file.is_override), []


def parse_article(file: ArticleFile, link_hosts: frozenset[str] = frozenset()) -> Article:
    """The validated article; KnowledgeError names the file and the first bad field."""
    article, problems = validate_file(file, link_hosts)
    if article is None:
        field, message = problems[0]
        raise KnowledgeError(file.label, field, message)
    return article


def _describe(error: Any) -> tuple[str, str]:
    loc = error["loc"]
    field = str(loc[0]) if loc else "front matter"
    kind = error["type"]
    if kind == "missing":
        message = "is required"
    elif kind == "extra_forbidden":
        message = f"unknown key; the keys are {', '.join(KEYS)}"
    elif kind == "value_error":
        message = str(error.get("ctx", {}).get("error", error["msg"]))
    else:
        message = str(error["msg"])
    items = [part for part in loc[1:] if isinstance(part, int)]
    if items:
        message = f"item {items[0] + 1}: {message}"
    return field, message

"""One article file: YAML front matter validated against the schema, then a Markdown body.

A validated article is plain data (`FrontMatter` is a frozen dataclass); the checks on
the front matter (`bot.knowledge.schema`, with pydantic and PyYAML) run only when a file
is read, so a prepared copy of articles checked before loads without either.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


class KnowledgeError(Exception):
    """An article that cannot be used; the message names the file and the field."""

    def __init__(self, file: str, field: str, message: str) -> None:
        super().__init__(f"{file}: {field}: {message}")
        self.file = file
        self.field = field
        self.message = message


_BODY_LINK = re.compile(
    r"\]\(\s*(?P<target>[^)\s]*)|<(?P<angle>[a-z][a-z0-9+.-]*:[^>\s]*)>"
    r"|(?P<bare>\b(?:https?|ftps?)://[^\s)>\]]*|\bwww\.[^\s)>\]]+)",
    re.IGNORECASE,
)


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


@dataclass(frozen=True)
class FrontMatter:
    """The keys of docs/knowledge-format.md, as `bot.knowledge.schema` checked them."""

    id: str
    title: str
    questions: tuple[str, ...]
    keywords: tuple[str, ...]
    related: tuple[str, ...]
    # Where to turn when what the article describes is not possible ("and if HR says
    # no?"): the topic a conversation goes to next.
    if_not: str | None
    sources: tuple[str, ...]
    reviewed: dt.date
    tax_years: tuple[int, ...]
    disclosure_note: str | None


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
    import yaml

    from bot.knowledge.schema import check_front_matter
    from calc.yamlfile import safe_load

    raw, body = parts
    try:
        data = safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        return None, [("front matter", f"is not valid YAML{where}")]
    if not isinstance(data, dict):
        return None, [("front matter", "must be a mapping of keys to values")]
    front, problems = check_front_matter(data)
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

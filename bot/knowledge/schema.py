"""The front matter schema of docs/knowledge-format.md (pydantic): every check on the keys,
giving the plain `FrontMatter` an article keeps."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.knowledge.article import FrontMatter

MIN_QUESTIONS = 8
_TOPIC_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Characters a source URL may not hold: spaces, controls, bidi controls, and the ones
# that end or relabel a link in Slack (`|`, `<`, `>`) or Markdown.
_URL_UNSAFE = re.compile(
    r"[\s\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069|<>\\\[\]()\"']"
)


def _topic_id(value: str) -> str:
    if not _TOPIC_ID.fullmatch(value):
        raise ValueError(f"'{value}' is not a topic id (lowercase letters, digits and hyphens)")
    return value


def _url(value: str) -> str:
    if _URL_UNSAFE.search(value):
        raise ValueError("is not a plain https URL: it holds a space, a control character or |<>")
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError(f"'{value}' is not an https URL")
    if "@" in parts.netloc:
        raise ValueError(f"'{value}' has a user name in it; a link must name only its host")
    return value


def _not_blank(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


TopicId = Annotated[str, AfterValidator(_topic_id)]
Url = Annotated[str, AfterValidator(_url)]
Text = Annotated[str, AfterValidator(_not_blank)]


class FrontMatterSchema(BaseModel):
    """The keys of docs/knowledge-format.md; any other key is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: TopicId
    title: Text
    questions: tuple[Text, ...] = Field(default=(), validate_default=True)
    keywords: tuple[Text, ...] = ()
    related: tuple[TopicId, ...] = ()
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


KEYS = tuple(FrontMatterSchema.model_fields)


def check_front_matter(data: dict[Any, Any]) -> tuple[FrontMatter | None, list[tuple[str, str]]]:
    """The front matter of the mapping `data`, or None and every (field, message) problem."""
    try:
        checked = FrontMatterSchema.model_validate(data)
    except ValidationError as exc:
        return None, [_describe(error) for error in exc.errors()]
    return FrontMatter(**{key: getattr(checked, key) for key in KEYS}), []


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

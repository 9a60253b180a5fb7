"""The conversation vocabulary (`knowledge/conversation.yaml`): loaded, validated, matched.

Every entry is a phrase of whole words. Messages are matched word by word after the same
folding the entries get (lowercase, apostrophes dropped, anything else not a letter, a
digit or `#` a break), so matching is one linear pass over the message per phrase length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.knowledge.article import KnowledgeError
from calc.yamlfile import safe_load

_APOSTROPHE = re.compile(r"[’‘`´']")
_BREAK = re.compile(r"[^a-z0-9#]+")

Phrase = tuple[str, ...]
SmalltalkKind = Literal["greeting", "thanks", "acknowledgement"]


def words(text: str) -> list[str]:
    """`text` as the words the vocabulary is matched on."""
    return _BREAK.sub(" ", _APOSTROPHE.sub("", text.lower())).split()


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _phrases(values: Sequence[object]) -> tuple[Phrase, ...]:
    found: list[Phrase] = []
    for value in values:
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise ValueError(f"{value!r} is not a word or phrase (quote yes, no, on and off)")
        phrase = tuple(words(str(value)))
        if not phrase:
            raise ValueError(f"{value!r} has no words")
        if phrase in found:
            raise ValueError(f"{value!r} is listed twice")
        found.append(phrase)
    return tuple(found)


class _Lists(_Strict):
    @field_validator("*", mode="before")
    @classmethod
    def _as_phrases(cls, value: object) -> tuple[Phrase, ...]:
        if not isinstance(value, list):
            raise ValueError("must be a list of words or phrases")
        return _phrases(value)


class Smalltalk(_Lists):
    greeting: tuple[Phrase, ...]
    thanks: tuple[Phrase, ...]
    acknowledgement: tuple[Phrase, ...]
    filler: tuple[Phrase, ...]


class Reset(_Lists):
    phrases: tuple[Phrase, ...]
    filler: tuple[Phrase, ...]


class Pick(_Lists):
    first: tuple[Phrase, ...]
    second: tuple[Phrase, ...]
    filler: tuple[Phrase, ...]
    common: tuple[Phrase, ...]


class FollowUp(_Lists):
    refer: tuple[Phrase, ...]
    lead: tuple[Phrase, ...]
    change: tuple[Phrase, ...]
    correct: tuple[Phrase, ...]
    adds: tuple[Phrase, ...]
    alternative: tuple[Phrase, ...]
    why: tuple[Phrase, ...]


class Correction(_Lists):
    before_old_amount: tuple[Phrase, ...]


class Paychecks(_Lists):
    left_after_number: tuple[Phrase, ...]
    nouns: tuple[Phrase, ...]


class NamedLimits(_Lists):
    words: tuple[Phrase, ...]


class Nothing(_Lists):
    employer_none: tuple[Phrase, ...]
    deferred_none: tuple[Phrase, ...]
    deferrals_none: tuple[Phrase, ...]


class Personal(_Lists):
    asks_amount: tuple[Phrase, ...]
    personal: tuple[Phrase, ...]
    explains: tuple[Phrase, ...]
    room: tuple[Phrase, ...]


class Line(_Strict):
    title: str = Field(min_length=1, max_length=80)
    text: str = Field(min_length=1, max_length=500)


class Replies(_Strict):
    greeting: Line
    greeting_more: Line
    thanks: Line
    acknowledgement: Line
    reset: Line


class Vocabulary(_Strict):
    """The whole file; unknown keys and repeated entries are errors."""

    smalltalk: Smalltalk
    reset: Reset
    pick: Pick
    follow_up: FollowUp
    correction: Correction
    paychecks: Paychecks
    named_limits: NamedLimits
    nothing: Nothing
    personal: Personal
    replies: Replies


class VocabularyError(KnowledgeError):
    """The vocabulary file is not valid; `field` names the entry, `message` what is wrong.

    A KnowledgeError, so every surface reports it at start-up in one line.
    """

    def __init__(self, name: str, field: str, message: str) -> None:
        super().__init__(f"knowledge/{name}", field, message)


def parse_vocabulary(text: str, name: str = "conversation.yaml") -> Vocabulary:
    """The vocabulary in `text`; VocabularyError says which entry is wrong."""
    try:
        data = safe_load(text)
        return Vocabulary.model_validate(data)
    except yaml.YAMLError:
        raise VocabularyError(name, "file", "is not valid YAML") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "file"
        raise VocabularyError(name, where, first["msg"]) from None


@cache
def vocabulary() -> Vocabulary:
    """The built-in vocabulary, read once."""
    text = resources.files("knowledge").joinpath("conversation.yaml").read_text(encoding="utf-8")
    return parse_vocabulary(text)


def covered(tokens: Sequence[str], phrases: Iterable[Phrase]) -> list[bool]:
    """Which of `tokens` some phrase of `phrases` covers (phrases may overlap)."""
    marks = [False] * len(tokens)
    for length, group in _by_length(tuple(phrases)):
        for start in range(len(tokens) - length + 1):
            if tuple(tokens[start : start + length]) in group:
                for i in range(start, start + length):
                    marks[i] = True
    return marks


@lru_cache(maxsize=256)
def _by_length(phrases: tuple[Phrase, ...]) -> tuple[tuple[int, frozenset[Phrase]], ...]:
    """`phrases` grouped by their number of words (the vocabulary's lists are few and fixed)."""
    by_length: dict[int, set[Phrase]] = {}
    for phrase in phrases:
        by_length.setdefault(len(phrase), set()).add(phrase)
    return tuple((length, frozenset(group)) for length, group in by_length.items())


def contains(tokens: Sequence[str], phrases: Iterable[Phrase]) -> bool:
    """Whether any of `phrases` appears in `tokens`."""
    return any(covered(tokens, phrases))


def starts_with(tokens: Sequence[str], phrases: Iterable[Phrase]) -> bool:
    """Whether `tokens` open with one of `phrases`."""
    return any(tuple(tokens[: len(p)]) == p for p in phrases)


def only(tokens: Sequence[str], phrases: Iterable[Phrase], filler: Iterable[Phrase]) -> bool:
    """Whether `tokens` are `phrases` and `filler` alone, with at least one of `phrases`."""
    if not tokens:
        return False
    main = covered(tokens, phrases)
    rest = covered(tokens, filler)
    return any(main) and all(m or f for m, f in zip(main, rest, strict=True))

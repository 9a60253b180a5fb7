"""The conversation vocabulary (`knowledge/conversation.yaml`): loaded, validated, matched.

Every entry is a phrase of whole words. Messages are matched word by word after the same
folding the entries get (lowercase, apostrophes dropped, anything else not a letter, a
digit or `#` a break), so matching is one linear pass over the message per phrase length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from typing import Literal, NamedTuple

from bot.knowledge.article import KnowledgeError

_APOSTROPHE = re.compile(r"[’‘`´']")
_BREAK = re.compile(r"[^a-z0-9#]+")

Phrase = tuple[str, ...]
SmalltalkKind = Literal["greeting", "thanks", "acknowledgement"]


def words(text: str) -> list[str]:
    """`text` as the words the vocabulary is matched on."""
    return _BREAK.sub(" ", _APOSTROPHE.sub("", text.lower())).split()


# The file's sections as `bot.conversation.schema` checked them: immutable NamedTuples,
# which take a fraction of a dataclass's time to define (this loads on every start).
class Smalltalk(NamedTuple):
    greeting: tuple[Phrase, ...]
    thanks: tuple[Phrase, ...]
    acknowledgement: tuple[Phrase, ...]
    filler: tuple[Phrase, ...]


class Reset(NamedTuple):
    phrases: tuple[Phrase, ...]
    filler: tuple[Phrase, ...]


class Pick(NamedTuple):
    first: tuple[Phrase, ...]
    second: tuple[Phrase, ...]
    filler: tuple[Phrase, ...]
    common: tuple[Phrase, ...]


class FollowUp(NamedTuple):
    refer: tuple[Phrase, ...]
    lead: tuple[Phrase, ...]
    change: tuple[Phrase, ...]
    correct: tuple[Phrase, ...]
    adds: tuple[Phrase, ...]
    alternative: tuple[Phrase, ...]
    why: tuple[Phrase, ...]


class Correction(NamedTuple):
    before_old_amount: tuple[Phrase, ...]


class Paychecks(NamedTuple):
    left_after_number: tuple[Phrase, ...]
    nouns: tuple[Phrase, ...]


class NamedLimits(NamedTuple):
    words: tuple[Phrase, ...]


class Nothing(NamedTuple):
    employer_none: tuple[Phrase, ...]
    deferred_none: tuple[Phrase, ...]
    deferrals_none: tuple[Phrase, ...]


class Personal(NamedTuple):
    asks_amount: tuple[Phrase, ...]
    personal: tuple[Phrase, ...]
    explains: tuple[Phrase, ...]
    room: tuple[Phrase, ...]


class Line(NamedTuple):
    title: str
    text: str


class Replies(NamedTuple):
    greeting: Line
    greeting_more: Line
    thanks: Line
    acknowledgement: Line
    reset: Line


class Vocabulary(NamedTuple):
    """The whole file, as `bot.conversation.schema` checked it."""

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
    import yaml
    from pydantic import ValidationError

    from bot.conversation.schema import checked_vocabulary
    from calc.yamlfile import safe_load

    try:
        return checked_vocabulary(safe_load(text))
    except yaml.YAMLError:
        raise VocabularyError(name, "file", "is not valid YAML") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "file"
        raise VocabularyError(name, where, first["msg"]) from None


def read_builtin() -> str:
    """The text of the built-in `knowledge/conversation.yaml`."""
    return resources.files("knowledge").joinpath("conversation.yaml").read_text(encoding="utf-8")


@cache
def builtin() -> Vocabulary:
    """The built-in vocabulary, read and checked once."""
    return parse_vocabulary(read_builtin())


_active: Vocabulary | None = None


def vocabulary() -> Vocabulary:
    """The vocabulary conversations use: the built-in one unless one was installed."""
    return _active if _active is not None else builtin()


def install(prepared: Vocabulary) -> None:
    """Use `prepared` from now on (a copy checked before, as the start-up cache holds)."""
    global _active
    _active = prepared


def covered(tokens: Sequence[str], phrases: Iterable[Phrase]) -> list[bool]:
    """Which of `tokens` some phrase of `phrases` covers (phrases may overlap)."""
    marks = [False] * len(tokens)
    starting = _by_first_word(phrases)
    for start, token in enumerate(tokens):
        for phrase in starting.get(token, ()):
            end = start + len(phrase)
            if tuple(tokens[start:end]) == phrase:
                for i in range(start, end):
                    marks[i] = True
    return marks


_indexes: dict[int, tuple[Iterable[Phrase], dict[str, tuple[Phrase, ...]]]] = {}


def _by_first_word(phrases: Iterable[Phrase]) -> dict[str, tuple[Phrase, ...]]:
    """`phrases` by their first word, worked out once per list: the vocabulary's lists are
    few and fixed, and kept here by identity rather than hashed on each use."""
    kept = _indexes.get(id(phrases))
    if kept is not None and kept[0] is phrases:
        return kept[1]
    index: dict[str, list[Phrase]] = {}
    for phrase in phrases:
        if phrase:
            index.setdefault(phrase[0], []).append(phrase)
    built = {word: tuple(group) for word, group in index.items()}
    if isinstance(phrases, tuple):
        if len(_indexes) > 512:
            _indexes.clear()
        _indexes[id(phrases)] = (phrases, built)
    return built


def contains(tokens: Sequence[str], phrases: Iterable[Phrase]) -> bool:
    """Whether any of `phrases` appears in `tokens`."""
    starting = _by_first_word(phrases)
    for start, token in enumerate(tokens):
        for phrase in starting.get(token, ()):
            if tuple(tokens[start : start + len(phrase)]) == phrase:
                return True
    return False


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

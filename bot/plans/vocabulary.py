"""The plan vocabulary (knowledge/plan-vocabulary.yaml): which questions are about our plan.

Phrases are read with the bot's own normaliser, so they match however a question spells
its jargon. Matching is a lookup of the question's word sequences: linear in its length.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.normalize import clean_tokens
from bot.plans.facts import FACTS
from bot.plans.loading import PlanError, to_lines
from calc.yamlfile import safe_load

Phrase = tuple[str, ...]
Cue = tuple[Phrase, ...]
LONGEST = 4
VOCABULARY_FILE = "plan-vocabulary.yaml"

Words = Annotated[str, Field(min_length=1, max_length=60)]
CueList = Annotated[list[Words], Field(min_length=1, max_length=4)]


class _TopicFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    facts: Annotated[list[Literal[tuple(FACTS)]], Field(min_length=1)]  # type: ignore[valid-type]
    article: str | None = None
    about_our_plan: bool = False
    cues: Annotated[list[CueList], Field(min_length=1)]
    unless: list[Words] = []


class _VocabularyFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    other_plan: list[Words]
    our_plan: list[Words]
    summary_exact: list[Words]
    summary: list[CueList]
    topics: Annotated[list[_TopicFile], Field(min_length=1)]
    calculations: dict[Literal["after-tax-room", "deferral-room", "employer-match"], list[CueList]]


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def words_of(tokens: Sequence[str]) -> list[str]:
    """Question tokens (from `clean_tokens`) in the form phrases are compared in."""
    return [_singular(token) for token in tokens]


def _phrase(text: str, where: str) -> Phrase:
    words = tuple(words_of(clean_tokens(text)))
    if not words or len(words) > LONGEST:
        raise PlanError([f"{VOCABULARY_FILE}: {where}: '{text}' must read as 1 to {LONGEST} words"])
    return words


def _cues(lists: Sequence[Sequence[str]], where: str) -> tuple[Cue, ...]:
    return tuple(tuple(_phrase(p, where) for p in cue) for cue in lists)


@dataclass(frozen=True)
class PlanTopic:
    """One thing a plan question can ask about, and the profile facts that answer it."""

    id: str
    facts: tuple[str, ...]
    article: str | None
    about_our_plan: bool
    cues: tuple[Cue, ...]
    unless: tuple[Phrase, ...] = ()


@dataclass(frozen=True)
class PlanQuery:
    """What a question asks of the plan: the facts to list and the article that follows.

    `summary` is a question about the plan with no more specific topic ("tell me about
    our plan", "does that apply to our plan?"): the summary, or in a conversation the
    facts of the topic just discussed.
    """

    facts: tuple[str, ...]
    article: str | None
    summary: bool = False


class Present:
    """The word sequences of one question, for constant-time phrase lookups."""

    def __init__(self, tokens: Sequence[str]) -> None:
        words = words_of(tokens)
        self.words = tuple(words)
        self._grams = {
            tuple(words[i : i + n])
            for n in range(1, LONGEST + 1)
            for i in range(len(words) - n + 1)
        }

    def has(self, phrase: Phrase) -> bool:
        return phrase in self._grams

    def any(self, phrases: Sequence[Phrase]) -> bool:
        return any(phrase in self._grams for phrase in phrases)

    def matched(self, cues: Sequence[Cue]) -> frozenset[Phrase]:
        """The phrases of every cue that is wholly present."""
        return frozenset(p for cue in cues if all(p in self._grams for p in cue) for p in cue)


@dataclass(frozen=True)
class Vocabulary:
    """The plan vocabulary, its phrases normalised once."""

    other_plan: tuple[Phrase, ...]
    our_plan: tuple[Phrase, ...]
    summary_exact: frozenset[Phrase]
    summary: tuple[Cue, ...]
    topics: tuple[PlanTopic, ...]
    calculations: Mapping[str, tuple[Cue, ...]]

    def is_other_plan(self, tokens: Sequence[str]) -> bool:
        """Whether the question is about some other plan (a spouse's, a former employer's)."""
        return Present(tokens).any(self.other_plan)

    def wants_calculation(self, topic: str, tokens: Sequence[str]) -> bool:
        """Whether the question asks for calculator `topic` in so many words."""
        return bool(Present(tokens).matched(self.calculations.get(topic, ())))

    def read(self, tokens: Sequence[str]) -> PlanQuery | None:
        """What the question asks of our plan, or None when it is not a question about it."""
        present = Present(tokens)
        if not present.words or present.any(self.other_plan):
            return None
        if present.words in self.summary_exact:
            return PlanQuery(facts=(), article=None, summary=True)
        ours = present.any(self.our_plan)
        found = [(t, present.matched(t.cues)) for t in self.topics if not present.any(t.unless)]
        found = [(t, m) for t, m in found if m and (ours or t.about_our_plan)]
        # A topic whose matched phrases another topic's include is the less specific one.
        kept = [t for t, m in found if not any(m < other for _, other in found)]
        if kept:
            facts = tuple(dict.fromkeys(f for t in kept for f in t.facts))
            article = next((t.article for t in kept if t.article), None)
            return PlanQuery(facts=facts, article=article)
        if ours and present.matched(self.summary):
            return PlanQuery(facts=(), article=None, summary=True)
        return None

    def for_article(self, article: str) -> PlanQuery | None:
        """The facts about our plan that go with a general article, for "does that apply here?"."""
        for topic in self.topics:
            if topic.article == article:
                return PlanQuery(facts=topic.facts, article=article)
        return None

    def articles(self) -> set[str]:
        """Every article the vocabulary names, to check against the knowledge base."""
        return {t.article for t in self.topics if t.article}


def parse_vocabulary(text: str) -> Vocabulary:
    """A vocabulary from YAML `text`; PlanError lists every problem."""
    try:
        raw = _VocabularyFile.model_validate(safe_load(text))
    except ValidationError as exc:
        raise PlanError(to_lines(VOCABULARY_FILE, exc)) from None
    ids = [t.id for t in raw.topics]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise PlanError([f"{VOCABULARY_FILE}: topics: duplicate ids {', '.join(duplicates)}"])
    return Vocabulary(
        other_plan=tuple(_phrase(p, "other_plan") for p in raw.other_plan),
        our_plan=tuple(_phrase(p, "our_plan") for p in raw.our_plan),
        summary_exact=frozenset(_phrase(p, "summary_exact") for p in raw.summary_exact),
        summary=_cues(raw.summary, "summary"),
        topics=tuple(
            PlanTopic(
                id=t.id,
                facts=tuple(t.facts),
                article=t.article,
                about_our_plan=t.about_our_plan,
                cues=_cues(t.cues, f"topics.{t.id}.cues"),
                unless=tuple(_phrase(p, f"topics.{t.id}.unless") for p in t.unless),
            )
            for t in raw.topics
        ),
        calculations={
            topic: _cues(cues, f"calculations.{topic}") for topic, cues in raw.calculations.items()
        },
    )


@cache
def load_vocabulary() -> Vocabulary:
    """The shipped vocabulary, read once."""
    text = resources.files("knowledge").joinpath(VOCABULARY_FILE).read_text(encoding="utf-8")
    return parse_vocabulary(text)

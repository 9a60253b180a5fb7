"""The schema of `knowledge/conversation.yaml` (pydantic), giving the plain `Vocabulary`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.conversation.vocabulary import (
    Correction,
    FollowUp,
    Line,
    NamedLimits,
    Nothing,
    Paychecks,
    Personal,
    Phrase,
    Pick,
    Replies,
    Reset,
    Smalltalk,
    Vocabulary,
    words,
)


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


class SmalltalkSchema(_Lists):
    greeting: tuple[Phrase, ...]
    thanks: tuple[Phrase, ...]
    acknowledgement: tuple[Phrase, ...]
    filler: tuple[Phrase, ...]


class ResetSchema(_Lists):
    phrases: tuple[Phrase, ...]
    filler: tuple[Phrase, ...]


class PickSchema(_Lists):
    first: tuple[Phrase, ...]
    second: tuple[Phrase, ...]
    filler: tuple[Phrase, ...]
    common: tuple[Phrase, ...]


class FollowUpSchema(_Lists):
    refer: tuple[Phrase, ...]
    lead: tuple[Phrase, ...]
    change: tuple[Phrase, ...]
    correct: tuple[Phrase, ...]
    adds: tuple[Phrase, ...]
    alternative: tuple[Phrase, ...]
    why: tuple[Phrase, ...]


class CorrectionSchema(_Lists):
    before_old_amount: tuple[Phrase, ...]


class PaychecksSchema(_Lists):
    left_after_number: tuple[Phrase, ...]
    nouns: tuple[Phrase, ...]


class NamedLimitsSchema(_Lists):
    words: tuple[Phrase, ...]


class NothingSchema(_Lists):
    employer_none: tuple[Phrase, ...]
    deferred_none: tuple[Phrase, ...]
    deferrals_none: tuple[Phrase, ...]


class PersonalSchema(_Lists):
    asks_amount: tuple[Phrase, ...]
    personal: tuple[Phrase, ...]
    explains: tuple[Phrase, ...]
    room: tuple[Phrase, ...]


class LineSchema(_Strict):
    title: str = Field(min_length=1, max_length=80)
    text: str = Field(min_length=1, max_length=500)


class RepliesSchema(_Strict):
    greeting: LineSchema
    greeting_more: LineSchema
    thanks: LineSchema
    acknowledgement: LineSchema
    reset: LineSchema


class VocabularySchema(_Strict):
    """The whole file; unknown keys and repeated entries are errors."""

    smalltalk: SmalltalkSchema
    reset: ResetSchema
    pick: PickSchema
    follow_up: FollowUpSchema
    correction: CorrectionSchema
    paychecks: PaychecksSchema
    named_limits: NamedLimitsSchema
    nothing: NothingSchema
    personal: PersonalSchema
    replies: RepliesSchema


def checked_vocabulary(data: Any) -> Vocabulary:
    """The vocabulary of the parsed file `data`; pydantic's ValidationError otherwise."""
    checked = VocabularySchema.model_validate(data)
    return Vocabulary(
        smalltalk=Smalltalk(**checked.smalltalk.model_dump()),
        reset=Reset(**checked.reset.model_dump()),
        pick=Pick(**checked.pick.model_dump()),
        follow_up=FollowUp(**checked.follow_up.model_dump()),
        correction=Correction(**checked.correction.model_dump()),
        paychecks=Paychecks(**checked.paychecks.model_dump()),
        named_limits=NamedLimits(**checked.named_limits.model_dump()),
        nothing=Nothing(**checked.nothing.model_dump()),
        personal=Personal(**checked.personal.model_dump()),
        replies=Replies(
            **{name: Line(**line) for name, line in checked.replies.model_dump().items()}
        ),
    )

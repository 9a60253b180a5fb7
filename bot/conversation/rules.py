"""The turn rules: what a message does to a conversation, read from its words alone.

Each function takes the message's vocabulary words (`vocabulary.words`) and plain data,
and decides one thing: a reset, small talk, a pick among offered topics, a message that
leans on the last answer, a change to the last calculation. The engine applies them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from functools import cache

from bot.conversation.vocabulary import (
    Phrase,
    SmalltalkKind,
    contains,
    covered,
    only,
    starts_with,
    vocabulary,
    words,
)
from calc.errors import CalcError
from calc.money import parse_amount

# An amount as people type it, for the corrections rule.
_AMOUNT = r"(?:\$\s?)?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|grand|thousand)\b)?%?"


def is_reset(tokens: Sequence[str]) -> bool:
    """ "start over", "reset", "forget that": the conversation begins again."""
    reset = vocabulary().reset
    return only(tokens, reset.phrases, reset.filler)


def _smalltalk_lists() -> tuple[tuple[SmalltalkKind, tuple[Phrase, ...]], ...]:
    talk = vocabulary().smalltalk
    return (
        ("greeting", talk.greeting),
        ("thanks", talk.thanks),
        ("acknowledgement", talk.acknowledgement),
    )


def _squeezed(tokens: Sequence[str]) -> list[str]:
    """Words with a drawn-out last letter shortened: "heyy" is "hey", "thxx" is "thx"."""
    out = []
    for word in tokens:
        end = len(word)
        while end > 2 and word[end - 1] == word[end - 2]:
            end -= 1
        out.append(word[:end] if end < len(word) else word)
    return out


def smalltalk_kind(tokens: Sequence[str]) -> SmalltalkKind | None:
    """A greeting, thanks or an acknowledgement, when the message is nothing else; a
    message of no words at all ("👍") is an acknowledgement."""
    if not tokens:
        return "acknowledgement"
    lists = _smalltalk_lists()
    every = [phrase for _, phrases in lists for phrase in phrases]
    filler = vocabulary().smalltalk.filler
    for candidate in (list(tokens), _squeezed(tokens)):
        if only(candidate, every, filler):
            return next(kind for kind, phrases in lists if contains(candidate, phrases))
    return None


def chatter_kind(tokens: Sequence[str]) -> SmalltalkKind | None:
    """A greeting or thanks inside other chatter ("heyy just started my first job lol",
    "ok i can't afford that but thx"): the caller makes it small talk only when the
    message asks nothing the bot could answer."""
    squeezed = _squeezed(tokens)
    for kind, phrases in _smalltalk_lists()[:2]:
        if contains(tokens, phrases) or contains(squeezed, phrases):
            return kind
    return None


def smalltalk_line(kind: SmalltalkKind | None) -> tuple[str, str]:
    """The title and friendly line for small talk (`None` is a reset); a greeting says more."""
    replies = vocabulary().replies
    if kind is None:
        return replies.reset.title, replies.reset.text
    if kind == "greeting":
        return replies.greeting.title, f"{replies.greeting.text}\n{replies.greeting_more.text}"
    line = replies.thanks if kind == "thanks" else replies.acknowledgement
    return line.title, line.text


def picked(
    tokens: Sequence[str],
    candidates: Sequence[str],
    describe: Callable[[str], Iterable[str]],
) -> str | None:
    """The offered topic a reply to "which did you mean?" picks, or None.

    "2", "the second one", "option 1" pick by place; other words pick the one candidate
    whose title or id names them ("the IRA one"). Anything more than a pick is a
    question of its own and picks nothing.
    """
    pick = vocabulary().pick
    if not tokens or not candidates:
        return None
    places = ((pick.first, 0), (pick.second, 1))
    for phrases, place in places:
        if only(tokens, phrases, pick.filler) and place < len(candidates):
            return candidates[-1] if place == 1 and _is_last(tokens) else candidates[place]
    own = [t for t, f in zip(tokens, covered(tokens, pick.filler), strict=True) if not f]
    if not own or len(own) > 4:
        return None
    scores = {topic: len(set(own) & set(describe(topic))) for topic in candidates}
    best = max(scores.values())
    winners = [topic for topic, score in scores.items() if score == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def _is_last(tokens: Sequence[str]) -> bool:
    return "last" in tokens or "latter" in tokens


def leans_back(tokens: Sequence[str]) -> bool:
    """Whether the message refers to the last answer or continues it."""
    follow = vocabulary().follow_up
    return contains(tokens, follow.refer) or starts_with(tokens, follow.lead)


def changes(tokens: Sequence[str]) -> bool:
    """Whether the message changes something in the last calculation."""
    return contains(tokens, vocabulary().follow_up.change)


def corrects(tokens: Sequence[str]) -> bool:
    """Whether the message puts right something said before ("oops", "I meant")."""
    return contains(tokens, vocabulary().follow_up.correct)


def asks_alternative(tokens: Sequence[str]) -> bool:
    """Whether the message asks what else to do ("and if HR says no?", "then what?")."""
    return contains(tokens, vocabulary().follow_up.alternative)


def adds(tokens: Sequence[str]) -> bool:
    """Whether a new amount comes on top of what was given ("there's also a 2k …")."""
    return contains(tokens, vocabulary().follow_up.adds)


def asks_own_figure(tokens: Sequence[str]) -> bool:
    """ "how much … do I have", "what's my …": the person's own figure, not how it works."""
    personal = vocabulary().personal
    return (
        contains(tokens, personal.asks_amount)
        and contains(tokens, personal.personal)
        and not contains(tokens, personal.explains)
    )


def common_title_words() -> frozenset[str]:
    """Words of the topics' titles too common to pick a topic by."""
    return frozenset(word for phrase in vocabulary().pick.common for word in phrase)


def asks_why(tokens: Sequence[str]) -> bool:
    """ "why isn't it …?", "how come …": a question for the reason, not for a new sum."""
    return contains(tokens, vocabulary().follow_up.why)


def asks_room(tokens: Sequence[str]) -> bool:
    """ "room", "left", "more": how much can still go in."""
    return contains(tokens, vocabulary().personal.room)


def employer_gives_nothing(tokens: Sequence[str]) -> bool:
    """ "they don't match anything", "no match": the employer puts in $0."""
    return contains(tokens, vocabulary().nothing.employer_none)


def defers_nothing(tokens: Sequence[str]) -> bool:
    """ "I defer nothing": no deferrals this year."""
    return contains(tokens, vocabulary().nothing.deferrals_none)


def deferred_nothing(tokens: Sequence[str]) -> bool:
    """ "haven't deferred anything yet": nothing deferred so far this year."""
    return contains(tokens, vocabulary().nothing.deferred_none)


def _alternatives(phrases: Iterable[Phrase]) -> str:
    """`phrases` as a regular expression's alternatives, longest first."""
    return "|".join(
        r"\s+".join(re.escape(word) for word in phrase)
        for phrase in sorted(phrases, key=len, reverse=True)
    )


@cache
def _old_amount() -> re.Pattern[str]:
    lead = _alternatives(vocabulary().correction.before_old_amount)
    return re.compile(rf"\b(?:{lead})\s*(?:[:,]\s*)?(?P<amount>{_AMOUNT})", re.IGNORECASE)


# "the 24.5k deferral limit", "the 72k cap": a dollar amount that names a limit (not a
# plan or form number: "529 contribution limits" asks about 529 plans).
_DOLLARS = (
    r"(?:\$\s?\d[\d,]*(?:\.\d+)?(?:\s?k\b)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|(?!40[13]\s?k\b)\d+(?:\.\d+)?\s?k\b|\d{4,}(?:\.\d+)?)"
)


@cache
def _named_limit() -> re.Pattern[str]:
    words = _alternatives(vocabulary().named_limits.words)
    # Only where a number starts, so a long run of digits is read once, not from each digit.
    return re.compile(
        rf"(?<![\w.,]){_DOLLARS}(?=\s+(?:[a-z0-9()]+\s+){{0,2}}?(?:{words})\b)", re.IGNORECASE
    )


def without_named_limits(text: str) -> str:
    """`text` without the amounts it names as limits ("is the 24.5k deferral limit per
    job?"): they are figures asked about, not anyone's money."""
    return _named_limit().sub(" ", text)


def without_old_amounts(text: str) -> tuple[str, list[Decimal]]:
    """`text` without the amounts a correction sets aside ("8,000 not 12,000" → "8,000"),
    and those amounts, so the new one can replace the input that had the old value."""
    old: list[Decimal] = []
    for found in _old_amount().finditer(text):
        value = _value(found.group("amount"))
        if value is not None:
            old.append(value)
    return _old_amount().sub(" ", text), old


def _value(amount: str) -> Decimal | None:
    try:
        return parse_amount(amount.replace("%", ""))
    except CalcError:
        return None


@cache
def _paychecks_left() -> re.Pattern[str]:
    tail = _alternatives(vocabulary().paychecks.left_after_number)
    noun = rf"(?:(?:{_alternatives(vocabulary().paychecks.nouns)})\s+)"
    return re.compile(rf"(?<![\d.,$])\b(\d{{1,3}})\s+(?:{noun})?(?:{tail})\b", re.IGNORECASE)


def paychecks_left(text: str) -> int | None:
    """ "6 left", "3 to go": the paychecks left in the year, when said that briefly."""
    found = _paychecks_left().search(text)
    if found is None:
        return None
    count = int(found.group(1))
    return count if 1 <= count <= 366 else None


__all__ = [
    "adds",
    "asks_alternative",
    "asks_own_figure",
    "asks_room",
    "asks_why",
    "changes",
    "chatter_kind",
    "common_title_words",
    "corrects",
    "deferred_nothing",
    "defers_nothing",
    "employer_gives_nothing",
    "is_reset",
    "leans_back",
    "paychecks_left",
    "picked",
    "smalltalk_kind",
    "smalltalk_line",
    "without_named_limits",
    "without_old_amounts",
    "words",
]

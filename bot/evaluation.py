"""Scoring the engine on a question set: top-1 topic, out-of-scope and number accuracy.

The set's format is that of the shared development questions: a `questions` list of
`{q, topic, expect}` entries, where `topic` is an id, a list of acceptable ids, or null
for a question the bot must not answer (a fallback, or small talk for "thanks!"), and
`expect` holds result fields that must match within $1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from bot.reply import Question, Reply

TOLERANCE = Decimal(1)
# Replies that answer nothing: right for a question out of scope ("thanks!" gets a
# friendly line, which covers no topic).
NOT_AN_ANSWER = frozenset({"fallback", "smalltalk"})


class EvalFormatError(ValueError):
    """A question set that does not follow the format; the message says where."""


@dataclass(frozen=True)
class Case:
    """One question of the set and what a correct reply is."""

    question: str
    topics: tuple[str, ...] | None
    expect: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Miss:
    """A case the engine got wrong, and what it replied."""

    case: Case
    kind: str
    topic: str | None
    why: str


@dataclass(frozen=True)
class Score:
    """Counts of right answers per measure, and every miss."""

    topic_right: int = 0
    topic_total: int = 0
    scope_right: int = 0
    scope_total: int = 0
    numbers_right: int = 0
    numbers_total: int = 0
    misses: tuple[Miss, ...] = ()

    @staticmethod
    def ratio(right: int, total: int) -> float:
        return right / total if total else 1.0

    @property
    def top1(self) -> float:
        return self.ratio(self.topic_right, self.topic_total)

    @property
    def out_of_scope(self) -> float:
        return self.ratio(self.scope_right, self.scope_total)

    @property
    def numbers(self) -> float:
        return self.ratio(self.numbers_right, self.numbers_total)


def parse_cases(data: object) -> list[Case]:
    """The cases of a loaded YAML document; EvalFormatError names the bad entry."""
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise EvalFormatError("the file must have a 'questions' list")
    cases = []
    for number, entry in enumerate(data["questions"], start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("q"), str):
            raise EvalFormatError(f"question {number} needs a 'q' string")
        if "topic" not in entry:
            raise EvalFormatError(f"question {number} needs a 'topic' (an id, a list, or null)")
        topic = entry["topic"]
        topics: tuple[str, ...] | None
        if topic is None:
            topics = None
        elif isinstance(topic, str):
            topics = (topic,)
        elif isinstance(topic, list) and topic and all(isinstance(t, str) for t in topic):
            topics = tuple(topic)
        else:
            raise EvalFormatError(f"question {number}: 'topic' must be an id, a list or null")
        expect: dict[str, Decimal] = {}
        raw = entry.get("expect") or {}
        if not isinstance(raw, dict):
            raise EvalFormatError(f"question {number}: 'expect' must map fields to numbers")
        for key, value in raw.items():
            try:
                expect[str(key)] = Decimal(str(value))
            except InvalidOperation:
                raise EvalFormatError(f"question {number}: expect.{key} is not a number") from None
        cases.append(Case(entry["q"], topics, expect))
    return cases


def _numbers_miss(case: Case, reply: Reply) -> str | None:
    result = reply.result or {}
    for key, want in case.expect.items():
        got = result.get(key)
        if not isinstance(got, (int, float)):
            return f"{key} missing (want {want})"
        if abs(Decimal(str(got)) - want) > TOLERANCE:
            return f"{key} = {got} (want {want})"
    return None


def evaluate(answer: Callable[[Question], Reply], cases: Sequence[Case], today: dt.date) -> Score:
    """Ask every case and count what the replies got right."""
    counts = dict.fromkeys(
        ("topic_right", "topic_total", "scope_right", "scope_total", "numbers_right"), 0
    )
    numbers_total = 0
    misses: list[Miss] = []
    for case in cases:
        reply = answer(Question(text=case.question, surface="cli", today=today))

        def miss(why: str, case: Case = case, reply: Reply = reply) -> None:
            misses.append(Miss(case, reply.kind, reply.topic, why))

        if case.topics is None:
            counts["scope_total"] += 1
            if reply.kind in NOT_AN_ANSWER:
                counts["scope_right"] += 1
            else:
                miss("answered a question it does not cover")
            continue
        counts["topic_total"] += 1
        if reply.kind != "fallback" and reply.topic in case.topics:
            counts["topic_right"] += 1
        else:
            miss(f"wanted {' or '.join(case.topics)}")
        if case.expect:
            numbers_total += 1
            problem = _numbers_miss(case, reply)
            if problem is None:
                counts["numbers_right"] += 1
            else:
                miss(problem)
    return Score(**counts, numbers_total=numbers_total, misses=tuple(misses))


@dataclass(frozen=True)
class TurnCase:
    """One turn of a conversation and what a right reply to it is."""

    say: str
    kinds: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    result: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Conversation:
    name: str
    turns: tuple[TurnCase, ...]


@dataclass(frozen=True)
class TurnMiss:
    """A turn the engine got wrong: which conversation, which turn, and what it replied."""

    conversation: str
    number: int
    say: str
    kind: str
    topic: str | None
    why: str


@dataclass(frozen=True)
class ConversationScore:
    turns_right: int = 0
    turns_total: int = 0
    conversations_right: int = 0
    conversations_total: int = 0
    misses: tuple[TurnMiss, ...] = ()

    @property
    def turns(self) -> float:
        return Score.ratio(self.turns_right, self.turns_total)

    @property
    def conversations(self) -> float:
        return Score.ratio(self.conversations_right, self.conversations_total)


def _ids(value: object, where: str, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise EvalFormatError(f"{where}: '{what}' must be an id or a list of ids")


def _turn(entry: object, where: str) -> TurnCase:
    if not isinstance(entry, dict) or not isinstance(entry.get("say"), str):
        raise EvalFormatError(f"{where} needs a 'say' string")
    expect = entry.get("expect") or {}
    if not isinstance(expect, dict):
        raise EvalFormatError(f"{where}: 'expect' must be a mapping")
    raw = expect.get("result") or {}
    if not isinstance(raw, dict):
        raise EvalFormatError(f"{where}: 'result' must map fields to numbers")
    result: dict[str, Decimal] = {}
    for key, value in raw.items():
        try:
            result[str(key)] = Decimal(str(value))
        except InvalidOperation:
            raise EvalFormatError(f"{where}: result.{key} is not a number") from None
    return TurnCase(
        entry["say"],
        _ids(expect.get("kind"), where, "kind"),
        _ids(expect.get("topic"), where, "topic"),
        result,
    )


def parse_conversations(data: object) -> list[Conversation]:
    """The conversations of a loaded YAML document; EvalFormatError names the bad entry."""
    if not isinstance(data, dict) or not isinstance(data.get("conversations"), list):
        raise EvalFormatError("the file must have a 'conversations' list")
    conversations = []
    for number, entry in enumerate(data["conversations"], start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("turns"), list):
            raise EvalFormatError(f"conversation {number} needs a 'turns' list")
        name = str(entry.get("name") or f"conversation {number}")
        turns = tuple(
            _turn(turn, f"{name}, turn {index}")
            for index, turn in enumerate(entry["turns"], start=1)
        )
        conversations.append(Conversation(name, turns))
    return conversations


def _turn_miss(case: TurnCase, reply: Reply) -> str | None:
    if case.kinds and reply.kind not in case.kinds:
        return f"wanted {' or '.join(case.kinds)}"
    if case.topics and reply.topic not in case.topics:
        return f"wanted {' or '.join(case.topics)}"
    return _numbers_miss(Case(case.say, None, case.result), reply)


def evaluate_conversations(
    converse: Callable[[str, Question], Reply],
    conversations: Sequence[Conversation],
    today: dt.date,
) -> ConversationScore:
    """Send every turn in order; `converse(name, question)` answers within conversation `name`."""
    turns_right = turns_total = conversations_right = 0
    misses: list[TurnMiss] = []
    for conversation in conversations:
        whole = True
        for number, case in enumerate(conversation.turns, start=1):
            reply = converse(conversation.name, Question(text=case.say, surface="cli", today=today))
            turns_total += 1
            why = _turn_miss(case, reply)
            if why is None:
                turns_right += 1
                continue
            whole = False
            misses.append(
                TurnMiss(conversation.name, number, case.say, reply.kind, reply.topic, why)
            )
        conversations_right += whole
    return ConversationScore(
        turns_right, turns_total, conversations_right, len(conversations), tuple(misses)
    )

"""What a conversation remembers between turns, as plain data that round-trips through JSON.

A state holds the calculator inputs given so far (by slot), the last calculator and its
result, the last article topic and a pending clarify. It never holds the text of a
message: only the numbers read from it and the topics answered.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.numbers import Numbers
from calc.formula import MatchFormula, Tier

# What a state keeps of a message's numbers: the slots, not what could not be read.
_NOT_KEPT = frozenset({"unassigned", "problems"})


@dataclass(frozen=True)
class ConversationKey:
    """Who is talking where: one conversation per (surface, space, channel, thread, user).

    `space` is the Slack workspace or Discord guild; `thread` the thread (None in a DM or
    for a channel's top level). A DM is keyed by its user and channel alone.
    """

    surface: str
    user: str
    space: str | None = None
    channel: str | None = None
    thread: str | None = None

    @property
    def id(self) -> str:
        """The key as one string, for a store; ids hold no message text."""
        parts = (self.surface, self.space, self.channel, self.thread, self.user)
        return ":".join(part or "-" for part in parts)


@dataclass(frozen=True)
class Pending:
    """A clarify waiting for its answer: topics offered, or a calculator's missing inputs.

    `calculate` says the topics offered are calculators to run, not articles to show.
    """

    topics: tuple[str, ...] = ()
    calculator: str | None = None
    calculate: bool = False


@dataclass(frozen=True)
class ConversationState:
    """A conversation after some turns; the empty state is a conversation not yet begun.

    `last` is the kind of the last reply that moved the conversation on (an article, a
    calculation or a clarify); small talk and fallbacks leave it as it was.
    """

    slots: Numbers = field(default_factory=Numbers)
    calculator: str | None = None
    result: Mapping[str, object] | None = None
    topic: str | None = None
    pending: Pending | None = None
    last: str | None = None
    turns: int = 0

    @property
    def is_empty(self) -> bool:
        return self == EMPTY

    def to_json(self) -> str:
        """The state as compact JSON (Decimals as strings, so no cent is lost)."""
        return json.dumps(
            {
                "slots": _slots_to_data(self.slots),
                "calculator": self.calculator,
                "result": _to_data(self.result) if self.result is not None else None,
                "topic": self.topic,
                "pending": dataclasses.asdict(self.pending) if self.pending else None,
                "last": self.last,
                "turns": self.turns,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> ConversationState:
        """A state from `to_json`; anything unreadable gives the empty state."""
        try:
            data = json.loads(text)
            pending = data.get("pending")
            return cls(
                slots=_slots_from_data(data.get("slots") or {}),
                calculator=data.get("calculator"),
                result=_from_data(data["result"]) if data.get("result") is not None else None,
                topic=data.get("topic"),
                pending=Pending(
                    topics=tuple(pending.get("topics", ())),
                    calculator=pending.get("calculator"),
                    calculate=bool(pending.get("calculate", False)),
                )
                if pending
                else None,
                last=data.get("last"),
                turns=int(data.get("turns", 0)),
            )
        except (ValueError, TypeError, KeyError, AttributeError, InvalidOperation):
            return EMPTY


EMPTY = ConversationState()


def _to_data(value: object) -> Any:
    if isinstance(value, Decimal):
        return {"$": str(value)}
    if isinstance(value, MatchFormula):
        return {"formula": [[str(t.rate), str(t.band)] for t in value.tiers]}
    if isinstance(value, Mapping):
        return {str(k): _to_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_to_data(v) for v in value]
    return value


def _from_data(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$"}:
            return Decimal(value["$"])
        if set(value) == {"formula"}:
            return MatchFormula(tuple(Tier(Decimal(r), Decimal(b)) for r, b in value["formula"]))
        return {k: _from_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_data(v) for v in value]
    return value


def _slots_to_data(numbers: Numbers) -> dict[str, Any]:
    data = {}
    for f in dataclasses.fields(numbers):
        value = getattr(numbers, f.name)
        if f.name in _NOT_KEPT or value is None or value is False:
            continue
        data[f.name] = _to_data(value)
    return data


def _slots_from_data(data: Mapping[str, Any]) -> Numbers:
    known = {f.name for f in dataclasses.fields(Numbers)} - _NOT_KEPT
    values = {k: _from_data(v) for k, v in data.items() if k in known}
    return Numbers(**values)

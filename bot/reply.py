"""The neutral seam between adapters and the engine: a Question in, a Reply out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Surface = Literal["console", "cli", "slack", "discord"]
Kind = Literal["article", "calculation", "clarify", "fallback", "smalltalk"]

CALCULATORS = ("after-tax-room", "deferral-room", "employer-match")


@dataclass(frozen=True)
class Question:
    """A question as any surface asks it.

    `conversation` is the id of the conversation the question belongs to (see
    `bot.conversation.ConversationKey`), or None for a question asked on its own.
    `command` names an explicit command ("aftertaxroom", "401k", "limits") and `args`
    its typed options (from a slash command's options or `key=value` text), so the
    engine treats them as given rather than guessed.
    """

    text: str
    surface: Surface = "console"
    user_id: str | None = None
    channel_id: str | None = None
    is_dm: bool = False
    in_thread: bool = False
    command: str | None = None
    args: Mapping[str, str] = field(default_factory=dict)
    year: int | None = None
    today: dt.date | None = None
    conversation: str | None = None


@dataclass(frozen=True)
class Reply:
    """One answer, in the fields of the reply contract (DESIGN.md).

    `confidence` is how sure the matcher was (1.0 for calculations), for logs and
    evaluation; it is not part of the contract. `also` holds the ids of topics that came
    close to an article's, offered next to it ("Also about: …"). `candidates` holds the
    topics a clarify or a fallback weighed, with their scores, for the curator report.
    """

    kind: Kind
    topic: str | None
    title: str
    text: str
    disclosure: str
    tax_year: int
    sources: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    result: dict[str, object] | None = None
    confidence: float = 1.0
    also: list[str] = field(default_factory=list)
    candidates: tuple[tuple[str, float], ...] = ()

    def __post_init__(self) -> None:
        if not self.disclosure.strip():
            raise ValueError("every reply carries a disclosure")

    def to_contract(self) -> dict[str, object]:
        """The JSON object `401k-bot ask --json` prints."""
        return {
            "kind": self.kind,
            "topic": self.topic,
            "title": self.title,
            "text": self.text,
            "disclosure": self.disclosure,
            "tax_year": self.tax_year,
            "sources": list(self.sources),
            "suggestions": list(self.suggestions),
            "result": self.result,
            "also": list(self.also),
        }

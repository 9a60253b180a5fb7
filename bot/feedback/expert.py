""" "Ask the benefits team": the last question each person asked, to fill the confirm form,
and the text posted to the experts' channel. Pure; nothing here is ever stored.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

QUESTION_MAX = 2000
REMEMBER_SECONDS = 30 * 60.0
REMEMBER_MAX = 10_000


@dataclass
class RecentQuestions:
    """The last question per person and channel, in memory only, for `REMEMBER_SECONDS`.

    It fills the "Ask the benefits team" form so the person sees, and can edit, exactly
    what would be sent. Bounded: the oldest entry goes first.
    """

    seconds: float = REMEMBER_SECONDS
    most: int = REMEMBER_MAX
    _items: OrderedDict[tuple[str, str], tuple[float, str]] = field(default_factory=OrderedDict)

    def put(self, user: str | None, channel: str | None, text: str, now: float) -> None:
        if not user or not text.strip():
            return
        key = (user, channel or "")
        self._items.pop(key, None)
        self._items[key] = (now, text.strip()[:QUESTION_MAX])
        while len(self._items) > self.most:
            self._items.popitem(last=False)

    def get(self, user: str | None, channel: str | None, now: float) -> str:
        """The question `user` last asked in `channel`, or "" when there is none (any more)."""
        found = self._items.get((user or "", channel or ""))
        if found is None or now - found[0] > self.seconds:
            return ""
        return found[1]


def expert_post(
    question: str, link: str | None, asker: str | None, team: str = "the benefits team"
) -> str:
    """What the experts' channel receives: the question as confirmed, and where to answer.

    `link` is the conversation to answer in; without one, `asker` is how to reach them.
    """
    lines = [f"*A question for {team}* (sent from 401k-bot by the person asking)"]
    lines += [f"> {line}" if line else ">" for line in question.strip().splitlines()]
    if link:
        lines.append(f"Answer in their conversation: {link}")
    elif asker:
        lines.append(f"Asked privately; reply to {asker} directly.")
    return "\n".join(lines)

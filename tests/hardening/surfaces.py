"""What each surface sent, read back as a person (or a mention parser) would see it."""

from __future__ import annotations

import re
import threading
from typing import Any

from bot.conversation import ConversationState
from bot.engine import Engine, Turn
from bot.reply import Question, Reply
from tests.fakes.slack import Call

# Slack turns these into mentions, broadcasts and channel links; the renderer's own links
# are `<https://…|label>`.
SLACK_ACTIVE = re.compile(r"<[!@#]")
# What Discord shows or pings as a mention in message text and embeds.
DISCORD_ACTIVE = re.compile(r"@(?:everyone|here)\b|<(?:@[!&]?|#)\d", re.IGNORECASE)

SLACK_SEQUENCES = (
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!here|here>",
    "<@U0VICTIM>",
    "<@U0VICTIM|pat>",
    "<#C0SECRET>",
    "<#C0SECRET|secret-plans>",
    "<!subteam^S0ADMINS>",
    "<!subteam^S0ADMINS|@admins>",
)
DISCORD_SEQUENCES = ("@everyone", "@here", "<@123456789012345678>", "<@&456789012345678901>")


def slack_texts(node: Any) -> list[str]:
    """Every `text` string in a Slack body: the fallback, blocks, buttons and context."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("text", "errors") and isinstance(value, str):
                found.append(value)
            else:
                found += slack_texts(value)
    elif isinstance(node, list):
        for item in node:
            found += slack_texts(item)
    return found


def slack_active(call: Call) -> list[str]:
    """The texts of `call` in which Slack would find a mention, broadcast or channel link."""
    return [text for text in slack_texts(call.body) if SLACK_ACTIVE.search(text)]


def discord_texts(body: dict[str, Any]) -> list[str]:
    """Every piece of text in a Discord send: content, embeds and button labels."""
    data = body.get("data") or body
    texts = [str(data.get("content") or "")]
    for embed in data.get("embeds") or []:
        texts += [embed.get("title", ""), embed.get("description", "")]
        texts += [embed.get("footer", {}).get("text", ""), embed.get("author", {}).get("name", "")]
        for field in embed.get("fields", []):
            texts += [field["name"], field["value"]]
    for row in data.get("components") or []:
        texts += [button.get("label", "") for button in row.get("components", [])]
    for choice in data.get("choices") or []:
        texts.append(choice["name"])
    return [text for text in texts if text]


def pings_nobody(body: dict[str, Any]) -> bool:
    """Whether a Discord send's allowed_mentions lets nothing ping."""
    data = body.get("data") or body
    mentions = data.get("allowed_mentions")
    return (
        mentions is not None
        and mentions.get("parse") == []
        and not mentions.get("users")
        and not mentions.get("roles")
        and not mentions.get("replied_user")
    )


class RaisingEngine(Engine):
    """An engine whose every answer fails, with what was asked in the error."""

    def answer(self, question: Question) -> Reply:
        raise RuntimeError(f"could not answer {question.text!r} from {question.user_id}")

    def converse(self, question: Question, state: ConversationState | None = None) -> Turn:
        return Turn(self.answer(question), state or ConversationState())


class HangingEngine(Engine):
    """An engine that never answers until `release` is set."""

    release: threading.Event

    def answer(self, question: Question) -> Reply:
        self.release.wait(30)
        raise RuntimeError("released")

    def converse(self, question: Question, state: ConversationState | None = None) -> Turn:
        return Turn(self.answer(question), state or ConversationState())


def hanging(engine: Engine, release: threading.Event) -> HangingEngine:
    stuck = HangingEngine(limits=engine.limits, disclosure=engine.disclosure)
    stuck.release = release
    return stuck


def raising(engine: Engine) -> RaisingEngine:
    return RaisingEngine(limits=engine.limits, disclosure=engine.disclosure)

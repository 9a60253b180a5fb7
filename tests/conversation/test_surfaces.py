"""Every development conversation, turn by turn, in a Slack DM and a Discord DM: each turn
gets the kind, topic and figures the conversation set expects, on both surfaces."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cooldown import Cooldown
from bot.engine import Engine, default_engine
from bot.evaluation import Conversation, TurnCase, parse_conversations
from bot.knowledge import load_articles, render_article
from bot.render.discord import COLORS
from bot.replies import TITLES
from bot.slack.answering import Answerer
from bot.slack.dedupe import SeenEvents
from calc.limits import load_limits
from tests.fakes.slack import TODAY, FakeSlack, make_driver
from tests.hardening.test_parity import figures

DEV = Path(__file__).parents[2].parent / "shared" / "eval" / "dev-conversations.yaml"
CONVERSATIONS = parse_conversations(yaml.safe_load(DEV.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def engine() -> Engine:
    return default_engine(default_year=2026)


def amounts(seen: Any) -> list[Decimal]:
    """The dollar figures a reply shows ("$41,300", "$2,979.16"), as numbers."""
    return [Decimal(f.lstrip("$").replace(",", "")) for f in seen if f.startswith("$")]


def check(case: TurnCase, kind: str, topic: str | None, seen: Any) -> None:
    """The turn's kind and topic (None: not shown by the surface), and each non-zero figure."""
    assert not case.kinds or kind in case.kinds, (case.say, kind, topic)
    assert not case.topics or topic is None or topic in case.topics, (case.say, kind, topic)
    shown = amounts(seen)
    for field, value in case.result.items():
        # Within $1, as the conversation sets are scored; a $0 need not be written out.
        assert not value or any(abs(a - value) <= 1 for a in shown), (case.say, field, value)


def discord_topic_of(embeds: list[dict[str, Any]], kind: str) -> str | None:
    """The article or calculator a Discord reply is, by its title in any tax year; a
    clarify asking for numbers, small talk and a fallback name none."""
    if kind in ("fallback", "smalltalk", "clarify"):
        return None
    titles = {title: topic for topic, title in TITLES.items()}
    for year in load_limits().years:
        limits = load_limits().get(year)
        titles.update({render_article(a, limits).title: a.id for a in load_articles().values()})
    return titles[embeds[0]["title"]]


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=[c.name for c in CONVERSATIONS])
async def test_each_dev_conversation_in_a_slack_dm(
    conversation: Conversation, engine: Engine, fake_slack: FakeSlack
) -> None:
    state = Answerer(
        engine=engine, today=lambda: TODAY, seen=SeenEvents(), cooldown=Cooldown(1000, 1.0)
    )
    slack = make_driver(fake_slack, state)
    for number, case in enumerate(conversation.turns, start=1):
        event = slack.requests.event_payload(
            "message_im", f"EvDev{number:02d}", text=case.say, ts=f"17642801{number:02d}.0001"
        )
        await slack.event(event)
        posted = fake_slack.to("chat.postMessage")[-1]
        blocks = posted.body["blocks"]
        _, kind, topic = blocks[0]["block_id"].split(":", 2)
        sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
        check(case, kind, topic or None, figures(*sections))
    assert len(fake_slack.to("chat.postMessage")) == len(conversation.turns)


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=[c.name for c in CONVERSATIONS])
async def test_each_dev_conversation_in_a_discord_dm(
    conversation: Conversation, engine: Engine, discord_bot_with: Any
) -> None:
    bot = await discord_bot_with(engine, bot_tax_year=2026, discord_cooldown_questions=1000)
    for number, case in enumerate(conversation.turns, start=1):
        dm = bot.payload("dm", id=f"13000000000000{number:05d}", content=case.say)
        bot.message(dm)
        sent = (
            await bot.fake.wait_for("POST", rf"channels/{dm['channel_id']}/messages", count=number)
        )[-1]
        embeds = sent.body["embeds"]
        kind = {color: kind for kind, color in COLORS.items()}[embeds[0]["color"]]
        topic = discord_topic_of(embeds, kind)
        texts = [embeds[0]["title"]]
        for embed in embeds:
            texts.append(embed.get("description", ""))
            texts += [f["value"] for f in embed.get("fields", [])]
        check(case, kind, topic, figures(*texts))

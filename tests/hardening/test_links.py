"""No reply carries a link the bot did not take from an article's reviewed sources.

Each way of writing a link is sent through every surface: the command line, Slack
(mention, DM, slash commands, the form) and Discord (slash commands, mention, DM).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any
from urllib.parse import urlsplit

import pytest

from bot.cooldown import Cooldown
from bot.engine import Engine
from bot.knowledge import load_articles
from bot.slack.answering import Answerer
from bot.slack.dedupe import SeenEvents
from calc.limits import load_limits
from tests.fakes.slack import TODAY, FakeSlack, make_driver

LINKS = (
    "https://evil.example/irs",
    "<https://evil.example/irs|www.irs.gov 2026 limits>",
    "[www.irs.gov/retirement-plans 2026 limits](https://evil.example/irs)",
    "[IRS notice 2025-67](ht``tps://evil.example/n)",
    "[IRS notice 2025-67](h||ttps://evil.example/n)",
    "[IRS notice](h**ttps://evil.example/n)",
    "HTTPS://EVIL.EXAMPLE/IRS",
    "https://www.irs.gov@evil.example/retirement-plans",
    "https://xn--irs-gv-7wa.example/limits",
    "www.evil.example/irs",
)
URL = re.compile(r"(?i)\b(?:https?|ftp)://[^\s<>|()\[\]\"'\\]+|\bwww\.[^\s<>|()\[\]\"'\\]+")
BOT_MENTION = "<@1100000000000000002>"


def reviewed_hosts() -> set[str]:
    """The hosts of every article source and of the limits data's sources."""
    urls = [url for article in load_articles().values() for url in article.front.sources]
    limits = load_limits()
    urls += [str(limits.get(year).source.url) for year in limits.years]
    return {urlsplit(url).hostname or "" for url in urls}


def foreign_links(sent: str) -> list[str]:
    """Links in `sent` to anywhere but a reviewed source's host, and any trace of the bait."""
    hosts = reviewed_hosts()
    found = [
        url
        for url in URL.findall(sent)
        if (urlsplit(url if "://" in url else "https://" + url).hostname or "") not in hosts
    ]
    lowered = sent.lower()
    found += [bait for bait in ("evil", "xn--") if bait in lowered]
    return found


def test_no_link_comes_back_from_the_command_line() -> None:
    """`ask --json -` answers every link form without repeating any of it."""
    lines = []
    for link in LINKS:
        lines += [
            f"after-tax room: I defer 24500, employer={link}",
            f'aftertaxroom deferrals=24500 employer="{link}" frequency={link}',
            f"what is {link} a mega backdoor roth {link}",
            f"match is 50% up to 6% {link} on salary 100000 how much after-tax room",
        ]
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "--json", "-"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    replies = done.stdout.splitlines()
    assert len(replies) == len(lines)
    assert all(json.loads(reply)["disclosure"] for reply in replies)
    assert foreign_links(done.stdout) == []


@pytest.mark.parametrize("link", LINKS)
async def test_no_link_comes_back_on_slack(
    fake_slack: FakeSlack, engine: Engine, link: str
) -> None:
    """Mentions, DMs, both slash commands and the form never send a typed link back."""
    state = Answerer(
        engine=engine, today=lambda: TODAY, seen=SeenEvents(), cooldown=Cooldown(1000, 60.0)
    )
    slack = make_driver(fake_slack, state)
    said = f"after-tax room: I defer 24500, employer={link} {link}"
    await slack.event(slack.requests.event_payload("app_mention", "EvL1", text=f"<@U0BOT> {said}"))
    await slack.event(slack.requests.event_payload("message_im", "EvL2", text=said))
    await slack.command("/401k", f"public {link} mega backdoor roth")
    await slack.command("/aftertaxroom", f'public deferrals=24500 employer="{link}"')
    await slack.command("/aftertaxroom", f"public 24500 10000 frequency={link}")
    form = slack.requests.payload("view_submission")
    form["view"]["state"]["values"] = {
        name: {name: {"type": "plain_text_input", "value": value}}
        for name, value in {"deferrals": "24500", "salary": "100000", "match": link}.items()
    }
    answer = await slack.interaction(form)

    sent = slack.fake.posts()
    assert len(sent) >= 5
    assert foreign_links(json.dumps([call.body for call in sent])) == []
    assert foreign_links(str(answer.body)) == []


@pytest.mark.parametrize("link", LINKS)
async def test_no_link_comes_back_on_discord(
    discord_bot_with: Any, engine: Engine, link: str
) -> None:
    """Slash-command options, mentions and DMs never send a typed link back."""
    discord_bot = await discord_bot_with(engine, discord_cooldown_questions=1000)
    said = f"after-tax room: I defer 24500, employer={link} {link}"
    discord_bot.interact(discord_bot.command("ask", question=said))
    discord_bot.interact(
        discord_bot.command("aftertaxroom", deferrals=24500, salary=90000, match=link)
    )
    discord_bot.interact(
        discord_bot.command("aftertaxroom", deferrals=24500, employer=0, pay_frequency=link)
    )
    discord_bot.message(discord_bot.payload("dm", content=said))
    discord_bot.message(discord_bot.payload("mention", content=f"{BOT_MENTION} {said}"))

    await discord_bot.fake.wait_for("POST", r"interactions/\d+/[^/]+/callback", count=3)
    await discord_bot.fake.wait_for("POST", r"channels/\d+/messages", count=2)
    await discord_bot.settle(0.05)
    sent = discord_bot.fake.replies()
    assert len(sent) == 5
    assert foreign_links(json.dumps([reply.body for reply in sent])) == []

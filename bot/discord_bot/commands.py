"""The slash commands: /aftertaxroom, /401k, /limits and /help, on one command tree."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice, Range

from bot.discord_bot.limits import limits_reply
from bot.discord_bot.questions import (
    AGE_MAX,
    AGE_MIN,
    AMOUNT_MAX,
    AMOUNT_MIN,
    MATCH_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    Asker,
    room_problems,
    suggest_topics,
    to_args,
)
from bot.discord_bot.service import Answers
from bot.discord_bot.views import send_kwargs, topic_buttons
from bot.logs import log_failure
from bot.render.discord import DiscordMessage
from bot.reply import Question, Reply
from calc.paycheck import PAY_FREQUENCIES

LOGGER = logging.getLogger("401k-bot.discord")

Tree = app_commands.CommandTree[discord.Client]

_THREADS = {
    discord.ChannelType.public_thread,
    discord.ChannelType.private_thread,
    discord.ChannelType.news_thread,
}
PUBLIC = "Post the answer in the channel for everyone (default: only you see it)"


def asker_of(interaction: discord.Interaction[Any]) -> Asker:
    """Who sent `interaction`, and where."""
    channel_type = getattr(interaction.channel, "type", None)
    return Asker(
        user_id=str(interaction.user.id),
        channel_id=str(interaction.channel_id) if interaction.channel_id else None,
        is_dm=interaction.guild_id is None,
        in_thread=channel_type in _THREADS,
        today=dt.date.today(),
    )


class Interactions:
    """Answers slash commands and button clicks, ephemerally unless asked to post."""

    def __init__(self, answers: Answers) -> None:
        self.answers = answers
        self.buttons = topic_buttons(self.on_topic)

    async def send(
        self, interaction: discord.Interaction[Any], message: DiscordMessage, *, public: bool
    ) -> None:
        await interaction.response.send_message(
            ephemeral=not public, **send_kwargs(message, self.buttons)
        )

    async def admit(self, interaction: discord.Interaction[Any]) -> bool:
        """Whether to answer: not while shutting down, nor past the user's cooldown."""
        if not self.answers.inflight.accepting:
            return False
        verdict = self.answers.check(str(interaction.user.id))
        if not verdict.allowed:
            await self.send(interaction, self.answers.slow_down(verdict), public=False)
        return verdict.allowed

    async def reply(
        self,
        interaction: discord.Interaction[Any],
        make: Callable[[], Reply],
        *,
        public: bool,
        command: str,
    ) -> None:
        async def send(message: DiscordMessage) -> None:
            await self.send(interaction, message, public=public)

        await self.answers.deliver(make, send, command=command)

    async def ask(
        self, interaction: discord.Interaction[Any], question: Question, *, public: bool
    ) -> None:
        engine = self.answers.engine
        await self.reply(
            interaction,
            lambda: engine.answer(question),
            public=public,
            command=question.command or "401k",
        )

    async def topic(
        self, interaction: discord.Interaction[Any], topic: str, *, public: bool
    ) -> None:
        """The article `topic`, asked for by a button or an autocomplete pick."""
        engine = self.answers.engine
        question = asker_of(interaction).about(topic)
        await self.reply(
            interaction, lambda: engine.answer(question), public=public, command="topic"
        )

    async def on_topic(self, interaction: discord.Interaction[Any], topic: str) -> None:
        """A related-topic or clarify button: the article, shown only to whoever clicked."""
        if await self.admit(interaction):
            await self.topic(interaction, topic, public=False)


def build_tree(client: discord.Client, interactions: Interactions, years: Sequence[int]) -> Tree:
    """The command tree with every command registered; syncing is the caller's choice."""
    tree: Tree = app_commands.CommandTree(client)
    answers = interactions.answers
    year_choices = [Choice(name=str(year), value=year) for year in years]
    frequency_choices = [Choice(name=name, value=name) for name in PAY_FREQUENCIES]

    @tree.command(
        name="aftertaxroom",
        description="How much after-tax (non-Roth) money fits under the annual additions limit",
    )
    @app_commands.describe(
        deferrals="Your employee deferrals for the year, pre-tax + Roth, in whole dollars",
        employer="Employer contributions for the year (match, profit sharing), in whole dollars",
        age="Your age on December 31 of the tax year; catch-ups don't count toward the limit",
        year="The tax year (default: this year)",
        salary="Your pay for the year, in whole dollars; the limit is 100% of pay when lower",
        match="Your employer's match formula, e.g. 50% up to 6%; needs salary, replaces employer",
        pay_frequency="Also show the room per paycheck",
        public=PUBLIC,
    )
    @app_commands.choices(year=year_choices)
    @app_commands.choices(pay_frequency=frequency_choices)
    async def aftertaxroom(
        interaction: discord.Interaction,
        deferrals: Range[int, AMOUNT_MIN, AMOUNT_MAX],
        employer: Range[int, AMOUNT_MIN, AMOUNT_MAX] | None = None,
        age: Range[int, AGE_MIN, AGE_MAX] | None = None,
        year: int | None = None,
        salary: Range[int, AMOUNT_MIN, AMOUNT_MAX] | None = None,
        match: Range[str, 1, MATCH_MAX_LENGTH] | None = None,
        pay_frequency: str | None = None,
        public: bool = False,
    ) -> None:
        if not await interactions.admit(interaction):
            return
        options = {
            "deferrals": deferrals,
            "employer": employer,
            "age": age,
            "year": year,
            "salary": salary,
            "match": match,
            "pay_frequency": pay_frequency,
        }
        problems = room_problems(options, years)
        if problems:
            await interactions.send(interaction, answers.problem("\n".join(problems)), public=False)
            return
        # The options are all in `args`; there is no free text to read numbers from.
        question = asker_of(interaction).ask(
            "", command="aftertaxroom", args=to_args(options), year=year
        )
        await interactions.ask(interaction, question, public=public)

    @tree.command(name="401k", description="Ask a 401(k) question, or pick a topic")
    @app_commands.describe(
        question="Your question, e.g. Roth vs after-tax: what's the difference?", public=PUBLIC
    )
    async def ask(
        interaction: discord.Interaction,
        question: Range[str, 1, QUESTION_MAX_LENGTH],
        public: bool = False,
    ) -> None:
        if not await interactions.admit(interaction):
            return
        text = question.strip()
        if text in answers.titles():
            await interactions.topic(interaction, text, public=public)
            return
        asked = asker_of(interaction).ask(text, command="401k")
        await interactions.ask(interaction, asked, public=public)

    @ask.autocomplete("question")
    async def ask_autocomplete(interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        return [
            Choice(name=title, value=topic)
            for topic, title in suggest_topics(current, answers.titles())
        ]

    @tree.command(name="limits", description="The year's 401(k) and IRA limits, with IRS source")
    @app_commands.describe(year="The tax year (default: this year)", public=PUBLIC)
    @app_commands.choices(year=year_choices)
    async def limits(
        interaction: discord.Interaction, year: int | None = None, public: bool = False
    ) -> None:
        if not await interactions.admit(interaction):
            return
        if year is not None and year not in years:
            known = ", ".join(str(y) for y in years)
            message = answers.problem(f"`year` must be one of {known}.")
            await interactions.send(interaction, message, public=False)
            return
        question = asker_of(interaction).ask("limits", command="limits", year=year)
        engine = answers.engine

        def make() -> Reply:
            return limits_reply(engine.choose_year(question), answers.disclosure)

        await interactions.reply(interaction, make, public=public, command="limits")

    @tree.command(name="help", description="What this bot can answer, and how to ask")
    @app_commands.describe(public=PUBLIC)
    async def help_(interaction: discord.Interaction, public: bool = False) -> None:
        if not await interactions.admit(interaction):
            return
        question = asker_of(interaction).ask("help", command="help")
        await interactions.ask(interaction, question, public=public)

    @tree.error
    async def on_error(
        interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        log_failure("command_failed", "discord", code=type(error).__name__, level=logging.ERROR)
        LOGGER.debug("command failed", exc_info=error)
        if not interaction.response.is_done():
            await interactions.send(interaction, answers.apology(), public=False)

    return tree

"""The commands on one tree: /aftertaxroom, /401k, /limits, /help, /about, /401k-settings
and the message command "Ask 401k-bot about this message".

Every command but /401k-settings works where the bot is installed to a server and where
a person installed it to their own account: in servers, in DMs with the bot, and in
group DMs.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice, Range

import bot
from bot.conversation import ConversationKey
from bot.discord_bot.about import about_reply
from bot.discord_bot.failures import Failures, SendFailed, notice_lost
from bot.discord_bot.feedback import Feedback
from bot.discord_bot.guild_settings import GuildSettings, GuildSettingsStore
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
from bot.discord_bot.service import Answers, Send
from bot.discord_bot.topics import articles_of
from bot.discord_bot.views import send_kwargs, topic_buttons
from bot.logs import log_failure
from bot.render.discord import NOTICE_COLOR, DiscordMessage, shortened, without_expert
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
ASK_ABOUT = "Ask 401k-bot about this message"
NO_TEXT = "That message has no text I can read. Use `/401k` to ask in your own words."
NOT_A_MODERATOR = "Only members with the Manage Server permission can change these settings."
EVERYWHERE = app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True)
ANY_INSTALL = app_commands.AppInstallationType(guild=True, user=True)


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
    """Answers commands and button clicks, ephemerally unless asked to post.

    A server's moderators may turn public answers off, or make them short.
    """

    def __init__(
        self, answers: Answers, guild_settings: GuildSettingsStore, failures: Failures
    ) -> None:
        self.answers = answers
        self.guild_settings = guild_settings
        self.failures = failures
        self.feedback = Feedback(self)
        self.buttons = topic_buttons(
            self.on_topic, self.feedback.on_feedback, self.feedback.on_expert
        )

    async def settings_for(self, interaction: discord.Interaction[Any]) -> GuildSettings:
        if interaction.guild_id is None:
            return GuildSettings()
        return await self.guild_settings.get(interaction.guild_id)

    async def send(
        self, interaction: discord.Interaction[Any], message: DiscordMessage, *, public: bool
    ) -> None:
        if public or message.actions:
            settings = await self.settings_for(interaction)
            public = public and settings.public_replies
            if public and settings.short_replies:
                message = shortened(message)
            if settings.expert_channel is None:
                message = without_expert(message)
        try:
            await interaction.response.send_message(
                ephemeral=not public, **send_kwargs(message, self.buttons)
            )
        except discord.HTTPException as exc:
            raise self.failures.record(
                exc, guild_id=interaction.guild_id, channel_id=interaction.channel_id
            ) from None

    async def admit(self, interaction: discord.Interaction[Any]) -> bool:
        """Whether to answer: not while shutting down, nor past the user's cooldown."""
        if not self.answers.inflight.accepting:
            return False
        verdict = await self.answers.check(str(interaction.user.id))
        if not verdict.allowed:
            try:
                await self.send(interaction, self.answers.slow_down(verdict), public=False)
            except SendFailed as failed:
                notice_lost(failed)
        return verdict.allowed

    async def reply(
        self,
        interaction: discord.Interaction[Any],
        make: Callable[[], Reply],
        *,
        public: bool,
        command: str,
    ) -> None:
        """What `make` builds (a limits table, the about page), sent for `interaction`."""
        await self.answers.deliver(make, self.sender(interaction, public=public), command=command)

    def sender(self, interaction: discord.Interaction[Any], *, public: bool) -> Send:
        async def send(message: DiscordMessage) -> None:
            await self.send(interaction, message, public=public)

        return send

    async def ask(
        self, interaction: discord.Interaction[Any], question: Question, *, public: bool
    ) -> None:
        """`question` answered on its own: a command is not a turn of a conversation."""
        send = self.sender(interaction, public=public)
        await self.answers.respond(question, send, command=question.command or "401k")

    async def topic(
        self, interaction: discord.Interaction[Any], topic: str, *, public: bool
    ) -> None:
        """The article `topic`, asked for by a button or an autocomplete pick."""
        question = asker_of(interaction).about(topic)
        await self.answers.respond(
            question, self.sender(interaction, public=public), command="topic"
        )

    async def on_topic(self, interaction: discord.Interaction[Any], topic: str) -> None:
        """A related-topic or clarify button: the article, shown only to whoever clicked.

        The click is a turn of the clicker's conversation in that channel, so a follow-up
        mention ("how do I set that up?") goes on from the article clicked.
        """
        if not await self.admit(interaction):
            return
        asker = asker_of(interaction)
        key = ConversationKey("discord", asker.user_id, channel=asker.channel_id)
        question = replace(asker.about(topic), conversation=key.id)
        await self.answers.respond(
            question, self.sender(interaction, public=False), command="topic"
        )


def build_tree(client: discord.Client, interactions: Interactions, years: Sequence[int]) -> Tree:
    """The command tree with every command registered; syncing is the caller's choice."""
    tree: Tree = app_commands.CommandTree(
        client, allowed_contexts=EVERYWHERE, allowed_installs=ANY_INSTALL
    )
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

    @tree.command(name="plan", description="What our 401(k) plan allows, from its plan profile")
    @app_commands.describe(public=PUBLIC)
    async def plan(interaction: discord.Interaction, public: bool = False) -> None:
        if not await interactions.admit(interaction):
            return
        question = asker_of(interaction).ask("plan", command="plan")
        await interactions.ask(interaction, question, public=public)

    @tree.command(name="help", description="What this bot can answer, and how to ask")
    @app_commands.describe(public=PUBLIC)
    async def help_(interaction: discord.Interaction, public: bool = False) -> None:
        if not await interactions.admit(interaction):
            return
        question = asker_of(interaction).ask("help", command="help")
        await interactions.ask(interaction, question, public=public)

    @tree.command(name="about", description="What this bot is, what it logs and keeps, its sources")
    @app_commands.describe(public=PUBLIC)
    async def about(interaction: discord.Interaction, public: bool = False) -> None:
        if not await interactions.admit(interaction):
            return
        question = asker_of(interaction).ask("about", command="about")
        engine = answers.engine
        articles = articles_of(engine)

        def make() -> Reply:
            choice = engine.choose_year(question)
            return about_reply(choice, articles, answers.disclosure, bot.__version__)

        await interactions.reply(interaction, make, public=public, command="about")

    @tree.context_menu(name=ASK_ABOUT)
    async def ask_about(interaction: discord.Interaction, message: discord.Message) -> None:
        """Someone else's message, answered for the person who asked, only."""
        if not await interactions.admit(interaction):
            return
        text = " ".join(message.content.split())[:QUESTION_MAX_LENGTH]
        if not text:
            await interactions.send(interaction, answers.problem(NO_TEXT), public=False)
            return
        asked = asker_of(interaction).ask(text, command="ask-about")
        await interactions.ask(interaction, asked, public=False)

    add_settings_command(tree, interactions)

    @tree.error
    async def on_error(
        interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        original = getattr(error, "original", error)
        if isinstance(original, SendFailed):
            # A notice Discord refused: counted when refused, logged once here.
            notice_lost(original)
            return
        log_failure("command_failed", "discord", code=type(error).__name__, level=logging.ERROR)
        LOGGER.debug("command failed", exc_info=error)
        if not interaction.response.is_done():
            try:
                await interactions.send(interaction, answers.apology(), public=False)
            except SendFailed as failed:
                notice_lost(failed)

    return tree


def add_settings_command(tree: Tree, interactions: Interactions) -> None:
    """`/401k-settings`: a server's moderators choose where and how the bot answers."""
    store = interactions.guild_settings
    disclosure = interactions.answers.disclosure

    @tree.command(name="401k-settings", description="Moderators: where and how the bot answers")
    @app_commands.describe(
        mentions="Answer @mentions at all (commands always work)",
        allow_channel="Answer @mentions in this channel; once one is added, only in those",
        remove_channel="Stop answering @mentions in this channel",
        all_channels="Forget the channel list: answer @mentions in every channel",
        public="Let people post answers for everyone with public: True",
        short="Public answers and mention replies: title, first paragraph and a More button",
        expert_channel="Where Ask a moderator posts questions people confirm to send",
        no_expert_channel="Stop offering Ask a moderator",
    )
    @app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
    @app_commands.allowed_installs(guilds=True, users=False)
    @app_commands.default_permissions(manage_guild=True)
    async def settings(
        interaction: discord.Interaction,
        mentions: bool | None = None,
        allow_channel: discord.TextChannel
        | discord.ForumChannel
        | discord.VoiceChannel
        | None = None,
        remove_channel: discord.TextChannel
        | discord.ForumChannel
        | discord.VoiceChannel
        | None = None,
        all_channels: bool = False,
        public: bool | None = None,
        short: bool | None = None,
        expert_channel: discord.TextChannel | None = None,
        no_expert_channel: bool = False,
    ) -> None:
        guild_id = interaction.guild_id
        if guild_id is None or not interaction.permissions.manage_guild:
            await interactions.send(
                interaction, interactions.answers.problem(NOT_A_MODERATOR), public=False
            )
            return
        current = await store.get(guild_id)
        chosen = replace_settings(
            current,
            mentions=mentions,
            add=[allow_channel.id] if allow_channel else [],
            remove=[remove_channel.id] if remove_channel else [],
            all_channels=all_channels,
            public=public,
            short=short,
            expert=0 if no_expert_channel else (expert_channel.id if expert_channel else None),
        )
        if chosen != current:
            await store.put(guild_id, chosen)
        title = "Settings changed" if chosen != current else "Settings for this server"
        await interactions.send(
            interaction, settings_message(chosen, title, disclosure), public=False
        )


def replace_settings(
    current: GuildSettings,
    *,
    mentions: bool | None,
    add: Sequence[int],
    remove: Sequence[int],
    all_channels: bool,
    public: bool | None,
    short: bool | None,
    expert: int | None = None,
) -> GuildSettings:
    """`current` with what a moderator chose; an option left out keeps its value.

    `expert` is the moderators' channel for "Ask a moderator": 0 turns it off, None keeps it.
    """
    chosen = GuildSettings(
        mention_replies=current.mention_replies if mentions is None else mentions,
        channels=frozenset() if all_channels else current.channels,
        public_replies=current.public_replies if public is None else public,
        short_replies=current.short_replies if short is None else short,
        expert_channel=current.expert_channel if expert is None else (expert or None),
    )
    return chosen.with_channels(add=add, remove=remove)


def settings_message(settings: GuildSettings, title: str, disclosure: str) -> DiscordMessage:
    """The settings as a moderator sees them; channel mentions link, and ping nobody."""
    lines = settings.describe()
    lines += [
        "",
        "Who may use each command, and in which channels, is set in Discord itself: "
        "*Server Settings → Integrations → 401k-bot*.",
    ]
    embed = {
        "title": title,
        "description": "\n".join(lines),
        "color": NOTICE_COLOR,
        "footer": {"text": disclosure[:2048]},
    }
    return DiscordMessage(embeds=[embed], text="\n".join([f"**{title}**", *lines]))

"""The discord.py client: intents without privileges, commands, buttons and mentions/DMs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import discord

from bot.discord_bot import failures
from bot.discord_bot.commands import Interactions, Tree, build_tree
from bot.discord_bot.questions import Asker, strip_mention
from bot.discord_bot.service import Answers
from bot.discord_bot.views import send_kwargs
from bot.render.discord import DiscordMessage


def intents() -> discord.Intents:
    """Guilds, guild messages and DMs: no privileged intent (members, presences, content).

    Without the message-content intent Discord still sends the text of messages that
    mention the bot and of DMs, which are the only ones it answers.
    """
    return discord.Intents(guilds=True, guild_messages=True, dm_messages=True)


@dataclass(frozen=True)
class Sharding:
    """How many shards the bot has in all and which this process runs; None is unsharded.

    `count` "auto" takes Discord's recommended count and runs every shard.
    """

    count: int | Literal["auto"] | None = None
    ids: Sequence[int] | None = None


@dataclass
class DiscordBot:
    """A client with its command tree, ready to log in."""

    client: discord.Client
    tree: Tree
    interactions: Interactions

    @property
    def answers(self) -> Answers:
        return self.interactions.answers


def make_bot(
    answers: Answers, years: Sequence[int], sharding: Sharding | None = None
) -> DiscordBot:
    """The client (auto-sharded when `sharding` says so) with every handler registered."""
    options: dict[str, Any] = {
        "intents": intents(),
        "allowed_mentions": discord.AllowedMentions.none(),
        # No message cache: the bot never looks back, and keeps no text in memory.
        "max_messages": None,
        "chunk_guilds_at_startup": False,
    }
    # The bot has no voice, so the warnings about missing voice libraries are noise.
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
    sharding = sharding or Sharding()
    client: discord.Client
    if sharding.count is None:
        client = discord.Client(**options)
    else:
        if isinstance(sharding.count, int):
            options["shard_count"] = sharding.count
        if sharding.ids:
            options["shard_ids"] = list(sharding.ids)
        client = discord.AutoShardedClient(**options)
    interactions = Interactions(answers)
    tree = build_tree(client, interactions, years)
    client.add_dynamic_items(interactions.buttons.item_type)
    messages = Messages(client, interactions)
    client.event(messages.on_message)
    return DiscordBot(client=client, tree=tree, interactions=interactions)


class Messages:
    """`@bot question` in a channel, answered as a reply; a DM, answered in the DM."""

    def __init__(self, client: discord.Client, interactions: Interactions) -> None:
        self.client = client
        self.interactions = interactions

    def is_for_me(self, message: discord.Message) -> bool:
        """From a person, and a DM or naming the bot itself (not @everyone, @here or a role).

        A broadcast to @everyone or @here is not answered even when it names the bot too.
        """
        me = self.client.user
        if me is None or message.author.bot or message.author.id == me.id:
            return False
        if message.mention_everyone:
            return False
        if self.is_dm(message):
            return True
        return any(user.id == me.id for user in message.mentions)

    @staticmethod
    def is_dm(message: discord.Message) -> bool:
        return isinstance(message.channel, discord.DMChannel)

    async def on_message(self, message: discord.Message) -> None:
        answers = self.interactions.answers
        if not answers.inflight.accepting or not self.is_for_me(message):
            return
        assert self.client.user is not None
        is_dm = self.is_dm(message)
        verdict = answers.check(str(message.author.id))
        if not verdict.allowed:
            if verdict.first_refusal:
                try:
                    await self.send(
                        message, answers.slow_down(verdict), delete_after=verdict.retry_after
                    )
                except discord.HTTPException as exc:
                    failures.notice_lost(exc)
            return
        asker = Asker(
            user_id=str(message.author.id),
            channel_id=str(message.channel.id),
            is_dm=is_dm,
            in_thread=isinstance(message.channel, discord.Thread),
            today=dt.date.today(),
        )
        text = strip_mention(message.content, self.client.user.id)
        question = asker.ask(text) if text else asker.ask("help", command="help")

        async def send(reply: DiscordMessage) -> None:
            await self.send(message, reply)

        await answers.respond(question, send, via="dm" if is_dm else "mention")

    async def send(
        self, message: discord.Message, reply: DiscordMessage, delete_after: float | None = None
    ) -> None:
        """In a DM, a plain message; in a channel, a reply to `message` that pings nobody."""
        kwargs = send_kwargs(reply, self.interactions.buttons)
        if not self.is_dm(message):
            kwargs["reference"] = message.to_reference(fail_if_not_exists=False)
        if delete_after is not None:
            kwargs["delete_after"] = delete_after
        await message.channel.send(**kwargs)

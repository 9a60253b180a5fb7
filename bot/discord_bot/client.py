"""The discord.py client: intents without privileges, commands, buttons and mentions/DMs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import discord

from bot.conversation import ConversationKey
from bot.discord_bot import failures
from bot.discord_bot.commands import Interactions, Tree, build_tree
from bot.discord_bot.failures import Failures, SendFailed
from bot.discord_bot.guild_settings import GuildSettingsStore, MemoryGuildSettings
from bot.discord_bot.limits import limits_reply
from bot.discord_bot.questions import Asker, limits_request, strip_mention
from bot.discord_bot.service import Answers
from bot.discord_bot.views import send_kwargs
from bot.render.discord import DiscordMessage, notice, shortened, without_expert
from bot.reply import Reply

# discord.py's floor for `max_ratelimit_timeout`.
MAX_RATELIMIT_SECONDS = 30.0
COOLDOWN_REACTION = "\N{HOURGLASS WITH FLOWING SAND}"
NO_CONTENT = (
    "Discord did not show me your message's text. Mention me as a user rather than "
    "my role, or use `/401k`, so that I can read your question."
)
CANNOT_POST = "I can't post in <#{channel}>, so here is your answer."
# People whose DMs were found closed, remembered so that no more DMs are tried.
CLOSED_DMS_REMEMBERED = 10_000


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
    """A client with its command tree, ready to log in; `gateway` says how it is connected."""

    client: discord.Client
    tree: Tree
    interactions: Interactions

    @property
    def answers(self) -> Answers:
        return self.interactions.answers

    @property
    def failures(self) -> Failures:
        return self.interactions.failures

    @property
    def gateway(self) -> Gateway:
        return Gateway(self.client)


class Gateway:
    """The gateway connection's state, for health checks: read it, it changes as it goes.

    `ready` is true once every shard this process runs has received READY and none is
    disconnected; `shards_connected` counts the open shard connections.
    """

    def __init__(self, client: discord.Client) -> None:
        self._client = client

    @property
    def shards_expected(self) -> int:
        client = self._client
        if isinstance(client, discord.AutoShardedClient):
            return len(client.shard_ids or ()) or client.shard_count or 1
        return 1

    @property
    def shards_connected(self) -> int:
        client = self._client
        if client.is_closed():
            return 0
        if isinstance(client, discord.AutoShardedClient):
            return sum(1 for shard in client.shards.values() if not shard.is_closed())
        return 1 if client.ws is not None and client.ws.open else 0

    @property
    def ready(self) -> bool:
        return self._client.is_ready() and self.shards_connected >= self.shards_expected

    @property
    def closed(self) -> bool:
        return self._client.is_closed()


def make_bot(
    answers: Answers,
    years: Sequence[int],
    sharding: Sharding | None = None,
    guild_settings: GuildSettingsStore | None = None,
) -> DiscordBot:
    """The client (auto-sharded when `sharding` says so) with every handler registered."""
    options: dict[str, Any] = {
        "intents": intents(),
        "allowed_mentions": discord.AllowedMentions.none(),
        # No message cache: the bot never looks back, and keeps no text in memory.
        "max_messages": None,
        "chunk_guilds_at_startup": False,
        # A reply held back by a long rate limit would arrive stale: give up instead.
        "max_ratelimit_timeout": MAX_RATELIMIT_SECONDS,
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
    interactions = Interactions(answers, guild_settings or MemoryGuildSettings(), Failures())
    tree = build_tree(client, interactions, years)
    client.add_dynamic_items(interactions.buttons.item_type, *interactions.buttons.action_types)
    messages = Messages(client, interactions)
    client.event(messages.on_message)
    return DiscordBot(client=client, tree=tree, interactions=interactions)


class Messages:
    """`@bot question` in a channel, answered as a reply; a DM, answered in the DM.

    In a server the bot first looks at its own permissions in the channel: without
    Embed Links it answers in plain text, without Read Message History it does not
    reply-link, and where it cannot post at all it answers by DM.
    """

    def __init__(self, client: discord.Client, interactions: Interactions) -> None:
        self.client = client
        self.interactions = interactions
        self.closed_dms: dict[int, None] = {}

    def is_for_me(self, message: discord.Message) -> bool:
        """From a person, and a DM or naming the bot itself or its own managed role.

        A broadcast to @everyone or @here is not answered even when it names the bot too,
        nor is a mention of any other role.
        """
        me = self.client.user
        if me is None or message.author.bot or message.author.id == me.id:
            return False
        if message.mention_everyone:
            return False
        if self.is_dm(message):
            return True
        return any(user.id == me.id for user in message.mentions) or self.names_my_role(message)

    @staticmethod
    def names_my_role(message: discord.Message) -> bool:
        """Whether the message mentions the role Discord made for the bot.

        Discord's @-picker often offers that role when people mean the bot.
        """
        own = message.guild.self_role if message.guild else None
        return own is not None and any(role.id == own.id for role in message.role_mentions)

    @staticmethod
    def is_dm(message: discord.Message) -> bool:
        return isinstance(message.channel, discord.DMChannel)

    async def on_message(self, message: discord.Message) -> None:
        answers = self.interactions.answers
        if not answers.inflight.accepting or not self.is_for_me(message):
            return
        assert self.client.user is not None
        is_dm = self.is_dm(message)
        if message.guild is not None:
            settings = await self.interactions.guild_settings.get(message.guild.id)
            parent = getattr(message.channel, "parent_id", None)
            if not settings.answers_mentions_in(message.channel.id, parent):
                return
            short = settings.short_replies
            expert = settings.expert_channel is not None
        else:
            short = expert = False
        verdict = await answers.check(str(message.author.id))
        if not verdict.allowed:
            if verdict.first_refusal:
                await self.react_slow_down(message)
            return
        asker = Asker(
            user_id=str(message.author.id),
            channel_id=str(message.channel.id),
            is_dm=is_dm,
            in_thread=isinstance(message.channel, discord.Thread),
            today=dt.date.today(),
        )
        own_role = message.guild.self_role if message.guild else None
        text = strip_mention(
            message.content, self.client.user.id, own_role.id if own_role else None
        )
        via = "dm" if is_dm else "mention"

        async def send(reply: DiscordMessage) -> None:
            reply = reply if expert else without_expert(reply)
            await self.send(message, shortened(reply) if short else reply)

        if not message.content and not is_dm:
            # A role mention may come without the text: say how to be read, once.
            try:
                await send(notice(NO_CONTENT, answers.disclosure))
            except SendFailed as failed:
                failures.notice_lost(failed)
            return
        wants_limits, year = limits_request(text)
        if wants_limits:
            engine = answers.engine
            question = asker.ask("limits", command="limits", year=year)

            def make() -> Reply:
                return limits_reply(engine.choose_year(question), answers.disclosure)

            await answers.deliver(make, send, command="limits", via=via)
            return
        question = asker.ask(text) if text else asker.ask("help", command="help")
        # One conversation per person and channel (or thread, or DM): their next mention
        # there, or a reply to the bot's answer, goes on from this one.
        key = ConversationKey("discord", asker.user_id, channel=asker.channel_id)
        await answers.respond(replace(question, conversation=key.id), send, via=via)

    def permissions(self, message: discord.Message) -> discord.Permissions | None:
        """The bot's permissions where `message` was sent; None in a DM or when unknown."""
        guild = message.guild
        channel = message.channel
        if guild is None or guild.me is None or isinstance(channel, discord.PartialMessageable):
            return None
        try:
            return channel.permissions_for(guild.me)
        except discord.ClientException:
            return None

    def can_post(self, message: discord.Message, perms: discord.Permissions | None) -> bool:
        channel = message.channel
        if isinstance(channel, discord.Thread):
            if channel.locked and not (perms and perms.manage_threads):
                return False
            return perms is None or perms.send_messages_in_threads
        return perms is None or perms.send_messages

    async def react_slow_down(self, message: discord.Message) -> None:
        """An hourglass on the message: the cooldown says "wait" without posting anything."""
        perms = self.permissions(message)
        if perms is not None and not (perms.add_reactions and perms.read_message_history):
            return
        try:
            await message.add_reaction(COOLDOWN_REACTION)
        except discord.HTTPException as exc:
            failures.notice_lost(self.failed(exc, message))

    async def send(self, message: discord.Message, reply: DiscordMessage) -> None:
        """In a DM, a plain message; in a channel, a reply to `message` that pings nobody."""
        if self.is_dm(message):
            await self.post(message, message.channel, send_kwargs(reply, self.interactions.buttons))
            return
        perms = self.permissions(message)
        if not self.can_post(message, perms):
            await self.send_by_dm(message, reply)
            return
        if perms is not None and not perms.embed_links:
            kwargs: dict[str, Any] = {
                "content": reply.text,
                "allowed_mentions": discord.AllowedMentions.none(),
                "suppress_embeds": True,
            }
            view = send_kwargs(reply, self.interactions.buttons).get("view")
            if view is not None:
                kwargs["view"] = view
        else:
            kwargs = send_kwargs(reply, self.interactions.buttons)
        if perms is None or perms.read_message_history:
            kwargs["reference"] = message.to_reference(fail_if_not_exists=False)
        await self.post(message, message.channel, kwargs)

    async def send_by_dm(self, message: discord.Message, reply: DiscordMessage) -> None:
        """The answer in a DM to whoever asked, once; nothing when their DMs are closed."""
        author = message.author
        if author.id in self.closed_dms:
            raise SendFailed(
                "channels.messages",
                "dms_closed",
                guild=self.guild_of(message),
                channel=message.channel.id,
            )
        kwargs = send_kwargs(reply, self.interactions.buttons)
        kwargs["content"] = CANNOT_POST.format(channel=message.channel.id)
        try:
            channel = await author.create_dm()
        except discord.HTTPException as exc:
            raise self.failed(exc, message) from None
        try:
            await self.post(message, channel, kwargs)
        except SendFailed:
            self.closed_dms[author.id] = None
            while len(self.closed_dms) > CLOSED_DMS_REMEMBERED:
                del self.closed_dms[next(iter(self.closed_dms))]
            raise

    async def post(
        self, message: discord.Message, channel: discord.abc.Messageable, kwargs: dict[str, Any]
    ) -> None:
        try:
            await channel.send(**kwargs)
        except discord.HTTPException as exc:
            raise self.failed(exc, message) from None

    @staticmethod
    def guild_of(message: discord.Message) -> int | None:
        return message.guild.id if message.guild else getattr(message.channel, "guild_id", None)

    def failed(self, exc: discord.HTTPException, message: discord.Message) -> SendFailed:
        return self.interactions.failures.record(
            exc, guild_id=self.guild_of(message), channel_id=message.channel.id
        )

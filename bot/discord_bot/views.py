"""Rendered message data to discord.py objects, and the topic buttons that answer when clicked."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import discord

from bot.render.discord import TOPIC_PATTERN, ButtonSpec, DiscordMessage

OnTopic = Callable[[discord.Interaction[Any], str], Awaitable[None]]
TopicButton = discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]]


@dataclass(frozen=True)
class TopicButtons:
    """The button class to register with the client, and how to make one from a spec."""

    item_type: type[TopicButton]
    make: Callable[[ButtonSpec], TopicButton]


_STYLES = {"primary": discord.ButtonStyle.primary, "secondary": discord.ButtonStyle.secondary}


def topic_buttons(on_topic: OnTopic) -> TopicButtons:
    """A button class for `401k:topic:<id>` custom ids that calls `on_topic` when clicked.

    Being a DynamicItem, it answers clicks on messages sent before a restart too, and no
    per-message view is kept in memory.
    """

    class _TopicButton(
        discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
        template=re.compile(TOPIC_PATTERN),
    ):
        def __init__(self, spec: ButtonSpec) -> None:
            super().__init__(
                discord.ui.Button(
                    label=spec.label, custom_id=spec.custom_id, style=_STYLES[spec.style]
                )
            )
            self.topic = spec.topic

        @classmethod
        async def from_custom_id(
            cls,
            interaction: discord.Interaction[Any],
            item: discord.ui.Item[Any],
            match: re.Match[str],
            /,
        ) -> _TopicButton:
            label = getattr(item, "label", None) or match["topic"]
            return cls(ButtonSpec(match["topic"], label))

        async def callback(self, interaction: discord.Interaction[Any]) -> None:
            await on_topic(interaction, self.topic)

    return TopicButtons(item_type=_TopicButton, make=_TopicButton)


def to_allowed_mentions(data: Mapping[str, Any]) -> discord.AllowedMentions:
    """The rendered `allowed_mentions` as discord.py's object."""
    parse = set(data.get("parse", []))
    return discord.AllowedMentions(
        everyone="everyone" in parse,
        users="users" in parse,
        roles="roles" in parse,
        replied_user=bool(data.get("replied_user", False)),
    )


def send_kwargs(message: DiscordMessage, buttons: TopicButtons) -> dict[str, Any]:
    """Keyword arguments for `send`, `reply` and `send_message`: embeds, view, mentions."""
    kwargs: dict[str, Any] = {
        "embeds": [discord.Embed.from_dict(embed) for embed in message.embeds],
        "allowed_mentions": to_allowed_mentions(message.allowed_mentions),
    }
    if message.buttons:
        view = discord.ui.View(timeout=None)
        for spec in message.buttons:
            view.add_item(buttons.make(spec))
        kwargs["view"] = view
    return kwargs

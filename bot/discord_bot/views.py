"""Rendered message data to discord.py objects, and the topic buttons that answer when clicked."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import discord

from bot.render.discord import (
    EXPERT_ID,
    FEEDBACK_PATTERN,
    TOPIC_PATTERN,
    ActionSpec,
    ButtonSpec,
    DiscordMessage,
    read_feedback,
)

OnTopic = Callable[[discord.Interaction[Any], str], Awaitable[None]]
OnFeedback = Callable[[discord.Interaction[Any], bool, str, str], Awaitable[None]]
OnExpert = Callable[[discord.Interaction[Any]], Awaitable[None]]
TopicButton = discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]]
Item = discord.ui.Item[Any]


async def _nothing(*_: Any) -> None:
    return None


@dataclass(frozen=True)
class TopicButtons:
    """The button classes to register with the client, and how to make each from a spec."""

    item_type: type[TopicButton]
    make: Callable[[ButtonSpec], TopicButton]
    action_types: tuple[type[TopicButton], ...] = ()
    make_action: Callable[[ActionSpec], Item] | None = None


_STYLES = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
}


def topic_buttons(
    on_topic: OnTopic, on_feedback: OnFeedback = _nothing, on_expert: OnExpert = _nothing
) -> TopicButtons:
    """A button class for `401k:topic:<id>` custom ids that calls `on_topic` when clicked,
    and the feedback and "Ask a moderator" buttons that call `on_feedback` / `on_expert`.

    Being DynamicItems, they answer clicks on messages sent before a restart too, and no
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

    def _button(spec: ActionSpec) -> discord.ui.Button[discord.ui.View]:
        return discord.ui.Button(
            label=spec.label,
            custom_id=spec.custom_id,
            style=_STYLES[spec.style],
            disabled=spec.disabled,
        )

    class _FeedbackButton(
        discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
        template=re.compile(FEEDBACK_PATTERN),
    ):
        def __init__(self, spec: ActionSpec) -> None:
            super().__init__(_button(spec))
            self.spec = spec

        @classmethod
        async def from_custom_id(
            cls,
            interaction: discord.Interaction[Any],
            item: discord.ui.Item[Any],
            match: re.Match[str],
            /,
        ) -> _FeedbackButton:
            return cls(ActionSpec(match[0], getattr(item, "label", None) or "Feedback"))

        async def callback(self, interaction: discord.Interaction[Any]) -> None:
            read = read_feedback(self.spec.custom_id)
            if read is not None:
                await on_feedback(interaction, *read)

    class _ExpertButton(
        discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
        template=re.compile(re.escape(EXPERT_ID)),
    ):
        def __init__(self, spec: ActionSpec) -> None:
            super().__init__(_button(spec))

        @classmethod
        async def from_custom_id(
            cls,
            interaction: discord.Interaction[Any],
            item: discord.ui.Item[Any],
            match: re.Match[str],
            /,
        ) -> _ExpertButton:
            return cls(ActionSpec(EXPERT_ID, getattr(item, "label", None) or "Ask a moderator"))

        async def callback(self, interaction: discord.Interaction[Any]) -> None:
            await on_expert(interaction)

    def make_action(spec: ActionSpec) -> Item:
        if spec.custom_id == EXPERT_ID:
            return _ExpertButton(spec)
        if read_feedback(spec.custom_id) is not None:
            return _FeedbackButton(spec)
        return _button(spec)  # the thanks: disabled, nothing to click

    return TopicButtons(
        item_type=_TopicButton,
        make=_TopicButton,
        action_types=(_FeedbackButton, _ExpertButton),
        make_action=make_action,
    )


def action_view(actions: list[ActionSpec], buttons: TopicButtons, kept: list[Item]) -> Any:
    """A view of `kept` items (the message's other buttons) followed by `actions`."""
    view = discord.ui.View(timeout=None)
    for item in kept:
        view.add_item(item)
    if buttons.make_action is not None:
        for spec in actions:
            view.add_item(buttons.make_action(spec))
    return view


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
    if message.buttons or (message.actions and buttons.make_action is not None):
        view = discord.ui.View(timeout=None)
        for spec in message.buttons:
            view.add_item(buttons.make(spec))
        if buttons.make_action is not None:
            for action in message.actions:
                view.add_item(buttons.make_action(action))
        kwargs["view"] = view
    return kwargs

"""Feedback on Discord replies and "Ask a moderator", through buttons and modals.

"Helpful" is recorded at once and the buttons become "Thanks for the feedback".
"Not helpful" opens a form with an optional reason; sending it records the click. "Ask
a moderator" opens a form holding the question exactly as it would be posted
(editable); only its submit posts it, to the server's channel set by /401k-settings.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord

from bot.discord_bot.views import action_view
from bot.feedback.expert import QUESTION_MAX, expert_post
from bot.render.discord import (
    EXPERT_ACTION,
    FEEDBACK_PREFIX,
    THANKS_ACTION,
    THANKS_ID,
    ActionSpec,
    defuse,
    notice,
)

if TYPE_CHECKING:
    from bot.discord_bot.commands import Interactions

LOGGER = logging.getLogger("401k-bot.discord")

REASON_MAX = 300
NO_CHANNEL = "This server has no moderators' channel for questions."
SENT = "Sent to the moderators. They will answer in your conversation."
NOT_SENT = "Sorry, the question could not be posted. Please ask a moderator directly."


def _person(interaction: discord.Interaction[Any]) -> tuple[str | None, str | None]:
    channel = str(interaction.channel_id) if interaction.channel_id else None
    return str(interaction.user.id), channel


def thanks_view(
    interaction: discord.Interaction[Any], flow: Feedback, extra: list[ActionSpec]
) -> Any:
    """The clicked message's buttons with the feedback ones replaced by the thanks."""
    kept: list[discord.ui.Item[Any]] = []
    if interaction.message is not None:
        for item in discord.ui.View.from_message(interaction.message, timeout=None).children:
            custom_id = str(getattr(item, "custom_id", "") or "")
            if custom_id and not custom_id.startswith(FEEDBACK_PREFIX) and custom_id != THANKS_ID:
                kept.append(item)
    return action_view([THANKS_ACTION, *extra], flow.interactions.buttons, kept)


class ReasonForm(discord.ui.Modal, title="Not helpful"):
    """The optional reason after "Not helpful"; sending it records the click."""

    reason: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="What was missing or wrong? (optional)",
        style=discord.TextStyle.paragraph,
        required=False,
        max_length=REASON_MAX,
        placeholder="Kept without numbers, names, emails or links.",
    )

    def __init__(self, flow: Feedback, rated: tuple[str, str]) -> None:
        super().__init__(timeout=15 * 60)
        self.flow = flow
        self.rated = rated

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        curation = self.flow.interactions.answers.curation
        curation.rated(
            "discord", self.rated, False, _person(interaction), self.reason.value or None
        )
        extra = [EXPERT_ACTION] if await self.flow.expert_channel(interaction) else []
        await interaction.response.edit_message(view=thanks_view(interaction, self.flow, extra))


class ExpertForm(discord.ui.Modal, title="Ask a moderator"):
    """The question as it will be posted, editable; nothing is sent until it is submitted."""

    question: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Posted to the moderators exactly as written",
        style=discord.TextStyle.paragraph,
        max_length=QUESTION_MAX,
    )

    def __init__(self, flow: Feedback, channel_id: int, text: str) -> None:
        super().__init__(timeout=15 * 60)
        self.flow = flow
        self.channel_id = channel_id
        self.question.default = text or None

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        message = interaction.message
        ephemeral = message is None or message.flags.ephemeral
        link = None if ephemeral or message is None else message.jump_url
        asker = None if link else f"<@{interaction.user.id}>"
        text = expert_post(defuse(self.question.value), link, asker, "the moderators")
        answers = self.flow.interactions.answers
        try:
            channel = interaction.client.get_channel(self.channel_id) or (
                await interaction.client.fetch_channel(self.channel_id)
            )
            assert isinstance(channel, discord.abc.Messageable)
            await channel.send(content=text[:2000], allowed_mentions=discord.AllowedMentions.none())
        except (discord.HTTPException, AssertionError) as exc:
            LOGGER.warning("posting a question for the moderators failed: %s", type(exc).__name__)
            await self.flow.interactions.send(
                interaction, notice(NOT_SENT, answers.disclosure), public=False
            )
            return
        LOGGER.info("a question was sent to the moderators")
        await self.flow.interactions.send(
            interaction, notice(SENT, answers.disclosure), public=False
        )


class Feedback:
    """The click handlers behind the feedback and "Ask a moderator" buttons."""

    def __init__(self, interactions: Interactions) -> None:
        self.interactions = interactions

    async def expert_channel(self, interaction: discord.Interaction[Any]) -> int | None:
        settings = await self.interactions.settings_for(interaction)
        return settings.expert_channel

    async def on_feedback(
        self, interaction: discord.Interaction[Any], helpful: bool, kind: str, topic: str
    ) -> None:
        if not helpful:
            await interaction.response.send_modal(ReasonForm(self, (kind, topic)))
            return
        self.interactions.answers.curation.rated(
            "discord", (kind, topic), True, _person(interaction)
        )
        await interaction.response.edit_message(view=thanks_view(interaction, self, []))

    async def on_expert(self, interaction: discord.Interaction[Any]) -> None:
        channel = await self.expert_channel(interaction)
        answers = self.interactions.answers
        if channel is None:
            await self.interactions.send(
                interaction, notice(NO_CHANNEL, answers.disclosure), public=False
            )
            return
        user, where = _person(interaction)
        text = answers.recent.get(user, where, answers.clock())
        await interaction.response.send_modal(ExpertForm(self, channel, text))

"""Conversations: what the bot remembers of a thread, and the rules a turn follows."""

from bot.conversation.state import EMPTY, ConversationKey, ConversationState, Pending

__all__ = ["EMPTY", "ConversationKey", "ConversationState", "Pending"]

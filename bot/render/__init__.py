"""Renderers: a Reply into text for a terminal, Block Kit for Slack, embeds for Discord."""

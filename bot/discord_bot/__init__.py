"""The Discord adapter: slash commands, mentions and DMs answered by the engine.

Only this package imports discord.py; `401k-bot discord` imports it when it runs.
"""

"""401k-bot: answers 401(k) contribution questions in Slack, Discord and a terminal."""

__version__ = "0.1.0"

"""Fake Slack and Discord servers on 127.0.0.1, and fixtures driving the real apps at them."""

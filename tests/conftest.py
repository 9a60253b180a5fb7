"""Fixtures shared by every test folder: the fake Slack, the fake Discord and a real Redis."""

pytest_plugins = ("tests.fakes.slack", "tests.fakes.discord", "tests.fakes.redis")

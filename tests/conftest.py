"""Fixtures shared by every test folder: the fake Slack and the fake Discord."""

pytest_plugins = ("tests.fakes.slack", "tests.fakes.discord")

"""Fixtures shared by every test folder: the fake Slack, the fake Discord, a real Redis and
real databases."""

import pytest

pytest_plugins = (
    "tests.fakes.slack",
    "tests.fakes.discord",
    "tests.fakes.redis",
    "tests.fakes.database",
)


@pytest.fixture(scope="session")
def _cache_folder(tmp_path_factory: pytest.TempPathFactory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _own_data_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, _cache_folder
):
    """The default database (a file in the user data folder) and the prepared start (in
    the user cache folder) are never the tester's own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))
    monkeypatch.setenv("XDG_CACHE_HOME", str(_cache_folder))

"""An engine over the built-in articles, shared by the engine tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from bot.engine import Engine, default_engine
from bot.reply import Question, Reply

TODAY = dt.date(2026, 6, 15)


@pytest.fixture(scope="session")
def engine() -> Engine:
    return default_engine()


@pytest.fixture(scope="session")
def ask(engine: Engine) -> Callable[..., Reply]:
    """Ask the engine a question on TODAY, with any other Question fields given."""

    def ask(text: str, **fields: object) -> Reply:
        fields.setdefault("today", TODAY)
        return engine.answer(Question(text=text, **fields))  # type: ignore[arg-type]

    return ask

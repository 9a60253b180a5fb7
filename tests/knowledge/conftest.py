"""Shared fixtures for the knowledge base tests: fixture folders and an article writer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 11, 27)

QUESTIONS = [
    "How does the Initech profit sharing work?",
    "initech profit sharing",
    "when is initech profit sharing paid",
    "does profit sharing count toward my 401k limit at initech",
    "initech year-end contribution",
    "is initech profit sharing vested",
    "initech discretionary contribution",
    "do I need to work on december 31 to get initech profit sharing",
]


@pytest.fixture(autouse=True)
def _no_env_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests choose their own knowledge folder and tax year."""
    for name in ("BOT_KNOWLEDGE_DIR", "BOT_TAX_YEAR", "BOT_DISCLOSURE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def write_article(tmp_path: Path) -> Callable[..., Path]:
    """Write a valid article to tmp_path (or `folder`); keyword arguments change its keys.

    A key given as None is left out.
    """

    def write(
        topic: str = "initech-profit-sharing",
        body: str = "Initech adds a profit-sharing contribution each March.\n",
        folder: Path | None = None,
        **changes: Any,
    ) -> Path:
        front: dict[str, Any] = {
            "id": topic,
            "title": "Profit sharing at Initech",
            "questions": QUESTIONS,
            "related": ["employer-match"],
            "sources": ["https://benefits.initech.example/profit-sharing"],
            "reviewed": TODAY,
        }
        front.update(changes)
        front = {key: value for key, value in front.items() if value is not None}
        target = folder or tmp_path
        target.mkdir(parents=True, exist_ok=True)
        path = target / f"{topic}.md"
        text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n"
        path.write_text(text + body, encoding="utf-8")
        return path

    return write

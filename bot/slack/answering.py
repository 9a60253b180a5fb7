"""The engine as the Slack adapter uses it: today's date, titles for buttons, and no failures."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from bot.engine import Engine
from bot.knowledge import Article, article_reply, load_articles, render_article
from bot.render.slack import to_message
from bot.reply import Question, Reply
from bot.slack.dedupe import SeenEvents
from bot.slack.usage import apology_reply
from calc.limits import YearChoice

LOGGER = logging.getLogger("401k-bot.slack")


@dataclass
class Answerer:
    """The engine and its articles, the clock, and the events already answered.

    `articles` must be the engine's own (built-in plus BOT_KNOWLEDGE_DIR), so a
    topic button shows the article the engine would.
    """

    engine: Engine
    articles: Mapping[str, Article] = field(default_factory=load_articles)
    today: Callable[[], dt.date] = dt.date.today
    seen: SeenEvents = field(default_factory=SeenEvents)

    def __post_init__(self) -> None:
        self._titles = cache(self._titles_for)

    @property
    def disclosure(self) -> str:
        return self.engine.disclosure

    def year(self, year: int | None = None) -> YearChoice:
        """The tax year a reply uses: `year`, else BOT_TAX_YEAR, else today's (or the latest)."""
        return self.engine.choose_year(Question(text="", today=self.today(), year=year))

    def answer(self, question: Question) -> Reply:
        """The engine's reply; an apology that still carries the disclosure if it fails."""
        try:
            return self.engine.answer(question)
        except Exception:
            LOGGER.exception("answering failed")
            return apology_reply(self.disclosure, self.year().year)

    def topic(self, topic: str, question: Question) -> Reply:
        """The article `topic` for the question's year, as a topic button asks for it."""
        article = self.articles.get(topic)
        if article is None:
            return self.answer(replace(question, text=topic.replace("-", " ")))
        try:
            choice = self.engine.choose_year(question)
            return article_reply(render_article(article, choice.limits), self.disclosure)
        except Exception:
            LOGGER.exception("rendering an article failed")
            return apology_reply(self.disclosure, self.year().year)

    def message(self, reply: Reply) -> dict[str, Any]:
        """The reply as a Slack message, its buttons labelled with article titles."""
        return to_message(reply, self._titles(reply.tax_year))

    def _titles_for(self, year: int) -> dict[str, str]:
        limits = self.year(year).limits
        titles: dict[str, str] = {}
        for topic, article in self.articles.items():
            try:
                titles[topic] = render_article(article, limits).title
            except Exception:
                LOGGER.warning("no title for %s in %d", topic, year)
        return titles

"""Topics by id: their titles, for buttons and `/401k` autocomplete."""

from __future__ import annotations

from collections.abc import Mapping

from bot.engine import Engine
from bot.knowledge import Article, load_articles, render_article
from calc.limits import YearLimits


def articles_of(engine: Engine) -> Mapping[str, Article]:
    return engine.articles if engine.articles is not None else load_articles()


def topic_titles(articles: Mapping[str, Article], limits: YearLimits) -> dict[str, str]:
    """Every article's title, its placeholders filled in for the year of `limits`."""
    return {topic: render_article(article, limits).title for topic, article in articles.items()}

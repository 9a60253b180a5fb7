"""Topic titles by id, for button labels and `/401k` autocomplete."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from bot.knowledge.loading import load_articles
from bot.knowledge.rendering import render_article
from calc.limits import YearLimits


@cache
def topic_titles(extra_dir: Path | None, limits: YearLimits) -> dict[str, str]:
    """Every article's title for the tax year of `limits`, read once per folder and year."""
    articles = load_articles(extra_dir)
    return {topic: render_article(article, limits).title for topic, article in articles.items()}

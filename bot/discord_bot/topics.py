"""Topics by id: titles for buttons and `/401k` autocomplete, and the article a click asks for."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from bot.engine import Engine
from bot.knowledge import Article, article_reply, load_articles, render_article
from bot.reply import Question, Reply
from calc.limits import YearLimits


def articles_of(engine: Engine) -> Mapping[str, Article]:
    return engine.articles if engine.articles is not None else load_articles()


def topic_titles(articles: Mapping[str, Article], limits: YearLimits) -> dict[str, str]:
    """Every article's title, its placeholders filled in for the year of `limits`."""
    return {topic: render_article(article, limits).title for topic, article in articles.items()}


def topic_reply(engine: Engine, question: Question, topic: str) -> Reply:
    """The article `topic` itself, for a click that names it; the engine's answer otherwise.

    A button or an autocomplete pick says exactly which article is wanted, so nothing is
    matched: the article is rendered for the question's tax year.
    """
    article = articles_of(engine).get(topic)
    if article is None:
        return engine.answer(question)
    choice = engine.choose_year(question)
    reply = article_reply(render_article(article, choice.limits), engine.disclosure)
    return replace(reply, text=f"_{choice.note}_\n\n{reply.text}") if choice.note else reply

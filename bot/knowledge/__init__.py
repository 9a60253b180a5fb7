"""The knowledge base: loading, rendering and checking the Markdown articles.

Articles are validated once when loaded; `render_article` fills in one tax year's
figures; `check_knowledge` is what `401k-bot kb check` reports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.knowledge.article import Article, ArticleFile, FrontMatter, KnowledgeError
from bot.knowledge.catalog import CATALOG
from bot.knowledge.loading import load_articles, merge, read_builtin, read_folder
from bot.knowledge.rendering import RenderedArticle, article_reply, render_article

if TYPE_CHECKING:
    from bot.knowledge.checks import Problem, check_knowledge

__all__ = [
    "CATALOG",
    "Article",
    "ArticleFile",
    "FrontMatter",
    "KnowledgeError",
    "Problem",
    "RenderedArticle",
    "article_reply",
    "check_knowledge",
    "load_articles",
    "merge",
    "read_builtin",
    "read_folder",
    "render_article",
]


def __getattr__(name: str) -> object:
    """`check_knowledge` and `Problem`, loaded with the checks on first use: answering a
    question needs neither them nor the figures index they build."""
    if name in ("Problem", "check_knowledge"):
        from bot.knowledge import checks

        return getattr(checks, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""The knowledge base: loading, rendering and checking the Markdown articles.

Articles are validated once when loaded; `render_article` fills in one tax year's
figures; `check_knowledge` is what `401k-bot kb check` reports.
"""

from __future__ import annotations

from bot.knowledge.article import Article, ArticleFile, FrontMatter, KnowledgeError
from bot.knowledge.catalog import CATALOG
from bot.knowledge.checks import Problem, check_knowledge
from bot.knowledge.loading import load_articles, merge, read_builtin, read_folder
from bot.knowledge.rendering import RenderedArticle, article_reply, render_article

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

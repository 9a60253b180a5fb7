"""An article as a person sees it: placeholders filled in for one tax year."""

from __future__ import annotations

from dataclasses import dataclass

from bot.knowledge.article import Article, KnowledgeError
from bot.knowledge.placeholders import PlaceholderError, limit_values, render_text
from bot.reply import Reply
from calc.limits import YearLimits


@dataclass(frozen=True)
class RenderedArticle:
    """The text, sources and follow-ups of one article for one tax year."""

    id: str
    title: str
    text: str
    sources: tuple[str, ...]
    related: tuple[str, ...]
    tax_year: int
    disclosure_note: str | None


def render_article(article: Article, limits: YearLimits) -> RenderedArticle:
    """Fill in the article's placeholders; KnowledgeError names the file, field and placeholder."""
    values = limit_values(limits)

    def fill(field: str, text: str) -> str:
        try:
            return render_text(text, values)
        except PlaceholderError as exc:
            raise KnowledgeError(article.label, field, str(exc)) from None

    front = article.front
    note = front.disclosure_note
    return RenderedArticle(
        id=front.id,
        title=fill("title", front.title),
        text=fill("body", article.body).strip(),
        sources=front.sources,
        related=front.related,
        tax_year=limits.year,
        disclosure_note=fill("disclosure_note", note) if note is not None else None,
    )


def article_reply(rendered: RenderedArticle, disclosure: str) -> Reply:
    """An `article` Reply; the article's disclosure note follows the disclosure."""
    note = rendered.disclosure_note
    return Reply(
        kind="article",
        topic=rendered.id,
        title=rendered.title,
        text=rendered.text,
        disclosure=f"{disclosure} {note}" if note else disclosure,
        tax_year=rendered.tax_year,
        sources=list(rendered.sources),
        suggestions=list(rendered.related),
    )

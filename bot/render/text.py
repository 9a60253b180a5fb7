"""A Reply as plain text for a terminal."""

from __future__ import annotations

import re

from bot.reply import Reply

_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_ITALIC = re.compile(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])")


def plain(markdown: str) -> str:
    """Markdown emphasis removed; lists and line breaks kept."""
    text = _BOLD.sub(lambda m: m.group(1) or m.group(2), markdown)
    return _ITALIC.sub(r"\1", text)


def to_text(reply: Reply) -> str:
    """Title, body, sources, tax year and disclosure, for a terminal or a log file."""
    parts = [f"{reply.title}\n{'=' * len(reply.title)}", plain(reply.text).strip()]
    if reply.also:
        parts.append("Also about: " + ", ".join(reply.also))
    related = [topic for topic in reply.suggestions if topic not in reply.also]
    if related:
        parts.append("Related: " + ", ".join(related))
    if reply.sources:
        parts.append("Sources:\n" + "\n".join(f"  {url}" for url in reply.sources))
    parts.append(f"Tax year {reply.tax_year}. {reply.disclosure}")
    return "\n\n".join(parts) + "\n"

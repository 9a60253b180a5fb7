"""Reading article files: the built-in ones in the `knowledge` package, then a company's folder."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from bot.knowledge.article import Article, ArticleFile, KnowledgeError, parse_article


def read_builtin() -> list[ArticleFile]:
    """The articles shipped in the `knowledge` package, by file name."""
    root = resources.files("knowledge")
    entries = sorted(
        (entry for entry in root.iterdir() if entry.name.endswith(".md") and entry.is_file()),
        key=lambda entry: entry.name,
    )
    return [
        ArticleFile(_as_path(entry), _read(entry, f"knowledge/{entry.name}")) for entry in entries
    ]


def read_folder(folder: Path) -> list[ArticleFile]:
    """Every `*.md` file directly in `folder`, marked as overrides of the built-ins."""
    if not folder.is_dir():
        raise KnowledgeError(str(folder), "folder", "is not a folder")
    return [
        ArticleFile(path, _read(path, str(path)), is_override=True)
        for path in sorted(folder.glob("*.md"))
        if path.is_file()
    ]


def merge(files: Iterable[ArticleFile]) -> dict[str, Article]:
    """Validate `files` in order; a later article replaces an earlier one with the same id."""
    articles: dict[str, Article] = {}
    for file in files:
        article = parse_article(file)
        articles[article.id] = article
    return dict(sorted(articles.items()))


def load_articles(extra_dir: Path | None = None) -> dict[str, Article]:
    """The built-in articles, with those of `extra_dir` added or replacing them by id.

    Read once per folder and cached; KnowledgeError names the file and field at fault.
    """
    return dict(_load(extra_dir.resolve() if extra_dir is not None else None))


@cache
def _load(extra_dir: Path | None) -> dict[str, Article]:
    files = read_builtin()
    if extra_dir is not None:
        files += read_folder(extra_dir)
    return merge(files)


def _as_path(entry: Traversable) -> Path:
    return entry if isinstance(entry, Path) else Path("knowledge", entry.name)


def _read(entry: Traversable | Path, label: str) -> str:
    try:
        return entry.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise KnowledgeError(label, "file", "is not UTF-8 text") from None
    except OSError as exc:
        raise KnowledgeError(label, "file", f"cannot be read ({exc.strerror})") from None

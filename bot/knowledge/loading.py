"""Reading article files: the built-in ones in the `knowledge` package, then a company's folder."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from bot.knowledge.article import Article, ArticleFile, KnowledgeError, parse_article

# An article is a page of text; anything far bigger is a mistake or an attack on memory.
MAX_ARTICLE_BYTES = 64 * 1024
MAX_ARTICLES = 500
# Escape sequences and C0/C1 controls (but tab, newline and the carriage return of
# Windows line ends), and bidi controls, which can make a terminal or a chat show
# something other than what the file says.
_UNSAFE_CHARACTER = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


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
    paths = sorted(folder.glob("*.md"))
    if len(paths) > MAX_ARTICLES:
        raise KnowledgeError(str(folder), "folder", f"has more than {MAX_ARTICLES} articles")
    files = []
    for path in paths:
        if path.is_symlink() and not path.exists():
            raise KnowledgeError(str(path), "file", "is a broken symlink or a symlink loop")
        if path.is_file():
            files.append(ArticleFile(path, _read(path, str(path)), is_override=True))
    return files


def merge(
    files: Iterable[ArticleFile], link_hosts: frozenset[str] = frozenset()
) -> dict[str, Article]:
    """Validate `files` in order; a later article replaces an earlier one with the same id."""
    articles: dict[str, Article] = {}
    for file in files:
        article = parse_article(file, link_hosts)
        articles[article.id] = article
    return dict(sorted(articles.items()))


def load_articles(
    extra_dir: Path | None = None, link_hosts: frozenset[str] = frozenset()
) -> dict[str, Article]:
    """The built-in articles, with those of `extra_dir` added or replacing them by id.

    Body links may go to the hosts of an article's sources and to `link_hosts`. Read
    once per folder and cached; KnowledgeError names the file and field at fault.
    """
    if extra_dir is not None:
        try:
            extra_dir = extra_dir.resolve()
        except RuntimeError:
            raise KnowledgeError(str(extra_dir), "folder", "is a symlink loop") from None
    return dict(_load(extra_dir, link_hosts))


@cache
def _load(extra_dir: Path | None, link_hosts: frozenset[str]) -> dict[str, Article]:
    files = read_builtin()
    if extra_dir is not None:
        files += read_folder(extra_dir)
    return merge(files, link_hosts)


def _as_path(entry: Traversable) -> Path:
    return entry if isinstance(entry, Path) else Path("knowledge", entry.name)


def _read(entry: Traversable | Path, label: str) -> str:
    try:
        with entry.open("rb") as file:
            data = file.read(MAX_ARTICLE_BYTES + 1)
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise KnowledgeError(label, "file", "is not UTF-8 text") from None
    except OSError as exc:
        raise KnowledgeError(label, "file", f"cannot be read ({exc.strerror})") from None
    if len(data) > MAX_ARTICLE_BYTES:
        raise KnowledgeError(label, "file", f"is over {MAX_ARTICLE_BYTES // 1024} KB")
    unsafe = _UNSAFE_CHARACTER.search(text)
    if unsafe is not None:
        line = text.count("\n", 0, unsafe.start()) + 1
        raise KnowledgeError(
            label,
            "file",
            f"line {line} has a control or bidi character (U+{ord(unsafe.group(0)):04X})",
        )
    return text

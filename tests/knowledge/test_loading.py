"""Loading: the built-in articles, then a company's folder adding or replacing by id."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge import (
    ArticleFile,
    KnowledgeError,
    load_articles,
    merge,
    read_builtin,
    read_folder,
)


def as_builtin(path: Path) -> ArticleFile:
    return ArticleFile(path, path.read_text(encoding="utf-8"), is_override=False)


def test_override_folder_replaces_by_id_and_adds(fixtures: Path):
    """An override with a built-in id wins; a new id is added; other built-ins stay."""
    builtin = load_articles()
    articles = load_articles(fixtures / "override")
    replaced = articles["contribution-limits"]
    assert replaced.is_override
    assert replaced.front.title == "Acme 401(k) limits for {{ year }}"
    assert articles["acme-plan-rules"].is_override
    assert "acme-plan-rules" not in builtin
    for topic in set(builtin) - {"contribution-limits"}:
        assert articles[topic] == builtin[topic]
        assert not articles[topic].is_override


def test_merge_lets_later_files_win(write_article, tmp_path: Path):
    """The pure merge behind loading: same id replaces, new id adds, sorted by id."""
    base = [
        as_builtin(write_article("employer-match", folder=tmp_path / "base")),
        as_builtin(write_article("help", folder=tmp_path / "base")),
    ]
    override = write_article("help", folder=tmp_path / "ours", title="Ask the benefits team")
    extra = write_article("initech-profit-sharing", folder=tmp_path / "ours")
    articles = merge([*base, *read_folder(override.parent)])
    assert list(articles) == ["employer-match", "help", "initech-profit-sharing"]
    assert articles["help"].front.title == "Ask the benefits team"
    assert articles["help"].path == override
    assert articles["initech-profit-sharing"].path == extra
    assert not articles["employer-match"].is_override


def test_articles_are_read_once_per_folder(fixtures: Path, tmp_path: Path):
    """The engine loads at start-up; later calls reuse what was read."""
    folder = tmp_path / "ours"
    shutil.copytree(fixtures / "override", folder)
    first = load_articles(folder)
    (folder / "acme-plan-rules.md").unlink()
    again = load_articles(folder)
    assert again == first
    again.pop("acme-plan-rules")
    assert "acme-plan-rules" in load_articles(folder), "callers get a copy, not the cache"


def test_builtin_articles_come_from_the_package():
    """Built-ins are read with importlib.resources and named knowledge/<id>.md in messages."""
    files = read_builtin()
    assert files, "the knowledge package ships articles"
    assert all(file.path.suffix == ".md" and not file.is_override for file in files)
    assert {file.label for file in files} == {f"knowledge/{file.path.name}" for file in files}


def test_a_missing_folder_is_an_error(tmp_path: Path):
    with pytest.raises(KnowledgeError, match=r"nowhere: folder: is not a folder"):
        load_articles(tmp_path / "nowhere")


def test_a_file_that_is_not_utf8_is_an_error(tmp_path: Path):
    (tmp_path / "latin.md").write_bytes("---\nid: latin\ntitle: caf\xe9\n---\n".encode("latin-1"))
    with pytest.raises(KnowledgeError, match=r"latin\.md: file: is not UTF-8 text"):
        read_folder(tmp_path)

"""Each broken fixture article is rejected, naming the file and the field at fault."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.cli import main
from bot.knowledge import (
    KnowledgeError,
    check_knowledge,
    load_articles,
    read_builtin,
    read_folder,
    render_article,
)
from calc.limits import load_limits

TODAY = dt.date(2026, 11, 27)

BROKEN = [
    pytest.param(
        "unknown-key",
        "acme-unknown-key.md",
        "author",
        "unknown key; the keys are id, title, questions",
        id="unknown-key",
    ),
    pytest.param(
        "missing-source",
        "acme-missing-source.md",
        "sources",
        "at least one URL is required",
        id="missing-source",
    ),
    pytest.param(
        "bad-placeholder",
        "acme-bad-placeholder.md",
        "body",
        "unknown placeholder 'limits.section_415c'",
        id="unresolvable-placeholder",
    ),
    pytest.param(
        "dangling-related",
        "acme-dangling-related.md",
        "related",
        "'acme-payroll-calendar' is not an article",
        id="dangling-related",
    ),
    pytest.param(
        "wrong-id",
        "acme-wrong-name.md",
        "id",
        "'acme-plan-rules' does not match the file name 'acme-wrong-name.md'",
        id="id-not-file-name",
    ),
]


@pytest.mark.parametrize(("case", "name", "field", "message"), BROKEN)
def test_check_reports_the_one_error(fixtures: Path, case, name, field, message):
    """The check function finds exactly the fault planted in the fixture."""
    folder = fixtures / "broken" / case
    problems = check_knowledge(
        read_builtin(), read_folder(folder), load_limits(), TODAY, check_builtin=False
    )
    errors = [p for p in problems if p.level == "error"]
    assert len(errors) == 1, errors
    assert errors[0].file == str(folder / name)
    assert errors[0].field == field
    assert message in errors[0].message


@pytest.mark.parametrize(("case", "name", "field", "message"), BROKEN)
def test_kb_check_dir_fails_naming_file_and_field(
    fixtures: Path, capsys, case, name, field, message
):
    """`401k-bot kb check DIR` prints `ERROR path: field: message` and exits 1."""
    folder = fixtures / "broken" / case
    assert main(["kb", "check", str(folder)]) == 1
    out = capsys.readouterr().out.splitlines()
    line = f"ERROR {folder / name}: {field}: "
    assert any(row.startswith(line) and message in row for row in out), out
    assert out[-1].startswith("1 error, ")


@pytest.mark.parametrize(
    ("case", "name", "field", "message"),
    [p for p in BROKEN if p.id in ("unknown-key", "missing-source", "id-not-file-name")],
)
def test_loading_raises_naming_file_and_field(fixtures: Path, case, name, field, message):
    """An override folder with a schema fault stops loading with a one-line reason."""
    folder = fixtures / "broken" / case
    with pytest.raises(KnowledgeError) as raised:
        load_articles(folder)
    assert str(raised.value).startswith(f"{folder.resolve() / name}: {field}: ")
    assert message in str(raised.value)


def test_rendering_an_unknown_placeholder_names_file_and_placeholder(fixtures: Path):
    """The article loads, but rendering it says which placeholder is unknown and where."""
    folder = fixtures / "broken" / "bad-placeholder"
    article = load_articles(folder)["acme-bad-placeholder"]
    with pytest.raises(KnowledgeError) as raised:
        render_article(article, load_limits().get(2026))
    assert raised.value.file.endswith("acme-bad-placeholder.md")
    assert raised.value.field == "body"
    assert "limits.section_415c" in raised.value.message


def test_a_valid_override_folder_passes(fixtures: Path, capsys):
    """The override fixtures, laid over the built-ins, have no errors."""
    assert main(["kb", "check", str(fixtures / "override")]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("0 errors, ")

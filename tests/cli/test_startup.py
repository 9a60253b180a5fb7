"""How `401k-bot ask` starts: only its own command module, and a prepared copy of what it
reads, kept in the cache folder, that is used only while nothing it came from changed."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.commands import COMMANDS

ROOT = Path(__file__).resolve().parents[2]
COMPANY = ROOT / "tests" / "engine" / "fixtures" / "company" / "plan-loans.md"
PLAN = ROOT / "docs" / "examples" / "plan-mega-backdoor.yaml"
# One `ask --json`, then the libraries that only checking the files needs, if imported.
ASK = (
    "import sys; from bot.cli import main; status = main(['ask', '--json', sys.argv[1]]); "
    "print(sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'yaml'})); "
    "sys.exit(status)"
)
CHECKING = ["pydantic", "yaml"]


class Bot:
    """`ask` in fresh processes, with its own cache folder and, if given, its own code."""

    def __init__(self, tmp_path: Path, code: Path = ROOT, **settings: str) -> None:
        self.cache = tmp_path / "cache"
        self.code = code
        self.settings = settings

    @property
    def stored(self) -> Path:
        return self.cache / "401k-bot" / "start.pickle"

    def ask(self, question: str) -> tuple[dict[str, Any], list[str]]:
        """The reply, and which of pydantic and PyYAML the process imported."""
        done = self.run(question)
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
        reply, modules = done.stdout.splitlines()
        return json.loads(reply), json.loads(modules.replace("'", '"'))

    def run(self, question: str) -> subprocess.CompletedProcess[str]:
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("BOT_", "bot_", "PYTHONPATH"))
        }
        env |= {"PYTHONPATH": str(self.code), "XDG_CACHE_HOME": str(self.cache), **self.settings}
        return subprocess.run(
            [sys.executable, "-c", ASK, question],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            cwd=self.code,
            check=False,
        )


def copy_of_the_code(tmp_path: Path) -> Path:
    """The bot's packages, with their data files, in a folder of their own to edit."""
    code = tmp_path / "code"
    for package in ("bot", "calc", "knowledge"):
        shutil.copytree(
            ROOT / package, code / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    return code


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_ask_imports_no_other_command_module() -> None:
    code = (
        "import sys; from bot.cli import main; main(sys.argv[1:]); "
        "print(sorted(m for m in sys.modules if m.startswith('bot.commands.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "ask", "what is a mega backdoor roth"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "['bot.commands.ask']"


def test_help_lists_every_command_with_its_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "200"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    listing = " ".join(done.stdout.split())
    for name, _, text in COMMANDS:
        assert f" {name} {text} " in listing, name


def test_a_subcommand_help_shows_its_own_options() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "room", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "--deferrals AMOUNT" in done.stdout


def test_the_second_start_answers_alike_without_pydantic_or_yaml(tmp_path: Path) -> None:
    bot = Bot(tmp_path)
    first, checked = bot.ask("what is a mega backdoor roth")
    assert checked == CHECKING, "the first start reads and checks the files"
    assert bot.stored.is_file()
    again, checked = bot.ask("what is a mega backdoor roth")
    assert checked == []
    assert again == first
    assert again["topic"] == "mega-backdoor-roth"


def test_a_changed_limits_file_is_read_again(tmp_path: Path) -> None:
    bot = Bot(tmp_path, copy_of_the_code(tmp_path))
    question = "what is the 401k contribution limit for 2026"
    assert "$24,500" in bot.ask(question)[0]["text"]
    edit(bot.code / "calc" / "limits.yaml", "elective_deferral: 24500", "elective_deferral: 24600")
    reply, checked = bot.ask(question)
    assert checked == CHECKING
    assert "$24,600" in reply["text"]
    assert "$24,500" not in reply["text"]


def test_a_changed_vocabulary_file_is_read_again(tmp_path: Path) -> None:
    bot = Bot(tmp_path, copy_of_the_code(tmp_path))
    assert bot.ask("what is zorblax")[0]["kind"] == "fallback"
    edit(bot.code / "knowledge" / "synonyms.yaml", "(?:mbdr|mbr|mbd)", "(?:mbdr|mbr|mbd|zorblax)")
    reply, checked = bot.ask("what is zorblax")
    assert checked == CHECKING
    assert reply["topic"] == "mega-backdoor-roth"


def test_a_changed_conversation_vocabulary_is_read_again(tmp_path: Path) -> None:
    bot = Bot(tmp_path, copy_of_the_code(tmp_path))
    assert bot.ask("hi")[0]["title"] == "Hello!"
    edit(bot.code / "knowledge" / "conversation.yaml", "title: Hello!", "title: Howdy!")
    assert bot.ask("hi")[0]["title"] == "Howdy!"


def test_a_changed_built_in_article_is_read_again(tmp_path: Path) -> None:
    bot = Bot(tmp_path, copy_of_the_code(tmp_path))
    question = "what is a mega backdoor roth"
    assert bot.ask(question)[0]["title"] == "The mega backdoor Roth, step by step"
    edit(
        bot.code / "knowledge" / "mega-backdoor-roth.md",
        "title: The mega backdoor Roth, step by step",
        "title: The mega backdoor Roth, in steps",
    )
    assert bot.ask(question)[0]["title"] == "The mega backdoor Roth, in steps"


def test_changed_code_is_run_again(tmp_path: Path) -> None:
    """The copy holds what the code made of the files: new code makes it afresh."""
    bot = Bot(tmp_path, copy_of_the_code(tmp_path))
    assert bot.ask("hi")[0]["disclosure"].startswith("Educational information only")
    edit(bot.code / "bot" / "disclosure.py", "Educational information only", "For learning only")
    reply, checked = bot.ask("hi")
    assert checked == CHECKING
    assert reply["disclosure"].startswith("For learning only")


def test_a_changed_company_article_is_read_again(tmp_path: Path) -> None:
    folder = tmp_path / "company"
    folder.mkdir()
    article = folder / COMPANY.name
    shutil.copy(COMPANY, article)
    bot = Bot(tmp_path, BOT_KNOWLEDGE_DIR=str(folder))
    question = "can I borrow from my 401k?"
    assert "one loan at a time" in bot.ask(question)[0]["text"]
    edit(article, "one loan at a time", "two loans at a time")
    reply, checked = bot.ask(question)
    assert checked == CHECKING
    assert "two loans at a time" in reply["text"]
    article.unlink()
    assert bot.ask(question)[0]["kind"] == "fallback"


def test_a_changed_plan_file_is_read_again(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copy(PLAN, plan)
    bot = Bot(tmp_path, BOT_PLAN_FILE=str(plan))
    question = "do we get a true-up?"
    assert "true-up of the match: **yes**" in bot.ask(question)[0]["text"]
    edit(plan, "true_up: true", "true_up: false")
    assert "true-up of the match: **no**" in bot.ask(question)[0]["text"]


def test_a_changed_setting_is_read_again_and_still_checked(tmp_path: Path) -> None:
    assert Bot(tmp_path, BOT_TAX_YEAR="2025").ask("401k limit")[0]["tax_year"] == 2025
    assert Bot(tmp_path, BOT_TAX_YEAR="2024").ask("401k limit")[0]["tax_year"] == 2024
    done = Bot(tmp_path, BOT_TAX_YEAR="next year").run("401k limit")
    assert done.returncode == 2
    assert done.stderr.startswith("401k-bot ask: error: BOT_TAX_YEAR is invalid")
    assert "Traceback" not in done.stderr


def test_an_unwritable_cache_folder_still_answers(tmp_path: Path) -> None:
    bot = Bot(tmp_path)
    bot.cache.write_text("a file where the cache folder would go")
    for _ in range(2):
        reply, checked = bot.ask("what is a mega backdoor roth")
        assert reply["topic"] == "mega-backdoor-roth"
        assert checked == CHECKING


def damaged_copies(stored: bytes) -> dict[str, bytes]:
    return {
        "not a pickle": b"not a pickle",
        "cut short": stored[: len(stored) // 2],
        "empty": b"",
        "another object": pickle.dumps({"start": "elsewhere"}),
        "a class that does not exist": b"cbot.start\nNoSuchThing\n)\x81.",
    }


@pytest.mark.parametrize("damage", list(damaged_copies(b"x" * 10)))
def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path, damage: str) -> None:
    bot = Bot(tmp_path)
    fresh, _ = bot.ask("what is a mega backdoor roth")
    bot.stored.write_bytes(damaged_copies(bot.stored.read_bytes())[damage])
    reply, checked = bot.ask("what is a mega backdoor roth")
    assert reply == fresh
    assert checked == CHECKING
    assert bot.ask("what is a mega backdoor roth") == (fresh, []), "the copy was stored again"


def test_changed_number_words_and_calculator_intents_are_read_again(tmp_path: Path) -> None:
    bot = Bot(tmp_path, copy_of_the_code(tmp_path))
    question = "I defer 20k and the zorblax puts in 5k, after-tax room?"
    first = bot.ask(question)[0]
    assert first.get("result") is None or first["result"].get("employer_contributions") != 5000
    edit(
        bot.code / "knowledge" / "numbers.yaml",
        "employer*, company~,",
        "employer*, zorblax, company~,",
    )
    reply, checked = bot.ask(question)
    assert checked == CHECKING
    assert reply["result"]["after_tax_room"] == 47000
    intents = "my employer gives me 70k of profit sharing, how much can I defer?"
    assert bot.ask(intents)[0]["kind"] == "calculation"
    edit(
        bot.code / "knowledge" / "intents.yaml",
        "figure: 0.3, employer: 0.4,",
        "figure: 0.1, employer: 0.4,",
    )
    assert bot.ask(intents)[0]["kind"] != "calculation"


def test_the_copy_is_private_and_one_others_may_write_is_never_read(tmp_path: Path) -> None:
    bot = Bot(tmp_path)
    bot.ask("what is a mega backdoor roth")
    assert bot.stored.stat().st_mode & 0o077 == 0, "company articles may be in the copy"
    bot.stored.chmod(0o666)
    reply, checked = bot.ask("what is a mega backdoor roth")
    assert checked == CHECKING, "a copy anyone may write is not unpickled"
    assert reply["topic"] == "mega-backdoor-roth"

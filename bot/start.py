"""What `ask`, `chat` and `eval` start from, prepared once and kept in the user's cache folder.

Reading and checking the settings, the articles, the IRS figures and the vocabularies,
and building the matcher's index, cost more than answering a question. The terminal
commands keep the result, plain data (no pydantic model, nothing left to parse), in one
file of the cache folder, with digests of everything it came from: this code, the
setting variables of the environment, and every file read (the built-in articles and
vocabulary files, `limits.yaml`, and the articles of BOT_KNOWLEDGE_DIR). A start whose
digests all match uses the copy. Any difference, or a copy that cannot be read or
unpickled, is a start from the files, which checks them as always and stores a new
copy; a folder that cannot be written is only a slower start. The plan profile of
BOT_PLAN_FILE is not part of the copy: it is read and checked on every start.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from bot import __version__
from bot import vocabulary as language
from bot.conversation import vocabulary as talk
from bot.knowledge import Article
from bot.matching import Matcher
from bot.numbers.vocabulary import NumberVocabulary
from calc.limits import LimitsTable

FILE = "start.pickle"
# The modules whose code decides what the copy holds: the settings and their defaults,
# reading, checking and converting the files, and the matcher's index built from them.
_CODE = {
    "bot": (
        "start.py",
        "settings.py",
        "disclosure.py",
        "engine.py",
        "matching.py",
        "normalize.py",
        "synonyms.py",
        "scope.py",
        "vocabulary.py",
        "vocabulary_files.py",
        "routing.py",
        "numbers/vocabulary.py",
        "numbers/schema.py",
        "conversation/vocabulary.py",
        "conversation/schema.py",
        "knowledge/__init__.py",
        "knowledge/article.py",
        "knowledge/loading.py",
        "knowledge/schema.py",
    ),
    "calc": ("limits.py", "limits_schema.py", "yamlfile.py"),
}
_BUILTIN_SUFFIXES = (".md", ".yaml")


class Start(NamedTuple):
    """The settings the terminal commands use, and everything checked from the files."""

    tax_year: int | None
    disclosure: str
    knowledge_dir: Path | None
    link_hosts: frozenset[str]
    plan_file: Path | None
    articles: dict[str, Article]
    limits: LimitsTable
    vocabulary: language.Vocabulary
    conversation_vocabulary: talk.Vocabulary
    number_vocabulary: NumberVocabulary
    matcher: Matcher
    intent_matcher: Matcher

    def install(self) -> None:
        """Make the vocabularies the ones the language layer and conversations read, and
        the calculator intents' matcher the one the router uses."""
        from bot.numbers import vocabulary as numbers
        from bot.routing import use_intent_matcher

        language.install(self.vocabulary)
        talk.install(self.conversation_vocabulary)
        numbers.install(self.number_vocabulary)
        use_intent_matcher(self.vocabulary, self.intent_matcher)


class _Stored(NamedTuple):
    """The file in the cache folder: the digests the copy is valid for, and the copy."""

    code: str
    setting_names: frozenset[str]
    environment: str
    content: str
    start: Start


def terminal_start(folder: Path | None) -> Start:
    """The start for this environment: from the copy in `folder` when it is valid, else
    from the files (stored in `folder` for the next start). SettingsError or
    KnowledgeError say what is wrong with a setting or an article, as without the copy."""
    code = _code_digest()
    stored = _load(folder / FILE) if folder is not None and code is not None else None
    if (
        stored is not None
        and stored.code == code
        and stored.environment == _environment_digest(stored.setting_names)
        and stored.content == _content_digest(stored.start.knowledge_dir)
    ):
        stored.start.install()
        return stored.start
    return _from_files(folder, code)


def _from_files(folder: Path | None, code: str | None) -> Start:
    from bot.engine import topic_texts
    from bot.knowledge import load_articles
    from bot.numbers import vocabulary as numbers
    from bot.routing import intent_matcher
    from bot.settings import SettingFields, read_settings
    from calc.limits import load_limits

    names = frozenset(SettingFields.model_fields)
    environment = _environment_digest(names)
    settings = read_settings()
    content = _content_digest(settings.bot_knowledge_dir)
    articles = load_articles(settings.bot_knowledge_dir, settings.link_hosts)
    words = language.builtin()
    language.install(words)
    start = Start(
        tax_year=settings.bot_tax_year,
        disclosure=settings.disclosure,
        knowledge_dir=settings.bot_knowledge_dir,
        link_hosts=settings.link_hosts,
        plan_file=settings.bot_plan_file,
        articles=articles,
        limits=load_limits(),
        vocabulary=words,
        conversation_vocabulary=talk.builtin(),
        number_vocabulary=numbers.builtin(),
        matcher=Matcher(topic_texts(articles)),
        intent_matcher=intent_matcher(words),
    )
    start.install()
    if folder is not None and code is not None and content is not None:
        _store(folder / FILE, _Stored(code, names, environment, content, start))
    return start


def _load(path: Path) -> _Stored | None:
    """The stored copy at `path`, or None when there is none or it cannot be used.

    Unpickling runs code, so only a file of this user's that no one else may write, in a
    folder no one else may write, is read."""
    try:
        if not (_private(path) and _private(path.parent)):
            return None
        data = path.read_bytes()
    except OSError:
        return None
    try:
        stored = pickle.loads(data)
    except Exception:  # a damaged or foreign file is only a start from the files
        return None
    if not isinstance(stored, _Stored) or not isinstance(stored.start, Start):
        return None
    return stored


def _private(path: Path) -> bool:
    """Whether `path` is this user's, not a link, and writable by no one else."""
    status = path.lstat()
    if stat.S_ISLNK(status.st_mode):
        return False
    owner = getattr(os, "getuid", None)
    mine = owner is None or status.st_uid == owner()
    return mine and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _store(path: Path, stored: _Stored) -> None:
    """Keep `stored` at `path`, readable and writable by this user only (company articles
    may be in it)."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        with os.fdopen(os.open(partial, flags, 0o600), "wb") as out:
            out.write(pickle.dumps(stored, pickle.HIGHEST_PROTOCOL))
        partial.replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def _code_digest() -> str | None:
    """A digest of the code in _CODE; None when it cannot be read (then nothing is kept)."""
    files = [(f"{__version__} {sys.version}", b"")]
    try:
        for package, names in _CODE.items():
            root = resources.files(package)
            files += [(name, root.joinpath(name).read_bytes()) for name in names]
    except OSError:
        return None
    return _digest(files)


def _environment_digest(names: frozenset[str]) -> str:
    """A digest of the environment's setting variables: those whose name, in any case, is
    one of `names`. Only the digest is stored, never a value."""
    pairs = sorted((key, value) for key, value in os.environ.items() if key.lower() in names)
    return _digest([(f"{key}={value}", b"") for key, value in pairs])


def _content_digest(knowledge_dir: Path | None) -> str | None:
    """A digest of every file the copy is read from; None when one cannot be read."""
    try:
        builtin = resources.files("knowledge")
        entries = sorted(
            (entry for entry in builtin.iterdir() if entry.name.endswith(_BUILTIN_SUFFIXES)),
            key=lambda entry: entry.name,
        )
        files = [(f"knowledge/{entry.name}", entry.read_bytes()) for entry in entries]
        files.append(
            ("calc/limits.yaml", resources.files("calc").joinpath("limits.yaml").read_bytes())
        )
        if knowledge_dir is not None:
            folder = knowledge_dir.resolve(strict=True)
            if not folder.is_dir():
                return None
            files += [(str(path), path.read_bytes()) for path in sorted(folder.glob("*.md"))]
    except (OSError, RuntimeError):
        return None
    return _digest(files)


def _digest(files: list[tuple[str, bytes]]) -> str:
    """One digest of (name, content) pairs, each part length-prefixed so none can run into
    the next."""
    digest = hashlib.sha256()
    for name, data in files:
        label = name.encode("utf-8", "surrogateescape")
        digest.update(b"%d:%s%d:" % (len(label), label, len(data)))
        digest.update(data)
    return digest.hexdigest()

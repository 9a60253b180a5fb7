"""The matcher's index and the vocabulary, prepared once and kept in a cache folder.

Building the index costs more than the rest of a start; the prepared copy is stored
under a key made of everything it is built from (the articles' text, the vocabulary
files and the code that reads them), so any change to them builds it afresh. A cache
that cannot be read or written is only a slower start.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from bot import __version__
from bot.matching import Matcher, TopicText
from bot.vocabulary import FILES, Vocabulary, builtin, install, read_builtin

_CODE = (
    "matching.py",
    "normalize.py",
    "synonyms.py",
    "scope.py",
    "vocabulary.py",
    "vocabulary_files.py",
    "prepared.py",
)


def cache_key(topics: Sequence[TopicText]) -> str:
    """A digest of everything the prepared index is built from."""
    digest = hashlib.sha256(f"{__version__} {sys.version}".encode())
    code = resources.files("bot")
    for name in _CODE:
        digest.update(code.joinpath(name).read_bytes())
    vocabulary = read_builtin()
    for name in FILES:
        digest.update(vocabulary[name].encode())
    digest.update(repr(topics).encode())
    return digest.hexdigest()


def prepared_matcher(topics: Sequence[TopicText], folder: Path | None) -> Matcher:
    """A Matcher over `topics`, from `folder` when a copy for the same inputs is there."""
    if folder is None:
        return Matcher(topics)
    path = folder / f"index-{cache_key(topics)[:32]}.pickle"
    try:
        vocabulary, matcher = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        pass
    else:
        if isinstance(vocabulary, Vocabulary) and isinstance(matcher, Matcher):
            install(vocabulary)
            return matcher
    matcher = Matcher(topics)
    _store(path, builtin(), matcher)
    return matcher


def _store(path: Path, vocabulary: Vocabulary, matcher: Matcher) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("index-*.pickle"):
            old.unlink(missing_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_bytes(pickle.dumps((vocabulary, matcher), pickle.HIGHEST_PROTOCOL))
        partial.replace(path)
    except OSError:
        return

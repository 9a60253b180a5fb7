"""The number vocabulary (`knowledge/numbers.yaml`): loaded, validated, made into patterns.

Each entry is a word or phrase in a small grammar: a space matches any run of spaces;
`-` a hyphen, a space or nothing; `'` an apostrophe (spaces around it allowed) or none;
`word*` any word starting so; `word~` the same, but only the letters written are the
cue and the rest of the word counts as a word of its own; `{weekday}` any weekday (in pay
frequencies only). `alternatives` turns a list into the alternatives of a regular
expression, longest entry first; each is a fixed run of literals and classes that cannot
overlap, so the patterns built from them stay linear in the text. Option names and
values are compared as they are written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import NamedTuple

from bot.knowledge.article import KnowledgeError

FILE = "numbers.yaml"
WEEKDAY = "{weekday}"


# The lists of each section, as the reader reads them; a section of the file must have
# exactly these.
LISTS: dict[str, tuple[str, ...]] = {
    "pay_frequencies": ("biweekly", "semimonthly", "weekly", "monthly"),
    "paychecks": ("periods", "left", "more"),
    "ages": ("now", "now_filler", "age", "old", "person", "later", "birthday", "past"),
    "years": ("cues", "this", "next", "last", "months"),
    "slots": (
        "profit_sharing",
        "employer",
        "salary",
        "after_tax",
        "deferrals",
        "generic",
        "clause_breaks",
        "so_far",
        "so_far_done",
        "max",
        "max_any",
        "catch_up",
        "part_of",
        "earlier_job",
    ),
    "match": ("true_up", "no_true_up"),
    "options": (
        "deferrals",
        "employer",
        "match",
        "profit_sharing",
        "salary",
        "age",
        "year",
        "frequency",
        "paychecks_left",
        "after_tax_so_far",
        "deferred_so_far",
        "true_up",
    ),
    "option_values": ("max", "yes", "no"),
}


class NumberVocabulary(NamedTuple):
    """The whole file, by section, as `bot.numbers.schema` checked it: plain data."""

    pay_frequencies: dict[str, tuple[str, ...]]
    weekdays: tuple[str, ...]
    paychecks: dict[str, tuple[str, ...]]
    ages: dict[str, tuple[str, ...]]
    years: dict[str, tuple[str, ...]]
    slots: dict[str, tuple[str, ...]]
    match: dict[str, tuple[str, ...]]
    options: dict[str, tuple[str, ...]]
    option_values: dict[str, tuple[str, ...]]


class VocabularyError(KnowledgeError):
    """The number vocabulary is not valid; `field` names the entry, `message` what is wrong.

    A KnowledgeError, so every surface reports it at start-up in one line.
    """

    def __init__(self, field: str, message: str, name: str = FILE) -> None:
        super().__init__(f"knowledge/{name}", field, message)


def findings(text: str) -> list[tuple[str, str]]:
    """Every (field, message) wrong with the vocabulary `text`; empty when it is valid."""
    from bot.numbers.schema import read

    return read(text)[1]


def parse_vocabulary(text: str) -> NumberVocabulary:
    """The vocabulary in `text`; VocabularyError names the first entry that is wrong."""
    from bot.numbers.schema import read

    vocabulary, found = read(text)
    if vocabulary is None:
        raise VocabularyError(*found[0])
    return vocabulary


def builtin_text() -> str:
    """The text of the built-in number vocabulary."""
    return resources.files("knowledge").joinpath(FILE).read_text(encoding="utf-8")


@cache
def builtin() -> NumberVocabulary:
    """The built-in number vocabulary, read and validated once."""
    return parse_vocabulary(builtin_text())


_active: NumberVocabulary | None = None


def vocabulary() -> NumberVocabulary:
    """The number vocabulary the reader uses: the built-in one unless one was installed."""
    return _active if _active is not None else builtin()


def install(prepared: NumberVocabulary) -> None:
    """Use `prepared` from now on (a copy checked before, as the start-up cache holds)."""
    global _active
    _active = prepared


def _word(word: str, weekdays: str) -> str:
    if word == WEEKDAY:
        return weekdays
    body = "".join(
        r"[\s-]*" if ch == "-" else r"(?:\s*['’]\s*)?" if ch == "'" else re.escape(ch)
        for ch in word.rstrip("*~")
    )
    return body + (r"\w*" if word.endswith("*") else "")


def _ends_word(word: str) -> bool:
    return word[-1].isalnum() or word == WEEKDAY


def _branches(phrases: Sequence[Sequence[str]], tail: bool, weekdays: str) -> list[str]:
    """The alternatives for `phrases` (each a list of words), phrases that start with
    the same word sharing it, in the order of their longest phrase."""
    groups: dict[str, list[Sequence[str]]] = {}
    for words in phrases:
        groups.setdefault(words[0], []).append(words[1:])
    out: list[str] = []
    for word, rests in groups.items():
        head = _word(word, weekdays)
        end = r"\b" if tail and _ends_word(word) else ""
        longer = [rest for rest in rests if rest]
        if not longer:
            out.append(head + end)
            continue
        after = r"\s+(?:" + "|".join(_branches(longer, tail, weekdays)) + ")"
        if len(longer) < len(rests):  # the word also ends an entry of its own
            after = f"(?:{after}|{end})"
        out.append(head + after)
    return out


def alternatives(
    entries: Iterable[str], *, lead: bool = True, tail: bool = True, weekdays: Sequence[str] = ()
) -> str:
    """`entries` as one group of a regular expression's alternatives, longest first.

    Each entry matches whole words: it starts (`lead`) and ends (`tail`) at a word
    boundary, unless told otherwise for a pattern that bounds it itself. `{weekday}`
    stands for any of `weekdays`. Entries that start with the same words share them, so
    the pattern is tried once per word, not once per entry.
    """
    days = alternatives(weekdays, lead=False, tail=False) if weekdays else ""
    ordered = sorted(entries, key=len, reverse=True)
    bounded = [e.split(" ") for e in ordered if lead and e[0].isalnum()]
    free = [e.split(" ") for e in ordered if not (lead and e[0].isalnum())]
    parts = []
    if bounded:
        parts.append(r"\b(?:" + "|".join(_branches(bounded, tail, days)) + ")")
    if free:
        parts += _branches(free, tail, days)
    return "(?:" + "|".join(parts) + ")"


def sample(entry: str) -> str:
    """Plain text that `entry` matches: the entry without its grammar marks."""
    return entry.replace("*", "").replace("~", "")


def aliases(groups: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Each name of `groups` (canonical → names) mapped to its canonical."""
    return {name: canonical for canonical, names in groups.items() for name in names}

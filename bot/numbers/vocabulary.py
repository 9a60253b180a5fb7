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
from typing import Annotated

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from bot.knowledge.article import KnowledgeError
from calc.yamlfile import safe_load

FILE = "numbers.yaml"
WEEKDAY = "{weekday}"

# A word: letters and digits, a hyphen, apostrophe, dot or slash only between two of
# them (two marks side by side would give a pattern two ways to match one run of spaces),
# a dot at the end ("incl."), and `*` or `~` last.
_WORD = r"[a-z0-9]+(?:[-'./][a-z0-9]+)*\.?[*~]?"
_PHRASE = re.compile(rf"(?:{_WORD}|\{{weekday\}})(?: (?:{_WORD}|\{{weekday\}}))*")
_OPTION = re.compile(r"[a-z][a-z_]*")
_OPTION_VALUE = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")


def _listed(value: object, check: re.Pattern[str], what: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError("must be a list of words or phrases")
    seen: list[str] = []
    for entry in value:
        if not isinstance(entry, str):
            raise ValueError(f"{entry!r} is not a word or phrase (quote yes, no, on and off)")
        if not check.fullmatch(entry):
            raise ValueError(f"{entry!r} is not {what}")
        if entry in seen:
            raise ValueError(f"{entry!r} is listed twice")
        seen.append(entry)
    return tuple(seen)


def _phrases(value: object) -> tuple[str, ...]:
    return _listed(value, _PHRASE, "a phrase of lowercase words (see the grammar atop the file)")


def _option_names(value: object) -> tuple[str, ...]:
    return _listed(value, _OPTION, "an option name (lowercase letters and underscores)")


def _option_values(value: object) -> tuple[str, ...]:
    return _listed(value, _OPTION_VALUE, "a lowercase word or phrase")


Phrases = Annotated[tuple[str, ...], BeforeValidator(_phrases)]
OptionNames = Annotated[tuple[str, ...], BeforeValidator(_option_names)]
OptionValues = Annotated[tuple[str, ...], BeforeValidator(_option_values)]


# The lists of each section, as the reader reads them; a section of the file must have
# exactly these.
LISTS: dict[str, tuple[str, ...]] = {
    "pay_frequencies": ("biweekly", "semimonthly", "weekly", "monthly"),
    "paychecks": ("periods", "left", "more"),
    "ages": ("now", "now_filler", "age", "old", "person", "later", "past"),
    "years": ("cues", "this", "next", "last"),
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


class NumberVocabulary(BaseModel):
    """The whole file, by section; `findings` adds that each section has its lists."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    pay_frequencies: dict[str, Phrases]
    weekdays: Phrases
    paychecks: dict[str, Phrases]
    ages: dict[str, Phrases]
    years: dict[str, Phrases]
    slots: dict[str, Phrases]
    match: dict[str, Phrases]
    options: dict[str, OptionNames]
    option_values: dict[str, OptionValues]


# Lists whose entries must each belong to one of them only: a word that names two pay
# frequencies, two slots or two options could only ever be read as the first.
_EXCLUSIVE = (
    ("pay_frequencies", LISTS["pay_frequencies"]),
    ("years", ("this", "next", "last")),
    ("slots", ("profit_sharing", "employer", "salary", "after_tax", "deferrals")),
    ("options", LISTS["options"]),
    ("option_values", ("yes", "no")),
)


class VocabularyError(KnowledgeError):
    """The number vocabulary is not valid; `field` names the entry, `message` what is wrong.

    A KnowledgeError, so every surface reports it at start-up in one line.
    """

    def __init__(self, field: str, message: str, name: str = FILE) -> None:
        super().__init__(f"knowledge/{name}", field, message)


def findings(text: str) -> list[tuple[str, str]]:
    """Every (field, message) wrong with the vocabulary `text`; empty when it is valid."""
    return _read(text)[1]


def _read(text: str) -> tuple[NumberVocabulary | None, list[tuple[str, str]]]:
    try:
        data = safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        return None, [("file", f"is not valid YAML{where}")]
    try:
        vocabulary = NumberVocabulary.model_validate(data if data is not None else {})
    except ValidationError as exc:
        return None, [
            (".".join(str(part) for part in error["loc"]) or "file", _message(error["msg"]))
            for error in exc.errors()
        ]
    found = list(_lists_named(vocabulary))
    if not found:
        found = [*_overlaps(vocabulary), *_weekday_outside_frequencies(vocabulary)]
    return (None if found else vocabulary), found


def _message(text: str) -> str:
    return text.removeprefix("Value error, ")


def _lists_named(vocabulary: NumberVocabulary) -> Iterable[tuple[str, str]]:
    for section, names in LISTS.items():
        given = getattr(vocabulary, section)
        for name in given:
            if name not in names:
                yield f"{section}.{name}", "is not a list the reader reads"
        for name in names:
            if name not in given:
                yield f"{section}.{name}", "is missing"


def _overlaps(vocabulary: NumberVocabulary) -> Iterable[tuple[str, str]]:
    for section, fields in _EXCLUSIVE:
        group = getattr(vocabulary, section)
        owner: dict[str, str] = {}
        for field in fields:
            for entry in group[field]:
                if entry in owner:
                    yield f"{section}.{field}", f"{entry!r} is also in {section}.{owner[entry]}"
                owner.setdefault(entry, field)


def _weekday_outside_frequencies(vocabulary: NumberVocabulary) -> Iterable[tuple[str, str]]:
    lists: list[tuple[str, Sequence[str]]] = [("weekdays", vocabulary.weekdays)]
    for section in LISTS:
        if section != "pay_frequencies":
            lists += [(f"{section}.{name}", e) for name, e in getattr(vocabulary, section).items()]
    for field, entries in lists:
        for entry in entries:
            if WEEKDAY in entry:
                yield field, f"{entry!r}: {WEEKDAY} may only be used in pay_frequencies"


def parse_vocabulary(text: str) -> NumberVocabulary:
    """The vocabulary in `text`; VocabularyError names the first entry that is wrong."""
    vocabulary, found = _read(text)
    if vocabulary is None:
        raise VocabularyError(*found[0])
    return vocabulary


def builtin_text() -> str:
    """The text of the built-in number vocabulary."""
    return resources.files("knowledge").joinpath(FILE).read_text(encoding="utf-8")


@cache
def vocabulary() -> NumberVocabulary:
    """The built-in number vocabulary, read and validated once."""
    return parse_vocabulary(builtin_text())


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

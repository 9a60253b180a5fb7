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
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from bot.knowledge.article import KnowledgeError
from calc.yamlfile import safe_load

FILE = "numbers.yaml"
WEEKDAY = "{weekday}"

_WORD = r"[a-z0-9](?:[a-z0-9'./-]*[a-z0-9.])?[*~]?"
_PHRASE = re.compile(rf"(?:{_WORD}|\{{weekday\}})(?: (?:{_WORD}|\{{weekday\}}))*")
_OPTION = re.compile(r"[a-z][a-z_]*")


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
    return _listed(value, re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*"), "a lowercase word or phrase")


Phrases = Annotated[tuple[str, ...], BeforeValidator(_phrases)]
OptionNames = Annotated[tuple[str, ...], BeforeValidator(_option_names)]
OptionValues = Annotated[tuple[str, ...], BeforeValidator(_option_values)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PayFrequencies(_Strict):
    biweekly: Phrases
    semimonthly: Phrases
    weekly: Phrases
    monthly: Phrases


class Paychecks(_Strict):
    periods: Phrases
    left: Phrases
    more: Phrases


class Ages(_Strict):
    now: Phrases
    now_filler: Phrases
    age: Phrases
    old: Phrases
    person: Phrases
    later: Phrases
    past: Phrases


class Years(_Strict):
    cues: Phrases
    this: Phrases
    next: Phrases
    last: Phrases


class Slots(_Strict):
    profit_sharing: Phrases
    employer: Phrases
    salary: Phrases
    after_tax: Phrases
    deferrals: Phrases
    generic: Phrases
    clause_breaks: Phrases
    so_far: Phrases
    so_far_done: Phrases
    max: Phrases
    max_any: Phrases
    catch_up: Phrases
    part_of: Phrases


class Match(_Strict):
    true_up: Phrases
    no_true_up: Phrases


class Options(_Strict):
    deferrals: OptionNames
    employer: OptionNames
    match: OptionNames
    profit_sharing: OptionNames
    salary: OptionNames
    age: OptionNames
    year: OptionNames
    frequency: OptionNames
    paychecks_left: OptionNames
    after_tax_so_far: OptionNames
    deferred_so_far: OptionNames
    true_up: OptionNames


class OptionWords(_Strict):
    max: OptionValues
    yes: OptionValues
    no: OptionValues


class NumberVocabulary(_Strict):
    """The whole file; unknown keys, missing lists and repeated entries are errors."""

    pay_frequencies: PayFrequencies
    weekdays: Phrases
    paychecks: Paychecks
    ages: Ages
    years: Years
    slots: Slots
    match: Match
    options: Options
    option_values: OptionWords


# Lists whose entries must each belong to one of them only: a word that names two pay
# frequencies, two slots or two options could only ever be read as the first.
_EXCLUSIVE = (
    ("pay_frequencies", ("biweekly", "semimonthly", "weekly", "monthly")),
    ("years", ("this", "next", "last")),
    ("slots", ("profit_sharing", "employer", "salary", "after_tax", "deferrals")),
    ("options", tuple(Options.model_fields)),
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
    try:
        data = safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        return [("file", f"is not valid YAML{where}")]
    try:
        vocabulary = NumberVocabulary.model_validate(data if data is not None else {})
    except ValidationError as exc:
        return [
            (".".join(str(part) for part in error["loc"]) or "file", _message(error["msg"]))
            for error in exc.errors()
        ]
    return list(_overlaps(vocabulary)) + list(_weekday_outside_frequencies(vocabulary))


def _message(text: str) -> str:
    return text.removeprefix("Value error, ")


def _overlaps(vocabulary: NumberVocabulary) -> Iterable[tuple[str, str]]:
    for section, fields in _EXCLUSIVE:
        group = getattr(vocabulary, section)
        owner: dict[str, str] = {}
        for field in fields:
            for entry in getattr(group, field):
                if entry in owner:
                    yield f"{section}.{field}", f"{entry!r} is also in {section}.{owner[entry]}"
                owner.setdefault(entry, field)


def _weekday_outside_frequencies(vocabulary: NumberVocabulary) -> Iterable[tuple[str, str]]:
    for section, group in vocabulary:
        if section == "pay_frequencies":
            continue
        for field, entries in _lists(section, group):
            for entry in entries:
                if WEEKDAY in entry:
                    yield field, f"{entry!r}: {WEEKDAY} may only be used in pay_frequencies"


def _lists(section: str, group: Any) -> Iterable[tuple[str, Sequence[str]]]:
    if isinstance(group, tuple):
        yield section, group
    elif isinstance(group, BaseModel):
        for field, entries in group:
            yield f"{section}.{field}", entries


def parse_vocabulary(text: str) -> NumberVocabulary:
    """The vocabulary in `text`; VocabularyError names the first entry that is wrong."""
    found = findings(text)
    if found:
        raise VocabularyError(*found[0])
    return NumberVocabulary.model_validate(safe_load(text))


def builtin_text() -> str:
    """The text of the built-in number vocabulary."""
    return resources.files("knowledge").joinpath(FILE).read_text(encoding="utf-8")


@cache
def vocabulary() -> NumberVocabulary:
    """The built-in number vocabulary, read and validated once."""
    return parse_vocabulary(builtin_text())


def _pattern(entry: str, lead: bool, tail: bool) -> str:
    words: list[str] = []
    for word in entry.split(" "):
        body = "".join(
            r"[\s-]*" if ch == "-" else r"(?:\s*['’]\s*)?" if ch == "'" else re.escape(ch)
            for ch in word.rstrip("*~")
        )
        words.append(body + (r"\w*" if word.endswith("*") else ""))
    start = r"\b" if lead and entry[0].isalnum() else ""
    end = r"\b" if tail and entry[-1].isalnum() else ""
    return start + r"\s+".join(words) + end


def expand(entries: Iterable[str], weekdays: Sequence[str] = ()) -> list[str]:
    """`entries` with each `{weekday}` entry written out once per weekday."""
    out: list[str] = []
    for entry in entries:
        if WEEKDAY in entry:
            out += [entry.replace(WEEKDAY, day) for day in weekdays]
        else:
            out.append(entry)
    return out


def alternatives(entries: Iterable[str], *, lead: bool = True, tail: bool = True) -> str:
    """`entries` as one group of a regular expression's alternatives, longest first.

    Each entry matches whole words: it starts (`lead`) and ends (`tail`) at a word
    boundary, unless told otherwise for a pattern that bounds it itself.
    """
    ordered = sorted(entries, key=len, reverse=True)
    return "(?:" + "|".join(_pattern(entry, lead, tail) for entry in ordered) + ")"


def sample(entry: str) -> str:
    """Plain text that `entry` matches: the entry without its grammar marks."""
    return entry.replace("*", "").replace("~", "")


def aliases(groups: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Each name of `groups` (canonical → names) mapped to its canonical."""
    return {name: canonical for canonical, names in groups.items() for name in names}

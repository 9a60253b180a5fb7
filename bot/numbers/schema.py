"""The checks on `knowledge/numbers.yaml` (pydantic), giving the plain `NumberVocabulary`.

Only reading the file needs this module; a prepared vocabulary needs neither it nor
pydantic nor PyYAML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Annotated

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from bot.numbers.vocabulary import LISTS, WEEKDAY, NumberVocabulary
from calc.yamlfile import safe_load

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


class NumberVocabularySchema(BaseModel):
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


def read(text: str) -> tuple[NumberVocabulary | None, list[tuple[str, str]]]:
    """The vocabulary of `text`, or None, and every (field, message) wrong with it."""
    try:
        data = safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        return None, [("file", f"is not valid YAML{where}")]
    try:
        checked = NumberVocabularySchema.model_validate(data if data is not None else {})
    except ValidationError as exc:
        return None, [
            (".".join(str(part) for part in error["loc"]) or "file", _message(error["msg"]))
            for error in exc.errors()
        ]
    vocabulary = NumberVocabulary(
        **{name: getattr(checked, name) for name in NumberVocabulary._fields}
    )
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

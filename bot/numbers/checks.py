"""What `kb check` says of the number vocabulary: every problem of `knowledge/numbers.yaml`.

Beyond what loading finds (YAML, unknown or missing lists, entries outside the grammar,
repeats and overlaps): a slot cue that an earlier step of the reader always takes first
(a name, a pay frequency, an age, a year), so it can never name an amount.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.numbers.reader import Reader
from bot.numbers.slots import SLOTS
from bot.numbers.vocabulary import (
    NumberVocabulary,
    VocabularyError,
    findings,
    parse_vocabulary,
    sample,
)


def problems(text: str) -> list[tuple[str, str]]:
    """Every (field, message) `kb check` reports about the vocabulary `text`."""
    try:
        words = parse_vocabulary(text)
    except VocabularyError:
        return findings(text)
    return list(_unreachable_cues(words))


def _unreachable_cues(words: NumberVocabulary) -> Iterable[tuple[str, str]]:
    reader = Reader(words)
    for slot in SLOTS:
        for entry in words.slots[slot]:
            taken = reader.taken_before_slots(sample(entry))
            if taken is not None:
                yield (
                    f"slots.{slot}",
                    f"{entry!r} is taken by an earlier step of the reader, as {taken}, "
                    "before amounts are read: it can never name an amount",
                )

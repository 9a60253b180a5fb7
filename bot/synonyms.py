"""The field's jargon as people type it, mapped to one canonical spelling each.

The rules, spellings and synonyms are data (`knowledge/synonyms.yaml`, read by
`bot.vocabulary`). Rules apply in order; each is tried only when one of its trigger
substrings, derived from its pattern, is in the text.
"""

from __future__ import annotations

from bot.vocabulary import current


def canonical_terms(text: str) -> str:
    """`text` (lowercase) with each jargon spelling replaced by its canonical term."""
    vocabulary = current()
    # Plain substring tests first: most rules cannot apply to a given question. A rule
    # that changes the text can bring a later rule's trigger in ("after tax" → "aftertax").
    present = _present(text, vocabulary.triggers)
    for rule in vocabulary.rules:
        if rule.triggers and present.isdisjoint(rule.triggers):
            continue
        changed = rule.pattern.sub(rule.to, text)
        if changed != text:
            text = changed
            present = _present(text, vocabulary.triggers)
    return text


def _present(text: str, triggers: tuple[str, ...]) -> set[str]:
    return {trigger for trigger in triggers if trigger in text}

"""What is in scope: the words that anchor a question to 401(k) contributions, the words
that mark it as about something else, and the words that carry no topic at all.

Next to the bot's subject sit 401(k) subjects it does not cover (loans, early-withdrawal
penalties, vesting schedules, rollovers of pre-tax money, 401(k)s in general): a question
about one of them falls back unless it also names something the bot does cover.

The words are data (`knowledge/scope.yaml`, read by `bot.vocabulary`), in the canonical
spellings of `bot.normalize` (after synonyms).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.vocabulary import NearScope, current

__all__ = ["NearScope", "near_scope_cue", "off_topic_cue"]


def _has_phrase(tokens: Sequence[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(tuple(tokens[i : i + size]) == phrase for i in range(len(tokens) - size + 1))


def near_scope_cue(tokens: Sequence[str]) -> str | None:
    """The near-scope subject `tokens` ask about without naming anything this bot covers."""
    vocabulary = current()
    present = set(tokens)
    for near in vocabulary.near_scope:
        cued = bool(present & near.cues) or any(
            p[0] in present and _has_phrase(tokens, p) for p in near.phrases
        )
        if cued and near.needs <= present and not present & near.rescuers:
            return near.label
    content = present - vocabulary.stopwords
    if content and content <= vocabulary.generic_subject:
        return "401(k)s in general"
    return None


def off_topic_cue(tokens: Sequence[str]) -> str | None:
    """The first word or phrase in `tokens` that marks the question as off topic."""
    vocabulary = current()
    anchors = vocabulary.anchors
    anchored = any(t in anchors and t not in vocabulary.weak_anchors for t in tokens)
    specific = any(t in anchors and t not in vocabulary.general_anchors for t in tokens)
    soft, soft_specific = vocabulary.soft, vocabulary.soft_specific
    for i, token in enumerate(tokens):
        if token not in vocabulary.off_topic:
            continue
        allowed = vocabulary.not_off_topic_before.get(token)
        if allowed and tokens[i + 1 : i + 2] and tokens[i + 1] in allowed:
            continue
        if token in soft and (specific if token in soft_specific else anchored):
            continue
        return token
    for i in range(len(tokens) - 1):
        if not specific and tuple(tokens[i : i + 2]) in vocabulary.needs_specific:
            return " ".join(tokens[i : i + 2])
        for phrase in vocabulary.off_topic_phrases:
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                label = " ".join(phrase)
                if label in soft and (specific if label in soft_specific else anchored):
                    continue
                return label
    return near_scope_cue(tokens)

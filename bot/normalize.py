"""Chat text made comparable: platform markup stripped, jargon spelled one way, words split."""

from __future__ import annotations

import html
import re
import unicodedata

from bot.synonyms import canonical_terms
from bot.vocabulary import current

_LINK_LABEL = re.compile(r"<(?:https?://|mailto:)[^|>\s]*\|([^>]*)>")
_LINK = re.compile(r"<(?:https?://|mailto:)[^>\s]*>")
_PLATFORM_TAG = re.compile(
    r"<(?:@[!&]?\w+|#\w+|![\w-]+(?:\^[\w-]+)?|a?:\w+:\d+|t:-?\d+(?::\w)?|/[\w -]+:\d+)(?:\|[^>]*)?>"
)
_BARE_URL = re.compile(
    r"\b(?:https?|ftps?)://\S*|\b(?:javascript|vbscript|data):\S+|\bwww\.\S+", re.IGNORECASE
)
_CODE_FENCE = re.compile(r"```[a-zA-Z0-9_+-]*\n?")
_PAIRED = re.compile(r"\*\*|__|~~|\|\||`")
_SINGLE_EMPHASIS = re.compile(r"(?<![\w*~])[*~](\S(?:[^*~\n]*\S)?)[*~](?![\w*~])")
_UNDERSCORE_EMPHASIS = re.compile(r"(?<![\w])_(\S(?:[^_\n]*\S)?)_(?![\w])")
_SHORTCODE = re.compile(r"(?<![\w:]):[a-z][a-z0-9_+-]*:(?![\w:])")
_QUOTE = re.compile(r"(?m)^\s*>+\s?")
_PLAIN_PING = re.compile(r"(?<!\w)@(?:here|channel|everyone)\b", re.IGNORECASE)
_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]"
)
# Any run of whitespace becomes one character: a newline if the run held one, else a space.
# Every later pattern then meets at most one whitespace character in a row, which keeps
# `\s*`-shaped patterns linear however long a run someone pastes.
_SPACE_RUN = re.compile(r"\s+")
_APOSTROPHE = re.compile(r"[’‘`´']")
_NON_WORD = re.compile(r"[^a-z0-9]+")
# Amounts and years say nothing about the topic; the numbers module reads them instead.
# Dates say which year's figures to use, not which topic: the numbers module reads them.
_WHEN = re.compile(
    r"\b(?:this|next|last|previous|prior|current|the\s+current)\s+(?:tax\s+)?(?:year|yr)s?\b"
)
_NUMBER = re.compile(r"\$\s*[\d.,]+\s*[km]?\b|\b\d[\d,]*(?:\.\d+)?\s*(?:k|m|%)?(?![\w])")


def collapse_space(text: str) -> str:
    """`text` with each whitespace run as one newline (if it held one) or one space."""
    return _SPACE_RUN.sub(lambda m: "\n" if "\n" in m.group(0) else " ", text)


def strip_markup(text: str) -> str:
    """`text` without Slack or Discord markup: mentions, channel links and pings removed,
    link labels kept, emphasis markers and code ticks dropped (their contents kept).

    Markers are dropped before links and pings are filtered, so a link split by markers
    (``ht``tps://``) is removed like any other.
    """
    text = unicodedata.normalize("NFKC", text)
    text = collapse_space(_CONTROL.sub(" ", text))
    text = _LINK_LABEL.sub(r" \1 ", text)
    text = _LINK.sub(" ", text)
    text = _PLATFORM_TAG.sub(" ", text)
    text = collapse_space(html.unescape(text))
    text = _CODE_FENCE.sub(" ", text)
    text = _PAIRED.sub("", text)
    text = _SINGLE_EMPHASIS.sub(r"\1", text)
    text = _UNDERSCORE_EMPHASIS.sub(r"\1", text)
    text = _LINK_LABEL.sub(r" \1 ", text)
    text = _LINK.sub(" ", text)
    text = _PLATFORM_TAG.sub(" ", text)
    text = _BARE_URL.sub(" ", text)
    text = _PLAIN_PING.sub(" ", text)
    text = _SHORTCODE.sub(" ", text)
    text = _QUOTE.sub("", text)
    return re.sub(r"[^\S\n]+", " ", collapse_space(text)).strip()


def _keep_number(match: re.Match[str]) -> str:
    token = match.group(0).strip().rstrip(",")
    if token in current().kept_numbers:
        return f" {token} "
    # The ages the rules turn on ("over 50", "ages 60 to 63", "59½") say something.
    if token.isdigit() and 50 <= int(token) <= 79:
        return f" {token} "
    return " "


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def to_tokens(text: str) -> list[str]:
    """The words of `text`, lowercased, in canonical spellings, without markup or amounts."""
    return clean_tokens(strip_markup(text))


def clean_tokens(text: str) -> list[str]:
    """`to_tokens` for text whose markup `strip_markup` has already removed."""
    if not text or text.isspace():
        return []
    text = text.lower()
    text = _APOSTROPHE.sub("", text)
    text = canonical_terms(text)
    text = _WHEN.sub(" ", text)
    text = _NUMBER.sub(_keep_number, text)
    vocabulary = current()
    spellings, synonyms = vocabulary.spellings, vocabulary.synonyms
    words = []
    for word in _NON_WORD.sub(" ", text).split():
        word = spellings.get(word, word)
        word = synonyms.get(word, synonyms.get(_singular(word), word))
        words.append(word)
    return words


def normalize(text: str) -> str:
    """`text` as one canonical, space-separated string (see `to_tokens`)."""
    return " ".join(to_tokens(text))

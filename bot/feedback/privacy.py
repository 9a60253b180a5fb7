"""What may be kept of a person: questions redacted, ids replaced by a keyed hash.

Every pattern here starts only where a run of its characters starts (a lookbehind or a
literal first character), so redacting takes linear time in the text's length.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

MAX_CHARS = 500

_TAG = re.compile(r"<[^<>]*>")  # Slack and Discord mentions, channel and link tags
_URL = re.compile(r"(?<![a-z0-9+.-])(?:[a-z][a-z0-9+.-]*://|www\.)\S*", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
_DOMAIN = re.compile(
    r"(?<![\w.@-])(?:[a-z0-9-]+\.)+(?:com|org|net|io|gov|edu|co|us|uk|ca|de|me|app|dev)\b\S*",
    re.IGNORECASE,
)
_MENTION = re.compile(r"(?<![\w@])@[\w.-]+")
# A phone number: a North American one (with or without +1, brackets and separators) or
# an international one after "+"; bounded, so each try is short.
_PHONE = re.compile(
    r"(?<![\w+(])(?:\+?1[ .-]?)?(?:\(\d{3}\)|\d{3})[ .-]?\d{3}[ .-]?\d{4}(?!\w)"
    r"|(?<![\w+])\+\d[\d .-]{6,16}\d(?!\w)"
)
_SPACE = re.compile(r"[^\S\n]+")


def _numbers_to_hash(text: str) -> str:
    """Every run of numeric characters (with the separators inside it) as one `#`."""
    out: list[str] = []
    in_number = False
    for index, char in enumerate(text):
        if char.isnumeric() or unicodedata.category(char) == "Nd":
            if not in_number:
                out.append("#")
            in_number = True
        elif in_number and char in ",._'" and index + 1 < len(text) and text[index + 1].isnumeric():
            continue
        else:
            in_number = False
            out.append(char)
    return "".join(out)


def redact(text: str) -> str:
    """`text` with mentions, emails, URLs and phone numbers removed and numbers as `#`.

    The text is normalised first (NFKC), so full-width and other look-alike digits and
    at signs are caught like ASCII ones. At most MAX_CHARS characters are kept.
    """
    text = unicodedata.normalize("NFKC", text[: MAX_CHARS * 4])
    for pattern in (_TAG, _URL, _EMAIL, _DOMAIN, _MENTION, _PHONE):
        text = pattern.sub(" ", text)
    # A stray @ or angle bracket is left of a mention or a tag: neither is kept.
    text = text.replace("@", " ").replace("<", " ").replace(">", " ")
    text = _numbers_to_hash(text)
    return _SPACE.sub(" ", text).strip()[:MAX_CHARS]


def keyed_hash(key: str | None, kind: str, value: str | None) -> str | None:
    """An HMAC-SHA256 of `value` (a user or channel id) under `key`, or None without either.

    Without a key nothing is kept: a plain hash of a platform id can be reversed by
    hashing every id, so only a keyed one lets repeat askers be counted but not named.
    """
    if not key or not value:
        return None
    digest = hmac.new(key.encode(), f"{kind}:{value}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]

"""What the command line prints, made safe for a terminal and always valid UTF-8.

Articles come from a folder anyone with commit access can edit, and questions from
whoever runs the command: neither may move the cursor, retitle the window, print a
hyperlink or reverse the text that follows, so escape sequences, C0/C1 controls (but
newline and tab) and bidi controls are dropped from everything written.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

UNSAFE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\x1b[\]P^_X][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC (hyperlinks, titles), DCS, PM, APC
    r"|\x1b[ -/]*[0-~]?"  # any other escape
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"  # C0 and C1 controls but tab and newline
    r"|[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"  # bidi marks, embeddings, overrides
)


def safe_text(text: str) -> str:
    """`text` without escape sequences, control characters or bidi controls."""
    return UNSAFE.sub("", text)


def from_argv(text: str) -> str:
    """An argument as text: bytes that were not UTF-8 become U+FFFD."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return raw.decode("utf-8", "replace")


class SafeStream(io.TextIOBase):
    """A text stream that writes `safe_text` of everything to the stream it wraps."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(safe_text(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def fileno(self) -> int:  # input() uses line editing only on the real terminal's fd
        return self._stream.fileno()

    def isatty(self) -> bool:
        return self._stream.isatty()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._stream.encoding


def _as_utf8(stream: TextIO) -> None:
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(encoding="utf-8", errors="replace")


@contextmanager
def safe_console() -> Iterator[None]:
    """Read standard input as UTF-8 (bad bytes become U+FFFD) and write only safe UTF-8."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        _as_utf8(stream)
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(saved[0]), SafeStream(saved[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved

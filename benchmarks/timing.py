"""What the benchmark scripts share: latency summaries, bounded counts, progress and output."""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Latency:
    """A summary of timings, in milliseconds."""

    count: int
    p50: float
    p90: float
    p95: float
    p99: float
    max: float
    mean: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Latency:
        """The summary of `seconds`; percentiles by nearest rank, so p99 is an observed time."""
        if not seconds:
            raise ValueError("no timings to summarise")
        ordered = sorted(seconds)
        return cls(
            count=len(ordered),
            p50=percentile(ordered, 50) * 1000,
            p90=percentile(ordered, 90) * 1000,
            p95=percentile(ordered, 95) * 1000,
            p99=percentile(ordered, 99) * 1000,
            max=ordered[-1] * 1000,
            mean=statistics.fmean(ordered) * 1000,
        )

    def as_dict(self) -> dict[str, float]:
        return {key: round(value, 4) for key, value in asdict(self).items()}


def percentile(ordered: Sequence[float], share: float) -> float:
    """The nearest-rank percentile of already sorted values."""
    rank = max(1, math.ceil(share / 100 * len(ordered)))
    return ordered[rank - 1]


def bounded_seconds(low: float, high: float) -> Any:
    """An argparse type for a number of seconds from `low` to `high`."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
        if not low <= value <= high:  # also refuses NaN
            raise argparse.ArgumentTypeError(f"{value} is out of range; use {low:g} to {high:g}")
        return value

    return parse


def progress(message: str) -> None:
    """A progress line on stderr, so stdout holds only the results."""
    print(message, file=sys.stderr, flush=True)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], *, numeric: bool = True) -> str:
    """Rows as an aligned text table.

    The first column is aligned left; the others right when `numeric`, else left.
    """
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        parts = [row[0].ljust(widths[0])]
        parts += [
            cell.rjust(width) if numeric else cell.ljust(width)
            for cell, width in zip(row[1:], widths[1:], strict=True)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


def ms(value: float) -> str:
    """Milliseconds for a table: three decimals below 10 ms, one above."""
    return f"{value:.3f} ms" if value < 10 else f"{value:,.1f} ms"


def met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def emit(results: dict[str, Any], text: str, as_json: bool) -> None:
    """Print the results: as one JSON object with `--json`, else as the readable report."""
    print(json.dumps(results, indent=2) if as_json else text)


def console_script() -> list[str]:
    """The `401k-bot` script of this interpreter (not a version manager's shim), or on PATH."""
    beside = Path(sys.executable).with_name("401k-bot")
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which("401k-bot")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())"]

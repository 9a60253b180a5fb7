"""What a calculator returns: the contract fields, the arithmetic and the assumptions."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from calc.money import to_number


@dataclass(frozen=True)
class Calculation:
    """One calculator's answer.

    `fields` holds the result fields of the reply contract (dollars as Decimal);
    `steps` is the arithmetic a person can follow; `assumptions` what was taken as
    given; `notes` what the person should know (a limit exceeded, a year substituted).
    """

    topic: str
    year: int
    fields: dict[str, Decimal | int | None]
    steps: list[str]
    headline: str
    assumptions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def to_result(self) -> dict[str, object]:
        """The contract's `result` object: JSON numbers, plus the steps and assumptions."""
        result: dict[str, object] = {}
        for key, value in self.fields.items():
            if value is None:
                continue
            result[key] = to_number(value) if isinstance(value, Decimal) else value
        result["steps"] = list(self.steps)
        result["assumptions"] = list(self.assumptions)
        result["notes"] = list(self.notes)
        return result

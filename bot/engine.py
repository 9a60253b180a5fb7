"""The answer engine: a Question in, a Reply out; pure and synchronous."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.disclosure import DEFAULT_DISCLOSURE
from bot.reply import Question, Reply
from calc.limits import LimitsTable, YearChoice, load_limits


@dataclass
class Engine:
    """Answers questions from the limits data (and, later, the knowledge base).

    `default_year` overrides the current year (BOT_TAX_YEAR); `today` comes with
    each question or from the caller, never from a clock read here.
    """

    limits: LimitsTable
    disclosure: str = DEFAULT_DISCLOSURE
    default_year: int | None = None

    def choose_year(self, question: Question) -> YearChoice:
        today = question.today or dt.date(self.limits.latest.year, 1, 1)
        return self.limits.choose(question.year or self.default_year, today)

    def answer(self, question: Question) -> Reply:
        """The reply to one question; never raises for any text."""
        choice = self.choose_year(question)
        return Reply(
            kind="fallback",
            topic=None,
            title="Not something I cover",
            text="I only cover 401(k) contribution topics.",
            disclosure=self.disclosure,
            tax_year=choice.year,
            confidence=0.0,
        )


def default_engine(disclosure: str = DEFAULT_DISCLOSURE, default_year: int | None = None) -> Engine:
    """An engine over the built-in data."""
    return Engine(limits=load_limits(), disclosure=disclosure, default_year=default_year)

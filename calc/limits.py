"""The year-keyed IRS limits, loaded once from `limits.yaml` and validated.

The figures are plain frozen dataclasses; the checks on them (`calc.limits_schema`, with
pydantic) run when the file is read, so code that only uses figures already checked,
such as a prepared copy kept between runs, never imports pydantic or PyYAML.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources

from calc.errors import UnknownYearError


@dataclass(frozen=True)
class Source:
    """Where a year's figures were announced."""

    notice: str
    news_release: str
    url: str


@dataclass(frozen=True)
class PhaseOut:
    """Roth IRA MAGI phase-out ranges by filing status, as (start, end)."""

    single: tuple[Decimal, Decimal]
    married_joint: tuple[Decimal, Decimal]
    married_separate: tuple[Decimal, Decimal]


@dataclass(frozen=True)
class SimpleLimits:
    """SIMPLE IRA and SIMPLE 401(k) limits; the `higher_` ones are SECURE 2.0's 110% amounts."""

    deferral: Decimal
    catch_up_50: Decimal
    catch_up_60_63: Decimal | None
    higher_deferral: Decimal
    higher_catch_up_50: Decimal


@dataclass(frozen=True)
class YearLimits:
    """Every dollar limit of one tax year, as `calc.limits_schema` validated it."""

    year: int
    elective_deferral: Decimal
    catch_up_50: Decimal
    catch_up_60_63: Decimal | None
    annual_additions: Decimal
    compensation_limit: Decimal
    hce_threshold: Decimal
    ira_contribution: Decimal
    ira_catch_up: Decimal
    roth_ira_phaseout: PhaseOut
    roth_catch_up_wage_threshold: Decimal
    roth_catch_up_enforced: bool
    simple: SimpleLimits
    source: Source

    def catch_up_for_age(self, age: int | None) -> Decimal:
        """The catch-up allowed for the age reached by December 31 of this year."""
        if age is None or age < 50:
            return Decimal(0)
        if 60 <= age <= 63 and self.catch_up_60_63 is not None:
            return self.catch_up_60_63
        return self.catch_up_50

    def catch_up_label(self, age: int | None) -> str:
        """How the catch-up for `age` is described in a reply."""
        if age is None or age < 50:
            return "no catch-up (under 50)"
        if 60 <= age <= 63 and self.catch_up_60_63 is not None:
            return "ages 60–63 catch-up"
        return "age 50+ catch-up"

    @property
    def citation(self) -> str:
        return f"{self.source.notice} ({self.source.news_release})"


@dataclass(frozen=True)
class YearChoice:
    """The tax year a calculation uses, and a note when it is not the one asked for."""

    limits: YearLimits
    note: str | None = None

    @property
    def year(self) -> int:
        return self.limits.year


class LimitsTable:
    """All known years, with the rule for picking one."""

    def __init__(self, years: dict[int, YearLimits]) -> None:
        if not years:
            raise ValueError("the limits data has no years")
        self._years = dict(sorted(years.items()))

    @property
    def years(self) -> list[int]:
        return list(self._years)

    @property
    def latest(self) -> YearLimits:
        return self._years[max(self._years)]

    def get(self, year: int) -> YearLimits:
        """The limits of `year`; UnknownYearError names the known years otherwise."""
        try:
            return self._years[year]
        except KeyError:
            known = ", ".join(str(y) for y in self._years)
            raise UnknownYearError(f"no limits for {year}; the years known are {known}") from None

    def nearest(self, year: int) -> YearChoice:
        """The figures of `year`, or of the nearest known year with a note saying so."""
        if year in self._years:
            return YearChoice(self._years[year])
        latest = self.latest
        if year > latest.year:
            return YearChoice(
                latest,
                f"The IRS figures for {year} are not in this bot yet; "
                f"these are the {latest.year} figures.",
            )
        first = self._years[min(self._years)]
        return YearChoice(
            first,
            f"This bot has no figures for {year}; these are the {first.year} figures, "
            "the earliest it has.",
        )

    def choose(self, year: int | None, today: dt.date) -> YearChoice:
        """An explicit `year` wins (and must be known); otherwise today's, or the nearest."""
        if year is not None:
            return YearChoice(self.get(year))
        return self.nearest(today.year)


def parse_limits(data: object) -> LimitsTable:
    """Validate the raw YAML mapping of year -> figures."""
    from calc.limits_schema import year_limits

    if not isinstance(data, dict):
        raise ValueError("limits data must be a mapping of year to figures")
    years = {
        int(year): year_limits({"year": int(year), **figures}) for year, figures in data.items()
    }
    return LimitsTable(years)


def read_limits_file() -> str:
    """The text of the `limits.yaml` shipped with the package."""
    return resources.files("calc").joinpath("limits.yaml").read_text(encoding="utf-8")


@cache
def load_limits() -> LimitsTable:
    """The limits shipped with the package, validated once per process."""
    from calc.yamlfile import safe_load

    return parse_limits(safe_load(read_limits_file()))

"""Errors the calculators raise for input a person can correct."""

from __future__ import annotations


class CalcError(ValueError):
    """Input the calculators cannot use; the message says what was wrong and what works."""


class AmountError(CalcError):
    """A dollar amount that is not a number, negative, or implausibly large."""


class UnknownYearError(CalcError):
    """A tax year the limits data has no figures for."""


class FormulaError(CalcError):
    """A match formula that cannot be read."""


class FrequencyError(CalcError):
    """A pay frequency that is not one of the known ones."""

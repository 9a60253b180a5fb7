"""The topic catalog of DESIGN.md: the stable ids every built-in article must cover."""

from __future__ import annotations

CATALOG: tuple[str, ...] = (
    "roth-vs-after-tax",
    "why-after-tax",
    "contribution-limits",
    "after-tax-room",
    "mega-backdoor-roth",
    "backdoor-roth-ira",
    "plan-questions",
    "in-plan-conversion",
    "in-service-withdrawal",
    "earnings-taxation",
    "catch-up-contributions",
    "roth-catch-up-rule",
    "roth-401k-basics",
    "traditional-vs-roth",
    "employer-match",
    "multiple-employers",
    "pro-rata-rule",
    "roth-ira-income-limits",
    "nondiscrimination-testing",
    "five-year-rule",
    "form-1099r",
    "help",
)

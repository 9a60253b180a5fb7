"""Any text at all gets a reply with the disclosure, never an exception."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.numbers import read_args, read_numbers
from bot.reply import Question

NASTY = [
    "1e308",
    "-5k",
    "NaN",
    "$$$",
    "inf",
    "-inf",
    "$-0",
    "0",
    "99999999999999999999999999999999",
    "1" * 5000,
    "deferrals= employer==",
    "aftertaxroom",
    "aftertaxroom -1 -2",
    "aftertaxroom 1e308 1e308",
    'match="" salary=NaN',
    "I'm 999 and I defer 24.5k",
    "year=99999 deferrals=1",
    "\x00\x01\x02\x1b[31m",
    "<@U1><#C2|x><!here><https://x|y>",
    "```" * 50,
    "**" * 100,
    "$" * 4001,
    "401(k" * 900,
    "🙂" * 3000,
    "x" * 10000,
]
AMOUNTISH = st.sampled_from(
    ["24,500", "$10K", "24.5k", "1.2m", "-5k", "NaN", "$$$", "1e308", "0", "50% up to 6%"]
)
WORDS = st.sampled_from(
    [
        "defer",
        "employer",
        "match",
        "after-tax",
        "room",
        "I'm",
        "age",
        "biweekly",
        "so far",
        "max",
        "salary",
        "2025",
        "next year",
        "paychecks left",
        "=",
        "aftertaxroom",
        "roth",
        "?",
    ]
)


def _check(reply) -> None:
    assert reply.disclosure.strip()
    assert reply.kind in ("article", "calculation", "clarify", "fallback", "smalltalk")
    assert isinstance(reply.tax_year, int)
    assert reply.to_contract()["disclosure"]
    # The engine's last-resort reply would hide an exception; it must never be needed.
    assert not reply.text.startswith("Something went wrong")


@pytest.mark.parametrize("text", NASTY)
def test_nasty_inputs(engine, text):
    _check(engine.answer(Question(text=text, today=dt.date(2026, 1, 2))))
    _check(engine.answer(Question(text=text, command="aftertaxroom")))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=300))
def test_any_unicode_text(engine, text):
    _check(engine.answer(Question(text=text)))


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.one_of(AMOUNTISH, WORDS, st.text(max_size=5)), max_size=14))
def test_money_shaped_text(engine, parts):
    """Sentences built from amounts and slot words, the likeliest to upset the parser."""
    text = " ".join(parts)
    _check(engine.answer(Question(text=text)))
    _check(engine.answer(Question(text=text, command="aftertaxroom")))
    read_numbers(text)


@settings(max_examples=200, deadline=None)
@given(
    args=st.dictionaries(
        st.sampled_from(
            [
                "deferrals",
                "employer",
                "age",
                "year",
                "salary",
                "match",
                "frequency",
                "paychecks_left",
                "profit_sharing",
                "after_tax_so_far",
                "nonsense",
            ]
        ),
        st.one_of(st.text(max_size=12), AMOUNTISH),
    )
)
def test_any_command_options(engine, args):
    """Slash-command options of any value become a reply or a clarifying question."""
    _check(engine.answer(Question(text="", command="aftertaxroom", args=args)))
    read_args(args)


@settings(max_examples=25, deadline=None)
@given(seed=st.text(min_size=1, max_size=300))
def test_ten_thousand_characters(engine, seed):
    """Messages of 10,000 characters are cut to 4,000 and still answered."""
    text = (seed * (10_000 // len(seed) + 1))[:10_000]
    _check(engine.answer(Question(text=text)))

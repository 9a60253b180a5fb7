"""Calculator cases checked by hand against the IRS rules, through the CLI and through `ask`.

Each case gives the command line, a question saying the same in words, and the figures
both must reply with; the two paths must agree.
"""

from __future__ import annotations

import json
import shlex

import pytest

from bot.cli import main


def cli(capsys, *argv: str) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def agree(capsys, ask, argv: str | list[str] | None, question: str | None, expected: dict) -> list:
    """Run both paths; every expected field must be in each result with the expected value."""
    replies = []
    if argv is not None:
        replies.append(cli(capsys, *(shlex.split(argv) if isinstance(argv, str) else argv)))
    if question is not None:
        replies.append(ask(question).to_contract())
    for reply in replies:
        assert reply["kind"] == "calculation", reply
        for name, value in expected.items():
            if value is None:
                assert name not in reply["result"], (name, reply["result"])
            else:
                assert reply["result"].get(name) == pytest.approx(value), (name, reply["result"])
    return replies


def text_of(reply: dict) -> str:
    result = reply["result"]
    return "\n".join([*result["steps"], *result["notes"], *result["assumptions"]])


ROOM_CASES = [
    # 1
    (
        "room --deferrals 24500 --employer 10000 --year 2026",
        "I defer 24,500 and my employer adds 10,000 in 2026. What's my after-tax room?",
        {"after_tax_room": 37500},
    ),
    # 2: maxing out at 50 leaves the $8,000 catch-up out of 415(c)
    (
        "room --deferrals max --employer 10000 --age 50 --year 2026",
        "I'm 50 and max out my 401k, my employer puts in 10k. After-tax room for 2026?",
        {"after_tax_room": 37500, "employee_deferrals": 24500, "catch_up_excluded": 8000},
    ),
    # 3
    (
        "room --deferrals 32500 --employer 10000 --age 59 --year 2026",
        "I'm 59, deferring 32,500 with a 10k employer match in 2026, how much after-tax room?",
        {"after_tax_room": 37500},
    ),
    # 4: the 60–63 catch-up
    (
        "room --deferrals 35750 --employer 10000 --age 60 --year 2026",
        "age 60, I put 35,750 in my 401k and the company adds 10k; after-tax room in 2026?",
        {"after_tax_room": 37500, "catch_up_excluded": 11250},
    ),
    # 5
    (
        "room --deferrals 34750 --employer 10000 --age 63 --year 2025",
        "In 2025 I'm 63, deferred 34,750 and my employer gave 10k. After-tax room?",
        {"after_tax_room": 36500},
    ),
    # 6: at 64 the 60–63 amount is gone: 3,250 is an excess deferral
    (
        "room --deferrals 35750 --employer 10000 --age 64 --year 2026",
        "I'm 64, I defer 35,750 and get 10k from my employer in 2026. After-tax room?",
        {"after_tax_room": 34250, "excess_deferrals": 3250, "catch_up_excluded": 8000},
    ),
    # 7: no 60–63 amount in 2024
    (
        "room --deferrals 34250 --employer 10000 --age 62 --year 2024",
        "for 2024: I'm 62, deferring 34,250, employer adds 10,000, what after-tax room is left?",
        {"after_tax_room": 32250, "excess_deferrals": 3750},
    ),
    # 8: legal under 415(c) (13,500), but only 7,500 of pay is left after deferrals
    (
        [
            "room",
            "--deferrals",
            "32500",
            "--employer",
            "2000",
            "--salary",
            "40000",
            "--age",
            "55",
            "--year",
            "2026",
        ],
        "I'm 55 and earn 40,000; I defer 32,500 and my employer adds 2,000. After-tax room 2026?",
        {"after_tax_room": 7500},
    ),
    # 9: the catch-up is capped at pay minus other deferrals: 5,500; 2,500 is excess
    (
        "room --deferrals 32500 --salary 30000 --age 55 --year 2026",
        "I'm 55, salary 30,000, I defer 32,500 and my employer gives 0. After-tax room 2026?",
        {"after_tax_room": 0, "catch_up_excluded": 5500, "excess_deferrals": 2500},
    ),
    # 10: deferrals over 100% of pay
    (
        "room --deferrals 24500 --salary 20000 --year 2026",
        "I make 20k, I defer 24,500, my employer adds 0. After-tax room for 2026?",
        {"after_tax_room": 0, "excess_annual_additions": 4500},
    ),
    # 11
    (
        "room --deferrals 24500 --employer 80000 --year 2026",
        "I defer 24,500 and my employer contributes 80,000 in 2026, after-tax room?",
        {"after_tax_room": 0, "excess_annual_additions": 32500},
    ),
    # 12: no age, deferrals above 402(g): counted, and the age is asked
    (
        "room --deferrals 30000 --employer 10000 --year 2026",
        "I defer 30,000 and my employer adds 10,000. After-tax room for 2026?",
        {"after_tax_room": 32000, "excess_deferrals": None},
    ),
    # 13: 35,750 is the 60–63 maximum, so the age is asked before calling anything excess
    (
        "room --deferrals 35750 --employer 10000 --year 2026",
        "I defer 35,750 and my employer adds 10,000 this year (2026). After-tax room?",
        {"after_tax_room": 26250, "excess_deferrals": None},
    ),
    # 14
    (
        "room --deferrals 40000 --employer 10000 --age 49 --year 2026",
        "I'm 49, deferring 40k, employer adds 10k in 2026, how much after-tax room?",
        {"after_tax_room": 22000, "excess_deferrals": 15500},
    ),
    # 24
    (
        [
            "room",
            "--deferrals",
            "max",
            "--salary",
            "500000",
            "--match",
            "100% of the first 4%",
            "--age",
            "52",
            "--year",
            "2026",
        ],
        "I'm 52, earn 500k, max my 401k, employer matches 100% of the first 4%. "
        "After-tax room in 2026?",
        {"after_tax_room": 33100, "employer_contributions": 14400},
    ),
    # 25: the deferral rate is figured on capped pay: 24,500 / 360,000 ≥ 6%
    (
        [
            "room",
            "--deferrals",
            "24500",
            "--salary",
            "1m",
            "--match",
            "100% of the first 6%",
            "--year",
            "2026",
        ],
        "I earn $1,000,000, defer 24,500 and my employer matches 100% of the first 6%. "
        "After-tax room for 2026?",
        {"after_tax_room": 25900, "employer_contributions": 21600},
    ),
    # 26
    (
        [
            "room",
            "--deferrals",
            "24500",
            "--salary",
            "500000",
            "--match",
            "100% of the first 6%",
            "--year",
            "2026",
        ],
        "I earn 500k, my employer matches 100% of the first 6%, I defer 24,500. "
        "What's my after-tax room for 2026?",
        {"after_tax_room": 25900, "employer_contributions": 21600},
    ),
    # 27: 63 now, 64 by December 31: the 50+ catch-up, 3,250 excess
    (
        "room --deferrals 35750 --employer 10000 --age 64 --year 2026",
        "I'm 63 now and turn 64 in November 2026. I defer 35,750, employer adds 10k. "
        "What's my after-tax room?",
        {"after_tax_room": 34250, "excess_deferrals": 3250, "catch_up_excluded": 8000},
    ),
    # 28: 49 now, 50 by December 31: catch-up eligible all year
    (
        "room --deferrals 32500 --employer 10000 --age 50 --year 2026",
        "I'm 49, turning 50 in March. I defer 32,500 and my employer adds 10k in 2026. "
        "After-tax room?",
        {"after_tax_room": 37500, "excess_deferrals": None, "catch_up_excluded": 8000},
    ),
    # 29: 59 now, 60 by December 31: the 60–63 amount
    (
        "room --deferrals 35750 --employer 10000 --age 60 --year 2026",
        "I'm 59 and turn 60 in October. I defer 35,750, employer adds 10k in 2026. "
        "How much after-tax room?",
        {"after_tax_room": 37500, "excess_deferrals": None, "catch_up_excluded": 11250},
    ),
    # 33: legal, but it comes out of take-home pay
    (
        [
            "room",
            "--deferrals",
            "24500",
            "--employer",
            "3000",
            "--salary",
            "45000",
            "--year",
            "2026",
        ],
        "I earn 45k, defer 24,500 and get a 3k match in 2026",
        {"after_tax_room": 17500},
    ),
    # 34
    (
        [
            "room",
            "--deferrals",
            "24500",
            "--employer",
            "10000",
            "--after-tax-so-far",
            "40000",
            "--year",
            "2026",
        ],
        "40k after-tax so far, 24.5k deferrals, employer 10k in 2026: how much after-tax room?",
        {"after_tax_room": 0, "excess_annual_additions": 2500},
    ),
    # 35
    (
        "room --deferrals 24500 --employer 75000 --year 2026",
        "employer contributes 75k profit sharing and I defer 24500 in 2026, after-tax room?",
        {"after_tax_room": 0, "excess_annual_additions": 27500},
    ),
    # 36: key=value with an age is calculated
    (
        "room --deferrals 23000 --employer 8000 --year 2024 --age 62",
        "deferrals=23000 employer=8000 year=2024 age=62",
        {"after_tax_room": 38000},
    ),
]


@pytest.mark.parametrize(("argv", "question", "expected"), ROOM_CASES)
def test_after_tax_room_cases(capsys, ask, argv, question, expected):
    agree(capsys, ask, argv, question, expected)


def test_an_excess_deferral_says_the_limit_the_amount_and_the_fix(capsys, ask):
    """Case 6: which limit, by how much, the April 15 deadline, and the room once refunded."""
    for reply in agree(capsys, ask, *ROOM_CASES[5]):
        text = text_of(reply)
        assert "exceed the $32,500 allowed for you in 2026 by $3,250" in text
        assert "by April 15, 2027" in text
        assert "the room is $37,500" in text


@pytest.mark.parametrize("case", [9, 10, 21, 22])
def test_excess_annual_additions_are_never_a_silent_zero(capsys, ask, case):
    """Cases 10, 11, 34 and 35: the reply says how far over 415(c) and that the plan corrects it."""
    for reply in agree(capsys, ask, *ROOM_CASES[case]):
        over = reply["result"]["excess_annual_additions"]
        text = text_of(reply)
        assert f"${over:,} over the" in text
        assert "the plan must correct" in text


@pytest.mark.parametrize("case", [11, 12])
def test_with_no_age_the_age_is_asked_before_calling_deferrals_excess(capsys, ask, case):
    """Cases 12 and 13: the age question, with the 50+ and 60–63 amounts; no flat 'excess'."""
    for reply in agree(capsys, ask, *ROOM_CASES[case]):
        text = text_of(reply)
        assert "What age are you on December 31, 2026?" in text
        assert "$11,250 at ages 60–63" in text
        assert "allowed for you" not in text


def test_low_pay_room_is_what_pay_leaves_after_deferrals(capsys, ask):
    """Case 8: 415(c) would allow 13,500; the 40,000 of pay leaves 7,500, from take-home pay."""
    for reply in agree(capsys, ask, *ROOM_CASES[7]):
        text = text_of(reply)
        assert "$40,000 limit (100% of pay) − $24,500 employee deferrals" in text
        assert "$40,000 pay − $32,500 deferrals = $7,500" in text
        assert "take-home pay" in text


def test_the_catch_up_is_capped_at_pay_minus_other_deferrals(capsys, ask):
    """Case 9: 30,000 − 24,500 = 5,500 of catch-up; the other 2,500 is excess."""
    for reply in agree(capsys, ask, *ROOM_CASES[8]):
        assert "$30,000 − $24,500 = $5,500" in text_of(reply)


@pytest.mark.parametrize("case", [15, 16])
def test_the_room_carries_the_match_assumption(capsys, ask, case):
    """Cases 25 and 26: the room names the true-up it assumes and what a plan without one pays."""
    without = {15: "$8,820", 16: "$17,640"}[case]
    for reply in agree(capsys, ask, *ROOM_CASES[case]):
        text = text_of(reply)
        assert "true-up" in text
        assert f"no true-up pays {without}" in text


@pytest.mark.parametrize(
    ("argv", "question", "expected"),
    [
        (
            [
                "room",
                "--deferrals",
                "24500",
                "--salary",
                "1m",
                "--match",
                "100% of the first 6%",
                "--no-true-up",
                "--year",
                "2026",
            ],
            "I earn 1m, defer 24,500, the plan matches 100% of the first 6% per paycheck with "
            "no true-up. After-tax room for 2026?",
            {"after_tax_room": 38680, "employer_contributions": 8820},
        ),
        (
            [
                "room",
                "--deferrals",
                "24500",
                "--salary",
                "500000",
                "--match",
                "100% of the first 6%",
                "--true-up",
                "--year",
                "2026",
            ],
            "Salary 500k, I defer 24.5k, 100% of the first 6% match and the plan does a true-up; "
            "after-tax room 2026?",
            {"after_tax_room": 25900, "employer_contributions": 21600},
        ),
    ],
)
def test_true_up_or_not_is_an_input(capsys, ask, argv, question, expected):
    agree(capsys, ask, argv, question, expected)


@pytest.mark.parametrize(
    ("argv", "question", "expected"),
    [
        # 21
        (
            "match --salary 500000 --match '100% of the first 4%' --year 2026",
            "I earn 500k and my employer matches 100% of the first 4%. What's my match in 2026?",
            {"employer_match": 14400},
        ),
        # 22
        (
            "match --salary 400000 --match '50% up to 6%' --year 2024",
            "what's the match on a 400k salary with 50% up to 6% in 2024?",
            {"employer_match": 10350},
        ),
        # 23
        (
            [
                "match",
                "--salary",
                "90000",
                "--match",
                "100% of the first 3% and 50% of the next 2%",
                "--year",
                "2026",
            ],
            "I earn 90,000; my employer matches 100% of the first 3% and 50% of the next 2%. "
            "My match for 2026?",
            {"employer_match": 3600},
        ),
        # The largest match on a 2025 salary of 600,000 is figured on 350,000.
        (
            "match --salary 600000 --match '50% of the first 8%' --year 2025",
            "max match on a 600k salary in 2025 if they match 50% of the first 8%?",
            {"employer_match": 14000, "eligible_compensation": 350000},
        ),
        (
            [
                "match",
                "--salary",
                "1m",
                "--match",
                "100% of the first 6%",
                "--deferrals",
                "24500",
                "--year",
                "2026",
            ],
            None,
            {"employer_match": 21600, "match_with_true_up": 21600, "match_without_true_up": 8820},
        ),
        (
            [
                "match",
                "--salary",
                "1m",
                "--match",
                "100% of the first 6%",
                "--deferrals",
                "24500",
                "--no-true-up",
                "--year",
                "2026",
            ],
            None,
            {"employer_match": 8820},
        ),
    ],
)
def test_match_cases(capsys, ask, argv, question, expected):
    agree(capsys, ask, argv, question, expected)


DEFERRAL_CASES = [
    # 15: money is in already, so a full year's 26 paychecks is not the divisor
    (
        [
            "deferral-room",
            "--deferred-so-far",
            "10000",
            "--age",
            "52",
            "--pay-frequency",
            "biweekly",
            "--year",
            "2026",
        ],
        "I'm 52, I've deferred 10,000 so far in 2026 and I'm paid biweekly. How much more "
        "per paycheck?",
        {"deferral_room": 22500, "per_paycheck": None},
    ),
    (
        [
            "deferral-room",
            "--deferred-so-far",
            "10000",
            "--age",
            "52",
            "--paychecks-left",
            "12",
            "--year",
            "2026",
        ],
        "I'm 52 and have deferred 10k so far this year (2026), 12 paychecks left. "
        "How much more per paycheck?",
        {"deferral_room": 22500, "per_paycheck": 1875},
    ),
    # 16
    (
        "deferral-room --age 61 --year 2024",
        "I'm 61, how much more can I defer in 2024 if I max out?",
        {"deferral_room": 30500},
    ),
    # 17: rounded down, 26 × 1,336.53 stays under 34,750
    (
        "deferral-room --age 60 --year 2025 --pay-frequency biweekly",
        "I'm 60 and paid biweekly, how much per paycheck to max out in 2025?",
        {"deferral_room": 34750, "per_paycheck": 1336.53},
    ),
    # 18
    (
        "deferral-room --age 64 --paychecks-left 7 --year 2026",
        "I'm 64 with 7 paychecks left in 2026, how much per paycheck to max out?",
        {"deferral_room": 32500, "per_paycheck": 4642.85},
    ),
    # 19: no age: ask it before calling the deferrals excess
    (
        "deferral-room --deferred-so-far 30000 --year 2026",
        "I've deferred 30,000 so far in 2026, how much more can I defer?",
        {"deferral_room": 0},
    ),
    # 20
    (
        "deferral-room --pay-frequency biweekly --year 2026",
        "paid biweekly, how much per paycheck to max out my 401k in 2026?",
        {"deferral_room": 24500, "per_paycheck": 942.30},
    ),
    # 30: pay caps deferrals
    (
        "deferral-room --salary 15000 --deferred-so-far 2000 --year 2026",
        "I earn 15,000 a year part time and I've deferred 2,000 so far in 2026. "
        "How much more can I defer?",
        {"deferral_room": 13000},
    ),
    # 31: the paychecks left, never the year's count
    (
        [
            "deferral-room",
            "--deferred-so-far",
            "15000",
            "--pay-frequency",
            "biweekly",
            "--year",
            "2026",
        ],
        "I've deferred 15k so far this year (2026) and I'm paid biweekly. How much per paycheck "
        "to max out?",
        {"deferral_room": 9500, "per_paycheck": None},
    ),
    (
        "deferral-room --deferred-so-far 15000 --paychecks-left 12 --year 2026",
        "I've deferred 15k so far in 2026 with 12 paychecks left. How much per paycheck to "
        "max out?",
        {"deferral_room": 9500, "per_paycheck": 791.66},
    ),
    # 49 now, 50 by December 31, paid biweekly: the catch-up counts (review nit 17)
    (
        "deferral-room --age 50 --pay-frequency biweekly --year 2026",
        "I'm 49 and turn 50 in December, how much can I defer in 2026 per paycheck, paid biweekly?",
        {"deferral_room": 32500, "per_paycheck": 1250},
    ),
    # Large employer money leaves 2,000 of 415(c) for deferrals other than catch-up.
    (
        "deferral-room --employer 70000 --year 2026",
        "my employer gives me 70k of profit sharing in 2026, how much can I defer?",
        {"deferral_room": 2000},
    ),
    (
        "deferral-room --employer 70000 --age 55 --year 2026",
        "I'm 55 and the company puts $70,000 of profit sharing in for 2026. What can I still "
        "defer?",
        {"deferral_room": 10000},
    ),
    # The catch-up is capped at pay minus other deferrals.
    (
        "deferral-room --salary 30000 --age 55 --year 2026",
        None,
        {"deferral_room": 30000, "catch_up": 5500},
    ),
]


@pytest.mark.parametrize(("argv", "question", "expected"), DEFERRAL_CASES)
def test_deferral_room_cases(capsys, ask, argv, question, expected):
    agree(capsys, ask, argv, question, expected)


@pytest.mark.parametrize("case", [0, 8])
def test_a_full_year_divisor_is_refused_once_money_is_in(capsys, ask, case):
    for reply in agree(capsys, ask, *DEFERRAL_CASES[case]):
        assert "spread over the paychecks left, not a full year's 26" in text_of(reply)


def test_per_paycheck_rounding_is_said(capsys, ask):
    """Case 20: 26 × $942.30 = $24,499.80, $0.20 under the limit."""
    for reply in agree(capsys, ask, *DEFERRAL_CASES[6]):
        assert "26 × $942.30 = $24,499.80, $0.20 under the limit" in text_of(reply)


def test_deferral_excess_with_no_age_asks_the_age(capsys, ask):
    """Case 19: no unconditional 'must be taken out'."""
    for reply in agree(capsys, ask, *DEFERRAL_CASES[5]):
        text = text_of(reply)
        assert "What age are you on December 31, 2026?" in text
        assert "under 50, the $5,500 is an excess deferral" in text


@pytest.mark.parametrize(
    ("year", "age", "said"),
    [(2026, 52, True), (2026, 61, True), (2026, 45, False), (2025, 55, False)],
)
def test_the_2026_roth_catch_up_rule_is_noted_from_50(capsys, year, age, said):
    reply = cli(capsys, "deferral-room", "--age", str(age), "--year", str(year))
    text = text_of(reply)
    assert ("2025 FICA wages (W-2 box 3) from this employer were over $150,000" in text) is said
    assert ("no Roth option, you can make no catch-up at all" in text) is said


def test_calculator_replies_list_their_assumptions(capsys, ask):
    """Age used and why, pay periods used, true-up or not, which pay, and the limitation year."""
    reply = ask(
        "I'm 63 now and turn 64 in November. I earn 500k, defer 24,500, my employer matches "
        "100% of the first 6%. After-tax room for 2026 over 10 paychecks left?"
    ).to_contract()
    text = "\n".join(reply["result"]["assumptions"])
    assert "Age 64 on December 31, 2026 (you turn 64 this year, so 64 is used, not 63)" in text
    assert "10 paychecks are left in the year" in text
    assert "true-up" in text
    assert "not W-2 box 1" in text
    assert "limitation year" in text
    assert "forfeitures" in text

"""Numbers in plain language: each goes to the slot the words around it name."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.numbers import read_args, read_numbers


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("I defer $24,500", "24500"),
        ("I defer 24,500", "24500"),
        ("I defer 24.5k", "24500"),
        ("I defer $10K", "10000"),
        ("I defer 24500.00", "24500"),
        ("I defer $1.2m", "1200000"),
        ("I defer 24 thousand", "24000"),
        ("I defer twenty-four thousand five hundred", "24500"),
        ("I defer 20 grand", "20000"),
    ],
)
def test_amount_spellings(text, amount):
    """Dollar amounts in every common spelling read as the same number."""
    assert read_numbers(text).deferrals == Decimal(amount)


def test_slots_from_the_words_around():
    """Salary, deferrals and the employer's share each land in their own slot."""
    numbers = read_numbers("I earn $50,000, defer $24,500 and my match is $2,500")
    assert numbers.salary == 50000
    assert numbers.deferrals == 24500
    assert numbers.employer == 2500


def test_noun_after_the_amount():
    """ "$20,000 deferrals and $6,000 match": the word after an amount names it."""
    numbers = read_numbers("room with $20,000 deferrals and $6,000 match")
    assert (numbers.deferrals, numbers.employer) == (20000, 6000)


def test_generic_verb_belongs_to_its_subject():
    """ "my employer puts in $8k" is the employer's money, not a deferral."""
    numbers = read_numbers("deferring $32,500, employer puts in $8k")
    assert (numbers.deferrals, numbers.employer) == (32500, 8000)


def test_profit_sharing_and_after_tax_so_far():
    """Profit sharing has its own slot; after-tax money "already" put in is after-tax so far."""
    numbers = read_numbers("I get 5k profit sharing and already put 12,000 after-tax")
    assert numbers.profit_sharing == 5000
    assert numbers.after_tax_so_far == 12000


def test_deferred_so_far():
    """Deferrals "so far" are what has been deferred this year, not the year's total."""
    numbers = read_numbers("I've put $10,000 in my 401k so far this year")
    assert numbers.deferred_so_far == 10000
    assert numbers.deferrals is None


def test_max_means_the_limit():
    """ "max out" sets the deferrals to the year's limit, unless an amount is given."""
    assert read_numbers("I max out my 401k").max_deferrals
    assert read_numbers("maxing out, and my employer adds 5k").max_deferrals
    given = read_numbers("I max my 401k at 23,000")
    assert given.deferrals == 23000
    assert not given.max_deferrals


@pytest.mark.parametrize(
    ("text", "age"),
    [("I'm 56", 56), ("age 61", 61), ("turning 52 this year", 52), ("I am 45 years old", 45)],
)
def test_ages(text, age):
    assert read_numbers(text).age == age


def test_age_is_not_an_amount():
    """ "I'm 57, deferring $32,500": 57 is the age and nothing else."""
    numbers = read_numbers("I'm 57, deferring $32,500")
    assert numbers.age == 57
    assert numbers.unassigned == ()
    assert numbers.problems == ()


def test_years():
    """Explicit years, and relative years as an offset for the caller to resolve."""
    assert read_numbers("limits for 2025").year == 2025
    assert read_numbers("put 10k in so far in 2026, how much more").year == 2026
    assert read_numbers("this year").year_offset == 0
    assert read_numbers("what about next year?").year_offset == 1
    assert read_numbers("last year's limit").year_offset == -1


@pytest.mark.parametrize(
    ("text", "frequency", "left"),
    [
        ("paid biweekly", "biweekly", None),
        ("I get paid every two weeks", "biweekly", None),
        ("paid twice a month", "semimonthly", None),
        ("with 26 paychecks", "biweekly", None),
        ("I'm paid monthly", "monthly", None),
        ("8 paychecks left", None, 8),
        ("5 pay periods remaining", None, 5),
        ("over 20 paychecks", None, 20),
    ],
)
def test_pay_frequency_and_paychecks_left(text, frequency, left):
    numbers = read_numbers(text)
    assert (numbers.frequency, numbers.paychecks_left) == (frequency, left)


@pytest.mark.parametrize(
    ("text", "percent_of_pay"),
    [
        ("my employer matches 50% up to 6%", Decimal(3)),
        ("they match 100% of the first 4%", Decimal(4)),
        ("dollar for dollar up to 5%", Decimal(5)),
        ("100% of the first 3% and 50% of the next 2%", Decimal(4)),
    ],
)
def test_match_formulas(text, percent_of_pay):
    formula = read_numbers(text).formula
    assert formula is not None
    assert formula.max_percent_of_pay == percent_of_pay


def test_percentages_do_not_become_amounts():
    """A deferral rate is a percent, not dollars; with a salary it gives the deferrals."""
    numbers = read_numbers("I contribute 10% of my $200k salary")
    assert numbers.deferral_percent == 10
    assert numbers.deferrals is None
    assert numbers.salary == 200000


def test_names_are_not_numbers():
    """401(k), 415(c), Form 1099-R and IRS notices are names, not amounts or years."""
    numbers = read_numbers("401(k) 403b 415(c) 402g Form 1099-R 8606 Notice 2014-54 SECURE 2.0")
    assert numbers == read_numbers("")


def test_key_value_arguments():
    """`key=value` options, quoted values included, fill their slots."""
    numbers = read_numbers(
        'deferrals=22000 employer=6000 year=2025 age=55 salary=150k match="50% up to 6%" '
        "frequency=biweekly"
    )
    assert (numbers.deferrals, numbers.employer, numbers.salary) == (22000, 6000, 150000)
    assert (numbers.year, numbers.age, numbers.frequency) == (2025, 55, "biweekly")
    assert numbers.formula is not None


def test_explicit_arguments_win_over_text():
    numbers = read_numbers("I defer 10k deferrals=20000")
    assert numbers.deferrals == 20000


def test_positional_command_form():
    """`aftertaxroom 24500 10000`: deferrals, then employer contributions."""
    numbers = read_numbers("24500 10000", positional=True)
    assert (numbers.deferrals, numbers.employer) == (24500, 10000)
    maxed = read_numbers("max 10000", positional=True)
    assert maxed.max_deferrals
    assert maxed.employer == 10000


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("I defer -5k", "negative"),
        ("I defer $20m", "over $10,000,000"),
        ("I defer 24.5", "Did you mean $24,500 or $24.50"),
    ],
)
def test_unusable_amounts_are_problems(text, said):
    numbers = read_numbers(text)
    assert numbers.deferrals is None
    assert any(said in problem for problem in numbers.problems)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ({"deferrals": "nan"}, "not an amount"),
        ({"employer": "inf"}, "not an amount"),
        ({"age": "200"}, "out of range"),
        ({"frequency": "hourly"}, "unknown pay frequency"),
    ],
)
def test_bad_arguments_are_problems(args, said):
    assert any(said in problem for problem in read_args(args).problems)


def test_args_read_max():
    assert read_args({"deferrals": "max", "employer": "10,000"}).max_deferrals


def test_unrelated_amounts_stay_unassigned():
    """An amount with no slot word (a limit quoted in a question) fills no slot."""
    numbers = read_numbers("what counts toward the $72,000 limit?")
    assert numbers.unassigned == (72000,)
    assert not numbers.has_money


def test_percent_of_pay_for_either_side():
    """ "My employer contributes 5% of my salary" is the employer's; "I put in 10%" is mine."""
    employer = read_numbers("My employer contributes 5% of my $200k salary")
    assert employer.employer_percent == 5
    assert employer.deferral_percent is None
    mine = read_numbers("I put in 10% of my 150k salary")
    assert mine.deferral_percent == 10


def test_one_percent_match():
    """ "a 4% match" and "matches up to 5%" are 100% of that much pay."""
    for text in ("my company gives a 4% match", "employer matches up to 4%"):
        formula = read_numbers(text).formula
        assert formula is not None
        assert formula.max_percent_of_pay == 4


def test_whose_contributions():
    """ "employer contributions are 8000" belong to the employer, "my 401k contributions" to me."""
    numbers = read_numbers("my 401k contributions are 24500 and employer contributions are 8000")
    assert (numbers.deferrals, numbers.employer) == (24500, 8000)


def test_catch_up_amount_is_a_deferral():
    numbers = read_numbers("deferring 23,500 pre-tax plus 7,500 catch-up")
    assert numbers.deferrals == 31000


def test_age_of_someone():
    assert read_numbers("room for someone 62 who maxes out").age == 62

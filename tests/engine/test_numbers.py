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


@pytest.mark.parametrize(
    ("text", "age", "year_end_age"),
    [
        ("I'm 63 now and turn 64 in November", 63, 64),
        ("currently 49 years old, turning 50 in March", 49, 50),
        ("I am 59 but I'll be 60 by December", 59, 60),
        ("turns 55 this autumn", 55, 55),
        ("I will be 61 at the end of the year", 61, 61),
        ("age 62 now, becoming 63 in July", 62, 63),
    ],
)
def test_an_age_reached_later_this_year(text, age, year_end_age):
    """The age on December 31 is the one a catch-up follows; the age now is kept beside it."""
    numbers = read_numbers(text)
    assert (numbers.age, numbers.year_end_age) == (age, year_end_age)


@pytest.mark.parametrize(
    "text", ["I'm 49 and turn 50 next year", "I'm 49; I'll be 50 next tax year, sadly"]
)
def test_an_age_reached_next_year_is_not_this_years(text):
    numbers = read_numbers(text)
    assert (numbers.age, numbers.year_end_age, numbers.unassigned) == (49, None, ())


@pytest.mark.parametrize(
    ("text", "age", "age_year", "year"),
    [
        ("I was 58 back in 2024, how much could I have deferred?", 58, 2024, 2024),
        ("In 2025 I was 61. What was my catch-up?", 61, 2025, 2025),
        ("I turned 62 in 2025; how much can I defer in 2026?", 62, 2025, 2026),
        ("I was 60 last year, what could I defer", 60, None, None),
    ],
)
def test_an_age_told_in_the_past_tense(text, age, age_year, year):
    """A past-tense age is the age for the year it is told with; another year is the one asked."""
    numbers = read_numbers(text)
    assert (numbers.age, numbers.age_year, numbers.year) == (age, age_year, year)


@pytest.mark.parametrize(
    ("text", "deferrals", "catch_up"),
    [
        ("I defer 32,500 in all: 24,500 regular plus the 8k catch-up", 32500, 8000),
        ("I put in 32,500 (24,500 + 8,000 catch-up)", 32500, 8000),
        ("my deferrals are 24,500 plus 8,000 catch-up", 32500, 8000),
        ("I contribute 32.5k including the 8k catch-up", 32500, 8000),
        ("24.5k regular and 11.25k catch-up deferrals, 35,750 total", 35750, 11250),
        ("I defer 35,750 (that's 24,500 pre-tax and 11,250 Roth catch-up)", 35750, 11250),
    ],
)
def test_a_total_given_with_its_parts_counts_once(text, deferrals, catch_up):
    numbers = read_numbers(text + ", employer adds 10k")
    assert (numbers.deferrals, numbers.catch_up, numbers.employer) == (deferrals, catch_up, 10000)


def test_amounts_that_only_happen_to_add_up_are_not_parts():
    """Deferrals of 10k beside 5k of employer money and 5k of profit sharing are three amounts."""
    numbers = read_numbers("I defer 10k, employer 5k and profit sharing 5k")
    assert (numbers.deferrals, numbers.employer, numbers.profit_sharing) == (10000, 5000, 5000)


@pytest.mark.parametrize(
    ("text", "employer", "profit_sharing"),
    [
        ("match 5k, true-up 1k, I defer 24.5k", 6000, None),
        (
            "my employer gives a 5k match plus 2k profit sharing and a 1k true-up. I defer 24.5k",
            6000,
            2000,
        ),
        (
            "I defer 24.5k; company match 4,000 and another 3,000 from the employer at year end",
            7000,
            None,
        ),
        ("employer: 5k match; 2k nonelective. deferrals 24.5k", 5000, 2000),
    ],
)
def test_several_employer_amounts_add_up(text, employer, profit_sharing):
    numbers = read_numbers(text)
    assert (numbers.deferrals, numbers.employer, numbers.profit_sharing) == (
        24500,
        employer,
        profit_sharing,
    )


@pytest.mark.parametrize(
    "text",
    [
        "I defer 24,500 and get 6k of Roth employer contributions",
        "employer Roth contributions of 6k, I defer 24500",
        "my company's Roth match is 6,000 and I defer 24,500",
        "I defer 24.5k pre-tax; the employer puts 6k in as Roth",
    ],
)
def test_roth_employer_money_is_employer_money(text):
    numbers = read_numbers(text)
    assert (numbers.deferrals, numbers.employer) == (24500, 6000)


@pytest.mark.parametrize(
    ("text", "true_up"),
    [
        ("the plan has no true-up", False),
        ("they don't do a true up", False),
        ("matched per paycheck without a true-up", False),
        ("the plan trues up at year end", True),
        ("with a year-end true-up", True),
        ("I defer 10% of pay", None),
    ],
)
def test_whether_the_match_is_trued_up(text, true_up):
    assert read_numbers(text).true_up is true_up


def test_a_nonelective_percent_adds_to_employer_dollars(ask):
    """A 5k match and a 3% nonelective on 100k pay: 8,000 of employer money."""
    reply = ask(
        "I earn 100k, defer 24.5k, match 5k plus a 3% nonelective. After-tax room for 2026?"
    )
    assert reply.result["employer_contributions"] == 8000
    assert reply.result["after_tax_room"] == 72000 - 24500 - 8000


def test_max_match_is_not_maxed_deferrals():
    numbers = read_numbers("what's the max match on 200k with 50% of the first 6%")
    assert (numbers.max_deferrals, numbers.salary) == (False, 200000)


@pytest.mark.parametrize(
    ("text", "so_far"),
    [
        # Deferrals at a job held earlier this year count toward the one limit: so far.
        ("deferred 11k at my previous employer and 4k at the new place so far", "15000"),
        ("I put in 9,500 at my old job. Here I'm at 3,000 so far", "12500"),
        ("3k so far at this job plus 12k at my former employer", "15000"),
        ("I deferred 7k with my last employer, how much can I still defer here?", "7000"),
    ],
)
def test_deferrals_at_an_earlier_job_are_deferred_so_far(text, so_far):
    numbers = read_numbers(text)
    assert numbers.deferred_so_far == Decimal(so_far)
    assert numbers.deferrals is None


@pytest.mark.parametrize(
    "text",
    [
        "my old 401k has 45k in it, can I roll it over?",
        "rolled 80k from my previous employer's plan into an IRA",
    ],
)
def test_a_balance_at_an_earlier_job_is_no_deferral(text):
    numbers = read_numbers(text)
    assert numbers.deferred_so_far is None
    assert numbers.deferrals is None


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("my 50th birthday is in november", 50),
        ("I'm 62 and my 63rd bday is on dec 3", 63),
        ("turning... well, my 60th b-day was in april", 60),
    ],
)
def test_an_ordinal_birthday_this_year_is_the_year_end_age(text, age):
    assert read_numbers(text).year_end_age == age


def test_an_ordinal_birthday_next_year_is_not_this_years_age():
    assert read_numbers("my 50th birthday is next year").year_end_age is None


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        # A zero after its slot's word is that slot's $0, whatever the question after it.
        ("deferrals 23000 employer 0 after-tax room?", {"deferrals": 23000, "employer": 0}),
        # EE and ER are the employee's and the employer's money.
        ("EE 18,000 / ER 6,000, room?", {"deferrals": 18000, "employer": 6000}),
        # A share "of pay" is the employer's when the employer gives it.
        ("salary 90k, I put in 12% and the company adds 3% of pay",
         {"deferral_percent": 12, "employer_percent": 3, "salary": 90000}),
    ],
)  # fmt: skip
def test_amounts_in_shorthand(text, slots):
    numbers = read_numbers(text)
    for name, value in slots.items():
        assert getattr(numbers, name) == Decimal(value), name


@pytest.mark.parametrize(
    ("text", "tiers"),
    [
        ("they do 100% on the first 3% + 50% on the next 2%", [("1", "3"), ("0.5", "2")]),
        ("match is 100% of the first 4% & 25% of the next 2%", [("1", "4"), ("0.25", "2")]),
        ("they match 50% of what I contribute up to 6% of pay", [("0.5", "6")]),
        ("employer puts in 100% of what you defer up to 3%", [("1", "3")]),
        # A comma before the band changes nothing.
        ("the match is 50% of what I contribute, up to 6% of pay", [("0.5", "6")]),
        ("match: 100% of deferrals, up to 5%", [("1", "5")]),
    ],
)
def test_match_formulas_as_plans_write_them(text, tiers):
    formula = read_numbers(text).formula
    assert formula is not None
    assert [(str(t.rate), str(t.band)) for t in formula.tiers] == [
        (str(Decimal(r)), str(Decimal(b))) for r, b in tiers
    ]


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        # An earlier job named in another sentence, or as the first job, moves nothing.
        ("This is my first job, I deferred 20000 and my employer matched 5000",
         {"deferrals": 20000, "employer": 5000}),
        ("I deferred 5000 here and the match is 3000. At my previous employer I deferred 15000.",
         {"deferrals": 5000, "employer": 3000, "deferred_so_far": 15000}),
        # This job's deferrals said beside an earlier job's in one sentence add up.
        ("deferred 13k at my old job and 6k here", {"deferred_so_far": 19000}),
    ],
)  # fmt: skip
def test_an_earlier_job_moves_only_the_amounts_beside_it(text, slots):
    numbers = read_numbers(text)
    for name, value in slots.items():
        assert getattr(numbers, name) == Decimal(value), name


@pytest.mark.parametrize(
    ("text", "slots", "unassigned"),
    [
        # A day of a month is a date, never an amount or an age.
        ("I'm 59 and turn 60 on nov 29; deferred 18k so far", {"deferred_so_far": 18000}, ()),
        ("paid through the 15th of december, 21,000 in so far", {"deferred_so_far": 21000}, ()),
        # "at this company" says where the person works, not whose money an amount is.
        ("made 190k last year at this company", {}, ("190000",)),
        ("they give me 6k of match at this company", {"employer": 6000}, ()),
    ],
)
def test_dates_and_workplaces_are_not_amounts(text, slots, unassigned):
    numbers = read_numbers(text)
    for name, value in slots.items():
        assert getattr(numbers, name) == Decimal(value), name
    assert numbers.unassigned == tuple(Decimal(v) for v in unassigned)
    assert numbers.employer is None or "employer" in slots


@pytest.mark.parametrize(
    ("text", "slots", "unassigned"),
    [
        # Roth and traditional parts of the deferrals add up, however they are joined.
        ("12k roth + 8k traditional, employer 5k", {"deferrals": 20000, "employer": 5000}, ()),
        # An IRA's money is not the 401(k)'s.
        ("deferring 20k, match 4k, plus 6k in a traditional IRA", {"deferrals": 20000}, ("6000",)),
        # "match = ?" asks for the figure: it sets no option.
        ("salary 70k, 100% of the first 4%. match = ?", {"salary": 70000}, ()),
    ],
)
def test_parts_accounts_and_questions_in_shorthand(text, slots, unassigned):
    numbers = read_numbers(text)
    for name, value in slots.items():
        assert getattr(numbers, name) == Decimal(value), name
    assert numbers.unassigned == tuple(Decimal(v) for v in unassigned)
    assert numbers.problems == ()


def test_cents_on_the_next_band_is_a_tier():
    formula = read_numbers("dollar for dollar on the first 3% and 50 cents on the next 2%").formula
    assert formula is not None
    assert [(t.rate, t.band) for t in formula.tiers] == [
        (Decimal(1), Decimal(3)),
        (Decimal("0.5"), Decimal(2)),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "I put in 8% of my pay and the company matches 50% of that",
        "employer matches 50% of my contributions",
    ],
)
def test_a_match_of_a_share_of_everything_put_in_has_no_band(text):
    formula = read_numbers(text).formula
    assert formula is not None
    assert [(t.rate, t.band) for t in formula.tiers] == [(Decimal("0.5"), Decimal(100))]

"""How the engine copes with the way people really ask: near-scope subjects, chat jargon,
spoken amounts and half-said numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.knowledge import load_articles
from bot.normalize import normalize, to_tokens
from bot.numbers import read_numbers
from bot.scope import near_scope_cue, off_topic_cue

FALLS_BACK = [
    # 401(k) subjects next to the bot's own get a fallback, not the nearest article.
    "can I borrow against my 401k",
    "what's the penalty for taking money out of my 401k early",
    "rule of 55",
    "how are RMDs calculated",
    "how do vesting schedules work, cliff vs graded",
    "how long until my 401k match vests",
    "what is a 403b",
    "how do I roll my old 401k into an IRA",
    "what happens to my 401k when I quit",
    "how do I check my 401k balance",
    "what is a 401k",
    "how does a 401(k) work",
    "401k vs IRA which is better",
    # advice and plan rules fall back
    "when will my employer contributions be fully vested",
    "how much should i contribute to my 401k",
    "can I take money out of my 401k",
    # more near scope subjects fall back
    "should i convert my traditional ira to roth",
    "at what age can I access my 401k",
    "does my 401k affect my tax refund",
    # tax rates and payroll changes fall back
    "what's my marginal tax rate",
    "how do I increase my 401k contribution",
    # w2 questions fall back
    "what does my W-2 box 12 code D mean",
    # loans other plans job changes and priorities fall back
    "how much can I borrow from my 401k",
    "what's the difference between a 457 and a 401k",
    "what do I do with my 401k when I change jobs",
    "401k vs roth ira, which first",
]


FINDS_ITS_TOPIC = [
    # Naming something the bot covers keeps a question in scope.
    ("5 year rule for conversions, penalty before 59 1/2?", "five-year-rule"),
    ("do roth 401k accounts have RMDs", "roth-401k-basics"),
    ("are roth employer contributions vested", "roth-401k-basics"),
    ("403b and 401k at the same time, is the limit shared", "multiple-employers"),
    ("I have a rollover IRA, can I still do a backdoor roth", "pro-rata-rule"),
    ("leaving my job, what happens to my after-tax 401k money", "in-service-withdrawal"),
    # chat phrasings find their topic
    ("what's a backdoor roth (not mega)", "backdoor-roth-ira"),
    ("my plan doesn't allow after-tax, other ways to get more into roth?", "backdoor-roth-ira"),
    ("roth vs after-tax, which one grows tax free", "roth-vs-after-tax"),
    ("can i do mega backdoor at 2 jobs", "multiple-employers"),
    ("what can i ask", "help"),
    # Typos, chat filler and everyday turns of phrase still find the topic.
    ("afer tax vs roth", "roth-vs-after-tax"),
    ("how high is the 401k cap now", "contribution-limits"),
    (
        "what do i gain from after tax contributions if my plan doesnt convert them",
        "why-after-tax",
    ),
    (
        "can someone explain the mega backdoor roth, i keep hearing about it on reddit",
        "mega-backdoor-roth",
    ),
    ("when can i take out converted money without penalty", "five-year-rule"),
    ("how do I use you", "help"),
    ("show me what you can do", "help"),
    # shorthand finds its topic
    ("do i get a 1099 for an in-plan roth rollover", "form-1099r"),
    ("mega backdoor roth 101", "mega-backdoor-roth"),
    ("what is an in-service withdrawal", "in-service-withdrawal"),
    ("do my 401k funds count toward pro-rata", "pro-rata-rule"),
    # more turns of phrase
    ("need help understanding the mega backdoor", "mega-backdoor-roth"),
    ("can I max out 401k at both of my jobs", "multiple-employers"),
    ("if I pick after-tax instead of roth what changes", "roth-vs-after-tax"),
    ("what topics can you help with", "help"),
    ("can you calculate stuff", "help"),
    # A match formula names the match, "the most" is the max, and moving money is a rollover.
    ("what does 100% of the first 6% mean", "employer-match"),
    ("what's the most I can defer into my 401k", "contribution-limits"),
    ("move my ira into my 401k to do a clean backdoor roth", "pro-rata-rule"),
    # investment accounts fillers and job limits
    ("is after-tax money in a 401k better than a regular investment account", "why-after-tax"),
    ("roth 401k explained simply", "roth-401k-basics"),
    ("how do i use this thing", "help"),
    ("switched jobs mid-year, how much can I defer at the new place", "multiple-employers"),
]


@pytest.mark.parametrize("text", FALLS_BACK)
def test_subjects_the_bot_does_not_cover_fall_back(ask, text):
    """401(k)-adjacent subjects, advice and other documents get a fallback, not an article."""
    assert ask(text).kind == "fallback"


@pytest.mark.parametrize(("text", "topic"), FINDS_ITS_TOPIC)
def test_phrasings_find_their_topic(ask, text, topic):
    """Chat phrasings, shorthand, typos and turns of phrase find the topic they are about."""
    reply = ask(text)
    assert (reply.kind, reply.topic) == ("article", topic)


def test_no_example_question_is_out_of_scope():
    """Every article's own example questions pass the scope checks."""
    flagged = [
        (article.id, question)
        for article in load_articles().values()
        for question in article.front.questions
        if off_topic_cue(to_tokens(question)) is not None
    ]
    assert flagged == []


def test_near_scope_names_the_subject():
    assert near_scope_cue(to_tokens("401k loan vs hardship withdrawal")) == "withdrawals"
    assert near_scope_cue(to_tokens("after-tax withdrawal to a roth ira")) is None


@pytest.mark.parametrize(
    "spellings",
    [
        ["two jobs", "2 employers", "both jobs", "switched jobs", "multiple 401ks"],
        ["what can you do", "what can I ask", "what else can you help with", "what are you for"],
        ["my plan doesn't allow", "my plan does not offer", "my plan can't do"],
        ["roll it out", "rolling out", "rolled out"],
    ],
)
def test_chat_phrasings_have_one_spelling(spellings):
    forms = {normalize(s).replace("my plan", "").strip() for s in spellings}
    assert len(forms) == 1, forms


def test_a_plan_that_allows_is_not_an_amount_allowed():
    """ "does my plan allow after-tax" asks about the plan; "how much am I allowed" an amount."""
    assert "support" in normalize("does my plan allow after-tax")
    assert "support" not in normalize("how much am I allowed to put in")


def test_spoken_amounts():
    """ "twenty four five" is how people say $24,500 aloud."""
    numbers = read_numbers("deferring twenty four five, employer puts in ten grand")
    assert (numbers.deferrals, numbers.employer) == (24500, 10000)
    assert read_numbers("I defer thirty two five").deferrals == 32500


def test_bare_amount_beside_thousands_is_thousands():
    """Next to "6k", a bare "23.5" means $23,500; alone it is still questioned."""
    numbers = read_numbers("getting a 6k match and deferring 23.5")
    assert (numbers.deferrals, numbers.employer) == (Decimal(23500), Decimal(6000))
    assert read_numbers("deferring 23.5").problems


def test_amount_already_in_is_deferred_so_far():
    """ "already at 20500" is what has gone in this year; a large balance is not."""
    assert read_numbers("how much more in my 401k, already at 20500").deferred_so_far == 20500
    assert read_numbers("I already have 200k saved, can I still add more").deferred_so_far is None


@pytest.mark.parametrize(
    ("text", "frequency"),
    [
        ("paid every other friday", "biweekly"),
        ("paid every friday", "weekly"),
        ("paid on the 1st and 15th", "semimonthly"),
    ],
)
def test_pay_days_name_the_frequency(text, frequency):
    assert read_numbers(text).frequency == frequency


def test_dash_before_an_amount_is_not_a_minus():
    numbers = read_numbers("mbdr room - 23k deferred, 6900 match")
    assert (numbers.deferrals, numbers.employer) == (23000, 6900)
    assert not numbers.problems


def test_ps_is_profit_sharing():
    assert read_numbers("employer gives 4k and PS 6k").profit_sharing == 6000


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("more after-tax room with a 6k match, deferring 23.5?", "after_tax_room", 42500),
        ("how much per check to max out, paid every other friday", "per_paycheck", 942.30),
        ("how much more can i stuff in my 401k this yr, already at 20500", "deferral_room", 4000),
    ],
)
def test_half_said_calculations(ask, text, field, value):
    """Calculations asked the way people type them in chat get worked out."""
    reply = ask(text)
    assert reply.kind == "calculation"
    assert reply.result is not None
    assert reply.result[field] == pytest.approx(value)


def test_match_formula_in_words_and_the_pay_it_is_on():
    """ "50 percent ... up to 8 percent of pay" is a formula; "the match on 150k" names pay."""
    numbers = read_numbers("employer matches 50 percent of contributions up to 8 percent of pay")
    assert numbers.formula is not None
    assert read_numbers("what's the match on 150k if they match 4%").salary == 150000


def test_spelled_unit_with_a_thousands_suffix():
    assert read_numbers("I get a seven k match").employer == 7000


def test_plus_separates_amounts():
    numbers = read_numbers("deferring 24.5k + employer kicks in 11,250")
    assert (numbers.deferrals, numbers.employer) == (24500, 11250)


def test_a_word_after_an_amount_names_that_amount():
    """ "24500 deferred 0 employer": "deferred" belongs to 24500, "employer" to 0."""
    numbers = read_numbers("24500 deferred 0 employer")
    assert (numbers.deferrals, numbers.employer) == (24500, 0)


def test_the_amount_beside_a_formula_is_pay():
    numbers = read_numbers("what's 3% match on 80k")
    assert numbers.formula is not None
    assert numbers.salary == 80000


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("paid 26 times a year, I'm 40, per paycheck to max 2026?", "per_paycheck", 942.30),
        (
            "3 paychecks left and I'm at 21,400 for the year, how much each to max",
            "per_paycheck",
            1033.33,
        ),
        ("each pay period to max my 401k if I'm paid monthly?", "per_paycheck", 2041.66),
        (
            "my company matches dollar per dollar on the first 5% and I make 88,000",
            "employer_match",
            4400,
        ),
        (
            "I defer 8% of 100k, employer matches 100% up to 4%, after tax room 2026",
            "after_tax_room",
            60000,
        ),
    ],
)
def test_pay_schedules_running_totals_and_shares_of_pay(ask, text, field, value):
    reply = ask(text)
    assert reply.kind == "calculation"
    assert reply.result is not None
    assert reply.result[field] == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("they match 50 cents per dollar up to 6% of salary, I earn 150k", 4500),
        ("my 401k match: 4% on 380k comp in 2026?", 14400),
    ],
)
def test_match_said_loosely(ask, text, match):
    reply = ask(text)
    assert reply.kind == "calculation"
    assert reply.result is not None
    assert reply.result["employer_match"] == match


def test_after_tax_contributions_so_far():
    numbers = read_numbers("deferrals 24500, employer 9000, after-tax contributions so far 9000")
    assert numbers.after_tax_so_far == 9000
    assert numbers.deferred_so_far is None


def test_months_left_are_paychecks_when_paid_monthly():
    numbers = read_numbers("paid monthly, put in 8,000 with 5 months left")
    assert (numbers.frequency, numbers.paychecks_left) == ("monthly", 5)
    assert read_numbers("paid twice a month, 3 months left").paychecks_left == 6
    assert read_numbers("5 months left").paychecks_left is None


def test_key_value_amounts_with_commas_and_a_match_formula():
    numbers = read_numbers("match = 50% of contributions up to 6% of salary, salary = 130,000")
    assert numbers.salary == 130000
    assert numbers.formula is not None
    assert not numbers.problems


def test_profit_share_and_done_so_far():
    assert read_numbers("6k match, 4k profit share").profit_sharing == 4000
    assert read_numbers("I've done 20,000, 4 paychecks left").deferred_so_far == 20000
    hypothetical = read_numbers("how much could I have done if I deferred 23k")
    assert (hypothetical.deferrals, hypothetical.deferred_so_far) == (23000, None)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # A question and a chatty clause beside it: the clause with the 401(k) term answers.
        ("tbh no clue what a true-up is, payroll mentioned it in an email today", "employer-match"),
        ("yo what even is the mega backdoor roth, keep seeing it on r/fi", "mega-backdoor-roth"),
        ("honest question, what is the five year rule for a roth 401k, my coworker brought it "
         "up and i nodded along", "five-year-rule"),
    ],
)  # fmt: skip
def test_a_chatty_clause_does_not_hide_the_question(ask, question, topic):
    reply = ask(question)
    assert (reply.kind, reply.topic) == ("article", topic)


@pytest.mark.parametrize(
    "question",
    [
        # A subject out of scope named beside a 401(k) term still declines the message.
        "can I borrow from my 401k, my after-tax bucket is pretty big now",
        "hardship withdrawal - i have after tax money, can i take it out",
        # A 401(k) clause beside a question about something else does not answer it.
        "I have a Roth 401k. Can I take a loan against it to buy a house?",
        "I do the mega backdoor roth, but how do I pay off my credit card debt faster?",
        "I max my 401k every year. What stocks should I pick for my brokerage account?",
        "I contribute after-tax to my 401k. How do I get a mortgage with a low rate?",
    ],
)
def test_an_out_of_scope_question_beside_a_401k_clause_still_falls_back(ask, question):
    assert ask(question).kind == "fallback"

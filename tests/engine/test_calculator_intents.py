"""The calculators as intents: one score decides whether a message asks for a calculation,
from its words and the numbers it gives, whichever words say it."""

from __future__ import annotations

import pytest

from bot.normalize import clean_tokens
from bot.numbers import read_numbers
from bot.routing import route, scores
from bot.vocabulary import current, install, parse, read_builtin


def routed(text: str) -> str | None:
    return route(clean_tokens(text), text, read_numbers(text), None)


@pytest.mark.parametrize(
    ("question", "topic", "field", "value"),
    [
        # Big employer money leaves little 415(c) room for deferrals: a deferral question.
        ("profit sharing is 68k this year. how much could i defer on top", "deferral-room",
         "deferral_room", 4000),
        ("employer contributions of $66,000 for me, what's left to defer?", "deferral-room",
         "deferral_room", 6000),
        # Deferrals and employer money, however the employer is named, are after-tax room.
        ("deferring the whole 24.5k and ER contributions come to 9k, what's left for "
         "after-tax", "after-tax-room", "after_tax_room", 38500),
        ("maxing my deferrals (24,500) and the company kicks in 11k. mega backdoor room?",
         "after-tax-room", "after_tax_room", 36500),
        # A share of pay for deferrals and for the employer, with the salary.
        ("I make 120k, put in 15% and my employer contributes 4% of my pay. how much "
         "after-tax can I still do?", "after-tax-room", "after_tax_room", 49200),
        # A formula and a salary are a match question, whatever the verb.
        ("they match half of the first 6%, I earn 90,000. what does that come to",
         "employer-match", "employer_match", 2700),
        # Deferred so far with a question for more is deferral room.
        ("put in 18k already this year, how much more can go in? I'm 45", "deferral-room",
         "deferral_room", 6500),
    ],
)  # fmt: skip
def test_a_calculation_is_asked_for_in_many_words(ask, question, topic, field, value):
    reply = ask(question).to_contract()
    assert (reply["kind"], reply["topic"]) == ("calculation", topic), reply
    assert reply["result"][field] == pytest.approx(value)


@pytest.mark.parametrize(
    "question",
    [
        "how is after-tax room calculated",
        "does the match count against the 415(c) limit?",
        "I already max my deferrals, is after-tax worth it over a brokerage account?",
        "what does 100% of the first 6% mean for a match",
    ],
)
def test_words_alone_or_a_rule_question_are_no_calculation(ask, question):
    assert ask(question).kind != "calculation"


def test_a_figure_asked_for_with_no_numbers_asks_for_them(ask):
    reply = ask("how much after-tax room do I have this year?")
    assert (reply.kind, reply.topic) == ("clarify", "after-tax-room")


def test_the_scores_come_from_the_intents_file():
    """A curator's weight changes the decision: no weight is hidden in code."""
    text = "my employer gives me 70k of profit sharing, how much can I defer?"
    assert routed(text) == "deferral-room"
    texts = read_builtin()
    texts["intents.yaml"] = texts["intents.yaml"].replace(
        "figure: 0.3, employer: 0.4,", "figure: 0.1, employer: 0.4,", 1
    )
    before = current()
    changed, findings = parse(texts)
    assert changed is not None
    assert findings == []
    install(changed)
    try:
        assert routed(text) is None
        assert scores(clean_tokens(text), text, read_numbers(text))["deferral-room"] < 1
    finally:
        install(before)


@pytest.mark.parametrize(
    "question",
    [
        "we have a SIMPLE 401(k) at my job. I'm 40 and deferred 5k so far, how much more for 2026?",
        "my company's plan is a simple 401k, how much can I defer this year",
    ],
)
def test_a_simple_plan_gets_its_own_lower_limits_not_a_401k_sum(ask, question):
    reply = ask(question)
    assert (reply.kind, reply.topic) == ("article", "contribution-limits")
    assert "$17,000" in reply.text


def test_the_word_simple_alone_names_no_plan(ask):
    reply = ask("simple question: I've deferred 10k so far, how much more can I defer?")
    assert reply.kind == "calculation"
    assert reply.result is not None
    assert reply.result["deferral_room"] == 14500


def test_a_simple_plan_in_plain_english_names_no_plan(ask):
    reply = ask("I've deferred 10000 so far. What's a simple plan to max out my 401k by December?")
    assert (reply.kind, reply.topic) == ("calculation", "deferral-room")


@pytest.mark.parametrize(
    "question",
    [
        "I put 3000 in my HSA so far, how much more can I contribute?",
        "we've saved 1,000 in the kids' 529 this year, how much more can go in?",
        "put 2,500 into my Roth IRA so far this year, how much more can I add?",
    ],
)
def test_another_account_gets_no_401k_sum(ask, question):
    assert ask(question).kind != "calculation"


def test_what_went_in_so_far_beside_employer_money_is_after_tax_room_when_asked(ask):
    reply = ask("I'm at 16000 so far with a 4000 match, how much after-tax can I still put in?")
    assert (reply.kind, reply.topic) == ("calculation", "after-tax-room")
    assert reply.result is not None
    assert reply.result["after_tax_room"] == 52000


def test_an_ira_beside_the_401k_does_not_stop_the_401k_sum(ask):
    reply = ask("I deferred 20k to my 401k and 7k to my roth ira, how much more can I defer?")
    assert (reply.kind, reply.topic) == ("calculation", "deferral-room")


def test_a_match_of_half_of_what_is_put_in(ask):
    reply = ask("I contribute 10% of my 80k salary and my employer matches 50% of that. my match?")
    assert (reply.kind, reply.topic) == ("calculation", "employer-match")
    assert reply.result is not None
    assert reply.result["employer_match"] == 4000

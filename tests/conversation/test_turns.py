"""Each turn rule of a conversation, in several phrasings, through `Engine.converse`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bot.conversation import ConversationState
from bot.engine import Engine, default_engine
from bot.reply import Question, Reply

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return default_engine()


def talk(engine: Engine, *messages: str) -> list[Reply]:
    """The replies to `messages` sent one after another in one conversation."""
    state: ConversationState | None = None
    replies = []
    for text in messages:
        turn = engine.converse(Question(text=text, today=TODAY), state)
        state = turn.state
        replies.append(turn.reply)
    return replies


def figure(reply: Reply, field: str) -> Decimal:
    assert reply.kind == "calculation", (reply.kind, reply.topic, reply.text)
    assert reply.result is not None
    return Decimal(str(reply.result[field]))


@pytest.mark.parametrize(
    ("ask", "deferrals", "employer"),
    [
        (
            "how much after-tax room do I have?",
            "I'm deferring $24,500",
            "my employer puts in 6,200",
        ),
        (
            "can you work out my mega backdoor space?",
            "deferrals are 24.5k",
            "the company adds 6200",
        ),
        (
            "what's my after-tax room this year",
            "I put in 24500 pre-tax",
            "employer match is $6,200",
        ),
    ],
)
def test_fill_slots_one_at_a_time(engine, ask, deferrals, employer):
    """A calculator that asked for numbers takes them over several messages."""
    first, second, third = talk(engine, ask, deferrals, employer)
    assert (first.kind, first.topic) == ("clarify", "after-tax-room")
    assert (second.kind, second.topic) == ("clarify", "after-tax-room")
    assert "employer" in second.text
    assert figure(third, "after_tax_room") == 72000 - 24500 - 6200


@pytest.mark.parametrize(
    "nothing", ["they don't match anything", "no match at all", "my employer doesn't match"]
)
def test_employer_that_puts_in_nothing_fills_the_slot_with_zero(engine, nothing):
    replies = talk(engine, "after-tax room? I defer 20,000", nothing)
    assert figure(replies[-1], "employer_contributions") == 0
    assert figure(replies[-1], "after_tax_room") == 52000


@pytest.mark.parametrize(
    ("change", "field", "value"),
    [
        ("ok and if the match were 9k?", "after_tax_room", 72000 - 20000 - 9000),
        ("what if my employer put in 7,000 instead?", "after_tax_room", 72000 - 20000 - 7000),
        ("same thing for 2024", "after_tax_room", 69000 - 20000 - 5000),
        ("and for 2025?", "annual_additions_limit", 70000),
        ("what's that per check if I'm paid weekly?", "per_paycheck", Decimal("903.84")),
        ("make it biweekly", "per_paycheck", Decimal("1807.69")),
    ],
)
def test_change_one_input_keeps_the_rest(engine, change, field, value):
    """A what-if re-runs the last calculation with that input replaced."""
    first, changed = talk(
        engine, "I defer 20,000 and my employer adds 5,000. After-tax room?", change
    )
    assert figure(first, "after_tax_room") == 47000
    assert changed.topic == "after-tax-room"
    assert abs(figure(changed, field) - Decimal(value)) <= Decimal("0.01")


@pytest.mark.parametrize(
    "correction",
    [
        "oops, deferrals are 18k, not 15k",
        "sorry I meant 18,000 in deferrals, not 15,000",
        "correction: I defer 18k instead of 15k",
    ],
)
def test_correction_replaces_never_adds(engine, correction):
    first, corrected = talk(
        engine, "I defer 15k and my company puts in 5k, after-tax room?", correction
    )
    assert figure(first, "after_tax_room") == 52000
    assert figure(corrected, "employee_deferrals") == 18000
    assert figure(corrected, "after_tax_room") == 49000


@pytest.mark.parametrize(
    "chain",
    [
        "using that match and the full deferral limit, what's my after-tax space?",
        "with that match and maxing out my deferrals, how much after-tax room do I have?",
    ],
)
def test_chain_the_match_into_after_tax_room(engine, chain):
    match, room = talk(engine, "I make 150k and they match 100% of the first 4%. My match?", chain)
    assert figure(match, "employer_match") == 6000
    assert room.topic == "after-tax-room"
    assert figure(room, "employer_contributions") == 6000
    assert figure(room, "after_tax_room") == 72000 - 24500 - 6000


@pytest.mark.parametrize(
    ("pick", "topic"),
    [("2", "deferral-room"), ("the second one", "deferral-room"), ("option 1", "after-tax-room"),
     ("the after-tax one", "after-tax-room"), ("deferral room please", "deferral-room")],
)  # fmt: skip
def test_answer_a_clarify_by_place_or_words(engine, pick, topic):
    offer, picked = talk(engine, "how much room do I have left this year?", pick)
    assert offer.kind == "clarify"
    assert offer.suggestions == ["after-tax-room", "deferral-room"]
    assert (picked.kind, picked.topic) == ("clarify", topic)  # it asks for that one's numbers


def test_a_picked_calculator_then_takes_its_numbers(engine):
    *_, reply = talk(
        engine, "how much room do I have left?", "2", "I'm 41 and I've deferred $11,200 so far"
    )
    assert figure(reply, "deferral_room") == 24500 - 11200


@pytest.mark.parametrize(
    ("first", "follow", "topics"),
    [
        ("what's an in-plan Roth conversion?", "does that get taxed?",
         {"in-plan-conversion", "earnings-taxation"}),
        ("what is a mega backdoor roth?", "how would I set that up?",
         {"mega-backdoor-roth", "plan-questions"}),
        ("My plan lets me take after-tax money out while I'm still employed. Can it go into a "
         "Roth IRA?", "how does that work?",
         {"in-service-withdrawal"}),
        ("what's the roth ira income limit?", "and if we earn too much for that?",
         {"backdoor-roth-ira"}),
    ],
)  # fmt: skip
def test_follow_up_is_read_with_the_last_topic(engine, first, follow, topics):
    article, followed = talk(engine, first, follow)
    assert article.kind == "article"
    assert followed.kind == "article"
    assert followed.topic in topics


def test_a_full_question_of_its_own_is_answered_on_its_own(engine):
    replies = talk(
        engine,
        "I defer 20,000 and my employer adds 5,000. What's my after-tax room?",
        "different question: how does the five-year rule work for Roth IRAs?",
        "I'm 35 and have deferred $15,000 so far in 2026. How much more can I defer?",
    )
    assert replies[1].topic == "five-year-rule"
    assert figure(replies[2], "deferral_room") == 9500


@pytest.mark.parametrize(
    ("text", "greeting"),
    [("hello", True), ("good morning!", True), ("hey there", True), ("thank you", False),
     ("perfect, thx", False), ("got it", False), ("cool, thanks a lot", False), ("ok", False)],
)  # fmt: skip
def test_small_talk_gets_one_friendly_line(engine, text, greeting):
    (reply,) = talk(engine, text)
    assert reply.kind == "smalltalk"
    assert reply.topic is None
    assert reply.disclosure.strip()
    assert ("401(k)" in reply.text) is True
    assert (len(reply.text.splitlines()) == 2) is greeting


def test_small_talk_keeps_the_numbers(engine):
    replies = talk(engine, "I defer 20k and my employer adds 5k, after-tax room?", "thanks!",
                   "what if the match were 9k?")  # fmt: skip
    assert replies[1].kind == "smalltalk"
    assert figure(replies[2], "after_tax_room") == 43000


@pytest.mark.parametrize("reset", ["start over", "reset", "forget that", "let's start over please"])
def test_reset_clears_the_state_and_says_so(engine, reset):
    replies = talk(engine, "I defer 20k and my employer adds 5k, after-tax room?", reset,
                   "what's my after-tax room if my employer puts in 7,000?")  # fmt: skip
    assert replies[1].kind == "smalltalk"
    assert "forgotten" in replies[1].text
    assert (replies[2].kind, replies[2].topic) == ("clarify", "after-tax-room")
    assert "deferrals" in replies[2].text  # the 20k is forgotten


def test_an_out_of_scope_question_falls_back_and_keeps_the_numbers(engine):
    replies = talk(engine, "I defer 20k and my employer adds 5k, after-tax room?",
                   "side question: which index fund should I pick?",
                   "ok, back to my numbers. what if my employer put in 7,000 instead?")  # fmt: skip
    assert replies[1].kind == "fallback"
    assert figure(replies[2], "after_tax_room") == 45000


def test_a_question_alone_is_a_conversation_of_one_turn(engine):
    """`answer` is `converse` from the empty state: a single question gets the same reply."""
    question = Question(text="I defer 24.5k and my employer adds 10k", today=TODAY)
    assert engine.answer(question) == engine.converse(question).reply
    assert engine.converse(question).state.turns == 1


@pytest.mark.parametrize("left", ["per paycheck, 6 left?", "and with 6 to go?", "6 remaining"])
def test_a_bare_count_left_is_the_paychecks_left(engine, left):
    _, spread = talk(engine, "I defer 20,000 and my employer adds 5,000. After-tax room?", left)
    assert figure(spread, "after_tax_room") == 47000
    assert figure(spread, "per_paycheck") == Decimal("7833.33")


@pytest.mark.parametrize(
    "correction", ["sorry, I meant 18k not 15k", "no wait, 18,000 instead of 15,000"]
)
def test_a_correction_replaces_the_input_that_had_the_old_amount(engine, correction):
    """The new amount has no word of its own: it takes the place of the old one."""
    first, corrected = talk(
        engine, "I've deferred 15k so far this year, how much more?", correction
    )
    assert figure(first, "deferral_room") == 9500
    assert figure(corrected, "deferred_so_far") == 18000
    assert figure(corrected, "deferral_room") == 6500


@pytest.mark.parametrize(
    "why", ["wait, why isn't it 4% of 500k?", "how come it's not 4% of my whole 500k salary?"]
)
def test_why_after_a_calculation_gets_the_explanation(engine, why):
    first, explained = talk(engine, "I make 500k and they match 100% of the first 4%. Match?", why)
    assert figure(first, "employer_match") == 14400
    assert explained.kind == "article"


@pytest.mark.parametrize(
    "amounts",
    ["ok try this: deferrals 24500 employer 10000", "deferrals of 24.5k, employer puts in 10k"],
)
def test_deferrals_and_employer_money_alone_get_the_after_tax_room(engine, amounts):
    (reply,) = talk(engine, amounts)
    assert figure(reply, "after_tax_room") == 37500


def test_the_annual_additions_limit_named_in_a_question_is_not_an_input(engine):
    replies = talk(engine, "I'm 62, deferring 35,750 with catch-up, employer puts in 15k. Room?",
                   "so the catch-up doesn't count against the 72k?",
                   "what's that per paycheck, semi-monthly with just 1 left")  # fmt: skip
    assert figure(replies[0], "after_tax_room") == 32500
    assert replies[1].kind == "article"
    assert figure(replies[2], "per_paycheck") == 32500


def test_a_vague_question_is_read_with_the_topic_it_is_in(engine):
    article, followed = talk(
        engine,
        "I switched jobs mid-year. Does what I deferred at my old job count at the new one?",
        "what happens if I accidentally went over on the deferrals",
    )
    assert article.topic == "multiple-employers"
    assert followed.kind == "article"


@pytest.mark.parametrize(
    "extra",
    ["forgot, there's also a 2k roth employer contribution", "plus another 2,000 from my employer"],
)
def test_an_amount_said_to_come_on_top_is_added(engine, extra):
    first, more = talk(engine, "I defer 20k and my employer adds 5k. After-tax room?", extra)
    assert figure(first, "employer_contributions") == 5000
    assert figure(more, "employer_contributions") == 7000


@pytest.mark.parametrize(
    "bump", ["what if I bump deferrals to 24.5k", "and if I raised my deferrals to 24,500?"]
)
def test_a_what_if_on_an_input_stays_with_the_sum_in_progress(engine, bump):
    _, bumped = talk(engine, "I defer 20k and my employer adds 5k. After-tax room?", bump)
    assert bumped.topic == "after-tax-room"
    assert figure(bumped, "after_tax_room") == 72000 - 24500 - 5000


@pytest.mark.parametrize(
    "ask",
    ["turning 61 this year, what's the most I can defer?", "I'm 61, what are the 401k limits?"],
)
def test_what_an_article_question_said_of_the_person_feeds_the_sum_after_it(engine, ask):
    article, room = talk(engine, ask, "i've put in 20k so far")
    assert article.kind == "article"
    assert figure(room, "catch_up") == 11250
    assert figure(room, "deferral_room") == 24500 + 11250 - 20000


@pytest.mark.parametrize("hello", ["gm everyone", "hey all", "ugh ok. start over"])
def test_more_ways_to_greet_and_to_start_over(engine, hello):
    (reply,) = talk(engine, hello)
    assert reply.kind == "smalltalk"


def test_a_subject_the_topic_in_progress_covers_is_not_turned_away(engine):
    """A SEP IRA alone is not this bot's subject; after the pro-rata rule it is."""
    article, followed = talk(
        engine,
        "how does the pro-rata rule hit a backdoor roth?",
        "and my wife has a SEP IRA with like 40k in it, is that a problem?",
    )
    assert article.topic == "pro-rata-rule"
    assert (followed.kind, followed.topic) == ("article", "pro-rata-rule")


def test_a_what_if_age_replaces_the_age_at_year_end(engine):
    first, other = talk(
        engine, "turning 61 this year, I've deferred 20k so far. How much more?", "what if i was 64"
    )
    assert figure(first, "catch_up") == 11250
    assert figure(other, "catch_up") == 8000


@pytest.mark.parametrize("limits", ["what are the 2026 limits", "ok what are the limits for 2026"])
def test_the_limits_need_no_401k_word(engine, limits):
    (reply,) = talk(engine, limits)
    assert (reply.kind, reply.topic) == ("article", "contribution-limits")


@pytest.mark.parametrize(
    ("first", "alternative", "topic"),
    [
        ("how do I find out whether my plan allows the mega backdoor?", "and if HR says no?",
         "backdoor-roth-ira"),
        ("what is the mega backdoor roth?", "ok so what can I do instead if my plan can't?",
         "backdoor-roth-ira"),
        ("what's the roth ira income limit for married couples?", "we're over it, so what do we do",
         "backdoor-roth-ira"),
        # Asking for a way around needs no word pointing back.
        ("how does the mega backdoor roth work", "any workaround if my employer won't add that "
         "option?", "backdoor-roth-ira"),
        ("what are the roth ira income limits for 2026", "single, 200k. is there a way around it?",
         "backdoor-roth-ira"),
    ],
)  # fmt: skip
def test_asking_what_else_goes_to_the_articles_if_not_topic(engine, first, alternative, topic):
    article, instead = talk(engine, first, alternative)
    assert article.kind == "article"
    assert (instead.kind, instead.topic) == ("article", topic)


@pytest.mark.parametrize(
    "chatter",
    ["heyy just started my first real job out of college lol", "ok i can't afford that but thx",
     "eh I'll just do what I can, thanks anyway", "👍"],
)  # fmt: skip
def test_chatter_with_a_hello_or_thanks_is_small_talk(engine, chatter):
    (reply,) = talk(engine, chatter)
    assert reply.kind == "smalltalk"


def test_a_limit_named_in_a_question_is_no_ones_money(engine):
    """ "is the 24.5k deferral limit per job?" asks about the limit; it defers nothing."""
    replies = talk(
        engine,
        "I work two unrelated jobs with 401ks. does each one get its own limit?",
        "and the 24.5k deferral limit, is that per job too?",
        "at job B I defer nothing, employer puts in 3k, and I only earn 50k there. room?",
    )
    assert replies[1].kind == "article"
    assert figure(replies[2], "employee_deferrals") == 0
    assert figure(replies[2], "after_tax_room") == 50000 - 3000


def test_a_rule_question_with_numbers_gets_its_article(engine):
    replies = talk(
        engine,
        "I'm 61 and I've deferred 20k so far. How much more can I defer?",
        "I made about 200k in FICA wages here last year. do my catch-ups have to be roth now?",
    )
    assert figure(replies[0], "catch_up") == 11250
    assert (replies[1].kind, replies[1].topic) == ("article", "roth-catch-up-rule")


def test_a_hypothetical_age_is_the_age(engine):
    first, other = talk(engine, "I'm 64, deferred 20k so far, how much more?", "what if i were 63")
    assert figure(first, "catch_up") == 8000
    assert figure(other, "catch_up") == 11250


def test_what_was_said_of_the_person_carries_into_a_new_sum(engine):
    """An age or a salary told earlier in the thread is used by a later calculation."""
    replies = talk(engine, "I'm 56 this year, is the catch-up something I have to sign up for?",
                   "Deferred $20,000 so far for 2026. How much more is allowed?")  # fmt: skip
    assert figure(replies[1], "catch_up") == 8000
    assert figure(replies[1], "deferral_room") == 12500
    replies = talk(engine, "I earn 95k. does the match count toward the 415(c) limit?",
                   "My employer matches 50% of the first 6%. What is my match?")  # fmt: skip
    assert figure(replies[1], "employer_match") == 2850


def test_a_new_sum_does_not_reuse_the_amounts_of_the_last(engine):
    replies = talk(engine, "I defer 20k and my employer puts in 6k, after-tax room?",
                   "new one: I'm 45, deferred 10k so far. how much more can I defer?")  # fmt: skip
    assert figure(replies[0], "after_tax_room") == 46000
    assert figure(replies[1], "deferral_room") == 14500


def test_an_age_told_for_this_year_is_not_used_for_another(engine):
    replies = talk(engine, "I turn 60 this year, what's the catch-up?",
                   "how much could I defer in 2025? I deferred 5000 so far")  # fmt: skip
    assert figure(replies[1], "catch_up") != 11250


def test_a_question_with_last_years_pay_is_no_change_to_this_years_sum(engine):
    replies = talk(engine, "I'm 61, deferred 22k so far this year. how much more can I defer?",
                   "must the catch-up be roth? I made 170k last year at this company")  # fmt: skip
    assert figure(replies[0], "deferral_room") == 13750
    assert replies[1].kind == "article"


def test_an_age_told_in_any_turn_counts_for_a_later_sum(engine):
    replies = talk(engine, "I'm 56 and started a new job in may. do the catch-ups here "
                   "have to be roth or can they be pretax, and does my old job count?",
                   "how much more can I defer? 10k here so far and 5k at the old job")  # fmt: skip
    assert figure(replies[1], "catch_up") == 8000
    assert figure(replies[1], "deferral_room") == 17500


def test_the_amounts_a_why_question_doubts_are_not_kept(engine):
    replies = talk(engine, "salary 400k, they match 100% of the first 5%. what's my match?",
                   "why isn't it 20k? 5% of 400 is 20",
                   "ok. deferring 24.5k, what's my after-tax room w/ that match?")  # fmt: skip
    assert figure(replies[0], "employer_match") == 18000
    assert replies[1].kind == "article"
    assert figure(replies[2], "employer_contributions") == 18000
    assert figure(replies[2], "after_tax_room") == 29500


def test_a_bare_amount_below_the_deferrals_is_the_employers_not_the_pay(engine):
    replies = talk(engine, "salary 90k, they match 100% up to 5%. what's my match?",
                   "so if I put in 6k and get that 4.5k, what's my after-tax room?")  # fmt: skip
    assert figure(replies[0], "employer_match") == 4500
    assert figure(replies[1], "employer_contributions") == 4500
    assert figure(replies[1], "after_tax_room") == 61500


def test_numbers_answer_which_room_was_meant(engine):
    replies = talk(engine, "how much more can I still put in this year?",
                   "I've got 12k in so far", "I'm 55")  # fmt: skip
    assert replies[0].kind == "clarify"
    assert figure(replies[2], "catch_up") == 8000
    assert figure(replies[2], "deferral_room") == 20500


def test_a_correction_naming_deferrals_stays_with_the_after_tax_sum(engine):
    replies = talk(engine, "after-tax room: deferring 22k, employer 6k",
                   "sorry, correction: I'm deferring 23k not 22k")  # fmt: skip
    assert figure(replies[1], "after_tax_room") == 43000

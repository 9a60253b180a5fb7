"""Scenarios through `Engine.answer`: calculators, clarifying questions, articles, fallback."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.disclosure import DEFAULT_DISCLOSURE
from bot.engine import Engine
from bot.knowledge import load_articles
from bot.reply import Question
from calc.limits import load_limits


def test_after_tax_room_in_words(ask):
    """The worked example of the facts sheet, said in a sentence, gives $37,500."""
    reply = ask("I max my 401k at 24,500 and my employer adds 10,000. After-tax room in 2026?")
    assert reply.kind == "calculation"
    assert reply.topic == "after-tax-room"
    assert reply.result["after_tax_room"] == 37500
    assert "$72,000 annual additions limit (2026) − $24,500" in reply.text
    assert "Assumptions" in reply.text
    assert reply.tax_year == 2026
    assert reply.sources
    assert reply.disclosure == DEFAULT_DISCLOSURE


@pytest.mark.parametrize(
    ("text", "room"),
    [
        ("I defer $23,500 and my employer adds $8,000. After-tax room for 2025?", 38500),
        ("after-tax room in 2024: deferrals 23k, employer match 11.5k", 34500),
        (
            "I'm 57, deferring 32,500 with catch-up and my employer puts in 11,000. Mega "
            "backdoor room?",
            36500,
        ),
        ("I earn $52,000, defer $24,500 and my employer adds $2,600. How much after-tax?", 24900),
        (
            "I make 450k, I max out, and my employer matches 100% of the first 4%. "
            "How much after-tax room?",
            33100,
        ),
        (
            "I defer twenty-four thousand five hundred and my employer adds ten thousand; "
            "after-tax room?",
            37500,
        ),
    ],
)
def test_after_tax_room_paths(ask, text, room):
    """Amounts in every spelling, catch-up, a pay cap and a match formula reach the calculator."""
    reply = ask(text)
    assert (reply.kind, reply.topic) == ("calculation", "after-tax-room")
    assert reply.result["after_tax_room"] == room


def test_key_value_arguments(ask):
    """`key=value` options fill the slots and pick the year."""
    reply = ask("after-tax room deferrals=22000 employer=6000 year=2025 age=55")
    assert reply.kind == "calculation"
    assert reply.tax_year == 2025
    assert reply.result["after_tax_room"] == 70000 - 22000 - 6000


def test_slash_command_is_positional(ask):
    """`/aftertaxroom 24500 10000`: deferrals, then employer contributions."""
    reply = ask("24500 10000", command="aftertaxroom")
    assert reply.result["employee_deferrals"] == 24500
    assert reply.result["employer_contributions"] == 10000
    typed = ask("aftertaxroom 23000 11500 year=2024")
    assert typed.result["after_tax_room"] == 34500


def test_command_args_win_over_text(ask):
    """Options from a slash command's form are explicit and replace numbers in the text."""
    reply = ask(
        "I defer 10k", command="aftertaxroom", args={"deferrals": "24500", "employer": "10000"}
    )
    assert reply.result["after_tax_room"] == 37500


def test_after_tax_room_per_paycheck(ask):
    """Paychecks left spread the room: $37,500 over 10 paychecks is $3,750."""
    reply = ask("deferrals 24500, employer 10000, 10 paychecks left, after-tax room for 2026")
    assert reply.result["per_paycheck"] == 3750


def test_after_tax_already_contributed(ask):
    """After-tax money already put in this year comes off the room."""
    reply = ask("I defer 24,500, employer adds 10,000, I've already put 5k after-tax. Room left?")
    assert reply.result["after_tax_room"] == 32500


def test_deferral_room_so_far(ask):
    """Deferrals so far, an age and a pay frequency give the room left and per paycheck."""
    reply = ask("I'm 52 and have deferred 10,000 so far in 2026, paid biweekly. How much more?")
    assert (reply.kind, reply.topic) == ("calculation", "deferral-room")
    assert reply.result["catch_up"] == 8000
    assert reply.result["deferral_room"] == 24500 + 8000 - 10000
    assert "per_paycheck" not in reply.result
    assert "spread over the paychecks left, not a full year's 26" in reply.text


def test_deferral_room_so_far_over_the_paychecks_left(ask):
    """With 12 paychecks left, the $22,500 left is $1,875 a paycheck."""
    reply = ask("I'm 52 and have deferred 10,000 so far in 2026, 12 paychecks left. How much more?")
    assert reply.result["deferral_room"] == 22500
    assert reply.result["per_paycheck"] == 1875


def test_deferral_room_to_max(ask):
    """ "max my 401k" with 26 paychecks is the limit over 26, rounded down: $942.30 in 2026."""
    reply = ask("how much per paycheck do I need to max my 401k in 2026 with 26 paychecks?")
    assert reply.result["per_paycheck"] == 942.30


def test_employer_match(ask):
    """A tiered formula on a salary gives the match."""
    reply = ask(
        "I earn $90,000 and my employer matches 100% of the first 3% and 50% of the next 2%"
    )
    assert (reply.kind, reply.topic) == ("calculation", "employer-match")
    assert reply.result["employer_match"] == 3600


def test_match_capped_by_compensation_limit(ask):
    """A match is figured on pay up to the 401(a)(17) limit only."""
    reply = ask("I make $500k and my company matches 50% up to 6%, what's my match in 2026?")
    assert reply.result["eligible_compensation"] == 360000
    assert reply.result["employer_match"] == 10800


def test_own_after_tax_figure_without_numbers_asks_for_them(ask):
    """With no numbers, "how much after-tax can I contribute?" asks for the two it needs."""
    reply = ask("how much after-tax can I contribute?")
    assert (reply.kind, reply.topic) == ("clarify", "after-tax-room")
    assert "deferrals" in reply.text
    assert "employer" in reply.text


def test_how_after_tax_room_works_gets_the_article(ask):
    """Asked how the room is worked out, with no figure of one's own, the article explains."""
    reply = ask("how is after-tax room worked out?")
    assert (reply.kind, reply.topic) == ("article", "after-tax-room")


def test_calculation_request_without_numbers_asks_for_them(ask):
    """Asked to calculate with no numbers, the reply names the numbers it needs and how."""
    reply = ask("calculate my after-tax room")
    assert (reply.kind, reply.topic) == ("clarify", "after-tax-room")
    assert "deferrals" in reply.text
    assert "employer" in reply.text
    assert "deferrals=24500 employer=10000" in reply.text


def test_missing_employer_amount(ask):
    """Deferrals without the employer's share: the reply asks for exactly that."""
    reply = ask("how much after-tax can I contribute? I defer 24.5k")
    assert (reply.kind, reply.topic) == ("clarify", "after-tax-room")
    assert reply.text.startswith("Missing: your employer's contributions for the year.")


def test_empty_slash_command(ask):
    """`/aftertaxroom` with nothing after it asks for both numbers."""
    reply = ask("", command="aftertaxroom")
    assert reply.kind == "clarify"
    assert "Missing: your deferrals for the year (pre-tax + Roth), your employer's" in reply.text


def test_match_without_salary(ask):
    """A match formula with no salary asks for the salary."""
    reply = ask("my employer matches 50% up to 6%, how much match will I get?")
    assert (reply.kind, reply.topic) == ("clarify", "employer-match")
    assert "salary" in reply.text


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("I defer -5k and my employer adds 10k, after-tax room?", "negative"),
        ("I defer 24,500 and my employer adds $20m. after-tax room?", "over $10,000,000"),
        ("after-tax room deferrals=nan employer=10000", "not an amount"),
        ("I defer 24.5 and my employer adds 10. after-tax room?", "$24,500 or $24.50"),
    ],
)
def test_bad_amounts_are_questioned(ask, text, said):
    """Negative, huge, non-numbers and thousands-or-dollars amounts get a clarify, not a guess."""
    reply = ask(text)
    assert reply.kind == "clarify"
    assert said in reply.text
    assert reply.result is None


def test_out_of_range_age(ask):
    """An impossible age is a clear message, not a traceback."""
    reply = ask("after-tax room deferrals=24500 employer=10000 age=0")
    assert reply.kind == "clarify"
    assert "age" in reply.text


def test_article_renders_the_year_asked(ask):
    """An article fills in the figures of the year asked about."""
    reply = ask("what is the 401k contribution limit for 2025?")
    assert (reply.kind, reply.topic, reply.tax_year) == ("article", "contribution-limits", 2025)
    assert "$23,500" in reply.text
    assert "{{" not in reply.text


def test_relative_years(ask):
    """ "next year" and "last year" count from the question's date."""
    assert ask("401k limits next year", today=dt.date(2025, 3, 1)).tax_year == 2026
    assert ask("401k limits last year", today=dt.date(2025, 3, 1)).tax_year == 2024


def test_year_without_figures(ask):
    """A year with no figures uses the latest one and says so."""
    reply = ask("what is the 401k limit?", today=dt.date(2028, 2, 1))
    assert reply.tax_year == 2026
    assert "2028" in reply.text
    assert "2026 figures" in reply.text
    calc = ask("I defer 20k and my employer adds 5k, after-tax room in 2030?")
    assert calc.tax_year == 2026
    assert any("2030" in note for note in calc.result["notes"])


def test_default_year_setting():
    """BOT_TAX_YEAR (the engine's default year) beats today's year, and the question beats both."""
    engine = Engine(limits=load_limits(), articles=load_articles(), default_year=2024)
    question = Question(text="401k limit", today=dt.date(2026, 5, 1))
    assert engine.answer(question).tax_year == 2024
    assert (
        engine.answer(Question(text="401k limit 2025", today=dt.date(2026, 5, 1))).tax_year == 2025
    )


def test_article_reply_fields(ask):
    """An article reply carries its sources, related topics and the article's disclosure note."""
    reply = ask("What is the mega backdoor Roth and how does it work?")
    assert (reply.kind, reply.topic) == ("article", "mega-backdoor-roth")
    article = load_articles()["mega-backdoor-roth"]
    assert reply.sources == list(article.front.sources)
    assert reply.suggestions == list(article.front.related)
    assert reply.disclosure.startswith(DEFAULT_DISCLOSURE)
    assert 0 < reply.confidence <= 1


def test_custom_disclosure():
    """The configured disclosure replaces the default on every kind of reply."""
    engine = Engine(limits=load_limits(), articles=load_articles(), disclosure="Not advice.")
    for text in ("roth vs after-tax", "I defer 20k, employer 5k, after-tax room?", "pizza?"):
        assert engine.answer(Question(text=text)).disclosure.startswith("Not advice.")


@pytest.mark.parametrize(
    "text",
    [
        "What's the HSA limit for a family?",
        "Should I buy Apple stock?",
        "can I take a 401k loan to buy a house",
        "what are the federal tax brackets",
        "what is the weather like there today",
        "zxqv blorp",
    ],
)
def test_fallback(ask, text):
    """Out-of-scope questions get a fallback that says what the bot covers and offers topics."""
    reply = ask(text)
    assert reply.kind == "fallback"
    assert reply.topic is None
    assert "401(k) contribution topics" in reply.text
    assert reply.suggestions
    assert reply.result is None


def test_two_tied_topics_offer_both(engine):
    """A question exactly between two topics offers both instead of picking one."""
    from bot.matching import Candidate, Query, decide

    query = Query(("roth",), "roth", (), True, None)
    decision = decide(query, [Candidate("a", 0.7, 2), Candidate("b", 0.695, 2)])
    assert decision.kind == "clarify"
    reply = engine._choose_topic(decision, engine.choose_year(Question(text="")))
    assert reply.kind == "clarify"
    assert reply.suggestions == ["a", "b"]


def test_a_close_runner_up_is_offered_next_to_the_answer():
    """Near, not tied: the best topic answers and the runner-up is one click away."""
    from bot.matching import Candidate, Query, also_about, decide

    query = Query(("roth",), "roth", (), True, None)
    close = decide(query, [Candidate("a", 0.7, 2), Candidate("b", 0.65, 2)])
    far = decide(query, [Candidate("a", 0.7, 2), Candidate("b", 0.55, 2)])
    assert (close.kind, also_about(close)) == ("answer", ["b"])
    assert (far.kind, also_about(far)) == ("answer", [])


def test_an_article_answer_carries_its_close_neighbour(ask):
    """Asking why the two kinds of money differ answers the comparison, offers the why."""
    reply = ask("Why are after-tax and Roth not interchangeable?")
    assert (reply.kind, reply.topic) == ("article", "roth-vs-after-tax")
    assert reply.also == ["why-after-tax"]
    assert reply.to_contract()["also"] == ["why-after-tax"]


def test_markup_does_not_change_the_answer(ask):
    """Slack and Discord markup around a question leaves the same answer."""
    plain = ask("what is the mega backdoor roth?")
    marked = ask("<@U024BE7LH> what is the *mega backdoor* `roth`? <https://x.example|link>")
    discord = ask("<@!1234> **what is the mega backdoor roth?**")
    assert plain.topic == marked.topic == discord.topic == "mega-backdoor-roth"


def test_long_message_is_cut_with_a_note(ask):
    """A message over 4,000 characters is answered from its start, with a note."""
    reply = ask("what is the mega backdoor roth? " + "blah " * 2000)
    assert reply.topic == "mega-backdoor-roth"
    assert "first 4,000 characters" in reply.text


def test_no_ping_in_any_reply(ask):
    """A reply never carries a mass mention, even when the question does."""
    for text in ("<!channel> roth vs after-tax", "@everyone @here what is a 401k match?"):
        reply = ask(text)
        for ping in ("@here", "@channel", "@everyone", "<!"):
            assert ping not in reply.text


@pytest.mark.parametrize(
    ("text", "room"),
    [
        ("I defer 24.5k and my employer adds 10k", 37500),
        ("my employer puts in 8k and I put in 20k", 44000),
    ],
)
def test_deferrals_and_employer_alone_get_the_after_tax_room(ask, text, room):
    """A message that only gives the calculator's two amounts gets the calculation."""
    reply = ask(text)
    assert reply.kind == "calculation"
    assert reply.result["after_tax_room"] == room


def test_amounts_beside_another_question_leave_that_question_to_its_article(ask):
    """Amounts given as context don't turn a Roth-or-traditional question into a calculation."""
    reply = ask("I contribute 20k and my employer 5k, should I pick roth or traditional?")
    assert reply.topic == "traditional-vs-roth"

"""Questions about our plan, answered from the profile first; everything else as before."""

from __future__ import annotations

import pytest

from bot.knowledge import load_articles
from bot.plans.answers import plan_answer
from bot.plans.vocabulary import load_vocabulary
from tests.plans.profiles import AFTER_TAX_ONLY, FULL, NO_AFTER_TAX, PROFILES, ask, fact, profile

# (question, the fact line it must answer, the answer for each example profile). The
# phrasings are varied on purpose: none is written in the vocabulary file.
PLAN_QUESTIONS = [
    ("does our plan allow the mega backdoor?", "Mega backdoor Roth", ("yes", "no", "no")),
    ("Is MBDR possible here?", "Mega backdoor Roth", ("yes", "no", "no")),
    ("can we do a mega back-door Roth at this company?", "Mega backdoor Roth", ("yes", "no", "no")),
    ("can I do after-tax here?", "After-tax (non-Roth) contributions", ("yes", "yes", "no")),
    (
        "are non-Roth after tax contributions allowed in our 401(k)?",
        "After-tax (non-Roth) contributions",
        ("yes", "yes", "no"),
    ),
    (
        "how often can I convert?",
        "How often you can convert",
        ("every paycheck", None, "not stated"),
    ),
    (
        "how frequently are we able to do conversions to Roth?",
        "In-plan Roth conversion of after-tax money",
        ("yes", "no", "not stated"),
    ),
    (
        "what's our match?",
        "Employer match",
        (
            "100% of the first 4% of pay",
            "50% of the first 6% of pay",
            "100% of the first 3% of pay and 50% of the next 2% of pay",
        ),
    ),
    (
        "how much does the company match here?",
        "Employer match",
        (
            "100% of the first 4% of pay",
            "50% of the first 6% of pay",
            "100% of the first 3% of pay and 50% of the next 2% of pay",
        ),
    ),
    ("do we get a true-up?", "Year-end true-up of the match", ("yes", "no", "not stated")),
    (
        "is there a year end true up on the 401k match?",
        "Year-end true-up of the match",
        ("yes", "no", "not stated"),
    ),
    # The seed article's five questions for HR, one by one.
    (
        "does our plan take after-tax contributions?",
        "After-tax (non-Roth) contributions",
        ("yes", "yes", "no"),
    ),
    (
        "are in-plan Roth conversions allowed here?",
        "In-plan Roth conversion of after-tax money",
        ("yes", "no", "not stated"),
    ),
    (
        "can I take an in-service withdrawal of my after-tax money?",
        "In-service withdrawal of after-tax money",
        ("yes", "no", "not stated"),
    ),
    (
        "how often can we withdraw after-tax money or convert it?",
        "How often you can withdraw after-tax money",
        ("once a quarter", None, "not stated"),
    ),
    (
        "does our plan keep the earnings separate from the after-tax basis?",
        "After-tax contributions and their earnings kept as a separate account",
        ("yes", "yes", "not stated"),
    ),
    ("does the plan let me make Roth deferrals?", "Roth 401(k) deferrals", ("yes", "yes", "yes")),
    ("are we paid biweekly or monthly?", "Pay frequency", ("biweekly", "semimonthly", "monthly")),
    ("who is our recordkeeper?", "Recordkeeper", ("Fidelity", "Vanguard", "not stated")),
]


@pytest.mark.parametrize(("question", "label", "answers"), PLAN_QUESTIONS)
def test_a_question_about_our_plan_gets_the_plans_answer_first(
    question: str, label: str, answers: tuple[str | None, ...]
) -> None:
    """Each profile's own answer, on the line for the field the question asks about."""
    for name, expected in zip(PROFILES, answers, strict=True):
        reply = ask(name, question)
        assert reply.text.startswith(f"**{profile(name).name}: what the plan says**"), name
        assert fact(reply, label) == expected, (name, reply.text)


@pytest.mark.parametrize(("question", "label", "answers"), PLAN_QUESTIONS)
def test_without_a_profile_plan_questions_get_todays_general_answer(
    question: str, label: str, answers: tuple[str | None, ...]
) -> None:
    """No BOT_PLAN_FILE: no plan section, and no "not stated" made up."""
    reply = ask(None, question)
    assert "what the plan says" not in reply.text
    assert fact(reply, label) is None


@pytest.mark.parametrize("name", PROFILES)
def test_the_plan_answer_carries_the_review_date_and_where_to_ask_then_the_article(
    name: str,
) -> None:
    """The footer says when the profile was reviewed and whom to ask; the article follows."""
    reply = ask(name, "does our plan allow the mega backdoor?")
    plan = profile(name)
    assert plan.reviewed is not None
    assert f"reviewed {plan.reviewed.isoformat()}" in reply.text
    assert plan.ask.text is not None
    assert f"To confirm, ask {'[' if plan.ask.url else ''}{plan.ask.text}" in reply.text
    general = ask(None, "does our plan allow the mega backdoor?")
    assert reply.kind == general.kind == "article"
    assert reply.topic == general.topic
    assert reply.text.endswith(general.text)
    assert reply.sources == general.sources


def test_the_link_to_confirm_is_the_profiles_own() -> None:
    """`ask.url` is shown as a link on the words of `ask.text`."""
    reply = ask(FULL, "can I do after-tax here?")
    assert "[#ask-benefits](https://benefits.example.com/401k)" in reply.text


def test_what_to_ask_hr_is_answered_question_by_question() -> None:
    """The five questions of the seed article, each with this plan's answer."""
    reply = ask(AFTER_TAX_ONLY, "what should I ask HR about the mega backdoor?")
    assert fact(reply, "After-tax (non-Roth) contributions") == "yes"
    assert fact(reply, "In-plan Roth conversion of after-tax money") == "no"
    assert fact(reply, "In-service withdrawal of after-tax money") == "no"
    assert fact(reply, "How often") == "no conversions or in-service withdrawals to time"
    assert fact(reply, "After-tax contributions and their earnings kept as a separate account") == (
        "yes"
    )


@pytest.mark.parametrize(
    "question",
    [
        "what is a mega backdoor roth?",
        "how does a true-up work?",
        "explain in-plan Roth conversions",
        "Roth vs after-tax: what's the difference?",
        "what are the 401k limits for 2026?",
        "can I also make Roth IRA contributions this year?",
        "how does it work when an after-tax contribution is refunded by ACP testing?",
    ],
)
@pytest.mark.parametrize("name", PROFILES)
def test_general_questions_are_answered_as_without_a_profile(name: str, question: str) -> None:
    """A question about the rules in general is not about our plan."""
    assert ask(name, question) == ask(None, question)


@pytest.mark.parametrize(
    "question",
    [
        "does my spouse's plan allow the mega backdoor?",
        "my old employer's plan had a true-up, how did that work?",
        "my wife's 401k takes after-tax money; how often can she convert?",
        "at my previous job, could I have done in-service withdrawals?",
        "do most plans allow after-tax contributions?",
        "my husband earns 150k and maxes out; what's his after-tax room?",
    ],
)
@pytest.mark.parametrize("name", PROFILES)
def test_a_question_about_another_plan_is_never_answered_from_the_profile(
    name: str, question: str
) -> None:
    """Someone else's plan gets exactly the answer it gets with no profile at all."""
    reply = ask(name, question)
    assert reply == ask(None, question)
    assert "what the plan says" not in reply.text


@pytest.mark.parametrize("text", ["plan", "Our plan", "plan summary", "tell me about our plan"])
def test_the_plan_summary_lists_every_field(text: str) -> None:
    """`plan` shows each field of the profile, stated or not."""
    reply = ask(AFTER_TAX_ONLY, text)
    assert reply.title == "Sample Industries Savings Plan: plan summary"
    assert fact(reply, "Mega backdoor Roth") == "no"
    assert fact(reply, "Employer match") == "50% of the first 6% of pay"
    assert fact(reply, "Profit sharing") == "not stated"
    assert fact(reply, "Catch-up contributions at 50 and over") == "not stated"
    assert "reviewed 2025-11-03" in reply.text


def test_the_plan_command_without_a_profile_says_so() -> None:
    """The explicit command says there is no profile instead of guessing."""
    reply = ask(None, "plan", command="plan")
    assert reply.title == "No plan profile"
    assert "No plan profile is set up" in reply.text
    assert reply.disclosure


def test_the_catch_up_line_fills_in_the_years_figure() -> None:
    """ "higher" at ages 60–63 is the limits data's figure for the tax year asked about."""
    assert fact(ask(FULL, "plan"), "Catch-up at ages 60–63") == "the higher amount"
    assert "($11,250 in 2026)" in ask(FULL, "plan").text
    assert "($10,000 in 2025)" not in ask(FULL, "plan", year=2025).text
    assert "($11,250 in 2025)" in ask(FULL, "plan", year=2025).text


def test_does_that_apply_to_our_plan_has_an_answer_for_the_topic_just_discussed() -> None:
    """`plan_answer(topic, …)` is the plan's part for an article topic."""
    vocabulary = load_vocabulary()
    section = plan_answer("in-plan-conversion", profile(FULL), vocabulary)
    assert section is not None
    lines = section.to_markdown()
    assert "- In-plan Roth conversion of after-tax money: **yes** (automatic)" in lines
    assert "- How often you can convert: **every paycheck**" in lines
    assert "reviewed 2026-01-15" in lines
    assert plan_answer("in-plan-conversion", None, vocabulary) is None
    assert plan_answer("five-year-rule", profile(FULL), vocabulary) is None


def test_does_that_apply_to_our_plan_alone_gets_the_summary() -> None:
    """With no topic to go on, the follow-up gets the whole plan."""
    reply = ask(NO_AFTER_TAX, "does that apply to our plan?")
    assert reply.title == "Demo LLC 401(k): plan summary"
    assert fact(reply, "After-tax (non-Roth) contributions") == "no"


def test_every_article_the_vocabulary_names_exists() -> None:
    """A plan answer is always followed by a real article."""
    assert load_vocabulary().articles() <= set(load_articles())


@pytest.mark.parametrize(
    "follow_up", ["does that apply to our plan?", "is that the case here?", "same for our plan?"]
)
def test_a_follow_up_after_an_article_gets_the_plans_facts_on_that_topic(follow_up: str) -> None:
    """The hook a conversation calls with the last article topic it answered."""
    from bot.normalize import to_tokens
    from bot.plans.hook import PlanHook
    from calc.limits import load_limits

    hook = PlanHook.of(profile(AFTER_TAX_ONLY))
    assert hook is not None
    limits = load_limits().get(2026)
    section = hook.follow_up(to_tokens(follow_up), "in-service-withdrawal", limits)
    assert section is not None
    assert "- In-service withdrawal of after-tax money: **no**" in section.to_markdown()
    assert hook.follow_up(to_tokens(follow_up), None, limits) is None
    assert (
        hook.follow_up(to_tokens("what is the pro rata rule?"), "mega-backdoor-roth", limits)
        is None
    )

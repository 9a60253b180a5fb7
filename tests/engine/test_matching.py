"""Normalisation and intent matching."""

from __future__ import annotations

import pytest

from bot.matching import Matcher, TopicText, decide, stem
from bot.normalize import normalize, strip_markup


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("<@U024BE7LH> hi", "hi"),
        ("see <#C024BE7LR|general>", "see"),
        ("read <https://irs.gov/x|the IRS page>", "read the IRS page"),
        ("read <https://irs.gov/x>", "read"),
        ("*bold* and **bolder** and _it_ and ~gone~", "bold and bolder and it and gone"),
        ("`code` and ```py\ndeferrals=1\n```", "code and deferrals=1"),
        ("<!here> <!channel> @everyone ask", "ask"),
        ("<@!1234> <@&999> <:pepe:123> hello", "hello"),
        ("&lt;not a tag&gt; &amp; more", "<not a tag> & more"),
        ("tab\there\x00and\u200bthere", "tab here and there"),
    ],
)
def test_strip_markup(raw, clean):
    assert strip_markup(raw) == clean


@pytest.mark.parametrize(
    "spellings",
    [
        ["401k", "401(k)", "401-k", "401 k", "four-oh-one-k", "401Ks"],
        ["after-tax", "after tax", "aftertax", "post-tax", "non-roth", "NRAT", "ATAC"],
        ["mega backdoor roth", "MBR", "MBDR", "megabackdoor roth", "mega back-door Roth"],
        ["backdoor roth", "BDR", "back door roth"],
        ["in-plan conversion", "IPRC", "in plan roth rollover", "in-plan roth conversion"],
        ["415(c)", "415c", "section 415(c)", "annual additions"],
        ["402(g)", "402g"],
        ["414(v)", "414v"],
        ["HCE", "highly compensated employee", "HCEs"],
        ["RMD", "required minimum distribution", "RMDs"],
        ["1099-R", "1099r", "Form 1099-R"],
        ["catch up", "catchup", "catch-up", "catch-ups"],
        ["contibution", "contribution", "contributions"],
        ["withdrawl", "withdrawal"],
    ],
)
def test_jargon_has_one_spelling(spellings):
    """Every way people write a term normalises to the same words."""
    forms = {normalize(s).replace("limit", "").strip() for s in spellings}
    assert len(forms) == 1, forms


def test_amounts_and_years_do_not_count_as_words():
    """Amounts and dates choose figures, not topics; the ages rules turn on are kept."""
    assert normalize("limit for 2026 at $24,500 or 24.5k") == "limit for at or"
    assert normalize("will my catch up be roth next year") == "will my catchup be roth"
    assert normalize("ages 60 to 63, like im 5") == "ages 60 to 63 like im"


def test_stem_joins_word_forms():
    assert stem("rules") == stem("rule")
    assert stem("converting") == stem("convert")
    assert stem("limits") == stem("limit")


TOPICS = [
    TopicText("fruit", "Apples and pears", ("how do apples grow", "pear orchard care")),
    TopicText("roth", "Roth 401(k)", ("what is a roth 401k", "roth 401k withdrawals")),
    TopicText("limits", "Contribution limits", ("401k contribution limit", "max 401k amount")),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(TOPICS)


def test_best_topic_first(matcher):
    ranked = matcher.rank(matcher.prepare("what is the roth 401(k)?"))
    assert ranked[0].topic == "roth"
    assert ranked[0].score > ranked[1].score


def test_typos_are_corrected_against_the_vocabulary(matcher):
    """rapidfuzz maps a misspelt word to the nearest word the topics use."""
    query = matcher.prepare("contributon limmit 401k")
    assert matcher.rank(query)[0].topic == "limits"
    assert "withdrawal" in matcher.prepare("roth withdrawls").words


def test_run_together_words_are_split(matcher):
    assert {"pear", "orchard"} <= set(matcher.prepare("pearorchard").words)


def test_off_topic_word_falls_back(matcher):
    """A question naming something out of scope falls back however well the rest matches."""
    query = matcher.prepare("HSA contribution limit")
    decision = decide(query, matcher.rank(query))
    assert decision.kind == "fallback"
    assert decision.reason == "off-topic: hsa"


def test_no_anchor_needs_a_close_match(matcher):
    """A question with no 401(k) word is answered only when it is close to an example."""
    query = matcher.prepare("how do apples grow")
    assert decide(query, matcher.rank(query)).kind == "answer"
    loose = matcher.prepare("apples")
    assert decide(loose, matcher.rank(loose)).kind == "fallback"


def test_gibberish_falls_back(matcher):
    query = matcher.prepare("qwerty asdf")
    assert decide(query, matcher.rank(query)).kind == "fallback"

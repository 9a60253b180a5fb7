"""Plan answers as Markdown and Replies: the plan's facts, its review date, where to ask."""

from __future__ import annotations

from dataclasses import dataclass

from bot.plans.facts import SUMMARY, Fact, facts_of
from bot.plans.profile import PlanProfile
from bot.plans.vocabulary import Vocabulary
from bot.reply import Reply
from calc.limits import YearLimits

SUMMARY_TOPIC = "plan-questions"
SUMMARY_SUGGESTIONS = ["mega-backdoor-roth", "after-tax-room", "employer-match"]
NO_PROFILE = (
    "No plan profile is set up for this bot, so it can't say what your plan allows. "
    "Ask `how can I tell if my plan allows the mega backdoor?` for what to ask HR or "
    "the recordkeeper."
)


@dataclass(frozen=True)
class PlanSection:
    """The plan's answer to one question: a heading, one line per fact, and a footer."""

    heading: str
    facts: tuple[Fact, ...]
    footer: str

    def to_markdown(self) -> str:
        lines = [f"**{self.heading}**", *(f.to_markdown() for f in self.facts), self.footer]
        return "\n".join(lines)


def where_to_ask(profile: PlanProfile) -> str:
    """The footer of every plan answer: when the profile was reviewed, and whom to ask."""
    reviewed = (
        f"From the plan profile reviewed {profile.reviewed.isoformat()}."
        if profile.reviewed
        else "From the plan profile (no review date given)."
    )
    ask = profile.ask
    label = ask.text or "the benefits page"
    if ask.url is not None:
        where = f"[{label}]({ask.url})"
    elif ask.text:
        where = ask.text
    else:
        where = "HR or the recordkeeper"
    return f"_{reviewed} To confirm, ask {where}._"


def plan_section(
    profile: PlanProfile, facts: tuple[str, ...], limits: YearLimits | None = None
) -> PlanSection:
    """The plan's answer for fact ids `facts` (see bot/plans/facts.py)."""
    return PlanSection(
        heading=f"{profile.title}: what the plan says",
        facts=tuple(facts_of(profile, facts, limits)),
        footer=where_to_ask(profile),
    )


def plan_answer(
    topic: str,
    profile: PlanProfile | None,
    vocabulary: Vocabulary,
    limits: YearLimits | None = None,
) -> PlanSection | None:
    """What our plan says about article `topic`, for "does that apply to our plan?".

    None without a profile, or when the plan profile has nothing on that topic.
    """
    if profile is None:
        return None
    query = vocabulary.for_article(topic)
    if query is None:
        return None
    return plan_section(profile, query.facts, limits)


def summary_text(profile: PlanProfile, limits: YearLimits | None = None) -> str:
    """Every fact of the profile, one line each, with the review date and where to ask."""
    return plan_section(profile, SUMMARY, limits).to_markdown()


def summary_reply(profile: PlanProfile | None, disclosure: str, limits: YearLimits) -> Reply:
    """The reply to `plan`: the summary, or that no profile is set up."""
    text = summary_text(profile, limits) if profile else NO_PROFILE
    return Reply(
        kind="article",
        topic=SUMMARY_TOPIC,
        title=f"{profile.title}: plan summary" if profile else "No plan profile",
        text=text,
        disclosure=disclosure,
        tax_year=limits.year,
        suggestions=list(SUMMARY_SUGGESTIONS),
    )


def with_section(reply: Reply, section: PlanSection) -> Reply:
    """`reply` (a general article) with the plan's answer first."""
    from dataclasses import replace

    return replace(reply, text=section.to_markdown() + "\n\n" + reply.text)

"""The answer engine: a Question in, a Reply out; pure and synchronous.

The steps: strip markup → read the numbers → route to a calculator when the question
asks for one and has its numbers → otherwise match a knowledge article → otherwise
fall back. Every reply carries the disclosure and the tax year whose figures it uses.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from bot.calculate import Inputs, MissingInput, run
from bot.disclosure import DEFAULT_DISCLOSURE
from bot.knowledge import (
    CATALOG,
    Article,
    KnowledgeError,
    RenderedArticle,
    article_reply,
    load_articles,
    render_article,
)
from bot.matching import Candidate, Decision, Matcher, TopicText, decide
from bot.normalize import clean_tokens, strip_markup
from bot.numbers import Numbers, merge, read_numbers
from bot.replies import RELATED, calculation_reply
from bot.reply import Question, Reply
from bot.routing import is_positional, route
from calc.errors import CalcError
from calc.limits import LimitsTable, YearChoice, YearLimits, load_limits
from calc.money import ACCEPTED, format_money, to_cents

if TYPE_CHECKING:
    from bot.plans.hook import PlanHook
    from bot.plans.profile import PlanProfile
    from bot.plans.vocabulary import PlanQuery

MAX_CHARS = 4000
HUNDRED = Decimal(100)
NEEDED = {
    "deferrals": "your deferrals for the year (pre-tax + Roth)",
    "employer": "your employer's contributions for the year",
    "salary": "your salary",
    "match formula": "the match formula",
}
# "NaN", "inf", "-Infinity": what a float prints for amounts that are not numbers.
NON_FINITE = re.compile(r"(?<![\w.$])[-+]?(?:nan|inf(?:inity)?)(?![\w.])", re.IGNORECASE)
COMMAND_WORD = re.compile(r"^\s*/?(aftertaxroom|after-tax-room)\b[:\s]*", re.IGNORECASE)
FALLBACK_TOPICS = ("help", "contribution-limits", "roth-vs-after-tax")
SCOPE = (
    "This bot covers 401(k) contribution topics: Roth vs after-tax (non-Roth) money, "
    "after-tax room under the annual additions limit, the mega backdoor Roth, limits, "
    "catch-ups, matches and the Roth rules around them."
)
LOGGER = logging.getLogger("401k-bot.engine")


def topic_texts(articles: Mapping[str, Article]) -> list[TopicText]:
    """What the matcher learns from each article's front matter."""
    return [
        TopicText(a.id, a.front.title, tuple(a.front.questions), tuple(a.front.keywords))
        for a in articles.values()
    ]


@dataclass
class Engine:
    """Answers questions from the knowledge articles and the calculators.

    `articles` defaults to the built-in ones. `default_year` overrides the current year
    (BOT_TAX_YEAR); `today` comes with each question or from the caller, never from a
    clock read here.
    """

    limits: LimitsTable
    articles: Mapping[str, Article] | None = None
    disclosure: str = DEFAULT_DISCLOSURE
    default_year: int | None = None
    plan: PlanProfile | None = None
    matcher: Matcher = field(init=False, repr=False)
    _articles: dict[str, Article] = field(init=False, repr=False)
    _rendered: dict[tuple[str, int], RenderedArticle] = field(init=False, repr=False)
    _own_scope: frozenset[str] = field(init=False, repr=False)
    _plan: PlanHook | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._articles = dict(self.articles if self.articles is not None else load_articles())
        self.matcher = Matcher(topic_texts(self._articles))
        self._own_scope = frozenset(
            topic for topic, a in self._articles.items() if a.is_override and topic not in CATALOG
        )
        self._rendered = {}
        self._plan = None
        if self.plan is not None:  # the plan modules load only for a bot with a profile
            from bot.plans.hook import PlanHook

            self._plan = PlanHook.of(self.plan)

    def choose_year(self, question: Question, asked: int | None = None) -> YearChoice:
        """The tax year to use: the question's, the asked-for, BOT_TAX_YEAR, or today's.

        A year with no figures gets the nearest known year and a note saying so.
        """
        today = question.today or dt.date(self.limits.latest.year, 1, 1)
        year = question.year or asked or self.default_year
        return self.limits.nearest(today.year if year is None else year)

    def answer(self, question: Question) -> Reply:
        """The reply to one question; never raises for any text."""
        try:
            return self._answer(question)
        except Exception as exc:  # a reply must always go out; the error is logged
            LOGGER.warning(
                "answer failed: %s", type(exc).__name__, exc_info=LOGGER.isEnabledFor(logging.DEBUG)
            )
            choice = self.choose_year(Question(text="", today=question.today))
            return self._fallback(choice, (), "Something went wrong with that question. ")

    def _answer(self, question: Question) -> Reply:
        named = self._named_article(question)
        if named is not None:
            return named
        if question.command == "plan":
            from bot.plans.answers import summary_reply

            return summary_reply(self.plan, self.disclosure, self.choose_year(question).limits)
        text = question.text or ""
        notes: list[str] = []
        if len(text) > MAX_CHARS:
            text = text[:MAX_CHARS]
            notes.append(
                f"Your message was long; this answer is from its first {MAX_CHARS:,} characters."
            )
        clean = strip_markup(text)
        command = (question.command or "").strip().lstrip("/").lower() or None
        if command in (None, "aftertaxroom") and COMMAND_WORD.match(clean):
            command = "aftertaxroom"
            clean = COMMAND_WORD.sub("", clean, count=1)
        numbers = read_numbers(clean, positional=command == "aftertaxroom")
        tokens = clean_tokens(clean)
        if command is None and is_positional(tokens, numbers):
            numbers = read_numbers(clean, positional=True)
        numbers = merge(numbers, question.args)
        choice = self.choose_year(question, self._asked_year(numbers, question))
        if choice.note:
            notes.insert(0, choice.note)
        plan = self._plan if self._plan is not None and self._plan.applies(tokens) else None
        calculator = route(tokens, clean, numbers, command)
        if calculator is None and plan is not None:
            calculator = plan.route(tokens, clean, numbers, command)
        if calculator is not None:
            numbers = with_non_finite(numbers, clean)
            return self._calculate(calculator, numbers, choice, notes, plan)
        query = self.matcher.prepare_tokens(tokens + clean_tokens(self._figure_words(numbers)))
        decision = decide(query, self.matcher.rank(query), self._own_scope)
        asked = plan.read(tokens) if plan is not None else None
        if plan is not None and asked is not None:
            matched = decision.candidates[0].topic if decision.kind == "answer" else None
            return self._plan_reply(plan, asked, choice, notes, matched)
        if decision.kind == "answer":
            return self._article(decision.candidates[0], choice, notes)
        if decision.kind == "clarify":
            return self._choose_topic(decision, choice)
        return self._fallback(choice, decision.candidates)

    def _named_article(self, question: Question) -> Reply | None:
        """The article an explicit `topic` option names (a topic button, a picked topic).

        It is answered for the question's tax year, whatever the text says; a topic
        with no article leaves the question to be answered from its text.
        """
        topic = str(question.args.get("topic", "")).strip()
        if topic not in self._articles:
            return None
        choice = self.choose_year(question)
        notes = [choice.note] if choice.note else []
        return self._article(Candidate(topic, 1.0), choice, notes)

    def _asked_year(self, numbers: Numbers, question: Question) -> int | None:
        if numbers.year is not None:
            return numbers.year
        if numbers.year_offset is not None:
            today = question.today or dt.date(self.limits.latest.year, 1, 1)
            return (self.default_year or today.year) + numbers.year_offset
        return None

    def _figure_words(self, numbers: Numbers) -> str:
        """Known IRS figures named in the question, as the limit they are ("$72,000" → 415(c))."""
        words = []
        for amount in numbers.unassigned:
            for year in self.limits.years:
                limits = self.limits.get(year)
                if amount == limits.annual_additions:
                    words.append("annual additions limit")
                elif amount == limits.elective_deferral:
                    words.append("402(g) limit")
        return " " + " ".join(dict.fromkeys(words)) if words else ""

    def _calculate(
        self,
        topic: str,
        numbers: Numbers,
        choice: YearChoice,
        notes: list[str],
        plan: PlanHook | None = None,
    ) -> Reply:
        if numbers.problems:
            return self._clarify_numbers(topic, choice, list(numbers.problems))
        inputs, derived = to_inputs(numbers, choice.limits)
        assumed: list[str] = []
        if plan is not None:
            inputs, assumed = plan.inputs(topic, inputs, choice.limits)
        try:
            calc = run(topic, inputs, choice)
        except MissingInput as missing:
            return self._clarify_numbers(topic, choice, [str(missing)], missing.needed)
        except CalcError as exc:
            return self._clarify_numbers(topic, choice, [f"{exc}."])
        if derived:
            calc = replace(calc, steps=derived + calc.steps)
        if plan is not None:
            calc = plan.calculation(calc, inputs, choice.limits, assumed)
        reply = calculation_reply(calc, self.disclosure)
        if plan is not None:
            reply = replace(reply, suggestions=plan.suggestions(calc, reply.suggestions))
        extra = [n for n in notes if n not in calc.notes]
        if extra:
            reply = replace(reply, text=reply.text + "\n\n" + "\n".join(f"_{n}_" for n in extra))
        return reply

    def _plan_reply(
        self,
        plan: PlanHook,
        query: PlanQuery,
        choice: YearChoice,
        notes: list[str],
        matched: str | None,
    ) -> Reply:
        """The plan's answer first, then the general article for the why: the one the
        question matches, else the one the vocabulary names for the topic."""
        from bot.plans.answers import summary_reply, with_section

        if query.summary:
            return summary_reply(plan.profile, self.disclosure, choice.limits)
        section = plan.section(query, choice.limits)
        article = matched or query.article
        if article is not None and article in self._articles:
            return with_section(self._article(Candidate(article, 1.0), choice, notes), section)
        plain = summary_reply(plan.profile, self.disclosure, choice.limits)
        return replace(plain, title=section.heading, text=section.to_markdown())

    def _clarify_numbers(
        self, topic: str, choice: YearChoice, messages: list[str], needed: list[str] | None = None
    ) -> Reply:
        title = "A number is missing" if needed else "Please check the numbers"
        text = "\n".join(messages)
        if needed:
            names = ", ".join(NEEDED.get(name, name) for name in needed)
            text = f"Missing: {names}.\n\n{text}"
        related = [t for t in (topic, *RELATED.get(topic, ())) if t in self._articles]
        related = list(dict.fromkeys(related))[:3]
        return Reply(
            kind="clarify",
            topic=topic,
            title=title,
            text=text,
            disclosure=self.disclosure,
            tax_year=choice.year,
            sources=[str(choice.limits.source.url)],
            suggestions=related,
            confidence=1.0,
        )

    def _article(self, best: Candidate, choice: YearChoice, notes: list[str]) -> Reply:
        try:
            rendered = self._render(best.topic, choice)
        except KnowledgeError:
            LOGGER.warning("article %s could not be rendered", best.topic)
            return self._fallback(choice, (best,))
        reply = article_reply(rendered, self.disclosure)
        text = reply.text
        if notes:
            text = "\n".join(f"_{n}_" for n in notes) + "\n\n" + text
        return replace(reply, text=text, confidence=best.score)

    def _render(self, topic: str, choice: YearChoice) -> RenderedArticle:
        """An article for a year, rendered once and then reused (articles never change)."""
        key = (topic, choice.year)
        if key not in self._rendered:
            self._rendered[key] = render_article(self._articles[topic], choice.limits)
        return self._rendered[key]

    def _title(self, topic: str, choice: YearChoice) -> str:
        try:
            return self._render(topic, choice).title
        except (KeyError, KnowledgeError):
            return topic

    def _choose_topic(self, decision: Decision, choice: YearChoice) -> Reply:
        first, second = decision.candidates[0], decision.candidates[1]
        return Reply(
            kind="clarify",
            topic=first.topic,
            title="Which of these did you mean?",
            text=(
                "Your question could be about either of these:\n"
                f"- **{self._title(first.topic, choice)}** (`{first.topic}`)\n"
                f"- **{self._title(second.topic, choice)}** (`{second.topic}`)\n\n"
                "Pick one, or ask again with a little more detail."
            ),
            disclosure=self.disclosure,
            tax_year=choice.year,
            suggestions=[first.topic, second.topic],
            confidence=decision.confidence,
        )

    def _fallback(
        self, choice: YearChoice, near: tuple[Candidate, ...] | list[Candidate], lead: str = ""
    ) -> Reply:
        nearest = [c.topic for c in near if c.score > 0 and c.topic in self._articles][:3]
        for topic in FALLBACK_TOPICS:
            if len(nearest) >= 3:
                break
            if topic in self._articles and topic not in nearest:
                nearest.append(topic)
        lines = [f"{lead}{SCOPE} I can't answer that question, so I won't guess."]
        if nearest:
            lines += ["", "Topics I do cover that may help:"]
            lines += [f"- {self._title(t, choice)} (`{t}`)" for t in nearest]
        lines += ["", "Ask `help` to see what I can do."]
        return Reply(
            kind="fallback",
            topic=None,
            title="Not something I cover",
            text="\n".join(lines),
            disclosure=self.disclosure,
            tax_year=choice.year,
            suggestions=nearest,
            confidence=near[0].score if near else 0.0,
        )


def with_non_finite(numbers: Numbers, text: str) -> Numbers:
    """`numbers` with a problem for each NaN or infinity written where amounts go."""
    found = dict.fromkeys(match.group(0) for match in NON_FINITE.finditer(text))
    if not found:
        return numbers
    problems = tuple(f"'{word}' is not a finite amount; use {ACCEPTED}." for word in found)
    return replace(numbers, problems=numbers.problems + problems)


def to_inputs(numbers: Numbers, limits: YearLimits) -> tuple[Inputs, list[str]]:
    """The calculators' inputs from what a message said, and the steps that derived them.

    Percentages of pay become dollars on pay up to the compensation limit.
    """
    steps: list[str] = []
    deferrals = numbers.deferrals
    employer = numbers.employer
    pay = numbers.salary
    if pay is not None:
        counted = min(pay, limits.compensation_limit)
        if deferrals is None and numbers.deferral_percent is not None:
            deferrals = to_cents(counted * numbers.deferral_percent / HUNDRED)
            steps.append(
                f"Deferrals: {numbers.deferral_percent.normalize():f}% of "
                f"{format_money(counted)} = {format_money(deferrals)}"
            )
        if employer is None and numbers.employer_percent is not None:
            employer = to_cents(counted * numbers.employer_percent / HUNDRED)
            steps.append(
                f"Employer contributions: {numbers.employer_percent.normalize():f}% of "
                f"{format_money(counted)} = {format_money(employer)}"
            )
    inputs = Inputs(
        deferrals=deferrals,
        max_deferrals=numbers.max_deferrals and deferrals is None,
        employer=employer,
        profit_sharing=numbers.profit_sharing,
        salary=numbers.salary,
        formula=numbers.formula,
        age=numbers.age,
        after_tax_so_far=numbers.after_tax_so_far,
        deferred_so_far=numbers.deferred_so_far,
        frequency=numbers.frequency,
        paychecks_left=numbers.paychecks_left,
    )
    return inputs, steps


def default_engine(
    disclosure: str = DEFAULT_DISCLOSURE,
    default_year: int | None = None,
    knowledge_dir: Path | None = None,
    plan: PlanProfile | None = None,
) -> Engine:
    """An engine over the built-in data, plus a company's articles from `knowledge_dir`."""
    return Engine(
        limits=load_limits(),
        articles=load_articles(knowledge_dir),
        disclosure=disclosure,
        default_year=default_year,
        plan=plan,
    )

"""What the engine asks of a plan profile, in one place: routing, defaults, answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.numbers import Numbers
from bot.plans.answers import PlanSection, plan_answer, plan_section
from bot.plans.calculators import suggestions_for, with_plan_defaults, with_plan_room
from bot.plans.profile import PlanProfile
from bot.plans.vocabulary import PlanQuery, Vocabulary, load_vocabulary
from bot.routing import route
from calc.limits import YearLimits
from calc.results import Calculation


@dataclass(frozen=True)
class PlanHook:
    """A plan profile with the vocabulary that tells which questions are about it."""

    profile: PlanProfile
    vocabulary: Vocabulary

    @classmethod
    def of(cls, profile: PlanProfile | None) -> PlanHook | None:
        return None if profile is None else cls(profile, load_vocabulary())

    def applies(self, tokens: Sequence[str]) -> bool:
        """Whether the plan may be used for this question: not one about another plan."""
        return not self.vocabulary.is_other_plan(tokens)

    def route(
        self, tokens: Sequence[str], text: str, numbers: Numbers, command: str | None
    ) -> str | None:
        """A calculator the plan's match formula or pay frequency completes, when asked for."""
        filled = numbers
        if (
            self.profile.match.formula
            and numbers.salary is not None
            and numbers.employer is None
            and numbers.employer_percent is None
            and numbers.formula is None
        ):
            filled = replace(filled, formula=self.profile.match.parsed)
        if self.profile.pay_frequency and not numbers.has_pay_periods:
            filled = replace(filled, frequency=self.profile.pay_frequency)
        if filled == numbers:
            return None
        topic = route(tokens, text, filled, command)
        if topic is not None and self.vocabulary.wants_calculation(topic, tokens):
            return topic
        return None

    def inputs(self, topic: str, inputs: Numbers, limits: YearLimits) -> tuple[Numbers, list[str]]:
        return with_plan_defaults(topic, inputs, self.profile, limits)

    def calculation(
        self, calc: Calculation, inputs: Numbers, limits: YearLimits, assumed: list[str]
    ) -> Calculation:
        calc = with_plan_room(calc, self.profile, inputs, limits)
        return replace(calc, assumptions=[*assumed, *calc.assumptions])

    def suggestions(self, calc: Calculation, suggestions: list[str]) -> list[str]:
        return suggestions_for(calc, self.profile, suggestions)

    def read(self, tokens: Sequence[str]) -> PlanQuery | None:
        return self.vocabulary.read(tokens)

    def section(self, query: PlanQuery, limits: YearLimits) -> PlanSection:
        return plan_section(self.profile, query.facts, limits)

    def follow_up(
        self, tokens: Sequence[str], last_topic: str | None, limits: YearLimits
    ) -> PlanSection | None:
        """For a conversation: "does that apply to our plan?" after article `last_topic`.

        The plan's facts on that topic, or None when the question is not such a follow-up
        (or the topic has no plan facts): then answer it as a question of its own.
        """
        query = self.read(tokens)
        if query is None or not query.summary or last_topic is None:
            return None
        return plan_answer(last_topic, self.profile, self.vocabulary, limits)

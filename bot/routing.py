"""Which calculator, if any, a message asks for: the calculators as intents, scored in one place.

Each calculator is an intent, like an article (`calculators` in `knowledge/intents.yaml`):
the words that name it, example questions people ask of it, and the weight of each
feature of a message that points to it: its name, a question for one's own figure, how
close the words come to its example questions, and each input the numbers give. A
message's score for a calculator is the sum of the weights of the features it has; the
best calculator scoring at least `ANSWER` answers, and below that an article does. So
"how much can I still put in?" is decided by the same sum with numbers and without them:
without them the words alone seldom reach `ANSWER`, and the engine asks for the numbers
only when the person asks for their own figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.conversation.rules import asks_own_figure
from bot.conversation.vocabulary import contains
from bot.matching import Matcher, TopicText
from bot.numbers import Numbers
from bot.vocabulary import INPUT_FEATURES, CalculatorIntent, Vocabulary, current

# The score at which a calculator answers.
ANSWER = 1.0
# How much a message as close as can be to a calculator's example questions counts,
# against naming it outright.
TEXT_SHARE = 0.5


def is_positional(tokens: Sequence[str], numbers: Numbers) -> bool:
    """Whether bare amounts are the command form's: "after-tax room 24500 10000"."""
    return (
        bool(set(tokens) & current().after_tax)
        and len(numbers.unassigned) == 2
        and not numbers.has_money
        and not numbers.problems
    )


def named_by() -> dict[str, frozenset[str]]:
    """The words that name each calculator in a message (canonical tokens), in the
    intents' order."""
    return {c.id: c.names for c in current().calculators}


_matchers: dict[int, tuple[Vocabulary, Matcher]] = {}


def intent_matcher(vocabulary: Vocabulary) -> Matcher:
    """A matcher over the calculators' example questions, built once per vocabulary."""
    kept = _matchers.get(id(vocabulary))
    if kept is None or kept[0] is not vocabulary:
        matcher = Matcher([TopicText(c.id, "", c.questions, ()) for c in vocabulary.calculators])
        kept = _matchers[id(vocabulary)] = (vocabulary, matcher)
    return kept[1]


def use_intent_matcher(vocabulary: Vocabulary, matcher: Matcher) -> None:
    """Use `matcher`, prepared earlier from `vocabulary`'s intents, for that vocabulary."""
    _matchers[id(vocabulary)] = (vocabulary, matcher)


def inputs_given(numbers: Numbers) -> dict[str, bool]:
    """The input features of a message: which calculator inputs its numbers give, and
    `both`, deferrals beside employer money (`so_far_beside_employer`: what went in so
    far beside it)."""
    deferrals = numbers.deferrals is not None or numbers.max_deferrals
    employer = numbers.employer is not None or numbers.profit_sharing is not None
    return {
        "both": deferrals and employer,
        "so_far_beside_employer": numbers.deferred_so_far is not None and employer,
        "deferrals": numbers.deferrals is not None,
        "deferral_percent": numbers.deferral_percent is not None,
        "max_deferrals": numbers.max_deferrals,
        "employer": employer,
        "after_tax_so_far": numbers.after_tax_so_far is not None,
        "employer_percent": numbers.employer_percent is not None
        or numbers.profit_sharing_percent is not None,
        "formula": numbers.formula is not None,
        "salary": numbers.salary is not None,
        "deferred_so_far": numbers.deferred_so_far is not None,
        "pay_periods": numbers.has_pay_periods,
        "age": numbers.age is not None or numbers.year_end_age is not None,
        "problems": bool(numbers.problems),
    }


def features(
    tokens: Sequence[str], text: str, numbers: Numbers, vocabulary: Vocabulary
) -> dict[str, bool]:
    """The features of a message that every calculator shares (all but being named)."""
    words = set(tokens)
    given = inputs_given(numbers)
    return {
        **given,
        "figure": asks_own_figure(tokens),
        "room": bool(words & vocabulary.room),
        "more": bool(words & vocabulary.more),
        "calculate": bool(vocabulary.calculate.search(text)),
        "meaning": bool(vocabulary.meaning.search(text)),
        "other_plan": names_other_plan(tokens),
        "described": any(given.values())
        and {w for w in words if not w.isdigit()} <= vocabulary.amount_words,
    }


def names_other_plan(tokens: Sequence[str]) -> bool:
    """Whether a message names a plan whose limits the calculators do not work out, or
    an account of another kind (an IRA) and no workplace plan."""
    vocabulary = current()
    if contains(tokens, vocabulary.other_plans):
        return True
    words = set(tokens)
    return bool(words & vocabulary.other_accounts) and not words & vocabulary.workplace_plans


def scores(tokens: Sequence[str], text: str, numbers: Numbers) -> dict[str, float]:
    """Every calculator's score for a message, in the order the intents list them."""
    vocabulary = current()
    return _scores(tokens, features(tokens, text, numbers, vocabulary), vocabulary)


def _scores(
    tokens: Sequence[str], shared: Mapping[str, bool], vocabulary: Vocabulary
) -> dict[str, float]:
    words = set(tokens)
    named = {c.id: bool(words & c.names) for c in vocabulary.calculators}
    # Words alone are no calculation: how close they come to a calculator's questions
    # counts only beside an input.
    inputs = any(shared[name] for name in INPUT_FEATURES)
    similarity = _similarity(tokens, vocabulary) if inputs else {}
    result: dict[str, float] = {}
    for calculator in vocabulary.calculators:
        others = any(v for c, v in named.items() if c != calculator.id)
        close = TEXT_SHARE * similarity.get(calculator.id, 0.0)
        own: dict[str, float] = {
            **{name: float(value) for name, value in shared.items()},
            # Its example questions are a softer way of naming it.
            "named": 1.0 if named[calculator.id] else close,
            "other_named": float(others),
        }
        result[calculator.id] = _score(calculator, own)
    return result


def _score(calculator: CalculatorIntent, values: Mapping[str, float]) -> float:
    return round(sum(w * values.get(f, 0.0) for f, w in calculator.weights.items()), 6)


def _similarity(tokens: Sequence[str], vocabulary: Vocabulary) -> dict[str, float]:
    matcher = intent_matcher(vocabulary)
    query = matcher.prepare_tokens(tokens, correct=False)
    return {c.topic: c.score for c in matcher.rank(query)}


def route(tokens: Sequence[str], text: str, numbers: Numbers, command: str | None) -> str | None:
    """The calculator id for a question, or None when an article should answer it."""
    if command == "aftertaxroom":
        return "after-tax-room"
    vocabulary = current()
    shared = features(tokens, text, numbers, vocabulary)
    if not any(shared[name] for name in INPUT_FEATURES) and not shared["calculate"]:
        return None  # words alone are no calculation: the engine asks for the numbers
    scored = _scores(tokens, shared, vocabulary)
    best = max(scored, key=lambda c: scored[c], default=None)
    if best is None or scored[best] < ANSWER:
        return None
    return best

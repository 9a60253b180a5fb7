"""From what a Discord user sent to a Question: mentions stripped, options checked (pure)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from bot.reply import Question
from calc.errors import CalcError, quoted
from calc.formula import parse_formula
from calc.money import MAX_AMOUNT, format_money
from calc.paycheck import PAY_FREQUENCIES

AMOUNT_MIN = 0
AMOUNT_MAX = int(MAX_AMOUNT)
AGE_MIN = 1
AGE_MAX = 129
MATCH_MAX_LENGTH = 200
QUESTION_MAX_LENGTH = 500
CHOICES_LIMIT = 25
CHOICE_NAME_LIMIT = 100

AMOUNT_OPTIONS = ("deferrals", "employer", "salary")

Option = int | str | None


@dataclass(frozen=True)
class Asker:
    """Who asked, and where: what every Question from Discord carries besides its text."""

    user_id: str
    channel_id: str | None
    is_dm: bool
    in_thread: bool
    today: dt.date

    def ask(
        self,
        text: str,
        command: str | None = None,
        args: Mapping[str, str] | None = None,
        year: int | None = None,
    ) -> Question:
        return Question(
            text=text,
            surface="discord",
            user_id=self.user_id,
            channel_id=self.channel_id,
            is_dm=self.is_dm,
            in_thread=self.in_thread,
            command=command,
            args=dict(args or {}),
            year=year,
            today=self.today,
        )

    def about(self, topic: str) -> Question:
        """A question about one topic by its id: a button click or an autocomplete pick."""
        return self.ask(topic.replace("-", " "), command="401k", args={"topic": topic})


def strip_mention(content: str, bot_id: int, role_id: int | None = None) -> str:
    """The message text without the bot's `<@id>` / `<@!id>` (or its role's `<@&id>`)."""
    text = re.sub(rf"<@!?{bot_id}>", " ", content)
    if role_id is not None:
        text = re.sub(rf"<@&{role_id}>", " ", text)
    return " ".join(text.split())


_LIMITS = re.compile(
    r"(?:what are |show )?(?:me )?(?:the )?(?:(?P<before>\d{4}) )?(?:401\(?k\)? )?"
    r"(?:contribution )?limits(?: (?:for |in )?(?P<after>\d{4}))?\s*\??",
    re.IGNORECASE,
)


def limits_request(text: str) -> tuple[bool, int | None]:
    """Whether `text` only asks for a year's limits ("limits", "2025 limits"), and the year."""
    found = _LIMITS.fullmatch(text.strip())
    if not found:
        return False, None
    year = found["before"] or found["after"]
    return True, int(year) if year else None


def suggest_topics(
    current: str, titles: Mapping[str, str], limit: int = CHOICES_LIMIT
) -> list[tuple[str, str]]:
    """Topics whose title or id contains every word typed so far, as (id, title) pairs.

    Titles that start with the text come first; with nothing typed, every topic is offered.
    """
    words = current.lower().split()
    found = [
        (topic, title)
        for topic, title in titles.items()
        if all(word in f"{title.lower()} {topic}" for word in words)
    ]
    found.sort(key=lambda pair: (not pair[1].lower().startswith(current.strip().lower()), pair[1]))
    return [(topic, _clip(title, CHOICE_NAME_LIMIT)) for topic, title in found[:limit]]


def room_problems(options: Mapping[str, Option], years: Sequence[int]) -> list[str]:
    """What is wrong with `/aftertaxroom` options, each as a sentence a person can act on.

    Discord's client enforces the declared ranges, but an interaction can arrive without
    them (discord.py does not check), so they are checked again here.
    """
    problems: list[str] = []
    for name in AMOUNT_OPTIONS:
        value = options.get(name)
        if value is not None and not _whole_in(value, AMOUNT_MIN, AMOUNT_MAX):
            problems.append(
                f"`{name}` must be a whole-dollar amount from {format_money(Decimal(AMOUNT_MIN))}"
                f" to {format_money(Decimal(AMOUNT_MAX))}{_got(value)}."
            )
    age = options.get("age")
    if age is not None and not _whole_in(age, AGE_MIN, AGE_MAX):
        problems.append(f"`age` must be from {AGE_MIN} to {AGE_MAX}{_got(age)}.")
    year = options.get("year")
    if year is not None and (not isinstance(year, int) or year not in years):
        known = ", ".join(str(y) for y in years)
        problems.append(f"`year` must be one of {known}{_got(year)}.")
    frequency = options.get("pay_frequency")
    if frequency is not None and frequency not in PAY_FREQUENCIES:
        known = ", ".join(PAY_FREQUENCIES)
        problems.append(f"`pay_frequency` must be one of {known}{_got(frequency)}.")
    formula = options.get("match")
    if formula is not None:
        problems += _formula_problems(str(formula), options.get("salary"))
    return problems


def to_args(options: Mapping[str, Option]) -> dict[str, str]:
    """The options that were given, as the strings `Question.args` holds."""
    return {name: str(value).strip() for name, value in options.items() if value is not None}


def _formula_problems(formula: str, salary: Option) -> list[str]:
    if len(formula) > MATCH_MAX_LENGTH:
        return [f"`match` must be at most {MATCH_MAX_LENGTH} characters."]
    try:
        parse_formula(formula)
    except CalcError as exc:
        return [f"`match`: {str(exc).rstrip('.')}."]
    if salary is None:
        return ["`match` needs `salary` too, to work out the match in dollars."]
    return []


def _whole_in(value: Option, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _got(value: Option) -> str:
    """What was given, when it is number-shaped; other text is not repeated back."""
    typed = quoted(str(value))
    return f"; got `{typed[1:-1]}`" if typed is not None else ""


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

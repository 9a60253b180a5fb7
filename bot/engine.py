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

from bot.calculate import Inputs, MissingInput, run
from bot.conversation import EMPTY, ConversationState, Pending, rules
from bot.conversation.vocabulary import SmalltalkKind
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
from bot.matching import Candidate, Decision, Matcher, Query, TopicText, also_about, decide
from bot.normalize import clean_tokens, strip_markup
from bot.numbers import Numbers, merge, read_numbers
from bot.prepared import prepared_matcher
from bot.replies import RELATED, TITLES, calculation_reply
from bot.reply import CALCULATORS, Question, Reply
from bot.routing import is_positional, route
from bot.scope import near_scope_cue
from calc.errors import CalcError
from calc.limits import LimitsTable, YearChoice, YearLimits, load_limits
from calc.money import ACCEPTED, format_money, to_cents

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

# What names each calculator in a message (canonical tokens), for telling a question
# about another calculator from a change to the last one.
NAMES: tuple[tuple[str, frozenset[str]], ...] = (
    ("after-tax-room", frozenset({"aftertax", "megabackdoor", "415c", "aftertaxroom"})),
    ("employer-match", frozenset({"match", "matche", "matching"})),
    ("deferral-room", frozenset({"deferral", "defer", "402g"})),
)
# "How much room do I have left?": the two calculators it could mean, offered as a choice.
ROOM_CHOICE = "room"
ASK = {
    "deferral-room": (
        "To work out your deferral room I need how much you have deferred so far this year "
        "(pre-tax + Roth) and, if you are 50 or older by December 31, your age; for "
        "example: “I'm 52 and I've deferred $10,000 so far”."
    ),
}
# The articles a question for one's own figure may match before the calculator asks
# for the numbers: the calculators' own topics and the limits they work from.
FIGURE_TOPICS = frozenset({*CALCULATORS, "contribution-limits", "catch-up-contributions"})
# A follow-up ("is that taxed?") is read with the last topic weighing this much more, and
# the topics related to it this much.
CONTEXT_SAME = 0.12
CONTEXT_RELATED = 0.06
# The confidence of a follow-up answered from the last topic alone.
CONTEXT_SCORE = 0.5
# Words of titles too common to pick a topic by.
COMMON_TITLE_WORDS = frozenset(
    {"the", "a", "an", "and", "or", "of", "to", "for", "in", "on", "how", "what", "is", "your",
     "you", "it", "its", "vs", "401", "k", "step", "by", "works", "work", "year"}
)  # fmt: skip


@dataclass(frozen=True)
class Reading:
    """What the engine read of one message."""

    clean: str
    tokens: list[str]
    words: list[str]
    numbers: Numbers
    command: str | None
    notes: list[str]
    calculator: str | None


@dataclass(frozen=True)
class Turn:
    """One turn of a conversation: the reply, and the state to keep for the next turn."""

    reply: Reply
    state: ConversationState


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
    clock read here. `index_cache` is a folder where the prepared matcher is kept
    between runs.
    """

    limits: LimitsTable
    articles: Mapping[str, Article] | None = None
    disclosure: str = DEFAULT_DISCLOSURE
    default_year: int | None = None
    index_cache: Path | None = None
    matcher: Matcher = field(init=False, repr=False)
    _articles: dict[str, Article] = field(init=False, repr=False)
    _rendered: dict[tuple[str, int], RenderedArticle] = field(init=False, repr=False)
    _own_scope: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._articles = dict(self.articles if self.articles is not None else load_articles())
        self.matcher = prepared_matcher(topic_texts(self._articles), self.index_cache)
        self._own_scope = frozenset(
            topic for topic, a in self._articles.items() if a.is_override and topic not in CATALOG
        )
        self._rendered = {}

    def choose_year(self, question: Question, asked: int | None = None) -> YearChoice:
        """The tax year to use: the question's, the asked-for, BOT_TAX_YEAR, or today's.

        A year with no figures gets the nearest known year and a note saying so.
        """
        today = question.today or dt.date(self.limits.latest.year, 1, 1)
        year = question.year or asked or self.default_year
        return self.limits.nearest(today.year if year is None else year)

    def answer(self, question: Question) -> Reply:
        """The reply to one question on its own; never raises for any text."""
        return self.converse(question).reply

    def converse(self, question: Question, state: ConversationState | None = None) -> Turn:
        """The reply to the next message of a conversation in `state`, and the new state.

        Nothing is stored here: the caller keeps the state between turns. Never raises.
        """
        before = state if state is not None else EMPTY
        try:
            reply, after = self._converse(question, before)
        except Exception as exc:  # a reply must always go out; the error is logged
            LOGGER.warning(
                "answer failed: %s", type(exc).__name__, exc_info=LOGGER.isEnabledFor(logging.DEBUG)
            )
            choice = self.choose_year(Question(text="", today=question.today))
            reply = self._fallback(choice, (), "Something went wrong with that question. ")
            return Turn(reply, before)
        return Turn(reply, replace(after, turns=before.turns + 1))

    def _converse(
        self, question: Question, state: ConversationState
    ) -> tuple[Reply, ConversationState]:
        named = self._named_article(question)
        if named is not None:
            return named, self._after_article(state, named)
        reading = self._read(question)
        if rules.is_reset(reading.words):
            return self._smalltalk(None, question), EMPTY
        talk = rules.smalltalk_kind(reading.words)
        if talk is not None and not has_slots(reading.numbers):
            return self._smalltalk(talk, question), replace(state, pending=None)
        if state.pending is not None and state.pending.topics:
            topic = rules.picked(reading.words, state.pending.topics, self._topic_words)
            if topic is not None:
                return self._picked(topic, question, reading, state)
        turn = self._calculation_turn(question, reading, state)
        if turn is not None:
            return turn
        return self._article_turn(question, reading, state)

    def _read(self, question: Question) -> Reading:
        """What a message says: its words, its numbers and the calculator it asks for."""
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
        clean = rules.without_old_amounts(clean)
        numbers = read_numbers(clean, positional=command == "aftertaxroom")
        tokens = clean_tokens(clean)
        if command is None and is_positional(tokens, numbers):
            numbers = read_numbers(clean, positional=True)
        numbers = merge(numbers, question.args)
        words = rules.words(clean)
        if rules.employer_gives_nothing(words) and not gives_employer(numbers):
            numbers = replace(numbers, employer=Decimal(0))
        if rules.deferred_nothing(words) and numbers.deferred_so_far is None:
            numbers = replace(numbers, deferred_so_far=Decimal(0))
        calculator = route(tokens, clean, numbers, command)
        return Reading(clean, tokens, words, numbers, command, notes, calculator)

    def _calculation_turn(
        self, question: Question, reading: Reading, state: ConversationState
    ) -> tuple[Reply, ConversationState] | None:
        """A calculation this message asks for, alone or with the conversation's numbers.

        A message that only gives numbers fills or changes the calculation the
        conversation is on; one that names another calculator starts afresh, unless it
        leans on the last answer ("with that match, …"). None: an article answers it.
        """
        numbers = reading.numbers
        given = has_slots(numbers) or bool(numbers.unassigned)
        context = self._calculation_context(state, numbers)
        explicit = reading.calculator or self._own_figure(reading)
        if context is not None:
            if explicit is not None and not self._names(reading, explicit):
                explicit = None  # "per paycheck?" names no calculator: it is about the last one
            if explicit is None:
                explicit = self._asked_for(reading)
        leaning = rules.leans_back(reading.words) or rules.changes(reading.words)
        if explicit is not None:
            target = explicit
            keep = context is not None and (explicit == context or leaning)
        elif context is not None and (given or reading.calculator is not None):
            filling = state.pending is not None and state.pending.calculator == context
            if not filling and not leaning and self._stands_alone(reading):
                return None
            target, keep = context, True
        else:
            return None
        if target == ROOM_CHOICE:
            return self._room_choice(question, reading, state)
        base = state.slots if keep else Numbers()
        merged = merge_turn(base, numbers, target)
        if not has_slots(merged) and target not in (reading.calculator, context):
            return self._ask_inputs(target, question, replace(state, slots=Numbers()))
        return self._run(target, merged, question, reading, state)

    def _calculation_context(self, state: ConversationState, numbers: Numbers) -> str | None:
        """The calculator a message of bare numbers is about, if the conversation has one."""
        if state.pending is not None and state.pending.calculator is not None:
            return state.pending.calculator
        money = gives_money(numbers)
        if state.calculator is not None and (state.last == "calculation" or money):
            return state.calculator
        if money and state.last == "article" and state.topic in CALCULATORS:
            return state.topic  # numbers after the after-tax room or match article
        return None

    def _own_figure(self, reading: Reading) -> str | None:
        """The calculator for "how much … do I have?" asked with no numbers at all."""
        if reading.calculator is not None or gives_inputs(reading.numbers):
            return None
        if not rules.asks_own_figure(reading.words):
            return None
        query = self._query(reading)
        decision = decide(query, self.matcher.rank(query), self._own_scope)
        if decision.kind == "answer" and decision.candidates[0].topic not in FIGURE_TOPICS:
            return None  # "how much can I still put in at the new job?" is about two jobs
        words = set(reading.tokens)
        for calculator, names in NAMES:
            if words & names:
                return calculator
        return ROOM_CHOICE if rules.asks_room(reading.words) else None

    def _asked_for(self, reading: Reading) -> str | None:
        """The calculator a message names and asks a figure of ("how much after-tax room …")."""
        if not (rules.asks_room(reading.words) or rules.asks_own_figure(reading.words)):
            return None
        words = set(reading.tokens)
        return next((name for name, names in NAMES if words & names), None)

    def _names(self, reading: Reading, calculator: str) -> bool:
        words = set(reading.tokens)
        if calculator == ROOM_CHOICE:
            return rules.asks_room(reading.words)
        return any(words & names for name, names in NAMES if name == calculator)

    def _stands_alone(self, reading: Reading) -> bool:
        """Whether the words of the message make a question of their own that an article answers."""
        query = self._query(reading)
        return decide(query, self.matcher.rank(query), self._own_scope).kind == "answer"

    def _run(
        self,
        target: str,
        numbers: Numbers,
        question: Question,
        reading: Reading,
        state: ConversationState,
    ) -> tuple[Reply, ConversationState]:
        choice = self.choose_year(question, self._asked_year(numbers, question))
        notes = ([choice.note] if choice.note else []) + reading.notes
        reply = self._calculate(target, with_non_finite(numbers, reading.clean), choice, notes)
        kept = kept_slots(numbers)
        if reply.kind == "calculation":
            after = replace(
                state,
                slots=kept,
                calculator=target,
                result=reply.result,
                topic=target,
                pending=None,
                last="calculation",
            )
        else:
            after = replace(state, slots=kept, pending=Pending(calculator=target), last="clarify")
        return reply, after

    def _ask_inputs(
        self, target: str, question: Question, state: ConversationState
    ) -> tuple[Reply, ConversationState]:
        """A calculator picked with no numbers yet: ask for them."""
        choice = self.choose_year(question, state.slots.year)
        try:
            run(target, Inputs(), choice)
            needed: list[str] = []
            message = ASK[target]
        except MissingInput as missing:
            needed, message = missing.needed, str(missing)
        except CalcError as exc:
            needed, message = [], f"{exc}."
        reply = self._clarify_numbers(target, choice, [message], needed or None)
        return reply, replace(state, pending=Pending(calculator=target), last="clarify")

    def _room_choice(
        self, question: Question, reading: Reading, state: ConversationState
    ) -> tuple[Reply, ConversationState]:
        """ "How much room do I have left?": after-tax room or deferral room?"""
        choice = self.choose_year(question, self._asked_year(reading.numbers, question))
        options = ("after-tax-room", "deferral-room")
        reply = self._offer(options, choice, confidence=1.0)
        pending = Pending(topics=options, calculator=None, calculate=True)
        return reply, replace(state, pending=pending, last="clarify")

    def _picked(
        self, topic: str, question: Question, reading: Reading, state: ConversationState
    ) -> tuple[Reply, ConversationState]:
        """The answer to a pick among offered topics: the article, or the calculator."""
        pending = state.pending
        if pending is not None and pending.calculate and topic in CALCULATORS:
            if has_slots(state.slots):
                return self._run(topic, state.slots, question, reading, state)
            return self._ask_inputs(topic, question, state)
        choice = self.choose_year(question, self._asked_year(reading.numbers, question))
        notes = [choice.note] if choice.note else []
        reply = self._article(Candidate(topic, 1.0), choice, notes)
        return reply, self._after_article(state, reply)

    def _article_turn(
        self, question: Question, reading: Reading, state: ConversationState
    ) -> tuple[Reply, ConversationState]:
        """An article, a choice of two, or the fallback; a follow-up is read with the last topic."""
        asked = self._asked_year(reading.numbers, question)
        query = self._query(reading)
        previous = state.topic
        follow = previous is not None and rules.leans_back(reading.words)
        if follow and asked is None:
            asked = state.slots.year
        choice = self.choose_year(question, asked)
        notes = ([choice.note] if choice.note else []) + reading.notes
        if follow and query.off_topic is not None and self._near_scope(reading) == query.off_topic:
            # The last topic anchors "how does that work?": a near-scope subject no longer
            # marks the question as off topic, though a subject out of scope still does.
            query = replace(query, off_topic=None)
        if follow and previous is not None:
            ranked = self._with_context(
                self.matcher.rank(query, limit=len(self._articles)), previous
            )
            decision = decide(replace(query, has_anchor=True), ranked, self._own_scope)
            vague = len(query.words) <= 1  # "how does that work?" says nothing new
            if (decision.kind != "answer" or vague) and query.off_topic is None:
                # Nothing else stands out: "how does that work?" is about the last topic.
                topic = previous if previous in self._articles else ranked[0].topic
                decision = Decision("answer", (Candidate(topic, CONTEXT_SCORE),), "follow-up")
        else:
            decision = decide(query, self.matcher.rank(query), self._own_scope)
        if decision.kind == "answer":
            reply = self._article(decision.candidates[0], choice, notes)
            if reply.kind == "article":
                also = [t for t in also_about(decision) if t in self._articles]
                reply = replace(reply, also=also)
                return reply, self._after_article(state, reply)
            return reply, replace(state, pending=None)
        if decision.kind == "clarify":
            reply = self._choose_topic(decision, choice)
            return reply, replace(state, pending=Pending(topics=tuple(reply.suggestions)))
        return self._fallback(choice, decision.candidates), replace(state, pending=None)

    def _near_scope(self, reading: Reading) -> str | None:
        return near_scope_cue(reading.tokens + clean_tokens(self._figure_words(reading.numbers)))

    def _query(self, reading: Reading) -> Query:
        return self.matcher.prepare_tokens(
            reading.tokens + clean_tokens(self._figure_words(reading.numbers))
        )

    def _with_context(self, ranked: list[Candidate], previous: str) -> list[Candidate]:
        """`ranked` with the last topic, and the topics related to it, weighing more."""
        related = set(self._related(previous))
        boosted = []
        for candidate in ranked:
            if candidate.topic == previous:
                bonus = CONTEXT_SAME
            elif candidate.topic in related:
                bonus = CONTEXT_RELATED
            else:
                bonus = 0.0
            boosted.append(replace(candidate, score=min(1.0, candidate.score + bonus)))
        return sorted(boosted, key=lambda c: -c.score)

    def _related(self, topic: str) -> tuple[str, ...]:
        article = self._articles.get(topic)
        if article is not None:
            return tuple(article.front.related)
        return tuple(RELATED.get(topic, ()))

    def _topic_words(self, topic: str) -> set[str]:
        """The words that name a topic when a person picks it: its title's and its id's."""
        title = TITLES.get(topic) or self._title(
            topic, self.limits.nearest(self.limits.latest.year)
        )
        names = set(rules.words(title)) | set(rules.words(topic.replace("-", " ")))
        return names - COMMON_TITLE_WORDS

    def _after_article(self, state: ConversationState, reply: Reply) -> ConversationState:
        return replace(state, topic=reply.topic, pending=None, last="article")

    def _smalltalk(self, kind: SmalltalkKind | None, question: Question) -> Reply:
        choice = self.choose_year(question)
        title, text = rules.smalltalk_line(kind)
        return Reply(
            kind="smalltalk",
            topic=None,
            title=title,
            text=text,
            disclosure=self.disclosure,
            tax_year=choice.year,
            suggestions=["help"] if kind == "greeting" and "help" in self._articles else [],
            confidence=1.0,
        )

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
        self, topic: str, numbers: Numbers, choice: YearChoice, notes: list[str]
    ) -> Reply:
        if numbers.problems:
            return self._clarify_numbers(topic, choice, list(numbers.problems))
        inputs, derived = to_inputs(numbers, choice.limits)
        try:
            calc = run(topic, inputs, choice)
        except MissingInput as missing:
            return self._clarify_numbers(topic, choice, [str(missing)], missing.needed)
        except CalcError as exc:
            return self._clarify_numbers(topic, choice, [f"{exc}."])
        if derived:
            calc = replace(calc, steps=derived + calc.steps)
        reply = calculation_reply(calc, self.disclosure)
        extra = [n for n in notes if n not in calc.notes]
        if extra:
            reply = replace(reply, text=reply.text + "\n\n" + "\n".join(f"_{n}_" for n in extra))
        return reply

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
            candidates=((topic, 1.0),),
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
            return TITLES.get(topic, topic)

    def _choose_topic(self, decision: Decision, choice: YearChoice) -> Reply:
        first, second = decision.candidates[0], decision.candidates[1]
        reply = self._offer((first.topic, second.topic), choice, decision.confidence)
        return replace(reply, candidates=scored(decision.candidates))

    def _offer(self, topics: tuple[str, ...], choice: YearChoice, confidence: float) -> Reply:
        """ "Which of these did you mean?" with `topics` as the numbered choices."""
        lines = [
            f"{number}. **{self._title(topic, choice)}** (`{topic}`)"
            for number, topic in enumerate(topics, start=1)
        ]
        return Reply(
            kind="clarify",
            topic=topics[0],
            title="Which of these did you mean?",
            text=(
                "Your question could be about either of these:\n"
                + "\n".join(lines)
                + "\n\nPick one (reply with its number), or ask again with a little more detail."
            ),
            disclosure=self.disclosure,
            tax_year=choice.year,
            suggestions=list(topics),
            confidence=confidence,
            candidates=tuple((topic, confidence) for topic in topics),
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
            candidates=scored(near),
        )


_MONEY = ("deferrals", "employer", "profit_sharing", "salary", "after_tax_so_far",
          "deferred_so_far", "deferral_percent", "employer_percent", "formula")  # fmt: skip
# A new value of one of these replaces what the others said of the same money.
_SAME_MONEY = (
    ("deferrals", "deferral_percent", "max_deferrals"),
    ("employer", "employer_percent", "formula"),
)


def scored(candidates: tuple[Candidate, ...] | list[Candidate]) -> tuple[tuple[str, float], ...]:
    """The first few of `candidates` as (topic, score) pairs, scores to three places."""
    return tuple((c.topic, round(c.score, 3)) for c in candidates[:3])


def has_slots(numbers: Numbers) -> bool:
    """Whether a message gave any calculator input: an amount, age, year or pay period."""
    return any(
        _given(getattr(numbers, f))
        for f in Numbers.__dataclass_fields__
        if f not in ("unassigned", "problems")
    )


def _given(value: object) -> bool:
    return value is not None and value is not False


def gives_inputs(numbers: Numbers) -> bool:
    """Whether a message gave money, an age or pay periods (a year alone is not an input)."""
    return gives_money(numbers) or numbers.age is not None or numbers.has_pay_periods


def gives_money(numbers: Numbers) -> bool:
    """Whether a message gave an amount, a percentage of pay, a formula or "max"."""
    return numbers.max_deferrals or any(getattr(numbers, f) is not None for f in _MONEY)


def gives_employer(numbers: Numbers) -> bool:
    return any(
        getattr(numbers, f) is not None
        for f in ("employer", "employer_percent", "formula", "profit_sharing")
    )


def kept_slots(numbers: Numbers) -> Numbers:
    """What a conversation keeps of `numbers`: the slots, not what could not be used."""
    return replace(numbers, unassigned=(), problems=())


def merge_turn(base: Numbers, new: Numbers, target: str) -> Numbers:
    """The conversation's numbers `base` with what the new message `new` says.

    A new value replaces the old (a correction never adds); a new way of giving the same
    money ("10% of pay" after "$12,000") replaces the old way. An amount with no word
    beside it fills the one input the calculator still lacks, or, for the match, the pay.
    """
    changes: dict[str, object] = {}
    for group in _SAME_MONEY:
        if any(_given(getattr(new, f)) for f in group):
            changes.update({f: (False if f == "max_deferrals" else None) for f in group})
    merged = merge(replace(base, **changes), new)  # type: ignore[arg-type]
    if new.year is not None:
        merged = replace(merged, year_offset=None)
    if target == "after-tax-room" and merged.deferrals is None and not merged.max_deferrals:
        # What has been deferred so far is what the year's deferrals are, as far as known.
        merged = replace(merged, deferrals=merged.deferred_so_far)
    for value in new.unassigned:
        slot = _bare_amount_slot(merged, value, target)
        if slot is not None:
            merged = replace(merged, **{slot: int(value) if slot == "age" else value})  # type: ignore[arg-type]
    return kept_slots(merged) if not new.problems else replace(merged, unassigned=())


def _bare_amount_slot(numbers: Numbers, value: Decimal, target: str) -> str | None:
    if value == value.to_integral_value() and 18 <= value <= 100 and target != "employer-match":
        return "age"  # "and at 55?"
    if value < 1000:
        return None
    if target == "employer-match":
        return "salary"
    if target == "after-tax-room":
        has_deferrals = numbers.deferrals is not None or numbers.max_deferrals
        if has_deferrals and not gives_employer(numbers):
            return "employer"
        if not has_deferrals and gives_employer(numbers):
            return "deferrals"
    if target == "deferral-room" and numbers.deferred_so_far is None:
        return "deferred_so_far"
    return None


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
    profit_sharing = numbers.profit_sharing
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
        if profit_sharing is None and numbers.profit_sharing_percent is not None:
            profit_sharing = to_cents(counted * numbers.profit_sharing_percent / HUNDRED)
            steps.append(
                f"Profit sharing / nonelective: {numbers.profit_sharing_percent.normalize():f}% "
                f"of {format_money(counted)} = {format_money(profit_sharing)}"
            )
    inputs = Inputs(
        deferrals=deferrals,
        max_deferrals=numbers.max_deferrals and deferrals is None,
        employer=employer,
        profit_sharing=profit_sharing,
        salary=numbers.salary,
        formula=numbers.formula,
        true_up=numbers.true_up,
        age=numbers.age,
        year_end_age=numbers.year_end_age,
        age_year=numbers.age_year,
        catch_up=numbers.catch_up,
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
    index_cache: Path | None = None,
    link_hosts: frozenset[str] = frozenset(),
) -> Engine:
    """An engine over the built-in data, plus a company's articles from `knowledge_dir`.

    Article links may go to their sources' hosts and to `link_hosts` (BOT_LINK_HOSTS).
    """
    return Engine(
        limits=load_limits(),
        articles=load_articles(knowledge_dir, link_hosts),
        disclosure=disclosure,
        default_year=default_year,
        index_cache=index_cache,
    )

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
from dataclasses import InitVar, dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from bot.calculate import MissingInput, run
from bot.conversation import EMPTY, ConversationState, Pending, rules
from bot.conversation.vocabulary import SmalltalkKind
from bot.conversation.vocabulary import vocabulary as conversation_vocabulary
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
from bot.numbers import Numbers, builtin_reader, merge, read_numbers
from bot.prepared import prepared_matcher
from bot.replies import RELATED, TITLES, calculation_reply
from bot.reply import CALCULATORS, Question, Reply
from bot.routing import is_positional, named_by, names_other_plan, route, scores
from bot.scope import near_scope_cue, off_topic_cue
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
# An article this sure of a question with numbers answers it instead of a calculator.
RULE_QUESTION = 0.6
# A message too diluted to match as a whole is matched clause by clause (at most this many).
CLAUSE = re.compile(r"[.,;:!?]+\s+|\s+[-–—]+\s+")
MAX_CLAUSES = 6
# A follow-up ("is that taxed?") is read with the last topic weighing this much more, and
# the topics related to it this much.
CONTEXT_SAME = 0.2
CONTEXT_RELATED = 0.2
# The confidence of a follow-up answered from the last topic alone.
CONTEXT_SCORE = 0.5


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
    plan: PlanHook | None = None
    old_amounts: tuple[Decimal, ...] = ()
    # The message's query and its decision on its own, worked out once per message.
    alone: dict[str, object] = field(default_factory=dict, compare=False, repr=False)


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
    between runs; `ready_matcher` is one already prepared for these articles.
    """

    limits: LimitsTable
    articles: Mapping[str, Article] | None = None
    disclosure: str = DEFAULT_DISCLOSURE
    default_year: int | None = None
    index_cache: Path | None = None
    plan: PlanProfile | None = None
    ready_matcher: InitVar[Matcher | None] = None
    matcher: Matcher = field(init=False, repr=False)
    _articles: dict[str, Article] = field(init=False, repr=False)
    _rendered: dict[tuple[str, int], RenderedArticle] = field(init=False, repr=False)
    _own_scope: frozenset[str] = field(init=False, repr=False)
    _plan: PlanHook | None = field(init=False, repr=False)

    def __post_init__(self, ready_matcher: Matcher | None) -> None:
        self._articles = dict(self.articles if self.articles is not None else load_articles())
        if ready_matcher is None:
            ready_matcher = prepared_matcher(topic_texts(self._articles), self.index_cache)
        self.matcher = ready_matcher
        self._own_scope = frozenset(
            topic for topic, a in self._articles.items() if a.is_override and topic not in CATALOG
        )
        self._rendered = {}
        conversation_vocabulary()  # a bad vocabulary file stops start-up, not each answer
        builtin_reader()  # so does a bad number vocabulary
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
        if question.command == "plan":
            from bot.plans.answers import summary_reply

            limits = self.choose_year(question).limits
            return summary_reply(self.plan, self.disclosure, limits), state
        reading = self._read(question)
        if rules.is_reset(reading.words):
            return self._smalltalk(None, question), EMPTY
        talk = rules.smalltalk_kind(reading.words)
        if not reading.words and ("?" in reading.clean or not reading.clean.strip()):
            talk = None  # "???" or nothing at all is no acknowledgement
        if talk is None and "?" not in reading.clean and not has_slots(reading.numbers):
            chatter = rules.chatter_kind(reading.words)
            if chatter is not None and not self._stands_alone(reading):
                talk = chatter  # "heyy just started my first real job lol": a hello
        if talk is not None and not has_slots(reading.numbers):
            return self._smalltalk(talk, question), replace(state, pending=None)
        if state.pending is not None and state.pending.topics:
            topic = rules.picked(reading.words, state.pending.topics, self._topic_words)
            if topic is not None:
                return self._picked(topic, question, reading, state)
            chosen = self._chosen_by_numbers(reading, state)
            if chosen is not None:
                merged = merge_turn(state.slots, reading.numbers, chosen, reading.old_amounts)
                return self._run(chosen, merged, question, reading, state)
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
        clean, old = rules.without_old_amounts(clean)
        clean = rules.without_named_limits(clean)
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
        if rules.defers_nothing(words) and numbers.deferrals is None:
            numbers = replace(numbers, deferrals=Decimal(0), max_deferrals=False)
        numbers = self._without_limit_figures(numbers)
        left = rules.paychecks_left(clean) if numbers.paychecks_left is None else None
        if left is not None:
            bare = tuple(v for v in numbers.unassigned if v != left)
            numbers = replace(numbers, paychecks_left=left, unassigned=bare)
        plan = self._plan if self._plan is not None and self._plan.applies(tokens) else None
        calculator = route(tokens, clean, numbers, command)
        if calculator is None and plan is not None:
            calculator = plan.route(tokens, clean, numbers, command)
        return Reading(clean, tokens, words, numbers, command, notes, calculator, plan, tuple(old))

    def _calculation_turn(
        self, question: Question, reading: Reading, state: ConversationState
    ) -> tuple[Reply, ConversationState] | None:
        """A calculation this message asks for, alone or with the conversation's numbers.

        A message that only gives numbers fills or changes the calculation the
        conversation is on; one that names another calculator starts afresh, unless it
        leans on the last answer ("with that match, …"). None: an article answers it.
        """
        numbers = reading.numbers
        figures = self._limit_figures
        given = has_slots(numbers) or any(v not in figures for v in numbers.unassigned)
        context = self._calculation_context(state, reading)
        if rules.asks_why(reading.words) and reading.calculator is None:
            return None  # "why isn't it 4% of 500k?" asks for the why, not a new sum
        asks = "?" in reading.clean and not rules.asks_own_figure(reading.words)
        if asks and self._rule_question(reading):
            return None  # "do my catch-ups have to be Roth? I made 200k last year"
        explicit = reading.calculator or self._own_figure(reading)
        if context is not None:
            if explicit is not None and not self._names(reading, explicit):
                explicit = None  # "per paycheck?" names no calculator: it is about the last one
            if explicit is None:
                explicit = self._asked_for(reading)
            if self._redoes_room(reading):
                explicit = "after-tax-room"  # "…, redo the after-tax number"
        leaning = (
            rules.leans_back(reading.words)
            or rules.changes(reading.words)
            or rules.corrects(reading.words)
        )
        if (
            explicit is not None
            and context is not None
            and explicit != context
            and (rules.changes(reading.words) or rules.corrects(reading.words))
            and not rules.asks_own_figure(reading.words)
            and not self._redoes_room(reading)
        ):
            # "what if I bump deferrals to 24.5k", "sorry, I'm deferring 24k not 23k": a change
            # or a correction is to the sum in progress
            explicit = None
        if explicit is not None:
            target = explicit
            # "k. and my after-tax room if the employer put in 5k?" goes on with what was said
            keep = (context is not None and explicit == context) or (
                leaning and has_slots(state.slots)
            )
        elif context is not None and (given or reading.calculator is not None):
            filling = state.pending is not None and state.pending.calculator == context
            # "does it have to be Roth? box 3 last year was 140k" asks about a rule: its
            # numbers change no input of the sum.
            asking = "?" in reading.clean and not gives_inputs(numbers)
            if not filling and (not leaning or asking) and self._stands_alone(reading):
                return None
            # "…? made 180k last year": amounts of a past year are no input to this sum.
            past = numbers.year_offset is not None and numbers.year_offset < 0
            if asking and past and not filling and reading.calculator is None:
                return None
            target, keep = context, True
        elif context is None and (alone := self._amounts_alone(reading, state)) is not None:
            target, keep = alone, True  # amounts that say what they are, and no other ask
        else:
            return None
        if target == ROOM_CHOICE:
            return self._room_choice(question, reading, state)
        if keep:
            base = state.slots
        else:
            told = state.slots.year or self.choose_year(question).year
            asked = numbers.year or told
            base = about_the_person(state.slots, same_year=asked == told)
        correcting = rules.corrects(reading.words)
        if keep and rules.adds(reading.words):
            numbers = added_to(base, numbers)
        merged = merge_turn(base, numbers, target, reading.old_amounts, correcting)
        if keep and target == context and kept_slots(merged) == kept_slots(base):
            filling = state.pending is not None and state.pending.calculator == context
            if not filling:
                return None  # nothing new for the sum: "so the catch-up doesn't count?"
        if not has_slots(merged) and target not in (reading.calculator, context):
            return self._ask_inputs(target, question, replace(state, slots=Numbers()))
        return self._run(target, merged, question, reading, state)

    def _amounts_alone(self, reading: Reading, state: ConversationState) -> str | None:
        """The calculator for amounts given with no question an article answers: deferrals
        and employer money ("ok try this: deferrals 24500 employer 10000") are after-tax
        room; what was deferred so far, after the limits or catch-ups, is deferral room.
        Not "…, should I pick Roth?"."""
        numbers = reading.numbers
        deferrals = numbers.deferrals is not None or numbers.max_deferrals
        if deferrals and gives_employer(numbers):
            calculator = "after-tax-room"
        elif numbers.deferred_so_far is not None and state.topic in FIGURE_TOPICS:
            calculator = "deferral-room"
        else:
            return None
        decision = self._decided(reading)
        return calculator if decision.kind != "answer" or "?" not in reading.clean else None

    def _redoes_room(self, reading: Reading) -> bool:
        """ "…, redo the after-tax number": a change that names the after-tax room."""
        names = named_by()["after-tax-room"]
        changing = rules.changes(reading.words) or rules.corrects(reading.words)
        return changing and bool(set(reading.tokens) & names)

    @cached_property
    def _limit_figures(self) -> frozenset[Decimal]:
        """The IRS dollar limits of every year: "the 72k limit" names a limit, not an input."""
        return frozenset(
            figure
            for year in self.limits.years
            for figure in (
                self.limits.get(year).annual_additions,
                self.limits.get(year).elective_deferral,
                self.limits.get(year).compensation_limit,
            )
        )

    @cached_property
    def _annual_additions_limits(self) -> frozenset[Decimal]:
        return frozenset(self.limits.get(year).annual_additions for year in self.limits.years)

    def _without_limit_figures(self, numbers: Numbers) -> Numbers:
        """`numbers` with an annual additions limit read as someone's money put back as a
        figure named ("does the catch-up count against the 72k?"): no one's deferrals or
        employer money is the whole limit."""
        limits = self._annual_additions_limits
        named = {f: getattr(numbers, f) for f in _SLOT_MONEY if getattr(numbers, f) in limits}
        if not named:
            return numbers
        cleared: dict[str, object] = dict.fromkeys(named)
        return replace(numbers, unassigned=(*numbers.unassigned, *named.values()), **cleared)  # type: ignore[arg-type]

    def _calculation_context(self, state: ConversationState, reading: Reading) -> str | None:
        """The calculator a message of bare numbers is about, if the conversation has one."""
        if state.pending is not None and state.pending.calculator is not None:
            return state.pending.calculator
        numbers = reading.numbers
        money = gives_money(numbers)
        # "what's that per paycheck?" after an article in between still means the sum.
        spread = numbers.has_pay_periods and (
            rules.leans_back(reading.words)
            or (state.calculator is not None and self._names(reading, state.calculator))
        )
        if state.calculator is not None and (state.last == "calculation" or money or spread):
            return state.calculator
        if money and state.last == "article" and state.topic in CALCULATORS:
            return state.topic  # numbers after the after-tax room or match article
        return None

    def _own_figure(self, reading: Reading) -> str | None:
        """The calculator for "how much … do I have?" asked with no numbers at all."""
        if reading.calculator is not None or gives_inputs(reading.numbers):
            return None
        if not rules.asks_own_figure(reading.words) or names_other_plan(reading.tokens):
            return None
        decision = self._decided(reading)
        if decision.kind == "answer" and decision.candidates[0].topic not in FIGURE_TOPICS:
            return None  # "how much can I still put in at the new job?" is about two jobs
        words = set(reading.tokens)
        for calculator, names in named_by().items():
            if words & names:
                return calculator
        return ROOM_CHOICE if rules.asks_room(reading.words) else None

    def _asked_for(self, reading: Reading) -> str | None:
        """The calculator a message names and asks a figure of ("how much after-tax room …")."""
        if not (rules.asks_room(reading.words) or rules.asks_own_figure(reading.words)):
            return None
        words = set(reading.tokens)
        return next((name for name, names in named_by().items() if words & names), None)

    def _names(self, reading: Reading, calculator: str) -> bool:
        words = set(reading.tokens)
        if calculator == ROOM_CHOICE:
            return rules.asks_room(reading.words)
        return bool(words & named_by().get(calculator, frozenset()))

    def _rule_question(self, reading: Reading) -> bool:
        """Whether an article other than the calculators' own answers the message with
        confidence: its numbers are then the context of a question about a rule."""
        decision = self._decided(reading)
        return (
            decision.kind == "answer"
            and decision.candidates[0].topic not in FIGURE_TOPICS
            and decision.confidence >= RULE_QUESTION
        )

    def _stands_alone(self, reading: Reading) -> bool:
        """Whether the words of the message make a question of their own that an article answers."""
        return self._decided(reading).kind == "answer"

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
        numbers_read = with_non_finite(numbers, reading.clean)
        reply = self._calculate(target, numbers_read, choice, notes, reading.plan)
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
            run(target, Numbers(), choice)
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

    def _chosen_by_numbers(self, reading: Reading, state: ConversationState) -> str | None:
        """The calculator that numbers answering "after-tax room or deferral room?" are
        for ("about 15k so far" is what was deferred): the offered one they score best."""
        pending = state.pending
        if pending is None or not pending.calculate or not gives_inputs(reading.numbers):
            return None
        offered = [t for t in pending.topics if t in CALCULATORS]
        if not offered:
            return None
        score = scores(reading.tokens, reading.clean, reading.numbers)
        return max(offered, key=lambda t: score.get(t, 0.0))

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
        # What the bot can do is no topic to follow up on.
        previous = state.topic if state.topic != "help" else None
        follow = previous is not None and rules.leans_back(reading.words)
        if follow and asked is None:
            asked = state.slots.year
        choice = self.choose_year(question, asked)
        notes = ([choice.note] if choice.note else []) + reading.notes
        if follow and query.off_topic is not None and self._near_scope(reading) == query.off_topic:
            # The last topic anchors "how does that work?": a near-scope subject no longer
            # marks the question as off topic, though a subject out of scope still does.
            query = replace(query, off_topic=None)
        if follow and query.off_topic is not None and self._rescued(reading, previous):
            query = replace(query, off_topic=None)
        instead = self._instead(previous, reading) if follow else None
        if instead is None and previous is not None and not follow:
            # "what's the workaround?" asks what else to do though it names nothing before:
            # the last topic's alternative, unless the words alone pick another topic.
            alone = self._decided(reading)
            if alone.kind != "answer" or alone.candidates[0].topic == previous:
                instead = self._instead(previous, reading)
        if instead is not None:
            decision = Decision("answer", (Candidate(instead, CONTEXT_SCORE),), "if not")
        elif follow and previous is not None:
            # What the bot can do is never what a follow-up asks about.
            everything = self.matcher.rank(query, limit=len(self._articles))
            topics = [c for c in everything if c.topic != "help"]
            ranked = self._with_context(topics, previous)
            decision = decide(replace(query, has_anchor=True), ranked, self._own_scope)
            # One word that names nothing on its own ("how does that work?") says nothing new;
            # one that does ("so then what, backdoor?") still counts.
            alone = decide(query, topics, self._own_scope)
            vague = len(query.words) <= 1 and alone.kind != "answer"
            if decision.kind != "answer" and alone.kind == "answer":
                decision = alone  # clear on its own though the context blurs it
            elif (decision.kind != "answer" or vague) and query.off_topic is None:
                # Nothing else stands out: "how does that work?" is about the last topic.
                topic = previous if previous in self._articles else topics[0].topic
                decision = Decision("answer", (Candidate(topic, CONTEXT_SCORE),), "follow-up")
        else:
            decision = self._decided(reading)
            if decision.kind == "fallback" and previous is not None and query.off_topic is None:
                # In a conversation, a question too vague to answer alone is read with
                # the topic it is in; it still falls back unless that makes it clear.
                everything = self.matcher.rank(query, limit=len(self._articles))
                ranked = self._with_context(everything, previous)
                in_context = decide(replace(query, has_anchor=True), ranked, self._own_scope)
                if in_context.kind == "answer":
                    decision = in_context
        if reading.plan is not None:
            planned = self._plan_turn(reading.plan, reading, decision, choice, notes, previous)
            if planned is not None:
                return planned, self._after_article(state, planned)
        if decision.kind == "answer":
            reply = self._article(decision.candidates[0], choice, notes)
            if reply.kind == "article":
                also = [t for t in also_about(decision) if t in self._articles]
                reply = replace(reply, also=also)
                after = self._after_article(state, reply, reading)
                if also and reply.topic is not None:
                    # "the mega one" after "Also about: …" picks the topic offered.
                    after = replace(after, pending=Pending(topics=(reply.topic, *also)))
                return reply, after
            return reply, replace(state, pending=None)
        if decision.kind == "clarify":
            reply = self._choose_topic(decision, choice)
            # A follow-up that picks neither ("so which do I fill first?") leans on both.
            pending = Pending(topics=tuple(reply.suggestions))
            slots = self._told(state, reading)
            return reply, replace(state, slots=slots, pending=pending, topic=reply.topic)
        return self._fallback(choice, decision.candidates), replace(
            state, slots=self._told(state, reading), pending=None
        )

    def _plan_turn(
        self,
        plan: PlanHook,
        reading: Reading,
        decision: Decision,
        choice: YearChoice,
        notes: list[str],
        previous: str | None,
    ) -> Reply | None:
        """The plan's answer to a question about our plan, or to "does that apply to our
        plan?" after an article; None when the question is not about the plan."""
        if previous is not None and previous in self._articles:
            section = plan.follow_up(reading.tokens, previous, choice.limits)
            if section is not None:
                from bot.plans.answers import with_section

                return with_section(self._article(Candidate(previous, 1.0), choice, notes), section)
        asked = plan.read(reading.tokens)
        if asked is None:
            return None
        matched = decision.candidates[0].topic if decision.kind == "answer" else None
        return self._plan_reply(plan, asked, choice, notes, matched)

    def _instead(self, previous: str | None, reading: Reading) -> str | None:
        """The article's `if_not` topic, for a follow-up that asks what else to do."""
        article = self._articles.get(previous or "")
        if article is None or article.front.if_not not in self._articles:
            return None
        return article.front.if_not if rules.asks_alternative(reading.words) else None

    def _rescued(self, reading: Reading, previous: str | None) -> bool:
        """Whether the words of the topic in progress bring the message back into scope:
        "my wife has a SEP IRA, problem?" after the pro-rata rule is about the pro-rata
        rule, though a SEP IRA alone is not this bot's subject."""
        if previous is None:
            return False
        latest = self.limits.nearest(self.limits.latest.year)
        topic_words = clean_tokens(self._title(previous, latest))
        return off_topic_cue([*reading.tokens, *topic_words]) is None

    def _near_scope(self, reading: Reading) -> str | None:
        return near_scope_cue(reading.tokens + clean_tokens(self._figure_words(reading.numbers)))

    def _query(self, reading: Reading) -> Query:
        """The message as the matcher reads it (worked out once per message)."""
        if "query" not in reading.alone:
            words = reading.tokens + clean_tokens(self._figure_words(reading.numbers))
            reading.alone["query"] = self.matcher.prepare_tokens(words)
        query = reading.alone["query"]
        assert isinstance(query, Query)
        return query

    def _decided(self, reading: Reading) -> Decision:
        """What the matcher decides of the message on its own (worked out once per message)."""
        if "decision" not in reading.alone:
            query = self._query(reading)
            whole = decide(query, self.matcher.rank(query), self._own_scope)
            if whole.reason == "low score":
                whole = self._by_clause(reading) or whole
            reading.alone["decision"] = whole
        decision = reading.alone["decision"]
        assert isinstance(decision, Decision)
        return decision

    def _by_clause(self, reading: Reading) -> Decision | None:
        """The answer one clause of a chatty message gives when the whole is too diluted to
        ("what even is the mega backdoor roth, keep seeing it everywhere"): each clause
        with a 401(k) term is matched alone, and the surest answer wins. A message with a
        subject out of scope is never rescued so: its other clause is not what it asks."""
        clauses = CLAUSE.split(reading.clean)[:MAX_CLAUSES]
        if len(clauses) < 2:
            return None
        queries = [self.matcher.prepare_tokens(clean_tokens(clause)) for clause in clauses]
        if any(q.off_topic is not None for q in queries):
            return None
        best: Decision | None = None
        for query in queries:
            if not query.has_anchor or len(query.words) < 2:
                continue
            decision = decide(query, self.matcher.rank(query), self._own_scope)
            if decision.kind == "answer" and (
                best is None or decision.confidence > best.confidence
            ):
                best = decision
        return best

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
        return names - rules.common_title_words()

    def _after_article(
        self, state: ConversationState, reply: Reply, reading: Reading | None = None
    ) -> ConversationState:
        """The state after an article: its topic, and what the message said of the person
        ("turning 61 this year, what's the most I can defer?") for a sum that follows."""
        return replace(
            state, slots=self._told(state, reading), topic=reply.topic, pending=None, last="article"
        )

    def _told(self, state: ConversationState, reading: Reading | None) -> Numbers:
        """The conversation's inputs with what a message answered by an article, a clarify
        or a fallback told of them; a question for the reason ("why not 18k? 4% of 450 is
        18") tells nothing: its amounts are the ones it doubts."""
        if reading is None or not has_slots(reading.numbers) or rules.asks_why(reading.words):
            return state.slots
        return kept_slots(merge(state.slots, reading.numbers))

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
# The dollar inputs a message's words can name.
_SLOT_MONEY = ("deferrals", "employer", "after_tax_so_far", "deferred_so_far")
# A new value of one of these replaces what the others said of the same money.
# What was said of the person rather than of one sum: the age (however told), the pay
# and the pay schedule.
_AGE = ("age", "year_end_age", "age_year")
_PERSON = (*_AGE, "salary", "frequency")


_SAME_MONEY = (
    ("deferrals", "deferral_percent", "max_deferrals"),
    ("employer", "employer_percent", "formula"),
    _AGE,
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


def about_the_person(numbers: Numbers, *, same_year: bool = True) -> Numbers:
    """What a conversation keeps for a new sum: what was said of the person, not the
    amounts of the last sum. An age told for one year is not the age of another
    (`same_year` false): "I turn 60 this year" says nothing of last year."""
    kept = _PERSON if same_year else tuple(f for f in _PERSON if f not in _AGE)
    return Numbers(**{f: getattr(numbers, f) for f in kept})


def kept_slots(numbers: Numbers) -> Numbers:
    """What a conversation keeps of `numbers`: the slots, not what could not be used."""
    return replace(numbers, unassigned=(), problems=())


def merge_turn(
    base: Numbers,
    new: Numbers,
    target: str,
    old: tuple[Decimal, ...] = (),
    correcting: bool = False,
) -> Numbers:
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
    elif new.year_offset is not None:
        merged = replace(merged, year=None)  # "same numbers for this year"
    if target == "after-tax-room" and merged.deferrals is None and not merged.max_deferrals:
        # What has been deferred so far is what the year's deferrals are, as far as known.
        merged = replace(merged, deferrals=merged.deferred_so_far)
    for value in new.unassigned:
        if merged.max_deferrals and new.max_deferrals:
            continue  # "max the 401k (24.5k)": the amount is the limit maxed
        slot = _corrected_slot(base, old) or _bare_amount_slot(merged, value, target, correcting)
        if slot == "employer":
            merged = replace(merged, employer_percent=None, formula=None)
        if slot is not None:
            merged = replace(merged, **{slot: int(value) if slot == "age" else value})  # type: ignore[arg-type]
    return kept_slots(merged) if not new.problems else replace(merged, unassigned=())


def added_to(base: Numbers, new: Numbers) -> Numbers:
    """`new` with each employer or deferral amount added to the one `base` holds: "there's
    also a 2k Roth employer contribution" comes on top of the match."""
    sums = {
        f: getattr(base, f) + getattr(new, f)
        for f in ("employer", "profit_sharing", "deferrals", "after_tax_so_far")
        if getattr(new, f) is not None and getattr(base, f) is not None
    }
    return replace(new, **sums) if sums else new


def _only_money_slot(base: Numbers) -> str | None:
    """ "oops, it's actually 17,900": with one amount given so far, that is the one meant."""
    given = [f for f in (*_SLOT_MONEY, "salary") if getattr(base, f) is not None]
    return given[0] if len(given) == 1 else None


def _corrected_slot(base: Numbers, old: tuple[Decimal, ...]) -> str | None:
    """ "I meant 18k, not 15k": the input that held the old amount takes the new one."""
    return next((f for f in _MONEY if old and getattr(base, f) in old), None)


def _bare_amount_slot(
    numbers: Numbers, value: Decimal, target: str, correcting: bool = False
) -> str | None:
    if value == value.to_integral_value() and 18 <= value <= 100 and target != "employer-match":
        return "age"  # "and at 55?"
    if value < 1000:
        return None
    if correcting and (only := _only_money_slot(numbers)) is not None:
        return only
    if target == "employer-match":
        return "salary"
    if target == "after-tax-room":
        has_deferrals = numbers.deferrals is not None or numbers.max_deferrals
        if has_deferrals and not gives_employer(numbers):
            return "employer"
        if not has_deferrals and gives_employer(numbers):
            return "deferrals"
        deferred = numbers.deferrals or Decimal(0)
        if numbers.salary is not None and value >= deferred:
            return "salary"  # "and at 100k?" with both amounts known: the pay
        if numbers.salary is not None and numbers.employer is None:
            # "defer 4.8k and get that 2.4k": less than the deferrals is no one's pay; it is
            # the employer's money, in place of the match worked out from a formula.
            return "employer"
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


def to_inputs(numbers: Numbers, limits: YearLimits) -> tuple[Numbers, list[str]]:
    """The calculators' inputs from what a message said, and the steps that derived them.

    Percentages of pay become dollars on pay up to the compensation limit; every other
    slot is passed on as it was read.
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
    inputs = replace(
        numbers,
        deferrals=deferrals,
        max_deferrals=numbers.max_deferrals and deferrals is None,
        employer=employer,
        profit_sharing=profit_sharing,
    )
    return inputs, steps


def default_engine(
    disclosure: str = DEFAULT_DISCLOSURE,
    default_year: int | None = None,
    knowledge_dir: Path | None = None,
    index_cache: Path | None = None,
    link_hosts: frozenset[str] = frozenset(),
    plan: PlanProfile | None = None,
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
        plan=plan,
    )

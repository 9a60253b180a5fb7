"""The answering service as the Slack adapter uses it: today's date, titles for buttons,
the workspace in the per-user limit, and the apology a failure gets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from bot.cooldown import Cooldown, Verdict
from bot.knowledge import Article, load_articles, render_article
from bot.logs import log_failure
from bot.render.slack import to_message
from bot.reply import Question, Reply, Surface
from bot.service import AnsweringService, conversations_for, engine_for
from bot.settings import Settings
from bot.slack.dedupe import SeenEvents
from bot.slack.usage import apology_reply, slow_down_reply
from bot.store import StateStore, open_store
from calc.limits import YearChoice


@dataclass(kw_only=True)
class Answerer(AnsweringService):
    """The service with the engine's articles and the events answered.

    `articles` must be the engine's own (built-in plus BOT_KNOWLEDGE_DIR): they label
    the topic buttons. With `expert_channel` (SLACK_EXPERT_CHANNEL), each person's last
    question is kept in memory to fill the "Ask the benefits team" form.
    """

    surface: Surface = "slack"
    cooldown: Cooldown = field(default_factory=lambda: Cooldown(5, 10.0))
    articles: Mapping[str, Article] = field(default_factory=load_articles)
    today: Callable[[], dt.date] = dt.date.today
    seen: SeenEvents = field(default_factory=SeenEvents)
    expert_channel: str | None = None

    def __post_init__(self) -> None:
        self._titles = cache(self._titles_for)

    @property
    def disclosure(self) -> str:
        return self.engine.disclosure

    def year(self, year: int | None = None) -> YearChoice:
        """The tax year a reply uses: `year`, else BOT_TAX_YEAR, else today's (or the latest)."""
        return self.engine.choose_year(Question(text="", today=self.today(), year=year))

    @property
    def store(self) -> StateStore:
        """Where answered events are recorded (and, in production, the per-user limit)."""
        return self.seen.store

    async def admit(self, user_id: str | None, team_id: str | None = None) -> Verdict:
        """Count one question from `user_id` of workspace `team_id` against the per-user limit."""
        return await self.limit(f"{team_id or '-'}:{user_id or ''}")

    def slow_down(self, verdict: Verdict) -> Reply:
        return slow_down_reply(verdict, self.cooldown, self.disclosure, self.year().year)

    def keeps_question(self, question: Question) -> bool:
        return bool(self.expert_channel)

    async def answer(self, question: Question, *, about_401k: bool = False) -> Reply:
        """The service's reply, recorded for the curator report once made.

        With `about_401k` (inside `/401k`, where every question is about a 401(k)), a
        question that falls back is asked once more as "401(k) …". An apology that still
        carries the disclosure goes out instead when answering failed; it is not recorded.
        """
        reply = await self.turn(question)
        if reply is not None and about_401k and reply.kind == "fallback":
            within = await self.turn(replace(question, text=f"401(k) {question.text}"))
            if within is not None and within.kind != "fallback":
                reply = within
        if reply is None:
            return apology_reply(self.disclosure, self.year().year)
        self.record(question, reply)
        return reply

    def message(self, reply: Reply) -> dict[str, Any]:
        """The reply as a Slack message, its buttons labelled with article titles."""
        return to_message(
            reply,
            self._titles(reply.tax_year),
            feedback=self.curation.enabled,
            expert=bool(self.expert_channel),
        )

    def _titles_for(self, year: int) -> dict[str, str]:
        limits = self.year(year).limits
        titles: dict[str, str] = {}
        for topic, article in self.articles.items():
            try:
                titles[topic] = render_article(article, limits).title
            except Exception:
                log_failure("article_title_failed", "slack", topic=topic, year=year)
        return titles


def answerer_for(settings: Settings) -> Answerer:
    """The adapter's state for `settings`: the engine, its articles, the limit and the store."""
    engine = engine_for(settings)
    store = open_store(settings)
    return Answerer(
        engine=engine,
        articles=engine.articles if engine.articles is not None else load_articles(),
        seen=SeenEvents(store),
        cooldown=Cooldown(
            settings.slack_rate_limit_questions, settings.slack_rate_limit_seconds, store
        ),
        expert_channel=(settings.slack_expert_channel or "").strip() or None,
        conversations=conversations_for(settings, store),
    )

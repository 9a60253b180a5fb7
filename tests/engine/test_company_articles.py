"""A company's own articles (BOT_KNOWLEDGE_DIR) are answered like the built-in ones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.engine import default_engine
from bot.reply import Question

COMPANY = Path(__file__).parent / "fixtures" / "company"
TODAY = dt.date(2026, 6, 15)


def test_company_article_on_a_subject_the_built_ins_turn_away_is_answered():
    """Loans are out of the built-in scope, but a company's loan article answers them."""
    engine = default_engine(knowledge_dir=COMPANY)
    reply = engine.answer(Question(text="can I borrow from my 401k?", today=TODAY))
    assert reply.kind == "article"
    assert reply.topic == "plan-loans"
    assert "one loan at a time" in reply.text


def test_without_the_company_article_the_same_question_falls_back():
    engine = default_engine()
    reply = engine.answer(Question(text="can I borrow from my 401k?", today=TODAY))
    assert reply.kind == "fallback"


def test_company_articles_do_not_open_unrelated_subjects():
    """A loan article does not make the bot answer an HSA question."""
    engine = default_engine(knowledge_dir=COMPANY)
    reply = engine.answer(Question(text="what is the HSA family limit?", today=TODAY))
    assert reply.kind == "fallback"

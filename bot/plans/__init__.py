"""A company's plan profile (BOT_PLAN_FILE): schema, loader, and the answers it gives."""

from bot.plans.answers import (
    PlanSection,
    plan_answer,
    plan_section,
    summary_reply,
    summary_text,
    with_section,
)
from bot.plans.hook import PlanHook
from bot.plans.loading import PlanError, load_plan, parse_plan
from bot.plans.profile import PlanProfile
from bot.plans.vocabulary import PlanQuery, Vocabulary, load_vocabulary, parse_vocabulary

__all__ = [
    "PlanError",
    "PlanHook",
    "PlanProfile",
    "PlanQuery",
    "PlanSection",
    "Vocabulary",
    "load_plan",
    "load_vocabulary",
    "parse_plan",
    "parse_vocabulary",
    "plan_answer",
    "plan_section",
    "summary_reply",
    "summary_text",
    "with_section",
]

"""The plan profile named by BOT_PLAN_FILE, for the commands that start the bot."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.settings import SettingFields, SettingsError

if TYPE_CHECKING:
    from bot.plans.profile import PlanProfile


def plan_of(settings: SettingFields) -> PlanProfile | None:
    """The profile of BOT_PLAN_FILE, or None when unset; SettingsError lists every problem."""
    if settings.bot_plan_file is None:
        return None
    from bot.plans.loading import PlanError, load_plan

    try:
        return load_plan(settings.bot_plan_file)
    except PlanError as exc:
        raise SettingsError("BOT_PLAN_FILE is invalid:\n" + "\n".join(exc.lines)) from None

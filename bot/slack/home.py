"""The App Home tab: what the bot answers, how to ask, buttons, this year's limits; the welcome."""

from __future__ import annotations

from typing import Any

from bot.commands.calc import limits_rows
from bot.plans.answers import summary_text
from bot.plans.profile import PlanProfile
from bot.render.slack import Block, context_block, escape, sections, to_mrkdwn
from bot.slack.wording import SHORTCUT_NAME
from calc.limits import YearChoice

_ABOUT = (
    "I answer 401(k) contribution questions from reviewed articles, and work out "
    "after-tax room, deferral room and employer matches from your numbers, showing the "
    "arithmetic: Roth vs after-tax, the year's limits, catch-ups, the mega backdoor Roth, "
    "in-plan conversions and more. I don't give advice for your situation."
)
_HOW = (
    "*How to ask*\n"
    "• Mention me in a channel: I answer in the thread\n"
    "• Send me a direct message in the Messages tab\n"
    "• `/401k what is a mega backdoor Roth?`: only you see the answer\n"
    "• `/aftertaxroom 24500 10000`: your deferrals, then your employer's contributions; "
    "`/aftertaxroom` alone opens a form\n"
    "• `/401k plan`: what our 401(k) plan allows, when a plan profile is set up\n"
    "• Start a command with `public` to show the answer to the channel; `help` shows examples\n"
    f"• On a colleague's message, choose *{SHORTCUT_NAME}* from its ⋮ menu"
)
# The Home tab's buttons; a click carries a fresh trigger_id, so the form can open.
OPEN_FORM = "home:form"
SHOW_LIMITS = "home:limits"
SHOW_HELP = "home:help"
_WELCOME = (
    "Hi! I answer 401(k) contribution questions and work out after-tax room from your "
    "numbers. Ask me here in your own words, for example:\n"
    "• What's the difference between Roth and after-tax contributions?\n"
    "• I defer 24500 and my employer adds 10000, how much after-tax room?\n"
    "• What are the 401(k) limits this year?\n"
    "In channels, mention me or use `/401k`; `/aftertaxroom` opens a calculator form."
)


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _button(action_id: str, text: str, *, primary: bool = False) -> Block:
    button: Block = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": text},
    }
    if primary:
        button["style"] = "primary"
    return button


def home_view(
    choice: YearChoice, disclosure: str, plan: PlanProfile | None = None
) -> dict[str, Any]:
    """The view `views.publish` shows on the Home tab, with the plan summary when there is one."""
    limits = choice.limits
    rows = "\n".join(f"• {escape(label)}: *{value}*" for label, value in limits_rows(limits))
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": "401(k) contribution answers"}},
        _section(_ABOUT),
        {
            "type": "actions",
            "block_id": "home",
            "elements": [
                _button(OPEN_FORM, "After-tax room form", primary=True),
                _button(SHOW_LIMITS, f"Limits for {limits.year}"),
                _button(SHOW_HELP, "How to ask"),
            ],
        },
        {"type": "divider"},
        _section(_HOW),
        {"type": "divider"},
        _section(f"*Limits for {limits.year}*\n{rows}"),
    ]
    if plan is not None:
        summary = to_mrkdwn(summary_text(plan, limits))
        blocks += [{"type": "divider"}, *sections(summary)]
    if choice.note:
        blocks.append(_section(f"_{escape(choice.note)}_"))
    blocks.append(context_block(disclosure, limits.year, [str(limits.source.url)]))
    return {"type": "home", "blocks": blocks}


def welcome_message(disclosure: str, tax_year: int) -> dict[str, Any]:
    """The first message in someone's DM with the bot."""
    return {
        "text": _WELCOME,
        "blocks": [_section(_WELCOME), context_block(disclosure, tax_year, [])],
    }

"""No message costs more than linear time, however it is crafted.

The work is bounded by comparing each crafted message at the engine's full length
with the same pattern at 100 characters: 40 times the length may cost at most a small
multiple of 40 times the work (the quadratic patterns this guards against cost
thousands of times more), whichever surface the text came in through.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.discord_bot.questions import strip_mention
from bot.engine import MAX_CHARS, Engine
from bot.reply import Question
from bot.slack.incoming import to_question_text

SHORT = 100
# 40 times the characters; a linear reader costs at most about 40 times as much, and
# the slack allows for a busy machine.
MOST_RATIO = 4 * MAX_CHARS / SHORT
SPACES = [chr(c) for c in range(0x3001) if chr(c).isspace()]
RUNS = [*SPACES, "1", "%", "$", "k", ",", ".", "-", "*", "_", "~", "`", "|", "(", ">", "'"]
RUNS += ["1 ", "1,", "1.", "$1 ", "k ", "50% ", "a ", "of ", "&#10;", "<@U1>"]
LEADS = ["50%", "half", "full", "dollar for dollar", "401", "403", "457", "1099", "$", ""]
LEADS += ["employer=", "/aftertaxroom ", "im ", "turning ", "after-tax room ", "match "]
SURFACES: dict[str, Callable[[str], str]] = {
    "cli": lambda text: text,
    "slack": lambda text: to_question_text(text, "U0BOT"),
    "discord": lambda text: strip_mention(text, 1100000000000000002),
}
TODAY = dt.date(2026, 6, 1)


def crafted(lead: str, run: str, length: int) -> str:
    return lead + run * max(1, (length - len(lead) - 1) // len(run)) + "6"


def cost(engine: Engine, surface: str, text: str, tries: int) -> float:
    """The least time of `tries` to turn `text` into a question on `surface` and answer it."""
    best = float("inf")
    for _ in range(tries):
        started = time.perf_counter()
        reply = engine.answer(Question(text=SURFACES[surface](text), today=TODAY))
        best = min(best, time.perf_counter() - started)
    assert reply.disclosure
    return best


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lead=st.sampled_from(LEADS),
    run=st.sampled_from(RUNS),
    surface=st.sampled_from(sorted(SURFACES)),
)
def test_a_crafted_message_costs_no_more_than_its_length(
    engine: Engine, lead: str, run: str, surface: str
) -> None:
    """A long run of one character after a rate, a plan name or an amount stays linear."""
    short = cost(engine, surface, crafted(lead, run, SHORT), tries=5)
    long = cost(engine, surface, crafted(lead, run, MAX_CHARS), tries=3)
    assert long / short < MOST_RATIO, f"{long / short:.0f}× the work of {SHORT} characters"


@pytest.mark.parametrize("lead", ["match ", "i ", "age ", "paychecks left ", "32,500 including "])
@pytest.mark.parametrize("run", ["1,", "24,50,0 "])
def test_amounts_blanked_after_a_cue_word_stay_linear(engine: Engine, lead: str, run: str) -> None:
    """Unreadable amounts are blanked to spaces as they are read; the cue word before them
    ("match", "I", "age", "left", "including") must not meet that run quadratically."""
    short = cost(engine, "cli", crafted(lead, run, SHORT), tries=5)
    long = cost(engine, "cli", crafted(lead, run, MAX_CHARS), tries=3)
    assert long / short < MOST_RATIO, f"{long / short:.0f}× the work of {SHORT} characters"


@pytest.mark.parametrize("lead", ["i", "contributions from my", "every other", "after"])
@pytest.mark.parametrize("run", [" ", " ' ", "- "])
def test_vocabulary_phrases_meet_runs_of_their_separators_linearly(
    engine: Engine, lead: str, run: str
) -> None:
    """The number vocabulary's phrases are matched with spaces, apostrophes and hyphens
    between their words; a long run of those after a phrase's first word stays linear."""
    short = cost(engine, "cli", crafted(lead, run, SHORT), tries=5)
    long = cost(engine, "cli", crafted(lead, run, MAX_CHARS), tries=3)
    assert long / short < MOST_RATIO, f"{long / short:.0f}× the work of {SHORT} characters"


@pytest.mark.parametrize("run", ["how do ", "how does it "])
def test_the_calculator_intents_read_a_run_of_questions_linearly(run: str) -> None:
    """With an amount given, every calculator's features are read, among them whether the
    message asks how a formula works: a run of "how do" must not meet that quadratically."""
    from bot.numbers import read_numbers
    from bot.routing import scores

    def cost_of_scores(text: str, tries: int) -> float:
        numbers = read_numbers(text)
        best = float("inf")
        for _ in range(tries):
            started = time.perf_counter()
            scores(text.split(), text, numbers)
            best = min(best, time.perf_counter() - started)
        return best

    short = cost_of_scores(crafted("24.5k deferrals ", run, SHORT), tries=5)
    long = cost_of_scores(crafted("24.5k deferrals ", run, MAX_CHARS), tries=3)
    assert long / short < MOST_RATIO, f"{long / short:.0f}× the work of {SHORT} characters"


def test_the_command_line_answers_runs_of_newlines_and_ogham_spaces() -> None:
    """`ask --json -` answers each crafted line at once, as it does a normal question."""
    lines = [
        "50%" + "\u1680" * 3987 + "6",
        "half" + "\u1680" * 3987 + "6",
        "401" + "\u1680" * 3990,
        "roth vs after-tax",
    ]
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "--json", "-"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    replies = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(replies) == len(lines)
    assert all(reply["disclosure"] for reply in replies)

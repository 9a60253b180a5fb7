"""`ask`, `chat` and `eval`: the answer engine from a terminal, with no tokens needed."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot.commands import YEAR, summary
from bot.reply import Question, Reply

if TYPE_CHECKING:
    from bot.engine import Engine
    from bot.evaluation import Case, Conversation

GREETING = """\
401k-bot: 401(k) contribution questions, answered from reviewed articles and exact math.
Ask in plain words, for example:
  • What's the difference between Roth and after-tax contributions?
  • I defer 24.5k and my employer adds 10k. How much after-tax room do I have?
  • How much per paycheck to max my 401k with 26 paychecks?
After an answer, `+` or `-` says whether it helped. Type `help` for more, `quit` to leave."""

QUIT = frozenset({"quit", "exit", "q", ":q", "bye"})


def build_engine() -> Engine:
    """The engine with the settings of the environment (BOT_TAX_YEAR, BOT_DISCLOSURE, …),
    from the copy prepared in the user's cache folder when nothing it came from changed."""
    from bot.commands import UsageError
    from bot.engine import Engine
    from bot.knowledge import KnowledgeError
    from bot.start import terminal_start

    try:
        start = terminal_start(user_cache())
    except KnowledgeError as exc:
        raise UsageError(str(exc)) from None
    plan = None
    if start.plan_file is not None:  # the plan's modules load only for a bot with a profile
        from bot.plans.setting import plan_of
        from bot.settings import read_settings

        plan = plan_of(read_settings())
    return Engine(
        limits=start.limits,
        articles=start.articles,
        disclosure=start.disclosure,
        default_year=start.tax_year,
        plan=plan,
        ready_matcher=start.matcher,
    )


def user_cache() -> Path:
    """The user's cache folder for the prepared start ($XDG_CACHE_HOME or ~/.cache)."""
    import os

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "401k-bot"


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number from 0 to 1") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{value} is out of range; use a number from 0 to 1")
    return value


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def register(sub: argparse._SubParsersAction[Any]) -> None:
    ask = sub.add_parser(
        "ask",
        help=summary("ask"),
        description="Answer a question as the bot would. With '-', read one question per "
        "line from standard input and answer each, in order.",
        epilog='examples: 401k-bot ask "mega backdoor roth explained"; '
        "401k-bot ask --json - < questions.txt",
    )
    ask.add_argument("question", metavar="QUESTION", help="the question, or '-' for standard input")
    ask.add_argument("--json", action="store_true", help="print the reply contract as JSON")
    ask.add_argument("--year", type=YEAR, help="tax year (default: this year, or BOT_TAX_YEAR)")
    ask.set_defaults(run=run_ask)

    chat = sub.add_parser(
        "chat",
        help=summary("chat"),
        description="An interactive console on the same engine as Slack and Discord. "
        "After an answer, type + (helpful) or - (not helpful) to rate it for the curator "
        "report. Type 'quit' or press Ctrl-D to leave.",
    )
    chat.set_defaults(run=run_chat)

    evaluate = sub.add_parser(
        "eval",
        help=summary("eval"),
        description="Ask every question of FILE (YAML: a 'questions' list of {q, topic, "
        "expect}) and print top-1 topic, out-of-scope and number accuracy, and every miss. "
        "A file with a 'conversations' list (each a name and turns of {say, expect}) is "
        "sent turn by turn, each conversation remembered, and scored by turns and by "
        "whole conversations.",
        epilog="example: 401k-bot eval questions.yaml --min-top1 0.95 --min-out-of-scope 1",
    )
    evaluate.add_argument("file", type=Path, metavar="FILE", help="the question set (YAML)")
    evaluate.add_argument(
        "--min-top1",
        type=_share,
        default=0.0,
        metavar="SHARE",
        help="exit 1 if top-1 topic accuracy is below this (0 to 1)",
    )
    evaluate.add_argument(
        "--min-out-of-scope",
        type=_share,
        default=0.0,
        metavar="SHARE",
        help="exit 1 if out-of-scope accuracy is below this",
    )
    evaluate.add_argument(
        "--min-numbers",
        type=_share,
        default=0.0,
        metavar="SHARE",
        help="exit 1 if number accuracy is below this",
    )
    evaluate.add_argument(
        "--min-turns",
        type=_share,
        default=0.0,
        metavar="SHARE",
        help="for a conversations file: exit 1 if the share of turns right is below this",
    )
    evaluate.add_argument(
        "--today",
        type=_date,
        metavar="DATE",
        help="the date questions are asked on (default: today)",
    )
    evaluate.set_defaults(run=run_eval)


def _print_reply(reply: Reply, as_json: bool, out: TextIO) -> None:
    from bot.render.text import to_text

    if as_json:
        out.write(json.dumps(reply.to_contract(), ensure_ascii=False) + "\n")
    else:
        out.write(to_text(reply))
    out.flush()


def _lines(stream: TextIO) -> Iterator[str]:
    for line in stream:
        yield line.rstrip("\r\n")


def _turn_line(line: str) -> tuple[str | None, str]:
    """A line of `ask -`: a JSON object {"conversation": ID, "text": ...} is a turn of
    conversation ID; any other line is a question of its own."""
    if not line.lstrip().startswith("{"):
        return None, line
    try:
        data = json.loads(line)
    except ValueError:
        return None, line
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        return None, line
    conversation = data.get("conversation")
    return (str(conversation) if conversation is not None else None), data["text"]


def run_ask(args: argparse.Namespace) -> int:
    from bot.console import from_argv
    from bot.conversation.store import ConversationMemory

    engine = build_engine()
    today = dt.date.today()
    memory = ConversationMemory()
    texts: Iterable[str] = _lines(sys.stdin) if args.question == "-" else [from_argv(args.question)]
    for number, line in enumerate(texts):
        if number and not args.json:
            sys.stdout.write("\n")
        conversation, text = _turn_line(line) if args.question == "-" else (None, line)
        question = Question(text=text, surface="cli", year=args.year, today=today)
        if conversation is None:
            reply = engine.answer(question)
        else:
            turn = engine.converse(question, memory.load(conversation))
            memory.save(conversation, turn.state)
            reply = turn.reply
        _print_reply(reply, args.json, sys.stdout)
    return 0


def run_chat(args: argparse.Namespace) -> int:
    engine = build_engine()
    state = None
    last: Reply | None = None
    interactive = sys.stdin.isatty()
    if interactive:
        with contextlib.suppress(ImportError):  # line editing and history, where available
            import readline  # noqa: F401
        print(GREETING + "\n")
    while True:
        try:
            text = input("you> ") if interactive else sys.stdin.readline()
        except (EOFError, KeyboardInterrupt):
            if interactive:
                print()
            return 0
        if not interactive and not text:
            return 0
        text = text.strip()
        if not text:
            continue
        if text.lower() in QUIT:
            return 0
        if text in ("+", "-"):
            from bot.feedback.console import RATINGS, rate

            print(rate(last, RATINGS[text], dt.datetime.now(dt.UTC)) + "\n")
            continue
        command = "plan" if text.lower() == "plan" else None
        question = Question(text=text, surface="console", command=command, today=dt.date.today())
        turn = engine.converse(question, state)
        state, last = turn.state, turn.reply
        _print_reply(turn.reply, False, sys.stdout)
        print()


def run_eval(args: argparse.Namespace) -> int:
    import yaml

    from bot.commands import UsageError
    from bot.evaluation import EvalFormatError, parse_cases, parse_conversations

    conversations = None
    try:
        data = yaml.safe_load(args.file.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "conversations" in data:
            conversations = parse_conversations(data)
        else:
            cases = parse_cases(data)
    except OSError as exc:
        raise UsageError(f"cannot read {args.file}: {exc.strerror}") from None
    except yaml.YAMLError:
        raise UsageError(f"{args.file} is not valid YAML") from None
    except EvalFormatError as exc:
        raise UsageError(f"{args.file}: {exc}") from None
    if conversations is not None:
        return _eval_conversations(args, conversations)
    return _eval_questions(args, cases)


def _eval_questions(args: argparse.Namespace, cases: list[Case]) -> int:
    from bot.evaluation import evaluate

    engine = build_engine()
    score = evaluate(engine.answer, cases, args.today or dt.date.today())
    rows = (
        ("top-1 topic", score.topic_right, score.topic_total, score.top1, args.min_top1),
        (
            "out-of-scope",
            score.scope_right,
            score.scope_total,
            score.out_of_scope,
            args.min_out_of_scope,
        ),
        ("numbers", score.numbers_right, score.numbers_total, score.numbers, args.min_numbers),
    )
    passed = _print_rows(rows)
    if score.misses:
        print(f"\n{len(score.misses)} misses:")
        for miss in score.misses:
            got = f"{miss.kind} {miss.topic}" if miss.topic else miss.kind
            print(f"  - {miss.case.question!r}: {miss.why}; got {got}")
    return 0 if passed else 1


def _eval_conversations(args: argparse.Namespace, conversations: list[Conversation]) -> int:
    from bot.conversation.store import ConversationMemory
    from bot.evaluation import evaluate_conversations

    engine = build_engine()
    memory = ConversationMemory()

    def converse(name: str, question: Question) -> Reply:
        turn = engine.converse(question, memory.load(name))
        memory.save(name, turn.state)
        return turn.reply

    score = evaluate_conversations(converse, conversations, args.today or dt.date.today())
    rows = (
        ("turns", score.turns_right, score.turns_total, score.turns, args.min_turns),
        (
            "conversations",
            score.conversations_right,
            score.conversations_total,
            score.conversations,
            0.0,
        ),
    )
    passed = _print_rows(rows)
    if score.misses:
        print(f"\n{len(score.misses)} misses:")
        for miss in score.misses:
            got = f"{miss.kind} {miss.topic}" if miss.topic else miss.kind
            print(
                f"  - {miss.conversation}, turn {miss.number} {miss.say!r}: {miss.why}; got {got}"
            )
    print(f"\nturns right: {score.turns_right}/{score.turns_total} ({score.turns:.1%})")
    return 0 if passed else 1


def _print_rows(rows: Iterable[tuple[str, int, int, float, float]]) -> bool:
    passed = True
    for label, right, total, share, bar in rows:
        flag = ""
        if share < bar:
            passed = False
            flag = f"  below {bar:.0%}"
        print(f"{label:<13} {share:7.1%}  ({right}/{total}){flag}")
    return passed

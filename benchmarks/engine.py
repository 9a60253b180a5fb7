"""How fast and how accurate the answer engine is, beside a naive rapidfuzz baseline.

Over the development questions it measures `answer()` (answers per second, p50/p99
latency) and top-1 topic accuracy, and the same for a naive baseline: rapidfuzz's
`process.extractOne` over every article's example questions with its default scorer,
no normalisation and no threshold (so it never falls back, and every out-of-scope
question is a miss for it). It then repeats the timing with the knowledge base
multiplied (×10, ×100: copies of every article, ids suffixed) to show how latency
grows with the number of articles.

Last, it times crafted hostile messages (long runs of every kind of space, digits,
`%`, `$`, `k` and punctuation after a rate, a plan name or an amount) beside typical
questions of the same length, 100 characters and the engine's 4,000, and prints the
worst one's cost as a ratio of the typical one's.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import math
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import process
from timing import Latency, bounded_seconds, emit, met, ms, progress, table

from bot.commands import whole
from bot.engine import MAX_CHARS, Engine
from bot.evaluation import Case, evaluate, parse_cases
from bot.knowledge import Article, load_articles
from bot.reply import Question
from calc.limits import load_limits

DEFAULT_SET = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev-questions.yaml"
TARGET_P99_MS = {1: 0.5, 100: 10.0}
TARGET_HOSTILE_RATIO = 20.0
TARGET_HOSTILE_MS = 50.0
HOSTILE_LEADS = ("50%", "half", "dollar for dollar", "401", "$", "employer=", "")
HOSTILE_RUNS = (
    " ", "\n", "\u1680", "\u3000", "\t", "1", "%", "$", "k", ",", ".", "*", "`", "(",
    "1 ", "1,", "$1 ", "k ", "50% ", "a ",
)  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Baseline:
    """rapidfuzz's `extractOne` over every example question; the topic of the closest one."""

    choices: list[str]
    topics: list[str]

    @classmethod
    def over(cls, articles: Mapping[str, Article]) -> Baseline:
        pairs = [(q, a.id) for a in articles.values() for q in a.front.questions]
        return cls([q for q, _ in pairs], [topic for _, topic in pairs])

    def topic(self, text: str) -> str:
        match = process.extractOne(text, self.choices)  # WRatio, no processor, no cutoff
        return self.topics[match[2]]


def multiplied(articles: Mapping[str, Article], factor: int) -> dict[str, Article]:
    """The articles and `factor - 1` copies of each, with ids suffixed `-2`, `-3`, …"""
    grown = dict(articles)
    for copy in range(2, factor + 1):
        for article in articles.values():
            topic = f"{article.id}-{copy}"
            front = dataclasses.replace(article.front, id=topic)
            grown[topic] = dataclasses.replace(article, front=front)
    return grown


def time_calls(
    call: Callable[[Any], object],
    items: Sequence[Any],
    rounds: int,
    budget: float,
    *,
    warm_up: bool = True,
) -> list[float]:
    """Seconds per call over `rounds` passes of `items`, after an untimed warm-up pass.

    Stops after the pass that crosses `budget` seconds, so large knowledge bases stay
    bounded in time (at least one pass is always timed). The engine warms up its cache
    of rendered articles; the baseline has nothing to warm.
    """
    if warm_up:
        for item in items:
            call(item)
    samples: list[float] = []
    deadline = time.perf_counter() + budget
    for _ in range(rounds):
        for item in items:
            start = time.perf_counter()
            call(item)
            samples.append(time.perf_counter() - start)
        if time.perf_counter() > deadline:
            break
    return samples


def accuracy(
    engine: Engine, baseline: Baseline, cases: Sequence[Case], today: dt.date
) -> dict[str, Any]:
    """Top-1 topic accuracy of both, scored as `401k-bot eval` scores the engine."""
    score = evaluate(engine.answer, cases, today)
    in_scope = [case for case in cases if case.topics is not None]
    baseline_right = sum(baseline.topic(case.question) in (case.topics or ()) for case in in_scope)
    total = len(cases)
    return {
        "questions": total,
        "in_scope": len(in_scope),
        "out_of_scope": total - len(in_scope),
        "engine": {
            "all": (score.topic_right + score.scope_right) / total,
            "in_scope": score.top1,
            "out_of_scope": score.out_of_scope,
        },
        "baseline": {
            "all": baseline_right / total,
            "in_scope": baseline_right / len(in_scope) if in_scope else 1.0,
            "out_of_scope": 0.0,
        },
    }


def speed(
    articles: Mapping[str, Article],
    factor: int,
    texts: Sequence[str],
    today: dt.date,
    rounds: int,
    budget: float,
) -> dict[str, Any]:
    """Build time and per-answer latency of the engine and the baseline at one size."""
    grown = multiplied(articles, factor)
    started = time.perf_counter()
    engine = Engine(limits=load_limits(), articles=grown)
    build = time.perf_counter() - started
    baseline = Baseline.over(grown)
    questions = [Question(text=text, surface="cli", today=today) for text in texts]
    ours = time_calls(engine.answer, questions, rounds, budget)
    theirs = time_calls(baseline.topic, texts, rounds, budget, warm_up=False)
    engine_latency = Latency.of(ours).as_dict()
    return {
        "factor": factor,
        "articles": len(grown),
        "example_questions": len(baseline.choices),
        "engine_build_ms": round(build * 1000, 1),
        "engine": {"answers_per_second": round(len(ours) / sum(ours)), **engine_latency},
        "baseline": {
            "answers_per_second": round(len(theirs) / sum(theirs)),
            **Latency.of(theirs).as_dict(),
        },
    }


def hostile_texts(length: int) -> list[tuple[str, str]]:
    """Crafted messages of `length` characters: a lead, then a long run of one thing."""
    texts = []
    for lead in HOSTILE_LEADS:
        for run in HOSTILE_RUNS:
            count = max(1, (length - len(lead) - 1) // len(run))
            texts.append((f"{lead!r} + {run!r} × {count}", lead + run * count + "6"))
    return texts


def typical_texts(texts: Sequence[str], length: int, most: int = 20) -> list[str]:
    """Real questions run together to `length` characters, starting at different ones."""
    found = []
    for first in range(min(most, len(texts))):
        joined = ""
        index = first
        while len(joined) < length:
            joined += texts[index % len(texts)] + " "
            index += 1
        found.append(joined[:length])
    return found


def best_of(engine: Engine, text: str, today: dt.date, tries: int = 3) -> float:
    question = Question(text=text, surface="cli", today=today)
    best = math.inf
    for _ in range(tries):
        start = time.perf_counter()
        engine.answer(question)
        best = min(best, time.perf_counter() - start)
    return best


def hostile(engine: Engine, texts: Sequence[str], today: dt.date) -> list[dict[str, Any]]:
    """Per length class: the typical questions' median cost, the worst crafted one's, the ratio."""
    classes = []
    for length in (100, MAX_CHARS):
        typical = statistics.median(
            best_of(engine, text, today) for text in typical_texts(texts, length)
        )
        worst_name, worst = max(
            ((name, best_of(engine, text, today)) for name, text in hostile_texts(length)),
            key=lambda pair: pair[1],
        )
        classes.append(
            {
                "length": length,
                "typical_ms": round(typical * 1000, 3),
                "worst_ms": round(worst * 1000, 3),
                "worst_input": worst_name,
                "ratio": round(worst / typical, 1),
            }
        )
    return classes


def report(results: dict[str, Any]) -> str:
    acc = results["accuracy"]
    lines = [
        f"Dev set: {results['questions_file']} ({acc['questions']} questions: "
        f"{acc['in_scope']} in scope, {acc['out_of_scope']} out of scope), "
        f"asked on {results['today']}",
        "",
        table(
            ["top-1 topic accuracy", "engine", "baseline"],
            [
                (
                    f"all {acc['questions']} questions",
                    f"{acc['engine']['all']:.1%}",
                    f"{acc['baseline']['all']:.1%}",
                ),
                (
                    f"in scope ({acc['in_scope']})",
                    f"{acc['engine']['in_scope']:.1%}",
                    f"{acc['baseline']['in_scope']:.1%}",
                ),
                (
                    f"out of scope, falls back ({acc['out_of_scope']})",
                    f"{acc['engine']['out_of_scope']:.1%}",
                    "never",
                ),
            ],
        ),
        "",
    ]
    rows = []
    for size in results["speed"]:
        for name in ("engine", "baseline"):
            timed = size[name]
            rows.append(
                (
                    f"×{size['factor']} {name}",
                    f"{size['articles']:,}",
                    f"{size['example_questions']:,}",
                    f"{size['engine_build_ms']:,.0f} ms" if name == "engine" else "",
                    f"{timed['count']:,}",
                    f"{timed['answers_per_second']:,}",
                    ms(timed["p50"]),
                    ms(timed["p99"]),
                    ms(timed["max"]),
                )
            )
    lines.append(
        table(
            ["size", "articles", "examples", "build", "timed", "per second", "p50", "p99", "max"],
            rows,
        )
    )
    targets = [
        f"p99 < {limit:g} ms at ×{factor}: {met(size['engine']['p99'] < limit)}"
        for size in results["speed"]
        for factor, limit in TARGET_P99_MS.items()
        if size["factor"] == factor
    ]
    if results.get("hostile"):
        lines += [
            "",
            table(
                ["hostile input", "typical", "worst", "ratio", "worst input"],
                [
                    (
                        f"{size['length']:,} characters",
                        ms(size["typical_ms"]),
                        ms(size["worst_ms"]),
                        f"{size['ratio']:.1f}×",
                        size["worst_input"],
                    )
                    for size in results["hostile"]
                ],
            ),
        ]
        longest = results["hostile"][-1]
        targets += [
            f"worst < {TARGET_HOSTILE_RATIO:g}× typical at {longest['length']:,} characters: "
            f"{met(longest['ratio'] < TARGET_HOSTILE_RATIO)}",
            f"worst < {TARGET_HOSTILE_MS:g} ms: {met(longest['worst_ms'] < TARGET_HOSTILE_MS)}",
        ]
    if targets:
        lines += ["", "targets: " + "; ".join(targets)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Time answer() on the dev questions beside a naive rapidfuzz baseline, "
        "with the knowledge base at its size and multiplied.",
        epilog="example: python3 benchmarks/engine.py --rounds 20 --scales 1,10,100 --json",
    )
    parser.add_argument(
        "questions", type=Path, nargs="?", default=DEFAULT_SET, help="question set (YAML)"
    )
    parser.add_argument(
        "--rounds",
        type=whole(1, 1000, "rounds"),
        default=20,
        help="timed passes over the questions (20)",
    )
    parser.add_argument(
        "--scales",
        default="1,10,100",
        help="knowledge base sizes as multiples of the built-in articles, each 1 to 200 "
        "(default 1,10,100)",
    )
    parser.add_argument(
        "--budget",
        type=bounded_seconds(0.1, 600),
        default=10.0,
        help="seconds of timing per size and matcher, at most; stops after the pass that "
        "crosses it (default 10)",
    )
    parser.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        default=dt.date.today(),
        help="the date questions are asked on (YYYY-MM-DD, default today)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    try:
        factors = sorted({int(part) for part in args.scales.split(",")})
    except ValueError:
        parser.error(f"--scales '{args.scales}' must be whole numbers separated by commas")
    if not factors or not all(1 <= factor <= 200 for factor in factors):
        parser.error("--scales must be whole numbers from 1 to 200")
    try:
        cases = parse_cases(yaml.safe_load(args.questions.read_text(encoding="utf-8")))
    except (OSError, ValueError, yaml.YAMLError) as exc:
        parser.error(f"cannot read the questions from {args.questions}: {exc}")

    articles = load_articles()
    texts = [case.question for case in cases]
    progress(f"accuracy on {len(cases)} questions")
    engine = Engine(limits=load_limits(), articles=articles)
    results: dict[str, Any] = {
        "questions_file": str(args.questions),
        "today": args.today.isoformat(),
        "rounds": args.rounds,
        "accuracy": accuracy(engine, Baseline.over(articles), cases, args.today),
        "speed": [],
    }
    for factor in factors:
        progress(f"timing ×{factor} ({len(articles) * factor:,} articles)")
        timed = speed(articles, factor, texts, args.today, args.rounds, args.budget)
        results["speed"].append(timed)
    progress("timing hostile input beside typical questions")
    results["hostile"] = hostile(engine, texts, args.today)
    emit(results, report(results), args.json)


if __name__ == "__main__":
    main()

"""How fast the answer engine is: answers per second and p50/p99 latency of `answer()`.

Run by hand: `python3 benchmarks/engine.py [QUESTIONS.yaml] [--rounds N]`. The default
question set is the shared development set beside the repository.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path

import yaml

from bot.engine import default_engine
from bot.reply import Question

DEFAULT_SET = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev-questions.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", type=Path, nargs="?", default=DEFAULT_SET)
    parser.add_argument("--rounds", type=int, default=50, help="passes over the questions")
    args = parser.parse_args()

    data = yaml.safe_load(args.questions.read_text(encoding="utf-8"))
    texts = [entry["q"] for entry in data["questions"]]
    started = time.perf_counter()
    engine = default_engine()
    build_ms = (time.perf_counter() - started) * 1000

    today = dt.date.today()
    questions = [Question(text=text, today=today) for text in texts]
    for question in questions:  # warm up caches before timing
        engine.answer(question)
    latencies: list[float] = []
    for _ in range(args.rounds):
        for question in questions:
            start = time.perf_counter()
            engine.answer(question)
            latencies.append(time.perf_counter() - start)

    latencies.sort()
    total = sum(latencies)
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
    print(f"questions: {len(texts)} × {args.rounds} rounds = {len(latencies)} answers")
    print(f"engine build: {build_ms:.0f} ms")
    print(f"answers per second: {len(latencies) / total:,.0f}")
    print(f"latency p50: {p50:.3f} ms  p99: {p99:.3f} ms  max: {latencies[-1] * 1000:.3f} ms")


if __name__ == "__main__":
    main()

"""Retried deliveries of an event are recognised for ten minutes."""

from __future__ import annotations

from bot.slack.dedupe import SeenEvents


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_an_event_is_new_once() -> None:
    seen = SeenEvents(clock=Clock())
    assert seen.first_time("Ev1")
    assert not seen.first_time("Ev1")
    assert seen.first_time("Ev2")


def test_an_event_is_forgotten_after_the_window() -> None:
    clock = Clock()
    seen = SeenEvents(ttl=600, clock=clock)
    assert seen.first_time("Ev1")
    clock.now = 599
    assert not seen.first_time("Ev1")
    clock.now = 1300
    assert seen.first_time("Ev1")


def test_memory_is_bounded() -> None:
    seen = SeenEvents(size=3, clock=Clock())
    for name in ("a", "b", "c", "d"):
        assert seen.first_time(name)
    assert seen.first_time("a")
    assert not seen.first_time("d")

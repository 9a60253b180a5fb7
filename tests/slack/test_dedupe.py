"""Retried deliveries of an event are answered once: for an hour, per workspace, however busy."""

from __future__ import annotations

from bot.slack.dedupe import EVENT_TTL_SECONDS, SeenEvents
from bot.store import StoreUnavailable
from bot.store.memory import MemoryStore
from tests.fakes.slack import Driver, FakeSlack

RETRY = {"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"}


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class DownStore(MemoryStore):
    """A store that cannot record anything, as Redis when it is unreachable."""

    async def add_if_absent(self, key: str, ttl_seconds: float) -> bool:
        raise StoreUnavailable("ConnectionError")


async def test_an_event_is_new_once_per_workspace() -> None:
    seen = SeenEvents(MemoryStore(clock=Clock()))
    assert await seen.first_time("T1", "Ev1", is_retry=False)
    assert not await seen.first_time("T1", "Ev1", is_retry=True)
    assert await seen.first_time("T1", "Ev2", is_retry=False)
    assert await seen.first_time("T2", "Ev1", is_retry=False), "event ids are per workspace"


async def test_ids_are_kept_for_slacks_whole_retry_window() -> None:
    """Slack retries over about five minutes; an id is remembered for at least an hour."""
    clock = Clock()
    seen = SeenEvents(MemoryStore(clock=clock))
    assert EVENT_TTL_SECONDS >= 3600
    assert await seen.first_time("T1", "Ev1", is_retry=False)
    clock.now = 3599
    assert not await seen.first_time("T1", "Ev1", is_retry=True)
    clock.now = 3600 + 3600
    assert await seen.first_time("T1", "Ev1", is_retry=True)


async def test_an_id_that_cannot_be_recorded_is_answered_on_its_first_delivery_only() -> None:
    seen = SeenEvents(DownStore())
    assert await seen.first_time("T1", "Ev1", is_retry=False)
    assert not await seen.first_time("T1", "Ev1", is_retry=True)


async def test_twenty_thousand_other_events_do_not_flush_an_answered_event(
    fake_slack: FakeSlack, slack: Driver
) -> None:
    """A busy hour between a DM and its retry: the retry still gets no second answer."""
    dm = slack.requests.event_payload("message_im", "Ev0FIRST")
    assert (await slack.event(dm)).status == 200
    await fake_slack.arrived("chat.postMessage")

    for n in range(20_000):
        # Channel messages that do not mention the bot: recorded, never answered.
        other = slack.requests.event_payload(
            "message_im", f"Ev{n:07d}", channel_type="channel", channel="C0OTHER"
        )
        assert (await slack.event(other)).status == 200

    assert (await slack.event(dm, **RETRY)).status == 200
    assert len(fake_slack.to("chat.postMessage")) == 1

"""Two Slack apps sharing one real Redis behave as one: one answer per event, one limit per person.

Each app has its own Redis client, as two replicas behind a load balancer would.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from bot.cooldown import Cooldown
from bot.engine import default_engine
from bot.slack.answering import Answerer
from bot.slack.dedupe import SeenEvents
from bot.store.redis import RedisStore
from tests.fakes.redis import RedisServer
from tests.fakes.slack import TODAY, Driver, FakeSlack, make_driver

RETRY = {"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"}


@dataclass
class Replicas:
    first: Driver
    second: Driver
    redis: RedisServer


def replica(fake: FakeSlack, url: str) -> tuple[Driver, RedisStore]:
    store = RedisStore.from_url(url)
    state = Answerer(
        engine=default_engine(),
        today=lambda: TODAY,
        seen=SeenEvents(store),
        cooldown=Cooldown(5, 10.0, store),
    )
    return make_driver(fake, state), store


@pytest.fixture
async def replicas(fake_slack: FakeSlack, own_redis: RedisServer) -> AsyncIterator[Replicas]:
    first, first_store = replica(fake_slack, own_redis.url)
    second, second_store = replica(fake_slack, own_redis.url)
    yield Replicas(first, second, own_redis)
    await first_store.aclose()
    await second_store.aclose()


async def test_a_retry_delivered_to_the_other_replica_is_answered_once(
    replicas: Replicas, fake_slack: FakeSlack
) -> None:
    mention = replicas.first.requests.event_payload("app_mention", "EvReplica1")

    assert (await replicas.first.event(mention)).status == 200
    assert (await replicas.second.event(mention, **RETRY)).status == 200
    assert (await replicas.second.event(mention)).status == 200

    [answer] = fake_slack.to("chat.postMessage")
    assert answer.body["thread_ts"] == "1764280000.000100"


async def test_the_same_event_id_in_another_workspace_is_its_own_event(
    replicas: Replicas, fake_slack: FakeSlack
) -> None:
    requests = replicas.first.requests
    await replicas.first.event(requests.event_payload("app_mention", "EvSame"))
    other = requests.event_payload("app_mention", "EvSame")
    other["team_id"] = "T0002"
    await replicas.second.event(other)

    assert len(fake_slack.to("chat.postMessage")) == 2


async def test_replicas_share_one_per_user_limit(replicas: Replicas, fake_slack: FakeSlack) -> None:
    """Ten DMs round-robin over two replicas, limit 5 per 10 s: five answers and one notice."""
    for n in range(10):
        driver = replicas.first if n % 2 == 0 else replicas.second
        dm = driver.requests.event_payload("message_im", f"EvDm{n}", text="roth vs after-tax")
        assert (await driver.event(dm)).status == 200

    posted = fake_slack.to("chat.postMessage")
    notices = [call for call in posted if "Try again in" in call.shown]
    assert len(posted) - len(notices) == 5
    assert len(notices) == 1


async def test_both_replicas_keep_answering_when_redis_is_killed(
    replicas: Replicas, fake_slack: FakeSlack
) -> None:
    """New events are answered on both; a retry is not, since it cannot be checked."""
    requests = replicas.first.requests
    await replicas.first.event(requests.event_payload("message_im", "EvBefore"))
    replicas.redis.stop()

    for n, driver in enumerate((replicas.first, replicas.second)):
        dm = requests.event_payload("message_im", f"EvAfter{n}", text="what is a mega backdoor")
        assert (await driver.event(dm)).status == 200
    retried = requests.event_payload("message_im", "EvRetried")
    assert (await replicas.second.event(retried, **RETRY)).status == 200

    answers = fake_slack.to("chat.postMessage")
    assert len(answers) == 3
    assert all("Try again in" not in call.shown for call in answers)
    assert "backdoor" in answers[-1].shown.lower()

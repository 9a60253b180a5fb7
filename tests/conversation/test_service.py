"""The answering service every surface calls: a conversation goes on turn by turn from
its store (in process or Redis), a failure is one line without text, the limit counts each
person, and a delivered reply is logged once and recorded."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from bot.conversation import ConversationKey
from bot.conversation.store import ConversationMemory, ConversationStore, SharedConversations
from bot.cooldown import Cooldown
from bot.engine import Engine, default_engine
from bot.feedback.curation import Curation
from bot.feedback.database import Database
from bot.feedback.recorder import Recorder
from bot.feedback.records import Policy
from bot.feedback.schema import answers
from bot.reply import Question, Reply
from bot.service import AnsweringService
from bot.store.memory import MemoryStore
from bot.store.redis import RedisStore
from tests.fakes.redis import RedisServer
from tests.hardening.surfaces import hanging, raising

TODAY = dt.date(2026, 12, 1)
KEY = ConversationKey("console", "U1", space="T1", channel="C1", thread="1700000000.0001")

# One conversation of the development set: a room asked for, filled in two turns,
# corrected, then thanked for.
TURNS = (
    ("How much after-tax room do I have this year?", "clarify", None),
    ("I'm deferring $20,000", "clarify", None),
    ("my employer puts in 6,200", "calculation", 45800),
    ("sorry, no, employer is 8,000 not 6,200", "calculation", 44000),
    ("perfect, thank you!", "smalltalk", None),
)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return default_engine()


def service(
    engine: Engine, conversations: ConversationStore | None = None, **options: Any
) -> AnsweringService:
    options.setdefault("surface", "console")
    options.setdefault("cooldown", Cooldown(1000, 60.0))
    return AnsweringService(
        engine=engine,
        conversations=ConversationMemory() if conversations is None else conversations,
        **options,
    )


def asked(text: str, key: ConversationKey | None = KEY, user: str = "U1") -> Question:
    return Question(
        text=text,
        surface="console",
        user_id=user,
        channel_id="C1",
        today=TODAY,
        conversation=key.id if key is not None else None,
    )


def room(reply: Reply | None) -> object:
    assert reply is not None
    return (reply.result or {}).get("after_tax_room")


async def test_a_conversation_goes_on_turn_by_turn_in_process(engine: Engine) -> None:
    """Each turn reads the state the last one left: the numbers add up, the correction
    replaces the employer amount, and the thanks is small talk."""
    answering = service(engine)

    for text, kind, after_tax_room in TURNS:
        reply = await answering.turn(asked(text))
        assert reply is not None, text
        assert reply.kind == kind, text
        assert room(reply) == after_tax_room, text

    state = await answering.conversations.get(KEY.id)
    assert state is not None
    assert (state.slots.deferrals, state.slots.employer) == (Decimal(20000), Decimal(8000))
    assert await answering.in_conversation(KEY.id)


async def test_each_person_in_a_thread_has_a_conversation_of_their_own(engine: Engine) -> None:
    answering = service(engine)
    other = ConversationKey("console", "U2", space="T1", channel="C1", thread=KEY.thread)
    for text, _, _ in TURNS[:2]:
        await answering.turn(asked(text))

    theirs = await answering.turn(asked("my employer puts in 6,200", other, user="U2"))
    mine = await answering.turn(asked("my employer puts in 6,200"))

    assert room(theirs) is None, "the other person gave no deferrals"
    assert room(mine) == 45800


async def test_a_conversation_goes_on_across_two_replicas_through_redis(
    engine: Engine, redis_server: RedisServer
) -> None:
    """Turns alternate between two services on one Redis, as behind a load balancer."""
    replicas = [
        service(engine, SharedConversations(RedisStore.from_url(redis_server.url), 1800))
        for _ in range(2)
    ]

    for number, (text, kind, after_tax_room) in enumerate(TURNS):
        reply = await replicas[number % 2].turn(asked(text))
        assert reply is not None, text
        assert reply.kind == kind, text
        assert room(reply) == after_tax_room, text

    assert redis_server.stored_keys() == [f"401k-bot:conversation:{KEY.id}"]
    for replica in replicas:
        assert isinstance(replica.conversations, SharedConversations)
        await replica.conversations.store.aclose()


async def test_a_conversation_expires_after_its_ttl(engine: Engine) -> None:
    now = [1000.0]
    answering = service(engine, ConversationMemory(ttl_seconds=60, clock=lambda: now[0]))
    await answering.turn(asked("I'm deferring $20,000 and want my after-tax room"))
    assert await answering.in_conversation(KEY.id)
    now[0] += 61

    assert not await answering.in_conversation(KEY.id)
    reply = await answering.turn(asked("my employer puts in 6,200"))
    assert room(reply) is None, "the deferrals were forgotten"


async def test_a_question_without_a_conversation_is_answered_alone(engine: Engine) -> None:
    conversations = ConversationMemory()
    answering = service(engine, conversations)

    await answering.turn(asked("I'm deferring $20,000 and want my after-tax room", key=None))
    reply = await answering.turn(asked("my employer puts in 6,200", key=None))

    assert room(reply) is None
    assert len(conversations) == 0


@pytest.mark.parametrize("how", ["raises", "hangs"])
async def test_a_failed_turn_is_none_keeps_the_state_and_logs_no_text(
    engine: Engine, caplog: pytest.LogCaptureFixture, how: str
) -> None:
    """The surface sends its apology; the conversation goes on from before the failure."""
    caplog.set_level(logging.INFO)
    release = threading.Event()
    answering = service(engine, answer_seconds=0.3)
    await answering.turn(asked("I'm deferring $20,000 and want my after-tax room"))
    before = await answering.conversations.get(KEY.id)

    answering.engine = raising(engine) if how == "raises" else hanging(engine, release)
    failed = await answering.turn(asked("my employer puts in 6,200, secret words"))
    release.set()

    assert failed is None
    assert await answering.conversations.get(KEY.id) == before
    [line] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert (line.getMessage(), line.levelno) == ("answer_failed", logging.ERROR)
    code = "RuntimeError" if how == "raises" else "TimeoutError"
    assert line.__dict__["fields"] == {"event": "answer_failed", "surface": "console", "code": code}
    logged = " ".join(f"{r.getMessage()} {r.__dict__.get('fields', '')}" for r in caplog.records)
    assert "secret" not in logged
    assert "6,200" not in logged

    answering.engine = engine
    assert room(await answering.turn(asked("my employer puts in 6,200"))) == 45800


async def test_the_limit_counts_each_person_on_its_surface(engine: Engine) -> None:
    store = MemoryStore(clock=lambda: 1000.0)
    answering = service(engine, cooldown=Cooldown(2, 60.0, store))

    verdicts = [await answering.limit("T1:U1") for _ in range(3)]

    assert [v.allowed for v in verdicts] == [True, True, False]
    assert verdicts[2].retry_after > 0
    assert verdicts[2].first_refusal
    assert (await answering.limit("T1:U2")).allowed, "each person has their own window"
    other = service(engine, cooldown=Cooldown(2, 60.0, store), surface="discord")
    assert (await other.limit("T1:U1")).allowed, "each surface counts its own"


async def test_a_delivered_reply_is_logged_once_without_text_and_recorded(
    engine: Engine, sqlite_database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    curation = Curation(Policy(), Recorder(sqlite_database))
    curation.start()
    answering = service(engine, curation=curation, clock=lambda: 5.0)
    question = asked("what is a mega backdoor Roth?")
    reply = await answering.turn(question)
    assert reply is not None

    answering.delivered(reply, 0.0, question, via="dm")
    answering.delivered(None, 0.0, question)
    await curation.close()

    [line] = [r for r in caplog.records if r.getMessage() == "answered"]
    fields = line.__dict__["fields"]
    assert (fields["surface"], fields["kind"], fields["topic"]) == (
        "console",
        "article",
        "mega-backdoor-roth",
    )
    assert fields["via"] == "dm"
    assert "what is" not in str(fields)
    with sqlite_database.engine.connect() as connection:
        [row] = connection.execute(sa.select(answers)).all()
    assert (row.surface, row.kind, row.topic) == ("console", "article", "mega-backdoor-roth")
    assert answering.recent.get("U1", "C1", 5.0) == question.text


async def test_a_surface_chooses_whose_questions_are_kept_for_the_experts(
    engine: Engine,
) -> None:
    class InServersOnly(AnsweringService):
        def keeps_question(self, question: Question) -> bool:
            return not question.is_dm

    answering = InServersOnly(
        engine=engine, surface="console", cooldown=Cooldown(1000, 60.0), clock=lambda: 5.0
    )
    reply = await answering.turn(asked("what is a mega backdoor Roth?"))
    assert reply is not None
    dm = Question(text="roth vs after-tax", surface="console", user_id="U1", is_dm=True)

    answering.record(dm, reply)
    assert answering.recent.get("U1", None, 5.0) == ""
    answering.record(asked("what is a mega backdoor Roth?"), reply)
    assert answering.recent.get("U1", "C1", 5.0) == "what is a mega backdoor Roth?"

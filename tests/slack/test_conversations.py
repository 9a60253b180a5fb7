"""Conversations on Slack, through the real AsyncApp with signed requests and the fake Web API:
a thread is one conversation per person, a DM one per person, a slash command none."""

from __future__ import annotations

from typing import Any

THREAD = "1764280000.000100"
ROOM = "<@U0BOT> I defer 20,000 and my employer adds 5,000. What's my after-tax room?"
WHAT_IF = "what if my employer put in 7,000 instead?"


def in_thread(slack: Any, event_id: str, text: str, user: str = "U0PERSON") -> dict[str, Any]:
    """A message in the channel's thread that does not mention the bot."""
    return slack.requests.event_payload(
        "message_im",
        event_id,
        channel_type="channel",
        channel="C0GENERAL",
        user=user,
        text=text,
        ts=f"17642801{event_id[-2:]}.000300",
        thread_ts=THREAD,
    )


async def test_a_thread_goes_on_without_mentioning_the_bot_again(slack: Any) -> None:
    """After a mention is answered, the asker's next message in the thread is a turn."""
    await slack.event(slack.requests.event_payload("app_mention", "EvConv01", text=ROOM))
    await slack.event(in_thread(slack, "EvConv02", WHAT_IF))

    first, second = slack.fake.to("chat.postMessage")
    assert "$47,000" in first.shown
    assert second.body["thread_ts"] == THREAD
    assert "$45,000" in second.shown


async def test_others_in_the_thread_and_threads_without_the_bot_are_left_alone(
    slack: Any,
) -> None:
    """Someone else's message in the thread, or a thread the bot never answered, gets nothing."""
    await slack.event(slack.requests.event_payload("app_mention", "EvConv11", text=ROOM))
    await slack.event(in_thread(slack, "EvConv12", WHAT_IF, user="U0OTHER"))
    other_thread = in_thread(slack, "EvConv13", WHAT_IF)
    other_thread["event"]["thread_ts"] = "1764000000.000001"
    await slack.event(other_thread)

    assert len(slack.fake.to("chat.postMessage")) == 1


async def test_a_mention_in_the_thread_is_answered_once_not_twice(slack: Any) -> None:
    """Slack sends a message event beside each mention; only the mention is answered."""
    await slack.event(slack.requests.event_payload("app_mention", "EvConv21", text=ROOM))
    again = f"<@U0BOT> {WHAT_IF}"
    await slack.event(
        slack.requests.event_payload("app_mention", "EvConv22", text=again, thread_ts=THREAD)
    )
    await slack.event(in_thread(slack, "EvConv23", again))

    assert len(slack.fake.to("chat.postMessage")) == 2


async def test_a_dm_is_one_conversation(slack: Any) -> None:
    await slack.event(
        slack.requests.event_payload(
            "message_im", "EvConv31", text="how much after-tax room do I have?"
        )
    )
    await slack.event(
        slack.requests.event_payload("message_im", "EvConv32", text="I'm deferring $24,500")
    )
    await slack.event(
        slack.requests.event_payload("message_im", "EvConv33", text="my employer puts in 6,200")
    )
    await slack.event(slack.requests.event_payload("message_im", "EvConv34", text="thanks!"))

    _, still, room, thanks = slack.fake.to("chat.postMessage")
    assert "employer" in still.shown.lower()
    assert "$41,300" in room.shown
    assert "Not something I cover" not in thanks.shown


async def test_slash_commands_stay_one_shot(slack: Any) -> None:
    await slack.command("/401k", "I defer 20,000 and my employer adds 5,000. After-tax room?")
    await slack.command("/401k", WHAT_IF)

    first, second = slack.fake.to("respond")
    assert "$47,000" in first.shown
    assert "$45,000" not in second.shown


async def test_a_topic_button_in_the_thread_is_a_turn_of_the_clickers_conversation(
    slack: Any,
) -> None:
    """Clicking a related topic under the answer, then asking "how do I set that up?" in
    the thread without a mention, is read with the topic clicked."""
    await slack.event(slack.requests.event_payload("app_mention", "EvConv41", text=ROOM))
    click = slack.requests.payload("block_actions")
    click["message"] = {**click.get("message", {}), "ts": "1764280009.000900", "thread_ts": THREAD}
    click["actions"][0]["value"] = "mega-backdoor-roth"
    await slack.interaction(click)
    await slack.event(in_thread(slack, "EvConv42", "how would I set that up?"))

    posts = slack.fake.to("chat.postMessage")
    assert "mega backdoor" in posts[-1].shown.lower()
    assert posts[-1].body["thread_ts"] == THREAD

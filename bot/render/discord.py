"""A Reply as Discord message data: embed dicts, button specs and no-mention settings.

Pure: the adapter turns each embed dict into a `discord.Embed` with `Embed.from_dict`
and each button spec into a button; nothing here imports discord. Limits are Discord's
documented embed limits (as of 2026): a message whose embeds break them is rejected.
Every piece of text is defused (`defuse`), so nothing a person typed can show as
@everyone, @here or a user, role or channel mention.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal
from urllib.parse import urlsplit

from bot.reply import Kind, Reply

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELDS_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
CONTENT_LIMIT = 2000
TOTAL_LIMIT = 6000
EMBEDS_LIMIT = 10
BUTTONS_LIMIT = 25
BUTTON_LABEL_LIMIT = 80
CUSTOM_ID_LIMIT = 100
MIN_BODY = 300

# Sent with every message: no @everyone/@here, role, user or reply pings.
NO_MENTIONS: dict[str, Any] = {"parse": [], "replied_user": False}

ZERO_WIDTH_SPACE = "\u200b"
# @everyone and @here, and the <@id>, <@!id>, <@&id> and <#id> forms of mentions.
_PINGS = re.compile(r"(?<=@)(?=(?:everyone|here)\b)|(?<=<)(?=(?:@[!&]?|#)\d)", re.IGNORECASE)

TOPIC_PREFIX = "401k:topic:"
TOPIC_PATTERN = TOPIC_PREFIX + r"(?P<topic>[a-z0-9][a-z0-9-]{0,80})"

ASK_HELP = "Ask `help` to see what I can do."
DISCORD_ASK_HELP = "Use `/help` to see what I can do, or ask with `/401k`, an @mention or a DM."
DISCORD_HELP = "\n".join(
    [
        "- `/401k` with a question (the box suggests topics as you type); "
        "`/aftertaxroom` with deferrals, employer money, age, year, salary or a match formula; "
        "`/limits` for a year's limits; `/about` for what I log and where my figures come from.",
        "- @mention me in a channel (I reply to your message), or send me a DM.",
        "- Right-click a message → *Apps* → *Ask 401k-bot about this message* to ask about "
        "someone else's question; only you see the answer.",
        "- Answers to commands are visible only to you; choose `public: True` to post one "
        "in the channel.",
    ]
)
_TOPIC_IDS = re.compile(r" \(`(?P<topic>[a-z0-9][a-z0-9-]*)`\)")
_OTHER_SURFACES = re.compile(r"^- \*\*(?:Terminal|Slack)\*\*:")
_DISCORD_LINE = re.compile(r"^- \*\*Discord\*\*:")

COLORS: dict[Kind, int] = {
    "article": 0x5865F2,
    "calculation": 0x2E8B57,
    "clarify": 0xF0B232,
    "fallback": 0x80848E,
    "smalltalk": 0x3BA55C,
}
NOTICE_COLOR = 0x80848E

ButtonStyle = Literal["primary", "secondary"]


@dataclass(frozen=True)
class ButtonSpec:
    """A button that asks the bot about `topic` when clicked."""

    topic: str
    label: str
    style: ButtonStyle = "secondary"

    @property
    def custom_id(self) -> str:
        return topic_custom_id(self.topic)


@dataclass(frozen=True)
class ActionSpec:
    """A button that does something other than ask about a topic: feedback, or the experts."""

    custom_id: str
    label: str
    style: Literal["secondary", "success", "primary"] = "secondary"
    disabled: bool = False


@dataclass(frozen=True)
class DiscordMessage:
    """What one send carries: embeds in Discord's JSON shape, buttons, allowed mentions.

    `text` is the same answer as message content (within 2,000 characters, disclosure
    included), for channels where the bot may not embed; `disclosure`, `topic` and `kind`
    say what the answer carries and is about, for the short form.
    """

    embeds: list[dict[str, Any]]
    buttons: list[ButtonSpec] = field(default_factory=list)
    allowed_mentions: Mapping[str, Any] = field(default_factory=lambda: dict(NO_MENTIONS))
    text: str = ""
    disclosure: str = ""
    topic: str | None = None
    kind: Kind | None = None
    actions: list[ActionSpec] = field(default_factory=list)


def defuse(text: str) -> str:
    """`text` with a zero-width space inside every @everyone, @here and `<@…>`-style mention.

    The text reads the same, but Discord no longer shows or treats it as a mention.
    """
    return _PINGS.sub(ZERO_WIDTH_SPACE, text)


def topic_custom_id(topic: str) -> str:
    """The button custom id that asks about `topic`."""
    return f"{TOPIC_PREFIX}{topic}"[:CUSTOM_ID_LIMIT]


def embed_length(embed: Mapping[str, Any]) -> int:
    """The characters Discord counts toward the 6,000 per message."""
    total = len(embed.get("title", "")) + len(embed.get("description", ""))
    total += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
    total += len(embed.get("footer", {}).get("text", ""))
    return total + len(embed.get("author", {}).get("name", ""))


def for_discord(reply: Reply) -> Reply:
    """`reply` in Discord's words: its commands, no topic ids, no other surface's help.

    The buttons under a reply already lead to the topics it names, so their ids go.
    """
    text = _TOPIC_IDS.sub(
        lambda m: "" if m["topic"] in reply.suggestions else m[0], reply.text
    ).replace(ASK_HELP, DISCORD_ASK_HELP)
    if reply.topic == "help" and reply.kind == "article":
        lines = [line for line in text.splitlines() if not _OTHER_SURFACES.match(line)]
        text = "\n".join(DISCORD_HELP if _DISCORD_LINE.match(line) else line for line in lines)
    return replace(reply, text=text)


def to_message(
    reply: Reply,
    titles: Mapping[str, str] | None = None,
    *,
    feedback: bool = False,
    expert: bool = False,
) -> DiscordMessage:
    """The embeds and buttons for `reply` in Discord's words; `titles` labels the buttons.

    With `feedback`, an article or a calculation carries "Helpful" / "Not helpful"; with
    `expert`, a fallback offers "Ask a moderator" (dropped where no channel is set).
    """
    reply = for_discord(reply)
    steps = [defuse(step) for step in _steps(reply)]
    text = defuse(reply.text)
    disclosure = defuse(reply.disclosure)
    body = _without_steps(text, steps) if steps else text
    fields = _code_fields("Arithmetic", steps)
    fields += _link_fields("Sources", reply.sources)
    footer = f"Tax year {reply.tax_year} · {disclosure}"
    content = to_content(defuse(reply.title), body, fields, disclosure, reply.tax_year)
    if len(footer) > FOOTER_LIMIT:
        # A disclosure too long for a footer still goes out whole, after the body.
        body = f"{body.rstrip()}\n\n_{disclosure.strip()}_"
        footer = f"Tax year {reply.tax_year}"
    embeds = _embeds(
        title=defuse(reply.title),
        url=reply.sources[0] if reply.sources else None,
        body=body,
        fields=fields,
        footer=footer,
        color=COLORS[reply.kind],
    )
    style: ButtonStyle = "primary" if reply.kind == "clarify" else "secondary"
    labels = titles or {}
    also = [
        ButtonSpec(
            topic,
            _clip(
                "Also about: " + defuse(labels.get(topic) or _humanize(topic)), BUTTON_LABEL_LIMIT
            ),
            "primary",
        )
        for topic in dict.fromkeys(reply.also)
        if topic != reply.topic and re.fullmatch(TOPIC_PATTERN, topic_custom_id(topic))
    ]
    buttons = also + [
        ButtonSpec(
            topic, _clip(defuse(labels.get(topic) or _humanize(topic)), BUTTON_LABEL_LIMIT), style
        )
        for topic in dict.fromkeys(reply.suggestions)
        if topic not in reply.also
        # A clarify's candidates include its own topic; other replies skip a link to themselves.
        and (topic != reply.topic or reply.kind == "clarify")
        and re.fullmatch(TOPIC_PATTERN, topic_custom_id(topic))
    ]
    actions = feedback_actions(reply) if feedback else []
    if expert and reply.kind == "fallback":
        actions.append(EXPERT_ACTION)
    return DiscordMessage(
        embeds=embeds,
        buttons=buttons[: BUTTONS_LIMIT - len(actions)],
        text=content,
        disclosure=disclosure,
        topic=reply.topic,
        kind=reply.kind,
        actions=actions,
    )


def notice(text: str, disclosure: str, title: str | None = None) -> DiscordMessage:
    """A short message that is not an answer (a cooldown, bad input, an apology)."""
    embed: dict[str, Any] = {
        "description": _clip(defuse(text), DESCRIPTION_LIMIT),
        "color": NOTICE_COLOR,
        "footer": {"text": _clip(defuse(disclosure), FOOTER_LIMIT)},
    }
    if title:
        embed["title"] = _clip(defuse(title), TITLE_LIMIT)
    shown = defuse(disclosure)
    content = to_content(embed.get("title", ""), embed["description"], [], shown)
    return DiscordMessage(embeds=[embed], text=content, disclosure=shown)


def to_content(
    title: str,
    body: str,
    fields: Sequence[Mapping[str, Any]],
    disclosure: str,
    tax_year: int | None = None,
) -> str:
    """The answer as one message's content: the body is clipped, never the disclosure.

    Links are wrapped in `<…>` so that no preview is shown.
    """
    head = f"**{_clip(title, TITLE_LIMIT)}**" if title else ""
    year = f"Tax year {tax_year} · " if tax_year is not None else ""
    tail = _clip(f"-# {year}{disclosure.strip()}", CONTENT_LIMIT - len(head) - 4)
    parts = [body.strip()] + [f"**{f['name']}**\n{_no_previews(f['value'])}" for f in fields]
    middle = "\n\n".join(part for part in parts if part)
    room = CONTENT_LIMIT - len(head) - len(tail) - 4
    return "\n\n".join(part for part in (head, _clip(middle, room), tail) if part)


def shortened(message: DiscordMessage, more: str = "More") -> DiscordMessage:
    """An article as its title, its first paragraph and a button for the whole answer.

    Other kinds of message (calculations, clarify, notices) are returned as they are.
    """
    if message.kind != "article" or not message.topic:
        return message
    button = ButtonSpec(message.topic, more, "primary")
    if not re.fullmatch(TOPIC_PATTERN, button.custom_id):
        return message
    first, last = message.embeds[0], message.embeds[-1]
    paragraph = str(first.get("description", "")).split("\n\n", 1)[0]
    footer = str(last.get("footer", {}).get("text", ""))
    description = paragraph
    if message.disclosure.strip() not in footer:
        description = f"{paragraph}\n\n_{message.disclosure.strip()}_"
    embed = {k: v for k, v in first.items() if k in ("title", "url", "color")}
    room = TOTAL_LIMIT - len(str(embed.get("title", ""))) - len(footer)
    embed["description"] = _clip(description, min(DESCRIPTION_LIMIT, room))
    embed["footer"] = {"text": footer}
    text = to_content(str(embed.get("title", "")), paragraph, [], message.disclosure)
    return replace(message, embeds=[embed], buttons=[button], text=text)


def _no_previews(value: str) -> str:
    return re.sub(r"\]\((https?://[^)\s]+)\)", r"](<\1>)", value)


def _steps(reply: Reply) -> list[str]:
    steps = (reply.result or {}).get("steps")
    if not isinstance(steps, list):
        return []
    return [str(step) for step in steps]


def _without_steps(text: str, steps: Sequence[str]) -> str:
    """The body less the step bullets, which go in the Arithmetic field instead."""
    wanted = {step.strip() for step in steps}
    kept = [line for line in text.splitlines() if line.lstrip("•-* ").strip() not in wanted]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def _code_fields(name: str, lines: Sequence[str]) -> list[dict[str, Any]]:
    fence = "```"
    room = FIELD_VALUE_LIMIT - len(fence) * 2 - 2
    chunks = _pack([_clip(line.replace("`", "'"), room) for line in lines], room, "\n")
    return [
        {"name": name if i == 0 else f"{name} (continued)", "value": f"{fence}\n{chunk}\n{fence}"}
        for i, chunk in enumerate(chunks)
    ]


def _link_fields(name: str, urls: Sequence[str]) -> list[dict[str, Any]]:
    links = [f"[{_link_label(url)}]({url})" for url in urls if len(url) < FIELD_VALUE_LIMIT - 70]
    chunks = _pack(links, FIELD_VALUE_LIMIT, "\n")
    return [
        {"name": name if i == 0 else f"{name} (continued)", "value": chunk}
        for i, chunk in enumerate(chunks)
    ]


def _link_label(url: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.removeprefix("www.")
    tail = parts.path.rstrip("/").rsplit("/", 1)[-1]
    label = f"{host}: {tail.replace('-', ' ')}" if tail else host
    return _clip(label.replace("[", "(").replace("]", ")"), 60)


def _embeds(
    *,
    title: str,
    url: str | None,
    body: str,
    fields: list[dict[str, Any]],
    footer: str,
    color: int,
) -> list[dict[str, Any]]:
    """Embeds within Discord's limits: the body split across as many as it takes."""
    title = _clip(title, TITLE_LIMIT)
    fields = [
        {"name": _clip(f["name"], FIELD_NAME_LIMIT), "value": f["value"], "inline": False}
        for f in fields
    ]
    fixed = len(title) + len(footer)
    # Fields beyond what leaves the body a few hundred characters are dropped, last first.
    while fields and fixed + _fields_length(fields) > TOTAL_LIMIT - MIN_BODY:
        fields.pop()
    fixed += _fields_length(fields)
    field_groups = [fields[i : i + FIELDS_LIMIT] for i in range(0, len(fields), FIELDS_LIMIT)]
    budget = max(TOTAL_LIMIT - fixed, 0)
    body = _clip(body.strip(), budget)
    chunks = _split(body, DESCRIPTION_LIMIT) if body else []
    count = min(max(len(chunks), len(field_groups), 1), EMBEDS_LIMIT)
    embeds: list[dict[str, Any]] = [{"color": color} for _ in range(count)]
    embeds[0]["title"] = title
    if url:
        embeds[0]["url"] = url
    for embed, chunk in zip(embeds, chunks, strict=False):
        embed["description"] = chunk
    # Fields sit at the end: the last groups go on the last embeds.
    for embed, group in zip(embeds[count - len(field_groups) :], field_groups, strict=False):
        embed["fields"] = group
    embeds[-1]["footer"] = {"text": footer}
    return embeds


def _fields_length(fields: Sequence[Mapping[str, Any]]) -> int:
    return sum(len(f["name"]) + len(f["value"]) for f in fields)


def _split(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit`, broken at paragraphs, then lines, then words."""
    pieces: list[str] = []
    while len(text) > limit:
        cuts = (text.rfind(sep, 0, limit + 1) for sep in ("\n\n", "\n", " "))
        cut = next((c for c in cuts if c > 0), limit)
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*pieces, text] if text else pieces


def _pack(items: Sequence[str], limit: int, sep: str) -> list[str]:
    """Join `items` with `sep` into as few strings of at most `limit` as possible."""
    chunks: list[str] = []
    current = ""
    for item in items:
        candidate = f"{current}{sep}{item}" if current else item
        if len(candidate) <= limit:
            current = candidate
        else:
            chunks.append(current)
            current = item
    return [*chunks, current] if current else chunks


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + "…"


def _humanize(topic: str) -> str:
    words = topic.replace("-", " ")
    return words[:1].upper() + words[1:]


# Feedback and "Ask a moderator". Custom ids stay within Discord's 100 characters:
# `401k:fb:<u|d>:<a|c>:<topic>` for helpful or not, on an article or a calculation.
FEEDBACK_PREFIX = "401k:fb:"
FEEDBACK_PATTERN = (
    FEEDBACK_PREFIX + r"(?P<verdict>[ud]):(?P<kind>[ac]):(?P<topic>[a-z0-9][a-z0-9-]{0,80})"
)
FEEDBACK_KINDS = {"a": "article", "c": "calculation"}
EXPERT_ID = "401k:expert"
THANKS_ID = "401k:thanks"
THANKS = "Thanks for the feedback"
EXPERT_ACTION = ActionSpec(EXPERT_ID, "Ask a moderator", "primary")
THANKS_ACTION = ActionSpec(THANKS_ID, THANKS, "success", disabled=True)


def feedback_actions(reply: Reply) -> list[ActionSpec]:
    """ "Helpful" and "Not helpful" for an article or a calculation; none for other replies."""
    kinds = {kind: code for code, kind in FEEDBACK_KINDS.items()}
    if reply.kind not in kinds or not reply.topic:
        return []
    ids = [f"{FEEDBACK_PREFIX}{v}:{kinds[reply.kind]}:{reply.topic}" for v in "ud"]
    if not all(re.fullmatch(FEEDBACK_PATTERN, i) for i in ids):
        return []
    return [ActionSpec(ids[0], "Helpful"), ActionSpec(ids[1], "Not helpful")]


def read_feedback(custom_id: str) -> tuple[bool, str, str] | None:
    """(helpful, kind, topic) from a feedback button's custom id, or None."""
    match = re.fullmatch(FEEDBACK_PATTERN, custom_id)
    if match is None:
        return None
    return match["verdict"] == "u", FEEDBACK_KINDS[match["kind"]], match["topic"]


def without_expert(message: DiscordMessage) -> DiscordMessage:
    """`message` without "Ask a moderator", for a place with no moderators' channel."""
    return replace(message, actions=[a for a in message.actions if a.custom_id != EXPERT_ID])

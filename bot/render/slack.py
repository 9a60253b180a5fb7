"""A Reply as a Slack message: Block Kit blocks plus a plain `text` fallback.

Pure: plain data in, plain dicts out. Every piece of text from a person or an
article is escaped (`&`, `<`, `>`), so nothing in it can become a mention, a
broadcast or a link; the only `<…>` sequences are the links built here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from bot.render.text import plain
from bot.reply import Reply

# Slack's limits, as of 2025 (docs.slack.dev "Block Kit" reference pages).
SECTION_TEXT_MAX = 3000
CONTEXT_TEXT_MAX = 2000
BUTTON_TEXT_MAX = 75
MESSAGE_BLOCKS_MAX = 50
# Slack rejects messages whose block text adds up to much more than this.
MESSAGE_TEXT_BUDGET = 12_000
FALLBACK_TEXT_MAX = 3000
MAX_BUTTONS = 5
BLOCK_ID_MAX = 255

Block = dict[str, Any]

_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_STAR_ITALIC = re.compile(r"(?<![\w*])\*(?![\s*])(.+?)(?<![\s*])\*(?![\w*])")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+)\)")
_BULLET = re.compile(r"^(\s*)[-*]\s+", re.MULTILINE)
_TOPIC_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
_WORDS = {"ira": "IRA", "roth": "Roth", "vs": "vs", "401k": "401(k)", "1099r": "1099-R"}


def escape(text: str) -> str:
    """Text with `&`, `<` and `>` escaped, so Slack shows it literally."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(url: str, label: str) -> str:
    # A `|` in the URL would end it early and turn the rest into the label Slack shows.
    return f"<{escape(url.replace('|', '%7C'))}|{label.replace('|', '/')}>"


def to_mrkdwn(markdown: str) -> str:
    """The Markdown of replies and articles as Slack mrkdwn, every character of it escaped."""
    text = escape(markdown)
    links: list[str] = []

    def keep_link(match: re.Match[str]) -> str:
        links.append(_link(match[2].replace("&amp;", "&"), match[1]))
        return f"\x00{len(links) - 1}\x00"

    text = _LINK.sub(keep_link, text)
    text = _BOLD.sub(lambda m: "\x01" + (m[1] or m[2]) + "\x01", text)
    text = _STAR_ITALIC.sub(r"_\1_", text)
    text = _BULLET.sub(r"\1• ", text).replace("\x01", "*")
    return re.sub(r"\x00(\d+)\x00", lambda m: links[int(m[1])], text)


def to_plain(markdown: str) -> str:
    """The Markdown as escaped plain text, for notifications and the `text` fallback."""
    text = _LINK.sub(lambda m: f"{m[1]} ({m[2]})", markdown)
    return escape(_BULLET.sub(r"\1• ", plain(text)))


def topic_label(topic: str, titles: Mapping[str, str] | None = None) -> str:
    """A button label for a topic id: its title when known, else the id in words."""
    if titles and topic in titles:
        label = titles[topic]
    else:
        words = [_WORDS.get(w, w) for w in topic.split("-")]
        label = " ".join(words)
        label = label[:1].upper() + label[1:]
    return escape(_clip(label, BUTTON_TEXT_MAX - 10))


def source_label(url: str) -> str:
    """A short readable label for a source URL: its site and the last part of its path."""
    parts = urlsplit(url)
    host = parts.netloc.removeprefix("www.")
    tail = parts.path.rstrip("/").rsplit("/", 1)[-1].replace("-", " ")
    return escape(_clip(f"{host}: {tail}" if tail else host, 80))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _safe_cut(text: str, cut: int) -> int:
    """`cut` moved back so it falls outside an `&…;` entity and a `<…>` link."""
    opened = text.rfind("<", 0, cut)
    if opened > text.rfind(">", 0, cut):
        cut = opened
    amp = text.rfind("&", 0, cut)
    if amp >= 0 and ";" not in text[amp:cut]:
        cut = amp
    return cut


def _cut(markup: str, limit: int) -> str:
    """Escaped mrkdwn shortened to `limit` characters with "…", never mid-entity or mid-link."""
    if len(markup) <= limit:
        return markup
    cut = _safe_cut(markup, max(0, limit - 1))
    return markup[:cut].rstrip() + "…"


def _pieces(markup: str, limit: int = CONTEXT_TEXT_MAX, most: int = 8) -> list[str]:
    """`markup` cut into at most `most` pieces of `limit` characters, never mid-entity."""
    pieces: list[str] = []
    while markup and len(pieces) < most:
        cut = len(markup) if len(markup) <= limit else _safe_cut(markup, limit) or limit
        pieces.append(markup[:cut])
        markup = markup[cut:]
    if markup:
        pieces[-1] = _cut(pieces[-1], limit)
    return pieces


def _chunks(text: str, limit: int) -> list[str]:
    """Escaped mrkdwn in pieces of at most `limit` characters, cut at line ends where possible."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            cut = line.rfind(" ", 0, limit + 1)
            cut = _safe_cut(line, cut if cut > limit // 2 else limit) or limit
            pieces.append(line[:cut])
            line = line[cut:].lstrip()
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    pieces.append(current)
    return [piece for piece in pieces if piece.strip()]


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def sections(markup: str) -> list[Block]:
    """Escaped mrkdwn as section blocks, each within Slack's section text limit."""
    return [_section(piece) for piece in _chunks(markup, SECTION_TEXT_MAX)]


def context_block(disclosure: str, tax_year: int, sources: Sequence[str]) -> Block:
    """The disclosure, the tax year and the sources, small print under every reply."""
    elements = [{"type": "mrkdwn", "text": part} for part in _pieces(escape(disclosure))]
    info = f"Tax year {tax_year}"
    links = [_link(url, source_label(url)) for url in sources if url.startswith("http")]
    if links:
        info += " · Sources: "
        kept: list[str] = []
        for link in links:
            if len(info) + sum(len(k) + 2 for k in kept) + len(link) > CONTEXT_TEXT_MAX:
                break
            kept.append(link)
        info += ", ".join(kept)
    elements.append({"type": "mrkdwn", "text": info})
    return {"type": "context", "elements": elements}


def buttons_for(suggestions: Sequence[str]) -> list[str]:
    """The suggestions that are topic ids, each once, as many as get buttons."""
    ids = [s for s in dict.fromkeys(suggestions) if _TOPIC_ID.fullmatch(s)]
    return ids[:MAX_BUTTONS]


def topic_buttons(
    topics: Sequence[str],
    titles: Mapping[str, str] | None = None,
    year: int | None = None,
    block_id: str = "topics",
) -> Block:
    """Buttons that ask about each topic when clicked.

    Each has `action_id` `topic:<id>` and `value` `<id>@<year>`, so the answer keeps
    the tax year of the reply it was under.
    """
    return {
        "type": "actions",
        "block_id": block_id,
        "elements": [
            {
                "type": "button",
                "action_id": f"topic:{topic}",
                "value": topic if year is None else f"{topic}@{year}",
                "text": {"type": "plain_text", "text": topic_label(topic, titles)},
            }
            for topic in topics
        ],
    }


def _fallback(reply: Reply) -> str:
    head = _cut(escape(reply.title), 300)
    tail = f"\n\nTax year {reply.tax_year}. {_cut(escape(reply.disclosure), 1000)}"
    body = _cut(to_plain(reply.text).strip(), FALLBACK_TEXT_MAX - len(head) - len(tail) - 1)
    return f"{head}\n{body}{tail}" if body else head + tail


def reply_block_id(reply: Reply) -> str:
    """The title block's id, `reply:<kind>:<topic>`: what was answered, unseen by people.

    Slack sends the message's blocks back with a click on its buttons, so whatever
    handles the click can tell which reply it was under without reading its text.
    """
    return f"reply:{reply.kind}:{reply.topic or ''}"[:BLOCK_ID_MAX]


def _buttons_label(reply: Reply) -> str | None:
    """The line above the topic buttons; none when the title already asks which topic."""
    if reply.kind == "fallback":
        return "Topics I do cover:"
    if reply.kind == "clarify" and reply.title.rstrip().endswith("?"):
        return None
    return "Related topics:"


def to_message(
    reply: Reply,
    titles: Mapping[str, str] | None = None,
    *,
    feedback: bool = False,
    expert: bool = False,
) -> dict[str, Any]:
    """`{"text": fallback, "blocks": [...]}` for chat.postMessage, respond() or postEphemeral.

    The body is cut to fit Slack's limits; the title, the buttons and the context
    block with the disclosure are always kept. With `feedback`, an article or a
    calculation carries the "Helpful" / "Not helpful" buttons; with `expert`, a
    fallback that offers topics (an answer, not a notice such as the slow-down or the
    apology) offers "Ask the benefits team".
    """
    head = _section(f"*{_cut(escape(reply.title), 300)}*")
    head["block_id"] = reply_block_id(reply)
    footer: list[Block] = []
    also = buttons_for(reply.also)
    if also:
        footer.append(_section("Also about:"))
        footer.append(topic_buttons(also, titles, reply.tax_year, block_id="also"))
    topics = [topic for topic in buttons_for(reply.suggestions) if topic not in also]
    if topics:
        label = _buttons_label(reply)
        if label:
            footer.append(_section(label))
        footer.append(topic_buttons(topics, titles, reply.tax_year))
    rating = feedback_block(reply) if feedback else None
    if rating is not None:
        footer.append(rating)
    if expert and reply.kind == "fallback" and reply.suggestions:
        footer.append(expert_block())
    footer.append(context_block(reply.disclosure, reply.tax_year, reply.sources))

    note = "\n_(shortened to fit in Slack)_"
    budget = MESSAGE_TEXT_BUDGET - block_text_length([head, *footer]) - len(note)
    room = MESSAGE_BLOCKS_MAX - 1 - len(footer)
    body: list[Block] = []
    for piece in _chunks(to_mrkdwn(reply.text.strip()), SECTION_TEXT_MAX - len(note)):
        if len(body) == room or len(piece) > budget:
            if len(body) < room and budget > 100:
                body.append(_section(_cut(piece, budget) + note))
            elif body:
                body[-1]["text"]["text"] += note
            break
        body.append(_section(piece))
        budget -= len(piece)
    return {"text": _fallback(reply), "blocks": [head, *body, *footer]}


def block_text_length(blocks: Sequence[Block]) -> int:
    """The characters of text in `blocks`, as Slack counts them toward a message's size."""
    total = 0
    for block in blocks:
        if "text" in block:
            total += len(block["text"]["text"])
        for element in block.get("elements", []):
            text = element.get("text")
            total += len(text["text"] if isinstance(text, dict) else text or "")
        for item in block.get("fields", []):
            total += len(item["text"])
    return total


# Feedback on a reply: the buttons, the thanks that replaces them, the optional reason.
FEEDBACK_BLOCK = "feedback"
HELPFUL = "feedback:helpful"
NOT_HELPFUL = "feedback:not-helpful"
THANKS = "Thanks for the feedback"
REASON_CALLBACK = "feedback_reason"
REASON_BLOCK = "reason"
REASON_MAX = 300
RATED_KINDS = ("article", "calculation")


def feedback_value(reply: Reply) -> str:
    """What a feedback button carries: `<kind>:<topic>` of the reply it is under."""
    return f"{reply.kind}:{reply.topic or ''}"[:BLOCK_ID_MAX]


def feedback_block(reply: Reply) -> Block | None:
    """ "Helpful" and "Not helpful" under an article or a calculation; None for others."""
    if reply.kind not in RATED_KINDS:
        return None
    value = feedback_value(reply)
    return {
        "type": "actions",
        "block_id": FEEDBACK_BLOCK,
        "elements": [
            {
                "type": "button",
                "action_id": action,
                "value": value,
                "text": {"type": "plain_text", "text": label},
            }
            for action, label in ((HELPFUL, "Helpful"), (NOT_HELPFUL, "Not helpful"))
        ],
    }


def thanked(blocks: Sequence[Block], extra: Sequence[Block] = ()) -> list[Block]:
    """`blocks` with the feedback buttons replaced by the thanks (and `extra` after it)."""
    out: list[Block] = []
    for block in blocks:
        if block.get("block_id") == FEEDBACK_BLOCK:
            out.append(
                {
                    "type": "context",
                    "block_id": FEEDBACK_BLOCK,
                    "elements": [{"type": "mrkdwn", "text": THANKS}],
                }
            )
            out.extend(extra)
        else:
            out.append(block)
    return out


def reason_view(metadata: str) -> dict[str, Any]:
    """The optional "what was wrong?" form after "Not helpful"; `metadata` names the reply."""
    return {
        "type": "modal",
        "callback_id": REASON_CALLBACK,
        "private_metadata": metadata,
        "notify_on_close": True,
        "title": {"type": "plain_text", "text": "Not helpful"},
        "submit": {"type": "plain_text", "text": "Send"},
        "close": {"type": "plain_text", "text": "Skip"},
        "blocks": [
            {
                "type": "input",
                "block_id": REASON_BLOCK,
                "optional": True,
                "label": {"type": "plain_text", "text": "What was missing or wrong?"},
                "hint": {
                    "type": "plain_text",
                    "text": "Optional. Kept without numbers, names, emails or links.",
                },
                "element": {
                    "type": "plain_text_input",
                    "action_id": REASON_BLOCK,
                    "multiline": True,
                    "max_length": REASON_MAX,
                },
            }
        ],
    }


# "Ask the benefits team": the button, and the form that shows exactly what is sent.
EXPERT_ACTION = "expert:ask"
EXPERT_BLOCK = "expert"
EXPERT_CALLBACK = "expert_confirm"
EXPERT_TEXT_BLOCK = "question"


def expert_block() -> Block:
    return {
        "type": "actions",
        "block_id": EXPERT_BLOCK,
        "elements": [
            {
                "type": "button",
                "action_id": EXPERT_ACTION,
                "value": "ask",
                "text": {"type": "plain_text", "text": "Ask the benefits team"},
            }
        ],
    }


def expert_view(question: str, channel: str, metadata: str, linked: bool) -> dict[str, Any]:
    """The confirm form: the question as it will be posted (editable) and where it goes."""
    where = (
        "with a link to this conversation, so the team can answer you there."
        if linked
        else "with your name, so the team can reply to you directly."
    )
    return {
        "type": "modal",
        "callback_id": EXPERT_CALLBACK,
        "private_metadata": metadata,
        "title": {"type": "plain_text", "text": "Ask the benefits team"},
        "submit": {"type": "plain_text", "text": "Send"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": EXPERT_TEXT_BLOCK,
                "label": {
                    "type": "plain_text",
                    "text": "Your question, exactly as it will be sent",
                },
                "element": {
                    "type": "plain_text_input",
                    "action_id": EXPERT_TEXT_BLOCK,
                    "multiline": True,
                    "max_length": 2000,
                    **({"initial_value": question} if question else {}),
                },
            },
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": f"Posted in <#{escape(channel)}> {where} "
                        "Nothing is sent until you press Send.",
                    }
                ],
            },
        ],
    }

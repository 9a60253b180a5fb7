"""`401k-bot slack`: run the Slack app in Socket Mode, or in HTTP mode with `--http`."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from bot.commands import UsageError, summary, whole


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "slack",
        help=summary("slack"),
        description="Answer in Slack: mentions, DMs, /aftertaxroom, /401k and the shortcuts. "
        "Socket Mode needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN; HTTP mode needs "
        "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET and serves /slack/events, /healthz, "
        "/readyz (ready once Slack accepted the token, which is checked at start) and "
        "/metrics.",
        epilog="example: 401k-bot slack --http --port 3000",
    )
    parser.add_argument(
        "--http", action="store_true", help="serve Slack's HTTP requests instead of Socket Mode"
    )
    parser.add_argument(
        "--host", default="0.0.0.0", help="address to listen on in HTTP mode (default 0.0.0.0)"
    )
    parser.add_argument(
        "--port",
        type=whole(0, 65535, "port"),
        default=3000,
        help="port to listen on in HTTP mode (default 3000)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from bot.logs import configure
    from bot.settings import load_settings
    from bot.slack.config import credentials

    settings = load_settings()
    configure(settings.log_level, settings.log_format)
    creds = credentials(settings, http=args.http)

    from bot.feedback.curation import open_curation, serving
    from bot.knowledge import KnowledgeError
    from bot.slack.answering import answerer_for
    from bot.slack.run import serve_http, serve_socket

    try:
        answerer = answerer_for(settings)
    except KnowledgeError as exc:
        raise UsageError(str(exc)) from None
    answerer.curation = open_curation(settings)
    if args.http:
        asyncio.run(serving(answerer.curation, serve_http(answerer, creds, args.host, args.port)))
    else:
        asyncio.run(serving(answerer.curation, serve_socket(answerer, creds)))
    return 0

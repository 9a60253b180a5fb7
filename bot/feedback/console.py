"""`+` and `-` in `chat`: feedback on the last answer, written at once to the database.

The database modules are imported only when someone rates an answer, so `chat` itself
starts without SQLAlchemy.
"""

from __future__ import annotations

import datetime as dt

from bot.feedback.records import RATED, feedback_record
from bot.reply import Reply
from bot.settings import SettingsError, load_settings

RATINGS = {"+": True, "-": False}
NOTHING = "Nothing to rate yet: + and - rate the last article or calculation."
THANKS = "Thanks for the feedback."
OFF = "Feedback is off (BOT_FEEDBACK=off): nothing was recorded."


def rate(reply: Reply | None, helpful: bool, now: dt.datetime) -> str:
    """Record `helpful` for `reply` and say so in one line; never raises."""
    if reply is None or reply.kind not in RATED:
        return NOTHING
    try:
        settings = load_settings()
    except SettingsError as exc:
        return f"Not recorded: {exc}"
    from bot.feedback.curation import policy_for

    record = feedback_record(
        policy_for(settings), now, "console", (reply.kind, reply.topic), helpful
    )
    if record is None:
        return OFF
    from bot.feedback.database import Database, DatabaseError

    try:
        database = Database(settings.bot_database_url)
        if database.is_sqlite:
            database.upgrade()
        else:
            database.check()
        database.write([record])
        database.close()
    except DatabaseError as exc:
        return f"Not recorded: {exc}"
    except Exception as exc:
        return f"Not recorded: the database refused ({type(exc).__name__})"
    return THANKS

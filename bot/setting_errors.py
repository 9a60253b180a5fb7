"""`SettingsError`, apart from the settings model, so that a start which never validates
the settings (a prepared copy of them) need not import pydantic to report one."""

from __future__ import annotations


class SettingsError(Exception):
    """A setting that is missing or malformed; the message names the variable."""

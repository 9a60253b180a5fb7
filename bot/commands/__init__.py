"""The `401k-bot` subcommands, one module each; heavy libraries are imported inside `run`."""


class UsageError(Exception):
    """Bad command-line input; printed as one line, exit status 2."""

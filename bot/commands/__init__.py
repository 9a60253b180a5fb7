"""The `401k-bot` subcommands, one module each; heavy libraries are imported inside `run`."""

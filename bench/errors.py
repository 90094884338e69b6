"""Errors the harness reports to the user without a traceback."""


class UsageError(ValueError):
    """Invalid command-line flag, sweep setting or name; the CLI exits with code 2."""

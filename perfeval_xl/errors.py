"""Exceptions shared by the edges and the CLI."""


class UserError(Exception):
    """A problem the user can fix; the CLI prints it without a traceback and exits 2."""

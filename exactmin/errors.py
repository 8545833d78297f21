"""Exception types. ``InputError`` is bad user input: the CLI prints its message on one line, exit 2."""


class ExactminError(Exception):
    """Base class of exactmin's own errors."""


class InputError(ExactminError):
    """Malformed or out-of-bounds input (instance file, certificate, command-line value)."""

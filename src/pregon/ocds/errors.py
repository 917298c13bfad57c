"""The toolkit's error family: one base class, mapped once to a message and an exit code by the CLI."""

from __future__ import annotations


class OCDSError(Exception):
    """Base class of every error the toolkit raises on purpose.

    ``str(error)`` says what is wrong; ``hint`` (may be empty) says what to do about it.
    """

    exit_code = 1

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


class InputError(OCDSError):
    """The input is not readable OCDS data: not JSON, not releases or records, or a broken stream."""

    exit_code = 2


class SchemaError(OCDSError):
    """A schema file is missing, not JSON or not a release schema."""

    exit_code = 2


class MergeError(OCDSError):
    """Releases cannot be merged: no ``ocid`` or ``date``, or a release that is not an object."""

    exit_code = 2

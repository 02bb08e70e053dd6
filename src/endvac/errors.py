"""The one exception tree of endvac.

Every error a user can cause is an :class:`EndvacError` carrying a one-line
message that names the input and the fix.  The CLI turns ``BadInput`` into
exit 1 and ``UsageError`` into exit 2; the API will answer one JSON shape.
Messages never carry row values, identifiers or query parameters: only
counts, step names and file/row/column positions.
"""

from __future__ import annotations


class EndvacError(Exception):
    """Base of every error endvac raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, fix: str | None = None) -> None:
        self.message = message
        self.fix = fix
        super().__init__(message if fix is None else f"{message} — {fix}")


class BadInput(EndvacError):
    """An input file or folder cannot be used as it is (exit 1)."""


class UsageError(EndvacError):
    """The command was called wrongly: a missing workspace, a bad option (exit 2)."""

    exit_code = 2


class WorkspaceError(UsageError):
    """The workspace is missing, damaged or of another version."""


class ConfigError(UsageError):
    """The workspace config or a setting is invalid."""


class StoreError(EndvacError):
    """A step that runs SQL failed; the message names the step, never the values."""

    def __init__(self, step: str, detail: str) -> None:
        self.step = step
        super().__init__(f"step '{step}' failed: {detail}")


class UnknownName(UsageError):
    """A definition names an indicator or universe that does not exist (exit 2)."""


class ReleaseAuditError(EndvacError):
    """The release audit could not bound a suppressed cell (its linear program failed)."""

"""Validation findings are data: one record per problem, never an exception."""

from __future__ import annotations

from dataclasses import dataclass

from endvac.interchange.spec import rule


@dataclass(frozen=True)
class Finding:
    """One problem found in a delivery: where it is, which rule, and the fix."""

    file: str
    path: str
    row: int | None
    column: str | None
    rule: str
    message: str

    @property
    def severity(self) -> str:
        return rule(self.rule).severity

    def describe(self) -> str:
        """One line naming file, row, column, the problem and its fix."""
        where = self.path
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message} [{self.rule}] — {rule(self.rule).fix}"


def finding(file: str, path: str, row: int | None, column: str | None, code: str,
            message: str | None = None) -> Finding:
    """A finding of rule ``code``; the message defaults to the rule's meaning."""
    return Finding(file, path, row, column, code, message or rule(code).meaning)

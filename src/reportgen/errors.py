"""The two error channels of reportgen.

Input that cannot be used raises a `ReportgenError`; the command line prints it as one
`Error: …` line and goes on with the next document. Input that can be skipped becomes a
warning inside the document instead (see `model.ParseWarning`).
"""
from __future__ import annotations


class ReportgenError(Exception):
    """Anything reportgen reports to the user as one line, without a traceback."""


class InputError(ReportgenError):
    """Bad input: names the file, the place in it (a field path or a line) and the problem."""

    def __init__(self, file: str | None, where: str | None, problem: str):
        self.file = file
        self.where = where
        self.problem = problem
        super().__init__(str(self))

    def __str__(self) -> str:
        return ": ".join(part for part in (self.file, self.where, self.problem) if part)

    def within(self, file: str, prefix: str = "") -> "InputError":
        """Given the file it came from and the path of the enclosing value, return a copy
        that names both (readers raise path-only errors from pure functions)."""
        where = f"{prefix}{self.where}" if prefix and self.where else (prefix.rstrip(".") or self.where)
        return InputError(file, where, self.problem)

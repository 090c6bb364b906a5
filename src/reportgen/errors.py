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

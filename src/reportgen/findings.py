"""What reading an input gave beyond its documents: the warnings of the lines that
could not be read, and the findings of each document checked, each placed on the dump
line (or the sheet cell, the page) its field was read from."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .checks import Finding, check_document
from .model import ParseWarning
from .readers import ReadResult
from .readers.forms import FormsResult
from .rules import Rules


def warnings_of(result: ReadResult) -> list[ParseWarning]:
    """The warnings of a part as read: those of the dump's lines between forms, then
    each document's."""
    collection = result.warnings if isinstance(result, FormsResult) else []
    return collection + [w for doc in result.documents for w in doc.warnings]


def findings_of(path: Path, result: ReadResult, rules: Rules) -> list[Finding]:
    """The findings of each document of an input, placed on the dump line they come
    from where the input is a dump."""
    return [finding for found in findings_by_document(path, result, rules) for finding in found]


def findings_by_document(path: Path, result: ReadResult, rules: Rules) -> list[list[Finding]]:
    """Per document of an input, in order, its findings placed as `findings_of` does."""
    explanations = result.explanations if isinstance(result, FormsResult) else [None] * len(result.documents)
    placed = []
    for doc, explanation in zip(result.documents, explanations):
        found = []
        for finding in check_document(doc, rules):
            line = finding.line or (_line_of(finding.field, explanation) if explanation else None)
            place = finding.place or (result.places.get(line) if line and isinstance(result, FormsResult) else None)
            found.append(replace(finding, file=str(path), line=None if place else line, place=place))
        placed.append(found)
    return placed


def _line_of(field: str, explanation: list[tuple[int, str, str]]) -> int | None:
    """The dump line a field was read from: its explanation names it, or its record
    (indicators[3], funding.total) or section (goals)."""
    section = field.split(".")[0]
    for no, what, _ in explanation:
        for name in what.split(", "):
            if field == name or field.startswith(name + ".") or name.split(".")[0] == section == "goals":
                return no
    return None

"""Readers: input files → documents of the model.

Each reader is registered for the file suffixes it understands. A reader gives a file
in parts, in file order (a dump: a part per form, so that a file of any size is read in
the memory of one form), each part with the documents it read and an `InputError` for
each one it could not: one bad document never hides the good ones beside it.
`iter_file` gives the parts as they are read, `read_file` the whole.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import InputError
from ..model import Document, shown


@dataclass
class ReadResult:
    documents: list[Document] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)

    def extend(self, part: ReadResult) -> None:
        """Add a later part of the same file."""
        self.documents += part.documents
        self.errors += part.errors


Reader = Callable[[Path], Iterable[ReadResult]]
READERS: dict[str, Reader] = {}


def register(*suffixes: str) -> Callable[[Reader], Reader]:
    """Register a reader for file suffixes; a suffix claimed twice fails at import."""
    def add(reader: Reader) -> Reader:
        for suffix in suffixes:
            if suffix in READERS:
                raise ValueError(f"reader for {suffix} registered twice")
            READERS[suffix] = reader
        return reader
    return add


def iter_file(path: Path) -> Iterator[ReadResult]:
    """Given an input file, return its parts as they are read."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        yield ReadResult(errors=[InputError(str(path), None, f"unknown input type (reportgen reads {known})")])
        return
    if not path.is_file():
        yield ReadResult(errors=[InputError(str(path), None, "no such file")])
        return
    try:
        yield from reader(path)
    except OSError as exc:
        yield ReadResult(errors=[InputError(str(path), None, f"cannot read it: {exc.strerror or exc}")])
    except Exception as exc:  # a reader's own failure: this file's error, not the batch's end
        reason = shown(str(exc), 120)
        yield ReadResult(errors=[InputError(str(path), None, f"could not be read ({type(exc).__name__}: {reason})")])


def read_file(path: Path) -> ReadResult:
    """Given an input file, return its documents and the errors of those that failed."""
    whole: ReadResult | None = None
    for part in iter_file(path):
        if whole is None:
            whole = type(part)()
        whole.extend(part)
    return whole or ReadResult()


from . import entry_csv, excel, html, office, pdf, structured, text, word  # noqa: E402,F401  (register their suffixes)

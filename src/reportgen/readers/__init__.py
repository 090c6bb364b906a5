"""Readers: input files → documents of the model.

Each reader is registered for the file suffixes it understands; `read_file` picks one.
A reader returns every document it could read plus an `InputError` for each one it
could not, so one bad document never hides the good ones beside it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import InputError
from ..model import Document, shown


@dataclass
class ReadResult:
    documents: list[Document] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)


Reader = Callable[[Path], ReadResult]
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


def read_file(path: Path) -> ReadResult:
    """Given an input file, return its documents and the errors of those that failed."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        return ReadResult(errors=[InputError(str(path), None,
                                             f"unknown input type (reportgen reads {known})")])
    if not path.is_file():
        return ReadResult(errors=[InputError(str(path), None, "no such file")])
    try:
        return reader(path)
    except OSError as exc:
        return ReadResult(errors=[InputError(str(path), None, f"cannot read it: {exc.strerror or exc}")])
    except Exception as exc:  # a reader's own failure: this file's error, not the batch's end
        reason = shown(str(exc), 120)
        return ReadResult(errors=[InputError(str(path), None, f"could not be read ({type(exc).__name__}: {reason})")])


from . import dump, structured  # noqa: E402,F401  (register their suffixes)

"""Writers: laid-out forms → one file each, PDF (WeasyPrint), DOCX (python-docx) or
XLSX (openpyxl).

Every writer takes the forms of one output file (one form, or several with `--combine`)
and a binary stream, and writes the whole file to it. Writers know nothing of where a
document came from. `write_atomic` puts the result in place only once it is complete.
"""
from __future__ import annotations

import datetime as _dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable

from ..layout import LaidOut

Writer = Callable[[list[LaidOut], BinaryIO], None]
WRITERS: dict[str, Writer] = {}


def register(fmt: str) -> Callable[[Writer], Writer]:
    """Register a writer for an output format; a format claimed twice fails at import."""
    def add(writer: Writer) -> Writer:
        if fmt in WRITERS:
            raise ValueError(f"writer for {fmt} registered twice")
        WRITERS[fmt] = writer
        return writer
    return add


@dataclass(frozen=True)
class FileProperties:
    """What a file says of itself (File › Properties): the first page's name and
    title, its author, and when it was made (UTC, to the second)."""

    title: str
    subject: str
    author: str
    created: _dt.datetime


def file_properties(forms: list[LaidOut]) -> FileProperties:
    first = forms[0]
    now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    # 255 characters: what Word and Excel keep of a property
    return FileProperties(first.name[:255], first.grid.title[:255], first.author[:255], now)


def write_atomic(path: Path, fmt: str, forms: list[LaidOut]) -> None:
    """Write forms to path in format fmt: to a temporary file in the same folder first,
    renamed into place when complete, so a failure never leaves a half-written file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            WRITERS[fmt](forms, out)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


# registers the writers, in the order `--to` lists them
from . import pdf, docx, xlsx  # noqa: E402,F401,I001

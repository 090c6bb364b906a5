"""Writers: laid-out forms → one file each, PDF (WeasyPrint), DOCX (python-docx) or
XLSX (openpyxl).

Every writer takes the forms of one output file (one form, or several with `--combine`)
and a binary stream, and writes the whole file to it. Writers know nothing of where a
document came from. `write_atomic` puts the result in place only once it is complete.
"""
from __future__ import annotations

import os
import tempfile
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

"""Old Word and Excel files (.doc, .xls, and .wps/.et from WPS): converted to .docx or
.xlsx by LibreOffice (headless), then read by readers/word.py or readers/excel.py.

LibreOffice is the one converter that reads these binary formats faithfully, merges
included. When it is not installed the file gets an error saying so, and how to go on.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

from ..errors import InputError
from . import ReadResult, register
from .forms import FormsResult

_TARGETS = {".doc": "docx", ".wps": "docx", ".xls": "xlsx", ".et": "xlsx"}
_TIMEOUT_S = 180


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(path: Path, folder: Path) -> Path:
    """Given an old Office file, return the .docx or .xlsx LibreOffice makes of it in
    `folder`; InputError when LibreOffice is missing or fails."""
    target = _TARGETS[path.suffix.lower()]
    program = soffice()
    if program is None:
        raise InputError(str(path), None, f"an old {path.suffix} file: reportgen converts it with LibreOffice, "
                         f"which is not installed (apt-get install libreoffice-writer libreoffice-calc), "
                         f"or save it as .{target} and read that")
    profile = folder / "profile"  # a profile of its own: no clash with a LibreOffice already open
    command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--convert-to", target, "--outdir", str(folder), str(path)]
    try:
        subprocess.run(command, capture_output=True, timeout=_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise InputError(str(path), None, f"LibreOffice did not convert it in {_TIMEOUT_S} s") from None
    converted = folder / f"{path.stem}.{target}"
    if not converted.is_file():
        raise InputError(str(path), None, f"LibreOffice could not convert it to .{target} (damaged, or not a {path.suffix} file)")
    return converted


@register(*_TARGETS)
def iter_office_file(path: Path) -> Iterator[ReadResult]:
    from .excel import iter_excel_file
    from .word import iter_word_file

    with tempfile.TemporaryDirectory(prefix="reportgen-") as folder:
        try:
            converted = convert(path, Path(folder))
        except InputError as exc:
            yield FormsResult(errors=[exc])
            return
        reader = iter_word_file if converted.suffix == ".docx" else iter_excel_file
        for part in reader(converted):
            for doc in part.documents:
                if doc.source:
                    doc.source.file = path.name
            part.errors = [InputError(str(path), exc.where, exc.problem) if exc.file == str(converted) else exc
                           for exc in part.errors]
            yield part

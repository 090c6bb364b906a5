"""Writers: laid-out forms → one file each, PDF (drawn directly, or through WeasyPrint
with `--pdf-engine weasyprint`), DOCX, XLSX or HTML.

Every writer takes the forms of one output file (one form, or several with `--combine`)
and a binary stream, and writes the whole file to it. Writers know nothing of where a
document came from. `write_atomic` puts the result in place only once it is complete.
"""
from __future__ import annotations

import datetime as _dt
import os
import re
import signal
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import BinaryIO, Callable

from ..layout import LaidOut, strip_illegal_xml

# A writer may return warnings about the file it wrote (a resource it refused to fetch).
Writer = Callable[[list[LaidOut], BinaryIO], "list[str] | None"]
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

    def clean(text: str) -> str:  # 255 characters: what Word and Excel keep of a property
        return strip_illegal_xml(text)[:255]

    return FileProperties(clean(first.name), clean(first.grid.title), clean(first.author), now)


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Files get the mode the user's umask gives new files (mkstemp's own is 0600).
_FILE_MODE = 0o666 & ~_current_umask()
# Temporary files: ".<name>.<pid>.<random>.part", so a later run can tell its own
# leftovers from those of a run still going (by the process id).
_PART = re.compile(r"^\..+\.(\d+)\.[^.]+\.part$")


# The PDF engines: builtin draws the laid-out pages itself (pdf.py); WeasyPrint prints
# the page template, templates/page.html.j2, with its stylesheet (pdf_weasyprint.py).
# "auto" is builtin unless the user's template folder has its own page template: a
# restyled page is printed as restyled.
PDF_ENGINES = ("auto", "builtin", "weasyprint")
PAGE_TEMPLATE = "page.html.j2"


def pdf_engine_for(requested: str, template_dir: str | None) -> str:
    """The engine that prints a PDF, "builtin" or "weasyprint", for the engine asked
    for and the user's template folder."""
    if requested != "auto":
        return requested
    if template_dir and (Path(template_dir) / PAGE_TEMPLATE).is_file():
        return "weasyprint"
    return "builtin"


def writer_for(fmt: str, pdf_engine: str = "auto", template_dir: str | None = None) -> Writer:
    """The writer of a format; for PDF, that of the engine chosen."""
    if fmt == "pdf" and pdf_engine_for(pdf_engine, template_dir) == "weasyprint":
        from .pdf_weasyprint import write_pdf

        return write_pdf
    return WRITERS[fmt]


def pdf_setup_problems(pdf_engine: str = "auto", template_dir: str | None = None) -> list[str]:
    """What would make PDF output wrong or slow on this machine, for an engine."""
    if pdf_engine_for(pdf_engine, template_dir) == "weasyprint":
        from .pdf_weasyprint import pdf_setup_problems as problems

        return problems()
    from .pdf_font import FontMissing, face

    try:
        face()
    except FontMissing as exc:
        return [str(exc)]
    return []


def write_atomic(path: Path | str, fmt: str, forms: list[LaidOut], pdf_engine: str = "auto") -> list[str]:
    """Write forms to path in format fmt: whole into memory, then to a temporary file
    in the same folder, renamed into place when complete. A failure (a full disk,
    say) never leaves a half-written file, and surfaces here, once, not in the
    writer's half-closed zip file. Returns the writer's warnings. A path may be a URL
    (s3://bucket/forms/x.pdf …): see `write_output`."""
    buffer = BytesIO()
    warnings = writer_for(fmt, pdf_engine, forms[0].template_dir)(forms, buffer) or []
    write_output(path, buffer.getbuffer())
    return warnings


def is_url(target: Path | str) -> bool:
    """Whether an output names a place fsspec reaches (s3://, gs://, memory:// …) rather
    than a path on this machine."""
    return isinstance(target, str) and "://" in target and not target.startswith("file://")


def write_output(target: Path | str, data: bytes | memoryview) -> None:
    """Write a whole file to a path (through a temporary file, renamed) or to a URL
    through fsspec, in one put: an object store shows the object only once it is
    complete, so neither leaves half a file."""
    if not is_url(target):
        local = str(target).removeprefix("file://")
        write_bytes_atomic(Path(local), data)
        return
    import fsspec  # reportgen[cluster]: loaded only for URLs

    with fsspec.open(str(target), "wb") as out:
        out.write(data)


def write_bytes_atomic(path: Path, data: bytes | memoryview) -> None:
    """Write data to path through a temporary file in the same folder, renamed into
    place when complete: never a half-written file."""
    # A stop signal between the file's creation and its entry in _IN_PROGRESS would
    # leave it behind: the two happen with SIGINT and SIGTERM held back.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".part", dir=path.parent)
        _IN_PROGRESS.add(tmp)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    finally:
        _IN_PROGRESS.discard(tmp)


_IN_PROGRESS: set[str] = set()  # this process's temporary files being written


def remove_partial_files() -> None:
    """Remove the temporary files this process is writing: what a signal handler does
    before the process ends mid-file."""
    for tmp in list(_IN_PROGRESS):
        try:
            os.unlink(tmp)
        except OSError:
            pass


def remove_stale_parts(folder: Path) -> list[Path]:
    """Remove the temporary files that runs killed before they could clean up left in
    a folder (those of processes no longer running); return them."""
    removed = []
    for path in folder.glob(".*.part"):
        match = _PART.match(path.name)
        if match and not _running(int(match.group(1))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # somebody else's process
        return True
    return True


# registers the writers, in the order `--to` lists them
from . import pdf, docx, xlsx, html  # noqa: E402,F401,I001

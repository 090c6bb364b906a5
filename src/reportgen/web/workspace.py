"""A browser session's workspace: the files it uploaded, the forms read from them with
their findings, and the files made of them, named as `reportgen render` names them.

Each workspace lives in its own temporary folder, which is deleted when the workspace
expires (idle too long) or the server stops. Nothing here knows of HTTP: the web app
(app.py) turns requests into these calls.
"""
from __future__ import annotations

import io
import secrets
import shutil
import tempfile
import threading
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..checks import SEVERITIES, Finding
from ..findings import findings_by_document, warnings_of
from ..layout import LaidOut, generation_date, layout_document, layout_summary
from ..model import Document, ParseWarning
from ..naming import NameBook, document_stem, summary_stem
from ..readers import READERS, iter_file
from ..rules import Rules, with_grade
from ..summary import Summary, collect, summaries_of
from ..writers import writer_for

FORMATS = ("pdf", "docx", "xlsx")  # what a form can be downloaded as


@dataclass(frozen=True)
class Limits:
    """What one upload, and one workspace, may hold."""

    upload_bytes: int = 50 * 1024 * 1024  # one request
    upload_files: int = 100  # one request
    workspace_files: int = 500
    idle_seconds: int = 2 * 3600  # a workspace unused this long is deleted


@dataclass
class FileReport:
    """What reading one uploaded file gave."""

    name: str  # as uploaded (shown, never used as a path)
    forms: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (line or place, what)


@dataclass
class Form:
    """One form read from an upload, with its findings and the names of its files."""

    number: int
    file: str  # the upload it came from
    document: Document
    findings: list[Finding]
    names: dict[str, str]  # format → file name, as `reportgen render` names it

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(f.severity for f in self.findings)
        return {severity: counted[severity] for severity in SEVERITIES}


@dataclass
class SummaryPage:
    number: int
    summary: Summary
    names: dict[str, str]  # format → file name, as `reportgen summary` names it


class UploadRefused(Exception):
    """An upload over a limit: the message says which, in the users' language."""


class Workspace:
    """The files and forms of one browser session. Safe to use from several threads."""

    def __init__(self, root: Path, rules: Rules, limits: Limits) -> None:
        self.root = root
        self.rules = rules
        self.limits = limits
        self.files: list[FileReport] = []
        self.forms: list[Form] = []
        self.last_used = time.monotonic()
        self._names = NameBook()
        self._lock = threading.Lock()
        self._summaries: list[SummaryPage] | None = None
        (root / "in").mkdir()

    # ------------------------------------------------------------ uploads

    def add(self, filename: str, data: bytes) -> FileReport:
        """Store an uploaded file and read it: its forms checked and named, what could
        not be read reported. A file that cannot be read is reported, never raised."""
        with self._lock:
            if len(self.files) >= self.limits.workspace_files:
                raise UploadRefused(f"本工作区最多 {self.limits.workspace_files} 个文件；请先清空")
            report = FileReport(filename)
            self.files.append(report)
            path = self._stored(filename, len(self.files))
            path.write_bytes(data)
            for part in iter_file(path):
                report.errors += [_shown_error(str(error), path, filename) for error in part.errors]
                report.warnings += [_warning(w) for w in warnings_of(part)]
                for doc, found in zip(part.documents, findings_by_document(path, part, self.rules)):
                    doc = with_grade(doc, self.rules)
                    mine = [replace(f, file=filename) for f in found]
                    stem = document_stem(doc)
                    self.forms.append(Form(len(self.forms), filename, doc, mine,
                                           {fmt: self._names.claim(stem, fmt) for fmt in FORMATS}))
                    report.forms += 1
            self._summaries = None
            return report

    def _stored(self, filename: str, number: int) -> Path:
        """Where an upload is kept: a name of our own (the user's may be anything),
        with the suffix that tells the reader what it is."""
        suffix = Path(filename).suffix.lower()
        return self.root / "in" / f"{number:04d}{suffix if suffix in READERS else '.unknown'}"

    # ------------------------------------------------------------ files made

    def form(self, number: int) -> Form | None:
        return self.forms[number] if 0 <= number < len(self.forms) else None

    def form_file(self, form: Form, fmt: str) -> bytes:
        """A form as a file in one of FORMATS (or html, for the page)."""
        return _written(fmt, [layout_document(form.document)])

    def summaries(self) -> list[SummaryPage]:
        """The department summaries of the forms, as `reportgen summary` makes them."""
        with self._lock:
            if self._summaries is None:
                names = NameBook()
                made = summaries_of(collect((f.document for f in self.forms), "department", self.rules), self.rules)
                self._summaries = [
                    SummaryPage(n, s, {fmt: names.claim(summary_stem(s), fmt)
                                       for fmt in FORMATS})
                    for n, s in enumerate(made)]
            return self._summaries

    def summary_file(self, page: SummaryPage, fmt: str) -> bytes:
        return _written(fmt, [layout_summary(page.summary, generated=generation_date())])

    def file_named(self, name: str) -> bytes | None:
        """The file of a form or summary by its download name; None for a name this
        workspace never gave (a path, another session's file)."""
        for form in list(self.forms):
            for fmt, given in form.names.items():
                if given == name:
                    return self.form_file(form, fmt)
        for page in self.summaries():
            for fmt, given in page.names.items():
                if given == name:
                    return self.summary_file(page, fmt)
        return None

    def zip_of(self, formats: list[str]) -> bytes:
        """Every form in the chosen formats, as one ZIP file of the names the CLI gives."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for form in list(self.forms):
                laid_out = [layout_document(form.document)]
                for fmt in formats:
                    archive.writestr(form.names[fmt], _written(fmt, laid_out))
        return buffer.getvalue()

    def delete(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _written(fmt: str, pages: list[LaidOut]) -> bytes:
    out = io.BytesIO()
    writer_for(fmt, "auto", None)(pages, out)
    return out.getvalue()


def _warning(warning: ParseWarning) -> tuple[str, str]:
    where = f"第 {warning.line} 行" if warning.line else (warning.place or "")
    return where, warning.reason + (f"：{warning.text}" if warning.text else "")


def _shown_error(message: str, path: Path, filename: str) -> str:
    """A reader's error with the upload's own name in place of where it is stored."""
    return message.replace(str(path), filename)


class Workspaces:
    """Every session's workspace, by a random id (the session cookie); those idle
    longer than the limit are deleted as new requests come in."""

    def __init__(self, rules: Rules, limits: Limits, parent: Path | None = None) -> None:
        self.rules = rules
        self.limits = limits
        self.parent = parent  # where the folder of the workspaces is made (the system's temporary folder)
        self._base: Path | None = None  # made with the first workspace
        self._spaces: dict[str, Workspace] = {}
        self._lock = threading.Lock()

    @property
    def base(self) -> Path:
        """The folder every workspace of this server is made in."""
        with self._lock:
            if self._base is None:
                self._base = Path(tempfile.mkdtemp(prefix="reportgen-web-", dir=self.parent))
            return self._base

    def get(self, key: str | None) -> Workspace | None:
        self.expire()
        with self._lock:
            space = self._spaces.get(key or "")
        if space is not None:
            space.last_used = time.monotonic()
        return space

    def new(self) -> tuple[str, Workspace]:
        key = secrets.token_urlsafe(18)
        root = Path(tempfile.mkdtemp(prefix="ws-", dir=self.base))
        space = Workspace(root, self.rules, self.limits)
        with self._lock:
            self._spaces[key] = space
        return key, space

    def drop(self, key: str) -> None:
        with self._lock:
            space = self._spaces.pop(key, None)
        if space is not None:
            space.delete()

    def expire(self, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            old = [k for k, s in self._spaces.items() if now - s.last_used > self.limits.idle_seconds]
            gone = [self._spaces.pop(k) for k in old]
        for space in gone:
            space.delete()

    def close(self) -> None:
        """Delete every workspace (the server stops)."""
        with self._lock:
            self._spaces.clear()
            base, self._base = self._base, None
        if base is not None:
            shutil.rmtree(base, ignore_errors=True)

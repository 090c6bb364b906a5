"""PDF through WeasyPrint (`--pdf-engine weasyprint`): the laid-out pages as HTML (templates/page.html.j2, the user's own where
--templates has one) with styles/form.css, printed by WeasyPrint.

WeasyPrint fetches what the HTML names (images, stylesheets, attachments). A user's
template must not make it reach the network or embed files from elsewhere, so only
`data:` URIs and files inside the template folders and the shipped styles are fetched;
anything else is refused and named in a warning.
"""
from __future__ import annotations

import base64
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup, escape

from .. import __version__
from ..layout import Chart, Heading, LaidOut, Note, Table, package_dir
from ..layout.templates import environment
from . import file_properties


@lru_cache(maxsize=1)
def _weasyprint():
    """WeasyPrint and its parsed stylesheet, loaded once: importing it and building its
    font configuration cost far more than printing one form."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    css = CSS(filename=str(package_dir("styles") / "form.css"), font_config=fonts)
    return HTML, css, fonts


def _lines(text: str) -> Markup:
    return Markup("<br>").join(escape(line) for line in text.split("\n"))


@lru_cache(maxsize=1)
def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class ContainedFetcher(URLFetcher):
        """Fetches `data:` URIs and files under the allowed folders; records what it
        refused."""

        def __init__(self, allowed: list[Path]) -> None:
            super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
            self.allowed = allowed
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            if url.startswith("data:") or _inside(url, self.allowed):
                return super().fetch(url, headers)
            self.refused.append(url)
            raise ValueError(f"reportgen fetches no {url}")

    return ContainedFetcher


def _inside(url: str, folders: list[Path]) -> bool:
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(unquote(parts.path)).resolve()
    return any(path.is_relative_to(folder) for folder in folders)


@lru_cache(maxsize=8)
def _page_template(template_dir: str | None) -> jinja2.Template:
    env = environment(template_dir).overlay()
    env.filters.update(
        lines=_lines, leading_heads=Table.leading_heads,
        tag=lambda cell: "th" if cell.classes & {"label", "head"} else "td",
        data_uri=lambda data, mime: f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}")
    env.tests.update(table=lambda b: isinstance(b, Table), heading=lambda b: isinstance(b, Heading),
                     chart=lambda b: isinstance(b, Chart), note=lambda b: isinstance(b, Note))
    return env.get_template("page.html.j2")


def page_html(forms: list[LaidOut]) -> str:
    """The HTML the PDF prints: every page of the forms, in order."""
    info = file_properties(forms)
    return _page_template(forms[0].template_dir).render(
        pages=[form.grid for form in forms], title=info.title, author=info.author,
        subject=info.subject, generator=f"reportgen {__version__}")


def write_pdf(forms: list[LaidOut], out: BinaryIO) -> list[str]:
    HTML, css, fonts = _weasyprint()
    template_dir = forms[0].template_dir
    folders = [Path(d).resolve() for d in (template_dir, package_dir("templates"), package_dir("styles")) if d]
    fetcher = _fetcher_class()(folders)
    base = (Path(template_dir) if template_dir else package_dir("templates")).resolve().as_uri() + "/"
    HTML(string=page_html(forms), base_url=base, url_fetcher=fetcher).write_pdf(
        out, stylesheets=[css], font_config=fonts)
    return [f"not fetched: {url} (only data: URIs and the templates' own files are)"
            for url in dict.fromkeys(fetcher.refused)]


def pdf_setup_problems() -> list[str]:
    """Return what would make PDF output wrong or slow on this machine: no CJK font
    (Chinese would print as boxes) or no HarfBuzz subsetter (about 20× slower)."""
    problems = []
    if not _has_cjk_font():
        problems.append("no Chinese (CJK) font found: PDF text would print as boxes; "
                        "install one, e.g. `apt-get install fonts-noto-cjk`")
    from weasyprint.text.ffi import harfbuzz_subset

    if harfbuzz_subset is None:
        problems.append("HarfBuzz subsetting is unavailable, so PDF output is far slower "
                        "(about 12 s a page instead of 0.5 s); install `libharfbuzz-subset0`")
    return problems


def _has_cjk_font() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    listed = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True,
                            text=True, check=False).stdout
    return bool(listed.strip())

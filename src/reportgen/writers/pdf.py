"""PDF: the forms' HTML with styles/form.css, printed by WeasyPrint."""
from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from typing import BinaryIO

from ..layout import LaidOut, package_dir, render_page_html
from . import register


@lru_cache(maxsize=1)
def _weasyprint():
    """WeasyPrint and its parsed stylesheet, loaded once: importing it and building its
    font configuration cost far more than printing one form."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    css = CSS(filename=str(package_dir("styles") / "form.css"), font_config=fonts)
    return HTML, css, fonts


@register("pdf")
def write_pdf(forms: list[LaidOut], out: BinaryIO) -> None:
    HTML, css, fonts = _weasyprint()
    page = render_page_html((form.html for form in forms), title=forms[0].name)
    HTML(string=page).write_pdf(out, stylesheets=[css], font_config=fonts)


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

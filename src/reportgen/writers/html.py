"""HTML: the laid-out pages as one web page, the HTML the PDF prints with its stylesheet
inlined, so that the file opens anywhere (and reads back: readers/html.py)."""
from __future__ import annotations

from typing import BinaryIO

from ..layout import LaidOut, package_dir
from . import register
from .pdf_weasyprint import page_html


@register("html")
def write_html(forms: list[LaidOut], out: BinaryIO) -> None:
    css = (package_dir("styles") / "form.css").read_text(encoding="utf-8")
    page = page_html(forms).replace("</head>", f"<style>\n{css}\n</style>\n</head>", 1)
    out.write(page.encode("utf-8"))

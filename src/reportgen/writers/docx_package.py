"""The Word package around a document's body: written here part by part, so a file
holds nothing but what reportgen puts in it (python-docx's own template carries 800 KB
of styles, a thumbnail, and its author and dates of 2013), and straight into the zip
file, with no object model between (python-docx's took three quarters of a form's time).

Defaults: Times New Roman for Latin text and 宋体 for Chinese (w:eastAsia), 9 pt, the
language zh-CN for East-Asian text.
"""
from __future__ import annotations

import struct
from typing import BinaryIO

from .. import __version__
from ..layout.measure import BODY_PT
from . import FileProperties
from .ooxml import HEAD as _HEAD, core_properties, write_zip
from .cellstyle import BODY_FONT, LATIN_FONT

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_NAMESPACES = f'xmlns:w="{_W}" xmlns:r="{_R}" xmlns:wp="{_WP}" xmlns:a="{_A}" xmlns:pic="{_PIC}"'
_STYLES = (
    f'<w:styles xmlns:w="{_W}"><w:docDefaults><w:rPrDefault><w:rPr>'
    f'<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:cs="{LATIN_FONT}" w:eastAsia="{BODY_FONT}"/>'
    f'<w:sz w:val="{round(BODY_PT * 2)}"/><w:szCs w:val="{round(BODY_PT * 2)}"/>'
    '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
    "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
    '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    '<w:qFormat/></w:style>'
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
    '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
    "</w:tblCellMar></w:tblPr></w:style></w:styles>")
_SETTINGS = (
    f'<w:settings xmlns:w="{_W}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>'
    '<w:characterSpacingControl w:val="compressPunctuation"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
    "</w:settings>")
_APP = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>reportgen {__version__}</Application></Properties>")
_PACKAGE_RELS = (
    f'<Relationships xmlns="{_PKG}">'
    f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_R}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>")


class Package:
    """The parts of one .docx besides its body: headers, footers and pictures are added
    as the body is written, each given its relationship id."""

    def __init__(self, info: FileProperties) -> None:
        self.info = info
        self.rels = [(f"{_R}/styles", "styles.xml"), (f"{_R}/settings", "settings.xml")]
        self.parts: list[tuple[str, str, bytes]] = []  # name, content type (or ""), data

    def _add(self, kind: str, target: str, content_type: str, data: bytes) -> str:
        self.rels.append((f"{_R}/{kind}", target))
        self.parts.append((f"word/{target}", content_type, data))
        return f"rId{len(self.rels)}"

    def add_header(self, paragraph: str) -> str:
        number = sum(kind.endswith("/header") for kind, _ in self.rels) + 1
        return self._add("header", f"header{number}.xml", f"{_CT}.header+xml",
                         (_HEAD + f"<w:hdr {_NAMESPACES}>{paragraph}</w:hdr>").encode("utf-8"))

    def add_footer(self, paragraph: str) -> str:
        number = sum(kind.endswith("/footer") for kind, _ in self.rels) + 1
        return self._add("footer", f"footer{number}.xml", f"{_CT}.footer+xml",
                         (_HEAD + f"<w:ftr {_NAMESPACES}>{paragraph}</w:ftr>").encode("utf-8"))

    def add_image(self, png: bytes) -> tuple[str, int]:
        """A PNG picture's relationship id, and its number among the pictures."""
        number = sum(kind.endswith("/image") for kind, _ in self.rels) + 1
        return self._add("image", f"media/image{number}.png", "", png), number

    def write(self, out: BinaryIO, body: str) -> None:
        overrides = "".join(f'<Override PartName="/{name}" ContentType="{content_type}"/>'
                            for name, content_type, _ in self.parts if content_type)
        types = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Default Extension="png" ContentType="image/png"/>'
                 f'<Override PartName="/word/document.xml" ContentType="{_CT}.document.main+xml"/>'
                 f'<Override PartName="/word/styles.xml" ContentType="{_CT}.styles+xml"/>'
                 f'<Override PartName="/word/settings.xml" ContentType="{_CT}.settings+xml"/>'
                 '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
                 '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
                 f"{overrides}</Types>")
        rels = (f'<Relationships xmlns="{_PKG}">'
                + "".join(f'<Relationship Id="rId{i}" Type="{kind}" Target="{target}"/>'
                          for i, (kind, target) in enumerate(self.rels, 1))
                + "</Relationships>")
        document = f"<w:document {_NAMESPACES}><w:body>{body}</w:body></w:document>"
        write_zip(out, [("[Content_Types].xml", types, False), ("_rels/.rels", _PACKAGE_RELS, True),
                        ("word/document.xml", document, False), ("word/_rels/document.xml.rels", rels, False),
                        ("word/styles.xml", _STYLES, True), ("word/settings.xml", _SETTINGS, True),
                        ("docProps/core.xml", core_properties(self.info), False), ("docProps/app.xml", _APP, True),
                        *((name, data, False) for name, _, data in self.parts)],
                  self.info.created.timetuple()[:6])  # the parts dated as the file


def png_size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels, from its header."""
    return struct.unpack(">II", png[16:24])

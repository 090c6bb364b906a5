"""The blank Word package every DOCX starts from: written here part by part, so a file
holds nothing but what reportgen puts in it (python-docx's own template carries 800 KB
of styles, a thumbnail, and its author and dates of 2013).

Defaults: Times New Roman for Latin text and 宋体 for Chinese (w:eastAsia), 9 pt, the
language zh-CN for East-Asian text.
"""
from __future__ import annotations

import zipfile
from functools import lru_cache
from io import BytesIO

from .. import __version__
from ..layout.measure import BODY_PT
from .cellstyle import BODY_FONT, LATIN_FONT

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="png" ContentType="image/png"/>'
        f'<Override PartName="/word/document.xml" ContentType="{_CT}.document.main+xml"/>'
        f'<Override PartName="/word/styles.xml" ContentType="{_CT}.styles+xml"/>'
        f'<Override PartName="/word/settings.xml" ContentType="{_CT}.settings+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        "</Types>"),
    "_rels/.rels": (
        f'<Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{_R}/extended-properties" Target="docProps/app.xml"/>'
        "</Relationships>"),
    "word/_rels/document.xml.rels": (
        f'<Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_R}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId2" Type="{_R}/settings" Target="settings.xml"/>'
        "</Relationships>"),
    "word/document.xml": (
        f'<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body><w:sectPr>'
        '<w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="850" w:right="850" w:bottom="850" w:left="850" w:header="397" w:footer="283" w:gutter="0"/>'
        "</w:sectPr></w:body></w:document>"),
    "word/styles.xml": (
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
        "</w:tblCellMar></w:tblPr></w:style></w:styles>"),
    "word/settings.xml": (
        f'<w:settings xmlns:w="{_W}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>'
        '<w:characterSpacingControl w:val="compressPunctuation"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        "</w:settings>"),
    "docProps/core.xml": (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'),
    "docProps/app.xml": (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>reportgen {__version__}</Application></Properties>"),
}


@lru_cache(maxsize=1)
def blank_package() -> bytes:
    """The blank .docx, as bytes (made once: each file opens its own copy)."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, xml in _PARTS.items():
            package.writestr(name, _HEAD + xml)
    return buffer.getvalue()

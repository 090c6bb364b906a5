"""The Excel package around the sheets: workbook, styles, shared strings, drawings and
charts, and the file's properties, written part by part as SpreadsheetML straight into
the zip file, as docx_package.py does for Word: a file holds nothing but what reportgen
puts in it (no theme, no application's defaults, no "Microsoft Excel" in its
properties), and nothing stands between the grid and the XML.

The styles are made as the sheets ask for them: each look (font size, alignment,
wrapping, border, fill, number format) is one cellXfs entry, its font, fill and number
format each entered once. Font 0, the workbook's default, stays Calibri 11, the font
Excel measures column widths by.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import BinaryIO

from .. import __version__
from ..layout import strip_illegal_xml
from . import FileProperties
from .ooxml import core_properties, escape, write_zip
from .cellstyle import BODY_FONT

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument"
# zlib level of the parts, as the DOCX: the parts of a form that differ from file to file
# take 160 µs at level 1 and 250 µs at level 6, which makes them 8 % (300 bytes) smaller
MAX_STRING = 32767  # the most characters Excel holds in a cell

_PACKAGE_RELS = (
    f'<Relationships xmlns="{_PKG}">'
    f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_R}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>")
_APP = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>reportgen {__version__}</Application></Properties>")
_DRAWING_NS = ('xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
               'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"')
_EMU_PER_PX = 9525  # at 96 dpi
_THIN = "".join(f'<{side} style="thin"><color rgb="FF000000"/></{side}>'
                for side in ("left", "right", "top", "bottom")) + "<diagonal/>"
_NEXT_STRING = '</t></si><si><t xml:space="preserve">'
_WRAP = ' wrapText="1"'
# literal text Excel would take for an escaped character: its _ escaped in turn
_ESCAPE_LIKE = re.compile(r"(_x[0-9A-Fa-f]{4}_)")


def text_xml(text: str) -> str:
    """Text as the content of an element: escaped, a CR kept as a character reference
    (an XML reader would read it as a line feed), literal _xHHHH_ kept literal (Excel
    reads _x000D_ as the character it names). Characters XML cannot hold are the
    caller's to strip."""
    text = escape(text)
    if "_x" in text:
        text = _ESCAPE_LIKE.sub(r"_x005F\1", text)
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def quote_sheet(name: str) -> str:
    """A sheet's name as formulas and defined names refer to it: in quotes unless it is
    a plain word that could not be read as a cell (A1, R1C1)."""
    if _PLAIN_SHEET.fullmatch(name) and not _CELL_LIKE.match(name.upper()):
        return name
    return "'" + name.replace("'", "''") + "'"


_PLAIN_SHEET = re.compile(r"[^\W\d.][\w.]*")
_CELL_LIKE = re.compile(r"[A-Z]{1,3}\d+$|R\d|R?C\d|R$|C$|RC$|TRUE$|FALSE$")


class Package:
    """One .xlsx being written: the sheets' XML as they are done, and the tables the
    sheets share (styles, strings), filled as the sheets ask."""

    def __init__(self, info: FileProperties) -> None:
        self.info = info
        self.sheets: list[tuple[str, str, list]] = []  # name, XML, charts
        self.defined_names: list[tuple[str, int, str]] = []  # name, sheet index, what it refers to
        self._strings: dict[str, int] = {}  # as the cells have them → index
        self._texts: list[str] = []  # as the table holds them
        self._xfs: dict[tuple, int] = {(0.0, "", False, False, None, "General"): 0}  # look → index

    # ------------------------------------------------------------ shared tables

    def string(self, text: str) -> int:
        """The index of a cell's text in the shared string table, -1 if nothing of it is
        left without the characters XML cannot hold. (Excel holds 32767 characters of
        it.) Inline strings (<is>) took the writer as long and made a file 4 % smaller,
        but openpyxl reads a literal "_x0041_" back escaped from them, as "_x005F_x0041_",
        and from the table as written."""
        index = self._strings.get(text)
        if index is None:
            # nothing XML cannot hold is printable: most texts need no stripping
            clean = (text if text.isprintable() else strip_illegal_xml(text))[:MAX_STRING]
            if clean:
                index = self._strings[text] = len(self._texts)
                self._texts.append(clean)
            else:
                index = self._strings[text] = -1
        return index

    def xf(self, size: float, align: str, wrap: bool, border: bool, fill: str | None = None,
           number_format: str = "General") -> int:
        """The index of a cell format: 宋体 at `size`, aligned `align` and centred
        vertically, wrapped or not, with thin black borders or none, filled with an RGB
        colour or not, showing numbers in a format."""
        key = (size, align, wrap, border, fill, number_format)
        index = self._xfs.get(key)
        if index is None:
            index = self._xfs[key] = len(self._xfs)
        return index

    # ------------------------------------------------------------ parts

    def add_sheet(self, name: str, xml: str, charts: list[tuple[tuple[int, ...], str]] | None = None,
                  print_area: str | None = None, print_titles: str | None = None) -> None:
        """A finished sheet (which refers to its drawing, if any, as rId1); its charts as
        (where, chart XML), where as _anchor takes it."""
        index = len(self.sheets)
        self.sheets.append((name, xml, charts or []))
        if print_area:
            self.defined_names.append(("_xlnm.Print_Area", index, f"{quote_sheet(name)}!{print_area}"))
        if print_titles:
            self.defined_names.append(("_xlnm.Print_Titles", index, f"{quote_sheet(name)}!{print_titles}"))

    def _workbook(self) -> str:
        sheets = "".join(f'<sheet name="{escape(name, quote=True)}" sheetId="{i}" r:id="rId{i}"/>'
                         for i, (name, _, _) in enumerate(self.sheets, 1))
        names = "".join(f'<definedName name="{name}" localSheetId="{index}">{escape(value)}</definedName>'
                        for name, index, value in sorted(self.defined_names, key=lambda d: d[:2]))
        return (f'<workbook xmlns="{_MAIN}" xmlns:r="{_R}"><workbookPr/>'
                f'<bookViews><workbookView/></bookViews><sheets>{sheets}</sheets>'
                + (f"<definedNames>{names}</definedNames>" if names else "") + "</workbook>")

    def _styles(self) -> str:
        return _styles_xml(tuple(self._xfs))

    def _shared_strings(self) -> str:
        n = len(self._texts)
        # the texts escaped in one piece, joined by a character none of them holds
        items = text_xml("\0".join(self._texts)).replace("\0", _NEXT_STRING)
        return (f'<sst xmlns="{_MAIN}" count="{n}" uniqueCount="{n}">'
                + (f'<si><t xml:space="preserve">{items}</t></si>' if n else "") + "</sst>")

    def write(self, out: BinaryIO) -> None:
        n = len(self.sheets)
        types = [f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT}.spreadsheetml.worksheet+xml"/>'
                 for i in range(1, n + 1)]
        rels = [f'<Relationship Id="rId{i}" Type="{_R}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, n + 1)]
        rels.append(f'<Relationship Id="rId{n + 1}" Type="{_R}/styles" Target="styles.xml"/>')
        rels.append(f'<Relationship Id="rId{n + 2}" Type="{_R}/sharedStrings" Target="sharedStrings.xml"/>')
        workbook, workbook_rels = "xl/workbook.xml", "xl/_rels/workbook.xml.rels"
        rels_xml = f'<Relationships xmlns="{_PKG}">{"".join(rels)}</Relationships>'
        parts: list[tuple[str, str]] = []  # the sheets, and their drawings and charts
        drawings = charts = 0
        for number, (_, xml, sheet_charts) in enumerate(self.sheets, 1):
            parts.append((f"xl/worksheets/sheet{number}.xml", xml))
            if not sheet_charts:
                continue
            drawings += 1
            sheet_rels = (f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_R}/drawing" '
                          f'Target="../drawings/drawing{drawings}.xml"/></Relationships>')
            parts.append((f"xl/worksheets/_rels/sheet{number}.xml.rels", sheet_rels))
            types.append(f'<Override PartName="/xl/drawings/drawing{drawings}.xml" ContentType="{_CT}.drawing+xml"/>')
            anchors, chart_rels = [], []
            for i, (at, chart) in enumerate(sheet_charts, 1):
                charts += 1
                parts.append((f"xl/charts/chart{charts}.xml", chart))
                types.append(f'<Override PartName="/xl/charts/chart{charts}.xml" ContentType="{_CT}.drawingml.chart+xml"/>')
                chart_rels.append(f'<Relationship Id="rId{i}" Type="{_R}/chart" Target="../charts/chart{charts}.xml"/>')
                anchors.append(_anchor(i, at))
            parts.append((f"xl/drawings/drawing{drawings}.xml", f'<xdr:wsDr {_DRAWING_NS}>{"".join(anchors)}</xdr:wsDr>'))
            parts.append((f"xl/drawings/_rels/drawing{drawings}.xml.rels",
                          f'<Relationships xmlns="{_PKG}">{"".join(chart_rels)}</Relationships>'))
        content_types = (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.spreadsheetml.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            f'<Override PartName="/docProps/app.xml" ContentType="{_CT}.extended-properties+xml"/>'
            f'{"".join(types)}</Types>')
        # the parts that are the same in file after file (all but the sheets' names and
        # cells, and the file's title and date) compressed once
        write_zip(out, [("[Content_Types].xml", content_types, True), ("_rels/.rels", _PACKAGE_RELS, True),
                        (workbook, self._workbook(), False), (workbook_rels, rels_xml, True),
                        ("xl/styles.xml", self._styles(), True),
                        ("xl/sharedStrings.xml", self._shared_strings(), False),
                        *((name, xml, False) for name, xml in parts),
                        ("docProps/core.xml", core_properties(self.info), False), ("docProps/app.xml", _APP, True)],
                  self.info.created.timetuple()[:6])  # the file's parts dated as the file


@lru_cache(maxsize=64)
def _styles_xml(looks: tuple[tuple, ...]) -> str:
    """styles.xml for the cell formats Package.xf made, in order (file after file the same)."""
    fonts: dict[float, int] = {}  # size → id; font 0 is Calibri 11
    fills: dict[str, int] = {}  # RGB → id; fills 0 and 1 are Excel's own (none, gray125)
    formats: dict[str, int] = {}  # code → id, from 164, the first of a file's own
    xfs = []
    for size, align, wrap, border, fill, code in looks:
        if not align:  # the default format
            xfs.append('<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>')
            continue
        font = fonts.setdefault(size, len(fonts) + 1)
        fill_id = fills.setdefault(fill, len(fills) + 2) if fill else 0
        format_id = formats.setdefault(code, len(formats) + 164) if code != "General" else 0
        applied = ((' applyNumberFormat="1"' if format_id else "") + ' applyFont="1"'
                   + (' applyFill="1"' if fill_id else "") + (' applyBorder="1"' if border else ""))
        xfs.append(f'<xf numFmtId="{format_id}" fontId="{font}" fillId="{fill_id}" '
                   f'borderId="{1 if border else 0}" xfId="0"{applied} applyAlignment="1">'
                   f'<alignment horizontal="{align}" vertical="center"{_WRAP if wrap else ""}/></xf>')
    number_formats = "".join(f'<numFmt numFmtId="{i}" formatCode="{escape(code, quote=True)}"/>'
                             for code, i in formats.items())
    font_xml = "".join(f'<font><sz val="{size:g}"/><color rgb="FF000000"/><name val="{BODY_FONT}"/>'
                       '<family val="3"/><charset val="134"/></font>' for size in fonts)
    fill_xml = "".join(f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/>'
                       '<bgColor indexed="64"/></patternFill></fill>' for rgb in fills)
    return (f'<styleSheet xmlns="{_MAIN}">'
            + (f'<numFmts count="{len(formats)}">{number_formats}</numFmts>' if formats else "")
            + f'<fonts count="{len(fonts) + 1}"><font><sz val="11"/><name val="Calibri"/>'
            f'<family val="2"/></font>{font_xml}</fonts>'
            f'<fills count="{len(fills) + 2}"><fill><patternFill patternType="none"/></fill>'
            f'<fill><patternFill patternType="gray125"/></fill>{fill_xml}</fills>'
            f'<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
            f"<border>{_THIN}</border></borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>")



def _anchor(number: int, at: tuple[int, ...]) -> str:
    """A chart's frame in the drawing, from the top left of a row's column A to a cell
    and the pixels into it: (row, last column, pixels, last row, pixels), from 0."""
    row, col, x, end, y = at
    return ("<xdr:twoCellAnchor>"
            f"<xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
            f"<xdr:to><xdr:col>{col}</xdr:col><xdr:colOff>{x * _EMU_PER_PX}</xdr:colOff>"
            f"<xdr:row>{end}</xdr:row><xdr:rowOff>{y * _EMU_PER_PX}</xdr:rowOff></xdr:to>"
            f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{number + 1}" name="Chart {number}"/>'
            "<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>"
            '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
            f'<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:r="{_R}" r:id="rId{number}"/>'
            "</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>")

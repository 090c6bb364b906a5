"""A summary's chart as a native Excel chart (DrawingML): the values of one column of a
table on the sheet against the labels of another, as bars or columns, each value
written on its bar, the highlighted rows in the highlight colour, the value axis from
0, every label shown; and the reference line (the time elapsed) as a dashed line over a
column of its own. The chart refers to the sheet's cells, and carries their values too
(what a reader that does not compute shows).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..layout.grid import BAR_COLOUR, HIGHLIGHT_COLOUR
from .ooxml import escape

_NAMESPACES = ('xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
               'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
               'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
_CATEGORY_AXIS, _VALUE_AXIS = 50010001, 50010002
_UPRIGHT = '<a:bodyPr rot="-5400000" vert="horz"/>'  # text turned a quarter left
_LINE_EMU = 19050  # 1.5 pt
_GRIDLINES = '<c:spPr><a:ln w="9525"><a:solidFill><a:srgbClr val="D9D9D9"/></a:solidFill></a:ln></c:spPr>'


@dataclass
class Series:
    """A column of the sheet as a series: the cells it takes its name and values from,
    and what they hold."""

    name_ref: str  # 'Sheet'!$E$4
    name: str
    values_ref: str  # 'Sheet'!$E$5:$E$29
    values: list[str]  # numbers as written in the cells ("" where none)


def chart_xml(kind: str, title: str, bars: Series, categories_ref: str, categories: list[str],
              highlighted: frozenset[int], upright: bool, line: Series | None = None) -> str:
    """A bar ("bar": across) or column ("column") chart of one series against its
    categories, bars `highlighted` (by position) in the highlight colour, the labels
    turned upright where there are many columns, and a reference line."""
    across = kind == "bar"
    points = "".join(f'<c:dPt><c:idx val="{i}"/><c:invertIfNegative val="0"/><c:bubble3D val="0"/>'
                     f"{_fill(HIGHLIGHT_COLOUR)}</c:dPt>"
                     for i in sorted(highlighted) if 0 <= i < len(bars.values))
    value_labels = _text_properties(600) if upright else ""
    series = (f'<c:ser><c:idx val="0"/><c:order val="0"/>'
              f"<c:tx><c:strRef><c:f>{escape(bars.name_ref)}</c:f>{_str_cache([bars.name])}</c:strRef></c:tx>"
              f'{_fill(BAR_COLOUR)}<c:invertIfNegative val="0"/>{points}'
              f"<c:dLbls>{value_labels}{_VALUES_ONLY}</c:dLbls>"
              f"<c:cat><c:strRef><c:f>{escape(categories_ref)}</c:f>{_str_cache(categories)}</c:strRef></c:cat>"
              f"<c:val>{_num_ref(bars)}</c:val></c:ser>")
    axes = f'<c:axId val="{_CATEGORY_AXIS}"/><c:axId val="{_VALUE_AXIS}"/>'
    plot = (f'<c:barChart><c:barDir val="{"bar" if across else "col"}"/><c:grouping val="clustered"/>'
            f'<c:varyColors val="0"/>{series}<c:gapWidth val="150"/>{axes}</c:barChart>')
    if line is not None:
        plot += ('<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>'
                 '<c:ser><c:idx val="1"/><c:order val="1"/>'
                 f"<c:tx><c:v>{escape(line.name)}</c:v></c:tx>"
                 f'<c:spPr><a:ln w="{_LINE_EMU}"><a:solidFill><a:srgbClr val="{HIGHLIGHT_COLOUR}"/></a:solidFill>'
                 '<a:prstDash val="dash"/></a:ln></c:spPr><c:marker><c:symbol val="none"/></c:marker>'
                 f'<c:val>{_num_ref(line)}</c:val><c:smooth val="0"/></c:ser>'
                 f'<c:marker val="1"/>{axes}</c:lineChart>')
    ticks = '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
    # across, the first row on top (as in the table), the value axis where the last is
    category_axis = (f'<c:catAx><c:axId val="{_CATEGORY_AXIS}"/>'
                     f'<c:scaling><c:orientation val="{"maxMin" if across else "minMax"}"/></c:scaling>'
                     f'<c:delete val="0"/><c:axPos val="{"l" if across else "b"}"/>'
                     '<c:numFmt formatCode="General" sourceLinked="1"/>'
                     f"{ticks}{_text_properties(700) if upright else ''}"
                     f'<c:crossAx val="{_VALUE_AXIS}"/><c:crosses val="autoZero"/><c:auto val="1"/>'
                     '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:tickLblSkip val="1"/>'
                     '<c:noMultiLvlLbl val="0"/></c:catAx>')
    value_axis = (f'<c:valAx><c:axId val="{_VALUE_AXIS}"/><c:scaling><c:orientation val="minMax"/>'
                  f'<c:min val="0"/></c:scaling><c:delete val="0"/><c:axPos val="{"t" if across else "l"}"/>'
                  f'<c:majorGridlines>{_GRIDLINES}</c:majorGridlines>'
                  f'<c:numFmt formatCode="General" sourceLinked="1"/>{ticks}'
                  f'<c:crossAx val="{_CATEGORY_AXIS}"/><c:crosses val="{"max" if across else "autoZero"}"/>'
                  '<c:crossBetween val="between"/></c:valAx>')
    # the line's column is hidden: charted all the same (plotVisOnly 0), and named in a legend
    legend = '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>' if line is not None else ""
    # Every setting written out, as Excel does: what an absent one means differs between
    # readers (LibreOffice takes the standard's defaults, data labels with their series'
    # and categories' names, but from Excel 2007's files)
    return (f'<c:chartSpace {_NAMESPACES}><c:lang val="zh-CN"/><c:roundedCorners val="0"/><c:chart>'
            '<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr/></a:pPr>'
            f'<a:r><a:rPr lang="zh-CN"/><a:t>{escape(title)}</a:t></a:r></a:p></c:rich></c:tx>'
            '<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>'
            f"<c:plotArea><c:layout/>{plot}{category_axis}{value_axis}</c:plotArea>{legend}"
            f'<c:plotVisOnly val="{0 if line is not None else 1}"/><c:dispBlanksAs val="gap"/>'
            "</c:chart></c:chartSpace>")


_VALUES_ONLY = ('<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
                '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/>')


def _fill(rgb: str) -> str:
    return f'<c:spPr><a:solidFill><a:srgbClr val="{rgb}"/></a:solidFill></c:spPr>'


def _text_properties(size_hundredths: int) -> str:
    return (f"<c:txPr>{_UPRIGHT}<a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"{size_hundredths}\" baseline=\"0\"/>"
            '</a:pPr><a:endParaRPr lang="zh-CN"/></a:p></c:txPr>')


def _str_cache(texts: list[str]) -> str:
    points = "".join(f'<c:pt idx="{i}"><c:v>{escape(text)}</c:v></c:pt>' for i, text in enumerate(texts) if text)
    return f'<c:strCache><c:ptCount val="{len(texts)}"/>{points}</c:strCache>'


def _num_ref(series: Series) -> str:
    points = "".join(f'<c:pt idx="{i}"><c:v>{value}</c:v></c:pt>' for i, value in enumerate(series.values) if value)
    return (f"<c:numRef><c:f>{escape(series.values_ref)}</c:f><c:numCache><c:formatCode>General</c:formatCode>"
            f'<c:ptCount val="{len(series.values)}"/>{points}</c:numCache></c:numRef>')

"""The fill-in form (`reportgen template form`): one project's 自评表 in its official
layout, the same grid as the XLSX output, to fill in Excel, WPS or LibreOffice.

The grid is the XLSX writer's, printed from a blank document with as many indicator
rows as asked (each row's level cells told apart by zero-width marks so that the layout
does not merge them, and emptied again). Then only the input cells are unlocked and
shaded, the sheet protected without a password (Review → Unprotect lifts it), the
entry workbook's validation added (一级 from the hierarchy, 二级 from the 一级 chosen,
amounts ≥ 0, 分值/得分 0–100), and the cells that follow from others written as live
formulas, after the rules (rules.py): 执行率 = 执行数 ÷ 预算数 (truncated to 2 decimals,
as Shanghai forms print it), 预算执行 得分 = min(执行率, 100%) × 分值, 总分 = Σ 得分, the
分值 total, and 评分等级 from the grade bands. A filled form reads back through the Excel
reader like any form; empty indicator rows are no rows.
"""
from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..entry import LISTS
from ..layout import layout_document
from ..model import Document, Indicator, Outlook, Period
from ..rules import Rules
from . import WRITERS
from .entry_template import INPUT_FILL, write_lists

_MARK = "\u200b"  # zero-width: keeps blank rows' level cells apart in the layout
FUNDING_LABELS = ("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金")


def form_bytes(kind: str, year: int, rows: int, rules: Rules) -> bytes:
    """The fill-in form of a kind for a year, with room for `rows` indicators."""
    blank = Document(kind=kind, year=year, project="",
                     period=Period(f"{year}-01", f"{year}-08") if kind == "tracking" else None,
                     outlook=Outlook() if kind == "tracking" else None,
                     corrective="" if kind == "tracking" else None,
                     indicators=[Indicator(_MARK * (i + 1), _MARK * (i + 1)) for i in range(rows)])
    return prefilled_form_bytes(blank, rules)


def prefilled_form_bytes(doc: Document, rules: Rules) -> bytes:
    """A document's form to fill in (`derive --to form`): what it holds printed and
    locked (carried over from the earlier form), its empty cells the inputs; on a
    自评表, the suggested 分值 open to change."""
    grid = BytesIO()
    WRITERS["xlsx"]([layout_document(doc)], grid)
    workbook = load_workbook(BytesIO(grid.getvalue()))
    sheet = workbook.worksheets[0]
    lists = workbook.create_sheet(LISTS)
    write_lists(workbook, lists, rules)
    _Form(sheet, doc.kind, rules).build()
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


class _Form:
    def __init__(self, sheet, kind: str, rules: Rules):
        self.sheet, self.kind, self.rules = sheet, kind, rules
        self.at = {str(cell.value).strip(): (cell.row, cell.column)
                   for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}

    def right_of(self, label: str) -> tuple[int, int]:
        """The cell a label's value goes in: the first after the label's merged range."""
        row, column = self.at[label]
        for merged in self.sheet.merged_cells.ranges:
            if merged.min_row <= row <= merged.max_row and merged.min_col == column:
                return row, merged.max_col + 1
        return row, column + 1

    def build(self) -> None:
        sheet = self.sheet
        inputs = [(2, 1)]  # the year (跟踪时段) line under the title
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell, MergedCell):
                    continue  # covered by a merged cell: its first cell is the one
                if isinstance(cell.value, str) and cell.value.strip(_MARK) == "":
                    cell.value = None  # the marks that kept blank rows apart
                if cell.value is None and cell.fill.patternType is None:  # no head's shade
                    inputs.append((cell.row, cell.column))
        formulas = self.formulas()
        if self.kind == "selfeval":  # the 分值, suggested or not, are the user's to set
            first, last = self.at["一级指标"][0] + 1, self.at["总分"][0] - 1
            inputs += [(r, self.at["分值"][1]) for r in range(first, last + 1)]
            inputs.append((self.at["年度资金总额"][0], self.funding_column("分值")))
        for r, c in inputs:
            if (r, c) not in formulas:
                cell = sheet.cell(r, c)
                cell.protection = Protection(locked=False)
                cell.fill = INPUT_FILL
        self.validate()
        sheet.protection.sheet = True  # no password: Review → Unprotect Sheet lifts it
        sheet.protection.formatColumns = sheet.protection.formatRows = False

    def funding_column(self, head: str) -> int:
        """A funding head's column (分值 and 得分 recur in the indicators' heads)."""
        row, _ = self.at["年初预算数"]
        return next(cell.column for cell in self.sheet[row] if cell.value == head)

    def formulas(self) -> set[tuple[int, int]]:
        """The cells that follow from others, written as formulas: 执行率 on every kind
        with an 执行数; on a 自评表, the 预算执行 得分, the 分值 total, 总分 and 评分等级."""
        written: set[tuple[int, int]] = set()
        if self.kind == "target":
            return written
        heads_row, _ = self.at["年初预算数"]  # the funding heads (分值, 得分 recur in the indicators')
        column = {str(cell.value): cell.column for cell in self.sheet[heads_row] if cell.value}
        budget = column["全年预算数" if self.kind == "selfeval" else "跟踪期预算数"]
        executed = column["全年执行数" if self.kind == "selfeval" else "跟踪期执行数"]
        for label in FUNDING_LABELS:
            r = self.at[label][0]
            written.add(self.formula(r, column["执行率(%)"], self.rate(self.ref(r, budget), self.ref(r, executed))))
        if self.kind != "selfeval":
            return written
        total_row = self.at["年度资金总额"][0]
        rate, weight = (self.ref(total_row, column[k]) for k in ("执行率(%)", "分值"))
        written.add(self.formula(total_row, column["得分"],
                                 f'=IF(AND(ISNUMBER({rate}),ISNUMBER({weight})),ROUND(MIN({rate},100)/100*{weight},2),"")'))
        first, last = self.at["一级指标"][0] + 1, self.at["总分"][0] - 1
        score_col, weight_col = self.at["得分"][1], self.at["分值"][1]
        total = self.at["总分"][0]
        scores = f"{self.ref(first, score_col)}:{self.ref(last, score_col)}"
        weights = f"{self.ref(first, weight_col)}:{self.ref(last, weight_col)}"
        funding_score, funding_weight = self.ref(total_row, column["得分"]), self.ref(total_row, column["分值"])
        written.add(self.formula(total, weight_col,
                                 f'=IF(COUNT({funding_weight},{weights})=0,"",SUM({funding_weight},{weights}))'))
        written.add(self.formula(total, score_col,
                                 f'=IF(COUNT({funding_score},{scores})=0,"",ROUND(SUM({funding_score},{scores}),2))'))
        written.add(self.formula(*self.right_of("评分等级"), self.grade(self.ref(total, score_col))))
        return written

    def ref(self, row: int, column: int) -> str:
        return f"{get_column_letter(column)}{row}"

    def formula(self, row: int, column: int, formula: str) -> tuple[int, int]:
        self.sheet.cell(row, column).value = formula
        return row, column

    @staticmethod
    def rate(budget: str, executed: str) -> str:
        """执行率 truncated to 2 decimals, as Shanghai forms print it (rules.execution_rates)."""
        return (f'=IF(AND(ISNUMBER({executed}),ISNUMBER({budget}),{budget}<>0),'
                f'ROUNDDOWN({executed}/{budget}*100,2),"")')

    def grade(self, total: str) -> str:
        formula = f'"{self.rules.lowest_grade}"'
        for name, least in reversed(self.rules.grade_bands):
            formula = f'IF({total}>={least},"{name}",{formula})'
        return f'=IF(ISNUMBER({total}),{formula},"")'

    def validate(self) -> None:
        """一级 from the hierarchy, 二级 from the 一级 chosen, 分值/得分 0–100, 完成可能性
        from its list."""
        heads = self.at["一级指标"][0]
        first = heads + 1
        last = next((r for label, (r, _) in self.at.items() if r > heads and label in _AFTER_INDICATORS),
                     self.sheet.max_row + 1) - 1
        level1 = get_column_letter(self.at["一级指标"][1])
        checks = [("一级指标", DataValidation(type="list", formula1="=一级指标", allow_blank=True)),
                  ("二级指标", DataValidation(type="list", formula1=f"=INDIRECT(${level1}{first})", allow_blank=True))]
        if self.kind == "selfeval":
            checks += [(head, DataValidation(type="decimal", operator="between", formula1="0", formula2="100",
                                             allow_blank=True)) for head in ("分值", "得分")]
        for head, validation in checks:
            letter = get_column_letter(self.at[head][1])
            self.sheet.add_data_validation(validation)
            validation.add(f"{letter}{first}:{letter}{last}")
        if self.kind == "tracking":
            outlook = DataValidation(type="list", formula1="=完成可能性", allow_blank=True)
            self.sheet.add_data_validation(outlook)
            for label in ("年度项目预算完成可能性", "年度绩效目标完成可能性"):
                outlook.add(self.ref(*self.right_of(label)))


_AFTER_INDICATORS = frozenset({"总分", "绩效跟踪\n总体判断", "评分等级"})

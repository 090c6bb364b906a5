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
from openpyxl.styles import Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..layout import layout_document
from ..model import Document, Indicator
from ..rules import Rules
from . import WRITERS
from .entry_template import _INPUT, _write_lists

_MARK = "\u200b"  # zero-width: keeps blank rows' level cells apart in the layout
FUNDING_LABELS = ("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金")


def form_bytes(year: int, rows: int, rules: Rules) -> bytes:
    """The 自评表 fill-in form for a year, with room for `rows` indicators."""
    blank = Document(kind="selfeval", year=year, project="",
                     indicators=[Indicator(_MARK * (i + 1), _MARK * (i + 1)) for i in range(rows)])
    grid = BytesIO()
    WRITERS["xlsx"]([layout_document(blank)], grid)
    workbook = load_workbook(BytesIO(grid.getvalue()))
    sheet = workbook.worksheets[0]
    lists = workbook.create_sheet("选项")
    _write_lists(workbook, lists, rules)
    _Form(sheet, rules).build()
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


class _Form:
    def __init__(self, sheet, rules: Rules):
        self.sheet, self.rules = sheet, rules
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
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.strip(_MARK) == "":
                    cell.value = None  # the marks that kept blank rows apart
        inputs = [self.right_of(label) for label in ("项目名称", "主管部门", "实施单位")]
        inputs.append(self.at[next(k for k in self.at if k.endswith("年度)"))])
        heads_row, _ = self.at["年初预算数"]  # the funding heads (分值, 得分 recur in the indicators')
        column = {str(cell.value): cell.column for cell in sheet[heads_row] if cell.value}
        for label in FUNDING_LABELS:
            r = self.at[label][0]
            inputs += [(r, column["年初预算数"]), (r, column["全年预算数"]), (r, column["全年执行数"])]
            self.formula(r, column["执行率(%)"], self.rate(r, column))
        total_row = self.at["年度资金总额"][0]
        inputs.append((total_row, column["分值"]))
        rate, weight = (self.ref(total_row, column[k]) for k in ("执行率(%)", "分值"))
        self.formula(total_row, column["得分"],
                     f'=IF(AND(ISNUMBER({rate}),ISNUMBER({weight})),ROUND(MIN({rate},100)/100*{weight},2),"")')
        goals_row = self.at["预期目标"][0] + 1
        inputs += [(goals_row, self.at["预期目标"][1]), (goals_row, self.at["实际完成情况"][1])]
        first = self.at["一级指标"][0] + 1
        last = self.at["总分"][0] - 1
        for r in range(first, last + 1):
            inputs += [(r, c) for c in range(1, 9)]
        score_col, weight_col = self.at["得分"][1], self.at["分值"][1]
        total = self.at["总分"][0]
        scores = f"{self.ref(first, score_col)}:{self.ref(last, score_col)}"
        weights = f"{self.ref(first, weight_col)}:{self.ref(last, weight_col)}"
        funding_score, funding_weight = self.ref(total_row, column["得分"]), self.ref(total_row, column["分值"])
        self.formula(total, weight_col, f'=IF(COUNT({funding_weight},{weights})=0,"",SUM({funding_weight},{weights}))')
        self.formula(total, score_col, f'=IF(COUNT({funding_score},{scores})=0,"",ROUND(SUM({funding_score},{scores}),2))')
        self.formula(*self.right_of("评分等级"), self.grade(self.ref(total, score_col)))
        for r, c in inputs:
            cell = sheet.cell(r, c)
            cell.protection = Protection(locked=False)
            cell.fill = _INPUT
        self.validate(first, last)
        sheet.protection.sheet = True  # no password: Review → Unprotect Sheet lifts it
        sheet.protection.formatColumns = sheet.protection.formatRows = False

    def ref(self, row: int, column: int) -> str:
        return f"{get_column_letter(column)}{row}"

    def formula(self, row: int, column: int, formula: str) -> None:
        self.sheet.cell(row, column).value = formula

    def rate(self, row: int, column: dict[str, int]) -> str:
        budget, executed = self.ref(row, column["全年预算数"]), self.ref(row, column["全年执行数"])
        return (f'=IF(AND(ISNUMBER({executed}),ISNUMBER({budget}),{budget}<>0),'
                f'ROUNDDOWN({executed}/{budget}*100,2),"")')

    def grade(self, total: str) -> str:
        formula = f'"{self.rules.lowest_grade}"'
        for name, least in reversed(self.rules.grade_bands):
            formula = f'IF({total}>={least},"{name}",{formula})'
        return f'=IF(ISNUMBER({total}),{formula},"")'

    def validate(self, first: int, last: int) -> None:
        level1 = get_column_letter(self.at["一级指标"][1])
        rules = [(self.at["一级指标"][1], DataValidation(type="list", formula1="=一级指标", allow_blank=True)),
                 (self.at["二级指标"][1], DataValidation(type="list", formula1=f"=INDIRECT(${level1}{first})",
                                                        allow_blank=True)),
                 (self.at["分值"][1], DataValidation(type="decimal", operator="between", formula1="0",
                                                    formula2="100", allow_blank=True)),
                 (self.at["得分"][1], DataValidation(type="decimal", operator="between", formula1="0",
                                                    formula2="100", allow_blank=True))]
        for column, validation in rules:
            self.sheet.add_data_validation(validation)
            letter = get_column_letter(column)
            validation.add(f"{letter}{first}:{letter}{last}")

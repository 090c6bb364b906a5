"""What a rendered form must show: every field value of a document, as printed text."""
from __future__ import annotations

from reportgen.layout import format_month, format_number
from reportgen.model import FUNDING_COLUMNS, FUNDING_ROWS, Document


def printed_values(doc: Document) -> list[str]:
    """Given a document, return the text of every field it has, as the forms print it
    (numbers with thousands separators, months as 2024年8月)."""
    texts = [doc.project, doc.department, doc.unit, doc.nature, doc.category,
             doc.start_date, doc.end_date, doc.goals.planned, doc.goals.actual,
             doc.grade, doc.corrective]
    if doc.outlook:
        texts += [doc.outlook.budget, doc.outlook.goals]
    numbers = [getattr(getattr(doc.funding, row), col)
               for row in FUNDING_ROWS for col in FUNDING_COLUMNS]
    numbers.append(doc.total_score)
    for i in doc.indicators:
        texts += [i.level1, i.level2, i.name, i.target, i.planned, i.actual, i.deviation]
        numbers += [i.weight, i.score]
    texts += [format_number(n) for n in numbers if n is not None]
    return [t for t in texts if t]


def period_text(doc: Document) -> str | None:
    if doc.period is None:
        return None
    return f"{format_month(doc.period.start)} 至 {format_month(doc.period.end)}"

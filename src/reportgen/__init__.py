"""reportgen: the performance forms of Chinese public budgeting (财政项目支出绩效目标申报表,
跟踪表, 自评表) from structured data, as PDF, Word and Excel files ready to print and file.

The stages, one direction: readers → model → layout → writers (see docs/architecture.md).
"""
__version__ = "0.1.0"

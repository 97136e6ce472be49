"""Registers (台账) as .xlsx and .docx: a title, a line under it, a bordered table whose header
repeats on every page. The 用印登记簿 and the procurement register are drawn by this module; they
only supply their columns and rows. The look follows the 归档文件目录 (`catalog.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from oa.render.catalog import _cell, _row_flag, _text_width
from oa.render.html import printable
from oa.render.slip import (
    FANGSONG,
    HEITI,
    a4,
    bordered_table,
    cell_margins,
    min_height,
    new_document,
    paragraph,
)

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_ROW = 3


@dataclass(frozen=True)
class Column:
    header: str
    #: width in Excel character units and in millimetres on the .docx page
    chars: float
    mm: float
    centred: bool = False


@dataclass(frozen=True)
class Ledger:
    """One table: a sheet in the workbook, a section in the document."""

    title: str
    subtitle: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[str | int | float]]
    #: what the table says when there are no rows
    empty: str = "无记录"
    sheet: str = "登记簿"
    #: a last row in bold (totals), or none
    footer: Sequence[str | int | float] = field(default_factory=tuple)


def _xlsx_sheet(ws: Any, ledger: Ledger) -> None:
    ncols = len(ledger.columns)
    last = get_column_letter(ncols)
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = ledger.title
    ws["A1"].font = Font(name=HEITI, size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = ledger.subtitle
    ws["A2"].font = Font(name=FANGSONG, size=11)
    ws.row_dimensions[2].height = 20
    for col, c in enumerate(ledger.columns, start=1):
        cell = ws.cell(row=_HEADER_ROW, column=col, value=c.header)
        cell.font = Font(name=HEITI, size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BOX
        cell.fill = PatternFill("solid", fgColor="E7E6E6")
        ws.column_dimensions[get_column_letter(col)].width = c.chars
    body = Font(name=FANGSONG, size=11)
    rows = list(ledger.rows)
    if ledger.footer:
        rows.append(ledger.footer)
    for n, values in enumerate(rows, start=1):
        r = _HEADER_ROW + n
        lines = 1
        bold = bool(ledger.footer) and n == len(rows)
        for col, (value, c) in enumerate(zip(values, ledger.columns, strict=True), start=1):
            cell = ws.cell(
                row=r, column=col, value=printable(value) if isinstance(value, str) else value
            )
            cell.font = Font(name=FANGSONG, size=11, bold=True) if bold else body
            cell.border = _BOX
            across = "right" if isinstance(value, float) else "center" if c.centred else "left"
            cell.alignment = Alignment(horizontal=across, vertical="center", wrap_text=True)
            if isinstance(value, float):
                cell.number_format = "#,##0.00"
            lines = max(lines, -(-_text_width(str(value)) // max(int(c.chars) - 1, 1)))
        ws.row_dimensions[r].height = 16 * lines + 4
    if not rows:
        r = _HEADER_ROW + 1
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        ws.cell(row=r, column=1, value=ledger.empty).font = body
        ws.cell(row=r, column=1).alignment = Alignment(horizontal="center", vertical="center")
        for col in range(1, ncols + 1):
            ws.cell(row=r, column=col).border = _BOX
    ws.freeze_panes = f"A{_HEADER_ROW + 1}"
    ws.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def write_xlsx(ledgers: Sequence[Ledger], path: Path, *, author: str = "") -> Path:
    """One sheet per ledger, A4 landscape, the header row repeated on each printed page."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    for i, ledger in enumerate(ledgers):
        ws = first if i == 0 else wb.create_sheet()
        ws.title = ledger.sheet[:31]
        _xlsx_sheet(ws, ledger)
    wb.properties.title = ledgers[0].title if ledgers else ""
    wb.properties.creator = author
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    return path


def _docx_part(doc: Any, ledger: Ledger) -> None:
    paragraph(
        doc, ledger.title, font=HEITI, size=18, align=WD_ALIGN_PARAGRAPH.CENTER, first=True,
        space_after=6,
    )  # fmt: skip
    paragraph(doc, ledger.subtitle, size=12, space_after=6)
    rows = list(ledger.rows) + ([ledger.footer] if ledger.footer else [])
    table = bordered_table(doc, 1 + max(len(rows), 1), [c.mm for c in ledger.columns])
    cell_margins(table, 1)
    head = table.rows[0]
    min_height(head, 9)
    for cell, c in zip(head.cells, ledger.columns, strict=True):
        _cell(cell, c.header, header=True)
    _row_flag(head, "cantSplit")
    _row_flag(head, "tblHeader")
    for row, values in zip(table.rows[1:], rows, strict=False):
        for cell, value, c in zip(row.cells, values, ledger.columns, strict=True):
            text = f"{value:,.2f}" if isinstance(value, float) else str(value)
            _cell(cell, text, centred=c.centred)
        min_height(row, 9)
        _row_flag(row, "cantSplit")
    if not rows:
        row = table.rows[1]
        min_height(row, 12)
        merged = row.cells[0].merge(row.cells[len(ledger.columns) - 1])
        _cell(merged, ledger.empty, centred=True)


def write_docx(ledgers: Sequence[Ledger], path: Path, *, author: str = "") -> Path:
    """A4 landscape, a section per ledger, each starting on a new page."""
    doc = new_document(landscape=True, title=ledgers[0].title if ledgers else "", author=author)
    for i, ledger in enumerate(ledgers):
        if i:
            a4(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)
        _docx_part(doc, ledger)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path

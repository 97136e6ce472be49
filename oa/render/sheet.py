"""Ruled tables as .xlsx, .docx and HTML: the papers of 办事 (the work arrangement, the duty 台帐,
the holiday roster) are all a heading, a line under it and a table with a header row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.enum.table import WD_ALIGN_VERTICAL
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from oa.core.store import Store
from oa.render.html import output_path, printable, render_html
from oa.render.slip import (
    FANGSONG,
    HEITI,
    bordered_table,
    cell_margins,
    min_height,
    new_document,
    paragraph,
)


@dataclass(frozen=True)
class Column:
    name: str
    #: width in Excel characters and in millimetres on the .docx page
    chars: float
    mm: float
    centred: bool = False


@dataclass(frozen=True)
class Sheet:
    """One table: a sheet of the workbook, a section of the document."""

    title: str
    heading: str
    subheading: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[str | int]]
    empty: str = "无"
    #: rows (by position) that open a group: their first cell spans the row, shaded (a day of
    #: the arrangement)
    group_rows: frozenset[int] = field(default_factory=frozenset)
    #: the least height of a body row on the .docx page, in mm (0: as the text needs)
    row_mm: float = 0


_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _fill_sheet(ws: Any, sheet: Sheet) -> None:
    ncols = len(sheet.columns)
    last = get_column_letter(ncols)
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = sheet.heading
    ws["A1"].font = Font(name=HEITI, size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = sheet.subheading
    ws["A2"].font = Font(name=FANGSONG, size=11)
    ws.row_dimensions[2].height = 20
    for col, c in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=3, column=col, value=c.name)
        cell.font = Font(name=HEITI, size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = _BOX
        cell.fill = PatternFill("solid", fgColor="E7E6E6")
        ws.column_dimensions[get_column_letter(col)].width = c.chars
    body = Font(name=FANGSONG, size=11)
    rows = list(sheet.rows) or [[sheet.empty] + [""] * (ncols - 1)]
    for i, values in enumerate(rows):
        r = 4 + i
        lines = 1
        for col, (c, value) in enumerate(zip(sheet.columns, values, strict=True), start=1):
            cell = ws.cell(
                row=r, column=col, value=printable(value) if isinstance(value, str) else value
            )
            cell.font = body
            cell.border = _BOX
            cell.alignment = Alignment(
                horizontal="center" if c.centred else "left", vertical="center", wrap_text=True
            )
            if i in sheet.group_rows:
                cell.fill = PatternFill("solid", fgColor="F2F2F2")
            lines = max(lines, -(-_width(str(value)) // max(int(c.chars) - 1, 1)))
        if i in sheet.group_rows:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
            ws.cell(row=r, column=1).font = Font(name=HEITI, size=11, bold=True)
            lines = 1
        ws.row_dimensions[r].height = 16 * lines + 4
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def write_xlsx(store: Store, sheets: Sequence[Sheet], out_dir: Path, name: str) -> Path:
    wb = Workbook()
    first = wb.active
    assert first is not None
    for i, sheet in enumerate(sheets):
        ws = first if i == 0 else wb.create_sheet()
        ws.title = sheet.title[:31]
        _fill_sheet(ws, sheet)
    wb.properties.title = sheets[0].heading if sheets else name
    wb.properties.creator = store.office.office.name
    path = output_path(out_dir, name)
    wb.save(str(path))
    return path


def write_docx(store: Store, sheets: Sequence[Sheet], out_dir: Path, name: str) -> Path:
    doc = new_document(
        landscape=True,
        title=sheets[0].heading if sheets else name,
        author=store.office.office.name,
    )
    for n, sheet in enumerate(sheets):
        if n:
            doc.add_page_break()
        paragraph(
            doc,
            sheet.heading,
            font=HEITI,
            size=18,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            first=n == 0,
            space_after=6,
        )
        paragraph(doc, sheet.subheading, size=12, space_after=6)
        rows = list(sheet.rows) or [[sheet.empty] + [""] * (len(sheet.columns) - 1)]
        table = bordered_table(doc, len(rows) + 1, [c.mm for c in sheet.columns])
        cell_margins(table, 1.2)
        for cell, c in zip(table.rows[0].cells, sheet.columns, strict=True):
            cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
            paragraph(
                cell, c.name, font=HEITI, size=11, align=WD_ALIGN_PARAGRAPH.CENTER, first=True
            )
        for n_row, (row, values) in enumerate(zip(table.rows[1:], rows, strict=True)):
            if sheet.row_mm:
                min_height(row, sheet.row_mm)
            if n_row in sheet.group_rows:
                cell = row.cells[0].merge(row.cells[-1])
                paragraph(cell, str(values[0]), font=HEITI, size=11, first=True)
                shade(cell, "F2F2F2")
                continue
            for cell, c, value in zip(row.cells, sheet.columns, values, strict=True):
                cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
                align = WD_ALIGN_PARAGRAPH.CENTER if c.centred else None
                paragraph(cell, str(value), size=11, align=align, first=True)
    path = output_path(out_dir, name)
    doc.save(str(path))
    return path


def shade(cell: Any, fill: str) -> None:
    tcPr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcPr.append(shd)


def write_html(store: Store, sheets: Sequence[Sheet], out_dir: Path, name: str) -> Path:
    text = render_html(store, "sheet.html.j2", sheets=sheets)
    path = output_path(out_dir, name)
    path.write_text(text, encoding="utf-8")
    return path

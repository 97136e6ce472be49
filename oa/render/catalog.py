"""The 归档文件目录 (DA/T 22-2015 附录) of one year, as .xlsx and .docx (S-DOC-IN-6).

The catalog is bound with the boxes of each 保管期限, so every retention period gets its own sheet
(xlsx) or section starting on a new page (docx), with 序号 restarting at 1. The rows come from
`oa.core.archive.catalog`, already in 档号 order; this module only draws them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.enum.section import WD_SECTION
from docx.enum.table import WD_ALIGN_VERTICAL
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from oa.core.archive import RETENTION_LABELS, CatalogRow, catalog
from oa.core.store import Store
from oa.render.html import output_path, printable, ymd
from oa.render.slip import (
    FANGSONG,
    HEITI,
    a4,
    bordered_table,
    cell_margins,
    insert_ordered,
    min_height,
    new_document,
    paragraph,
)

#: the columns of DA/T 22-2015's 归档文件目录: header, xlsx width (characters), docx width (mm)
COLUMNS: list[tuple[str, float, float]] = [
    ("序号", 6, 11),
    ("档号", 28, 53),
    ("文号", 22, 38),
    ("责任者", 20, 32),
    ("题名", 46, 56),
    ("日期", 11, 19),
    ("密级", 6, 11),
    ("页数", 6, 11),
    ("备注", 14, 26),
]
#: columns whose text is centred (short codes and numbers); the rest read left to right
CENTRED = {"序号", "日期", "密级", "页数"}
NO_DOCUMENTS = "本年度无归档文件"


@dataclass(frozen=True)
class Part:
    """The rows of one 保管期限, as they are bound together."""

    retention: str
    label: str
    rows: tuple[CatalogRow, ...]


def parts(rows: Sequence[CatalogRow]) -> list[Part]:
    """Rows grouped by 保管期限 in the order 永久, 定期30年, 定期10年; periods without rows left out."""
    return [
        Part(code, label, tuple(r for r in rows if r.retention == code))
        for code, label in RETENTION_LABELS.items()
        if any(r.retention == code for r in rows)
    ]


def cells(seq: int, row: CatalogRow) -> list[str | int]:
    """One row of the catalog: 序号, 档号, 文号, 责任者, 题名, 日期 (YYYYMMDD), 密级, 页数, 备注."""
    return [
        seq,
        row.code,
        row.number,
        row.author,
        row.title,
        ymd(row.day),
        row.secrecy,
        "" if row.pages is None else row.pages,
        row.note,
    ]


def heading(store: Store, year: int) -> str:
    return f"{store.office.office.name}{year}年度归档文件目录"


def subheading(store: Store, year: int, part: Part | None) -> str:
    """全宗号 · 年度 · 保管期限, the catalog's cover data (DA/T 22-2015 8.2)."""
    fonds = store.office.office.fonds or ""
    text = f"全宗号：{fonds}　　年度：{year}"
    return text + (f"　　保管期限：{part.label}" if part else "")


# -- .xlsx ---------------------------------------------------------------------------------------

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_ROW = 3


def _text_width(text: str) -> int:
    """Width in Excel character units: a Chinese character is two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _sheet(ws: Any, store: Store, year: int, part: Part | None) -> None:
    """Title, cover data, header and rows of one sheet, with borders and A4 landscape printing."""
    ncols = len(COLUMNS)
    last = get_column_letter(ncols)
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = heading(store, year)
    ws["A1"].font = Font(name=HEITI, size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = subheading(store, year, part)
    ws["A2"].font = Font(name=FANGSONG, size=11)
    ws["A2"].alignment = Alignment(horizontal="left", vertical="center")
    ws.row_dimensions[2].height = 20
    for col, (name, width, _) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=_HEADER_ROW, column=col, value=name)
        cell.font = Font(name=HEITI, size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = _BOX
        cell.fill = PatternFill("solid", fgColor="E7E6E6")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[_HEADER_ROW].height = 22
    body = Font(name=FANGSONG, size=11)
    rows = part.rows if part else ()
    for seq, row in enumerate(rows, start=1):
        r = _HEADER_ROW + seq
        lines = 1
        for col, value in enumerate(cells(seq, row), start=1):
            name, width, _ = COLUMNS[col - 1]
            cell = ws.cell(
                row=r, column=col, value=printable(value) if isinstance(value, str) else value
            )
            cell.font = body
            cell.border = _BOX
            cell.alignment = Alignment(
                horizontal="center" if name in CENTRED else "left",
                vertical="center",
                wrap_text=True,
            )
            lines = max(lines, -(-_text_width(str(value)) // max(int(width) - 1, 1)))
        ws.row_dimensions[r].height = 16 * lines + 4  # wrapped titles need the room
    if not rows:
        r = _HEADER_ROW + 1
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        ws.cell(row=r, column=1, value=NO_DOCUMENTS).font = body
        ws.cell(row=r, column=1).alignment = Alignment(horizontal="center", vertical="center")
        for col in range(1, ncols + 1):
            ws.cell(row=r, column=col).border = _BOX
        ws.row_dimensions[r].height = 24
    ws.freeze_panes = f"A{_HEADER_ROW + 1}"
    ws.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def render_catalog_xlsx(store: Store, year: int, out_dir: Path) -> Path:
    """Write `catalog-<year>.xlsx`: a sheet per 保管期限 with rows, or one saying there are none."""
    groups = parts(catalog(store, year))
    wb = Workbook()
    first = wb.active
    assert first is not None
    if not groups:
        first.title = "归档文件目录"
        _sheet(first, store, year, None)
    for i, part in enumerate(groups):
        ws = first if i == 0 else wb.create_sheet()
        ws.title = part.label
        _sheet(ws, store, year, part)
    wb.properties.title = heading(store, year)
    wb.properties.creator = store.office.office.name
    path = output_path(out_dir, f"catalog-{year}.xlsx")
    wb.save(str(path))
    return path


# -- .docx ---------------------------------------------------------------------------------------


def _row_flag(row: Any, tag: str) -> None:
    """Mark a table row `w:tblHeader` (repeat on every page) or `w:cantSplit` (keep whole)."""
    later = {"cantSplit": ("w:trHeight", "w:tblHeader"), "tblHeader": ()}[tag]
    trPr = row._tr.get_or_add_trPr()
    insert_ordered(trPr, OxmlElement(f"w:{tag}"), (*later, "w:tblCellSpacing", "w:jc", "w:hidden"))


def _cell(cell: Any, text: str, *, header: bool = False, centred: bool = False) -> None:
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    align = WD_ALIGN_PARAGRAPH.CENTER if centred or header else None
    paragraph(cell, text, font=HEITI if header else FANGSONG, size=10, align=align, first=True)


def _part(doc: Any, store: Store, year: int, part: Part | None) -> None:
    """One 保管期限's heading and table; the header row repeats on every page."""
    paragraph(
        doc,
        heading(store, year),
        font=HEITI,
        size=18,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        first=True,
        space_after=6,
    )
    paragraph(doc, subheading(store, year, part), size=12, space_after=6)
    rows = part.rows if part else ()
    table = bordered_table(doc, 1 + max(len(rows), 1), [mm for _, _, mm in COLUMNS])
    cell_margins(table, 1)
    head = table.rows[0]
    min_height(head, 9)
    for cell, (name, _, _) in zip(head.cells, COLUMNS, strict=True):
        _cell(cell, name, header=True)
    _row_flag(head, "cantSplit")
    _row_flag(head, "tblHeader")
    for seq, (row, data) in enumerate(zip(table.rows[1:], rows, strict=False), start=1):
        for cell, value, (name, _, _) in zip(row.cells, cells(seq, data), COLUMNS, strict=True):
            _cell(cell, str(value), centred=name in CENTRED)
        min_height(row, 9)
        _row_flag(row, "cantSplit")
    if not rows:
        row = table.rows[1]
        min_height(row, 12)
        merged = row.cells[0].merge(row.cells[len(COLUMNS) - 1])
        _cell(merged, NO_DOCUMENTS, centred=True)


def render_catalog_docx(store: Store, year: int, out_dir: Path) -> Path:
    """Write `catalog-<year>.docx`: A4 landscape, a section per 保管期限, each on a new page."""
    groups = parts(catalog(store, year))
    doc = new_document(landscape=True, title=heading(store, year), author=store.office.office.name)
    if not groups:
        _part(doc, store, year, None)
    for i, part in enumerate(groups):
        if i:
            a4(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)
        _part(doc, store, year, part)
    path = output_path(out_dir, f"catalog-{year}.docx")
    doc.save(str(path))
    return path

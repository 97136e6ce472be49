"""Forms made of simple blocks — lines of text, labelled fields, ruled tables, a seating chart —
written as one HTML file (template `sheets.html.j2`) and one .docx, a page per form.

The meeting pack (会议通知单, 议程, 会议须知, 名单, 座次图, 签到表, 督查表, 到会情况统计表), the room
register and a booking's 会议通知单 are all built from these blocks, so each form is described once
and both formats follow it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from oa.core.store import Store
from oa.render.html import output_path, render_html
from oa.render.slip import (
    FANGSONG,
    HEITI,
    bordered_table,
    cell_margins,
    min_height,
    new_document,
    paragraph,
)

XIAOBIAOSONG = "方正小标宋简体"


@dataclass(frozen=True)
class Text:
    text: str
    bold: bool = False
    align: str = "left"  # left, right, centre


@dataclass(frozen=True)
class Fields:
    """Label / value rows, two pairs a row where `pairs` is true."""

    rows: Sequence[tuple[str, str]]
    pairs: bool = False


@dataclass(frozen=True)
class Grid:
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    #: relative column widths
    widths: Sequence[float] = ()
    #: blank rows to add for filling in by hand (a sign-in sheet)
    blank: int = 0


@dataclass(frozen=True)
class Chart:
    """A seating chart as seen from the hall: the podium's seats left to right, then the zones."""

    podium: Sequence[tuple[str, str, str]]  # (seat, name, title)
    zones: Sequence[tuple[str, Sequence[tuple[str, str, str]]]] = ()  # (zone, [(seat, name, unit)])
    per_row: int = 6


Block = Text | Fields | Grid | Chart


@dataclass
class Sheet:
    title: str
    blocks: list[Block] = field(default_factory=list)
    subtitle: str = ""
    landscape: bool = False


def render_sheets_html(store: Store, sheets: Sequence[Sheet], title: str) -> str:
    return render_html(store, "sheets.html.j2", sheets=sheets, title=title, kind=_kind)


def _kind(block: Block) -> str:
    return type(block).__name__.lower()


def write_html(store: Store, sheets: Sequence[Sheet], title: str, out_dir: Path, name: str) -> Path:
    path = output_path(out_dir, name)
    path.write_text(render_sheets_html(store, sheets, title), encoding="utf-8")
    return path


# -- .docx -------------------------------------------------------------------------------------

TEXT_MM = 165.0  # A4 portrait between the margins


def _align(name: str) -> Any:
    return {
        "centre": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }.get(name, WD_ALIGN_PARAGRAPH.LEFT)


def _cell(
    cell: Any, text: str, *, header: bool = False, size: float = 12, centre: bool = False
) -> None:
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    paragraph(
        cell,
        text,
        font=HEITI if header else FANGSONG,
        size=size,
        align=WD_ALIGN_PARAGRAPH.CENTER if (header or centre) else None,
        first=True,
    )


def _shade(cell: Any, fill: str) -> None:
    tcPr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcPr.append(shd)


def _widths(given: Sequence[float], n: int) -> list[float]:
    rel = list(given) if len(given) == n else [1.0] * n
    total = sum(rel)
    return [TEXT_MM * w / total for w in rel]


def _fields(doc: Any, block: Fields) -> None:
    rows = list(block.rows)
    if block.pairs:
        grouped = [rows[i : i + 2] for i in range(0, len(rows), 2)]
        table = bordered_table(doc, len(grouped), _widths([1, 2, 1, 2], 4))
        for r, pair in zip(table.rows, grouped, strict=True):
            min_height(r, 9)
            for j, (label, value) in enumerate(pair):
                _cell(r.cells[2 * j], label, header=True)
                _cell(r.cells[2 * j + 1], value)
            if len(pair) == 1:
                r.cells[1].merge(r.cells[3])
    else:
        table = bordered_table(doc, len(rows), _widths([1, 4], 2))
        for r, (label, value) in zip(table.rows, rows, strict=True):
            min_height(r, 9)
            _cell(r.cells[0], label, header=True)
            _cell(r.cells[1], value)
    cell_margins(table, 1.5)


def _grid(doc: Any, block: Grid) -> None:
    n = len(block.header)
    rows = [list(r) for r in block.rows] + [[""] * n for _ in range(block.blank)]
    table = bordered_table(doc, len(rows) + 1, _widths(block.widths, n))
    cell_margins(table, 1.2)
    for c, text in zip(table.rows[0].cells, block.header, strict=True):
        _cell(c, text, header=True)
    min_height(table.rows[0], 8)
    for r, values in zip(table.rows[1:], rows, strict=True):
        min_height(r, 8)
        for c, text in zip(r.cells, values, strict=True):
            _cell(c, str(text), centre=len(str(text)) <= 3)


def _chart(doc: Any, block: Chart) -> None:
    paragraph(
        doc, "主　席　台", font=HEITI, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=4
    )
    seats = list(block.podium)
    if seats:
        table = bordered_table(doc, 2, [min(TEXT_MM / len(seats), 30.0)] * len(seats))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        cell_margins(table, 0.8)
        for c, (seat, _, _) in zip(table.rows[0].cells, seats, strict=True):
            _cell(c, seat, header=True, size=10)
            _shade(c, "D9D9D9")
        for c, (_, name, title) in zip(table.rows[1].cells, seats, strict=True):
            min_height(table.rows[1], 14)
            _cell(c, name, size=12, centre=True)
            if title:
                paragraph(c, title, size=9, align=WD_ALIGN_PARAGRAPH.CENTER)
    else:
        paragraph(doc, "（主席台不设座）", align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(doc, "（面向主席台所见；P1 为 1 号位）", size=10, align=WD_ALIGN_PARAGRAPH.CENTER)
    for zone, people in block.zones:
        paragraph(doc, f"{zone}区", font=HEITI, size=12, space_after=2)
        per = block.per_row
        rows = [list(people[i : i + per]) for i in range(0, len(people), per)]
        table = bordered_table(doc, len(rows), [TEXT_MM / per] * per)
        cell_margins(table, 0.8)
        for r, chunk in zip(table.rows, rows, strict=True):
            for c, (seat, name, unit) in zip(r.cells, chunk, strict=False):
                _cell(c, f"{seat} {name}", size=10, centre=True)
                paragraph(c, unit, size=8, align=WD_ALIGN_PARAGRAPH.CENTER)


def sheets_docx(sheets: Sequence[Sheet], title: str, author: str) -> Any:
    doc = new_document(title=title, author=author)
    for i, sheet in enumerate(sheets):
        head = paragraph(
            doc,
            sheet.title,
            font=XIAOBIAOSONG,
            size=20,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            first=i == 0,
            space_after=6,
        )
        if i > 0:
            head.paragraph_format.page_break_before = True
        if sheet.subtitle:
            paragraph(doc, sheet.subtitle, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
        for block in sheet.blocks:
            if isinstance(block, Text):
                paragraph(
                    doc, block.text, bold=block.bold, align=_align(block.align), space_after=3
                )
            elif isinstance(block, Fields):
                _fields(doc, block)
                paragraph(doc, "", size=6)
            elif isinstance(block, Grid):
                _grid(doc, block)
                paragraph(doc, "", size=6)
            else:
                _chart(doc, block)
    return doc


def write_docx(store: Store, sheets: Sequence[Sheet], title: str, out_dir: Path, name: str) -> Path:
    path = output_path(out_dir, name)
    sheets_docx(sheets, title, store.office.office.name).save(str(path))
    return path


__all__ = ["Chart", "Fields", "Grid", "Sheet", "Text", "write_docx", "write_html"]

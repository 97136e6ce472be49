"""The 文件批办单 (handling slip, S-DOC-SLIP) of an incoming document, as HTML and as .docx.

The slip is the paper the rules name as the place where the 拟办 (S-DOC-IN-3), 批办 (S-DOC-IN-4)
and 承办 (S-DOC-IN-5) are written; here it is filled from the record's history, so the printed
form and the repository say the same thing. Boxes nobody has written in yet are still drawn, tall
enough to write in by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ALIGN_VERTICAL, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from oa.core.errors import OAError
from oa.core.record import HistoryEntry
from oa.core.store import Store, parse_id
from oa.kinds.incoming import Incoming, circulation
from oa.render.html import (
    cn_date,
    cn_datetime,
    joined,
    local,
    output_path,
    printable,
    render_html,
)

#: the workflow actions whose entries fill each box (S-DOC-IN-3, S-DOC-IN-5, 传阅)
PROPOSE = "propose"
HANDLE = "handle"
READ = "read"
CIRCULATE = "circulate"
#: fonts of Chinese official papers; eastAsia is set so Word uses them for Chinese text
FANGSONG = "仿宋"
HEITI = "黑体"
LATIN = "Times New Roman"
#: minimum heights (mm) of the handwriting boxes, so an empty box can still be written in; a
#: document that circulates gives some of that room to the 传阅 box to stay on one A4 page
BOX_MM = {"拟办意见": 45, "批办意见": 52, "承办情况": 60}
BOX_MM_CIRCULATING = {"拟办意见": 34, "批办意见": 38, "承办情况": 42, "传阅情况": 36}


@dataclass(frozen=True)
class Opinion:
    """One entry of the 拟办, 批办 or 传阅 box: what was written, by whom, when."""

    text: str
    by: str
    at: datetime
    #: how the entry differs from the box's own action, e.g. 退回重拟 for a send-back; '' if not
    label: str = ""
    #: the clerk who entered an oral instruction for `by` (S-GEN-2), '' when `by` entered it
    entered_by: str = ""

    @property
    def signer(self) -> str:
        return f"{self.by}（{self.entered_by}代录）" if self.entered_by else self.by


@dataclass(frozen=True)
class HandlingLine:
    """One 承办 entry (S-DOC-IN-5): the department, the course and the result, who and when."""

    department: str
    course: str
    result: str
    by: str
    at: datetime
    entered_by: str = ""

    @property
    def signer(self) -> str:
        return f"{self.by}（{self.entered_by}代录）" if self.entered_by else self.by


@dataclass(frozen=True)
class Slip:
    """Everything the 文件批办单 shows, with names resolved and times in the office's zone."""

    heading: str
    office: str
    rid: str
    sender: str
    sender_number: str
    title: str
    received: datetime
    copies: int
    pages: int | None
    secrecy: str
    urgency: str
    category: str
    handling: str
    reply_by: date | None
    #: 承办科室 names in handling order, the 牵头科室 first, each with whether it leads
    departments: tuple[tuple[str, bool], ...]
    implementers: tuple[str, ...]
    registrar: str
    proposals: tuple[Opinion, ...]
    decisions: tuple[Opinion, ...]
    handled: tuple[HandlingLine, ...]
    #: whether the document circulates (传阅): only then is the 传阅 box drawn
    circulates: bool
    sent_round: tuple[Opinion, ...]
    read: tuple[Opinion, ...]
    unread: tuple[str, ...]
    archive_code: str

    @property
    def departments_text(self) -> str:
        """物业管理科（牵头）、财务科: the 牵头科室 marked, as S-DOC-IN-3 asks for joint handling."""
        joint = len(self.departments) > 1
        return joined(f"{n}（牵头）" if lead and joint else n for n, lead in self.departments)

    def boxes(self) -> dict[str, int]:
        """The handwriting boxes in order, with their minimum heights in mm."""
        return dict(BOX_MM_CIRCULATING if self.circulates else BOX_MM)

    def circulation_lines(self) -> list[str]:
        """The 传阅 box, a line each: who sent it round, who read it and what they wrote, who
        has not read it yet."""
        lines = [
            e.label + (f"：{e.text}" if e.text else "") + f"（{e.signer}　{cn_datetime(e.at)}）"
            for e in self.sent_round
        ]
        lines += [f"{e.signer}：{e.text or '已阅'}（{cn_datetime(e.at)}）" for e in self.read]
        if self.unread:
            lines.append(f"未阅：{joined(self.unread)}")
        return lines

    def register(self) -> list[list[tuple[str, str]]]:
        """The register rows of the form: pairs of (label, value), one or two to a row."""
        rows: list[list[tuple[str, str]]] = [
            [("收文编号", self.rid), ("收文时间", cn_datetime(self.received))],
            [("来文机关", self.sender), ("来文字号", self.sender_number)],
            [("标题", self.title)],
            [("类别", f"{self.category}（{self.handling}件）"), ("密级", self.secrecy)],
            [("份数", str(self.copies)), ("页数", "" if self.pages is None else str(self.pages))],
            [("紧急程度", self.urgency), ("办复时限", cn_date(self.reply_by))],
            [("承办科室", self.departments_text)],
        ]
        if self.implementers:
            rows.append([("落实人员", joined(self.implementers))])
        return rows


def _opinion(store: Store, h: HistoryEntry, tz: ZoneInfo, label: str = "") -> Opinion:
    office = store.office
    return Opinion(
        text=(h.opinion or "").strip(),
        by=office.display(h.by),
        at=local(h.at, tz),
        label=label,
        entered_by=office.display(h.entered_by) if h.entered_by else "",
    )


def _load(store: Store, rid: str) -> tuple[Incoming, dict[str, Any]]:
    """The incoming record and its data; any other kind is refused (OA602), the slip being for
    收文 only."""
    kind, _ = parse_id(rid)
    if kind.name != "incoming":
        raise OAError(
            "OA602",
            f"{rid} is a {kind.label} record: the 文件批办单 is for incoming documents (收文) only",
        )
    loaded = store.get_valid(rid)
    assert isinstance(loaded.record, Incoming) and loaded.data is not None
    return loaded.record, loaded.data


def slip_data(store: Store, rid: str) -> Slip:
    """Gather the 文件批办单 of incoming record `rid` (S-DOC-SLIP) from its fields and history."""
    rec, data = _load(store, rid)
    office = store.office
    tz = ZoneInfo(office.office.timezone)
    wf = store.workflow("incoming")
    proposals: list[Opinion] = []
    decisions: list[Opinion] = []
    handled: list[HandlingLine] = []
    sent: list[Opinion] = []
    opinions_read: dict[str, HistoryEntry] = {}
    for h in rec.history:
        spec = wf.actions.get(h.action)
        extra = h.model_extra or {}
        if h.action == PROPOSE:
            proposals.append(_opinion(store, h, tz))
        elif spec is not None and spec.sends_back:
            decisions.append(_opinion(store, h, tz, label=spec.label))
        elif spec is not None and spec.signoff:
            decisions.append(_opinion(store, h, tz))
        elif h.action == HANDLE:
            handled.append(
                HandlingLine(
                    department=office.department_name(str(extra.get("department") or "")),
                    course=str(extra.get("course") or "").strip(),
                    result=str(extra.get("result") or "").strip(),
                    by=office.display(h.by),
                    at=local(h.at, tz),
                    entered_by=office.display(h.entered_by) if h.entered_by else "",
                )
            )
        elif h.action == CIRCULATE:
            sent.append(_opinion(store, h, tz, label=spec.label if spec else ""))
        elif h.action == READ:
            opinions_read[h.by] = h
    done, pending = circulation(data)
    read = tuple(_opinion(store, opinions_read[pid], tz) for pid, _ in done)
    lead = rec.lead_department
    deps = sorted(rec.departments, key=lambda d: d != lead)  # the 牵头科室 first, others in order
    return Slip(
        heading=f"{office.office.name}文件批办单",
        office=office.office.name,
        rid=rec.id,
        sender=rec.sender,
        sender_number=rec.sender_number or "",
        title=rec.title,
        received=local(rec.received, tz),
        copies=rec.copies,
        pages=rec.pages,
        secrecy=rec.secrecy or "",
        urgency=rec.urgency or "",
        category=rec.category,
        handling=rec.handling,
        reply_by=rec.reply_by,
        departments=tuple((office.department_name(d), d == lead) for d in deps),
        implementers=tuple(office.display(p) for p in rec.implementers),
        registrar=office.display(rec.registrar),
        proposals=tuple(proposals),
        decisions=tuple(decisions),
        handled=tuple(handled),
        circulates=bool(rec.readers),
        sent_round=tuple(sent),
        read=read,
        unread=tuple(office.display(p) for p in pending),
        archive_code=rec.archive.code if rec.archive else "",
    )


def render_slip_html(store: Store, rid: str, out_dir: Path) -> Path:
    """Write `<ID>-slip.html` (A4 portrait, print-ready) into `out_dir` and return its path."""
    slip = slip_data(store, rid)
    html = render_html(store, "slip.html.j2", slip=slip, box_mm=slip.boxes())
    path = output_path(out_dir, f"{slip.rid}-slip.html")
    path.write_text(html, encoding="utf-8")
    return path


# -- .docx ---------------------------------------------------------------------------------------


def set_font(run: Any, name: str, size: float, *, bold: bool = False) -> None:
    """A run in `name` for Chinese (eastAsia) and Times New Roman for Latin text and digits."""
    run.font.name = LATIN
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:  # pragma: no cover — font.name above creates it
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), name)


def new_document(*, landscape: bool = False, title: str = "", author: str = "") -> Any:
    """An A4 document with 仿宋 as the default font and GB/T 9704-like margins."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = LATIN
    normal.font.size = Pt(12)
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:  # pragma: no cover
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), FANGSONG)
    a4(doc.sections[0], landscape=landscape)
    doc.core_properties.title = title
    doc.core_properties.author = author
    return doc


def a4(section: Any, *, landscape: bool = False) -> None:
    """A4, portrait or landscape, with a wider binding margin on the left (or top)."""
    long, short = Mm(297), Mm(210)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = long, short
        section.top_margin, section.bottom_margin = Mm(20), Mm(18)
        section.left_margin, section.right_margin = Mm(20), Mm(20)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = short, long
        section.top_margin, section.bottom_margin = Mm(22), Mm(18)
        section.left_margin, section.right_margin = Mm(25), Mm(20)


def paragraph(
    container: Any,
    text: str,
    *,
    font: str = FANGSONG,
    size: float = 14,
    bold: bool = False,
    align: Any = None,
    first: bool = False,
    space_after: float = 0,
) -> Any:
    """Add a paragraph of one run; `first` reuses the empty paragraph a new cell starts with."""
    reuse = first and container.paragraphs and not container.paragraphs[0].text
    par = container.paragraphs[0] if reuse else container.add_paragraph()
    par.paragraph_format.space_before = Pt(0)
    par.paragraph_format.space_after = Pt(space_after)
    if align is not None:
        par.alignment = align
    if text:
        set_font(par.add_run(printable(text)), font, size, bold=bold)
    return par


def insert_ordered(parent: Any, child: Any, successors: tuple[str, ...]) -> None:
    """Insert `child` before the first of `successors`, as the OOXML schema orders them."""
    for tag in successors:
        found = parent.find(qn(tag))
        if found is not None:
            found.addprevious(child)
            return
    parent.append(child)


def borders(table: Any, *, outer: int = 12, inner: int = 6) -> None:
    """Single black rules: `outer` and `inner` in eighths of a point (Word's unit)."""
    tblPr = table._tbl.tblPr
    old = tblPr.find(qn("w:tblBorders"))
    if old is not None:
        tblPr.remove(old)
    el = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        rule = OxmlElement(f"w:{edge}")
        rule.set(qn("w:val"), "single")
        rule.set(qn("w:sz"), str(inner if edge.startswith("inside") else outer))
        rule.set(qn("w:space"), "0")
        rule.set(qn("w:color"), "000000")
        el.append(rule)
    insert_ordered(tblPr, el, ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"))


def cell_margins(table: Any, mm: float) -> None:
    """Left and right padding of every cell, narrower than Word's 1.9 mm for dense tables."""
    tblPr = table._tbl.tblPr
    el = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        side = OxmlElement(f"w:{edge}")
        side.set(qn("w:w"), str(round(mm * 1440 / 25.4)))
        side.set(qn("w:type"), "dxa")
        el.append(side)
    insert_ordered(tblPr, el, ("w:tblLook", "w:tblCaption", "w:tblDescription"))


def bordered_table(doc: Any, rows: int, widths_mm: list[float]) -> Any:
    """A fixed-layout table with the given column widths and black rules on every cell."""
    table = doc.add_table(rows=rows, cols=len(widths_mm))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    borders(table)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    for col, width in zip(table.columns, widths_mm, strict=True):
        col.width = Mm(width)
    return table


def min_height(row: Any, mm: float) -> None:
    row.height = Mm(mm)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def _label(cell: Any, text: str) -> None:
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    paragraph(cell, text, font=HEITI, size=14, align=WD_ALIGN_PARAGRAPH.DISTRIBUTE, first=True)


def _value(cell: Any, text: str) -> None:
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    paragraph(cell, text, size=14, first=True)


def _sign(cell: Any, text: str) -> None:
    paragraph(cell, text, size=12, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=4)


def _opinions(cell: Any, entries: tuple[Opinion, ...], role: str) -> None:
    first = True
    for e in entries:
        text = f"【{e.label}】{e.text}" if e.label else e.text
        paragraph(cell, text, first=first)
        first = False
        _sign(cell, f"{role}：{e.signer}　{cn_datetime(e.at)}")


def _handled(cell: Any, lines: tuple[HandlingLine, ...]) -> None:
    first = True
    for h in lines:
        paragraph(cell, h.department, font=HEITI, first=first)
        first = False
        paragraph(cell, f"办理经过：{h.course}")
        paragraph(cell, f"办理结果：{h.result}")
        _sign(cell, f"承办人：{h.signer}　{cn_date(h.at)}")


def _circulation(cell: Any, slip: Slip) -> None:
    first = True
    for line in slip.circulation_lines():
        paragraph(cell, line, first=first)
        first = False


#: column widths of the slip's table (mm), 165 mm in all between the margins
SLIP_COLUMNS = [26.0, 51.0, 26.0, 62.0]


def slip_docx(slip: Slip) -> Any:
    """The slip as a python-docx Document: title line, one bordered table, a footer line."""
    doc = new_document(title=slip.heading, author=slip.office)
    paragraph(
        doc,
        slip.heading,
        font=HEITI,
        size=22,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        first=True,
        space_after=12,
    )
    register = slip.register()
    boxes = slip.boxes()
    table = bordered_table(doc, len(register) + len(boxes), SLIP_COLUMNS)
    for row, pairs in zip(table.rows, register, strict=False):
        min_height(row, 10)
        cells = row.cells
        if len(pairs) == 1:
            (label, value), merged = pairs[0], cells[1].merge(cells[3])
            _label(cells[0], label)
            _value(merged, value)
        else:
            for i, (label, value) in enumerate(pairs):
                _label(cells[2 * i], label)
                _value(cells[2 * i + 1], value)
    for row, box in zip(table.rows[len(register) :], boxes, strict=True):
        min_height(row, boxes[box])
        cells = row.cells
        _label(cells[0], box)
        content = cells[1].merge(cells[3])
        content.vertical_alignment = WD_ALIGN_VERTICAL.TOP
        if box == "拟办意见":
            _opinions(content, slip.proposals, "拟办人")
        elif box == "批办意见":
            _opinions(content, slip.decisions, "批办人")
        elif box == "承办情况":
            _handled(content, slip.handled)
        else:
            _circulation(content, slip)
        content.paragraphs[0].paragraph_format.space_before = Pt(3)  # off the rule above
    footer = f"登记人：{slip.registrar}"
    if slip.archive_code:
        footer += f"\t档号：{slip.archive_code}"
    par = paragraph(doc, footer, size=12)
    par.paragraph_format.space_before = Pt(3)
    par.paragraph_format.tab_stops.add_tab_stop(Mm(sum(SLIP_COLUMNS)), WD_TAB_ALIGNMENT.RIGHT)
    return doc


def render_slip_docx(store: Store, rid: str, out_dir: Path) -> Path:
    """Write `<ID>-slip.docx` (A4 portrait) into `out_dir` and return its path."""
    slip = slip_data(store, rid)
    path = output_path(out_dir, f"{slip.rid}-slip.docx")
    slip_docx(slip).save(str(path))
    return path

"""An outgoing document (发文, S-DOC-OUT-1, S-DOC-OUT-2) as a .docx in the layout of GB/T 9704-2012.

The paper is built from the record alone — number, title, 主送, body, signer and dates — so what is
printed is what the repository says. Two steps: `paper_of` reads the record into a `Paper` (plain
strings and dates, no docx), and `write_docx` lays that out; `render_outgoing` does both.

Layout (GB/T 9704-2012 clause numbers in brackets): A4, 版心 156 × 225 mm with 天头 37 mm and 订口
28 mm (5.2.1); 3号仿宋, 22 lines of 28 characters (5.2.2, 5.2.3) via an exact 28.95 pt line on a
line grid and ¼ pt condensing (see CHAR_PT); 份号, 密级, 紧急程度 top-left in 黑体 (7.2.1–7.2.3); the red 发文机关标志 35 mm below
the 版心 top (7.2.4); 发文字号 two lines below it, with 签发人 for 上行文 (7.2.5, 7.2.6); the red
separator (7.2.7); title in 2号小标宋 (7.3.1); 主送 (7.3.2); body with 一、（一）1.（1） (7.3.3);
附件说明 (7.3.4); 署名 and 成文日期 right-aligned, date 右空四字 (7.3.5); 附件 pages (7.3.7); the 版记
at the foot of the last page (7.4); page numbers — 1 — right on odd pages, left on even (7.5).
函 use the letter layout (10.1) and 会纪 the minutes layout (10.3).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from oa.core.errors import OAError
from oa.core.identity import now
from oa.core.store import Store, parse_id
from oa.kinds.outgoing import Outgoing, OutgoingSettings
from oa.render.body import Attendance, Block, addressees, organs, parse_body, text_width

FONTS = """Fonts the rendered papers name (set by name only, never embedded):

  方正小标宋简体  发文机关标志, title, 附件 titles (小标宋)
  仿宋_GB2312     body, 发文字号, 主送, 署名, 成文日期, 版记 (仿宋)
  楷体_GB2312     second-level headings （一）, the 签发人 name (楷体)
  黑体            first-level headings 一、, 份号/密级/紧急程度, 附件 label, 出席/请假/列席 labels
  宋体            page numbers — 1 —

Install them on every machine that prints: Windows offices have 黑体, 宋体, 仿宋 and 楷体; 仿宋_GB2312,
楷体_GB2312 and 方正小标宋简体 come with the usual government font pack (方正 fonts need a licence).
On Linux without them, map substitutes in fontconfig (or LibreOffice's font replacement table):
方正小标宋简体 → Noto Serif CJK SC Bold / AR PL UMing; 仿宋_GB2312 → AR PL UMing (fonts-arphic-uming);
楷体_GB2312 → AR PL UKai (fonts-arphic-ukai); 黑体 → WenQuanYi Zen Hei (fonts-wqy-zenhei) or
Noto Sans CJK SC; 宋体 → Noto Serif CJK SC. Substitutes change line breaks slightly, never the layout.
"""

XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
SONGTI = "宋体"
#: the font of each heading level 一、（一）1.（1） (GB/T 9704-2012 7.3.3)
LEVEL_FONTS = {1: HEITI, 2: KAITI, 3: FANGSONG, 4: FANGSONG}

RED = RGBColor(0xFF, 0x00, 0x00)
RED_HEX = "FF0000"
BLACK_HEX = "000000"

#: 3号, 2号, 4号 and 初号 in points
BODY_PT = 16.0
TITLE_PT = 22.0
SMALL_PT = 14.0
LOGO_PT = 42.0

PT_PER_MM = 72 / 25.4
TYPE_WIDTH_MM = 156.0
#: 22 lines in the 225 mm 版心 (28.99 pt each, taken as the customary 28.95 pt), in twentieths
#: of a point for the line grid (w:docGrid)
LINE_TWIPS = 579
LINE_PT = LINE_TWIPS / 20
#: 28 characters in the 156 mm 版心 is 15.79 pt a character, less than 3号's 16 pt: 3号 text is
#: condensed by ¼ pt (w:spacing) so 28 fit on a line. Word's character grid (linesAndChars with
#: w:charSpace −849) would do the same in Word, but LibreOffice gives every character wider than
#: the grid pitch two cells and prints 14 characters a line, so the grid holds lines only.
CHAR_PT = TYPE_WIDTH_MM * PT_PER_MM / 28
GRID_FIT_TWIPS = -5
#: the widest the 发文机关标志 may print; longer names are narrowed (w:w), never wrapped
LOGO_MAX_MM = 150.0
#: 函: the red double lines are 170 mm long, 7 mm past the 版心 on either side (10.1)
LETTER_LINE_MM = 170.0
#: footer distance: 函 put their lower red line here (10.1); page numbers are lifted from it so
#: that the 一字线 is 7 mm under the 版心 (7.5)
FOOTER_MM = 20.0

#: the workflow action whose date is the 印发日期 (S-DOC-OUT-1 印制)
PRINT_ACTION = "print"

Layout = Literal["文件", "函", "纪要"]

_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TEXT_SUFFIXES = (".md", ".markdown", ".txt")


@dataclass(frozen=True)
class AttachmentPage:
    """An attachment printed after the body: its number, title and (Markdown) content."""

    label: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Paper:
    """Everything printed on the document, read from the record; no layout decisions here."""

    rid: str
    layout: Layout
    #: 份号, 密级, 紧急程度 — those present, one line each, top-left
    marks: tuple[str, ...]
    logo: str
    number: str
    #: 签发人 of an 上行文 (to_higher); None for other kinds
    signer: str | None
    title: str
    #: the 主送 line without its colon; None when there is none
    main_to: str | None
    blocks: tuple[Block, ...]
    attachments: tuple[str, ...]
    attachment_pages: tuple[AttachmentPage, ...]
    attendance: tuple[Attendance, ...]
    author: str
    signed: date
    #: 纪要: the organs the minutes go to (分送), printed in the 版记
    distribute: tuple[str, ...]
    cc: tuple[str, ...]
    printer: str
    printed: date


def layout_of(doc_kind: str) -> Layout:
    """Which GB/T 9704 layout a 发文机关代字 uses: 会纪 → minutes (10.3), 函 → letter (10.1)."""
    if doc_kind.endswith("会纪"):
        return "纪要"
    if doc_kind.endswith("函"):
        return "函"
    return "文件"


def one_line(text: str) -> str:
    """A name as one line: tabs, line breaks and runs of spaces become one space."""
    return " ".join(text.split())


def cn_date(day: date) -> str:
    """2026年1月13日: Arabic numerals, no leading zeros (GB/T 9704-2012 7.3.5.4, 7.4.3)."""
    return f"{day.year}年{day.month}月{day.day}日"


def _read_markdown(store: Store, rid: str, name: str, what: str) -> str:
    path = store.files_dir(rid) / name
    if path.suffix.lower() not in _TEXT_SUFFIXES:
        raise OAError(
            "OA607",
            f"{rid}: the {what} {name} is not Markdown; only a Markdown {what} can be rendered",
        )
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise OAError("OA607", f"{rid}: cannot read the {what} {name}: {exc}") from None


def paper_of(store: Store, rid: str) -> Paper:
    """Read a numbered outgoing record into the strings and dates its paper shows."""
    kind, _ = parse_id(rid)
    if kind.name != "outgoing":
        raise OAError("OA605", f"{rid} is not an outgoing document (发文)")
    loaded = store.get_valid(rid)
    rec = loaded.record
    assert isinstance(rec, Outgoing)
    if not rec.doc_number:
        raise OAError(
            "OA607",
            f"{rid} has no 发文字号 yet: render after the numbering step (S-DOC-OUT-2)",
            path=loaded.path,
        )
    office = store.office
    tz = ZoneInfo(office.office.timezone)
    settings: OutgoingSettings = store.kind_settings("outgoing")
    own = settings.doc_kinds.get(rec.doc_kind)
    layout = layout_of(rec.doc_kind)
    name = office.office.name

    wf = store.workflow("outgoing")
    signoffs = [h for h in rec.history if h.action in wf.actions and wf.actions[h.action].signoff]
    signoff = signoffs[-1] if signoffs else rec.history[0]
    prints = [h for h in rec.history if h.action == PRINT_ACTION]
    printed = prints[-1].at.astimezone(tz).date() if prints else now(store).date()

    text = _read_markdown(store, rid, rec.body, "body") if rec.body else ""
    body = parse_body(text, minutes=layout == "纪要")
    main_to, blocks = addressees([one_line(m) for m in rec.main_to], body)
    distribute: tuple[str, ...] = ()
    if layout == "纪要":
        # minutes name no 主送 under the title; whom they go to is the 版记's 分送 line
        distribute, main_to = tuple(organs(main_to or "")), None

    pages: list[AttachmentPage] = []
    many = len(rec.attachments) > 1
    for i, att in enumerate(rec.attachments, 1):
        if att.file is None or Path(att.file).suffix.lower() not in _TEXT_SUFFIXES:
            continue
        content = parse_body(_read_markdown(store, rid, att.file, "attachment")).blocks
        if content and content[0].kind == "heading" and content[0].text == att.title:
            content = content[1:]
        pages.append(AttachmentPage(f"附件{i}" if many else "附件", att.title, content))

    marks: list[str] = []
    if rec.secrecy:
        marks += ["000001", rec.secrecy]
    if rec.urgency:
        marks.append(rec.urgency)
    logo = {"文件": f"{name}文件", "函": name, "纪要": f"{name}会议纪要"}[layout]
    has_office = any(d.name == "办公室" for d in office.departments.values())
    return Paper(
        rid=rid,
        layout=layout,
        marks=tuple(marks),
        logo=logo,
        number=rec.doc_number,
        signer=office.display(signoff.by) if own is not None and own.to_higher else None,
        title=rec.title,
        main_to=main_to,
        blocks=blocks,
        attachments=tuple(a.title for a in rec.attachments),
        attachment_pages=tuple(pages),
        attendance=body.attendance,
        author=name,
        signed=signoff.at.astimezone(tz).date(),
        distribute=distribute,
        cc=tuple(one_line(c) for c in rec.cc if c.strip()),
        printer=one_line(f"{name}办公室" if has_office else name),
        printed=printed,
    )


# -- low-level docx helpers ---------------------------------------------------------------------

#: child order of w:pPr and w:rPr (ECMA-376); Word rejects files whose children are out of order
_PPR_ORDER: tuple[str, ...] = (
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_RPR_ORDER: tuple[str, ...] = (
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)


def _child(parent: Any, tag: str, order: tuple[str, ...]) -> Any:
    """The child `tag` of a pPr/rPr, created in schema order when missing."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    elem = OxmlElement(tag)
    _insert_before(parent, elem, order[order.index(tag) + 1 :])
    return elem


def _insert_before(parent: Any, elem: Any, later: Sequence[str]) -> None:
    """Insert `elem` before the first child whose tag comes later in the schema order."""
    names = {qn(t) for t in later}
    for existing in parent:
        if existing.tag in names:
            existing.addprevious(elem)
            return
    parent.append(elem)


def xml_safe(text: str) -> str:
    """Text as it may appear in XML: control characters (which lxml refuses) dropped."""
    return _XML_UNSAFE.sub("", text)


def _set_fonts(rpr: Any, font: str) -> None:
    """One font for every script, eastAsia included, and no theme fonts to override it."""
    fonts = _child(rpr, "w:rFonts", _RPR_ORDER)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), font)
    fonts.set(qn("w:hint"), "eastAsia")


def _run(
    par: Any,
    text: str,
    *,
    font: str = FANGSONG,
    size: float = BODY_PT,
    bold: bool = False,
    red: bool = False,
    scale: int | None = None,
) -> Any:
    """A run of text in one font and size; all text of the paper goes through here."""
    run = par.add_run(xml_safe(text))
    rpr = run._r.get_or_add_rPr()
    _set_fonts(rpr, font)
    run.font.size = Pt(size)
    run.font.bold = bold
    if red:
        run.font.color.rgb = RED
    if scale is not None and scale != 100:
        _child(rpr, "w:w", _RPR_ORDER).set(qn("w:val"), str(scale))
    if size == BODY_PT:
        _child(rpr, "w:spacing", _RPR_ORDER).set(qn("w:val"), str(GRID_FIT_TWIPS))
    return run


def _para(container: Any, **kw: Any) -> Any:
    """A new paragraph at the end of `container`, formatted by `_format`."""
    return _format(container.add_paragraph(), **kw)


def _format(
    par: Any,
    *,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
    first: float = 0.0,
    left: float = 0.0,
    right: float = 0.0,
    char_pt: float = CHAR_PT,
    line_pt: float | None = LINE_PT,
    before_pt: float = 0.0,
    after_pt: float = 0.0,
    grid: bool = True,
    keep_next: bool = False,
) -> Any:
    """Format a paragraph: indents in characters of `char_pt`, lines exact unless `line_pt` is None;
    `grid=False` for lines of another pitch (标志, title, 版记), which must not snap to the grid."""
    fmt = par.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(before_pt)
    fmt.space_after = Pt(after_pt)
    if line_pt is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line_pt)
    if first:
        fmt.first_line_indent = Pt(first * char_pt)
    if left:
        fmt.left_indent = Pt(left * char_pt)
    if right:
        fmt.right_indent = Pt(right * char_pt)
    if keep_next:
        fmt.keep_with_next = True
    if not grid:
        _child(par._p.get_or_add_pPr(), "w:snapToGrid", _PPR_ORDER).set(qn("w:val"), "0")
    return par


def _border(par: Any, side: str, *, eighths: int, color: str = BLACK_HEX, space: int = 0) -> None:
    """A paragraph border line (w:pBdr), `eighths` of a point thick."""
    pbdr = _child(par._p.get_or_add_pPr(), "w:pBdr", _PPR_ORDER)
    line = pbdr.find(qn(f"w:{side}"))
    if line is None:
        line = OxmlElement(f"w:{side}")
        order = ["w:top", "w:left", "w:bottom", "w:right", "w:between", "w:bar"]
        _insert_before(pbdr, line, order[order.index(f"w:{side}") + 1 :])
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(eighths))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), color)


_WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
_FOOT_BOX = """<w:drawing {ns} xmlns:wps="{wps}">
 <wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="251659264"
   behindDoc="0" locked="0" layoutInCell="1" allowOverlap="0">
  <wp:simplePos x="0" y="0"/>
  <wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>
  <wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>
  <wp:extent cx="{cx}" cy="{cy}"/>
  <wp:effectExtent l="0" t="0" r="0" b="0"/>
  <wp:wrapTopAndBottom/>
  <wp:docPr id="1" name="版记"/>
  <wp:cNvGraphicFramePr/>
  <a:graphic>
   <a:graphicData uri="{wps}">
    <wps:wsp>
     <wps:cNvSpPr txBox="1"/>
     <wps:spPr>
      <a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>
      <a:prstGeom prst="rect"><a:avLst/></a:prstGeom>
      <a:noFill/>
      <a:ln><a:noFill/></a:ln>
     </wps:spPr>
     <wps:txbx><w:txbxContent/></wps:txbx>
     <wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0"
       anchor="b" anchorCtr="0"><a:noAutofit/></wps:bodyPr>
    </wps:wsp>
   </a:graphicData>
  </a:graphic>
 </wp:anchor>
</w:drawing>"""


def _foot_box(doc: Any, height_pt: float) -> Any:
    """A text box as wide as the 版心 whose foot is the 版心's foot, on the page where it is anchored.

    The 版记 must end on the bottom edge of the last page's 版心 (7.4.1). A floating table that wide
    is laid inline by LibreOffice, framed paragraphs with borders fall out of their frame, and a
    box that grows to fit its text ends 2 mm short of the edge there; so the box has a fixed height
    (generous rather than short) with its text set at the bottom. Returns its w:txbxContent.
    """
    anchor = _para(doc, line_pt=1.0, grid=False)
    cx = int(Mm(TYPE_WIDTH_MM))
    cy = int(Pt(height_pt))
    xml = _FOOT_BOX.format(ns=nsdecls("w", "wp", "a"), wps=_WPS, cx=cx, cy=cy)
    drawing = parse_xml(xml)
    anchor.add_run()._r.append(drawing)
    return drawing.find(".//" + qn("w:txbxContent"))


def _blank(container: Any, lines: int = 1) -> None:
    """空N行: empty lines of the body's pitch, as a typist would leave them."""
    for _ in range(lines):
        _para(container)


def _page_field(par: Any) -> None:
    """— N — with N a PAGE field, in 4号宋体 (7.5)."""
    _run(par, "— ", font=SONGTI, size=SMALL_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1")):
        run = _run(par, "", font=SONGTI, size=SMALL_PT)
        if kind is not None:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    end = _run(par, "", font=SONGTI, size=SMALL_PT)
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "end")
    end._r.append(fld)
    _run(par, " —", font=SONGTI, size=SMALL_PT)


# -- the document ---------------------------------------------------------------------------------


def _setup(doc: Any, paper: Paper) -> None:
    """Page, margins, grid, default font and the odd/even page-number footers."""
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr_default, FANGSONG)
    lang = _child(rpr_default, "w:lang", _RPR_ORDER)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    for tag in ("w:sz", "w:szCs"):
        _child(rpr_default, tag, _RPR_ORDER).set(qn("w:val"), str(int(BODY_PT * 2)))
    ppr_default = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr_default.find(qn("w:spacing"))
    for attr, value in (("after", "0"), ("line", str(LINE_TWIPS)), ("lineRule", "exact")):
        spacing.set(qn(f"w:{attr}"), value)
    normal = doc.styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr(), FANGSONG)
    normal.font.size = Pt(BODY_PT)

    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    sec.header_distance, sec.footer_distance = Mm(15), Mm(FOOTER_MM)
    sec.gutter = Mm(0)
    grid = sec._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_TWIPS))

    doc.settings.odd_and_even_pages_header_footer = True
    # the 一字线 sits 7 mm under the 版心: lift the footer line from the footer distance (the dash
    # is drawn about 3.2 mm above the foot of its line)
    lift = 35 - 7 - FOOTER_MM - 3.2
    for footer, align, side in (
        (sec.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ):
        footer.is_linked_to_previous = False
        par = footer.paragraphs[0]
        fmt = par.paragraph_format
        fmt.alignment = align
        fmt.space_after = Pt(lift * PT_PER_MM)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(SMALL_PT + 2)
        if side == "right":
            fmt.right_indent = Pt(SMALL_PT)
        else:
            fmt.left_indent = Pt(SMALL_PT)
        _child(par._p.get_or_add_pPr(), "w:snapToGrid", _PPR_ORDER).set(qn("w:val"), "0")
        _page_field(par)

    if paper.layout == "函":
        # 10.1: no page number on the first page, but a red double line 20 mm above its foot,
        # thin over thick, 170 mm long
        sec.different_first_page_header_footer = True
        first = sec.first_page_footer
        first.is_linked_to_previous = False
        outside = (LETTER_LINE_MM - TYPE_WIDTH_MM) / 2
        for i, eighths in enumerate((6, 18)):
            par = first.paragraphs[0] if i == 0 else first.add_paragraph()
            _format(par, line_pt=2.0, grid=False)
            par.paragraph_format.left_indent = Mm(-outside)
            par.paragraph_format.right_indent = Mm(-outside)
            _border(par, "bottom", eighths=eighths, color=RED_HEX)

    props = doc.core_properties
    props.title = xml_safe(paper.title)
    props.author = xml_safe(paper.author)
    props.subject = xml_safe(paper.number)
    props.comments = f"{paper.rid}, rendered by oa (GB/T 9704-2012)"


def _logo(doc: Any, paper: Paper, lines_above: int) -> None:
    """The red 发文机关标志 in 小标宋, centred, 35 mm under the 版心 top (7.2.4); 10.1 for 函."""
    width_mm = text_width(paper.logo) * LOGO_PT / PT_PER_MM
    scale = min(100, int(LOGO_MAX_MM / width_mm * 100))
    line = LOGO_PT * 1.2
    if paper.layout == "函":
        before = 0.0
    else:
        # the glyph top sits about (line − size) / 2 under the line top
        before = max(0.0, 35 * PT_PER_MM - lines_above * LINE_PT - (line - LOGO_PT) / 2)
    par = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, line_pt=line, before_pt=before, grid=False)
    _run(par, paper.logo, font=XIAOBIAOSONG, size=LOGO_PT, red=True, scale=scale)


def _marks(doc: Any, paper: Paper) -> None:
    """份号, 密级, 紧急程度: 3号黑体, 顶格, one a line (7.2.1–7.2.3)."""
    for mark in paper.marks:
        par = _para(doc, align=WD_ALIGN_PARAGRAPH.LEFT)
        _run(par, mark, font=HEITI)


def _red_separator(doc: Any) -> None:
    """The red line 4 mm under the 发文字号, as wide as the 版心 (7.2.7)."""
    par = _para(doc, line_pt=3.0, grid=False)
    _border(par, "bottom", eighths=12, color=RED_HEX)


def _letter_lines(doc: Any) -> None:
    """函: the red double line under the 标志, thick over thin, 170 mm long (10.1)."""
    outside = (LETTER_LINE_MM - TYPE_WIDTH_MM) / 2
    for eighths, line in ((18, 6.0), (6, 2.0)):
        par = _para(doc, line_pt=line, grid=False)
        par.paragraph_format.left_indent = Mm(-outside)
        par.paragraph_format.right_indent = Mm(-outside)
        _border(par, "bottom", eighths=eighths, color=RED_HEX)


def _number(doc: Any, paper: Paper) -> None:
    """发文字号: centred; 上行文 left with 签发人 on the right (7.2.5, 7.2.6); 函 on the right."""
    if paper.signer is not None:
        par = _para(doc, align=WD_ALIGN_PARAGRAPH.LEFT, left=1)
        tab = Pt(TYPE_WIDTH_MM * PT_PER_MM - CHAR_PT)
        par.paragraph_format.tab_stops.add_tab_stop(tab, WD_TAB_ALIGNMENT.RIGHT)
        _run(par, paper.number)
        _run(par, "\t签发人：")
        _run(par, paper.signer, font=KAITI)
        return
    align = WD_ALIGN_PARAGRAPH.RIGHT if paper.layout == "函" else WD_ALIGN_PARAGRAPH.CENTER
    par = _para(doc, align=align)
    _run(par, paper.number)


def _title(doc: Any, title: str) -> None:
    """标题: 2号小标宋, centred; a line break in the title is kept (7.3.1)."""
    par = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, line_pt=LINE_PT * 1.2, grid=False)
    _run(par, title.strip(), font=XIAOBIAOSONG, size=TITLE_PT)


def _blocks(doc: Any, blocks: tuple[Block, ...]) -> None:
    """Body paragraphs: 左空二字; numbered blocks in their level's font (7.3.3)."""
    for block in blocks:
        font = LEVEL_FONTS.get(block.level, FANGSONG)
        par = _para(doc, first=2, keep_next=block.kind == "heading")
        if block.prefix:
            _run(par, block.prefix, font=font)
        for span in block.spans:
            _run(par, span.text, font=font, bold=span.bold)


def _keep_with_last(doc: Any) -> None:
    """Keep the paragraph written last on the page of what follows it (no lone closing lines)."""
    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True


def _attachment_note(doc: Any, titles: tuple[str, ...]) -> None:
    """附件说明 a line under the body, 左空二字: 附件：1.… with the names aligned (7.3.4)."""
    if not titles:
        return
    _keep_with_last(doc)
    _para(doc, keep_next=True)
    for i, title in enumerate(titles, 1):
        num = f"{i}." if len(titles) > 1 else ""
        hang = text_width(num)
        if i == 1:
            par = _para(doc, left=5 + hang, first=-(3 + hang), keep_next=True)
            _run(par, "附件：")
        else:
            par = _para(doc, left=5 + hang, first=-hang, keep_next=True)
        _run(par, num + title)


def _attendance(doc: Any, lines: tuple[Attendance, ...]) -> None:
    """纪要: 出席/请假/列席 in 黑体, names in 仿宋 aligned after the colon (10.3)."""
    if not lines:
        return
    _keep_with_last(doc)
    _para(doc, keep_next=True)
    for line in lines:
        par = _para(doc, left=5, first=-3, keep_next=True)
        _run(par, f"{line.label}：", font=HEITI)
        _run(par, line.names)


def _signature(doc: Any, paper: Paper) -> None:
    """署名 centred over the 成文日期, which is 右空四字 (7.3.5.1), two lines left for the seal.

    The last paragraph above is kept on the same page, so the seal never lands on a page without
    text (7.3.5.5); the 版记 stays with the date unless 附件 pages come between.
    """
    day = cn_date(paper.signed)
    date_right = 4.0
    name_right = max(0.0, date_right + (text_width(day) - text_width(paper.author)) / 2)
    _keep_with_last(doc)
    for _ in range(2):
        _para(doc, keep_next=True)
    par = _para(doc, align=WD_ALIGN_PARAGRAPH.RIGHT, right=name_right, keep_next=True)
    _run(par, paper.author)
    par = _para(
        doc,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        right=date_right,
        keep_next=not paper.attachment_pages,
    )
    _run(par, day)


def _attachment_pages(doc: Any, pages: tuple[AttachmentPage, ...]) -> None:
    """附件 on their own pages: label 顶格 in 黑体, title centred on the third line (7.3.7)."""
    for page in pages:
        par = _para(doc, align=WD_ALIGN_PARAGRAPH.LEFT)
        par.paragraph_format.page_break_before = True
        _run(par, page.label, font=HEITI)
        _blank(doc)
        _title(doc, page.title)
        _blank(doc)
        _blocks(doc, page.blocks)


#: a 版记 row: one body line high, the text centred between the lines around it
_ROW: dict[str, Any] = {"line_pt": 18.0, "before_pt": 5.0, "after_pt": 5.0, "grid": False}


def record_slip_rows(paper: Paper) -> list[tuple[str, str, str]]:
    """The 版记 rows as (label, left text, right text): 分送 and 抄送 with the organs separated by
    ，and ending in 。, then 印发机关 and 印发日期 (7.4.2, 7.4.3); a 函 has no 印发 row (10.1)."""
    rows: list[tuple[str, str, str]] = []
    for label, names in (("分送", paper.distribute), ("抄送", paper.cc)):
        if names:
            rows.append((label, f"{label}：" + "，".join(names) + "。", ""))
    if paper.layout != "函":
        rows.append(("印发", paper.printer, f"{cn_date(paper.printed)}印发"))
    return rows


def _record_slip(doc: Any, paper: Paper) -> None:
    """版记 in 4号仿宋 between black lines at the foot of the last page (7.4); 函 without lines.

    The lines are empty paragraphs of their own, so they run the full 版心 width while the rows
    keep their 左右各空一字 indents (a row's own border would stop at its indents).
    """
    rows = record_slip_rows(paper)
    if not rows:
        return
    char = SMALL_PT
    ruled = paper.layout != "函"
    # room for the names after 抄送：, one character short so that a line held back by 。or ，
    # (which may not start a line) is still counted
    names_per_line = (TYPE_WIDTH_MM * PT_PER_MM) / char - 6
    height = 0.0
    for _, left, right in rows:
        lines = 1 if right else math.ceil(max(1.0, text_width(left) - 3) / names_per_line)
        height += _ROW["before_pt"] + _ROW["after_pt"] + lines * _ROW["line_pt"]
    if ruled:
        height += (len(rows) + 1) * 1.0 + (2 * 8 + (len(rows) - 1) * 6) / 8
    box = _foot_box(doc, height)

    def add() -> Any:
        par = Paragraph(OxmlElement("w:p"), doc._body)
        box.append(par._p)
        return par

    def rule(eighths: int) -> None:
        if ruled:
            par = _format(add(), line_pt=1.0, grid=False)
            _border(par, "bottom", eighths=eighths)

    # first and last lines 0.35 mm (1 pt), the ones between 0.25 mm (¾ pt) (7.4.1)
    rule(8)
    for i, (_, left, right) in enumerate(rows):
        if i:
            rule(6)
        par = add()
        if right:
            _format(par, align=WD_ALIGN_PARAGRAPH.LEFT, left=1, right=1, char_pt=char, **_ROW)
            tab = Pt(TYPE_WIDTH_MM * PT_PER_MM - char)
            par.paragraph_format.tab_stops.add_tab_stop(tab, WD_TAB_ALIGNMENT.RIGHT)
            _run(par, left, size=SMALL_PT)
            _run(par, "\t" + right, size=SMALL_PT)
        else:
            _format(par, left=4, first=-3, right=1, char_pt=char, **_ROW)
            _run(par, left, size=SMALL_PT)
    rule(8)


def write_docx(paper: Paper) -> Any:
    """Lay a `Paper` out as a python-docx Document in the GB/T 9704-2012 layout."""
    doc = Document()  # python-docx's template: styles and one section, no paragraph yet
    _setup(doc, paper)
    if paper.layout == "函":
        _logo(doc, paper, 0)
        _letter_lines(doc)
        _marks(doc, paper)
        _number(doc, paper)
    else:
        _marks(doc, paper)
        _logo(doc, paper, len(paper.marks))
        _blank(doc, 2)
        _number(doc, paper)
        _red_separator(doc)
    _blank(doc, 2)
    _title(doc, paper.title)
    _blank(doc)
    if paper.main_to:
        par = _para(doc, align=WD_ALIGN_PARAGRAPH.LEFT)
        _run(par, paper.main_to + "：")
    _blocks(doc, paper.blocks)
    _attachment_note(doc, paper.attachments)
    if paper.layout == "纪要":
        _attendance(doc, paper.attendance)
    else:
        _signature(doc, paper)
    _attachment_pages(doc, paper.attachment_pages)
    _record_slip(doc, paper)
    return doc


def render_outgoing(store: Store, rid: str, out: Path) -> Path:
    """Write `<ID>.docx` into the folder `out` (or to `out` itself if it ends in .docx)."""
    paper = paper_of(store, rid)
    doc = write_docx(paper)
    if out.suffix.lower() == ".docx":
        path = out
    else:
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"{paper.rid}.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    doc.save(str(tmp))
    os.replace(tmp, path)
    return path

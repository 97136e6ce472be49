"""Outgoing documents rendered as .docx in the GB/T 9704-2012 layout (S-DOC-OUT-1, S-DOC-OUT-2).

The numbered, signed-off 发文 is what gets printed (S-DOC-OUT-1 打印样稿 / 印制); its 发文字号 is the
one given at the numbering step (S-DOC-OUT-2), so a draft without one is refused. The demo records
are copied to a temporary folder and a few are given what the demo lacks (a 纪要 body with
出席/请假/列席, a 密级, a 函 body with all four heading levels).

Golden files: tests/golden/gbt9704/<ID>.txt hold a text dump of each rendered paper, one line a
paragraph (alignment, fonts and sizes, indents, borders | text); `OA_UPDATE_GOLDEN=1` rewrites them.
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Length
from docx.text.paragraph import Paragraph

from oa.core.errors import OAError
from oa.core.store import Store
from oa.render.body import (
    Body,
    Span,
    addressees,
    chinese_number,
    level_prefix,
    organs,
    parse_body,
    spans_of,
    strip_typed_prefix,
    text_width,
)
from oa.render.gbt9704 import FONTS, layout_of, paper_of, record_slip_rows, render_outgoing

PROJECT = Path(__file__).resolve().parents[1]
DEMO = PROJECT / "records"
GOLDEN = Path(__file__).resolve().parent / "golden" / "gbt9704"
NOW = "2026-11-30T09:00:00+08:00"

RENDERED = [
    "OUT-2026-0001",  # 浏后勤发, body with # and ##
    "OUT-2026-0002",  # 浏后勤会纪, body with 出席/请假/列席 added
    "OUT-2026-0003",  # 浏后勤发, 机密 added (加急 in the demo), no body (classified)
    "OUT-2026-0004",  # 浏后勤字 (to_higher), attachment with a Markdown file, 抄送
    "OUT-2026-0005",  # 浏后勤函, body with all four levels and a list added
    "OUT-2026-0014",  # 浏后勤发, list items, not printed yet
]

MINUTES_BODY = """出席：陈国华 汤志强 周慧敏 李建国
请假：刘艳（公差）
列席：王芳 彭伟 胡军

2026年1月20日下午，陈国华主任主持召开中心2026年第1次主任办公会议，研究部署近期重点工作。纪要如下：

# 关于春节期间值班安排

会议同意办公室提出的春节值班方案，要求各科室严格落实领导带班和24小时值班制度。

# 关于机关食堂提质改造

会议原则同意食堂提质改造方案，由事务二科牵头，财务科配合，3月底前完成招标。

- 改造期间保障正常就餐；
- 严格控制改造预算。
"""

LETTER_BODY = """浏阳市教育局：

你局《关于借用市民中心公共会议室的函》收悉。经研究，现函复如下：

# 同意借用

## 借用时间

### 会议室安排

#### 第一会议室

同意你局于4月15日借用市民中心第三会议室，**时间为上午9时至12时**。

1. 请提前一天与事务一科联系；
2. 会后恢复会场原状。

特此函复。
"""


def _edit(path: Path, after: str, insert: str) -> None:
    """Insert YAML lines after the line `after` of a record (the demo files stay untouched)."""
    text = path.read_text(encoding="utf-8")
    assert after + "\n" in text, after
    path.write_text(text.replace(after + "\n", after + "\n" + insert, 1), encoding="utf-8")


def _office(root: Path) -> Path:
    """A copy of the demo records with the additions the tests need."""
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".oa", ".git"))
    year = root / "outgoing" / "2026"
    _edit(year / "OUT-2026-0002.yaml", "doc_number: 浏后勤会纪〔2026〕1号", "body: 正文.md\n")
    (year / "OUT-2026-0002.files").mkdir()
    (year / "OUT-2026-0002.files" / "正文.md").write_text(MINUTES_BODY, encoding="utf-8")
    _edit(year / "OUT-2026-0003.yaml", "urgency: 加急", "secrecy: 机密\n")
    _edit(year / "OUT-2026-0005.yaml", "doc_number: 浏后勤函〔2026〕1号", "body: 正文.md\n")
    (year / "OUT-2026-0005.files").mkdir()
    (year / "OUT-2026-0005.files" / "正文.md").write_text(LETTER_BODY, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """Every paper in RENDERED, rendered once (OA_NOW pins 'today' for unprinted documents)."""
    base = tmp_path_factory.mktemp("gbt9704")
    root = _office(base / "records")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("OA_NOW", NOW)
        store = Store(root)
        yield {rid: render_outgoing(store, rid, base / "out") for rid in RENDERED}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(_office(tmp_path / "records"))


# -- reading the .docx back ------------------------------------------------------------------------


def runs_of(par: Paragraph) -> list[Any]:
    return [r for r in par.runs if r.text]


def east_asia(run: Any) -> str | None:
    fonts = run._r.rPr.find(qn("w:rFonts")) if run._r.rPr is not None else None
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def border(par: Paragraph, side: str) -> tuple[int, str] | None:
    ppr = par._p.pPr
    bdr = None if ppr is None else ppr.find(qn("w:pBdr"))
    line = None if bdr is None else bdr.find(qn(f"w:{side}"))
    if line is None:
        return None
    return int(line.get(qn("w:sz"))), line.get(qn("w:color"))


def box_paragraphs(par: Paragraph) -> list[Paragraph]:
    """The paragraphs of a text box anchored in `par` (the 版记)."""
    return [Paragraph(p, par._parent) for p in par._p.iter(qn("w:p")) if p is not par._p]


def all_paragraphs(doc: Any) -> list[Paragraph]:
    """Body paragraphs in order, the 版记 box's paragraphs after the one that anchors it."""
    out: list[Paragraph] = []
    for par in doc.paragraphs:
        out.append(par)
        out.extend(box_paragraphs(par))
    return out


def printed(doc: Any) -> list[Paragraph]:
    """The paragraphs that print something: text, or a line (a border)."""
    return [p for p in all_paragraphs(doc) if p.text.strip() or border(p, "bottom")]


def find(doc: Any, text: str) -> Paragraph:
    matches = [p for p in all_paragraphs(doc) if p.text == text]
    assert len(matches) == 1, (text, [p.text for p in all_paragraphs(doc)])
    return matches[0]


def _pt(length: Length | None) -> str:
    return "0" if length is None else f"{length.pt:.1f}"


def summary(par: Paragraph) -> str:
    """One line: alignment, run formats, indents, borders and flags | text."""
    fmt = par.paragraph_format
    align = fmt.alignment.name if fmt.alignment is not None else "-"
    formats: list[str] = []
    for run in runs_of(par):
        size = run.font.size.pt if run.font.size else 0
        item = f"{east_asia(run)}/{size:g}"
        if run.font.bold:
            item += "/b"
        if run.font.color is not None and run.font.color.rgb is not None:
            item += f"/#{run.font.color.rgb}"
        w = run._r.rPr.find(qn("w:w")) if run._r.rPr is not None else None
        if w is not None:
            item += f"/w{w.get(qn('w:val'))}"
        if not formats or formats[-1] != item:
            formats.append(item)
    parts = [align, "+".join(formats) or "(empty)"]
    line = fmt.line_spacing.pt if isinstance(fmt.line_spacing, Length) else None
    if line is not None:
        parts.append(f"line={line:.2f}")
    if fmt.space_before:
        parts.append(f"before={_pt(fmt.space_before)}")
    indents = (fmt.left_indent, fmt.first_line_indent, fmt.right_indent)
    if any(indents):
        parts.append("ind=" + "/".join(_pt(i) for i in indents))
    for side in ("top", "bottom"):
        line_border = border(par, side)
        if line_border:
            parts.append(f"{side}={line_border[0]}:{line_border[1]}")
    if fmt.keep_with_next:
        parts.append("keep")
    if fmt.page_break_before:
        parts.append("pagebreak")
    text = par.text.replace("\t", "→")
    return " ".join(parts) + " | " + text


def footer_text(par: Paragraph) -> str:
    """A footer line with its field shown by its code, e.g. — {PAGE} —."""
    out = ""
    in_result = False
    for r in par._p.iter(qn("w:r")):
        fld = r.find(qn("w:fldChar"))
        if fld is not None:
            in_result = fld.get(qn("w:fldCharType")) == "separate"
            continue
        instr = r.find(qn("w:instrText"))
        if instr is not None:
            out += "{" + (instr.text or "").strip() + "}"
        elif not in_result:
            out += "".join(t.text or "" for t in r.iter(qn("w:t")))
    return out


def dump(doc: Any) -> str:
    """The normalised text of a paper, for the golden files."""
    sec = doc.sections[0]
    lines = [
        f"page {sec.page_width.mm:.0f}x{sec.page_height.mm:.0f} mm, margins "
        f"{sec.top_margin.mm:.1f}/{sec.bottom_margin.mm:.1f}/{sec.left_margin.mm:.1f}/"
        f"{sec.right_margin.mm:.1f} mm, first page different: "
        f"{sec.different_first_page_header_footer}",
    ]
    for par in all_paragraphs(doc):
        in_box = par._p.getparent().tag == qn("w:txbxContent")
        lines.append(("版记 " if in_box else "") + summary(par))
    for name, footer in (("odd", sec.footer), ("even", sec.even_page_footer)):
        for par in footer.paragraphs:
            lines.append(f"footer {name}: {summary(par).split(' | ')[0]} | {footer_text(par)}")
    if sec.different_first_page_header_footer:
        for par in sec.first_page_footer.paragraphs:
            lines.append(f"footer first: {summary(par)}")
    return "\n".join(lines) + "\n"


def load(path: Path) -> Any:
    return Document(str(path))


# -- the Markdown body (pure functions) -------------------------------------------------------------


def test_chinese_numbers_and_level_prefixes() -> None:
    """GB/T 9704-2012 7.3.3 numbering: 一、（一）1.（1）, Chinese numerals past ten."""
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 21, 99, 100, 105, 110)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十一",
        "九十九",
        "一百",
        "一百零五",
        "一百一十",
    ]
    assert [level_prefix(level, 3) for level in (1, 2, 3, 4)] == ["三、", "（三）", "3.", "（3）"]


def test_headings_numbered_per_parent() -> None:
    body = parse_body("# 甲\n\n## 子一\n\n## 子二\n\n### 细\n\n# 乙\n\n## 子\n\n#### 深\n")
    assert [(b.prefix, b.text) for b in body.blocks] == [
        ("一、", "甲"),
        ("（一）", "子一"),
        ("（二）", "子二"),
        ("1.", "细"),
        ("二、", "乙"),
        ("（一）", "子"),
        ("（1）", "深"),
    ]
    assert [b.level for b in body.blocks] == [1, 2, 2, 3, 1, 2, 4]


def test_typed_numbers_are_not_printed_twice() -> None:
    assert strip_typed_prefix("一、总体要求") == "总体要求"
    assert strip_typed_prefix("（二）加强管理") == "加强管理"
    assert strip_typed_prefix("3. 细则") == "细则"
    assert strip_typed_prefix("1.5万元的用途") == "1.5万元的用途"
    body = parse_body("# 一、总体要求\n## (二)分项\n")
    assert [b.prefix + b.text for b in body.blocks] == ["一、总体要求", "（一）分项"]


def test_list_items_take_the_next_level() -> None:
    text = "1. 甲；\n2. 乙。\n\n# 标题\n\n- 子甲\n- 子乙\n  - 更细\n\n## 分项\n\n* 细项\n"
    body = parse_body(text)
    assert [(b.kind, b.prefix + b.text) for b in body.blocks] == [
        ("item", "一、甲；"),
        ("item", "二、乙。"),
        ("heading", "三、标题"),
        ("item", "（一）子甲"),
        ("item", "（二）子乙"),
        ("item", "1.更细"),
        ("heading", "（三）分项"),
        ("item", "1.细项"),
    ]


def test_paragraphs_join_wrapped_lines_and_keep_bold() -> None:
    body = parse_body("第一行\n接着写\nand more\ntext here\n\n**一是**抓落实。\n")
    assert [b.text for b in body.blocks] == ["第一行接着写and more text here", "一是抓落实。"]
    assert body.blocks[1].spans == (Span("一是", bold=True), Span("抓落实。"))
    assert spans_of("a__b__c") == (Span("a"), Span("b", bold=True), Span("c"))


def test_numbers_in_text_are_not_list_items() -> None:
    body = parse_body("1.5万元已到位。\n\n2026年工作。\n")
    assert [(b.kind, b.text) for b in body.blocks] == [
        ("paragraph", "1.5万元已到位。"),
        ("paragraph", "2026年工作。"),
    ]


def test_salutation_is_the_first_line_ending_in_a_colon() -> None:
    body = parse_body("\n各科室、物业服务企业：\n\n正文。\n")
    assert body.salutation == "各科室、物业服务企业"
    assert [b.text for b in body.blocks] == ["正文。"]
    # a sentence ending in a colon, or a heading, is not a 主送 line
    assert parse_body("现将有关事项通知如下。具体为：\n\n一是……\n").salutation is None
    assert parse_body("# 标题：\n").salutation is None
    assert parse_body("各科室:\n").salutation == "各科室"


def test_main_to_of_the_record_wins() -> None:
    """The registered 主送 is printed; the same organs in the body are not printed twice, other
    organs are kept as a paragraph rather than lost."""
    body = parse_body("各科室、物业服务企业：\n\n正文。\n")
    line, blocks = addressees(["各科室", "物业服务企业"], body)
    assert line == "各科室、物业服务企业"
    assert [b.text for b in blocks] == ["正文。"]
    line, blocks = addressees(["浏阳市政协办公室"], body)
    assert line == "浏阳市政协办公室"
    assert [b.text for b in blocks] == ["各科室、物业服务企业：", "正文。"]
    line, blocks = addressees([], body)
    assert line == "各科室、物业服务企业"
    assert addressees([], Body()) == (None, ())
    assert organs("中心领导，各科室。") == ["中心领导", "各科室"]


def test_attendance_front_section_only_for_minutes() -> None:
    text = "列席：王芳\n\n出席：陈国华 汤志强\n\n会议研究了两件事。\n\n请假：已不在开头\n"
    minutes = parse_body(text, minutes=True)
    assert [(a.label, a.names) for a in minutes.attendance] == [
        ("出席", "陈国华 汤志强"),
        ("列席", "王芳"),
    ]
    assert [b.text for b in minutes.blocks] == ["会议研究了两件事。", "请假：已不在开头"]
    other = parse_body(text)
    assert other.attendance == ()
    assert [b.text for b in other.blocks][:2] == ["列席：王芳", "出席：陈国华 汤志强"]


def test_text_width_counts_ascii_as_half() -> None:
    assert text_width("2026年1月13日") == 6.5
    assert text_width("浏阳市机关后勤服务中心") == 11


def test_layouts_by_code() -> None:
    assert [layout_of(c) for c in ("浏后勤发", "浏后勤字", "浏后勤函", "浏后勤会纪")] == [
        "文件",
        "文件",
        "函",
        "纪要",
    ]
    for font in ("方正小标宋简体", "仿宋_GB2312", "楷体_GB2312", "黑体", "宋体"):
        assert font in FONTS


# -- the rendered papers ------------------------------------------------------------------------------


def test_page_is_a4_with_the_national_margins(rendered: dict[str, Path]) -> None:
    """A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm; 22 lines of 28.95 pt (GB/T 9704-2012 5.2)."""
    for rid, path in rendered.items():
        doc = load(path)
        sec = doc.sections[0]
        assert sec.page_width.mm == pytest.approx(210, abs=0.5), rid
        assert sec.page_height.mm == pytest.approx(297, abs=0.5), rid
        assert sec.top_margin.mm == pytest.approx(37, abs=0.5)
        assert sec.bottom_margin.mm == pytest.approx(35, abs=0.5)
        assert sec.left_margin.mm == pytest.approx(28, abs=0.5)
        assert sec.right_margin.mm == pytest.approx(26, abs=0.5)
        width = sec.page_width.mm - sec.left_margin.mm - sec.right_margin.mm
        height = sec.page_height.mm - sec.top_margin.mm - sec.bottom_margin.mm
        assert (width, height) == (pytest.approx(156, abs=0.5), pytest.approx(225, abs=0.5))
        grid = sec._sectPr.find(qn("w:docGrid"))
        pitch_mm = int(grid.get(qn("w:linePitch"))) / 20 * 25.4 / 72
        assert 22 * pitch_mm == pytest.approx(225, abs=0.5)  # 22 lines fill the 版心
        normal = doc.styles["Normal"]
        assert normal.font.size.pt == 16
        assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_element_order_of_a_centre_document(rendered: dict[str, Path]) -> None:
    """标志 → 字号 → red line → title → 主送 → body → 署名 → 成文日期 → 版记 (S-DOC-OUT-2 number)."""
    doc = load(rendered["OUT-2026-0001"])
    texts = [p.text or f"<line {border(p, 'bottom')}>" for p in printed(doc)]
    assert texts[:6] == [
        "浏阳市机关后勤服务中心文件",
        "浏后勤发〔2026〕1号",
        "<line (12, 'FF0000')>",
        "关于印发《浏阳市机关后勤服务中心2026年工作要点》的通知",
        "各科室：",
        "现将《浏阳市机关后勤服务中心2026年工作要点》印发给你们，请结合实际，认真抓好落实。",
    ]
    assert texts.count("各科室：") == 1  # the body's own salutation is not printed twice
    tail = texts[texts.index("浏阳市机关后勤服务中心") :]
    assert tail == [
        "浏阳市机关后勤服务中心",
        "2026年1月13日",
        "<line (8, '000000')>",
        "浏阳市机关后勤服务中心办公室\t2026年1月13日印发",
        "<line (8, '000000')>",
    ]


def test_fonts_and_sizes_of_each_element(rendered: dict[str, Path]) -> None:
    """小标宋 标志 and title, 仿宋 字号 and body, 黑体/楷体 headings, 4号 版记 (GB/T 9704-2012 7)."""
    doc = load(rendered["OUT-2026-0001"])

    def fmt(text: str) -> list[tuple[str | None, float]]:
        return [(east_asia(r), r.font.size.pt) for r in runs_of(find(doc, text))]

    logo = find(doc, "浏阳市机关后勤服务中心文件")
    assert fmt(logo.text) == [("方正小标宋简体", 42)]
    assert logo.runs[0].font.color.rgb == (0xFF, 0x00, 0x00)
    assert logo.alignment == WD_ALIGN_PARAGRAPH.CENTER
    # 35 mm from the 版心 top to the top of the 标志 (7.2.4)
    assert logo.paragraph_format.space_before.mm == pytest.approx(35 - 1.5, abs=1.5)
    assert set(fmt("浏后勤发〔2026〕1号")) == {("仿宋_GB2312", 16)}
    assert find(doc, "浏后勤发〔2026〕1号").alignment == WD_ALIGN_PARAGRAPH.CENTER
    title = find(doc, "关于印发《浏阳市机关后勤服务中心2026年工作要点》的通知")
    assert fmt(title.text) == [("方正小标宋简体", 22)]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert set(fmt("一、总体要求")) == {("黑体", 16)}
    assert set(fmt("（一）提升会务保障水平")) == {("楷体_GB2312", 16)}
    body = find(
        doc, "坚持服务保障为本，围绕市委、市政府中心工作，推进机关后勤服务标准化、规范化、精细化。"
    )
    assert set(fmt(body.text)) == {("仿宋_GB2312", 16)}
    assert body.paragraph_format.first_line_indent.pt == pytest.approx(2 * 15.79, abs=0.1)
    assert body.paragraph_format.line_spacing.pt == pytest.approx(28.95)
    printed_line = find(doc, "浏阳市机关后勤服务中心办公室\t2026年1月13日印发")
    assert set(fmt(printed_line.text)) == {("仿宋_GB2312", 14)}


def test_red_separator_spans_the_type_area(rendered: dict[str, Path]) -> None:
    """7.2.7: a red line under the 字号, as wide as the 版心 (no indents)."""
    doc = load(rendered["OUT-2026-0001"])
    lines = [p for p in doc.paragraphs if border(p, "bottom") and not p.text]
    red = [p for p in lines if border(p, "bottom") == (12, "FF0000")]
    assert len(red) == 1
    fmt = red[0].paragraph_format
    assert not fmt.left_indent and not fmt.right_indent


def test_signature_and_date_right_aligned(rendered: dict[str, Path]) -> None:
    """7.3.5: 成文日期 in Arabic numerals 右空四字, 署名 centred over it; date of the 主任's issue."""
    doc = load(rendered["OUT-2026-0001"])
    date = find(doc, "2026年1月13日")
    name = find(doc, "浏阳市机关后勤服务中心")
    assert date.alignment == name.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    char = 156 / 25.4 * 72 / 28
    assert date.paragraph_format.right_indent.pt == pytest.approx(4 * char, abs=0.1)
    # 署名 11 characters, date 6½ (digits are half width): centred over it is 1¾ from the right
    assert name.paragraph_format.right_indent.pt == pytest.approx(1.75 * char, abs=0.1)


def test_page_numbers_on_odd_and_even_footers(rendered: dict[str, Path]) -> None:
    """7.5: — 1 — in 4号宋体, right on odd pages, left on even ones."""
    path = rendered["OUT-2026-0001"]
    doc = load(path)
    sec = doc.sections[0]
    odd, even = sec.footer.paragraphs[0], sec.even_page_footer.paragraphs[0]
    assert footer_text(odd) == footer_text(even) == "— {PAGE} —"
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert {(east_asia(r), r.font.size.pt) for r in runs_of(odd)} == {("宋体", 14)}
    with zipfile.ZipFile(path) as z:
        assert b"w:evenAndOddHeaders" in z.read("word/settings.xml")
    assert not sec.different_first_page_header_footer


def test_to_higher_number_with_signer(rendered: dict[str, Path]) -> None:
    """上行文 (to_higher 浏后勤字): 字号 left, 签发人：name (楷体) right, the 主任 who issued it."""
    doc = load(rendered["OUT-2026-0004"])
    number = find(doc, "浏后勤字〔2026〕1号\t签发人：陈国华")
    assert number.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert [(r.text, east_asia(r)) for r in runs_of(number)] == [
        ("浏后勤字〔2026〕1号", "仿宋_GB2312"),
        ("\t签发人：", "仿宋_GB2312"),
        ("陈国华", "楷体_GB2312"),
    ]
    stops = number.paragraph_format.tab_stops
    assert len(stops) == 1 and stops[0].alignment.name == "RIGHT"
    # a 下行文 has no 签发人
    assert "签发人" not in " ".join(p.text for p in load(rendered["OUT-2026-0001"]).paragraphs)


def test_attachment_note_pages_and_cc(rendered: dict[str, Path]) -> None:
    """7.3.4 附件说明, 7.3.7 附件 page before the 版记, 7.4.2 抄送 ending in 。."""
    doc = load(rendered["OUT-2026-0004"])
    texts = [p.text for p in printed(doc)]
    note = find(doc, "附件：供水管网改造经费测算表")
    assert note.paragraph_format.first_line_indent.pt < 0  # names aligned after 附件：
    label = find(doc, "附件")
    assert label.paragraph_format.page_break_before
    assert [(east_asia(r), r.font.size.pt) for r in label.runs] == [("黑体", 16)]
    assert texts[texts.index("附件") + 1] == "供水管网改造经费测算表"
    assert texts.index("2026年3月10日") < texts.index("附件") < texts.index("抄送：浏阳市财政局。")
    assert texts[-5:] == [
        "",
        "抄送：浏阳市财政局。",
        "",
        "浏阳市机关后勤服务中心办公室\t2026年3月10日印发",
        "",
    ]


def test_record_slip_lines_thick_outside_thin_between(rendered: dict[str, Path]) -> None:
    """7.4.1: first and last 版记 lines 0.35 mm, the one between 0.25 mm, full width, in a box
    anchored to the foot of the 版心."""
    path = rendered["OUT-2026-0004"]
    doc = load(path)
    anchor = next(p for p in doc.paragraphs if box_paragraphs(p))
    rows = box_paragraphs(anchor)
    assert [(p.text, border(p, "bottom")) for p in rows] == [
        ("", (8, "000000")),
        ("抄送：浏阳市财政局。", None),
        ("", (6, "000000")),
        ("浏阳市机关后勤服务中心办公室\t2026年3月10日印发", None),
        ("", (8, "000000")),
    ]
    for row in rows:
        if not row.text:
            assert not row.paragraph_format.left_indent
            assert not row.paragraph_format.right_indent
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert '<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align>' in xml


def test_letter_layout(rendered: dict[str, Path]) -> None:
    """10.1 函: 标志 without 文件, red double lines, 字号 on the right, no page number on page 1,
    a 版记 of 抄送 only."""
    doc = load(rendered["OUT-2026-0005"])
    texts = [p.text for p in printed(doc)]
    assert texts[0] == "浏阳市机关后勤服务中心"
    logo = doc.paragraphs[0]
    assert logo.runs[0].font.color.rgb == (0xFF, 0x00, 0x00)
    assert [border(p, "bottom") for p in doc.paragraphs[1:3]] == [(18, "FF0000"), (6, "FF0000")]
    assert doc.paragraphs[1].paragraph_format.left_indent.mm == pytest.approx(-7, abs=0.1)
    number = find(doc, "浏后勤函〔2026〕1号")
    assert number.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    sec = doc.sections[0]
    assert sec.different_first_page_header_footer
    first = sec.first_page_footer.paragraphs
    assert [border(p, "bottom") for p in first] == [(6, "FF0000"), (18, "FF0000")]
    assert "PAGE" not in "".join(footer_text(p) for p in first)
    assert not any("印发" in t for t in texts)


def test_heading_levels_in_their_fonts(rendered: dict[str, Path]) -> None:
    """7.3.3: 一、黑体, （一）楷体, 1. and （1） 仿宋; list items numbered one level down."""
    doc = load(rendered["OUT-2026-0005"])
    expected = {
        "一、同意借用": "黑体",
        "（一）借用时间": "楷体_GB2312",
        "1.会议室安排": "仿宋_GB2312",
        "（1）第一会议室": "仿宋_GB2312",
        "（2）请提前一天与事务一科联系；": "仿宋_GB2312",
        "（3）会后恢复会场原状。": "仿宋_GB2312",
    }
    for text, font in expected.items():
        par = find(doc, text)
        assert {east_asia(r) for r in runs_of(par)} == {font}, text
        assert par.paragraph_format.first_line_indent.pt == pytest.approx(31.6, abs=0.1)
    bold = find(doc, "同意你局于4月15日借用市民中心第三会议室，时间为上午9时至12时。")
    assert [r.font.bold for r in runs_of(bold)] == [False, True, False]
    texts = [p.text for p in printed(doc)]
    assert texts.count("浏阳市教育局：") == 1


def test_minutes_layout_with_attendance(rendered: dict[str, Path]) -> None:
    """10.3 纪要: 标志 …会议纪要, no 主送 line, 出席/请假/列席 after the body (黑体 label, 仿宋
    names), 分送 in the 版记, no 署名."""
    doc = load(rendered["OUT-2026-0002"])
    texts = [p.text for p in printed(doc)]
    assert texts[:4] == [
        "浏阳市机关后勤服务中心会议纪要",
        "浏后勤会纪〔2026〕1号",
        "",
        "中心2026年第1次主任办公会议纪要",
    ]
    assert texts[4].startswith("2026年1月20日下午")
    assert "中心领导、各科室：" not in texts
    attendance = [t for t in texts if t[:3] in ("出席：", "请假：", "列席：")]
    assert attendance == [
        "出席：陈国华 汤志强 周慧敏 李建国",
        "请假：刘艳（公差）",
        "列席：王芳 彭伟 胡军",
    ]
    assert texts.index("出席：陈国华 汤志强 周慧敏 李建国") > texts.index(
        "（二）严格控制改造预算。"
    )
    par = find(doc, "请假：刘艳（公差）")
    assert [(r.text, east_asia(r)) for r in runs_of(par)] == [
        ("请假：", "黑体"),
        ("刘艳（公差）", "仿宋_GB2312"),
    ]
    assert "浏阳市机关后勤服务中心" not in texts  # no 署名 on minutes
    assert "分送：中心领导，各科室。" in texts
    assert [t for t in texts if t.startswith("（一）")] == ["（一）改造期间保障正常就餐；"]


def test_secrecy_and_urgency_marks(rendered: dict[str, Path]) -> None:
    """7.2.1–7.2.3: 份号 (6 digits), 密级, 紧急程度 top-left in 3号黑体, before the 标志."""
    doc = load(rendered["OUT-2026-0003"])
    first = doc.paragraphs[:4]
    assert [p.text for p in first] == ["000001", "机密", "加急", "浏阳市机关后勤服务中心文件"]
    for par in first[:3]:
        assert par.alignment == WD_ALIGN_PARAGRAPH.LEFT
        assert not par.paragraph_format.first_line_indent
        assert [(east_asia(r), r.font.size.pt) for r in par.runs] == [("黑体", 16)]
    # the 标志 still starts 35 mm under the 版心 top: three lines fewer of space before it
    before = first[3].paragraph_format.space_before.pt
    plain = load(rendered["OUT-2026-0001"]).paragraphs[0].paragraph_format.space_before.pt
    assert plain - before == pytest.approx(3 * 28.95)
    # urgency alone: no 份号, no 密级
    assert load(rendered["OUT-2026-0001"]).paragraphs[0].text == "浏阳市机关后勤服务中心文件"


def test_unprinted_document_is_dated_today(rendered: dict[str, Path]) -> None:
    """The 印发日期 is the day of the `print` step (S-DOC-OUT-1 印制); before it, today."""
    doc = load(rendered["OUT-2026-0014"])
    assert "浏阳市机关后勤服务中心办公室\t2026年11月30日印发" in [p.text for p in printed(doc)]


def test_unnumbered_draft_is_refused(store: Store, tmp_path: Path) -> None:
    """S-DOC-OUT-2: a number is given only at the numbering step, so a draft has no paper yet."""
    out = tmp_path / "out"
    for rid in ("OUT-2026-0022", "OUT-2026-0016"):
        with pytest.raises(OAError) as err:
            render_outgoing(store, rid, out)
        assert err.value.code == "OA607"
        assert "no 发文字号 yet" in err.value.message
    assert not out.exists() or not any(out.iterdir())


def test_other_kinds_and_missing_records_are_refused(store: Store, tmp_path: Path) -> None:
    with pytest.raises(OAError) as err:
        render_outgoing(store, "IN-2026-0001", tmp_path)
    assert err.value.code == "OA605"
    with pytest.raises(OAError) as err:
        render_outgoing(store, "OUT-2026-0999", tmp_path)
    assert err.value.code == "OA601"


def test_fields_cannot_inject_markup(store: Store, tmp_path: Path) -> None:
    """Titles and names are text: markup prints as typed, control characters are dropped."""
    path = store.path_for("OUT-2026-0014")
    text = path.read_text(encoding="utf-8")
    evil = 'Q&A </w:t></w:r><w:r><w:t>注入</w:t> "引号"\x07'
    text = text.replace(
        "title: 关于开展行政中心办公区冬季消防安全大检查的通知", f"title: {json.dumps(evil)}"
    )
    text = text.replace("  - 物业服务企业", "  - '<w:p/>&amp;'")
    path.write_text(text, encoding="utf-8")
    doc = load(render_outgoing(Store(store.root), "OUT-2026-0014", tmp_path))
    texts = [p.text for p in printed(doc)]
    assert 'Q&A </w:t></w:r><w:r><w:t>注入</w:t> "引号"' in texts
    assert "各科室、<w:p/>&amp;：" in texts


def test_render_writes_id_docx_into_the_folder(store: Store, tmp_path: Path) -> None:
    """`oa doc render ID --out DIR` writes DIR/<ID>.docx; a .docx path is taken as the file."""
    out = render_outgoing(store, "OUT-2026-0005", tmp_path / "papers")
    assert out == tmp_path / "papers" / "OUT-2026-0005.docx"
    named = render_outgoing(store, "OUT-2026-0005", tmp_path / "x" / "letter.docx")
    assert named.is_file() and named.name == "letter.docx"
    assert sorted(p.name for p in (tmp_path / "papers").iterdir()) == ["OUT-2026-0005.docx"]


def test_paper_reads_the_record(store: Store) -> None:
    """The dates come from the history: 成文日期 = the 主任's issue, 印发 = the print step."""
    paper = paper_of(store, "OUT-2026-0004")
    assert (paper.number, paper.signer, paper.signed.isoformat()) == (
        "浏后勤字〔2026〕1号",
        "陈国华",
        "2026-03-10",
    )
    assert paper.printed.isoformat() == "2026-03-10"
    assert record_slip_rows(paper) == [
        ("抄送", "抄送：浏阳市财政局。", ""),
        ("印发", "浏阳市机关后勤服务中心办公室", "2026年3月10日印发"),
    ]


@pytest.mark.parametrize("rid", RENDERED)
def test_golden_dump(rendered: dict[str, Path], rid: str) -> None:
    """The whole paper, paragraph by paragraph, as reviewed (OA_UPDATE_GOLDEN=1 rewrites)."""
    got = dump(load(rendered[rid]))
    golden = GOLDEN / f"{rid}.txt"
    if os.environ.get("OA_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden}; run with OA_UPDATE_GOLDEN=1"
    assert got == golden.read_text(encoding="utf-8")

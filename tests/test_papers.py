"""Printed papers: the 文件批办单 of an incoming document (S-DOC-SLIP) and the 归档文件目录 of a year
(S-DOC-IN-6, DA/T 22-2015), drawn from records built through the library in a temporary copy of
the demo office (no git repository, so nothing is committed).

Golden files in tests/golden/papers/ hold the normalised HTML and text dumps of the .docx and .xlsx
files; regenerate them with `OA_UPDATE_GOLDEN=1 pytest tests/test_papers.py` after a deliberate
change to a paper, and read the diff.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from jinja2 import UndefinedError
from openpyxl import load_workbook

from oa.core.archive import catalog
from oa.core.engine import advance, create
from oa.core.errors import OAError
from oa.core.identity import Actor
from oa.core.registry import kinds
from oa.core.store import Store
from oa.render.catalog import parts, render_catalog_docx, render_catalog_xlsx
from oa.render.html import printable, render_html
from oa.render.slip import render_slip_docx, render_slip_html, slip_data
from tests.conftest import NO_RECORDS

DEMO = Path(__file__).resolve().parents[1] / "records"
GOLDEN = Path(__file__).resolve().parent / "golden" / "papers"


@dataclass(frozen=True)
class Case:
    """A small office year: which record shows what on paper."""

    root: Path
    joint: str  # 物业管理科 leads, 财务科 helps; handled by both, archived 定期30年
    sent_back: str  # a 拟办 sent back by the director and proposed again; archived 永久
    single: str  # one department, a reply deadline; archived 定期30年
    circulating: str  # 阅知, two of three leaders have read it
    fresh: str  # just registered: every box still empty
    marked_up: str  # a title and an opinion with HTML markup in them
    outgoing: str  # a 发文, which has no 文件批办单


def _build(root: Path, mp: pytest.MonkeyPatch) -> Case:
    store = Store(root)
    incoming = kinds()["incoming"]

    def receive(when: str, **fields: Any) -> str:
        mp.setenv("OA_NOW", when)
        base = {
            "handling": "批办",
            "copies": 1,
            "department": "BGS",
            "registrar": "wangfang",
            "received": datetime.fromisoformat(when),
        }
        return create(store, incoming, {**base, **fields}, Actor("wangfang")).rid

    def step(rid: str, action: str, who: str, when: str, **kw: Any) -> None:
        mp.setenv("OA_NOW", when)
        advance(store, rid, action, Actor(who), **kw)

    joint = receive(
        "2026-11-02T09:10:00+08:00",
        title="关于开展2026年度公共机构节能工作考核的通知",
        sender="长沙市机关事务管理局",
        sender_number="长机管发〔2026〕12号",
        category="交办性",
        copies=2,
        pages=6,
        urgency="加急",
    )
    step(
        joint,
        "propose",
        "liuyan",
        "2026-11-02T10:30:00+08:00",
        opinion="拟请物业管理科牵头、财务科配合，于11月20日前报送自评材料。",
        sets={
            "departments": ["WYK", "CWK"],
            "lead_department": "WYK",
            "department": "WYK",
            "reply_by": date(2026, 11, 20),
        },
    )
    step(
        joint,
        "decide",
        "tangzhiqiang",
        "2026-11-03T08:45:00+08:00",
        opinion="同意。物业管理科牵头，按时报送。",
    )
    step(
        joint,
        "handle",
        "yangxue",
        "2026-11-10T16:00:00+08:00",
        entry_values={
            "department": "CWK",
            "course": "整理2026年度水电气费用台账。",
            "result": "已提供物业管理科。",
        },
    )
    step(
        joint,
        "handle",
        "hujun",
        "2026-11-18T11:00:00+08:00",
        entry_values={
            "department": "WYK",
            "course": "汇总能耗数据，撰写自评报告。",
            "result": "11月18日已报送市机关事务管理局。",
        },
    )
    step(joint, "complete", "wangfang", "2026-11-19T09:00:00+08:00")
    step(joint, "archive", "zhaolei", "2026-11-19T10:00:00+08:00", sets={"retention": "D30"})

    sent_back = receive(
        "2026-11-04T08:40:00+08:00",
        title="关于进一步加强机关食堂反食品浪费工作的通知",
        sender="湖南省机关事务管理局",
        sender_number="湘机管发〔2026〕9号",
        category="政策性",
        pages=3,
    )
    step(
        sent_back,
        "propose",
        "wangfang",
        "2026-11-04T09:30:00+08:00",
        opinion="拟请事务一科贯彻落实。",
        sets={"departments": ["SWY"], "department": "SWY"},
    )
    step(
        sent_back,
        "return",
        "chenguohua",
        "2026-11-04T11:00:00+08:00",
        opinion="机关食堂由事务二科管理，请重拟。",
    )
    step(
        sent_back,
        "propose",
        "liuyan",
        "2026-11-04T14:00:00+08:00",
        opinion="拟请事务二科牵头贯彻落实，制定具体措施。",
        sets={"departments": ["SWE"], "lead_department": "SWE", "department": "SWE"},
    )
    step(
        sent_back,
        "decide",
        "chenguohua",
        "2026-11-04T16:20:00+08:00",
        opinion="同意。请事务二科月底前拿出措施。",
    )
    step(
        sent_back,
        "handle",
        "dengming",
        "2026-11-25T10:00:00+08:00",
        entry_values={
            "department": "SWE",
            "course": "修订《机关食堂管理办法》，推行按需取餐、小份供应。",
            "result": "措施已于11月24日起执行，剩菜剩饭量下降三成。",
        },
    )
    step(sent_back, "complete", "wangfang", "2026-11-25T15:00:00+08:00")
    step(sent_back, "archive", "zhaolei", "2026-11-26T09:00:00+08:00", sets={"retention": "Y"})

    single = receive(
        "2026-11-06T14:20:00+08:00",
        title="关于商借市民中心公共会议室的函",
        sender="浏阳市教育局",
        sender_number="浏教函〔2026〕45号",
        category="商洽性",
        pages=2,
    )
    step(
        single,
        "propose",
        "liuyan",
        "2026-11-06T15:00:00+08:00",
        opinion="拟请事务一科于11月13日前办复。",
        sets={"departments": ["SWY"], "department": "SWY", "reply_by": date(2026, 11, 13)},
    )
    step(
        single, "decide", "lijianguo", "2026-11-06T17:30:00+08:00", opinion="同意，请事务一科复函。"
    )
    step(
        single,
        "handle",
        "pengwei",
        "2026-11-11T10:00:00+08:00",
        entry_values={
            "department": "SWY",
            "course": "与教育局衔接会议时间、人数及布置要求。",
            "result": "已复函同意借用。",
        },
    )
    step(single, "complete", "wangfang", "2026-11-12T09:00:00+08:00")
    step(single, "archive", "zhaolei", "2026-11-12T10:00:00+08:00", sets={"retention": "D30"})

    circulating = receive(
        "2026-11-20T15:00:00+08:00",
        title="关于印发2027年市委常委会议事安排的通知",
        sender="中共浏阳市委办公室",
        sender_number="浏办发〔2026〕52号",
        category="参阅性",
        handling="阅知",
        secrecy="秘密",
        pages=4,
    )
    step(
        circulating,
        "circulate",
        "wangfang",
        "2026-11-20T16:00:00+08:00",
        opinion="请各位领导阅示。",
        sets={"readers": ["chenguohua", "lijianguo", "tangzhiqiang"]},
    )
    step(
        circulating,
        "read",
        "chenguohua",
        "2026-11-20T17:00:00+08:00",
        opinion="已阅。请李主任安排落实。",
    )
    step(circulating, "read", "lijianguo", "2026-11-23T08:50:00+08:00")

    fresh = receive(
        "2026-11-27T10:00:00+08:00",
        title="关于报送2027年度部门预算编制材料的通知",
        sender="浏阳市财政局",
        sender_number="浏财预〔2026〕58号",
        category="交办性",
        pages=5,
    )
    marked_up = receive(
        "2026-11-27T11:00:00+08:00",
        title="关于<b>x</b>与<w:p>标记&amp;的测试函",
        sender="某单位 & <i>办公室</i>",
        category="询问性",
    )
    step(
        marked_up,
        "propose",
        "liuyan",
        "2026-11-27T11:30:00+08:00",
        opinion='<script>alert("x")</script>拟请办公室阅处。',
        sets={"departments": ["BGS"]},
    )
    mp.setenv("OA_NOW", "2026-11-27T12:00:00+08:00")
    outgoing = create(
        store,
        kinds()["outgoing"],
        {
            "title": "关于借用市民中心公共会议室的复函",
            "doc_kind": "浏后勤函",
            "department": "SWY",
            "drafter": "pengwei",
            "main_to": ["浏阳市教育局"],
        },
        Actor("pengwei"),
    ).rid
    return Case(root, joint, sent_back, single, circulating, fresh, marked_up, outgoing)


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Case]:
    """The office's configuration and workflows, without the demo records, and our own year."""
    root = tmp_path_factory.mktemp("papers") / "records"
    shutil.copytree(DEMO, root, ignore=NO_RECORDS)
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("OA_USER", raising=False)
        yield _build(root, mp)


# -- helpers -------------------------------------------------------------------------------------


def golden(name: str, text: str) -> None:
    """Compare with tests/golden/papers/<name>; OA_UPDATE_GOLDEN=1 writes it instead."""
    path = GOLDEN / name
    if os.environ.get("OA_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"no golden file {path}: run with OA_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def normalised(html: str) -> str:
    """HTML with trailing spaces and blank lines gone, so formatting noise does not matter."""
    lines = (line.rstrip() for line in html.splitlines())
    return "\n".join(line for line in lines if line) + "\n"


def html_box(html: str, label: str) -> str:
    """The HTML of one row of the slip, from its label to the next row."""
    start = html.index(f'<th scope="row">{label}</th>')
    ends = [i for i in (html.find("<tr", start), html.find("</table>", start)) if i != -1]
    return html[start : min(ends)]


def _unique_cells(row: Any) -> list[Any]:
    seen: list[Any] = []
    for cell in row.cells:  # a merged cell is returned once per grid column
        if all(cell._tc is not s._tc for s in seen):
            seen.append(cell)
    return seen


def _cell_text(cell: Any) -> str:
    return " / ".join(p.text for p in cell.paragraphs if p.text)


def docx_rows(path: Path) -> dict[str, str]:
    """The slip's table as {label: the rest of the row}; a two-pair row gives two entries."""
    table = Document(str(path)).tables[0]
    out: dict[str, str] = {}
    for row in table.rows:
        cells = [_cell_text(c) for c in _unique_cells(row)]
        for i in range(0, len(cells) - 1, 2):
            out[cells[i]] = cells[i + 1]
    return out


def dump_docx(path: Path) -> str:
    """Page setup, then every paragraph and table row in order, as text for a golden file."""
    doc = Document(str(path))
    out: list[str] = []
    for i, s in enumerate(doc.sections, start=1):
        assert s.page_width is not None and s.page_height is not None
        w, h = round(s.page_width.mm), round(s.page_height.mm)
        out.append(f"[section {i}: {w}x{h}mm]")
    for block in doc.iter_inner_content():
        if isinstance(block, Paragraph):
            if block.text:
                out.append(block.text)
        elif isinstance(block, Table):
            out.append("[table]")
            for row in block.rows:
                trPr = row._tr.trPr
                header = trPr is not None and trPr.find(qn("w:tblHeader")) is not None
                mark = "[header] " if header else ""
                out.append(mark + " | ".join(_cell_text(c) for c in _unique_cells(row)))
    return "\n".join(line.rstrip() for line in out) + "\n"


def dump_xlsx(path: Path) -> str:
    """Each sheet's merged ranges, print setup and cell values, as text for a golden file."""
    wb = load_workbook(str(path))
    out: list[str] = []
    for ws in wb.worksheets:
        setup = ws.page_setup
        out.append(f"== {ws.title}")
        out.append("merged: " + ", ".join(sorted(str(r) for r in ws.merged_cells.ranges)))
        out.append(
            f"freeze {ws.freeze_panes}; {setup.orientation} paper {setup.paperSize}; "
            f"repeat {ws.print_title_rows}"
        )
        for row in ws.iter_rows(values_only=True):
            out.append(" | ".join("" if v is None else str(v) for v in row).rstrip(" |"))
    return "\n".join(out) + "\n"


# -- the 文件批办单 ----------------------------------------------------------------------------------


def test_slip_register_data(case: Case) -> None:
    """S-DOC-SLIP: the register data — 收文编号 is the record ID; joint handling marks the
    牵头科室 first (S-DOC-IN-3)."""
    slip = slip_data(Store(case.root), case.joint)
    assert slip.heading == "浏阳市机关后勤服务中心文件批办单"
    register = dict(pair for row in slip.register() for pair in row)
    assert register == {
        "收文编号": case.joint,
        "收文时间": "2026年11月2日 09:10",
        "来文机关": "长沙市机关事务管理局",
        "来文字号": "长机管发〔2026〕12号",
        "标题": "关于开展2026年度公共机构节能工作考核的通知",
        "类别": "交办性（批办件）",
        "密级": "",
        "份数": "2",
        "页数": "6",
        "紧急程度": "加急",
        "办复时限": "2026年11月20日",
        "承办科室": "物业管理科（牵头）、财务科",
    }
    assert slip.registrar == "王芳"
    assert slip.archive_code == "0194-WS·2026-D30-WYK-0001"


def test_slip_boxes_hold_proposal_decision_and_handling(case: Case) -> None:
    """S-DOC-IN-3 拟办 with the proposer's name and time, S-DOC-IN-4 批办, S-DOC-IN-5 承办 with
    course, result, handler and date, one line per department."""
    slip = slip_data(Store(case.root), case.joint)
    (p,) = slip.proposals
    assert (p.text, p.by, p.at.isoformat()) == (
        "拟请物业管理科牵头、财务科配合，于11月20日前报送自评材料。",
        "刘艳",
        "2026-11-02T10:30:00+08:00",
    )
    (d,) = slip.decisions
    assert (d.text, d.by, d.label) == ("同意。物业管理科牵头，按时报送。", "汤志强", "")
    assert [(h.department, h.by, h.at.date()) for h in slip.handled] == [
        ("财务科", "杨雪", date(2026, 11, 10)),
        ("物业管理科", "胡军", date(2026, 11, 18)),
    ]
    assert slip.handled[1].course == "汇总能耗数据，撰写自评报告。"
    assert slip.handled[1].result == "11月18日已报送市机关事务管理局。"
    assert not slip.circulates


def test_slip_html_puts_each_entry_in_its_box(case: Case, tmp_path: Path) -> None:
    """S-DOC-SLIP, S-DOC-IN-3/4/5: each opinion, name and date is printed in its own box."""
    path = render_slip_html(Store(case.root), case.joint, tmp_path)
    assert path == tmp_path / f"{case.joint}-slip.html"
    html = path.read_text(encoding="utf-8")
    assert "<h1>浏阳市机关后勤服务中心文件批办单</h1>" in html
    assert "@page { size: A4 portrait;" in html
    for value in (
        case.joint,
        "长沙市机关事务管理局",
        "长机管发〔2026〕12号",
        "加急",
        "2026年11月20日",
    ):
        assert value in html
    propose, decide, handle = (html_box(html, b) for b in ("拟办意见", "批办意见", "承办情况"))
    assert "于11月20日前报送自评材料" in propose and "拟办人：刘艳　2026年11月2日 10:30" in propose
    assert "同意。物业管理科牵头" in decide and "批办人：汤志强　2026年11月3日 08:45" in decide
    assert "汤志强" not in propose and "刘艳" not in decide and "刘艳" not in handle
    assert handle.index("财务科") < handle.index("物业管理科")
    assert "办理经过：汇总能耗数据，撰写自评报告。" in handle
    assert "办理结果：11月18日已报送市机关事务管理局。" in handle
    assert "承办人：胡军　2026年11月18日" in handle and "承办人：杨雪　2026年11月10日" in handle
    assert "传阅情况" not in html
    golden("slip-joint.html", normalised(html))


def test_slip_docx_puts_each_entry_in_its_box(case: Case, tmp_path: Path) -> None:
    """S-DOC-SLIP in Word: A4 portrait, a bordered table, 仿宋/黑体 set for Chinese text."""
    path = render_slip_docx(Store(case.root), case.joint, tmp_path)
    assert path == tmp_path / f"{case.joint}-slip.docx"
    rows = docx_rows(path)
    assert rows["收文编号"] == case.joint and rows["来文字号"] == "长机管发〔2026〕12号"
    assert rows["承办科室"] == "物业管理科（牵头）、财务科"
    assert rows["拟办意见"] == (
        "拟请物业管理科牵头、财务科配合，于11月20日前报送自评材料。 / "
        "拟办人：刘艳　2026年11月2日 10:30"
    )
    assert rows["批办意见"].endswith("批办人：汤志强　2026年11月3日 08:45")
    assert "物业管理科 / 办理经过：汇总能耗数据，撰写自评报告。" in rows["承办情况"]
    assert "承办人：胡军　2026年11月18日" in rows["承办情况"]
    doc = Document(str(path))
    section = doc.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert doc.paragraphs[0].text == "浏阳市机关后勤服务中心文件批办单"
    xml = doc.element.xml
    assert 'w:eastAsia="仿宋"' in xml and 'w:eastAsia="黑体"' in xml
    assert "<w:tblBorders>" in xml
    golden("slip-joint.docx.txt", dump_docx(path))


def test_send_back_is_shown_in_the_decision_box(case: Case, tmp_path: Path) -> None:
    """S-DOC-IN-4: a leader's send-back is a decision too; both 拟办 stay on the slip."""
    store = Store(case.root)
    slip = slip_data(store, case.sent_back)
    assert [p.by for p in slip.proposals] == ["王芳", "刘艳"]
    assert [(d.label, d.by) for d in slip.decisions] == [("退回重拟", "陈国华"), ("", "陈国华")]
    html = render_slip_html(store, case.sent_back, tmp_path).read_text(encoding="utf-8")
    decide = html_box(html, "批办意见")
    assert "【退回重拟】</span>机关食堂由事务二科管理，请重拟。" in decide
    assert decide.index("退回重拟") < decide.index("请事务二科月底前拿出措施")
    rows = docx_rows(render_slip_docx(store, case.sent_back, tmp_path))
    assert rows["批办意见"].startswith("【退回重拟】机关食堂由事务二科管理，请重拟。")


def test_circulation_box_lists_who_read_and_who_has_not(case: Case, tmp_path: Path) -> None:
    """S-DOC-SLIP for a 阅知 document: the 传阅 box says who read it when, and who has not."""
    store = Store(case.root)
    slip = slip_data(store, case.circulating)
    assert slip.circulates and slip.secrecy == "秘密"
    assert slip.circulation_lines() == [
        "送传阅：请各位领导阅示。（王芳　2026年11月20日 16:00）",
        "陈国华：已阅。请李主任安排落实。（2026年11月20日 17:00）",
        "李建国：已阅（2026年11月23日 08:50）",
        "未阅：汤志强",
    ]
    html = render_slip_html(store, case.circulating, tmp_path).read_text(encoding="utf-8")
    assert "未阅：汤志强" in html_box(html, "传阅情况")
    assert "类别</th><td>参阅性（阅知件）" in html
    golden("slip-circulating.html", normalised(html))
    rows = docx_rows(render_slip_docx(store, case.circulating, tmp_path))
    assert rows["传阅情况"].endswith("未阅：汤志强") and rows["密级"] == "秘密"


def test_empty_boxes_are_still_drawn(case: Case, tmp_path: Path) -> None:
    """S-DOC-SLIP: a document just registered prints a slip with empty boxes to write in."""
    store = Store(case.root)
    html = render_slip_html(store, case.fresh, tmp_path).read_text(encoding="utf-8")
    for label in ("拟办意见", "批办意见", "承办情况"):
        box = html_box(html, label)
        assert "拟办人" not in box and "批办人" not in box and "承办人" not in box
        assert re.search(r'<tr class="box" style="height: \d+mm">\s*$', html.split(box)[0])
    doc = Document(str(render_slip_docx(store, case.fresh, tmp_path)))
    rows = {_cell_text(r.cells[0]): r for r in doc.tables[0].rows}
    for label in ("拟办意见", "批办意见", "承办情况"):
        assert _cell_text(rows[label].cells[1]) == ""
        assert rows[label].height is not None and rows[label].height.mm >= 30


def test_markup_in_titles_and_opinions_prints_as_text(case: Case, tmp_path: Path) -> None:
    """Autoescaping: a title or opinion with HTML or Word markup must not become markup."""
    store = Store(case.root)
    html = render_slip_html(store, case.marked_up, tmp_path).read_text(encoding="utf-8")
    assert "<b>x</b>" not in html and "<script>" not in html and "<i>" not in html
    assert "关于&lt;b&gt;x&lt;/b&gt;与&lt;w:p&gt;标记&amp;amp;的测试函" in html
    assert "某单位 &amp; &lt;i&gt;办公室&lt;/i&gt;" in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;拟请办公室阅处。" in html
    rows = docx_rows(render_slip_docx(store, case.marked_up, tmp_path))
    assert rows["标题"] == "关于<b>x</b>与<w:p>标记&amp;的测试函"


def test_control_characters_are_dropped_from_word_and_excel_text() -> None:
    """.docx and .xlsx are XML, which cannot hold most control characters: drop them, not fail."""
    assert printable("关于\x0b节能\x01工作\n的通知") == "关于节能工作\n的通知"


def test_outgoing_record_has_no_slip(case: Case, tmp_path: Path) -> None:
    """S-DOC-SLIP: the 文件批办单 is for incoming documents; an outgoing one is refused (OA602)."""
    store = Store(case.root)
    attempts = (
        lambda: slip_data(store, case.outgoing),
        lambda: render_slip_html(store, case.outgoing, tmp_path),
        lambda: render_slip_docx(store, case.outgoing, tmp_path),
    )
    for attempt in attempts:
        with pytest.raises(OAError) as err:
            attempt()
        assert err.value.code == "OA602" and "收文" in err.value.message
    assert list(tmp_path.iterdir()) == []


def test_an_office_can_override_the_slip_template(case: Case, tmp_path: Path) -> None:
    """S-GEN-1: `templates/` in the records repository comes before the project's; undefined
    names in a template are errors, not blanks."""
    root = tmp_path / "records"
    shutil.copytree(case.root, root, ignore=shutil.ignore_patterns(".oa"))
    (root / "templates").mkdir()
    (root / "templates" / "slip.html.j2").write_text(
        "{{ slip.heading }}|{{ slip.title }}|{{ office.short_name }}", encoding="utf-8"
    )
    store = Store(root)
    html = render_slip_html(store, case.marked_up, tmp_path / "out").read_text(encoding="utf-8")
    assert (
        html
        == "浏阳市机关后勤服务中心文件批办单|关于&lt;b&gt;x&lt;/b&gt;与&lt;w:p&gt;标记&amp;amp;的测试函|浏后勤"
    )
    (root / "templates" / "broken.html.j2").write_text("{{ nope }}", encoding="utf-8")
    with pytest.raises(UndefinedError):
        render_html(store, "broken.html.j2")


# -- the 归档文件目录 --------------------------------------------------------------------------------


def test_catalog_rows_grouped_by_retention(case: Case) -> None:
    """S-DOC-IN-6: filed documents in 档号 order, one part per 保管期限 that has rows."""
    rows = catalog(Store(case.root), 2026)
    assert [(r.rid, r.code) for r in rows] == [
        (case.sent_back, "0194-WS·2026-Y-SWE-0001"),
        (case.single, "0194-WS·2026-D30-SWY-0001"),
        (case.joint, "0194-WS·2026-D30-WYK-0001"),
    ]
    assert [(p.label, [r.rid for r in p.rows]) for p in parts(rows)] == [
        ("永久", [case.sent_back]),
        ("定期30年", [case.single, case.joint]),
    ]


def test_catalog_xlsx(case: Case, tmp_path: Path) -> None:
    """S-DOC-IN-6, DA/T 22-2015: a sheet per 保管期限, 序号 restarting, dates as YYYYMMDD,
    a merged title, frozen header and A4 landscape printing."""
    path = render_catalog_xlsx(Store(case.root), 2026, tmp_path)
    assert path == tmp_path / "catalog-2026.xlsx"
    wb = load_workbook(str(path))
    assert wb.sheetnames == ["永久", "定期30年"]
    ws = wb["定期30年"]
    assert ws["A1"].value == "浏阳市机关后勤服务中心2026年度归档文件目录"
    assert "A1:I1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[3]] == [
        "序号",
        "档号",
        "文号",
        "责任者",
        "题名",
        "日期",
        "密级",
        "页数",
        "备注",
    ]
    assert ws["A3"].font.bold and ws["B4"].border.left.style == "thin"
    assert [c.value for c in ws[4]] == [
        1,
        "0194-WS·2026-D30-SWY-0001",
        "浏教函〔2026〕45号",
        "浏阳市教育局",
        "关于商借市民中心公共会议室的函",
        "20261106",
        None,
        2,
        "收文（商洽性）",
    ]
    assert ws["A5"].value == 2 and wb["永久"]["A4"].value == 1
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.column_dimensions["E"].width > ws.column_dimensions["A"].width
    golden("catalog-2026.xlsx.txt", dump_xlsx(path))


def test_catalog_docx(case: Case, tmp_path: Path) -> None:
    """S-DOC-IN-6: landscape A4, a section with a heading per 保管期限, the header row repeated."""
    path = render_catalog_docx(Store(case.root), 2026, tmp_path)
    assert path == tmp_path / "catalog-2026.docx"
    doc = Document(str(path))
    assert len(doc.sections) == 2 and len(doc.tables) == 2
    for s in doc.sections:
        assert s.page_width is not None and s.page_height is not None
        assert (round(s.page_width.mm), round(s.page_height.mm)) == (297, 210)
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts.count("浏阳市机关后勤服务中心2026年度归档文件目录") == 2
    assert "全宗号：0194　　年度：2026　　保管期限：定期30年" in texts
    thirty = doc.tables[1]
    assert thirty.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in thirty.rows[2].cells][:6] == [
        "2",
        "0194-WS·2026-D30-WYK-0001",
        "长机管发〔2026〕12号",
        "长沙市机关事务管理局",
        "关于开展2026年度公共机构节能工作考核的通知",
        "20261102",
    ]
    golden("catalog-2026.docx.txt", dump_docx(path))


def test_catalog_of_an_empty_year(case: Case, tmp_path: Path) -> None:
    """S-DOC-IN-6: a year with nothing filed still gives a catalog, saying so under the header."""
    store = Store(case.root)
    ws = load_workbook(str(render_catalog_xlsx(store, 2025, tmp_path))).active
    assert ws is not None and ws.title == "归档文件目录"
    assert ws["A3"].value == "序号" and ws["A4"].value == "本年度无归档文件"
    doc = Document(str(render_catalog_docx(store, 2025, tmp_path)))
    assert [_cell_text(c) for c in _unique_cells(doc.tables[0].rows[1])] == ["本年度无归档文件"]
    golden("catalog-2025.xlsx.txt", dump_xlsx(tmp_path / "catalog-2025.xlsx"))

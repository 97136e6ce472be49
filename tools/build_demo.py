"""Rebuild the demo office's outgoing documents in records/ by running every step through the real
engine (so every record is exactly what `oa` itself would write).

    python tools/build_demo.py

Steps are replayed in time order across all documents, so official numbers follow the dates they
were given on. Run it after a change to the outgoing model or workflow, then review the diff.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from oa.core.engine import advance, create  # noqa: E402
from oa.core.identity import Actor  # noqa: E402
from oa.core.registry import kinds  # noqa: E402
from oa.core.store import Store  # noqa: E402
from oa.core.workflow import Workflow  # noqa: E402

OFFICE = "wangfang"  # 办公室 文秘: review, numbering, proof check
ARCHIVIST = "zhaolei"
DIRECTOR = "chenguohua"

BODIES = {
    "工作要点": """各科室：

现将《浏阳市机关后勤服务中心2026年工作要点》印发给你们，请结合实际，认真抓好落实。

# 总体要求

坚持服务保障为本，围绕市委、市政府中心工作，推进机关后勤服务标准化、规范化、精细化。

# 重点工作

## 提升会务保障水平

全年保障市级重要会议不少于120场次，公共会议室预约、布置、服务、督查全流程规范运行。

## 加强机关食堂管理

严格落实食品安全主体责任，推行明厨亮灶，每季度开展一次满意度测评。

## 抓好安全生产

落实安全生产责任制，每月开展一次办公区消防安全检查。

# 工作要求

各科室要明确责任人和完成时限，每月25日前将落实情况报送办公室。
""",
    "消防": """各科室、物业服务企业：

为切实做好行政中心冬季消防安全工作，中心决定于12月开展办公区消防安全大检查。

# 检查范围

行政中心主楼、附楼、地下停车场、机关食堂及各公共会议室。

# 检查内容

1. 消防设施器材是否完好有效；
2. 疏散通道、安全出口是否畅通；
3. 电气线路、用电设备是否规范。

# 工作要求

各责任科室于12月15日前完成自查，安全保卫科汇总后报中心领导。
""",
    "供水": """浏阳市人民政府：

市政府大院供水管网铺设于2003年，管材老化锈蚀，近两年先后发生爆管4次，影响机关正常办公。

为保障机关用水安全，拟对大院供水主管网进行整体改造，经测算需经费86.5万元。

妥否，请批示。
""",
    "两会": """市人民代表大会常务委员会办公室：

2027年浏阳市“两会”拟于1月中旬召开。为做好会务保障，我中心商请贵办协助以下事项：

1. 提前提供会议日程、与会人数及座次安排；
2. 确定各代表团讨论会场，以便提前布置；
3. 指定一名联络员与中心事务一科对接。

特此函商，请予支持。
""",
}


@dataclass
class Doc:
    doc_kind: str
    title: str
    drafter: str
    start: datetime
    target: str
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    countersign: list[str] = field(default_factory=list)
    leader: str = "tangzhiqiang"
    returned_at: str | None = None
    body: str | None = None
    urgency: str | None = None
    attachment: str | None = None
    pending_countersign: bool = False


DOCS = [
    Doc(
        "浏后勤发",
        "关于印发《浏阳市机关后勤服务中心2025年工作要点》的通知",
        "xiaoting",
        datetime(2025, 2, 10, 9, 0),
        "archived",
        ["各科室"],
        countersign=["zhouhuimin", "lijianguo"],
    ),
    Doc(
        "浏后勤发",
        "关于调整中心安全生产工作领导小组成员的通知",
        "songtao",
        datetime(2025, 4, 7, 10, 0),
        "archived",
        ["各科室"],
        leader="lijianguo",
    ),
    Doc(
        "浏后勤字",
        "关于2025年上半年工作总结的报告",
        "xiaoting",
        datetime(2025, 7, 2, 9, 30),
        "archived",
        ["浏阳市人民政府办公室"],
    ),
    Doc(
        "浏后勤函",
        "关于商请协助做好行政中心绿化养护工作的函",
        "hujun",
        datetime(2025, 9, 15, 14, 0),
        "archived",
        ["浏阳市城市管理和综合执法局"],
        leader="lijianguo",
    ),
    Doc(
        "浏后勤会纪",
        "中心2025年第12次主任办公会议纪要",
        "liuyan",
        datetime(2025, 12, 22, 16, 0),
        "archived",
        ["中心领导", "各科室"],
    ),
    Doc(
        "浏后勤发",
        "关于印发《浏阳市机关后勤服务中心2026年工作要点》的通知",
        "xiaoting",
        datetime(2026, 1, 12, 9, 0),
        "archived",
        ["各科室"],
        countersign=["zhouhuimin", "lijianguo"],
        body="工作要点",
    ),
    Doc(
        "浏后勤发",
        "关于做好2026年春节期间值班工作的通知",
        "liuyan",
        datetime(2026, 2, 2, 10, 0),
        "archived",
        ["各科室"],
        urgency="加急",
    ),
    Doc(
        "浏后勤会纪",
        "中心2026年第1次主任办公会议纪要",
        "liuyan",
        datetime(2026, 1, 20, 15, 0),
        "archived",
        ["中心领导", "各科室"],
    ),
    Doc(
        "浏后勤字",
        "关于申请市政府大院供水管网改造经费的请示",
        "hujun",
        datetime(2026, 3, 9, 9, 0),
        "archived",
        ["浏阳市人民政府"],
        ["浏阳市财政局"],
        leader="lijianguo",
        returned_at="leader_sign",
        body="供水",
        attachment="供水管网改造经费测算表",
    ),
    Doc(
        "浏后勤函",
        "关于借用市民中心公共会议室的复函",
        "huangli",
        datetime(2026, 3, 23, 11, 0),
        "archived",
        ["浏阳市教育局"],
        leader="zhouhuimin",
    ),
    Doc(
        "浏后勤发",
        "关于印发《机关食堂食品安全管理办法》的通知",
        "dengming",
        datetime(2026, 4, 13, 9, 30),
        "archived",
        ["各科室", "机关食堂"],
        leader="zhouhuimin",
        returned_at="review",
    ),
    Doc(
        "浏后勤会纪",
        "中心安全生产工作专题会议纪要",
        "songtao",
        datetime(2026, 5, 18, 16, 30),
        "archived",
        ["中心领导", "各科室"],
        leader="lijianguo",
    ),
    Doc(
        "浏后勤字",
        "关于2026年上半年工作总结的报告",
        "xiaoting",
        datetime(2026, 7, 6, 9, 0),
        "archived",
        ["浏阳市人民政府办公室"],
    ),
    Doc(
        "浏后勤函",
        "关于商请供电公司检修行政中心配电设施的函",
        "hujun",
        datetime(2026, 8, 17, 10, 0),
        "archived",
        ["国网浏阳市供电公司"],
        leader="lijianguo",
    ),
    Doc(
        "浏后勤发",
        "关于2026年国庆节放假及值班安排的通知",
        "liuyan",
        datetime(2026, 9, 21, 9, 0),
        "archived",
        ["各科室"],
        urgency="加急",
    ),
    Doc(
        "浏后勤函",
        "关于征求机关食堂服务意见的函",
        "luoqing",
        datetime(2026, 10, 12, 9, 0),
        "filing",
        ["市直各单位"],
        leader="zhouhuimin",
    ),
    Doc(
        "浏后勤字",
        "关于市民中心会议室音响系统更新的请示",
        "pengwei",
        datetime(2026, 10, 26, 9, 0),
        "dispatch",
        ["浏阳市人民政府"],
        ["浏阳市财政局"],
        leader="zhouhuimin",
    ),
    Doc(
        "浏后勤会纪",
        "中心2026年第10次主任办公会议纪要",
        "liuyan",
        datetime(2026, 11, 2, 15, 0),
        "printing",
        ["中心领导", "各科室"],
    ),
    Doc(
        "浏后勤发",
        "关于开展行政中心办公区冬季消防安全大检查的通知",
        "songtao",
        datetime(2026, 11, 9, 9, 0),
        "proof_check",
        ["各科室", "物业服务企业"],
        leader="lijianguo",
        body="消防",
    ),
    Doc(
        "浏后勤函",
        "关于市行政中心停车场划线施工的复函",
        "caiyong",
        datetime(2026, 11, 16, 10, 0),
        "proof",
        ["浏阳市公安局交通警察大队"],
        leader="lijianguo",
    ),
    Doc(
        "浏后勤发",
        "关于做好2027年元旦期间值班工作的通知",
        "liuyan",
        datetime(2026, 11, 23, 9, 0),
        "numbering",
        ["各科室"],
    ),
    Doc(
        "浏后勤字",
        "关于机关公务用车定点维修服务采购的请示",
        "caiyong",
        datetime(2026, 11, 23, 14, 0),
        "director_sign",
        ["浏阳市财政局"],
        leader="lijianguo",
        returned_at="director_sign",
    ),
    Doc(
        "浏后勤函",
        "关于商请协助做好2027年市“两会”会务保障工作的函",
        "huangli",
        datetime(2026, 11, 24, 9, 30),
        "leader_sign",
        ["浏阳市人大常委会办公室", "浏阳市政协办公室"],
        countersign=["zhouhuimin", "lijianguo"],
        leader="zhouhuimin",
        body="两会",
        pending_countersign=True,
    ),
    Doc(
        "浏后勤发",
        "关于进一步规范公共会议室使用管理的通知",
        "pengwei",
        datetime(2026, 11, 25, 10, 0),
        "leader_sign",
        ["市直各单位"],
        leader="zhouhuimin",
    ),
    Doc(
        "浏后勤字",
        "关于2026年度机关后勤服务工作总结的报告",
        "xiaoting",
        datetime(2026, 11, 26, 9, 0),
        "review",
        ["浏阳市人民政府办公室"],
    ),
    Doc(
        "浏后勤函",
        "关于商请市自来水公司更换行政中心计量水表的函",
        "xiemei",
        datetime(2026, 11, 26, 15, 0),
        "review",
        ["浏阳市自来水有限公司"],
        leader="lijianguo",
    ),
    Doc(
        "浏后勤发",
        "关于做好机关办公区冬季节能降耗工作的通知",
        "hujun",
        datetime(2026, 11, 27, 10, 0),
        "draft",
        ["各科室"],
        leader="lijianguo",
    ),
    Doc(
        "浏后勤会纪",
        "中心2026年第11次主任办公会议纪要",
        "liuyan",
        datetime(2026, 11, 27, 16, 0),
        "draft",
        ["中心领导", "各科室"],
    ),
]


def _work_time(t: datetime, hours: float) -> datetime:
    """Move on by working hours, skipping nights and weekends (good enough for a demo)."""
    t = t + timedelta(hours=hours)
    while t.weekday() >= 5 or not (8 <= t.hour < 18):
        t = t + timedelta(hours=1)
        if t.hour >= 18 or t.hour < 8:
            t = t.replace(hour=8, minute=30) + (timedelta(days=1) if t.hour >= 18 else timedelta())
    return t


def _full_plan(doc: Doc) -> list[tuple[str, str, str | None, dict[str, object]]]:
    """(action, actor, opinion, sets) for the document's whole life, send-backs included."""
    steps: list[tuple[str, str, str | None, dict[str, object]]] = [
        ("submit", doc.drafter, None, {})
    ]
    if doc.returned_at == "review":
        steps.append(("return", OFFICE, "请补充食堂从业人员健康管理条款后再报。", {}))
        steps.append(("submit", doc.drafter, None, {}))
    steps.append(("review", OFFICE, "文字已核，同意报领导审签。", {}))
    steps += [("countersign", leader, "同意。", {}) for leader in doc.countersign]
    if doc.returned_at == "leader_sign":
        steps.append(("return", doc.leader, "测算依据不足，请补充近两年维修记录。", {}))
        steps.append(("submit", doc.drafter, None, {}))
        steps.append(("review", OFFICE, "已补充，同意报领导审签。", {}))
        steps += [("countersign", leader, "同意。", {}) for leader in doc.countersign]
    steps.append(("sign", doc.leader, "同意，报主任签发。", {}))
    if doc.returned_at == "director_sign":
        steps.append(("return", DIRECTOR, "请先征求财务科意见。", {}))
        steps.append(("submit", doc.drafter, None, {}))
        steps.append(("review", OFFICE, "已征求财务科意见，同意。", {}))
        steps += [("countersign", leader, "同意。", {}) for leader in doc.countersign]
        steps.append(("sign", doc.leader, "同意。", {}))
    steps += [
        ("issue", DIRECTOR, "同意印发。", {}),
        ("number", OFFICE, None, {}),
        ("print_proof", doc.drafter, None, {}),
        ("check_proof", OFFICE, "样稿无误。", {}),
        ("print", doc.drafter, None, {"copies": 30 if "各科室" in doc.to else 5}),
        ("dispatch", doc.drafter, None, {}),
        ("archive", ARCHIVIST, None, {}),
    ]
    return steps


def _plan(doc: Doc, wf: Workflow) -> list[tuple[datetime, str, str, str | None, dict[str, object]]]:
    """The steps that bring the document to its target state, timed in working hours: the whole
    life cut before the last step taken from the target (and, for a pending 会签, one fewer)."""
    steps = _full_plan(doc)
    state = wf.start
    cut = len(steps)
    for n, (action, *_rest) in enumerate(steps):
        if state == doc.target:
            cut = n
        state = wf.actions[action].to
    steps = steps[:cut]
    if doc.pending_countersign:
        last = max(n for n, s in enumerate(steps) if s[0] == "countersign")
        del steps[last]
    out = []
    t = doc.start
    for action, actor, opinion, sets in steps:
        t = _work_time(t, 2.5 if action in ("sign", "issue", "review") else 1.0)
        out.append((t, action, actor, opinion, sets))
    return out


def build(target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "office"
        shutil.copytree(target, work, ignore=shutil.ignore_patterns("outgoing", ".oa"))
        store = Store(work)
        outgoing = kinds()["outgoing"]
        events = []
        for n, doc in enumerate(sorted(DOCS, key=lambda d: d.start)):
            events.append((doc.start, n, "create", doc))
            for t, action, actor, opinion, sets in _plan(doc, store.workflow("outgoing")):
                events.append((t, n, action, (actor, opinion, sets)))
        ids: dict[int, str] = {}
        sources = Path(tmp) / "sources"
        sources.mkdir()
        for t, n, action, payload in sorted(events, key=lambda e: (e[0], e[1])):
            os.environ["OA_NOW"] = t.isoformat()
            if action == "create":
                doc = payload
                assert isinstance(doc, Doc)
                files = []
                body_field = {}
                if doc.body:
                    src = sources / f"{n}.md"
                    src.write_text(BODIES[doc.body], encoding="utf-8")
                    files.append((src, "正文.md"))
                    body_field["body"] = "正文.md"
                if doc.attachment:
                    src = sources / f"{n}-att.md"
                    src.write_text(
                        f"# {doc.attachment}\n\n（附件内容见纸质件）\n", encoding="utf-8"
                    )
                    files.append((src, "附件1.md"))
                    body_field["attachments"] = [{"title": doc.attachment, "file": "附件1.md"}]
                fields = {
                    "doc_kind": doc.doc_kind,
                    "title": doc.title,
                    "department": store.office.people[doc.drafter].department,
                    "drafter": doc.drafter,
                    "main_to": doc.to,
                    "cc": doc.cc,
                    "urgency": doc.urgency,
                    "countersigners": doc.countersign,
                }
                fields = {k: v for k, v in fields.items() if v not in (None, [])}
                change = create(
                    store, outgoing, fields, Actor(doc.drafter), files=files, file_fields=body_field
                )
                ids[n] = change.rid
            else:
                actor, opinion, sets = payload  # type: ignore[misc]
                advance(store, ids[n], action, Actor(actor), opinion=opinion, sets=sets)
        os.environ.pop("OA_NOW", None)
        shutil.rmtree(target / "outgoing", ignore_errors=True)
        shutil.copytree(work / "outgoing", target / "outgoing")
    print(f"{len(DOCS)} outgoing documents written to {target / 'outgoing'}")


if __name__ == "__main__":
    build(ROOT / "records")

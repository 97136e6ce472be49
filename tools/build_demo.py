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
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

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


@dataclass
class InDoc:
    """An incoming document: its register data and the steps it has gone through so far."""

    title: str
    sender: str
    number: str | None
    received: datetime
    category: str
    handling: str
    steps: list[tuple[str, str, str | None, dict[str, object], dict[str, object]]]
    copies: int = 1
    pages: int = 2
    secrecy: str | None = None
    urgency: str | None = None
    reply: str | None = None  # title of the outgoing 复文 that answers it


def _proposal(
    opinion: str, *deps: str, lead: str | None = None, due: date | None = None
) -> tuple[str, str, str, dict[str, object], dict[str, object]]:
    sets: dict[str, object] = {"departments": list(deps), "department": lead or deps[0]}
    if len(deps) > 1 or lead:
        sets["lead_department"] = lead or deps[0]
    elif deps:
        sets["lead_department"] = deps[0]
    if due:
        sets["reply_by"] = due
    return ("propose", "liuyan", opinion, sets, {})


def _decide(
    leader: str, opinion: str
) -> tuple[str, str, str, dict[str, object], dict[str, object]]:
    return ("decide", leader, opinion, {}, {})


def _handle(
    person: str, dep: str, course: str, result: str
) -> tuple[str, str, None, dict[str, object], dict[str, object]]:
    return ("handle", person, None, {}, {"department": dep, "course": course, "result": result})


_COMPLETE = ("complete", OFFICE, None, {}, {})
_FILE = ("archive", ARCHIVIST, None, {"retention": "D30"}, {})

IN_DOCS = [
    InDoc(
        "关于做好2025年国庆节期间值班工作的通知",
        "浏阳市人民政府办公室",
        "浏政办明电〔2025〕18号",
        datetime(2025, 9, 22, 10, 0),
        "交办性",
        "批办",
        [
            _proposal("拟请办公室牵头排定国庆值班表，报汤主任审定。", "BGS"),
            _decide("tangzhiqiang", "同意，请办公室抓紧落实。"),
            _handle(
                "liuyan", "BGS", "排定10月1日至8日值班表，报市政府总值班室。", "已报送，值班正常。"
            ),
            _COMPLETE,
            _FILE,
        ],
    ),
    InDoc(
        "关于做好2026年元旦春节期间安全生产工作的通知",
        "浏阳市人民政府办公室",
        "浏政办发〔2026〕3号",
        datetime(2026, 1, 5, 9, 20),
        "政策性",
        "批办",
        [
            _proposal("拟请安全保卫科牵头贯彻落实，开展节前安全检查。", "BWK"),
            _decide("lijianguo", "同意拟办意见。节前务必完成全面检查。"),
            _handle(
                "songtao",
                "BWK",
                "1月20日至23日对办公区、食堂、停车场开展安全检查，整改隐患7处。",
                "隐患已全部整改，检查情况已报市应急管理局。",
            ),
            _COMPLETE,
            ("archive", ARCHIVIST, None, {"retention": "D10"}, {}),
        ],
    ),
    InDoc(
        "关于开展2026年度公共机构节能工作考核的通知",
        "长沙市机关事务管理局",
        "长机管发〔2026〕12号",
        datetime(2026, 3, 2, 14, 0),
        "交办性",
        "批办",
        [
            _proposal(
                "拟请物业管理科牵头、财务科配合，于3月20日前报送自评材料。",
                "WYK",
                "CWK",
                lead="WYK",
                due=date(2026, 3, 20),
            ),
            _decide("lijianguo", "同意。物业管理科牵头，按时报送。"),
            _handle("yangxue", "CWK", "整理2025年度水电气费用台账。", "已提供物业管理科。"),
            _handle(
                "hujun", "WYK", "汇总能耗数据，撰写自评报告。", "3月18日已报送市机关事务管理局。"
            ),
            _COMPLETE,
            _FILE,
        ],
    ),
    InDoc(
        "关于商借市民中心公共会议室的函",
        "浏阳市教育局",
        "浏教函〔2026〕45号",
        datetime(2026, 3, 20, 15, 30),
        "商洽性",
        "批办",
        [
            _proposal("拟请事务一科于3月25日前办复。", "SWY", due=date(2026, 3, 25)),
            _decide("zhouhuimin", "同意，请事务一科复函。"),
            _handle(
                "huangli",
                "SWY",
                "核对3月30日会议室预约情况，拟复函同意借用。",
                "已以浏后勤函复函（见关于借用市民中心公共会议室的复函）。",
            ),
            _COMPLETE,
            _FILE,
        ],
        reply="关于借用市民中心公共会议室的复函",
    ),
    InDoc(
        "关于进一步加强机关食堂反食品浪费工作的通知",
        "湖南省机关事务管理局",
        "湘机管发〔2026〕9号",
        datetime(2026, 5, 11, 10, 0),
        "政策性",
        "批办",
        [
            _proposal("拟请事务二科贯彻落实，修订食堂管理制度。", "SWE"),
            _decide("zhouhuimin", "同意。结合食堂管理办法一并落实。"),
            _handle(
                "dengming", "SWE", "在机关食堂推行小份菜、半份菜，张贴节约标识。", "6月起全面实施。"
            ),
            _COMPLETE,
            ("archive", ARCHIVIST, None, {"retention": "Y"}, {}),
        ],
    ),
    InDoc(
        "关于编制2027年部门预算的通知",
        "浏阳市财政局",
        "浏财预〔2026〕21号",
        datetime(2026, 11, 16, 9, 0),
        "指导性",
        "批办",
        [
            _proposal(
                "拟请财务科牵头编制，各科室配合，于12月2日前报财政局。",
                "CWK",
                due=date(2026, 12, 2),
            ),
            _decide("tangzhiqiang", "同意。请财务科按时完成。"),
        ],
        copies=1,
        pages=8,
    ),
    InDoc(
        "关于申请增加会议服务人员的请示",
        "浏阳市行政中心物业服务中心",
        "行物服〔2026〕7号",
        datetime(2026, 11, 18, 10, 30),
        "呈请性",
        "批办",
        [
            _proposal(
                "拟请事务一科会同财务科研究，于12月4日前提出意见。",
                "SWY",
                "CWK",
                lead="SWY",
                due=date(2026, 12, 4),
            ),
            _decide("zhouhuimin", "同意拟办意见。"),
            _handle(
                "yangxue",
                "CWK",
                "测算增加2名会议服务人员年度费用约9.6万元。",
                "测算表已交事务一科。",
            ),
        ],
    ),
    InDoc(
        "关于行政中心停车难问题的来信",
        "群众张某某",
        None,
        datetime(2026, 11, 13, 16, 0),
        "人民来信",
        "批办",
        [
            _proposal(
                "拟请车辆管理科调查核实，于11月25日前答复来信人。", "CLK", due=date(2026, 11, 25)
            ),
            _decide("lijianguo", "同意。做好解释工作。"),
        ],
    ),
    InDoc(
        "关于商请在行政中心停车场施划停车泊位的函",
        "浏阳市公安局交通警察大队",
        "浏公交函〔2026〕31号",
        datetime(2026, 11, 12, 11, 0),
        "商洽性",
        "批办",
        [
            _proposal("拟请车辆管理科于12月3日前办复。", "CLK", due=date(2026, 12, 3)),
            _decide("lijianguo", "同意，请车辆管理科复函。"),
        ],
        reply="关于市行政中心停车场划线施工的复函",
    ),
    InDoc(
        "关于报送2026年度机关后勤服务工作总结的通知",
        "浏阳市人民政府办公室",
        "浏政办函〔2026〕88号",
        datetime(2026, 11, 24, 9, 30),
        "交办性",
        "批办",
        [_proposal("拟请办公室牵头起草，于12月10日前报送。", "BGS", due=date(2026, 12, 10))],
    ),
    InDoc(
        "关于开展冬季消防安全检查的通知",
        "浏阳市应急管理局",
        "浏应急发〔2026〕40号",
        datetime(2026, 11, 20, 15, 0),
        "指导性",
        "阅知",
        [
            (
                "circulate",
                OFFICE,
                "请各位领导阅示。",
                {"readers": ["chenguohua", "lijianguo", "tangzhiqiang"]},
                {},
            ),
            ("read", "chenguohua", "已阅。请李主任安排落实。", {}, {}),
        ],
    ),
    InDoc(
        "关于印发2027年市委常委会议事安排的通知",
        "中共浏阳市委办公室",
        "浏办发〔2026〕52号",
        datetime(2026, 11, 17, 10, 0),
        "参阅性",
        "阅知",
        [
            ("circulate", OFFICE, None, {"readers": ["chenguohua", "tangzhiqiang"]}, {}),
            ("read", "chenguohua", "已阅。", {}, {}),
            ("read", "tangzhiqiang", "已阅。", {}, {}),
            ("finish_reading", OFFICE, None, {}, {}),
        ],
        secrecy="秘密",
        pages=4,
    ),
    InDoc(
        "关于行政中心配电设施检修停电的函",
        "国网浏阳市供电公司",
        "浏供电函〔2026〕17号",
        datetime(2026, 11, 26, 14, 0),
        "询问性",
        "批办",
        [],
        urgency="加急",
    ),
    InDoc(
        "关于召开市第十八届人大常委会第三十次会议的通知",
        "浏阳市人大常委会办公室",
        None,
        datetime(2026, 11, 27, 9, 0),
        "会议通知",
        "阅知",
        [],
    ),
]


def _in_events(
    doc: InDoc,
) -> list[tuple[datetime, str, str, str | None, dict[str, object], dict[str, object]]]:
    out = []
    t = doc.received
    for action, actor, opinion, sets, values in doc.steps:
        t = _work_time(t, 3.0 if action in ("decide", "handle") else 1.0)
        out.append((t, action, actor, opinion, sets, values))
    return out


def _make_files(
    sources: Path, key: str, doc: Doc
) -> tuple[list[tuple[Path, str]], dict[str, object]]:
    files: list[tuple[Path, str]] = []
    fields: dict[str, object] = {}
    if doc.body:
        src = sources / f"{key}.md"
        src.write_text(BODIES[doc.body], encoding="utf-8")
        files.append((src, "正文.md"))
        fields["body"] = "正文.md"
    if doc.attachment:
        src = sources / f"{key}-att.md"
        src.write_text(f"# {doc.attachment}\n\n（附件内容见纸质件）\n", encoding="utf-8")
        files.append((src, "附件1.md"))
        fields["attachments"] = [{"title": doc.attachment, "file": "附件1.md"}]
    return files, fields


def build(target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "office"
        shutil.copytree(target, work, ignore=shutil.ignore_patterns("outgoing", "incoming", ".oa"))
        store = Store(work)
        replies = {d.reply: n for n, d in enumerate(IN_DOCS) if d.reply}
        # (time, tie-break, record key, what, payload)
        events: list[tuple[datetime, int, str, str, object]] = []
        for n, doc in enumerate(sorted(DOCS, key=lambda d: d.start)):
            events.append((doc.start, 1, f"out{n}", "create-out", doc))
            for t, action, actor, opinion, sets in _plan(doc, store.workflow("outgoing")):
                if action == "archive":
                    sets = {"retention": "Y" if doc.doc_kind == "浏后勤发" else "D30", "pages": 2}
                events.append((t, 1, f"out{n}", action, (actor, opinion, sets, {})))
        for n, indoc in enumerate(IN_DOCS):
            events.append((indoc.received, 0, f"in{n}", "create-in", indoc))
            for t, action, actor, opinion, sets, values in _in_events(indoc):
                events.append((t, 0, f"in{n}", action, (actor, opinion, sets, values)))
        ids: dict[str, str] = {}
        sources = Path(tmp) / "sources"
        sources.mkdir()
        for t, _, key, what, payload in sorted(events, key=lambda e: (e[0], e[1], e[2])):
            os.environ["OA_NOW"] = t.isoformat()
            if what == "create-out":
                assert isinstance(payload, Doc)
                files, file_fields = _make_files(sources, key, payload)
                fields = {
                    "doc_kind": payload.doc_kind,
                    "title": payload.title,
                    "department": store.office.people[payload.drafter].department,
                    "drafter": payload.drafter,
                    "main_to": payload.to,
                    "cc": payload.cc,
                    "urgency": payload.urgency,
                    "countersigners": payload.countersign,
                    "reply_to": ids.get(f"in{replies[payload.title]}")
                    if payload.title in replies
                    else None,
                }
                fields = {k: v for k, v in fields.items() if v not in (None, [])}
                change = create(
                    store,
                    kinds()["outgoing"],
                    fields,
                    Actor(payload.drafter),
                    files=files,
                    file_fields=file_fields,
                )
                ids[key] = change.rid
            elif what == "create-in":
                assert isinstance(payload, InDoc)
                fields = {
                    "title": payload.title,
                    "sender": payload.sender,
                    "sender_number": payload.number,
                    "received": t.replace(tzinfo=ZoneInfo("Asia/Shanghai")),
                    "category": payload.category,
                    "handling": payload.handling,
                    "copies": payload.copies,
                    "pages": payload.pages,
                    "department": "BGS",
                    "registrar": OFFICE,
                    "secrecy": payload.secrecy,
                    "urgency": payload.urgency,
                }
                fields = {k: v for k, v in fields.items() if v is not None}
                ids[key] = create(store, kinds()["incoming"], fields, Actor(OFFICE)).rid
            else:
                actor, opinion, sets, values = payload  # type: ignore[misc]
                advance(
                    store,
                    ids[key],
                    what,
                    Actor(actor),
                    opinion=opinion,
                    sets=sets,
                    entry_values=values,
                )
        os.environ.pop("OA_NOW", None)
        for kind in ("outgoing", "incoming"):
            shutil.rmtree(target / kind, ignore_errors=True)
            shutil.copytree(work / kind, target / kind)
    print(f"{len(DOCS)} outgoing and {len(IN_DOCS)} incoming documents written to {target}")


if __name__ == "__main__":
    build(ROOT / "records")

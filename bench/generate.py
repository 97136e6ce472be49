"""Generate a realistic synthetic office for benchmarks: N records over ten years and a git history.

    python bench/generate.py OUT_DIR --records N [--commits C] [--seed S] [--today YYYY-MM-DD] [--plain]

The office is the demo office's configuration (records/oa.yaml, workflows/, schema/, .gitignore)
with N records, about 70% outgoing (发文) and 30% incoming (收文), spread over 2017 to `--today`.
Every record follows the default workflows step by step — the right roles, states in order, times
increasing — and most are archived with a 档号 whose 件号 run without gaps and a fingerprint from
`oa.core.archive.fingerprint`; the most recent ones are still open, in every state. 发文字号 run
1..n per 代字 and year. Some 复函 answer incoming letters (`reply_to`), some incoming documents carry
a 办复时限 (`reply_by`), some were entered by a clerk for a leader (`entered_by`).

Record files are written as text, exactly as ruamel.yaml (oa's writer) lays them out; oa's engine is
not called per record. The git history is built with `git fast-import`: an `oa init` commit, one
import commit (`OA-Import: synthetic`) with every record as it stood before the last C steps, then
C commits of one step each — `ID: action (name)` with OA-Record/OA-Action/OA-Actor trailers,
authored by the actor (or by the clerk with OA-On-Behalf), dated when the step was taken — as
`oa advance` and `oa doc new` make them.

A summary (counts, generation time, IDs the benchmark uses) goes to OUT_DIR/.oa-bench.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import IO, Any

import yaml

PROJECT = Path(__file__).resolve().parents[1]
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from oa.core.archive import fingerprint, format_code  # noqa: E402
from oa.core.config import Office, load_office  # noqa: E402
from oa.core.effects import field_order  # noqa: E402
from oa.core.registry import kinds  # noqa: E402

DEMO = PROJECT / "records"
META_FILE = ".oa-bench.json"
TZ = timezone(timedelta(hours=8))
MODELINE = "# yaml-language-server: $schema=../../schema/{kind}.schema.json"

#: the working day, 08:30–17:30, in minutes; times are "work minutes" since the first workday
DAY_START = 8 * 60 + 30
WORK = 9 * 60

# -- text pools ----------------------------------------------------------------------------------

TOPICS = [
    "办公区消防安全检查", "公共会议室使用管理", "机关食堂食品安全管理", "公务用车使用管理",
    "办公用房调整", "节能降耗", "生活垃圾分类", "安全生产月活动", "汛期安全防范", "冬季防冻保暖",
    "夏季防暑降温", "办公设备集中采购", "物业服务质量考核", "办公区绿化养护", "电梯维护保养",
    "配电设施检修", "供水管网维修", "停车场秩序管理", "来访人员登记管理", "门禁系统升级",
    "视频监控系统改造", "干部职工健康体检", "节假日值班", "保密工作", "文书档案整理归档",
    "固定资产清查", "政府采购内部控制", "部门预算编制", "财务内部控制", "公务接待管理",
    "重要会议服务保障", "文明单位创建", "爱国卫生运动", "无障碍设施改造", "新能源汽车充电桩建设",
    "网络安全", "党风廉政建设", "机关作风建设", "保洁服务", "食堂服务满意度测评",
    "办公家具维修", "中央空调系统维护", "屋面防水维修", "污水管网疏通", "消防设施维护保养",
    "安全隐患排查整治", "反食品浪费", "节约型机关创建", "公共机构节能", "应急预案演练",
    "机关事务标准化建设", "办公区环境卫生整治", "电动自行车停放充电管理", "档案数字化",
]  # fmt: skip
PLANS = ["管理办法", "实施方案", "工作方案", "考核细则", "应急预案", "操作规程", "工作制度"]
VERBS = ["做好", "加强", "进一步加强", "开展", "进一步规范", "认真做好", "切实做好"]
HOLIDAYS = ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]
GROUPS = ["安全生产工作领导小组", "节能工作领导小组", "保密工作领导小组", "食品安全工作领导小组"]
PROJECTS = [
    "市政府大院供水管网改造", "行政中心屋面防水维修", "机关食堂厨房设备更新", "公共会议室音响系统更新",
    "办公区视频监控系统改造", "中央空调主机更换", "行政中心外墙修缮", "地下停车场照明节能改造",
    "消防控制室设备更新", "电梯加装能耗监测装置", "公务用车更新购置", "档案室密集架购置",
]  # fmt: skip
PERIODS = ["上半年", "第一季度", "第三季度", "年度", "前三季度"]
UPWARD = ["浏阳市人民政府", "浏阳市人民政府办公室", "浏阳市财政局", "长沙市机关事务管理局"]
DOWNWARD = ["各科室", "市直各单位", "物业服务企业", "机关食堂", "中心领导"]
AGENCIES = [
    "浏阳市教育局", "浏阳市公安局交通警察大队", "国网浏阳市供电公司", "浏阳市自来水有限公司",
    "浏阳市人大常委会办公室", "浏阳市政协办公室", "浏阳市城市管理和综合执法局",
    "浏阳市住房和城乡建设局", "浏阳市消防救援大队", "浏阳市市场监督管理局", "浏阳市卫生健康局",
]  # fmt: skip
HELPS = ["做好会务保障工作", "检修行政中心配电设施", "更换计量水表", "开展消防安全检查",
         "做好停车场秩序维护", "协调解决办公用房问题"]  # fmt: skip

#: 来文机关 and their 代字, by where documents come from
HIGHER = {
    "浏阳市人民政府办公室": ["浏政办发", "浏政办函", "浏政办明电"],
    "中共浏阳市委办公室": ["浏办发", "浏办函"],
    "长沙市机关事务管理局": ["长机管发", "长机管函"],
    "湖南省机关事务管理局": ["湘机管发"],
    "浏阳市财政局": ["浏财预", "浏财行"],
    "浏阳市应急管理局": ["浏应急发"],
    "浏阳市发展和改革局": ["浏发改"],
    "浏阳市机关工委": ["浏机工"],
}
LOWER = {"浏阳市行政中心物业服务中心": ["行物服"], "机关食堂": ["机食"]}
PARALLEL = {
    "浏阳市教育局": ["浏教函"],
    "浏阳市公安局交通警察大队": ["浏公交函"],
    "国网浏阳市供电公司": ["浏供电函"],
    "浏阳市自来水有限公司": ["浏自水函"],
    "浏阳市人大常委会办公室": ["浏人大办函"],
    "浏阳市政协办公室": ["浏政协办函"],
    "浏阳市城市管理和综合执法局": ["浏城管函"],
}
MEETINGS = ["市第十八届人大常委会会议", "全市安全生产工作会议", "全市机关事务工作会议",
            "全市保密工作会议", "市政府常务会议", "全市节能宣传周启动仪式"]  # fmt: skip
PUBLICATIONS = ["机关事务工作简报", "浏阳政务", "公共机构节能动态", "保密工作通讯"]
ISSUES = ["行政中心停车难", "食堂饭菜价格", "办公区噪声扰民", "电动车充电安全", "来访登记不便"]
PLACES = ["市民中心公共会议室", "行政中心多功能厅", "机关食堂二楼餐厅", "行政中心一号会议室"]
SURNAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗"

REVIEW_OK = ["文字已核，同意报领导审签。", "已核，格式规范，请领导审签。", "文字、格式已核，同意。",
             "已核稿，请领导审签。", "经核，文种使用正确，引文准确，同意报审。"]  # fmt: skip
SIGN_OK = ["同意，报主任签发。", "同意。", "拟同意，请陈主任审定。", "同意，请主任签发。",
           "同意，请抓紧办理。"]  # fmt: skip
ISSUE_OK = ["同意印发。", "同意。", "同意，按程序办理。", "同意印发，请各科室认真落实。"]
COUNTERSIGN_OK = ["同意。", "会签同意。", "同意，请按程序报签。", "无意见，同意。"]
FIXES = ["请补充相关政策依据后再报。", "请进一步核实数据后再报。", "文字较长，请精简后再报。",
         "请征求财务科意见后再报。", "测算依据不足，请补充近两年维修记录。",
         "请补充从业人员健康管理条款后再报。", "主送机关有误，请修改。"]  # fmt: skip
PROOF_OK = ["样稿无误。", "样稿已复核，无误。", "已核对，同意印制。"]
PROOF_FIX = [
    "样稿第2页有错字，请修改。",
    "版头格式不规范，请按国家标准调整。",
    "页码有误，请修改。",
]
READ_OK = ["已阅。", "已阅。", "已阅，请相关科室抓紧落实。", "阅。", "已阅，请办公室跟踪。"]
DECIDE_OK = ["同意拟办意见。", "同意，请{dep}抓紧落实。", "同意。请{dep}按时办结。",
             "同意拟办意见，请{dep}认真研究办理。"]  # fmt: skip
RETURN_PROPOSAL = [
    "请明确牵头科室后再报。",
    "请先征求相关科室意见后重拟。",
    "拟办意见不够具体，请重拟。",
]
COURSES = [
    "按要求组织开展{topic}工作，形成书面材料。",
    "{m}月{d}日召开专题会议研究部署，明确责任人和完成时限。",
    "对照文件要求逐项自查，发现并整改问题{k}个。",
    "会同相关科室实地查看，提出处理意见。",
    "整理相关台账资料，按格式填报有关表格。",
    "核实有关情况，拟写答复意见报分管领导审定。",
]
RESULTS = ["已按时报送。", "已办结，情况已报分管领导。", "整改完毕，已向来文单位反馈。",
           "已复函。", "已电话答复，对方表示满意。", "相关材料已提供牵头科室。",
           "已报送，获来文单位确认。"]  # fmt: skip


# -- the office ----------------------------------------------------------------------------------


class People:
    """Who may do what, read from oa.yaml: so the records follow the office as configured."""

    def __init__(self, office: Office) -> None:
        self.office = office
        by_role: dict[str, list[str]] = defaultdict(list)
        for pid, p in office.people.items():
            for role in p.roles:
                by_role[role].append(pid)
        self.clerks = by_role["办公室"]  # 办公室: review, numbering, proof check, archive
        self.leaders = by_role["主管领导"]
        self.director = by_role["主任"][0]
        self.drafters: dict[str, list[str]] = defaultdict(list)
        for pid in by_role["拟稿人"]:
            self.drafters[office.people[pid].department].append(pid)
        self.departments = [d for d in office.departments if self.drafters.get(d)]
        self.leader_of = {
            d: (dep.leader if dep.leader in self.leaders else self.leaders[0])
            for d, dep in office.departments.items()
        }
        # the office's habits: who usually registers, proposes, reviews and files
        self.registrar = self.clerks[1] if len(self.clerks) > 1 else self.clerks[0]
        self.head_clerk = self.clerks[0]
        self.archivist = self.clerks[-1]
        self.fonds = office.office.fonds or "0001"
        doc_kinds = office.kinds.get("outgoing", {}).get("doc_kinds", {})
        self.doc_kinds: dict[str, str] = {}  # 代字 → 发/字/函/会纪
        for code in doc_kinds:
            for suffix in ("会纪", "发", "字", "函"):
                if code.endswith(suffix):
                    self.doc_kinds[code] = suffix
                    break
        self.retention = {
            code: (v.get("retention") or "D30")
            for code, v in doc_kinds.items()
            if isinstance(v, dict)
        }


class Calendar:
    """Workdays (chinese-calendar where it knows the year, Monday to Friday beyond)."""

    def __init__(self, first: date, last: date) -> None:
        import chinese_calendar

        self.days: list[date] = []
        day = first
        while day <= last:
            try:
                work = bool(chinese_calendar.is_workday(day))
            except NotImplementedError:
                work = day.weekday() < 5
            if work:
                self.days.append(day)
            day += timedelta(days=1)
        self.index = {d: i for i, d in enumerate(self.days)}
        self._dt: dict[int, datetime] = {}

    def at(self, t: int) -> datetime:
        """A work-minute time as a local datetime."""
        found = self._dt.get(t)
        if found is None:
            d, m = divmod(t, WORK)
            day = self.days[d]
            m += DAY_START
            found = datetime(day.year, day.month, day.day, m // 60, m % 60, tzinfo=TZ)
            self._dt[t] = found
        return found

    def day(self, t: int) -> date:
        return self.days[t // WORK]

    def workday_on_or_after(self, day: date) -> int:
        while day not in self.index:
            day += timedelta(days=1)
        return self.index[day]


# -- records -------------------------------------------------------------------------------------


@dataclass
class Entry:
    t: int
    by: str
    action: str
    frm: str | None
    to: str
    opinion: str | None = None
    entered_by: str | None = None
    extras: list[tuple[str, Any]] = field(default_factory=list)


@dataclass
class Rec:
    kind: str
    t0: int
    fields: dict[str, Any]
    entries: list[Entry]
    rid: str = ""
    year: int = 0
    files: dict[str, str] = field(default_factory=dict)
    title_fn: Any = None


#: record fields that appear only once a step has been taken (as `--set` on that step)
SET_BY = {
    "outgoing": {
        "copies": "print",
        "doc_number": "number",
        "retention": "archive",
        "pages": "archive",
        "archive": "archive",
    },
    "incoming": {
        "departments": "propose",
        "lead_department": "propose",
        "implementers": "propose",
        "reply_by": "propose",
        "readers": "circulate",
        "retention": "archive",
        "archive": "archive",
    },
}


class Flow:
    """Builds a record's history through its workflow file: each step's `from` is where the
    record is, its `to` is what the workflow says, and the step must be allowed there."""

    def __init__(self, wf: dict[str, Any], rng: random.Random, cal: Calendar) -> None:
        self.wf = wf
        self.rng = rng
        self.cal = cal
        self.entries: list[Entry] = []
        self.state: str | None = None
        self.t = 0

    def wait(self, lo: int, hi: int) -> None:
        """Minutes of work between two steps (multiples of 5)."""
        self.t += 5 * self.rng.randint(lo // 5, hi // 5)

    def wait_days(self, lo: int, hi: int) -> None:
        self.t += WORK * self.rng.randint(lo, hi) + 5 * self.rng.randint(0, 12)

    def start(self, t: int, by: str) -> None:
        self.t = t
        self.state = str(self.wf["start"])
        self.entries.append(Entry(t, by, "create", None, self.state))

    def step(
        self,
        action: str,
        by: str,
        opinion: str | None = None,
        extras: list[tuple[str, Any]] | None = None,
        entered_by: str | None = None,
    ) -> Entry:
        spec = self.wf["actions"][action]
        assert self.state in spec["from"], f"{action} not allowed from {self.state}"
        self.wait(30, 150)
        entry = Entry(self.t, by, action, self.state, str(spec["to"]), opinion, entered_by)
        entry.extras = extras or []
        self.entries.append(entry)
        self.state = entry.to
        return entry


class Generator:
    def __init__(self, n: int, seed: int, today: date, first_year: int) -> None:
        self.n = n
        self.rng = random.Random(seed)
        self.today = today
        self.first_year = first_year
        self.office = load_office(DEMO)
        self.people = People(self.office)
        self.cal = Calendar(date(first_year, 1, 1), today + timedelta(days=400))
        self.now = (self.cal.workday_on_or_after(today) + 1) * WORK - 1  # end of `today`
        self.wfs = {
            k: yaml.safe_load((DEMO / "workflows" / f"{k}.yaml").read_text(encoding="utf-8"))
            for k in ("outgoing", "incoming")
        }
        self.order = {name: field_order(k.model) for name, k in kinds().items()}
        self.records: list[Rec] = []

    # -- helpers -------------------------------------------------------------------------------

    def pick(self, seq: list[Any]) -> Any:
        return seq[self.rng.randrange(len(seq))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def random_time(self) -> int:
        start = 2 * WORK  # the first workdays of the first year are quiet
        return 5 * (self.rng.randint(start, self.now - 3 * 60) // 5)

    def on_behalf(self) -> str | None:
        """A leader's step given orally and entered by the clerk (S-GEN-2), now and then."""
        return self.people.registrar if self.chance(0.02) else None

    def year_of(self, t: int) -> int:
        return self.cal.day(t).year

    # -- outgoing ------------------------------------------------------------------------------

    def outgoing(
        self, t0: int, *, reply: tuple[str, str, Rec] | None = None, department: str | None = None
    ) -> Rec:
        ppl = self.people
        rng = self.rng
        codes = list(ppl.doc_kinds)
        weights = {"发": 30, "字": 20, "函": 35, "会纪": 15}
        code = (
            next(c for c in codes if ppl.doc_kinds[c] == "函")
            if reply
            else rng.choices(codes, [weights[ppl.doc_kinds[c]] for c in codes])[0]
        )
        sort = ppl.doc_kinds[code]
        dep = department or (
            "BGS" if sort == "会纪" and "BGS" in ppl.drafters else self.pick(ppl.departments)
        )
        drafter = self.pick(ppl.drafters[dep])
        leader = ppl.leader_of[dep]
        others = [p for p in ppl.leaders if p != leader]
        countersigners = (
            rng.sample(others, rng.randint(1, len(others))) if others and self.chance(0.18) else []
        )
        year = self.year_of(t0)
        fields: dict[str, Any] = {"doc_kind": code, "department": dep, "drafter": drafter}
        title_fn = None
        if sort == "发":
            fields["main_to"] = rng.sample(DOWNWARD[:4], rng.randint(1, 2))
            copies = rng.choice([20, 25, 30, 40, 50])
            kind_title = rng.random()
            topic = self.pick(TOPICS)
            if kind_title < 0.45:
                title = f"关于{self.pick(VERBS)}{topic}工作的通知"
            elif kind_title < 0.75:
                title = f"关于印发《{topic}{self.pick(PLANS)}》的通知"
            elif kind_title < 0.9:
                title = f"关于做好{year}年{self.pick(HOLIDAYS)}期间值班工作的通知"
            else:
                title = f"关于调整中心{self.pick(GROUPS)}成员的通知"
        elif sort == "字":
            fields["main_to"] = [self.pick(UPWARD)]
            if self.chance(0.3):
                fields["cc"] = ["浏阳市财政局"]
            copies = rng.randint(3, 8)
            r = rng.random()
            if r < 0.45:
                title = f"关于申请{self.pick(PROJECTS)}经费的请示"
            elif r < 0.7:
                title = f"关于{year}年{self.pick(PERIODS)}工作总结的报告"
            else:
                title = f"关于{self.pick(TOPICS)}工作情况的报告"
        elif sort == "函":
            copies = rng.randint(2, 6)
            if reply:
                sender, topic, _ = reply
                fields["main_to"] = [sender]
                title = f"关于{topic}的复函"
            else:
                agency = self.pick(AGENCIES)
                fields["main_to"] = [agency]
                if self.chance(0.6):
                    title = f"关于商请{agency.removeprefix('浏阳市')}协助{self.pick(HELPS)}的函"
                else:
                    title = f"关于{self.pick(TOPICS)}有关事项的函"
        else:  # 会议纪要
            fields["main_to"] = ["中心领导", "各科室"]
            copies = rng.choice([20, 30])
            if self.chance(0.6):
                title = ""  # 中心YYYY年第N次主任办公会议纪要, numbered once IDs are known
                title_fn = "meeting"
            else:
                title = f"中心{self.pick(TOPICS)}专题会议纪要"
        fields["title"] = title
        if countersigners:
            fields["countersigners"] = countersigners
        fields["copies"] = copies
        if reply:
            fields["reply_to"] = reply[2]
        if self.chance(0.01):
            fields["secrecy"] = "秘密"
        elif self.chance(0.08):
            fields["urgency"] = "特急" if self.chance(0.15) else "加急"
        files: dict[str, str] = {}
        if "secrecy" not in fields and self.chance(0.15):
            fields["body"] = "正文.md"
            files["正文.md"] = self.body(
                title or f"中心{year}年主任办公会议纪要", fields["main_to"]
            )
            if self.chance(0.3):
                n_att = rng.randint(1, 2)
                fields["attachments"] = [
                    {"title": f"{self.pick(TOPICS)}情况统计表", "file": f"附件{i}.md"}
                    for i in range(1, n_att + 1)
                ]
                for i in range(1, n_att + 1):
                    files[f"附件{i}.md"] = self.attachment()
        fields["retention"] = ppl.retention.get(code, "D30")
        fields["pages"] = rng.choice([1, 2, 2, 2, 3, 4, 6])

        office = [c for c in ppl.clerks if c != drafter] or ppl.clerks
        usual = ppl.registrar if ppl.registrar != drafter else office[0]
        reviewer = usual if self.chance(0.8) else self.pick(office)
        f = Flow(self.wfs["outgoing"], rng, self.cal)
        f.start(t0, drafter)
        sent_back = 0
        while True:
            f.wait(30, 90)
            f.step("submit", drafter)
            if sent_back < 2 and self.chance(0.06):
                f.step("return", reviewer, self.pick(FIXES))
                sent_back += 1
                f.wait(30, 600)
                continue
            f.step("review", reviewer, self.pick(REVIEW_OK))
            if self.chance(0.05):
                f.wait_days(1, 6)  # the leader is away
            for cs in countersigners:
                f.step("countersign", cs, self.pick(COUNTERSIGN_OK), entered_by=self.on_behalf())
            if sent_back < 2 and self.chance(0.04):
                f.step("return", leader, self.pick(FIXES))
                sent_back += 1
                f.wait(30, 600)
                continue
            f.step("sign", leader, self.pick(SIGN_OK), entered_by=self.on_behalf())
            if sent_back < 2 and self.chance(0.02):
                f.step("return", ppl.director, self.pick(FIXES))
                sent_back += 1
                f.wait(30, 600)
                continue
            f.step("issue", ppl.director, self.pick(ISSUE_OK), entered_by=self.on_behalf())
            break
        numberer = usual if self.chance(0.85) else self.pick(office)
        f.step("number", numberer, extras=[("number", None)])
        f.step("print_proof", drafter)
        if self.chance(0.04):
            f.step("reject_proof", reviewer, self.pick(PROOF_FIX))
            f.step("print_proof", drafter)
        f.step("check_proof", reviewer, self.pick(PROOF_OK))
        f.step("print", drafter)
        f.step("dispatch", drafter)
        if self.chance(0.04):
            f.wait_days(2, 15)  # filed with the next batch
        archivist = ppl.archivist if self.chance(0.9) else self.pick(ppl.clerks)
        f.step("archive", archivist, extras=[("archive_code", None)])
        rec = Rec("outgoing", t0, fields, f.entries, files=files, title_fn=title_fn)
        return rec

    def body(self, title: str, to: list[str]) -> str:
        rng = self.rng
        paras = [f"{'、'.join(to)}：", ""]
        paras.append(f"为{self.pick(VERBS)}{self.pick(TOPICS)}工作，现就有关事项通知如下。")
        for i in range(rng.randint(2, 4)):
            paras += ["", f"# {'一二三四'[i]}、{self.pick(TOPICS)}", ""]
            paras.append(
                f"各科室要高度重视，明确责任人和完成时限，于{rng.randint(1, 12)}月"
                f"{rng.randint(1, 28)}日前将落实情况报送办公室。"
            )
        paras += ["", f"（{title}）", ""]
        return "\n".join(paras)

    def attachment(self) -> str:
        rows = ["| 序号 | 项目 | 金额（万元） |", "| --- | --- | --- |"]
        for i in range(1, self.rng.randint(3, 8)):
            rows.append(f"| {i} | {self.pick(PROJECTS)} | {self.rng.randint(1, 900) / 10} |")
        return "\n".join(rows) + "\n"

    # -- incoming ------------------------------------------------------------------------------

    def incoming(self, t0: int) -> tuple[Rec, tuple[int, str, str, Rec] | None]:
        ppl = self.people
        rng = self.rng
        year = self.year_of(t0)
        category = rng.choices(
            ["政策性", "指导性", "交办性", "参阅性", "呈请性", "商洽性", "询问性",
             "会议通知", "会议文件", "刊物资料", "价值文献", "人民来信"],
            [12, 14, 18, 10, 6, 9, 5, 12, 3, 5, 1, 5],
        )[0]  # fmt: skip
        number_fmt = "{abbr}〔{year}〕{n}号"
        sender_number: str | None
        if category in ("政策性", "指导性", "交办性", "参阅性", "会议通知", "会议文件"):
            sender = self.pick(list(HIGHER))
            sender_number = number_fmt.format(
                abbr=self.pick(HIGHER[sender]), year=year, n=rng.randint(1, 180)
            )
        elif category == "呈请性":
            sender = self.pick(list(LOWER))
            sender_number = number_fmt.format(
                abbr=self.pick(LOWER[sender]), year=year, n=rng.randint(1, 40)
            )
        elif category in ("商洽性", "询问性"):
            sender = self.pick(list(PARALLEL))
            sender_number = number_fmt.format(
                abbr=self.pick(PARALLEL[sender]), year=year, n=rng.randint(1, 120)
            )
        elif category == "人民来信":
            sender = f"群众{self.pick(list(SURNAMES))}某某"
            sender_number = None
        else:
            sender = self.pick(list(HIGHER))
            sender_number = None
        if category == "会议通知" and self.chance(0.4):
            sender_number = None
        topic = self.pick(TOPICS)
        if category in ("政策性", "指导性", "交办性"):
            r = rng.random()
            if r < 0.4:
                title = f"关于{self.pick(VERBS)}{topic}工作的通知"
            elif r < 0.7:
                title = f"关于开展{year}年度{topic}工作考核的通知"
            else:
                title = f"关于报送{year}年{topic}情况的通知"
        elif category == "参阅性":
            title = f"关于印发《{topic}{self.pick(PLANS)}》的通知"
        elif category == "呈请性":
            topic = f"{self.pick(PROJECTS)}经费"
            title = f"关于申请{topic}的请示"
        elif category == "商洽性":
            topic = f"商借{self.pick(PLACES)}"
            title = f"关于{topic}的函"
        elif category == "询问性":
            title = f"关于{topic}有关情况的询问函"
        elif category == "会议通知":
            title = f"关于召开{self.pick(MEETINGS)}的通知"
        elif category == "会议文件":
            title = f"{self.pick(MEETINGS)}会议材料"
        elif category == "刊物资料":
            title = f"《{self.pick(PUBLICATIONS)}》{year}年第{rng.randint(1, 24)}期"
        elif category == "价值文献":
            title = f"{year}年{topic}文件汇编"
        else:
            topic = self.pick(ISSUES)
            title = f"关于{topic}问题的来信"
        reading = category in ("参阅性", "会议文件", "刊物资料", "价值文献") or (
            category == "会议通知" and self.chance(0.7)
        )
        registrar = ppl.registrar if self.chance(0.8) else self.pick(ppl.clerks)
        fields: dict[str, Any] = {
            "title": title,
            "sender": sender,
            "sender_number": sender_number,
            "received": self.cal.at(t0),
            "category": category,
            "handling": "阅知" if reading else "批办",
            "copies": 1 if self.chance(0.9) else rng.randint(2, 5),
            "registrar": registrar,
        }
        if self.chance(0.02):
            fields["secrecy"] = "秘密"
        elif self.chance(0.06):
            fields["urgency"] = "加急"
        files: dict[str, str] = {}
        if "secrecy" not in fields and self.chance(0.05):
            fields["body"] = "正文.md"
            files["正文.md"] = f"# {title}\n\n{sender}\n\n" + self.body(title, ["各有关单位"])
        fields["pages"] = rng.choice([1, 2, 2, 2, 3, 4, 6, 8, 12])
        fields["retention"] = rng.choices(["Y", "D30", "D10"], [15, 55, 30])[0]

        f = Flow(self.wfs["incoming"], rng, self.cal)
        f.start(t0, registrar)
        proposer = ppl.head_clerk if self.chance(0.8) else self.pick(ppl.clerks)
        reply: tuple[int, str, str, Rec] | None = None
        reply_at: int | None = None
        if reading:
            fields["department"] = "BGS" if "BGS" in ppl.drafters else ppl.departments[0]
            readers = [ppl.director, *rng.sample(ppl.leaders, rng.randint(1, len(ppl.leaders)))]
            fields["readers"] = readers
            f.wait(30, 120)
            f.step(
                "circulate", self.pick(ppl.clerks), "请各位领导阅示。" if self.chance(0.3) else None
            )
            for reader in readers:
                if self.chance(0.1):
                    f.wait_days(1, 3)
                f.step("read", reader, self.pick(READ_OK), entered_by=self.on_behalf())
            f.step("finish_reading", self.pick(ppl.clerks))
        else:
            lead = self.pick(ppl.departments)
            deps = [lead]
            if self.chance(0.2):
                deps.insert(0, self.pick([d for d in ppl.departments if d != lead]))
            fields["department"] = lead
            implementers = self.chance(0.02)
            if implementers:
                fields["implementers"] = [self.pick(ppl.drafters[lead])]
            else:
                fields["departments"] = deps
                fields["lead_department"] = lead
            dep_name = self.office.departments[lead].name
            due: date | None = None
            if self.chance(0.45) or category in ("商洽性", "询问性", "人民来信"):
                start = self.cal.index[self.cal.day(t0)]
                due = self.cal.days[min(start + rng.randint(5, 15), len(self.cal.days) - 1)]
                due = min(due, date(year, 12, 31))
                fields["reply_by"] = due
            when = f"于{due.month}月{due.day}日前办复" if due else "抓紧办理"
            f.wait(30, 120)
            f.step("propose", proposer, f"拟请{dep_name}牵头{when}。")
            if self.chance(0.03):
                f.step("return", ppl.leader_of[lead], self.pick(RETURN_PROPOSAL))
                f.step("propose", proposer, f"已征求相关科室意见，拟请{dep_name}牵头{when}。")
            decider = ppl.director if self.chance(0.2) else ppl.leader_of[lead]
            opinion = self.pick(DECIDE_OK).format(dep=dep_name)
            f.step("decide", decider, opinion, entered_by=self.on_behalf())
            answered = category in ("商洽性", "询问性", "呈请性") and self.chance(0.5)
            if answered:
                reply_at = f.t + 5 * rng.randint(6, 48)
            if not implementers:
                for d in deps:
                    f.wait_days(0, 6) if self.chance(0.6) else f.wait(60, 400)
                    course = self.pick(COURSES).format(
                        topic=topic, m=rng.randint(1, 12), d=rng.randint(1, 28), k=rng.randint(1, 9)
                    )
                    result = "已复函。" if answered and d == lead else self.pick(RESULTS)
                    f.step(
                        "handle",
                        self.pick(ppl.drafters[d]),
                        extras=[("department", d), ("course", course), ("result", result)],
                    )
            f.step("complete", self.pick(ppl.clerks))
        if self.chance(0.05):
            f.wait_days(2, 15)
        archivist = ppl.archivist if self.chance(0.9) else self.pick(ppl.clerks)
        f.step("archive", archivist, extras=[("archive_code", None)])
        rec = Rec("incoming", t0, fields, f.entries, files=files)
        if reply_at is not None:
            reply = (reply_at, sender, topic, rec)
        return rec, reply

    # -- the office ----------------------------------------------------------------------------

    def build(self) -> None:
        n_in = round(self.n * 0.3)
        for _ in range(n_in):
            rec, reply = self.incoming(self.random_time())
            self.records.append(rec)
            if reply is not None and reply[0] <= self.now and len(self.records) < self.n:
                t, sender, topic, target = reply
                lead = str(target.fields["department"])
                out = self.outgoing(5 * (t // 5), reply=(sender, topic, target), department=lead)
                self.records.append(out)
        while len(self.records) < self.n:
            self.records.append(self.outgoing(self.random_time()))
        self.records.sort(key=lambda r: (r.t0, r.kind))
        self._truncate()
        self._ids()
        self._numbers()
        self._archive_codes()

    def _truncate(self) -> None:
        """Steps not yet taken by `today` are dropped; then enough recent records are held in each
        open state that every state has some (a stalled record: a leader away, a slow reply)."""
        for rec in self.records:
            rec.entries = [e for e in rec.entries if e.t <= self.now]
        per_state = max(2, min(12, self.n // 500))
        for kind in ("outgoing", "incoming"):
            wf = self.wfs[kind]
            open_states = [s for s, d in wf["states"].items() if not d.get("final")]
            counts = Counter(r.entries[-1].to for r in self.records if r.kind == kind)
            for state in open_states:
                missing = per_state - counts[state]
                for rec in reversed(self.records):
                    if missing <= 0:
                        break
                    if rec.kind != kind or rec.entries[-1].to != "archived":
                        continue
                    cut = next(
                        (i for i, e in enumerate(rec.entries) if e.to == state and i > 0), None
                    )
                    if state == rec.entries[0].to:
                        cut = 0
                    if cut is None:
                        continue
                    rec.entries = rec.entries[: cut + 1]
                    counts[state] += 1
                    missing -= 1

    def _ids(self) -> None:
        seq: Counter[tuple[str, int]] = Counter()
        meetings: Counter[int] = Counter()
        prefix = {name: k.prefix for name, k in kinds().items()}
        for rec in self.records:  # in order of creation
            rec.year = self.year_of(rec.t0)
            seq[(rec.kind, rec.year)] += 1
            rec.rid = f"{prefix[rec.kind]}-{rec.year}-{seq[(rec.kind, rec.year)]:04d}"
            if rec.title_fn == "meeting":
                meetings[rec.year] += 1
                rec.fields["title"] = f"中心{rec.year}年第{meetings[rec.year]}次主任办公会议纪要"
        for rec in self.records:
            target = rec.fields.get("reply_to")
            if isinstance(target, Rec):
                rec.fields["reply_to"] = target.rid

    def _numbers(self) -> None:
        """发文字号 in the order they were given, 1..n per 代字 and year (S-DOC-OUT-2)."""
        given = []
        for rec in self.records:
            for e in rec.entries:
                if e.action == "number":
                    given.append((e.t, rec.rid, rec, e))
        given.sort(key=lambda x: (x[0], x[1]))
        seq: Counter[tuple[str, int]] = Counter()
        for t, _, rec, e in given:
            code, year = str(rec.fields["doc_kind"]), self.year_of(t)
            seq[(code, year)] += 1
            number = f"{code}〔{year}〕{seq[(code, year)]}号"
            rec.fields["doc_number"] = number
            e.extras = [("number", number)]

    def _archive_codes(self) -> None:
        """档号 in the order documents were filed, 件号 1..n per year, retention, department."""
        filed = [
            (r.entries[-1].t, r.rid, r) for r in self.records if r.entries[-1].to == "archived"
        ]
        filed.sort(key=lambda x: (x[0], x[1]))
        items: Counter[tuple[int, str, str]] = Counter()
        for t, _, rec in filed:
            if rec.kind == "outgoing":
                year = int(re.findall(r"〔(\d{4})〕", rec.fields["doc_number"])[0])
            else:
                year = rec.fields["received"].year
            ret = str(rec.fields["retention"])
            dep = str(rec.fields["department"])
            items[(year, ret, dep)] += 1
            item = items[(year, ret, dep)]
            code = format_code(self.people.fonds, year, ret, dep, item)
            rec.fields["archive"] = {
                "code": code,
                "fonds": self.people.fonds,
                "year": year,
                "retention": ret,
                "department": dep,
                "item": item,
                "filed": self.cal.day(t),
                "fingerprint": "",
            }
            rec.entries[-1].extras = [("archive_code", code)]

    # -- text ----------------------------------------------------------------------------------

    def data(self, rec: Rec, upto: int | None = None) -> dict[str, Any]:
        """The record as it stood after its first `upto` steps, in file order."""
        entries = rec.entries if upto is None else rec.entries[:upto]
        taken = {e.action for e in entries}
        set_by = SET_BY[rec.kind]
        out: dict[str, Any] = {}
        for key in self.order[rec.kind]:
            if key == "id":
                out["id"] = rec.rid
            elif key == "kind":
                out["kind"] = rec.kind
            elif key == "state":
                out["state"] = entries[-1].to
            elif key == "history":
                out["history"] = entries
            else:
                value = rec.fields.get(key)
                if value is None or value == []:
                    continue
                step = set_by.get(key)
                if step is not None and step not in taken:
                    continue
                out[key] = value
        return out

    def text(self, rec: Rec, upto: int | None = None) -> str:
        data = self.data(rec, upto)
        stamp = data.get("archive")
        if stamp is not None:
            plain = {k: v for k, v in data.items() if k != "history"}
            data["archive"] = {**stamp, "fingerprint": fingerprint(plain)}
        cal_at = self.cal.at
        lines = [MODELINE.format(kind=rec.kind)]
        add = lines.append
        for key, value in data.items():
            if key == "history":
                add("history:")
                for e in value:
                    add(f"  - at: {cal_at(e.t).isoformat()}")
                    add(f"    by: {e.by}")
                    add(f"    action: {e.action}")
                    if e.frm is not None:
                        add(f"    from: {e.frm}")
                    add(f"    to: {e.to}")
                    if e.opinion:
                        add(f"    opinion: {scalar(e.opinion)}")
                    if e.entered_by:
                        add(f"    entered_by: {e.entered_by}")
                    for k, v in e.extras:
                        add(f"    {k}: {scalar(v)}")
            elif isinstance(value, list):
                add(f"{key}:")
                for item in value:
                    if isinstance(item, dict):
                        lead = "  - "
                        for k, v in item.items():
                            add(f"{lead}{k}: {scalar(v)}")
                            lead = "    "
                    else:
                        add(f"  - {scalar(item)}")
            elif isinstance(value, dict):
                add(f"{key}:")
                for k, v in value.items():
                    add(f"  {k}: {scalar(v)}")
            else:
                add(f"{key}: {scalar(value)}")
        return "\n".join(lines) + "\n"

    def path(self, rec: Rec) -> str:
        return f"{rec.kind}/{rec.year}/{rec.rid}.yaml"


# ruamel.yaml (YAML 1.2) writes these plain; anything else the pools produce is refused loudly
_NEEDS_QUOTES = re.compile(
    r"^(?:[-+]?[0-9][0-9_]*(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|true|false|True|False|TRUE|FALSE|null|Null|NULL|~|\.inf|\.nan)$"
)
_UNSAFE = re.compile(r"(?:^[\s\-?:,\[\]{}#&*!|>'\"%@`]|: |\s#|:$|\s$|[\n\t])")


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if _NEEDS_QUOTES.match(text):
        return "'" + text + "'"
    if _UNSAFE.search(text) or not text:
        raise ValueError(f"generator produced a string ruamel would quote: {text!r}")
    return text


# -- writing -------------------------------------------------------------------------------------


def copy_config(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy2(DEMO / "oa.yaml", out / "oa.yaml")
    shutil.copy2(DEMO / ".gitignore", out / ".gitignore")
    for folder in ("workflows", "schema"):
        shutil.copytree(DEMO / folder, out / folder, dirs_exist_ok=True)


def config_files(out: Path) -> Iterator[tuple[str, bytes]]:
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if path.is_file() and not rel.startswith((".git/", ".oa/")) and rel != META_FILE:
            yield rel, path.read_bytes()


class FastImport:
    """A `git fast-import` stream: commits with inline file contents."""

    def __init__(self, root: Path) -> None:
        self.proc = subprocess.Popen(
            ["git", "fast-import", "--quiet", "--done"],
            cwd=root,
            stdin=subprocess.PIPE,
            env=git_env(),
        )
        assert self.proc.stdin is not None
        self.out: IO[bytes] = self.proc.stdin
        self.mark = 0

    def begin(self, who: tuple[str, str], when: datetime, message: str) -> None:
        self.mark += 1
        stamp = f"{int(when.timestamp())} +0800"
        msg = message.encode("utf-8")
        head = (
            f"commit refs/heads/main\nmark :{self.mark}\n"
            f"author {who[0]} <{who[1]}> {stamp}\ncommitter {who[0]} <{who[1]}> {stamp}\n"
            f"data {len(msg)}\n"
        ).encode()
        self.out.write(head + msg + b"\n")
        if self.mark > 1:
            self.out.write(f"from :{self.mark - 1}\n".encode())

    def add(self, rel: str, data: bytes) -> None:
        self.out.write(f"M 100644 inline {rel}\ndata {len(data)}\n".encode() + data + b"\n")

    def end(self) -> None:
        self.out.write(b"\n")

    def commit(
        self, who: tuple[str, str], when: datetime, message: str, files: list[tuple[str, bytes]]
    ) -> None:
        self.begin(who, when, message)
        for rel, data in files:
            self.add(rel, data)
        self.end()

    def close(self) -> None:
        self.out.write(b"done\n")
        self.out.close()
        if self.proc.wait() != 0:
            raise SystemExit("git fast-import failed")


def git_env() -> dict[str, str]:
    return {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


def write_file(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def generate(
    out: Path, n: int, commits: int, seed: int, today: date, plain: bool, first_year: int = 2017
) -> dict[str, Any]:
    started = time.perf_counter()
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out} is not empty")
    copy_config(out)
    gen = Generator(n, seed, today, first_year)
    gen.build()
    built = time.perf_counter()
    recs = gen.records
    ppl = gen.people
    office = gen.office

    # the last `commits` steps taken become commits of their own; the rest is the import
    steps = sorted(
        ((e.t, r.rid, i, r) for r in recs for i, e in enumerate(r.entries)),
        key=lambda x: (x[0], x[1], x[2]),
    )
    commits = 0 if plain else min(commits, len(steps))
    live = steps[len(steps) - commits :] if commits else []
    first_live: dict[str, int] = {}
    for _, rid, i, _ in live:
        first_live.setdefault(rid, i)

    fi = None
    if not plain:
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=out, check=True, env=git_env())
        fi = FastImport(out)
        fi.commit(
            ("oa", "oa@localhost"),
            gen.cal.at(0),
            f"oa init: {office.office.name}\n\nOA-Import: init\n",
            list(config_files(out)),
        )
        clerk = office.people[ppl.archivist]
        fi.begin(
            (clerk.name, clerk.email),
            gen.cal.at(live[0][0] - 5) if live else gen.cal.at(gen.now),
            "Import the records of the previous document system\n\nOA-Import: synthetic\n",
        )
    lines = 0
    by_state: Counter[str] = Counter()
    for rec in recs:
        final = gen.text(rec).encode("utf-8")
        lines += final.count(b"\n")
        by_state[f"{rec.kind}:{rec.entries[-1].to}"] += 1
        rel = gen.path(rec)
        write_file(out / rel, final)
        extra = [
            (f"{rec.kind}/{rec.year}/{rec.rid}.files/{k}", v.encode()) for k, v in rec.files.items()
        ]
        for name, blob in extra:
            write_file(out / name, blob)
        if fi is None:
            continue
        k = first_live.get(rec.rid)
        if k == 0:
            continue  # created after the import: its own commit adds it
        fi.add(rel, final if k is None else gen.text(rec, k).encode("utf-8"))
        for name, blob in extra:
            fi.add(name, blob)
    if fi is not None:
        fi.end()
        for t, rid, i, rec in live:
            e = rec.entries[i]
            actor = office.people[e.by]
            author = office.people[e.entered_by] if e.entered_by else actor
            trailers = f"OA-Record: {rid}\nOA-Action: {e.action}\nOA-Actor: {e.by}\n"
            if e.entered_by:
                trailers += f"OA-On-Behalf: {e.entered_by}\n"
            fi.begin(
                (author.name, author.email),
                gen.cal.at(t),
                f"{rid}: {e.action} ({actor.name})\n\n{trailers}",
            )
            fi.add(gen.path(rec), gen.text(rec, i + 1).encode("utf-8"))
            if i == 0:
                for name, body in rec.files.items():
                    fi.add(f"{rec.kind}/{rec.year}/{rec.rid}.files/{name}", body.encode())
            fi.end()
        fi.close()
        # the files are on disk already: make git's index match HEAD without rewriting them
        subprocess.run(["git", "reset", "-q"], cwd=out, check=True, env=git_env())
        (out / ".git" / "info").mkdir(exist_ok=True)
        with (out / ".git" / "info" / "exclude").open("a", encoding="utf-8") as fh:
            fh.write(f"/{META_FILE}\n")
    elapsed = time.perf_counter() - started

    open_recs = [r for r in recs if r.entries[-1].to != "archived"]
    waiting: dict[str, list[str]] = defaultdict(list)
    for r in open_recs:
        waiting[f"{r.kind}:{r.entries[-1].to}"].append(r.rid)
    commits_of = Counter(rid for _, rid, _, _ in live)
    meta = {
        "records": n,
        "commits": commits + (0 if plain else 2),
        "step_commits": commits,
        "seed": seed,
        "generator": generator_version(),
        "today": today.isoformat(),
        "now": f"{today.isoformat()}T18:00:00+08:00",
        "plain": plain,
        "seconds": round(elapsed, 1),
        "seconds_model": round(built - started, 1),
        "bytes": sum((out / gen.path(r)).stat().st_size for r in recs),
        "lines_mean": round(lines / max(1, n), 1),
        "kinds": dict(Counter(r.kind for r in recs)),
        "states": dict(sorted(by_state.items())),
        "open": len(open_recs),
        # what the benchmark acts on
        "clerk": ppl.registrar,
        "archivist": ppl.archivist,
        "waiting": dict(sorted(waiting.items())),
        "touch": open_recs[-1].rid if open_recs else recs[-1].rid,
        "show": max(open_recs or recs, key=lambda r: len(r.entries)).rid,
        "log": commits_of.most_common(1)[0][0] if commits_of else recs[-1].rid,
    }
    (out / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    return meta


def generator_version() -> str:
    """Changes whenever this generator or the configuration it copies from the demo office does
    (oa.yaml, workflows, schema), so a cached office is then rebuilt."""
    h = hashlib.sha1(Path(__file__).read_bytes())
    for path in [DEMO / "oa.yaml", *sorted((DEMO / "workflows").glob("*.yaml"))]:
        h.update(path.read_bytes())
    for path in sorted((DEMO / "schema").glob("*.json")):
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("out", type=Path, help="new directory for the office")
    p.add_argument("--records", type=int, required=True, help="number of records")
    p.add_argument("--commits", type=int, default=3000, help="one-step commits after the import")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 27))
    p.add_argument("--plain", action="store_true", help="no git repository")
    args = p.parse_args(argv)
    meta = generate(args.out, args.records, args.commits, args.seed, args.today, args.plain)
    shown = {k: v for k, v in meta.items() if k != "waiting"}
    print(json.dumps(shown, ensure_ascii=False))


if __name__ == "__main__":
    main()

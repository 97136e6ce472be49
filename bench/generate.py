"""Generate a realistic synthetic office for benchmarks: N records over ten years and a git history.

    python bench/generate.py OUT_DIR --records N [--commits C] [--seed S] [--today YYYY-MM-DD] [--plain]

The office is the demo office's configuration (records/oa.yaml, workflows/, schema/, .gitignore)
with N records spread over 2017 to `--today`: 15% are the office's other work (SHARES: mail 4.5%,
duty log 2.5%, room bookings 2%, seal uses and 介绍信 2%, trips 1.2%, 督办 items 1%, handovers 0.8%,
meetings 0.5%, purchases 0.3%, work arrangements 0.2%; at least one of each), the rest about 70%
outgoing (发文) and 30% incoming (收文). Every record follows its default workflow step by step —
the right roles, states in order, times increasing — and most are finished; recent ones are still
open, in every state (mail is always delivered within a workday, OA457).

Documents are archived with a 档号 whose 件号 run without gaps and a fingerprint from
`oa.core.archive.fingerprint`. 发文字号 run 1..n per 代字 and year. Some 复函 answer incoming letters
(`reply_to`), some incoming documents carry a 办复时限 (`reply_by`), some steps were entered by a
clerk for a leader (`entered_by`). The other kinds link as the office links them: a meeting's
minutes are a 会议纪要 among the outgoing documents (its title follows: 中心2026年第3次主任办公会议),
a 全市性 meeting is approved and held in a public room booked for it; bookings come from the room
register, 1–3 days ahead, one a room a day with the set-up the day before kept free; a forwarded
duty entry has its 督办 item, concluded by the department's feedback; other items come from incoming
documents, meetings, arrangement items or a leader; seal uses are entered by whoever held the seal
then (hand-overs in oa.yaml), some stamp outgoing documents, and 介绍信 numbers run 1..n a year;
cars and drivers are never out twice at once and each car's odometer runs on; a handover lists the
duty entries still open; approvals carry the pin `oa.core.pins.pin` would give them.

Record files are written as text, exactly as ruamel.yaml (oa's writer) lays them out; oa's engine is
not called per record. The git history is built with `git fast-import`: an `oa init` commit, one
import commit (`OA-Import: synthetic`) with every record as it stood before the last C steps, then
C commits of one step each — `ID: action (name)` with OA-Record/OA-Action/OA-Actor trailers,
authored by the actor (or by the clerk with OA-On-Behalf), dated when the step was taken — as
`oa advance` and `oa doc new` make them.

A summary (counts, generation time, IDs the benchmark uses) goes to OUT_DIR/.oa-bench.json. The
office is as of `--today`: check it with OA_NOW set to the summary's `now`, as bench/run.py does.
"""

from __future__ import annotations

import argparse
import bisect
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
from oa.core.pins import pinned_value  # noqa: E402
from oa.core.registry import kinds  # noqa: E402
from oa.core.yamlio import plain  # noqa: E402
from oa.kinds.supervision import DUE_SOON, OVERDUE  # noqa: E402

DEMO = PROJECT / "records"
META_FILE = ".oa-bench.json"
TZ = timezone(timedelta(hours=8))
MODELINE = "# yaml-language-server: $schema=../../schema/{kind}.schema.json"

#: the working day, 08:30–17:30, in minutes; times are "work minutes" since the first workday
DAY_START = 8 * 60 + 30
WORK = 9 * 60
#: 16:00, when a public room is set up for the next day's meeting (kinds.booking.setup_from)
SETUP_OFFSET = 16 * 60 - DAY_START

#: each other kind's share of the records; outgoing and incoming documents share the rest 70:30.
#: Mail, the duty log, room bookings and seal uses are everyday work; purchases, arrangements
#: (one a fortnight) and meetings with minutes are rarer.
SHARES = {
    "mail": 0.045,
    "duty": 0.025,
    "booking": 0.02,
    "seal": 0.02,
    "trip": 0.012,
    "supervision": 0.01,
    "handover": 0.008,
    "meeting": 0.005,
    "purchase": 0.003,
    "arrangement": 0.002,
}


def kind_counts(n: int) -> dict[str, int]:
    """How many records of each kind an office of `n` records has (at least one of each)."""
    counts = {k: max(1, round(n * share)) for k, share in SHARES.items()}
    rest = n - sum(counts.values())
    counts["incoming"] = round(rest * 0.3)
    counts["outgoing"] = rest - counts["incoming"]
    return counts


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

# the other kinds (issue #7: every kind) --------------------------------------------------------

GIVEN = ["伟", "敏", "静", "磊", "强", "洁", "军", "勇", "艳", "杰", "娟", "涛", "明", "超", "丽",
         "平", "刚", "建华", "志强", "海燕", "文斌", "晓东", "红梅", "国庆", "建军", "春花"]  # fmt: skip
NEWSPAPERS = ["湖南日报", "长沙晚报", "人民日报", "浏阳日报", "中国财经报", "中国政府采购报"]
JOURNALS = ["中国机关后勤", "求是", "新湘评论", "中国政府采购", "保密工作", "秘书工作"]
COURIERS = ["中国邮政EMS", "顺丰速运", "京东物流", "中通快递"]
MATERIALS = ["年度统计报表", "会议材料", "培训教材", "宣传资料", "文件汇编"]
DUTY_CALLS = [
    ("来电", "询问{m}月{d}日{part}会议室是否空闲", "已答复：当日会议室已有安排，建议改用第二会议室"),
    ("来电", "询问行政中心停车场夜间是否开放", "已答复：夜间22时后关闭，临时停车请与保卫科联系"),
    ("咨询", "咨询公共会议室租用手续及收费标准", "已告知租用流程及收费标准"),
    ("信息", "市政府办公室通知明日上午停电检修", "已通知各科室做好准备"),
    ("公务联系", "{agency}联系商借会议室事宜", "已转告事务一科，请对方来函"),
    ("来信", "群众来信反映{issue}问题", "已登记，按程序转办"),
    ("领导交办", "陈主任交办：检查行政中心{place}安全情况", "已检查，情况正常"),
    ("接待", "{agency}来人办理会议室租用手续", "已引导至事务一科办理"),
]  # fmt: skip
DUTY_FORWARDS = [
    ("来访", "反映行政中心{gate}路灯损坏，夜间通行不便", "WYK", "{gate}路灯已更换"),
    ("来电", "反映行政中心{floor}楼卫生间漏水", "WYK", "已维修，漏水问题解决"),
    ("来电", "反映停车场出入口道闸故障", "BWK", "道闸已修复"),
    ("突发事件", "行政中心{floor}楼电梯困人", "WYK", "已协调维保单位处置，人员安全"),
    ("来信", "群众来信反映{issue}", "CLK", "已调查核实并书面答复"),
    ("来访", "群众反映机关食堂{issue2}", "SWE", "已整改并答复来访人"),
]  # fmt: skip
DUTY_REPORTS = [
    ("突发事件", "行政中心配电房跳闸，部分楼层停电", "请物业管理科立即组织抢修，做好安全防范。"),
    ("来电", "市政府办公室通知今晚召开紧急会议，请做好会务保障", "请事务一科按要求做好会务保障。"),
    ("来访", "群众集体反映{issue}问题", "请办公室做好解释工作，相关科室抓紧研究答复。"),
    ("信息", "气象部门发布暴雨橙色预警", "请各科室做好防汛准备，值班人员加强巡查。"),
]  # fmt: skip
GATES = ["东门", "西门", "南门", "北门"]
ISSUES2 = ["饭菜价格偏高", "就餐排队时间长", "菜品单一"]
BOOKING_UNITS = [
    ("浏阳市人民政府", "市政府办公室"), ("中共浏阳市委", "市委办公室"), ("浏阳市人大常委会", "人大办"),
    ("浏阳市财政局", ""), ("浏阳市教育局", ""), ("浏阳市卫生健康局", ""), ("浏阳市应急管理局", ""),
    ("浏阳市住房和城乡建设局", ""), ("浏阳市市场监督管理局", ""), ("浏阳市发展和改革局", ""),
    ("浏阳市总工会", ""), ("共青团浏阳市委", ""), ("浏阳市妇女联合会", ""),
]  # fmt: skip
BOOKING_EVENTS = ["{topic}工作会议", "{topic}工作推进会", "{topic}业务培训会", "{topic}专题会议",
                  "理论学习中心组学习会", "{year}年度工作总结会", "干部职工大会",
                  "{topic}工作部署会"]  # fmt: skip
SEAL_PURPOSES = ["报送市财政局{period}预算执行情况报表盖章", "物业服务合同盖章",
                 "职工工资表盖章", "与供电公司签订供用电合同盖章", "年度考核登记表盖章",
                 "工程结算审核报告盖章", "办理公务卡申领手续盖章", "食堂食材采购合同盖章"]  # fmt: skip
LETTER_ERRANDS = [
    ("浏阳市财政局", "赴市财政局办理{period}会议经费结算"),
    ("浏阳市不动产登记中心", "赴市不动产登记中心查询办公用房权属资料"),
    ("浏阳市档案馆", "赴市档案馆移交{year}年度档案"),
    ("长沙市机关事务管理局", "赴长沙市机关事务管理局学习公共机构节能工作经验"),
    ("浏阳市人力资源和社会保障局", "赴市人社局办理职工社保业务"),
    ("中国工商银行浏阳支行", "赴工商银行浏阳支行办理单位账户变更"),
]  # fmt: skip
TRIP_PURPOSES = [
    ("赴长沙参加全省机关事务工作培训", "长沙市岳麓区"), ("赴市财政局报送预算材料", "浏阳市财政局"),
    ("赴各乡镇检查公共机构节能工作", "浏阳市各乡镇"), ("接送全市会议参会人员", "浏阳市行政中心"),
    ("赴市档案馆移交档案", "浏阳市档案馆"), ("赴长沙市机关事务管理局汇报工作", "长沙市天心区"),
    ("赴供应商处考察办公家具样品", "浏阳经济技术开发区"), ("赴大瑶镇开展调研", "浏阳市大瑶镇"),
]  # fmt: skip
GOODS = [
    ("办公桌椅", "套", "胡桃木色", "1400×700×760mm", "E1级板材", ""),
    ("空调", "台", "", "", "", "3匹柜机，一级能效"),
    ("复印机", "台", "", "", "", "A3黑白，35页/分钟"),
    ("文件柜", "组", "灰白色", "900×400×1850mm", "冷轧钢板", ""),
    ("会议室窗帘", "套", "米黄色", "", "遮光布", "电动轨道"),
    ("食堂消毒柜", "台", "", "", "不锈钢", "双门，380L"),
    ("监控摄像机", "台", "", "", "", "400万像素，红外夜视"),
    ("电梯配件", "批", "", "", "", "曳引机制动器及门机"),
]  # fmt: skip
SUPPLIERS = ["湖南长信办公设备有限公司", "浏阳市恒温机电经营部", "长沙视界智能工程有限公司",
             "湖南声光科技有限公司", "长沙美制冷设备有限公司", "湖南中音实业有限公司",
             "浏阳市金阳家具有限公司", "湖南安信电子科技有限公司"]  # fmt: skip
EXPERTS = [
    "刘志刚（湖南大学）",
    "陈晓（市政务服务中心）",
    "王建平（市住建局）",
    "李红（长沙理工大学）",
]
WORK_ITEMS = [
    ("SWY", "{meeting}会务保障", "行政中心第一会议室"), ("WYK", "行政中心电梯月度维护保养", "行政中心"),
    ("BWK", "{topic}检查", "行政中心各楼层"), ("CWK", "{period}财务报表编制", ""),
    ("BGS", "{topic}工作督查", "各科室"), ("CLK", "公务用车年度检验", "市车管所"),
    ("SWE", "机关食堂食品安全自查", "机关食堂"), ("WYK", "{topic}", "行政中心"),
]  # fmt: skip
CENTRE_TOPICS = ["研究{topic}工作", "研究{project}方案", "听取{period}工作情况汇报",
                 "研究{year}年部门预算编制", "研究{topic}有关事项"]  # fmt: skip


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
    #: fields this step sets on the record (the other kinds; outgoing and incoming use SET_BY)
    sets: dict[str, Any] | None = None
    #: the fields an approval pins (its hash is computed once links have their IDs)
    pins: tuple[str, ...] = ()


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
    #: the record its title is taken from once IDs are known (a meeting and its minutes)
    title_from: Rec | None = None
    #: kept out of `_truncate`'s open states: another record's steps depend on its own
    linked: bool = False


#: the open states the other kinds are held in (recent records, stalled); mail is never held (it
#: is delivered within a workday, OA457), nor an arrangement (the next one is open anyway)
HELD_OPEN = {
    "booking": ["requested", "signed", "accepted", "ready", "in_use", "used"],
    "seal": ["requested", "approved", "referred"],
    "trip": ["requested", "approved", "dispatched"],
    "purchase": ["applied", "budgeted", "surveyed", "unit_signed", "finance_signed", "studied",
                 "consulted", "announced", "registering", "shortlisted", "contracting",
                 "installing", "accepted"],
    "meeting": ["draft", "attendees", "approval", "venue", "notice", "papers", "setup", "open",
                "recorded"],
    "supervision": ["open", "escalated"],
    "duty": ["open", "reported"],
    "handover": ["handed"],
}  # fmt: skip
#: final states a record is not held back from: it never got that far
HELD_BACK = {"cancelled", "refused"}

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
        sets: dict[str, Any] | None = None,
        at: int = 0,
    ) -> Entry:
        """One step; `at` (a work-minute time) pins when it was taken, else after a short wait."""
        spec = self.wf["actions"][action]
        assert self.state in spec["from"], f"{action} not allowed from {self.state}"
        if not at:
            self.wait(30, 150)
        elif at > self.t:
            self.t = at
        to = self.state if spec["to"] == "=" else str(spec["to"])
        entry = Entry(self.t, by, action, self.state, to, opinion, entered_by)
        entry.extras = extras or []
        entry.sets = sets
        entry.pins = tuple(spec.get("pins") or ())
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
            for k in kinds()
        }
        self.order = {name: field_order(k.model) for name, k in kinds().items()}
        self.records: list[Rec] = []
        self.settings()

    def settings(self) -> None:
        """The registers the other kinds follow: rooms, seals, cars, duty staff, who does what."""
        office, ppl = self.office, self.people
        registry = kinds()

        def kind_settings(name: str) -> Any:
            return registry[name].settings.model_validate(office.kinds.get(name, {}))

        self.booking_settings = kind_settings("booking")
        self.seal_settings = kind_settings("seal")
        trips = kind_settings("trip")
        self.vehicles = list(trips.vehicles)
        self.vehicle_seats = {k: v.seats for k, v in trips.vehicles.items()}
        self.drivers = list(trips.drivers)
        self.duty_staff = list(kind_settings("duty").staff)
        self.arrangement_anchor = kind_settings("arrangement").anchor
        roles: dict[str, list[str]] = defaultdict(list)
        for pid, person in office.people.items():
            for role in person.roles:
                roles[role].append(pid)
        self.meeting_staff = roles["会务安排"]
        self.property_staff = roles["物业会务组"]
        self.dispatcher = roles["车辆调度"][0]
        self.minutes_codes = {c for c, sort in ppl.doc_kinds.items() if sort == "会纪"}
        self.rooms_taken: dict[tuple[str, date], int] = {}
        self.cars_out: set[tuple[str, int]] = set()
        self.duty_log: list[Rec] = []
        self.outgoing_sorted: list[Rec] = []
        self.outgoing_t0: list[int] = []

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

    # -- the other kinds -----------------------------------------------------------------------

    def flow(self, kind: str, t0: int, by: str) -> Flow:
        f = Flow(self.wfs[kind], self.rng, self.cal)
        f.start(t0, by)
        return f

    def moment(self, day: int, offset: int) -> int:
        """A work-minute time: workday `day` (an index), `offset` minutes after 08:30."""
        return day * WORK + offset

    def clock(self, t: int) -> datetime:
        return self.cal.at(t)

    def person_name(self) -> str:
        return self.pick(list(SURNAMES)) + self.pick(GIVEN)

    def phone(self) -> str:
        return f"836{self.rng.randint(10000, 99999)}"

    def text_of(self, pattern: str) -> str:
        """A pool pattern filled with this office's topics, places and dates."""
        rng = self.rng
        return pattern.format(
            topic=self.pick(TOPICS), project=self.pick(PROJECTS), period=self.pick(PERIODS),
            year=rng.randint(self.first_year, self.today.year), m=rng.randint(1, 12),
            d=rng.randint(1, 28), part=self.pick(["上午", "下午"]), agency=self.pick(AGENCIES),
            issue=self.pick(ISSUES), issue2=self.pick(ISSUES2), place=self.pick(PLACES),
            gate=self.pick(GATES), floor=rng.randint(1, 6), meeting=self.pick(MEETINGS),
        )  # fmt: skip

    def member(self, dep: str) -> str:
        return str(self.pick(self.people.drafters[dep]))

    def mail(self, t0: int) -> Rec:
        """收发登记: registered by the office, signed for by the recipient (or a member of the
        recipient department); now and then misdelivered or refused, then delivered again."""
        ppl, rng = self.people, self.rng
        item = rng.choices(
            ["报纸", "期刊", "信件", "挂号信", "包裹", "材料"], [30, 20, 20, 10, 8, 12]
        )[0]
        fields: dict[str, Any] = {"item_type": item}
        if item == "报纸":
            sender = self.pick(NEWSPAPERS)
        elif item == "期刊":
            sender = self.pick(JOURNALS)
        elif item == "包裹":
            sender = self.pick(COURIERS)
            fields["tracking"] = f"SF{rng.randint(10**11, 10**12 - 1)}"
        elif item == "材料":
            sender = self.pick(list(HIGHER))
        else:
            sender = self.pick(AGENCIES + list(HIGHER))
            if item == "挂号信":
                fields["tracking"] = f"XA{rng.randint(10**8, 10**9 - 1)}CN"
        what = self.pick(MATERIALS) if item == "材料" else sender
        fields["title"] = f"{item}：{what}"
        fields["sender"] = sender
        fields["received"] = self.clock(t0)
        if (item in ("报纸", "期刊") and self.chance(0.5)) or self.chance(0.3):
            recipient = self.pick([*ppl.leaders, ppl.director, *ppl.clerks])
            fields["recipient"] = recipient
            signers = [recipient]
        else:
            dep = self.pick(ppl.departments)
            fields["recipient_department"] = dep
            signers = ppl.drafters[dep]
        clerk = ppl.registrar if self.chance(0.8) else self.pick(ppl.clerks)
        f = self.flow("mail", t0, clerk)
        f.wait(30, 240)
        if self.chance(0.04):
            reason = (
                "收件人拒收：非本单位邮件，退回寄件单位重新投递。"
                if self.chance(0.3)
                else ("误投：已放入其他科室文件柜，重新分发。")
            )
            f.step("flag", clerk, reason)
            f.wait(30, 300)
        f.step("deliver", clerk, extras=[("signed_by", self.pick(signers))])
        return Rec("mail", t0, fields, f.entries)

    def duty(self, t0: int, forward: bool) -> list[Rec]:
        """值班记录: settled on the spot, reported to a leader, or (`forward`) forwarded to a
        department with a 督办 item that the department's feedback closes."""
        ppl, rng = self.people, self.rng
        officer = self.pick(self.duty_staff)
        fields: dict[str, Any] = {}
        r = rng.random()
        if forward:
            category, content, dep, result = self.pick(DUTY_FORWARDS)
        elif r < 0.12:
            category, content, instruction = self.pick(DUTY_REPORTS)
        else:
            category, content, result = self.pick(DUTY_CALLS)
        if forward:  # the same gate, floor … in what was reported and what was done
            content, result = self.text_of(f"{content}\x1f{result}").split("\x1f")
        else:
            content = self.text_of(content)
        fields["title"] = content
        fields["category"] = category
        fields["received"] = self.clock(t0)
        fields["officer"] = officer
        if category in ("来访", "来信") and "群众" not in content:
            party = f"群众{self.pick(list(SURNAMES))}某某"
        elif category in ("来电", "信息", "公务联系", "接待", "咨询"):
            party = self.pick([*AGENCIES, "市委办公室", "市政府办公室"])
        elif category == "领导交办":
            party = self.office.people[ppl.director].name
        else:
            party = (
                f"物业服务中心{self.person_name()}"
                if category == "突发事件"
                else (f"群众{self.pick(list(SURNAMES))}某某")
            )
        fields["party"] = party
        if category == "来电" or self.chance(0.3):
            fields["contact"] = self.phone()
        fields["content"] = content
        f = self.flow("duty", t0, officer)
        out: list[Rec] = []
        if forward:
            f.wait(5, 30)
            rec = Rec("duty", t0, fields, f.entries, linked=True)
            item = self.supervise(
                f.t,
                "值班",
                rec,
                dep,
                content,
                creator=officer,
                concludes=rec,
            )
            f.step("forward", officer, sets={"department": dep, "supervision": item}, at=f.t)
            feedback = item.entries[-1]
            if feedback.action == "feedback":
                f.step(
                    "conclude",
                    feedback.by,
                    extras=[("result", result)],
                    at=feedback.t,
                )
            out.append(item)
        elif r < 0.12:
            leader = self.pick([*ppl.leaders, ppl.director])
            f.wait(5, 30)
            f.step("report", officer, sets={"leader": leader})
            f.wait(10, 120)
            f.step("instruct", leader, instruction, entered_by=self.on_behalf())
            rec = Rec("duty", t0, fields, f.entries)
        else:
            f.step("settle", officer, extras=[("result", self.text_of(result))], at=t0)
            rec = Rec("duty", t0, fields, f.entries)
        return [rec, *out]

    def supervise(
        self, t0: int, source_type: str, source: Rec | None, dep: str, what: str, *,
        creator: str | None = None, concludes: Rec | None = None, item: int | None = None,
    ) -> Rec:  # fmt: skip
        """督办事项: `workdays` workdays to the deadline; most answered in time, some reminded
        (临期) and a few escalated to the leader (逾期), one reminder per due point."""
        ppl, rng = self.people, self.rng
        t0 = min(t0, self.now - 60)
        day = t0 // WORK
        assigned = self.cal.days[day]
        workdays = rng.choice([3, 5, 5, 5, 7, 10, 10, 15])
        due_day = day + workdays
        owner = self.member(dep)
        fields: dict[str, Any] = {"title": what, "source_type": source_type}
        if source is not None:
            fields["source"] = source
        if item is not None:
            fields["source_item"] = item
        fields.update(department=dep, owner=owner, leader=ppl.leader_of[dep])
        fields.update(assigned=assigned, workdays=workdays, due=self.cal.days[due_day])
        clerk = creator or (ppl.registrar if self.chance(0.8) else self.pick(ppl.clerks))
        f = self.flow("supervision", t0, clerk)
        r = rng.random()
        office = ppl.registrar
        if r < 0.7:
            done = self.moment(rng.randint(day + 1, due_day), 5 * rng.randint(0, 100))
        else:
            f.step("remind", office, extras=[("point", DUE_SOON)], at=self.moment(due_day - 1, 30))
            if r < 0.9:
                done = self.moment(due_day, 5 * rng.randint(0, 100))
            else:
                f.step(
                    "escalate", office, extras=[("point", OVERDUE)], at=self.moment(due_day + 1, 30)
                )
                done = self.moment(due_day + rng.randint(1, 4), 5 * rng.randint(0, 100))
        result = self.pick(RESULTS) if concludes is None else None
        f.step("feedback", owner, extras=[("result", result or "已办结，已反馈值班室。")], at=done)
        rec = Rec("supervision", t0, fields, f.entries, linked=concludes is not None)
        return rec

    def handover(self, day: int) -> Rec:
        """交接班 at the end of a duty day; the successor acknowledges it (open entries are listed
        once the duty log is known)."""
        officer = self.pick(self.duty_staff)
        successor = self.pick([p for p in self.duty_staff if p != officer])
        t0 = self.moment(day, 5 * self.rng.randint(96, 106))
        names = self.office.people
        fields: dict[str, Any] = {
            "title": f"{self.cal.days[day]} 交接班（{names[officer].name}→{names[successor].name}）",
            "officer": officer,
            "successor": successor,
            "shift_day": self.cal.days[day],
        }
        if self.chance(0.3):
            fields["notes"] = self.pick(
                ["夜间无异常情况", "已转办事项待反馈", "值班电话已转接", "注意防汛值守"]
            )
        f = self.flow("handover", t0, officer)
        f.wait(5, 20)
        f.step("acknowledge", successor, at=f.t if self.chance(0.8) else self.moment(day + 1, 0))
        return Rec("handover", t0, fields, f.entries)

    # bookings: one a room a day at most, with the set-up the day before kept free after 16:00

    def room_free(self, room: str, day: date, end: int) -> bool:
        taken = self.rooms_taken
        if (room, day) in taken:
            return False
        after = taken.get((room, day + timedelta(days=1)))
        before = taken.get((room, day - timedelta(days=1)))
        return (after is None or end <= SETUP_OFFSET) and (before is None or before <= SETUP_OFFSET)

    def free_room_day(
        self, rooms: list[str], first: int, last: int, end: int
    ) -> tuple[str, int] | None:
        """A room free on a workday in [first, last] for a meeting ending at `end`, if any."""
        for _ in range(20):
            day = self.rng.randint(first, last)
            room = self.pick(rooms)
            if self.room_free(room, self.cal.days[day], end):
                return room, day
        for day in range(last, first - 1, -1):  # a crowded register: the latest free day
            for room in rooms:
                if self.room_free(room, self.cal.days[day], end):
                    return room, day
        return None

    def booking(self, t0: int, meeting: dict[str, Any] | None = None) -> Rec:
        """公共会议室使用: registered 1–3 days ahead, the 通知单 signed and accepted, set up the day
        before, checked during and after, then the unit's feedback; a few cancelled."""
        rng = self.rng
        settings = self.booking_settings
        organiser = self.pick(self.meeting_staff)
        keeper = self.pick(self.property_staff)
        if meeting is not None:
            room, day = meeting["room"], meeting["day"]
            begin, end = meeting["begin"], meeting["end"]
            unit, contact_unit, title = "浏阳市人民政府", "", meeting["title"]
            attendance, level = meeting["attendance"], meeting["level"]
        else:
            begin, end = rng.choice([(30, 180), (30, 210), (360, 510), (60, 480), (360, 480)])
            found = None
            for _ in range(1000):  # a crowded week: the unit asks for another
                first = t0 // WORK + 1
                found = self.free_room_day(list(settings.rooms), first, first + 2, end)
                if found is not None:
                    break
                t0 = self.random_time()
            if found is None:
                raise SystemExit("the room register is full: fewer bookings, please")
            room, day = found
            unit, contact_unit = self.pick(BOOKING_UNITS)
            title = self.text_of(self.pick(BOOKING_EVENTS))
            attendance = 0
            level = rng.choices(["一级", "二级", "三级"], [10, 40, 50])[0]
        spec = settings.rooms[room]
        start, finish = self.clock(self.moment(day, begin)), self.clock(self.moment(day, end))
        self.rooms_taken[(room, self.cal.days[day])] = end
        attendance = attendance or rng.randint(max(5, spec.capacity // 4), spec.capacity)
        podium = min(spec.podium_seats, rng.choice([0, 3, 5, 7, 9, 11]), attendance)
        exempt = unit in settings.exempt_units
        hours = (finish - start).total_seconds() / 3600
        fee = (
            0
            if exempt
            else (spec.fee.half_day if hours <= settings.half_day_hours else spec.fee.full_day)
        )
        contact = f"{contact_unit} {self.person_name()}" if contact_unit else self.person_name()
        fields: dict[str, Any] = {"title": title, "unit": unit, "contact": contact}
        asked = "来函" if exempt or self.chance(0.3) else "来电"
        if asked == "来电":
            fields["phone"] = self.phone()
        fields.update(asked_by=asked, room=room, start=start, end=finish)
        if podium:
            fields["podium"] = podium
        fields.update(attendance=attendance, level=level)
        if level != "三级":
            fields["leaders"] = rng.sample(
                ["市委主要领导", "市政府主要领导", "分管副市长", "市人大常委会领导"],
                rng.randint(1, 2),
            )
        fields["banner"] = title
        fields["layout"] = self.pick(spec.layouts)
        extras = ["鲜花", "领导铭牌", "座位牌"] if level != "三级" else ["座位牌"]
        if level == "一级":
            extras.append("分区布局图")
        fields.update(extras=extras, fee=fee, exempt=exempt)
        if meeting is not None:
            fields["meeting"] = meeting["rec"]
        created = min(t0, self.moment(day - 1, 0))
        f = self.flow("booking", created, organiser)
        f.step("sign", organiser)
        if meeting is None and self.chance(0.05):
            f.step(
                "cancel",
                organiser,
                self.pick(
                    [
                        "会议延期，取消预订。",
                        "会议改为视频会议，取消预订。",
                        "主办单位另行安排会场。",
                    ]
                ),
            )
            return Rec("booking", created, fields, f.entries)
        f.step("accept", keeper)
        lists = settings.checklists
        assert lists is not None
        before = {"check_before": list(lists.before)}
        if level == "一级":
            before["important_checks"] = list(lists.important)
        f.step(
            "check_before", keeper, sets=before, at=self.moment(day - 1, 5 * rng.randint(90, 100))
        )
        f.step(
            "check_during",
            keeper,
            sets={"check_during": list(lists.during)},
            at=self.moment(day, begin - 30),
        )
        f.step(
            "check_after",
            keeper,
            sets={"check_after": list(lists.after)},
            at=self.moment(day, end + 15),
        )
        rating = rng.choices(["满意", "基本满意", "不满意"], [85, 13, 2])[0]
        comment = (
            ""
            if self.chance(0.5)
            else self.pick(
                ["会场布置规范，服务及时。", "音响效果好。", "茶水服务周到。", "空调温度偏低。"]
            )
        )
        back = {
            "rating": rating,
            "comment": comment,
            "by": contact.split(" ")[-1],
            "how": "致函" if asked == "来函" else "电话",
        }
        f.step(
            "feedback",
            organiser,
            sets={"feedback": back},
            at=self.moment(day + rng.randint(1, 3), 5 * rng.randint(0, 100)),
        )
        return Rec("booking", created, fields, f.entries)

    def seal(self, t0: int) -> Rec:
        """用印 or 介绍信: approved in writing or orally (entered for the leader with who heard it),
        then entered by whoever holds the seal at that moment; a few refused or referred."""
        ppl, rng = self.people, self.rng
        settings = self.seal_settings
        letter = self.chance(0.2)
        seal = "GZ" if letter else rng.choices(["GZ", "CWZ", "DZB"], [70, 20, 10])[0]
        dep = "CWK" if seal == "CWZ" else ("BGS" if seal == "DZB" else self.pick(ppl.departments))
        requester = self.member(dep)
        fields: dict[str, Any] = {"use": "介绍信" if letter else "用印", "seal": seal}
        if letter:
            recipient, errand = self.pick(LETTER_ERRANDS)
            purpose = self.text_of(errand)
            fields["title"] = f"介绍信：{purpose}"
        else:
            doc = self.recent_outgoing(t0)
            if doc is not None and self.chance(0.5):
                purpose = f"《{doc.fields['title']}》盖章"
                fields["document"] = doc
            elif seal == "DZB":
                purpose = self.pick(
                    ["支部党员发展材料盖章", "党费收缴情况报表盖章", "支部换届选举报告盖章"]
                )
            else:
                purpose = self.text_of(self.pick(SEAL_PURPOSES))
            fields["title"] = f"用印：{purpose}"
        fields["purpose"] = purpose
        if not letter:
            fields["copies"] = rng.choice([1, 2, 2, 3, 4, 6, 12, 20])
        fields.update(requester=requester, department=dep)
        if letter:
            bearer = self.office.people[requester].name
            other = self.office.people[self.member(dep)].name
            fields["recipient"] = recipient
            fields["bearers"] = [bearer] if other == bearer or self.chance(0.5) else [bearer, other]
            fields["valid_until"] = self.cal.days[t0 // WORK] + timedelta(
                days=rng.choice([3, 7, 7, 15])
            )
        leader = ppl.leader_of[dep] if dep in ppl.leader_of else settings.seals[seal].leader
        f = self.flow("seal", t0, requester)
        r = rng.random()
        if r < 0.03:
            f.step(
                "refuse",
                leader,
                self.pick(["用途不明确，不予用印。", "请按规定走合同审批程序后再申请。"]),
            )
            return Rec("seal", t0, fields, f.entries)
        if r < 0.05:
            keeper = self.holder(seal, f.t + 60)
            custodian = settings.seals[seal]
            if keeper not in (custodian.custodian, custodian.deputy):
                keeper = custodian.custodian
            f.step("refer", keeper, "申请用途与所附材料不符，请分管领导审定。")
            sup = custodian.leader
            if self.chance(0.5):
                f.step("stop", sup, "材料不全，停止用印。")
                return Rec("seal", t0, fields, f.entries)
            f.step("clear", sup, "已核实，可重新审批。")
        if self.chance(0.1):
            heard_by = ppl.registrar
            f.wait(10, 60)
            heard = f.t
            f.step(
                "approve_oral", leader,
                extras=[("heard_by", heard_by), ("heard_at", self.clock(heard))],
                entered_by=heard_by, sets={"approval": "口头", "approver": leader},
            )  # fmt: skip
        else:
            f.step(
                "approve", leader, self.pick(["同意用印。", "同意。", "同意，按规定办理。"]),
                sets={"approval": "书面", "approver": leader}, entered_by=self.on_behalf(),
            )  # fmt: skip
        f.wait(10, 120)
        keeper = self.holder(seal, f.t)
        use = f.step("use", keeper, sets={"used_at": self.clock(f.t), "keeper": keeper}, at=f.t)
        if letter:
            use.extras = [("number", None)]
        return Rec("seal", t0, fields, f.entries)

    def holder(self, seal: str, t: int) -> str:
        from oa.kinds.seal import holder

        return str(holder(self.seal_settings, seal, self.clock(t)))

    def recent_outgoing(self, t0: int) -> Rec | None:
        """An outgoing document created shortly before `t0` (a seal use stamps it)."""
        i = bisect.bisect_left(self.outgoing_t0, t0)
        if i == 0:
            return None
        rec = self.outgoing_sorted[self.rng.randint(max(0, i - 20), i - 1)]
        return rec if rec.fields.get("title") else None

    def trip(self, t0: int) -> Rec:
        """用车: requested, approved by the department's leader, dispatched with a free car and
        driver, and returned (mileage set once every trip of the car is known)."""
        ppl, rng = self.people, self.rng
        dep = self.pick(ppl.departments)
        requester = self.member(dep)
        purpose, destination = self.pick(TRIP_PURPOSES)
        begin, end = rng.choice([(30, 210), (30, 480), (330, 510), (60, 510)])
        first = t0 // WORK + rng.randint(0, 2)
        leader = ppl.leader_of[dep]
        car = driver = None
        for day in range(first, first + 10):
            cars = [v for v in self.vehicles if (v, day) not in self.cars_out]
            drivers = [d for d in self.drivers if (d, day) not in self.cars_out]
            if cars and drivers:
                car, driver = self.pick(cars), self.pick(drivers)
                break
        if car is None or driver is None:
            raise SystemExit("no car free for ten days: fewer trips, please")
        seats = self.vehicle_seats[car]
        fields: dict[str, Any] = {
            "title": f"用车：{purpose}", "requester": requester, "department": dep,
            "purpose": purpose, "destination": destination,
            "passengers": rng.randint(1, max(1, seats - 1)),
            "start": self.clock(self.moment(day, begin)), "end": self.clock(self.moment(day, end)),
        }  # fmt: skip
        created = min(t0, self.moment(day, 0))
        f = self.flow("trip", created, requester)
        r = rng.random()
        if r < 0.03:
            f.step("refuse", leader, "非公务用途，不予派车。")
            return Rec("trip", created, fields, f.entries)
        if r < 0.06:
            f.step("cancel", requester, "行程取消。")
            return Rec("trip", created, fields, f.entries)
        f.step(
            "approve", leader, "同意。" if self.chance(0.6) else None, entered_by=self.on_behalf()
        )
        self.cars_out.update({(car, day), (driver, day)})
        f.step(
            "dispatch", self.dispatcher, sets={"vehicle": car, "driver": driver, "mileage_out": 0}
        )
        back = self.moment(day, end + 5 * rng.randint(-6, 3))
        f.step(
            "return",
            self.dispatcher,
            sets={"mileage_in": 0, "returned_at": self.clock(max(back, f.t))},
            at=back,
        )
        return Rec("trip", created, fields, f.entries)

    def purchase(self, t0: int) -> Rec:
        """采购: ordinary (市场调查, signatures of the unit, 行财科 and 采购中心) or tender (调研,
        专家, 公告, 报名, 入围, 开标), then contract, acceptance and settlement with a warranty."""
        ppl, rng = self.people, self.rng
        dep = self.pick([d for d in ppl.departments if d != "LDB"])
        requester = self.member(dep)
        tender = self.chance(0.25)
        goods = rng.sample(GOODS, rng.randint(1, 3))
        if tender:
            budget = 1000 * rng.randint(300, 2800)
            method = rng.choices(["公开招标", "邀请招标"], [70, 30])[0]
            title = f"{self.pick(PROJECTS)}项目"
        else:
            budget = 100 * rng.randint(50, 2900)
            method = rng.choices(
                ["询价", "竞争性谈判", "竞争性磋商", "单一来源", "框架协议"], [50, 15, 10, 5, 20]
            )[0]
            title = f"{'、'.join(g[0] for g in goods)}采购"
        specs = []
        for name, _, colour, size, material, parameters in goods:
            spec: dict[str, Any] = {"item": name, "quantity": rng.randint(1, 40)}
            for k, v in (
                ("colour", colour),
                ("size", size),
                ("material", material),
                ("parameters", parameters),
            ):
                if v:
                    spec[k] = v
            specs.append(spec)
        fields: dict[str, Any] = {
            "title": title, "flow": "招标" if tender else "普通", "department": dep,
            "requester": requester, "budget": budget, "method": method,
        }  # fmt: skip
        office = ppl.head_clerk
        f = self.flow("purchase", t0, requester)
        f.wait_days(1, 5)
        if self.chance(0.04):
            f.step("cancel", ppl.leader_of[dep], "预算不足，暂缓采购。")
            return Rec("purchase", t0, fields, f.entries)
        f.step(
            "budget", office, sets={"budget": budget, "method": method, "funds_paid": True},
            extras=[("feedback", self.pick(["同意，资金已拨付。", "列入年度预算。", "同意，按规定程序采购。"]))],
        )  # fmt: skip
        suppliers = rng.sample(SUPPLIERS, 3)
        quotes = [
            {"supplier": s, "price": int(budget * rng.uniform(0.9, 1.05))} for s in suppliers[:2]
        ]
        f.wait_days(2, 7)
        if tender:
            f.step("study", requester, sets={"survey": quotes})
            f.wait_days(1, 4)
            f.step("consult", office, sets={"experts": rng.sample(EXPERTS, 2), "specs": specs})
            f.wait_days(1, 3)
            f.step(
                "announce",
                office,
                extras=[("notice", f"湖南省政府采购网 {self.cal.day(f.t + 60)}")],
            )
            f.wait_days(10, 20)
            f.step("register", office, sets={"bidders": suppliers + rng.sample(SUPPLIERS[3:], 1)})
            f.wait_days(1, 3)
            f.step("shortlist", office, sets={"shortlist": suppliers})
            f.wait_days(5, 10)
            f.step(
                "award",
                office,
                sets={"supplier": suppliers[0]},
                extras=[
                    (
                        "procedure",
                        "公开开标，综合评分第一"
                        if method == "公开招标"
                        else "邀请招标，综合评分第一",
                    )
                ],
            )
        else:
            f.step("survey", requester, sets={"survey": quotes, "specs": specs})
            f.wait_days(1, 3)
            f.step(
                "sign_unit",
                ppl.leader_of[dep],
                self.pick(["同意采购。", "同意，按规定程序采购。"]),
                entered_by=self.on_behalf(),
            )
            f.wait_days(1, 4)
            f.step(
                "sign_finance", office, extras=[("signer", f"市财政局行财科 {self.person_name()}")]
            )
            f.wait_days(1, 4)
            f.step(
                "sign_center", office, extras=[("signer", f"市政府采购中心 {self.person_name()}")]
            )
        f.wait_days(2, 6)
        amount = min(q["price"] for q in quotes)
        install_by = self.cal.days[f.t // WORK + rng.randint(10, 30)]
        f.step("contract", office, sets={
            "supplier": suppliers[0], "contract_no": f"LYCG-{self.year_of(f.t)}-{rng.randint(1000, 9999)}",
            "contract_amount": amount, "install_by": install_by,
        })  # fmt: skip
        f.wait_days(8, 25)
        t = f.t + 60
        inspectors = "、".join(
            [self.office.people[requester].name, self.office.people[self.member(dep)].name]
        )
        f.step(
            "accept",
            requester,
            sets={"accepted_on": self.cal.day(t), "onsite_check": True},
            extras=[("inspectors", inspectors)],
            at=t,
        )
        f.wait_days(3, 15)
        t = f.t + 60
        settled = self.cal.day(t)
        f.step("settle", self.pick(ppl.drafters["CWK"]), sets={
            "settled_amount": amount, "settled_on": settled,
            "warranty_until": date(settled.year + rng.choice([1, 2, 3]), settled.month, min(settled.day, 28)),
        }, at=t)  # fmt: skip
        return Rec("purchase", t0, fields, f.entries)

    def arrangement(self, start: date) -> Rec:
        """工作安排表 of the two weeks from `start`: items reported by the departments, released
        on the second Friday of the period before (or the last workday before it)."""
        ppl, rng = self.people, self.rng
        release = start - timedelta(days=3)
        while release not in self.cal.index:
            release -= timedelta(days=1)
        rday = self.cal.index[release]
        end = start + timedelta(days=13)
        t0 = min(self.moment(rday - rng.randint(2, 4), 5 * rng.randint(6, 30)), self.now - 120)
        clerk = ppl.registrar if self.chance(0.7) else self.pick(ppl.clerks)
        fields: dict[str, Any] = {
            "title": f"工作安排表（{start.year}年{start.month}月{start.day}日—"
            f"{end.year}年{end.month}月{end.day}日）",
            "period_from": start,
        }
        days = [d for d in (start + timedelta(days=i) for i in range(14)) if d in self.cal.index]
        f = self.flow("arrangement", t0, clerk)
        items: list[dict[str, Any]] = []
        for dep, what, where in rng.sample(WORK_ITEMS, rng.randint(2, 5)):
            by = self.member(dep)
            for _ in range(rng.randint(1, 2)):
                item: dict[str, Any] = {
                    "day": self.pick(days),
                    "department": dep,
                    "what": self.text_of(what),
                }
                if self.chance(0.5):
                    item["start"] = self.pick(["09:00", "09:30", "10:00", "14:30", "15:00"])
                if where:
                    item["where"] = where
                item["lead"] = by
                items.append(item)
            f.step("add_item", by, sets={"items": list(items)})
        f.step(
            "release",
            clerk,
            sets={"released_on": release},
            at=self.moment(rday, 5 * rng.randint(72, 100)),
        )
        return Rec("arrangement", t0, fields, f.entries)

    def meeting(self, minutes: Rec) -> tuple[Rec, Rec | None]:
        """会议 whose 会议纪要 is the outgoing `minutes`: a 主任办公会议 inside the centre, or (its
        专题 minutes) a 全市性 meeting sent for approval, held in a public room booked for it."""
        ppl, rng = self.people, self.rng
        centre = self.office.office.name
        city = minutes.title_fn != "meeting"
        end_day = minutes.t0 // WORK - rng.randint(1, 3)
        begin, end = (30, 180) if city else rng.choice([(30, 150), (30, 210), (390, 510)])
        names = self.office.people
        podium = [ppl.director, *ppl.leaders]
        attendees: list[dict[str, Any]] = [
            {"unit": centre, "name": names[p].name, "title": names[p].title or "", "rank": i + 1, "podium": True}
            for i, p in enumerate(podium)
        ]  # fmt: skip
        organizer = ppl.registrar if self.chance(0.7) else self.pick(ppl.clerks)
        topic = ""
        if city:
            topic = str(minutes.fields["title"]).removeprefix("中心").removesuffix("专题会议纪要")
            found = self.free_room_day(["R1", "R2"], end_day - 3, end_day, end)
            found = found or self.free_room_day(["R1", "R2"], end_day - 40, end_day, end)
            if found is None:
                raise SystemExit("the room register is full: fewer meetings, please")
            room, day = found
            for agency in rng.sample(AGENCIES + list(HIGHER), rng.randint(6, 12)):
                for _ in range(rng.randint(1, 2)):
                    attendees.append(
                        {
                            "unit": agency,
                            "name": self.person_name(),
                            "title": "分管负责人",
                            "rank": 30,
                        }
                    )
            importance = rng.choices(["一般", "重要"], [60, 40])[0]
        else:
            room, day = "", end_day
            for dep in ppl.departments:
                head = ppl.drafters[dep][0]
                dep_name, title = self.office.departments[dep].name, names[head].title or ""
                title = title if title.startswith(dep_name) else dep_name + title
                attendees.append({"unit": centre, "name": names[head].name, "title": title})
            importance = "一般"
        start, finish = self.moment(day, begin), self.moment(day, end)
        fields: dict[str, Any] = {"title": "", "scope": "全市性" if city else "中心内部"}
        if importance != "一般":
            fields["importance"] = importance
        if city:
            fields["level"] = "二级"
        fields.update(
            department="BGS", organizer=organizer, start=self.clock(start), end=self.clock(finish)
        )
        t0 = self.moment(
            day - rng.randint(4, 8) if city else day - rng.randint(2, 4), 5 * rng.randint(6, 30)
        )
        f = self.flow("meeting", t0, organizer)
        topics = [self.text_of(self.pick(CENTRE_TOPICS)) for _ in range(rng.randint(1, 3))]
        if city:
            topics = [f"部署{topic}工作", f"交流{topic}工作经验"]
        f.step("set_topics", organizer, sets={"topics": topics})
        if self.chance(0.03):
            f.step("cancel", organizer, "因工作安排调整，会议取消。")
            return Rec("meeting", t0, fields, f.entries, title_from=minutes), None
        booking = None
        if city:
            f.step(
                "submit_approval",
                organizer,
                sets={"attendees": attendees, "approval_to": "市政府办公室"},
            )
            f.step(
                "approve",
                organizer,
                "同意召开。",
                extras=[("approver", f"市政府办公室 {self.person_name()}")],
            )
            venue = {"venue": self.booking_settings.rooms[room].name, "room": room}
        else:
            f.step("confirm_attendees", organizer, sets={"attendees": attendees})
            venue = {"venue": "中心五楼小会议室"}
        rec = Rec("meeting", t0, fields, f.entries, title_from=minutes)
        if city:
            booked = max(f.t + 30, self.moment(day - rng.randint(1, 3), 0))
            booking = self.booking(booked, {
                "room": room, "day": day, "begin": begin, "end": end, "title": "", "rec": rec,
                "attendance": len(attendees), "level": "二级",
            })  # fmt: skip
            booking.title_from = minutes
            venue["booking"] = booking
            f.step("choose_venue", organizer, sets=venue, at=booking.entries[0].t)
        else:
            f.step("choose_venue", organizer, sets=venue)
        notices = []
        for unit in dict.fromkeys(a["unit"] for a in attendees):
            channels = ["电话", "传真"] if importance == "重要" else ["电话"]
            for channel in channels:
                notice: dict[str, Any] = {
                    "unit": unit,
                    "channel": channel,
                    "at": self.clock(f.t + 30),
                }
                if channel == "电话":
                    notice["receiver"] = "办公室值班员" if unit == centre else self.person_name()
                notice.update(confirmed=True, by=organizer)
                notices.append(notice)
        f.step("notify", organizer, sets={"notices": notices}, at=f.t + 30)
        f.step("notices_done", organizer)
        f.step(
            "prepare_papers",
            organizer,
            sets={"materials": ["会议议程", *(f"{t}的材料" for t in topics)]},
            at=self.moment(day - 1, 5 * rng.randint(60, 90)),
        )
        from oa.kinds.meeting import podium_seats

        seating = {"podium": podium_seats(attendees)}
        f.step("seat", organizer, sets={"seating": seating})
        f.step("set_up", organizer, sets={"banner": ""}, at=start - 30)
        arrivals = [
            {"name": a["name"], "unit": a["unit"], "at": self.clock(start - 10)} for a in attendees
        ]
        f.step("checkin", organizer, sets={"checkin": arrivals}, at=start - 10)
        checked = {**seating, "checked_at": self.clock(start - 5), "changes": ["无变化"]}
        f.step("recheck", organizer, sets={"seating": checked}, at=start - 5)
        decided = "；".join(f"{t}，由相关科室抓紧落实" for t in topics)
        f.step("record", organizer, sets={"record": f"会议议定：{decided}。"}, at=finish + 30)
        drafter = minutes.entries[0].by
        f.step("minutes", drafter, sets={"minutes": minutes}, at=minutes.t0)
        rec.entries = f.entries
        return rec, booking

    # -- the office ----------------------------------------------------------------------------

    def build(self) -> None:
        counts = kind_counts(self.n)
        n_in, n_out = counts["incoming"], counts["outgoing"]
        outgoing = 0
        for _ in range(n_in):
            rec, reply = self.incoming(self.random_time())
            self.records.append(rec)
            if reply is not None and reply[0] <= self.now and outgoing < n_out:
                t, sender, topic, target = reply
                lead = str(target.fields["department"])
                out = self.outgoing(5 * (t // 5), reply=(sender, topic, target), department=lead)
                self.records.append(out)
                outgoing += 1
        while outgoing < n_out:
            self.records.append(self.outgoing(self.random_time()))
            outgoing += 1
        self.affairs(counts)
        self.records.sort(key=lambda r: (r.t0, r.kind))
        self._truncate()
        self._ids()
        self._links()
        self._numbers()
        self._archive_codes()
        self._letters()
        self._mileage()
        self._handovers()
        self._pins()

    def affairs(self, counts: dict[str, int]) -> None:
        """The other kinds, linked where the office links them: meetings to their minutes and
        bookings, 督办 items to their sources, seal uses to documents, handovers to the log."""
        rng = self.rng
        add = self.records.append
        outs = sorted((r for r in self.records if r.kind == "outgoing"), key=lambda r: r.t0)
        self.outgoing_sorted = outs
        self.outgoing_t0 = [r.t0 for r in outs]
        # meetings: each one's minutes is a 会议纪要 of the outgoing documents
        minutes = [
            r for r in outs
            if r.fields["doc_kind"] in self.minutes_codes and r.t0 // WORK > 12
        ]  # fmt: skip
        meetings: list[Rec] = []
        for doc in rng.sample(minutes, min(counts["meeting"], len(minutes))):
            rec, booking = self.meeting(doc)
            meetings.append(rec)
            add(rec)
            if booking is not None and counts["booking"] > 0:
                add(booking)
                counts["booking"] -= 1
        for _ in range(counts["booking"]):
            add(self.booking(self.random_time()))
        # arrangements: distinct two-week periods, the next one still being drawn up
        anchor: date = self.arrangement_anchor
        first = date(self.first_year, 1, 16)
        last = self.today + timedelta(days=21)
        k0 = -((anchor - first).days // 14)
        starts = [
            anchor + timedelta(days=14 * k) for k in range(k0, (last - anchor).days // 14 + 1)
        ]
        starts = [s for s in starts if first <= s <= last]
        chosen = sorted(rng.sample(starts[:-1], min(counts["arrangement"] - 1, len(starts) - 1)))
        plans = [self.arrangement(s) for s in [*chosen, starts[-1]][: counts["arrangement"]]]
        for rec in plans:
            add(rec)
        # the duty log: some entries forwarded, each with its 督办 item
        n_sup = counts["supervision"]
        n_fwd = min(round(counts["duty"] * 0.2), n_sup)
        forwarded = set(rng.sample(range(counts["duty"]), n_fwd))
        duty: list[Rec] = []
        for i in range(counts["duty"]):
            made = self.duty(self.random_time(), i in forwarded)
            duty.append(made[0])
            self.records.extend(made)
        self.duty_log = sorted(duty, key=lambda r: r.t0)
        for _ in range(counts["handover"]):
            add(self.handover(self.random_time() // WORK))
        # the other 督办 items: from incoming documents, meeting decisions, arrangement items and
        # leaders' assignments
        incoming = [
            r for r in self.records if r.kind == "incoming" and r.fields["handling"] == "批办"
        ]
        held_meetings = [m for m in meetings if any(e.action == "record" for e in m.entries)]
        plans = [p for p in plans if p.entries[-1].action == "release" and len(p.entries) > 2]
        for _ in range(n_sup - n_fwd):
            r = rng.random()
            if r < 0.4 and incoming:
                src = self.pick(incoming)
                dep = str(src.fields["department"])
                what = f"落实{src.fields['title']}"
                add(
                    self.supervise(
                        src.entries[min(2, len(src.entries) - 1)].t + 60, "收文", src, dep, what
                    )
                )
            elif r < 0.55 and held_meetings:
                src = self.pick(held_meetings)
                dep = self.pick(self.people.departments)
                what = f"落实会议议定事项：{self.pick(src.entries[1].sets['topics'])}"
                held = next(e.t for e in src.entries if e.action == "record")
                add(self.supervise(held + 60, "会议决定", src, dep, what))
            elif r < 0.7 and plans:
                src = self.pick(plans)
                items = src.entries[-2].sets["items"]
                k = rng.randrange(len(items))
                what = f"工作安排：{items[k]['what']}"
                add(
                    self.supervise(
                        src.entries[-1].t + 30,
                        "工作安排",
                        src,
                        str(items[k]["department"]),
                        what,
                        item=k,
                    )
                )
            else:
                dep = self.pick(self.people.departments)
                what = self.text_of(
                    self.pick(
                        [
                            "研究{topic}工作方案",
                            "落实{project}前期工作",
                            "答复群众反映的{issue}问题",
                            "做好{meeting}会务保障",
                        ]
                    )
                )
                add(self.supervise(self.random_time(), "领导交办", None, dep, what))
        for _ in range(counts["seal"]):
            add(self.seal(self.random_time()))
        for _ in range(counts["trip"]):
            add(self.trip(self.random_time()))
        for _ in range(counts["purchase"]):
            add(self.purchase(self.random_time()))
        for _ in range(counts["mail"]):
            add(self.mail(self.random_time()))

    def _truncate(self) -> None:
        """Steps not yet taken by `today` are dropped; then enough recent records are held in each
        open state that every state has some (a stalled record: a leader away, a slow reply)."""
        for rec in self.records:
            rec.entries = [e for e in rec.entries if e.t <= self.now]
            assert rec.entries, f"a {rec.kind} record created after today"
        for kind, wf in self.wfs.items():
            if kind in SET_BY:
                per_state = max(2, min(12, self.n // 500))
                open_states = [s for s, d in wf["states"].items() if not d.get("final")]
            else:
                per_state = max(1, min(4, self.n // 5000))
                open_states = HELD_OPEN.get(kind, [])
            finals = {s for s, d in wf["states"].items() if d.get("final")}
            mine = [r for r in self.records if r.kind == kind]
            counts = Counter(r.entries[-1].to for r in mine)
            spare = len(mine) if kind in SET_BY else len(mine) // 4  # most are finished
            for state in open_states:
                missing = min(per_state - counts[state], spare)
                for rec in reversed(mine):
                    if missing <= 0:
                        break
                    if rec.linked or rec.entries[-1].to not in finals - HELD_BACK:
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
                    spare -= 1

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

    def _links(self) -> None:
        """Links to other records become their IDs; a meeting (and the booking made for it) takes
        its title from its minutes: 中心2026年第3次主任办公会议, or 全市…工作会议."""
        for rec in self.records:
            src = rec.title_from
            if src is not None:
                title = meeting_title(str(src.fields["title"]))
                rec.fields["title"] = title
                if rec.kind == "booking":
                    rec.fields["banner"] = title
                for e in rec.entries:
                    if e.sets and "banner" in e.sets:
                        e.sets["banner"] = title
        for rec in self.records:
            if rec.kind in SET_BY:
                continue
            rec.fields = {k: as_id(v) for k, v in rec.fields.items()}
            for e in rec.entries:
                if e.sets:
                    e.sets = {k: as_id(v) for k, v in e.sets.items()}

    def _letters(self) -> None:
        """介绍信 numbers in the order letters were issued, 1..n per year (OA482)."""
        issued = [
            (e.t, rec.rid, rec, e)
            for rec in self.records if rec.kind == "seal" and rec.fields["use"] == "介绍信"
            for e in rec.entries if e.action == "use"
        ]  # fmt: skip
        issued.sort(key=lambda x: (x[0], x[1]))
        seq: Counter[int] = Counter()
        short = self.office.office.short_name
        code = self.seal_settings.letter_code
        for t, _, _, e in issued:
            year = self.year_of(t)
            seq[year] += 1
            assert e.sets is not None
            e.sets["letter_number"] = seq[year]
            e.extras = [("number", f"{short}{code}〔{year}〕{seq[year]}号")]

    def _mileage(self) -> None:
        """Each car's odometer runs on from trip to trip, in the order the trips were made."""
        trips = sorted(
            (e.sets["vehicle"], r.fields["start"], r.rid, r)
            for r in self.records if r.kind == "trip"
            for e in r.entries if e.action == "dispatch" and e.sets
        )  # fmt: skip
        odometer = {car: 8000 + 3000 * i for i, car in enumerate(self.vehicles)}
        for car, _, _, rec in trips:
            out = odometer[car] + self.rng.randint(0, 40)
            distance = self.rng.randint(8, 260)
            for e in rec.entries:
                if e.action == "dispatch" and e.sets:
                    e.sets["mileage_out"] = out
                elif e.action == "return" and e.sets:
                    e.sets["mileage_in"] = out + distance
                    e.extras = [("distance", distance)]
            odometer[car] = out + distance

    def _handovers(self) -> None:
        """A handover lists the duty entries still open when it was made (at most five)."""
        log = self.duty_log
        starts = [r.t0 for r in log]
        for rec in self.records:
            if rec.kind != "handover":
                continue
            t = rec.t0
            i = bisect.bisect_right(starts, t)
            still = [
                r for r in log[max(0, i - 60) : i]
                if r.entries[-1].t > t or r.entries[-1].to != "closed"
            ]  # fmt: skip
            if still:
                rec.fields["open_entries"] = [r.rid for r in still[-5:]]

    def _pins(self) -> None:
        """An approval's pin: the hash of what it approved, as `oa.core.pins.pin` makes it."""
        for rec in self.records:
            if rec.kind in SET_BY:
                continue
            values = dict(rec.fields)
            for e in rec.entries:
                if e.sets:
                    values.update(e.sets)  # a step's own fields are set before it pins
                if e.pins:
                    h = hashlib.sha256()
                    for name in sorted(e.pins):
                        pair = [name, pinned_value(rec.kind, name, plain(values.get(name)))]
                        h.update(json.dumps(pair, ensure_ascii=False, sort_keys=True).encode())
                    e.extras.append(("pinned", "sha256:" + h.hexdigest()))

    # -- text ----------------------------------------------------------------------------------

    def data(self, rec: Rec, upto: int | None = None) -> dict[str, Any]:
        """The record as it stood after its first `upto` steps, in file order."""
        entries = rec.entries if upto is None else rec.entries[:upto]
        taken = {e.action for e in entries}
        set_by = SET_BY.get(rec.kind)
        fields = rec.fields
        if set_by is None:  # the other kinds: each step's own fields
            set_by = {}
            fields = dict(fields)
            for e in entries:
                if e.sets:
                    fields.update(e.sets)
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
                value = fields.get(key)
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
            described = {k: v for k, v in data.items() if k != "history"}
            data["archive"] = {**stamp, "fingerprint": fingerprint(described)}
        cal_at = self.cal.at
        generic = rec.kind not in SET_BY  # nested values: lists of mappings of lists …
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
            elif generic:
                emit_map(add, {key: value}, "")
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


def meeting_title(minutes: str) -> str:
    """The meeting a 会议纪要 is of: 中心2026年第3次主任办公会议纪要 → 中心2026年第3次主任办公会议;
    中心X专题会议纪要 (a 全市性 meeting's) → 全市X工作会议."""
    if minutes.endswith("专题会议纪要"):
        return "全市" + minutes.removeprefix("中心").removesuffix("专题会议纪要") + "工作会议"
    return minutes.removesuffix("纪要")


def as_id(value: Any) -> Any:
    """A linked record (or list of them) as its ID."""
    if isinstance(value, Rec):
        return value.rid
    if isinstance(value, list):
        return [v.rid if isinstance(v, Rec) else v for v in value]
    return value


# ruamel.yaml (YAML 1.2) writes these plain; anything else the pools produce is refused loudly
_NEEDS_QUOTES = re.compile(
    r"^(?:[-+]?[0-9][0-9_]*(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|true|false|True|False|TRUE|FALSE|null|Null|NULL|~|\.inf|\.nan)$"
)
_UNSAFE = re.compile(r"(?:^[\s\-?:,\[\]{}#&*!|>'\"%@`]|: |\s#|:$|\s$|[\n\t])")


def emit_map(add: Any, mapping: dict[str, Any], indent: str, lead: str | None = None) -> None:
    """A block mapping as ruamel.yaml lays it out in oa (sequences indented 4, dash offset 2)."""
    first = indent if lead is None else lead
    for key, value in mapping.items():
        if isinstance(value, dict) and value:
            add(f"{first}{key}:")
            emit_map(add, value, indent + "  ")
        elif isinstance(value, list) and value:
            add(f"{first}{key}:")
            inner = indent + "  "
            for item in value:
                if isinstance(item, dict):
                    emit_map(add, item, inner + "  ", inner + "- ")
                else:
                    add(f"{inner}- {scalar(item)}")
        elif isinstance(value, list | dict):
            add(f"{first}{key}: {'[]' if isinstance(value, list) else '{}'}")
        else:
            add(f"{first}{key}: {scalar(value)}")
        first = indent


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if not text:
        return "''"
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
    # the benchmark's single-record cases act on documents, as they did before the other kinds
    documents = [r for r in open_recs if r.kind in SET_BY]
    commits_of = Counter(rid for _, rid, _, rec in live if rec.kind in SET_BY)
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
        "touch": documents[-1].rid if documents else recs[-1].rid,
        "show": max(documents or recs, key=lambda r: len(r.entries)).rid,
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

"""Rebuild the demo office's meetings and room bookings in records/ by running every step through
the real engine and the kinds' own rules (lead times, overlaps, fees, notices, seating).

    python tools/demo_meetings.py

Steps run in time order (OA_NOW set for each) on a temporary copy of records/; then the folders
`meeting/` and `booking/` are copied back. The demo's "today" is 2026-11-30 (a Monday). Two
finished meetings link their minutes to 浏后勤会纪 documents of the outgoing demo.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from oa.core.engine import advance, create  # noqa: E402
from oa.core.identity import Actor  # noqa: E402
from oa.core.registry import kinds  # noqa: E402
from oa.core.store import Store  # noqa: E402
from oa.kinds import booking as bk  # noqa: E402
from oa.kinds import meeting as mtg  # noqa: E402
from oa.render.meeting import DEFAULT_NOTES  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
CLERK = Actor("wangfang")  # 办公室 文秘, organizes the center's meetings
OFFICE_HEAD = Actor("liuyan")
SCHEDULER = Actor("huangli")  # 事务一科 会务安排
RECEIVER = Actor("zhoujing")  # 物业公司会务组

CENTER = "浏阳市机关后勤服务中心"


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def leaders_of_center() -> list[dict[str, Any]]:
    return [
        {"unit": CENTER, "name": "陈国华", "title": "主任", "rank": 1, "podium": True},
        {"unit": CENTER, "name": "汤志强", "title": "副主任", "rank": 2, "podium": True},
        {"unit": CENTER, "name": "周慧敏", "title": "副主任", "rank": 3, "podium": True},
        {"unit": CENTER, "name": "李建国", "title": "副主任", "rank": 4, "podium": True},
    ]


def center_staff(*names: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"unit": CENTER, "name": n, "title": title} for n, title in names]


CITY = [
    {"unit": "浏阳市人民政府", "name": "刘志刚", "title": "副市长", "rank": 1, "podium": True},
    {
        "unit": "浏阳市人民政府办公室",
        "name": "张建军",
        "title": "副主任",
        "rank": 2,
        "podium": True,
    },
    {"unit": CENTER, "name": "陈国华", "title": "主任", "rank": 3, "podium": True},
    {"unit": "浏阳市财政局", "name": "李明", "title": "局长", "rank": 4, "podium": True},
    {
        "unit": "浏阳市机关事务服务中心",
        "name": "黄志伟",
        "title": "主任",
        "rank": 5,
        "podium": True,
    },
    {"unit": "浏阳市财政局", "name": "赵敏", "title": "行财科科长"},
    {"unit": "浏阳市教育局", "name": "王强", "title": "副局长"},
    {"unit": "浏阳市教育局", "name": "周涛", "title": "办公室主任"},
    {"unit": "浏阳市卫生健康局", "name": "罗丹", "title": "副局长"},
    {"unit": "浏阳市卫生健康局", "name": "彭丽", "title": "办公室主任"},
    {"unit": "浏阳市住房和城乡建设局", "name": "吴刚", "title": "副局长"},
    {"unit": "浏阳市人民政府办公室", "name": "邹平", "title": "秘书科科长"},
]

PLAN_CITY = {
    "bodies": [
        {"name": "会务组", "lead": "liuyan", "duties": "会议方案、通知、材料、签到、记录"},
        {"name": "会场保障组", "lead": "hujun", "duties": "会场布置、音响、灯光、茶水"},
        {"name": "安全保卫组", "lead": "songtao", "duties": "安保、车辆引导、医疗保障"},
    ],
    "tasks": [
        {
            "what": "起草会议方案报中心领导审阅",
            "owner": "liuyan",
            "due": "2026-11-27",
            "done": True,
        },
        {"what": "印制会议材料并装袋", "owner": "xiaoting", "due": "2026-12-01"},
        {"what": "制作会标及领导铭牌", "owner": "hujun", "due": "2026-12-01"},
        {"what": "落实安保及医疗保障", "owner": "songtao", "due": "2026-12-01"},
    ],
}

PLAN_SURVEY = {
    "bodies": [{"name": "会务组", "lead": "wangfang", "duties": "通知、签到、记录"}],
    "tasks": [
        {"what": "收集各单位服务需求书面材料", "owner": "dengming", "due": "2026-11-27"},
        {"what": "准备征询意见表", "owner": "wangfang", "due": "2026-12-02"},
    ],
}


def build(target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "office"
        shutil.copytree(target, work, ignore=shutil.ignore_patterns("meeting", "booking", ".oa"))
        store = Store(work)
        ids: dict[str, str] = {}
        steps: list[tuple[datetime, int, Callable[[], Any]]] = []

        def at(when: str, fn: Callable[[], Any]) -> None:
            steps.append((t(when), len(steps), fn))

        def step(key: str, action: str, actor: Actor = CLERK, **kw: Any) -> Callable[[], Any]:
            return lambda: advance(store, ids[key], action, actor, **kw)

        # -- bookings ------------------------------------------------------------------------
        def booking(key: str, when: str, for_meeting: str | None = None, **fields: Any) -> None:
            fields.setdefault("contact", "办公室")
            fields.setdefault("asked_by", "来电")

            def make() -> None:
                if for_meeting:
                    fields["meeting"] = ids[for_meeting]
                ids[key] = bk.book(store, SCHEDULER, fields).rid

            at(when, make)

        def full_checks(key: str, before: str, during: str, after: str, **kw: Any) -> None:
            at(before, lambda: bk.check(store, ids[key], "before", RECEIVER))
            at(during, lambda: bk.check(store, ids[key], "during", RECEIVER))
            at(after, lambda: bk.check(store, ids[key], "after", RECEIVER, **kw))

        def signed(key: str, sign: str, accept: str) -> None:
            at(sign, lambda: bk.sign(store, ids[key], SCHEDULER))
            at(accept, step(key, "accept", RECEIVER))

        booking(
            "bk_fin", "2026-11-16 10:00", title="全市财政预算编制工作会议", unit="浏阳市财政局",
            contact="赵敏", phone="83612345", room="R1", start=t("2026-11-18 09:00"),
            end=t("2026-11-18 16:30"), podium=5, attendance=150, level="二级",
            leaders=["李明"], banner="全市2027年度财政预算编制工作会议", layout="剧院式",
            extras=["鲜花", "领导铭牌", "座位牌"],
        )  # fmt: skip
        signed("bk_fin", "2026-11-16 15:00", "2026-11-16 16:30")
        full_checks("bk_fin", "2026-11-17 16:30", "2026-11-18 08:30", "2026-11-18 17:30")
        at(
            "2026-11-19 10:00",
            step("bk_fin", "feedback", SCHEDULER,
                 sets={"feedback": {"rating": "满意", "comment": "会场布置规范，服务及时。",
                                    "by": "赵敏", "how": "电话"}}),
        )  # fmt: skip

        booking(
            "bk_party", "2026-11-18 09:30", title="市委理论学习中心组学习会", unit="中共浏阳市委",
            contact="市委办公室 邹平", room="R2", start=t("2026-11-20 14:30"),
            end=t("2026-11-20 17:30"), podium=5, attendance=40, level="一级",
            leaders=["市委主要领导"], banner="市委理论学习中心组2026年第10次集体学习",
            layout="回字形", extras=["鲜花", "领导铭牌", "座位牌", "分区布局图"], asked_by="来函",
        )  # fmt: skip
        signed("bk_party", "2026-11-18 14:00", "2026-11-18 15:00")
        full_checks("bk_party", "2026-11-19 17:00", "2026-11-20 14:00", "2026-11-20 18:00")
        at(
            "2026-11-23 09:30",
            step("bk_party", "feedback", SCHEDULER,
                 sets={"feedback": {"rating": "满意", "comment": "", "by": "邹平", "how": "致函"}}),
        )  # fmt: skip

        booking(
            "bk_edu", "2026-11-25 09:00", title="全市教育系统安全工作会议", unit="浏阳市教育局",
            contact="周涛", phone="83011234", room="R2", start=t("2026-11-27 09:00"),
            end=t("2026-11-27 11:30"), podium=3, attendance=55, level="三级",
            leaders=["王强"], banner="全市教育系统冬季安全工作会议", layout="课桌式",
            extras=["座位牌"],
        )  # fmt: skip
        signed("bk_edu", "2026-11-25 15:00", "2026-11-25 16:00")
        full_checks(
            "bk_edu", "2026-11-26 16:30", "2026-11-27 08:30", "2026-11-27 12:00",
            damage="无线话筒一支失灵，已报修",
        )  # fmt: skip

        booking(
            "bk_build", "2026-11-27 10:00", title="建筑工地冬季安全生产调度会",
            unit="浏阳市住房和城乡建设局", contact="吴刚", room="R3",
            start=t("2026-11-30 08:30"), end=t("2026-11-30 11:30"), attendance=25,
            level="三级", leaders=["吴刚"], layout="圆桌式",
        )  # fmt: skip
        signed("bk_build", "2026-11-27 14:00", "2026-11-27 15:00")
        at("2026-11-29 16:30", lambda: bk.check(store, ids["bk_build"], "before", RECEIVER))
        at("2026-11-30 08:20", lambda: bk.check(store, ids["bk_build"], "during", RECEIVER))

        booking(
            "bk_city", "2026-11-29 09:00", for_meeting="city", title="全市机关后勤保障工作会议", unit="浏阳市人民政府",
            contact="王芳", phone="83620000", room="R1", start=t("2026-12-02 09:00"),
            end=t("2026-12-02 11:30"), podium=5, attendance=12, level="一级",
            leaders=["刘志刚"], banner="全市机关后勤保障工作会议", layout="剧院式",
            extras=["鲜花", "果盘", "欢迎标牌", "领导铭牌", "座位牌", "分区布局图"],
        )  # fmt: skip
        signed("bk_city", "2026-11-29 10:00", "2026-11-29 11:00")

        booking(
            "bk_audit", "2026-11-28 09:00", title="审计整改工作推进会", unit="浏阳市审计局",
            contact="刘洋", room="R2", start=t("2026-12-01 09:00"), end=t("2026-12-01 11:30"),
            podium=3, attendance=45, level="三级", leaders=["审计局局长"], layout="课桌式",
        )  # fmt: skip
        signed("bk_audit", "2026-11-28 10:00", "2026-11-28 11:00")
        at("2026-11-30 08:50", lambda: bk.check(store, ids["bk_audit"], "before", RECEIVER))

        booking(
            "bk_health", "2026-11-30 08:10", title="冬春季传染病防控工作会议",
            unit="浏阳市卫生健康局", contact="彭丽", phone="83655678", room="R2",
            start=t("2026-12-03 14:30"), end=t("2026-12-03 17:00"), podium=3, attendance=50,
            level="二级", leaders=["罗丹"], banner="全市冬春季传染病防控工作会议",
            layout="课桌式", extras=["座位牌"],
        )  # fmt: skip
        at("2026-11-30 08:30", lambda: bk.sign(store, ids["bk_health"], SCHEDULER))

        booking(
            "bk_tour", "2026-11-30 08:40", title="文旅项目推介会筹备会", unit="浏阳市文化旅游广电局",
            contact="陈静", room="R3", start=t("2026-12-03 09:00"), end=t("2026-12-03 11:00"),
            attendance=20, level="三级", layout="圆桌式",
        )  # fmt: skip

        booking(
            "bk_water", "2026-11-28 15:00", title="防汛抗旱工作总结会", unit="浏阳市水利局",
            contact="易军", room="R3", start=t("2026-12-01 14:30"), end=t("2026-12-01 17:00"),
            attendance=28, level="三级", layout="圆桌式",
        )  # fmt: skip
        at(
            "2026-11-29 09:00",
            lambda: bk.cancel(store, ids["bk_water"], SCHEDULER, "水利局来电：会议延期至12月中旬"),
        )

        # -- meetings ------------------------------------------------------------------------
        def meeting(key: str, when: str, **fields: Any) -> None:
            fields.setdefault("department", "BGS")
            fields.setdefault("organizer", "wangfang")

            def make() -> None:
                ids[key] = create(store, kinds()["meeting"], fields, CLERK).rid

            at(when, make)

        def notify(key: str, when: str, unit: str, channels: list[str], receiver: str | None,
                   **kw: Any) -> None:  # fmt: skip
            at(
                when,
                lambda: mtg.notify(
                    store, ids[key], CLERK, unit=unit, channels=channels, receiver=receiver, **kw
                ),
            )

        def notify_all(key: str, when: str, people: list[dict[str, Any]], channels: list[str],
                       **kw: Any) -> None:  # fmt: skip
            receivers = ["办公室值班员", "秘书科", "综合股", "办公室"]
            for i, unit in enumerate(mtg.units_of(people)):
                notify(key, when, unit, channels, receivers[i % len(receivers)], **kw)

        def to_papers(key: str, people: list[dict[str, Any]], days: dict[str, str],
                      topics: list[str], venue: str, room: str | None = None,
                      channels: tuple[str, ...] = ("电话",)) -> None:  # fmt: skip
            at(days["topics"], step(key, "set_topics", sets={"topics": topics}))
            at(days["attendees"], step(key, "confirm_attendees", sets={"attendees": people}))
            sets: dict[str, Any] = {"venue": venue}
            if room:
                sets["room"] = room
            at(days["venue"], step(key, "choose_venue", sets=sets))
            notify_all(key, days["notice"], people, list(channels))
            at(days["notice"], step(key, "notices_done"))

        def hold(key: str, days: dict[str, str], people: list[dict[str, Any]],
                 materials: list[str], absent: dict[str, str], record: str) -> None:  # fmt: skip
            at(days["papers"], step(key, "prepare_papers", sets={"materials": materials}))
            at(days["seat"], lambda: mtg.seat(store, ids[key], CLERK, again=False))
            at(days["open"], step(key, "set_up"))
            here = [p["name"] for p in people if p["name"] not in absent]
            at(days["checkin"], lambda: mtg.check_in(store, ids[key], CLERK, here))
            for name, why in absent.items():
                at(days["checkin"], lambda n=name, w=why: mtg.absent(store, ids[key], CLERK, n, w))
            at(days["recheck"], lambda: mtg.seat(store, ids[key], CLERK, again=True))
            if record:
                at(days["record"], step(key, "record", sets={"record": record}))

        office_people = leaders_of_center() + center_staff(
            ("刘艳", "办公室主任"), ("彭伟", "事务一科科长"), ("邓明", "事务二科科长"),
            ("杨雪", "财务科科长"), ("胡军", "物业管理科科长"), ("宋涛", "安全保卫科科长"),
        )  # fmt: skip

        # done: the 10th 主任办公会议, minutes OUT-2026-0013 (浏后勤会纪〔2026〕3号)
        meeting("m10", "2026-10-26 09:00", title="中心2026年第10次主任办公会议",
                scope="中心内部", start=t("2026-10-30 09:00"), end=t("2026-10-30 11:30"),
                banner="中心2026年第10次主任办公会议")  # fmt: skip
        days10 = {"topics": "2026-10-26 10:00", "attendees": "2026-10-27 09:00",
                  "venue": "2026-10-27 09:30", "notice": "2026-10-28 09:00",
                  "papers": "2026-10-29 15:00", "seat": "2026-10-29 16:00",
                  "open": "2026-10-30 08:30", "checkin": "2026-10-30 08:50",
                  "recheck": "2026-10-30 08:55", "record": "2026-10-30 12:00"}  # fmt: skip
        to_papers("m10", office_people, days10,
                  ["研究四季度机关食堂工作", "研究冬季安全生产工作", "审议公共会议室收费调整"],
                  "中心五楼小会议室")  # fmt: skip
        hold("m10", days10, office_people, ["会议议程", "议题材料（3份）"], {"邓明": "公出"},
             "会议由陈国华主任主持。会议议定：一、四季度食堂服务满意度测评于11月完成；"
             "二、冬季安全生产大检查12月开展；三、公共会议室收费标准维持不变。")  # fmt: skip
        at("2026-11-02 15:30", step("m10", "minutes", sets={"minutes": "OUT-2026-0013"}))

        # done: the 11th 主任办公会议, minutes OUT-2026-0023 (drafting)
        meeting("m11", "2026-11-20 09:00", title="中心2026年第11次主任办公会议",
                scope="中心内部", start=t("2026-11-26 09:00"), end=t("2026-11-26 11:00"),
                banner="中心2026年第11次主任办公会议")  # fmt: skip
        days11 = {"topics": "2026-11-20 10:00", "attendees": "2026-11-23 09:00",
                  "venue": "2026-11-23 09:30", "notice": "2026-11-24 09:00",
                  "papers": "2026-11-25 15:00", "seat": "2026-11-25 16:00",
                  "open": "2026-11-26 08:30", "checkin": "2026-11-26 08:50",
                  "recheck": "2026-11-26 08:55", "record": "2026-11-26 11:30"}  # fmt: skip
        to_papers("m11", office_people, days11,
                  ["研究全市机关后勤保障工作会议筹备", "研究2027年工作要点起草"],
                  "中心五楼小会议室")  # fmt: skip
        hold("m11", days11, office_people, ["会议议程", "会议筹备方案（讨论稿）"], {},
             "会议议定：全市机关后勤保障工作会议12月2日召开，办公室牵头筹备；"
             "2027年工作要点由办公室12月中旬前起草。")  # fmt: skip
        at("2026-11-27 16:30", step("m11", "minutes", sets={"minutes": "OUT-2026-0023"}))

        # recorded: the monthly safety meeting, waiting for its minutes
        safety = [
            *leaders_of_center()[:1],
            {"unit": CENTER, "name": "李建国", "title": "副主任", "rank": 2, "podium": True},
            *center_staff(("宋涛", "安全保卫科科长"), ("胡军", "物业管理科科长"),
                          ("蔡勇", "车辆管理科科长"), ("谢梅", "物业管理科科员")),
        ]  # fmt: skip
        meeting("safe", "2026-11-23 10:00", title="中心11月安全生产工作例会",
                scope="中心内部", start=t("2026-11-27 14:30"), end=t("2026-11-27 16:00"),
                banner="中心11月安全生产工作例会")  # fmt: skip
        days_s = {"topics": "2026-11-23 10:30", "attendees": "2026-11-23 11:00",
                  "venue": "2026-11-24 09:00", "notice": "2026-11-24 10:00",
                  "papers": "2026-11-26 15:00", "seat": "2026-11-26 16:00",
                  "open": "2026-11-27 14:00", "checkin": "2026-11-27 14:20",
                  "recheck": "2026-11-27 14:25", "record": "2026-11-27 16:30"}  # fmt: skip
        to_papers("safe", safety, days_s, ["通报11月安全检查情况", "部署冬季消防安全工作"],
                  "中心五楼小会议室")  # fmt: skip
        hold("safe", days_s, safety, ["会议议程", "11月安全检查情况通报"],
             {"陈国华": "参加市政府常务会议"},
             "会议由李建国副主任主持。宋涛通报了11月安全检查发现的4处隐患及整改情况；"
             "会议要求12月15日前完成冬季消防安全自查。")  # fmt: skip

        # open: the staff forum this morning, signed in and rechecked
        forum = leaders_of_center()[:2] + center_staff(
            ("刘艳", "办公室主任"), ("彭伟", "事务一科科长"), ("罗青", "职工代表"),
            ("孙鹏", "职工代表"), ("肖婷", "职工代表"), ("谢梅", "职工代表"),
        )  # fmt: skip
        meeting("forum", "2026-11-24 09:00", title="中心2026年职工代表座谈会",
                scope="中心内部", start=t("2026-11-30 08:30"), end=t("2026-11-30 10:30"),
                banner="中心2026年职工代表座谈会")  # fmt: skip
        days_f = {"topics": "2026-11-24 09:30", "attendees": "2026-11-24 10:00",
                  "venue": "2026-11-25 09:00", "notice": "2026-11-25 10:00",
                  "papers": "2026-11-27 15:00", "seat": "2026-11-27 16:00",
                  "open": "2026-11-30 08:00", "checkin": "2026-11-30 08:20",
                  "recheck": "2026-11-30 08:25", "record": ""}  # fmt: skip
        to_papers("forum", forum, days_f, ["听取职工代表对中心工作的意见建议"],
                  "中心五楼小会议室", channels=("短信",))  # fmt: skip
        hold("forum", days_f, forum, ["会议议程", "意见建议征集表"], {"汤志强": "外出学习"}, "")

        # setup: the city-wide meeting on 12-02, 特别重要, every seat assigned
        meeting("city", "2026-11-25 09:00", title="全市机关后勤保障工作会议", scope="全市性",
                importance="特别重要", level="一级", start=t("2026-12-02 09:00"),
                end=t("2026-12-02 11:30"), banner="全市机关后勤保障工作会议",
                organizer="liuyan")  # fmt: skip
        at("2026-11-25 09:30", step("city", "set_topics",
                                    sets={"topics": ["总结2026年全市机关后勤保障工作",
                                                     "部署2027年重点工作", "表彰先进单位"],
                                          "agenda": [
                                              {"time": "09:00", "item": "主持人宣布会议开始",
                                               "who": "张建军"},
                                              {"time": "09:05", "item": "宣读表彰决定",
                                               "who": "黄志伟"},
                                              {"time": "09:20", "item": "工作报告",
                                               "who": "陈国华"},
                                              {"time": "10:10", "item": "讲话", "who": "刘志刚"},
                                          ]}))  # fmt: skip
        at(
            "2026-11-25 10:00",
            step(
                "city", "submit_approval", sets={"attendees": CITY, "approval_to": "市政府办公室"}
            ),
        )
        at("2026-11-26 15:00", step("city", "approve", opinion="同意召开。",
                                    entry_values={"approver": "市政府办公室 张建军"}))  # fmt: skip
        at("2026-11-26 16:00", step("city", "plan", sets={"plan": PLAN_CITY}))
        at("2026-11-29 11:30", lambda: advance(store, ids["city"], "choose_venue", CLERK, sets={
            "venue": "第一会议室", "room": "R1", "booking": ids["bk_city"]}))  # fmt: skip
        notify_all("city", "2026-11-29 14:00", CITY, ["电话", "传真", "短信"])
        for unit in mtg.units_of(CITY):
            notify("city", "2026-11-29 17:00", unit, ["书面"], None, reported_list=True)
        at("2026-11-29 17:30", step("city", "notices_done"))
        at("2026-11-30 08:00", step("city", "prepare_papers", sets={
            "materials": ["会议议程", "会议须知", "工作报告", "表彰决定", "与会人员名单",
                          "座次图"],
            "podium_papers": ["主持词", "讲话稿", "工作报告", "表彰决定"],
            "notes": list(DEFAULT_NOTES)}))  # fmt: skip
        at("2026-11-30 08:30", lambda: mtg.seat(store, ids["city"], CLERK, again=False))

        # papers: the property companies' meeting on 12-01
        props = leaders_of_center()[3:4] + center_staff(("胡军", "物业管理科科长")) + [
            {"unit": "湖南康程物业服务有限公司", "name": "曾凡", "title": "项目经理"},
            {"unit": "湖南康程物业服务有限公司", "name": "易红", "title": "会务组组长"},
            {"unit": "浏阳市保安服务公司", "name": "龙斌", "title": "队长"},
        ]  # fmt: skip
        meeting("prop", "2026-11-26 09:00", title="物业服务企业工作例会", scope="中心内部",
                start=t("2026-12-01 15:00"), end=t("2026-12-01 16:30"),
                banner="物业服务企业工作例会", department="WYK", organizer="hujun")  # fmt: skip
        days_p = {"topics": "2026-11-26 09:30", "attendees": "2026-11-26 10:00",
                  "venue": "2026-11-26 10:30", "notice": "2026-11-27 09:00"}  # fmt: skip
        to_papers("prop", props, days_p, ["通报11月物业服务考评结果", "部署冬季保洁保暖工作"],
                  "中心五楼小会议室", channels=("电话",))  # fmt: skip

        # notice: the needs survey on 12-04 (重要), still short of faxes; a plan task overdue
        survey = [
            *leaders_of_center()[1:3],
            {"unit": "浏阳市发展和改革局", "name": "钟华", "title": "办公室主任"},
            {"unit": "浏阳市自然资源局", "name": "贺斌", "title": "办公室主任"},
            {"unit": "浏阳市民政局", "name": "廖敏", "title": "办公室主任"},
        ]  # fmt: skip
        meeting("survey", "2026-11-26 14:00", title="2027年度机关后勤服务需求征询会",
                scope="中心内部", importance="重要", start=t("2026-12-04 09:00"),
                end=t("2026-12-04 11:00"), banner="2027年度机关后勤服务需求征询会",
                department="SWE", organizer="dengming")  # fmt: skip
        at(
            "2026-11-26 14:30",
            step("survey", "set_topics", sets={"topics": ["征询各单位2027年度后勤服务需求"]}),
        )
        at("2026-11-26 15:00", step("survey", "confirm_attendees", sets={"attendees": survey}))
        at("2026-11-26 15:30", step("survey", "plan", sets={"plan": PLAN_SURVEY}))
        at("2026-11-27 09:00", step("survey", "choose_venue",
                                    sets={"venue": "第二会议室", "room": "R2"}))  # fmt: skip
        notify("survey", "2026-11-27 10:00", CENTER, ["电话", "传真"], "刘艳")
        notify("survey", "2026-11-27 10:10", "浏阳市发展和改革局", ["电话", "传真"], "钟华")
        notify("survey", "2026-11-27 10:20", "浏阳市自然资源局", ["电话"], "贺斌")
        notify("survey", "2026-11-27 10:30", "浏阳市民政局", ["传真"], None, confirmed=False)

        # approval: a city-wide meeting waiting on 市政府办公室
        energy = [
            *CITY[:3],
            {"unit": "浏阳市发展和改革局", "name": "钟华", "title": "副局长", "rank": 4,
             "podium": True},
            {"unit": "浏阳市教育局", "name": "周涛", "title": "办公室主任"},
            {"unit": "浏阳市卫生健康局", "name": "彭丽", "title": "办公室主任"},
        ]  # fmt: skip
        meeting("energy", "2026-11-27 09:00", title="全市公共机构节能工作推进会",
                scope="全市性", importance="重要", level="二级", start=t("2026-12-10 09:00"),
                end=t("2026-12-10 11:00"), banner="全市公共机构节能工作推进会")  # fmt: skip
        at("2026-11-27 09:30", step("energy", "set_topics",
                                    sets={"topics": ["通报2026年公共机构能耗情况",
                                                     "部署2027年节能工作"]}))  # fmt: skip
        at(
            "2026-11-27 10:30",
            step(
                "energy",
                "submit_approval",
                sets={"attendees": energy, "approval_to": "市政府办公室"},
            ),
        )

        # venue: a city-wide training approved, venue not chosen yet
        train = CITY[:3]
        meeting("train", "2026-11-24 09:00", title="全市机关事务工作培训班开班仪式",
                scope="全市性", level="二级", start=t("2026-12-15 09:00"),
                end=t("2026-12-15 10:00"), department="SWY", organizer="pengwei")  # fmt: skip
        at("2026-11-24 09:30", step("train", "set_topics", sets={"topics": ["培训班开班动员"]}))
        at(
            "2026-11-24 10:00",
            step(
                "train", "submit_approval", sets={"attendees": train, "approval_to": "市委办公室"}
            ),
        )
        at("2026-11-27 11:00", step("train", "approve", opinion="同意。",
                                    entry_values={"approver": "市委办公室 邹平"}))  # fmt: skip

        # attendees: the canteen forum, topics set
        meeting("canteen", "2026-11-27 15:00", title="机关食堂服务质量座谈会", scope="中心内部",
                start=t("2026-12-09 15:00"), end=t("2026-12-09 16:30"), department="SWE",
                organizer="dengming")  # fmt: skip
        at(
            "2026-11-27 15:30",
            step("canteen", "set_topics", sets={"topics": ["听取就餐人员对食堂服务的意见"]}),
        )

        # draft: the year's summary meeting, just opened
        meeting("summary", "2026-11-30 08:45", title="中心2026年度工作总结大会",
                scope="中心内部", importance="重要", start=t("2026-12-28 14:30"),
                end=t("2026-12-28 17:00"))  # fmt: skip

        # cancelled: the fire drill briefing, called off
        meeting("drill", "2026-11-20 09:00", title="冬季消防演练动员会", scope="中心内部",
                start=t("2026-11-25 15:00"), end=t("2026-11-25 16:00"), department="BWK",
                organizer="songtao")  # fmt: skip
        at("2026-11-20 09:30", step("drill", "set_topics", sets={"topics": ["部署冬季消防演练"]}))
        at("2026-11-21 10:00", step("drill", "cancel",
                                    opinion="与全市消防演练合并进行，本会取消。"))  # fmt: skip

        for when, _, fn in sorted(steps, key=lambda s: (s[0], s[1])):
            os.environ["OA_NOW"] = when.isoformat()
            fn()
        os.environ.pop("OA_NOW", None)
        for kind in ("meeting", "booking"):
            shutil.rmtree(target / kind, ignore_errors=True)
            shutil.copytree(work / kind, target / kind)
    print(f"{sum(1 for k in ids if k.startswith('bk'))} bookings and "
          f"{sum(1 for k in ids if not k.startswith('bk'))} meetings written to {target}")  # fmt: skip


if __name__ == "__main__":
    build(ROOT / "records")

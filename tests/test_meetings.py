"""Meetings end to end through the CLI in temporary git repositories (S-MTG-1…7, S-ROOM-1…5):
the flow with and without approval, the notice register and its level rule, the seating protocol
and the 30-minute recheck, sign-in and statistics, the organizing plan's tasks, the minutes as a
浏后勤会纪 document, the meeting pack; property tests for the seating algorithms."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oa.core.store import Store
from oa.kinds.meeting import hall_seats, podium_order, podium_seats
from tests.conftest import Office
from tests.test_rooms import fresh_office, record, refused

CLERK = {"GIT_AUTHOR_EMAIL": "wangfang@lyjghq.gov.cn"}  # 王芳, 办公室

ATTENDEES = """\
- {unit: 浏阳市人民政府, name: 刘志刚, title: 副市长, rank: 1, podium: true}
- {unit: 浏阳市财政局, name: 李明, title: 局长, rank: 3, podium: true}
- {unit: 浏阳市机关后勤服务中心, name: 陈国华, title: 主任, rank: 2, podium: true}
- {unit: 浏阳市教育局, name: 王强, title: 局长, rank: 4, podium: true}
- {unit: 浏阳市财政局, name: 赵敏, title: 科长}
- {unit: 浏阳市教育局, name: 周涛, title: 科长}
- {unit: 浏阳市教育局, name: 钱进, title: 科员}
"""

PLAN = """\
bodies:
  - {name: 会务组, lead: liuyan, duties: 会场布置、签到、材料}
  - {name: 后勤保障组, lead: hujun, duties: 音响、茶水、车辆}
tasks:
  - {what: 起草会议通知, owner: wangfang, due: 2026-12-01}
  - {what: 印制会议材料, owner: xiaoting, due: 2026-12-02, done: false}
"""


@pytest.fixture
def office(tmp_path: Path) -> Office:
    o = fresh_office(tmp_path)
    (tmp_path / "att.yaml").write_text(ATTENDEES, encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    return o


def new(o: Office, scope: str = "中心内部", importance: str = "一般", level: str = "三级") -> str:
    res = o.ok(
        "meeting",
        "new",
        "--title",
        "全市机关后勤工作会议",
        "--scope",
        scope,
        "--importance",
        importance,
        "--level",
        level,
        "--start",
        "2026-12-03 09:00",
        "--end",
        "11:30",
        "--banner",
        "全市机关后勤工作会议",
    )
    return res.stdout.split(":")[0]


def to_notice(o: Office, tmp_path: Path, **kw: str) -> str:
    """A meeting through topics, attendees (and approval) and venue: waiting on its notices."""
    rid = new(o, **kw)
    o.ok("advance", rid, "set_topics", "--set", "topics=[部署2027年机关后勤工作, 表彰先进]")
    att = str(tmp_path / "att.yaml")
    if kw.get("scope") == "全市性":
        o.ok("meeting", "attendees", rid, att, "--approval-to", "市政府办公室")
        o.ok("advance", rid, "approve", "--opinion", "同意召开", "--entry", "approver=市政府办公室")
    else:
        o.ok("meeting", "attendees", rid, att)
    o.ok("meeting", "venue", rid, "--room", "R1")
    return rid


UNITS = ("浏阳市人民政府", "浏阳市财政局", "浏阳市机关后勤服务中心", "浏阳市教育局")


def notify_all(o: Office, rid: str, *channels: str) -> None:
    for unit in UNITS:
        args = [a for c in channels for a in ("--channel", c)]
        o.ok("meeting", "notify", rid, "--unit", unit, *args, "--receiver", "办公室值班员")


def to_open(o: Office, tmp_path: Path) -> str:
    rid = to_notice(o, tmp_path)
    notify_all(o, rid, "电话")
    o.ok("advance", rid, "notices_done")
    o.ok(
        "meeting",
        "papers",
        rid,
        "--material",
        "会议议程",
        "--material",
        "工作报告",
        "--podium-paper",
        "主持词",
    )
    o.ok("meeting", "seating", rid)
    o.ok("advance", rid, "set_up")
    return rid


# -- the flow ----------------------------------------------------------------------------------


def test_internal_meeting_from_topics_to_minutes(office: Office, tmp_path: Path) -> None:
    """S-MTG-2, S-MTG-1: an internal meeting skips 报批 and runs 安排议题 … 会议记录; `oa meeting
    minutes` opens a 浏后勤会纪 outgoing document linked to it, which runs the outgoing workflow."""
    o = office
    rid = new(o)
    o.ok("advance", rid, "set_topics", "--set", "topics=[部署2027年机关后勤工作]")
    out = refused(
        o,
        "OA607",
        "advance",
        rid,
        "submit_approval",
        "--set",
        "approval_to=市委办公室",
        "--set",
        "attendees=[{unit: 市政府, name: 刘志刚}]",
        env=CLERK,
    )
    assert "only a 全市性 meeting is sent for approval" in out
    o.ok("meeting", "attendees", rid, str(tmp_path / "att.yaml"))
    assert record(o, rid)["state"] == "venue"
    o.ok("meeting", "venue", rid, "--place", "中心三楼会议室")
    notify_all(o, rid, "书面")
    o.ok("advance", rid, "notices_done")
    o.ok("meeting", "papers", rid, "--material", "会议议程")
    o.ok("meeting", "seating", rid)
    o.ok("advance", rid, "set_up")
    refused(o, "OA602", "meeting", "minutes", rid, env=CLERK)  # not before the record
    o.ok(
        "advance", rid, "record", "--set", "record=会议听取了2026年工作总结，研究了2027年工作要点。"
    )
    res = o.ok("meeting", "minutes", rid)
    out_id = res.stdout.split(":")[0]
    assert out_id.startswith("OUT-2026-")
    m, doc = record(o, rid), record(o, out_id)
    assert m["state"] == "done" and m["minutes"] == out_id
    assert doc["doc_kind"] == "浏后勤会纪" and doc["title"] == "全市机关后勤工作会议纪要"
    body = (o.root / "outgoing" / "2026" / f"{out_id}.files" / "正文.md").read_text("utf-8")
    assert "部署2027年机关后勤工作" in body and "研究了2027年工作要点" in body
    o.ok("advance", out_id, "submit")  # the 纪要 now runs the outgoing workflow
    refused(o, "OA626", "meeting", "minutes", rid, env=CLERK)
    assert o.ok("validate").exit_code == 0


def test_city_wide_meeting_needs_approval(office: Office, tmp_path: Path) -> None:
    """S-MTG-1: a 全市性 meeting cannot skip the 会议审批单; the pack carries the form."""
    o = office
    rid = new(o, scope="全市性")
    o.ok("advance", rid, "set_topics", "--set", "topics=[部署工作]")
    refused(
        o,
        "OA607",
        "advance",
        rid,
        "confirm_attendees",
        "--set",
        "attendees=[{unit: 市政府, name: 刘志刚}]",
        env=CLERK,
    )
    refused(o, "OA606", "meeting", "attendees", rid, str(tmp_path / "att.yaml"), env=CLERK)
    o.ok("meeting", "attendees", rid, str(tmp_path / "att.yaml"), "--approval-to", "市政府办公室")
    assert record(o, rid)["state"] == "approval"
    refused(o, "OA606", "advance", rid, "approve", "--entry", "approver=市政府办公室", env=CLERK)
    o.ok("advance", rid, "approve", "--opinion", "同意", "--entry", "approver=市政府办公室")
    assert record(o, rid)["state"] == "venue"


# -- S-MTG-3 -----------------------------------------------------------------------------------


def test_important_meeting_needs_phone_and_fax(office: Office, tmp_path: Path) -> None:
    """S-MTG-3: 重要 — every unit by phone and fax (双保险), phone notices with the receiver;
    `oa meeting notices` shows who is unreached; the stage cannot close before."""
    o = office
    rid = to_notice(o, tmp_path, importance="重要")
    refused(
        o,
        "OA606",
        "meeting",
        "notify",
        rid,
        "--unit",
        "浏阳市财政局",
        "--channel",
        "电话",
        env=CLERK,
    )
    refused(
        o,
        "OA625",
        "meeting",
        "notify",
        rid,
        "--unit",
        "浏阳市公安局",
        "--channel",
        "传真",
        env=CLERK,
    )
    notify_all(o, rid, "电话")
    o.ok("meeting", "notify", rid, "--unit", "浏阳市财政局", "--channel", "传真", "--unconfirmed")
    out = refused(o, "OA607", "advance", rid, "notices_done", env=CLERK)
    assert "浏阳市财政局 lacks 传真" in out
    status = json.loads(o.ok("meeting", "notices", rid, "--json").stdout)
    assert status["required"] == ["电话", "传真"]
    unreached = {u["unit"]: u["missing"] for u in status["units"] if not u["reached"]}
    assert set(unreached) == set(UNITS) and unreached["浏阳市财政局"] == ["传真"]
    text = o.ok("meeting", "notices", rid).stdout
    assert "4 of 4 units still unreached" in text
    notify_all(o, rid, "传真")
    o.ok("advance", rid, "notices_done")


def report_own_list(o: Office, rid: str, tmp_path: Path) -> None:
    """浏阳市教育局 reports its own attendee list (S-MTG-3): its names replace those it had."""
    own = tmp_path / "edu.yaml"
    own.write_text(
        "- {unit: 浏阳市教育局, name: 王强, title: 局长, rank: 4, podium: true}\n"
        "- {unit: 浏阳市教育局, name: 孙丽, title: 副局长}\n",
        "utf-8",
    )
    o.ok("meeting", "attendees", rid, str(own), "--unit", "浏阳市教育局")
    names = [a["name"] for a in record(o, rid)["attendees"]]
    assert "孙丽" in names and "钱进" not in names


def test_especially_important_meeting_needs_three_channels_and_lists(
    office: Office, tmp_path: Path
) -> None:
    """S-MTG-3: 特别重要 — phone, fax and SMS (三保险) plus each unit's own attendee list;
    `oa validate` flags a meeting past the notice stage whose notices fall short (OA425)."""
    o = office
    rid = to_notice(o, tmp_path, importance="特别重要")
    notify_all(o, rid, "电话", "传真", "短信")
    out = refused(o, "OA607", "advance", rid, "notices_done", env=CLERK)
    assert "attendee list" in out
    report_own_list(o, rid, tmp_path)
    for unit in UNITS[:3]:
        o.ok("meeting", "notify", rid, "--unit", unit, "--channel", "书面", "--list-reported")
    o.ok("advance", rid, "notices_done")
    # a notice removed by hand afterwards: validate flags the shortfall with its line
    path = o.root / "meeting" / "2026" / f"{rid}.yaml"
    text = path.read_text("utf-8")
    edited = text.replace("channel: 短信", "channel: 书面", 1)
    edited = edited.replace("    receiver: 办公室值班员\n", "", 1)  # the first notice is by phone
    path.write_text(edited, "utf-8")
    res = o.oa("validate")
    assert res.exit_code == 1 and "OA425" in res.output
    assert "OA426 notices[0]: a phone notice records the receiver's name" in res.output
    assert f"meeting/2026/{rid}.yaml:" in res.output and "lacks 短信" in res.output


# -- S-MTG-5 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "order"),
    [
        (1, [1]),
        (2, [2, 1]),
        (3, [3, 1, 2]),
        (4, [4, 2, 1, 3]),
        (5, [5, 3, 1, 2, 4]),
        (6, [6, 4, 2, 1, 3, 5]),
        (7, [7, 5, 3, 1, 2, 4, 6]),
    ],
)
def test_podium_protocol_odd_and_even(n: int, order: list[int]) -> None:
    """S-MTG-5: seen from the hall, odd: 1 in the centre, 2 to its right (the leader's left hand),
    3 to its left …; even: 1 and 2 share the centre, 1 on the right of the centre line."""
    assert podium_order(n) == order


@given(st.integers(min_value=0, max_value=40))
def test_podium_order_properties(n: int) -> None:
    """S-MTG-5: every seat once; 1 at (or just right of) the centre; the sides alternate and each
    side's precedence falls outwards."""
    order = podium_order(n)
    assert sorted(order) == list(range(1, n + 1))
    if n == 0:
        return
    mid = n // 2
    assert order[mid] == 1
    right, left = order[mid + 1 :], list(reversed(order[:mid]))
    assert right == sorted(right) and left == sorted(left)
    assert abs(len(right) - len(left)) <= 1
    for k in range(2, n + 1):  # k and k+1 sit on opposite sides
        if k + 1 <= n:
            assert (k in right) != (k + 1 in right)


@given(
    st.lists(st.tuples(st.integers(0, 6), st.booleans(), st.integers(1, 99)), max_size=80),
    st.integers(1, 30),
)
def test_hall_seating_properties(people: list[tuple[int, bool, int]], zone: int) -> None:
    """S-MTG-5: 对号入座 — every audience member gets one seat, no zone holds more than its size,
    and a unit that fits in a zone is not split across zones."""
    attendees = [
        {"unit": f"单位{u}", "name": f"人{i}", "podium": p, "rank": r}
        for i, (u, p, r) in enumerate(people)
    ]
    seats = hall_seats(attendees, zone)
    audience = [a for a in attendees if not a["podium"]]
    assert sorted(s["name"] for s in seats) == sorted(a["name"] for a in audience)
    assert len({s["seat"] for s in seats}) == len(seats)
    zones: dict[str, list[dict[str, str]]] = {}
    for s in seats:
        zones.setdefault(s["seat"].split("-")[0], []).append(s)
    assert all(len(v) <= zone for v in zones.values())
    for unit in {a["unit"] for a in audience}:
        mine = [a for a in audience if a["unit"] == unit]
        if len(mine) <= zone:
            assert len({s["seat"].split("-")[0] for s in seats if s["unit"] == unit}) == 1
    podium = podium_seats(attendees)
    assert len(podium) == len([a for a in attendees if a["podium"]])


def test_seating_recheck_from_who_arrived(office: Office, tmp_path: Path) -> None:
    """S-MTG-5, S-MTG-6: the podium by rank and protocol (even: 4 leaders), then the 30-minute
    recheck re-seats it from who signed in (odd: 3), with the podium papers checked again."""
    o = office
    rid = to_open(o, tmp_path)
    podium = [s["name"] for s in record(o, rid)["seating"]["podium"]]
    assert podium == ["王强", "陈国华", "刘志刚", "李明"]  # 4 2 1 3 by rank
    o.ok("meeting", "checkin", rid, "刘志刚", "陈国华", "王强", "赵敏")
    refused(o, "OA625", "meeting", "checkin", rid, "张三", env=CLERK)
    refused(o, "OA005", "meeting", "checkin", rid, "赵敏", env=CLERK)
    out = o.ok("meeting", "seating", rid, "--recheck", "--podium-papers-checked").stdout
    assert "李明 未到，撤座" in out
    s = record(o, rid)
    assert [p["name"] for p in s["seating"]["podium"]] == ["王强", "刘志刚", "陈国华"]  # 3 1 2
    assert s["seating"]["checked_at"] and s["podium_papers_checked"]
    refused(o, "OA602", "meeting", "seating", rid, env=CLERK)  # first seating is before opening


def test_especially_important_meeting_seats_everyone(office: Office, tmp_path: Path) -> None:
    """S-MTG-5: for a very important meeting every attendee gets a numbered seat by zone."""
    o = office
    rid = to_notice(o, tmp_path, importance="特别重要")
    notify_all(o, rid, "电话", "传真", "短信")
    for unit in UNITS:
        o.ok("meeting", "notify", rid, "--unit", unit, "--channel", "书面", "--list-reported")
    o.ok("advance", rid, "notices_done")
    o.ok("meeting", "papers", rid, "--material", "会议议程")
    o.ok("meeting", "seating", rid)
    hall = record(o, rid)["seating"]["hall"]
    assert [h["seat"] for h in hall] == ["A-01", "A-02", "A-03"]


# -- S-MTG-7 / S-ROOM-5 ------------------------------------------------------------------------


def test_checkin_and_attendance_statistics(office: Office, tmp_path: Path) -> None:
    """S-MTG-7, S-ROOM-5: sign-in, absences with reasons, a substitute, and the 到会情况统计表."""
    o = office
    rid = to_open(o, tmp_path)
    o.ok("meeting", "checkin", rid, "刘志刚", "陈国华", "赵敏", "周涛")
    o.ok("meeting", "checkin", rid, "孙副局长", "--unit", "浏阳市教育局")
    o.ok("meeting", "absent", rid, "王强", "--reason", "出差")
    o.ok("meeting", "absent", rid, "钱进", "--reason", "请假")
    rows = {r["unit"]: r for r in json.loads(o.ok("meeting", "stats", rid, "--json").stdout)}
    # the substitute fills 王强's place (the first of the unit's listed people not there):
    # 应到 3 = 实到 2 + 缺席 1, and the paper says who came for whom
    assert rows["浏阳市教育局"] == {
        "unit": "浏阳市教育局",
        "expected": 3,
        "arrived": 2,
        "absent": 1,
        "absences": [{"name": "钱进", "reason": "请假"}],
        "substitutes": [{"name": "王强", "reason": "出差", "by": "孙副局长"}],
    }
    assert rows["浏阳市财政局"]["absences"] == [{"name": "李明", "reason": "未说明"}]
    for row in rows.values():
        assert row["expected"] == row["arrived"] + row["absent"]
    text = o.ok("meeting", "stats", rid).stdout
    assert "合计" in text and "到会情况统计表" in text
    assert "王强（出差，孙副局长代会）" in text.replace("\n", "").replace(" ", "").replace("│", "")


# -- S-MTG-4 and the hooks ---------------------------------------------------------------------


def test_plan_tasks_agenda_and_deadline_hooks(office: Office, tmp_path: Path) -> None:
    """S-MTG-4: the organizing plan's tasks are chased like supervised items (Kind.tasks); the
    meeting and its booking are on the office's calendar (Kind.agenda)."""
    from oa.core.registry import kinds

    o = office
    rid = to_notice(o, tmp_path, importance="重要")
    o.ok("meeting", "plan", rid, str(tmp_path / "plan.yaml"))
    o.ok("meeting", "task", rid, "1")
    refused(o, "OA005", "meeting", "task", rid, "3", env=CLERK)
    bad = tmp_path / "bad.yaml"
    bad.write_text("tasks:\n  - {what: x, owner: wangfang, due: someday}\n", "utf-8")
    assert "tasks.0.due" in refused(o, "OA005", "meeting", "plan", rid, str(bad), env=CLERK)
    o.ok(
        "room",
        "book",
        "--room",
        "R1",
        "--unit",
        "浏阳市机关后勤服务中心",
        "--contact",
        "王芳",
        "--title",
        "全市机关后勤工作会议",
        "--start",
        "2026-12-03 09:00",
        "--end",
        "11:30",
        "--attendance",
        "7",
        "--podium",
        "4",
        "--layout",
        "剧院式",
        "--meeting",
        rid,
        env={"GIT_AUTHOR_EMAIL": "huangli@lyjghq.gov.cn"},
    )
    store = Store(o.root)
    data = store.get(rid).data
    assert data is not None
    meeting = kinds()["meeting"]
    assert meeting.tasks is not None and meeting.agenda is not None and meeting.deadline
    tasks = list(meeting.tasks(store, data))
    assert [(t.key, t.owners, t.done) for t in tasks] == [
        ("plan.tasks[0]", ("wangfang",), True),
        ("plan.tasks[1]", ("xiaoting",), False),
    ]
    items = list(meeting.agenda(store, data, date(2026, 11, 30), date(2026, 12, 11)))
    assert [(i.category, i.day, str(i.start), i.where) for i in items] == [
        ("会议", date(2026, 12, 3), "09:00:00", "第一会议室")
    ]
    assert items[0].people == ("chenguohua",)  # the podium leader who is one of ours
    assert meeting.deadline(store, data).what == "会议通知"  # type: ignore[union-attr]
    bk = store.get("BK-2026-0001").data
    booking = kinds()["booking"]
    assert booking.agenda is not None and bk is not None
    [item] = booking.agenda(store, bk, date(2026, 11, 30), date(2026, 12, 11))
    assert (item.category, item.department, item.end.isoformat()) == ("会议室", "SWY", "11:30:00")  # type: ignore[union-attr]
    assert list(booking.agenda(store, bk, date(2026, 12, 4), date(2026, 12, 11))) == []
    assert booking.deadline is not None
    due = booking.deadline(store, bk)
    assert due is not None and (due.due, due.what) == (date(2026, 12, 2), "办理租用手续")


# -- S-MTG-6: the pack -------------------------------------------------------------------------


def test_meeting_pack(office: Office, tmp_path: Path) -> None:
    """S-MTG-6, S-ROOM-3, S-ROOM-1: the pack — notice, agenda, 会议须知, list, seating chart,
    sign-in sheet, set-up checklist, statistics — as .docx and HTML, and an .ics invitation."""
    from tests.test_papers import dump_docx, golden, normalised

    o = office
    rid = to_open(o, tmp_path)
    o.ok("meeting", "checkin", rid, "刘志刚", "陈国华", "赵敏")
    o.ok("meeting", "absent", rid, "钱进", "--reason", "请假")
    out = tmp_path / "pack"
    o.ok("meeting", "pack", rid, "--out", str(out))
    html = (out / f"{rid}-pack.html").read_text("utf-8")
    for title in (
        "会议通知单",
        "会议议程",
        "会议须知",
        "与会人员名单",
        "座次图",
        "签到表",
        "会务准备督查事项明细表",
        "到会情况统计表",
    ):
        assert f"<h1>{title}</h1>" in html
    assert "会议审批单" not in html  # internal
    golden("meeting-pack.html", normalised(html))
    golden("meeting-pack.docx.txt", dump_docx(out / f"{rid}-pack.docx"))
    ics = (out / f"{rid}.ics").read_bytes().decode("utf-8")
    assert "SUMMARY:全市机关后勤工作会议\r\n" in ics and "LOCATION:第一会议室" in ics
    assert "DTSTART:20261203T010000Z" in ics


def test_demo_meetings_and_a_mismatched_booking(demo: Office) -> None:
    """The demo's meetings read as the guide shows them; a meeting whose booking is for another
    room, or whose room is not in the register, is flagged with its line (OA427)."""
    o = demo
    assert "2 of 4 units still unreached" in o.ok("meeting", "notices", "MTG-2026-0009").stdout
    out = o.ok("meeting", "seating", "MTG-2026-0007", "--show").stdout
    assert "P5 黄志伟 | P3 陈国华 | P1 刘志刚 | P2 张建军 | P4 李明" in out
    path = o.root / "meeting" / "2026" / "MTG-2026-0007.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("booking: BK-2026-0007", "booking: BK-2026-0005"), "utf-8")
    res = o.oa("validate")
    line = text.splitlines().index("booking: BK-2026-0007") + 1
    assert f"meeting/2026/MTG-2026-0007.yaml:{line}: OA427 booking BK-2026-0005 is for R2" in (
        res.output
    )
    path.write_text(text.replace("room: R1", "room: R7"), "utf-8")
    assert "OA427 room 'R7' is not in the room register" in o.oa("validate").output


@pytest.fixture
def demo(tmp_path: Path) -> Office:
    """A copy of the whole demo office, as `oa init --demo` makes it."""
    from typer.testing import CliRunner

    from oa.cli.app import app

    root = tmp_path / "demo"
    res = CliRunner().invoke(app, ["init", str(root), "--demo"])
    assert res.exit_code == 0, res.output
    return Office(root)


def test_an_approval_holds_the_range_a_unit_s_own_list_keeps_it(
    office: Office, tmp_path: Path
) -> None:
    """S-MTG-2 (与会人员范围或名单) and S-MTG-3: the 会议审批单 approves the range of attendees,
    the units invited. An invited unit then reports its own list of names and the approval
    stands; inviting another unit needs the approval again (OA414)."""
    o = office
    rid = to_notice(o, tmp_path, scope="全市性", importance="特别重要")
    report_own_list(o, rid, tmp_path)
    assert o.oa("validate").exit_code == 0
    other = tmp_path / "other.yaml"
    other.write_text("- {unit: 浏阳市卫健局, name: 周明, title: 局长}\n", "utf-8")
    out = o.oa("meeting", "attendees", rid, str(other), "--unit", "浏阳市卫健局")
    assert out.exit_code != 0 and "OA414" in out.stderr + out.stdout
    assert "周明" not in [a["name"] for a in record(o, rid)["attendees"]]


def test_an_approval_pinned_with_the_names_still_stands(office: Office, tmp_path: Path) -> None:
    """An approval pinned before it held the range (every name as written) is not voided by
    the upgrade; a change of names after it needs the approval again (S-MTG-2, OA414)."""
    from oa.core.pins import pin
    from oa.core.store import Store

    o = office
    rid = to_notice(o, tmp_path, scope="全市性")
    path = o.root / "meeting" / "2026" / f"{rid}.yaml"
    text = path.read_text("utf-8")
    data = Store(o.root).get(rid).data
    assert data is not None
    fields = ["title", "start", "end", "attendees"]
    old = pin(Store(o.root), data, fields, views=False)
    path.write_text(text.replace(pin(Store(o.root), data, fields), old), "utf-8")
    assert o.oa("validate").exit_code == 0
    path.write_text(path.read_text("utf-8").replace("name: 钱进", "name: 钱晋"), "utf-8")
    res = o.oa("validate")
    assert res.exit_code == 1 and "OA414" in res.stdout

"""Public meeting rooms end to end through the CLI in temporary git repositories (S-ROOM-8…15):
bookings with every refusal, fees with the 四大家 exemption, the three checks, feedback, the
calendar, the register and the maintenance schedule, and a double booking merged from two
branches that `oa validate` flags."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oa.core.workflow import STAY, Workflow
from oa.kinds.booking import BookingSettings, Slot, clash, clashes
from tests.conftest import DEMO, NO_RECORDS, Office

SCHEDULER = {"GIT_AUTHOR_EMAIL": "huangli@lyjghq.gov.cn"}  # 黄丽, 事务一科 会务安排
RECEIVER = {"GIT_AUTHOR_EMAIL": "zhoujing@lyjghq.gov.cn"}  # 周静, 物业公司会务组


def fresh_office(tmp_path: Path) -> Office:
    """The demo office's configuration without any records, as a git repository."""
    root = tmp_path / "office"
    shutil.copytree(
        DEMO,
        root,
        ignore=NO_RECORDS,
    )
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "start\n\nOA-Import: test"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return Office(root)


@pytest.fixture
def rooms(tmp_path: Path) -> Office:
    return fresh_office(tmp_path)


def book(
    o: Office,
    *extra: str,
    room: str = "R1",
    unit: str = "浏阳市财政局",
    start: str = "2026-12-02 09:00",
    end: str = "11:30",
    attendance: str = "120",
    layout: str = "剧院式",
    ok: bool = True,
):
    args = [
        "room",
        "book",
        "--room",
        room,
        "--unit",
        unit,
        "--contact",
        "李明",
        "--phone",
        "83612345",
        "--title",
        "全市财政工作会议",
        "--start",
        start,
        "--end",
        end,
        "--attendance",
        attendance,
        "--layout",
        layout,
        *extra,
    ]
    return o.ok(*args, env=SCHEDULER) if ok else o.oa(*args, env=SCHEDULER)


def rid_of(res) -> str:  # type: ignore[no-untyped-def]
    return str(res.stdout.split(":")[0].strip())


def record(o: Office, rid: str) -> dict:
    return json.loads(o.ok("show", rid, "--json").stdout)["record"]


def refused(o: Office, code: str, *args: str, env: dict[str, str] | None = None) -> str:
    """The command exits non-zero with `code` and leaves every file and HEAD as they were."""
    before, head = o.snapshot(), o.head()
    res = o.oa(*args, env=env or SCHEDULER)
    assert res.exit_code != 0, res.output
    assert code in res.output, res.output
    assert "Traceback" not in res.output
    assert o.snapshot() == before and o.head() == head
    return res.output


def test_stay_action_keeps_the_state() -> None:
    """Core: an action going to "=" records a step and keeps the state it was taken from."""
    wf = Workflow.model_validate(
        {
            "kind": "x",
            "label": "x",
            "start": "a",
            "create_roles": [],
            "states": {"a": {"label": "A"}, "b": {"label": "B"}},
            "actions": {"note": {"label": "n", "from": ["a", "b"], "to": STAY, "roles": []}},
        }
    )
    assert wf.target("note", "a") == "a" and wf.target("note", "b") == "b"


def test_booking_flow_with_signatures_and_three_checks(rooms: Office, tmp_path: Path) -> None:
    """S-ROOM-8, S-ROOM-12, S-ROOM-14, S-ROOM-4, S-ROOM-6, S-ROOM-7, S-ROOM-15: a booking from the
    unit's call to its feedback; the 会议通知单 carries both signatures and the three checks.
    S-ROOM-2: it records the podium count and the total, the level, the main leaders, the banner
    and the room by its standard name."""
    o = rooms
    rid = rid_of(
        book(
            o,
            "--podium",
            "7",
            "--level",
            "二级",
            "--leader",
            "刘志刚",
            "--banner",
            "全市财政工作会议",
            "--extra",
            "鲜花",
            "--extra",
            "领导铭牌",
        )
    )
    assert rid == "BK-2026-0001"
    r = record(o, rid)
    assert (r["fee"], r["exempt"], r["state"]) == (800, False, "requested")
    assert r["extras"] == ["鲜花", "领导铭牌"] and r["leaders"] == ["刘志刚"]
    o.ok("room", "sign", rid, env=SCHEDULER)
    refused(o, "OA603", "advance", rid, "accept", env=SCHEDULER)  # only the property company
    o.ok("advance", rid, "accept", env=RECEIVER)
    out = refused(o, "OA607", "room", "check", rid, "before", "--missing", "鲜花摆放", env=RECEIVER)
    assert "鲜花摆放" in out
    o.ok("room", "check", rid, "before", env=RECEIVER)
    o.ok("room", "check", rid, "during", env=RECEIVER)
    o.ok("room", "check", rid, "after", "--damage", "话筒一支损坏", env=RECEIVER)
    o.ok("room", "feedback", rid, "--rating", "满意", "--comment", "服务周到", env=SCHEDULER)
    r = record(o, rid)
    assert r["state"] == "closed" and r["damage"] == "话筒一支损坏"
    assert "关门落锁" in r["check_after"] and "提前半小时开门" in r["check_during"]
    assert r["feedback"]["rating"] == "满意"
    out_dir = tmp_path / "papers"
    o.ok("room", "notice", rid, "--out", str(out_dir))
    html = (out_dir / f"{rid}-notice.html").read_text(encoding="utf-8")
    assert "黄丽" in html and "周静" in html and "会后督查" in html
    from tests.test_papers import dump_docx, golden, normalised

    golden("booking-notice.html", normalised(html))
    golden("booking-notice.docx.txt", dump_docx(out_dir / f"{rid}-notice.docx"))
    assert o.ok("validate").exit_code == 0


def test_first_level_meeting_needs_the_important_checklist(rooms: Office) -> None:
    """S-ROOM-13: a 一级规格 booking's 会前督查 requires the 重要会议督查清单 item by item."""
    o = rooms
    rid = rid_of(book(o, "--level", "一级", "--podium", "9"))
    o.ok("room", "sign", rid, env=SCHEDULER)
    o.ok("advance", rid, "accept", env=RECEIVER)
    # the plain advance ticks the set-up checklist but not the important one
    from oa.core.store import Store
    from oa.kinds.booking import settings_of

    items = settings_of(Store(o.root)).checklists.before  # type: ignore[union-attr]
    out = refused(
        o,
        "OA607",
        "advance",
        rid,
        "check_before",
        "--set",
        f"check_before=[{', '.join(items)}]",
        env=RECEIVER,
    )
    assert "重要会议督查清单" in out
    refused(
        o, "OA607", "room", "check", rid, "before", "--missing", "安保及医疗人员到位", env=RECEIVER
    )
    o.ok("room", "check", rid, "before", env=RECEIVER)
    assert len(record(o, rid)["important_checks"]) == 8


def test_overlap_and_set_up_the_day_before_are_refused(rooms: Office) -> None:
    """S-ROOM-13, S-ROOM-8: a slot that overlaps a booking, or the set-up the day before it, or
    that leaves a later booking no set-up time, is refused (OA620); another room is free."""
    o = rooms
    book(o)
    out = refused(o, "OA620", *_book_args(start="2026-12-02 11:00", end="12:00"))
    assert "overlaps BK-2026-0001" in out
    out = refused(o, "OA620", *_book_args(start="2026-12-01 15:00", end="17:00"))
    assert "set-up" in out
    book(o, start="2026-12-01 09:00", end="11:30")  # the morning before is free
    book(o, room="R2", start="2026-12-02 09:00", end="11:30", attendance="50", layout="课桌式")


def _book_args(**kw: str) -> list[str]:
    start, end = kw.get("start", "2026-12-02 09:00"), kw.get("end", "11:30")
    return [
        "room",
        "book",
        "--room",
        kw.get("room", "R1"),
        "--unit",
        "浏阳市教育局",
        "--contact",
        "王强",
        "--title",
        "教育工作会议",
        "--start",
        start,
        "--end",
        end,
        "--attendance",
        kw.get("attendance", "80"),
        "--layout",
        kw.get("layout", "剧院式"),
        *kw.get("extra", "").split(),
    ]


def test_capacity_lead_time_and_register_refusals(rooms: Office) -> None:
    """S-ROOM-10, S-ROOM-9, S-ROOM-12: over capacity (OA621), outside the 1–3 day lead window
    (OA622), an unknown room or layout (OA624); nothing is written."""
    o = rooms
    refused(o, "OA621", *_book_args(room="R2", attendance="61", layout="课桌式"))
    refused(o, "OA621", *_book_args(extra="--podium 12"))
    out = refused(o, "OA622", *_book_args(start="2026-12-10 09:00"))
    assert "10 days away" in out
    refused(o, "OA622", *_book_args(start="2026-11-30 14:00", end="16:00"))
    refused(o, "OA624", *_book_args(room="R9"))
    refused(o, "OA624", *_book_args(layout="圆桌式"))
    refused(o, "OA005", *_book_args(end="08:00"))


def test_change_and_cancel_at_least_a_day_before(rooms: Office) -> None:
    """S-ROOM-10: changes and cancellations a day ahead; later ones are refused (OA623); a change
    recomputes the fee and is checked for overlaps like a new booking."""
    o = rooms
    a = rid_of(book(o))
    b = rid_of(book(o, room="R2", start="2026-12-03 09:00", attendance="40", layout="课桌式"))
    o.ok("room", "change", a, "--end", "17:00", "--reason", "议程增加", env=SCHEDULER)
    assert record(o, a)["fee"] == 1500
    refused(
        o,
        "OA620",
        "room",
        "change",
        b,
        "--room",
        "R1",
        "--layout",
        "剧院式",
        "--start",
        "2026-12-02 14:00",
        "--reason",
        "换会场",
    )
    late = {**SCHEDULER, "OA_NOW": "2026-12-02T08:00:00+08:00"}
    refused(o, "OA623", "room", "cancel", a, "--reason", "取消", env=late)
    refused(o, "OA623", "room", "change", a, "--attendance", "100", "--reason", "x", env=late)
    o.ok("room", "cancel", b, "--reason", "会议延期", env=SCHEDULER)
    assert record(o, b)["state"] == "cancelled"
    # a cancellation entered by hand on the meeting's day is flagged (OA424)
    path = o.root / "booking" / "2026" / f"{b}.yaml"
    text = path.read_text("utf-8")
    last = text.rindex("at: 2026-11-30T09:00:00+08:00")
    path.write_text(text[:last] + "at: 2026-12-03T08:00:00+08:00" + text[last + 29 :], "utf-8")
    res = o.oa("validate")
    assert (
        res.exit_code == 1
        and "OA424" in res.output
        and "2026-12-03 is less than 1 day" in res.output
    )
    path.write_text(text, "utf-8")
    # the slot of a cancelled booking is free again
    book(o, room="R2", start="2026-12-03 09:00", attendance="40", layout="课桌式")


def test_fee_schedule_and_the_four_bodies_exemption(rooms: Office) -> None:
    """S-ROOM-11: the standard rent (half or full day) for every unit except the 四大家; a fee
    edited by hand against the schedule is flagged by validate (OA423) with its line."""
    o = rooms
    half = rid_of(book(o))
    full = rid_of(
        book(o, room="R2", start="2026-12-02 09:00", end="17:00", attendance="40", layout="课桌式")
    )
    free = rid_of(
        book(
            o,
            room="R3",
            unit="市委",
            start="2026-12-02 09:00",
            end="17:00",
            attendance="20",
            layout="圆桌式",
        )
    )
    assert [record(o, r)["fee"] for r in (half, full, free)] == [800, 700, 0]
    assert record(o, free)["exempt"] is True
    path = o.root / "booking" / "2026" / f"{half}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("fee: 800", "fee: 0"), encoding="utf-8")
    res = o.oa("validate")
    assert res.exit_code == 1
    line = text.splitlines().index("fee: 800") + 1
    assert f"booking/2026/{half}.yaml:{line}: OA423" in res.output


def test_merged_double_booking_is_flagged(rooms: Office) -> None:
    """S-ROOM-13: two branches each put a booking on the same slot; the files merge cleanly and
    `oa validate` flags the overlap (OA420)."""
    o = rooms
    moved = rid_of(book(o, start="2026-12-03 09:00"))
    o.git("checkout", "-qb", "a")
    book(o)  # BK-2026-0002 on 12-02 morning
    o.git("checkout", "-q", "master" if "master" in o.git("branch") else "main")
    o.git("checkout", "-qb", "b")
    o.ok(
        "room",
        "change",
        moved,
        "--start",
        "2026-12-02 09:30",
        "--reason",
        "提前一天",
        env=SCHEDULER,
    )
    o.git("merge", "-q", "--no-edit", "a")
    res = o.oa("validate")
    assert res.exit_code == 1, res.output
    assert "OA420" in res.output and "overlaps" in res.output


def test_calendar_register_maintenance_and_ics(rooms: Office, tmp_path: Path) -> None:
    """S-ROOM-9, S-ROOM-15: the availability grid (with the set-up ▲), .ics per room, the
    register paper, and the maintenance schedule with what is due or overdue."""
    o = rooms
    book(o)
    grid = json.loads(o.ok("room", "calendar", "--week", "2026-12-01", "--json").stdout)
    r1 = grid["rooms"][0]
    assert r1["parts"]["上午"][2].startswith("0001") and r1["parts"]["下午"][1] == "▲布置"
    text = o.ok("room", "calendar", "--room", "R1", "--ics", str(tmp_path)).stdout
    assert "第一会议室" in text and "第二会议室" not in text
    ics = (tmp_path / "R1.ics").read_bytes().decode("utf-8")
    assert "DTSTART:20261202T010000Z" in ics and ics.endswith("END:VCALENDAR\r\n")
    o.ok("room", "register", "--out", str(tmp_path))
    html = (tmp_path / "rooms-register.html").read_text(encoding="utf-8")
    assert "公共会议室登记表" in html and "半天800元" in html
    from tests.test_papers import dump_docx, golden

    golden("rooms-register.docx.txt", dump_docx(tmp_path / "rooms-register.docx"))
    rows = json.loads(o.ok("room", "maintenance", "--json").stdout)
    status = {(r["room"][:2], r["item"]): r["status"] for r in rows}
    assert status[("R1", "中央空调清洗")] == "overdue"  # 2026-08-20 + 90 days
    assert status[("R1", "扩声系统及话筒检修")] == "due"  # 2026-11-05 + 30 days
    assert status[("R2", "扩声系统及话筒检修")] == "ok"
    shown = json.loads(o.ok("room", "show", "第二会议室", "--json").stdout)
    assert shown["capacity"] == 60 and shown["rules"]
    refused(o, "OA624", "room", "show", "R9")


def test_bad_register_is_reported_with_its_line(rooms: Office) -> None:
    """S-ROOM-9: the register is data in oa.yaml, checked with file:line (OA210)."""
    o = rooms
    cfg = o.root / "oa.yaml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text.replace("capacity: 60", "capacity: many"), encoding="utf-8")
    res = o.oa("room", "list")
    assert res.exit_code != 0 and "Traceback" not in res.output
    line = text.splitlines().index("        capacity: 60") + 1
    assert f"oa.yaml:{line}: OA210" in res.output
    res = o.oa("validate")  # the bookings' guards read the register too: not checked on a bad one
    assert res.exit_code == 1 and f"oa.yaml:{line}: OA210" in res.output
    for args in (
        ["validate"],
        ["status"],
        ["todo", "--all"],
        ["advance", "BK-2026-0001", "feedback"],
    ):
        res = o.oa(*args)
        assert "OA099" not in res.output and "Traceback" not in res.output, (args, res.output)


@given(
    st.lists(
        st.tuples(st.sampled_from(["R1", "R2"]), st.integers(0, 24 * 6), st.integers(1, 16 * 2)),
        max_size=25,
    )
)
def test_overlap_sweep_finds_every_clashing_pair(spec: list[tuple[str, int, int]]) -> None:
    """S-ROOM-13: the sweep behind the merged-double-booking check finds exactly the pairs that
    comparing every booking with every other finds (overlap and the set-up the day before)."""
    settings = BookingSettings()
    base = datetime(2026, 12, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
    slots = [
        Slot(
            f"BK-2026-{i:04d}",
            "",
            room,
            base + timedelta(hours=h),
            base + timedelta(hours=h, minutes=30 * d),
        )
        for i, (room, h, d) in enumerate(spec)
    ]
    swept = {frozenset((a.rid, b.rid)) for a, b, _ in clashes(settings, slots)}
    brute = {
        frozenset((a.rid, b.rid))
        for i, a in enumerate(slots)
        for b in slots[:i]
        if clash(settings, a, b) or clash(settings, b, a)
    }
    assert swept == brute


def test_bad_booking_file_and_bad_options(rooms: Office) -> None:
    """S-ROOM-9: a booking edited to name a room the register lacks is flagged with its line
    (OA421); bad command input is refused with a code and nothing written."""
    o = rooms
    rid = rid_of(book(o))
    path = o.root / "booking" / "2026" / f"{rid}.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("room: R1", "room: R9"), "utf-8")
    res = o.oa("validate")
    line = text.splitlines().index("room: R1") + 1
    assert res.exit_code == 1 and f"booking/2026/{rid}.yaml:{line}: OA421" in res.output
    path.write_text(text, "utf-8")
    refused(o, "OA005", "room", "calendar", "--week", "next week")
    refused(o, "OA005", *_book_args(start="tomorrow 9am"))
    refused(o, "OA005", "room", "check", rid, "sometime")
    refused(o, "OA605", "meeting", "stats", rid)
    refused(o, "OA601", "room", "sign", "BK-2026-0099")

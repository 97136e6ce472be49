"""The rooms' papers and views: the register sent to the units (S-ROOM-9), a booking's 会议通知单
(S-ROOM-3/14), the week's availability grid, .ics per room, and the maintenance schedule."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from oa.core.query import indexed
from oa.core.store import Store
from oa.kinds.booking import (
    STAGE_LABELS,
    BookingSettings,
    Slot,
    _as_dt,
    room_id,
    settings_of,
    slot_of,
)
from oa.render.html import cn_date, cn_datetime, joined, output_path
from oa.render.ics import Event, calendar
from oa.render.sheets import Fields, Grid, Sheet, Text, write_docx, write_html

#: the parts of a day the grid shows
PARTS: tuple[tuple[str, time, time], ...] = (
    ("上午", time(8, 0), time(12, 0)),
    ("下午", time(12, 0), time(18, 0)),
    ("晚上", time(18, 0), time(23, 59)),
)


@dataclass
class CalendarGrid:
    title: str
    days: list[date]
    rows: list[tuple[str, list[tuple[str, list[str]]]]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "days": [d.isoformat() for d in self.days],
            "rooms": [
                {"room": name, "parts": {part: cells for part, cells in rows}}
                for name, rows in self.rows
            ],
        }


def _short(unit: str) -> str:
    return unit.removeprefix("浏阳市").removeprefix("中共浏阳市")[:6]


def _live_slots(store: Store) -> list[Slot]:
    return [
        slot_of(e.summary)
        for _, e in indexed(store, "booking")
        if e.summary is not None and e.summary.get("state") != "cancelled"
    ]


def calendar_grid(store: Store, day: date, room: str | None = None) -> CalendarGrid:
    """Monday to Sunday of `day`'s week: for each room and part of a day, the bookings in it, or
    ▲ where the room is being set up for the next day's meeting, or · when free."""
    s = settings_of(store)
    tz = ZoneInfo(store.office.office.timezone)
    monday = day - timedelta(days=day.weekday())
    days = [monday + timedelta(days=i) for i in range(7)]
    keys = [room_id(s, room)] if room else list(s.rooms)
    slots = _live_slots(store)
    rows = []
    for key in keys:
        mine = [x for x in slots if x.room == key]
        parts = []
        for label, a, b in PARTS:
            cells = []
            for d in days:
                lo, hi = datetime.combine(d, a, tz), datetime.combine(d, b, tz)
                booked = [x for x in mine if x.start < hi and lo < x.end]
                setup = [x for x in mine if _within(x.setup(s), lo, hi)]
                if booked:
                    cells.append(" ".join(f"{x.rid[-4:]}{_short(x.unit)}" for x in booked))
                elif setup:
                    cells.append("▲布置")
                else:
                    cells.append("·")
            parts.append((label, cells))
        rows.append((f"{key} {s.rooms[key].name}", parts))
    title = f"公共会议室使用一览（{cn_date(days[0])}—{cn_date(days[-1])}）"
    return CalendarGrid(title, days, rows)


def _within(span: tuple[datetime, datetime], lo: datetime, hi: datetime) -> bool:
    return span[0] < hi and lo < span[1]


def write_ics(store: Store, out_dir: Path, room: str | None = None) -> list[Path]:
    """One `<room>.ics` per room with every live booking."""
    s = settings_of(store)
    keys = [room_id(s, room)] if room else list(s.rooms)
    by_id = {str(e.summary["id"]): e.summary for _, e in indexed(store, "booking") if e.summary}
    paths = []
    for key in keys:
        events = [
            Event(
                uid=f"{x.rid}@{store.office.office.short_name}",
                start=x.start,
                end=x.end,
                summary=f"{x.unit}：{by_id[x.rid].get('title', '')}",
                location=s.rooms[key].name,
                stamp=_as_dt(by_id[x.rid]["updated"]),
            )
            for x in sorted(_live_slots(store), key=lambda x: (x.start, x.rid))
            if x.room == key
        ]
        path = output_path(out_dir, f"{key}.ics")
        path.write_text(calendar(events, s.rooms[key].name), encoding="utf-8", newline="")
        paths.append(path)
    return paths


def maintenance_rows(store: Store, today: date) -> list[dict[str, Any]]:
    """S-ROOM-15: each room's maintenance items with the next date and whether due or overdue."""
    s = settings_of(store)
    out = []
    for key, r in s.rooms.items():
        for m in r.maintenance:
            nxt = m.last + timedelta(days=m.every_days)
            left = (nxt - today).days
            status = "overdue" if left < 0 else "due" if left <= 7 else "ok"
            out.append(
                {
                    "room": f"{key} {r.name}",
                    "item": m.item,
                    "every_days": m.every_days,
                    "last": m.last.isoformat(),
                    "next": nxt.isoformat(),
                    "days_left": left,
                    "status": status,
                }
            )
    out.sort(key=lambda r: (r["next"], r["room"]))
    return out


# -- papers ------------------------------------------------------------------------------------


def register_sheets(store: Store) -> list[Sheet]:
    s: BookingSettings = settings_of(store)
    office = store.office.office
    rows = [
        [
            key,
            r.name,
            r.location,
            f"{r.area}",
            f"{r.capacity}",
            f"{r.podium_seats}",
            "、".join(r.layouts),
            f"半天{r.fee.half_day}元／全天{r.fee.full_day}元",
        ]
        for key, r in s.rooms.items()
    ]
    blocks: list[Any] = [
        Grid(
            ["编号", "会议室", "位置", "面积㎡", "容纳人数", "主席台", "摆放形式", "收费标准"],
            rows,
            [1, 2.2, 2.4, 1.1, 1.1, 1, 1.6, 2.4],
        )
    ]
    for key, r in s.rooms.items():
        blocks.append(
            Fields(
                [
                    (f"{key} 设施设备", "、".join(r.equipment)),
                    ("会议用具", "、".join(f"{k}{v}" for k, v in r.supplies.items())),
                ]
            )
        )
    blocks.append(Text("会议室使用管理规定", bold=True))
    blocks += [Text(f"{i}. {rule}") for i, rule in enumerate(s.rules, 1)]
    blocks.append(Text(f"四大家（{joined(s.exempt_units[:4])}）使用公共会议室免收租金。"))
    blocks.append(Text(f"联系科室：{store.office.department_name(s.department)}", align="right"))
    blocks.append(Text(office.name, align="right"))
    return [Sheet("公共会议室登记表", blocks, subtitle=f"{office.name}")]


def render_register(store: Store, out_dir: Path, formats: Sequence[str]) -> list[Path]:
    sheets = register_sheets(store)
    out = []
    if "html" in formats:
        out.append(write_html(store, sheets, "公共会议室登记表", out_dir, "rooms-register.html"))
    if "docx" in formats:
        out.append(write_docx(store, sheets, "公共会议室登记表", out_dir, "rooms-register.docx"))
    return out


def booking_notice_sheet(store: Store, data: dict[str, Any]) -> Sheet:
    """会议通知单 (S-ROOM-3/12/14): the booking, the two signatures and the three checks."""
    s = settings_of(store)
    office = store.office
    tz = ZoneInfo(office.office.timezone)
    room = s.rooms.get(str(data["room"]))
    start, end = _as_dt(data["start"]).astimezone(tz), _as_dt(data["end"]).astimezone(tz)
    history = data.get("history") or []

    def signed(action: str) -> str:
        h = next((h for h in history if h.get("action") == action), None)
        if h is None:
            return ""
        return f"{office.display(str(h['by']))}　{cn_datetime(_as_dt(h['at']), tz)}"

    fee = "免收（四大家）" if data.get("exempt") else f"{data.get('fee')} 元"
    fields = [
        ("使用单位", str(data["unit"])),
        ("联系人", f"{data['contact']} {data.get('phone') or ''}".strip()),
        ("会议名称", str(data["title"])),
        ("会议时间", f"{cn_date(start)} {start:%H:%M}—{end:%H:%M}"),
        ("会议地点", room.name if room else str(data["room"])),
        ("会议规格", str(data.get("level") or "")),
        ("与会人数", f"{data['attendance']}人（主席台{data.get('podium') or 0}人）"),
        ("主要领导", joined(data.get("leaders") or [])),
        ("会标内容", str(data.get("banner") or "")),
        ("摆放形式", str(data["layout"])),
        ("其他要求", joined(data.get("extras") or []) or "无"),
        ("租金", fee),
    ]
    checks = []
    for stage in ("before", "during", "after"):
        done = data.get(f"check_{stage}") or []
        h = next((h for h in history if h.get("action") == f"check_{stage}"), None)
        who = f"{office.display(str(h['by']))} {cn_datetime(_as_dt(h['at']), tz)}" if h else ""
        checks.append([STAGE_LABELS[stage], "；".join(done) if done else "未督查", who])
    if data.get("level") == "一级":
        got = data.get("important_checks") or []
        checks.append(["重要会议督查清单", "；".join(got) if got else "未填写", ""])
    blocks: list[Any] = [
        Text(f"编号：{data['id']}", align="right"),
        Fields(fields, pairs=True),
        Fields(
            [
                ("事务一科会务安排人员签字", signed("sign")),
                ("物业公司会务组接纳人员签字", signed("accept")),
            ]
        ),
        Text("三落实（会前督查、会中察看、会后意见反馈）", bold=True),
        Grid(["环节", "督查事项", "督查人及时间"], checks, [1.2, 4, 1.6]),
    ]
    fb = data.get("feedback")
    if fb:
        blocks.append(
            Fields(
                [("意见反馈", f"{fb['rating']}。{fb.get('comment') or ''}（{fb.get('how', '')}）")]
            )
        )
    if data.get("damage"):
        blocks.append(Fields([("物品损坏", str(data["damage"]))]))
    return Sheet("会议通知单", blocks, subtitle=office.office.name)


def render_booking_notice(
    store: Store, rid: str, out_dir: Path, formats: Sequence[str]
) -> list[Path]:
    from oa.kinds.booking import _data

    sheet = booking_notice_sheet(store, _data(store, rid))
    out = []
    if "html" in formats:
        out.append(write_html(store, [sheet], f"会议通知单 {rid}", out_dir, f"{rid}-notice.html"))
    if "docx" in formats:
        out.append(write_docx(store, [sheet], f"会议通知单 {rid}", out_dir, f"{rid}-notice.docx"))
    return out

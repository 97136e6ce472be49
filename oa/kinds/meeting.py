"""Meetings 会务 (S-MTG-1…7, S-ROOM-1…5): from topics to minutes.

The flow of S-MTG-2 is `workflows/meeting.yaml`: 安排议题 → 拟定与会人员 → 报批 (全市性 only, S-MTG-1)
→ 选择会场 → 会议通知 → 会议材料 → 布置会场 → 召开（签到、复查座次）→ 会议记录 → 会议纪要. This module
holds the record, the notice rule of S-MTG-3, the seating protocol of S-MTG-5, the attendance
statistics of S-MTG-7 / S-ROOM-5, and the hooks the work arrangement and supervision gather.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from oa.core.codes import Code, register_codes
from oa.core.errors import OAError
from oa.core.identity import Actor, now
from oa.core.record import Record, ref
from oa.core.registry import AgendaItem, Deadline, Issue, Kind, Task, register
from oa.core.store import Loaded, Store
from oa.core.workflow import GuardContext
from oa.kinds.booking import settings_of  # its codes come first in docs/errors.md

register_codes(
    Code(
        "OA425",
        "notices fall short of the meeting's level",
        "S-MTG-3: every invited unit is notified and the notice confirmed; an important meeting "
        "by phone and fax (双保险), an especially important one by phone, fax and SMS (三保险) with "
        "the unit's own attendee list. Flagged once the meeting has left the notice stage.",
        "meeting/2026/MTG-2026-0003.yaml:30: OA425 notices fall short of 特别重要: 浏阳市财政局 "
        "lacks 短信, attendee list",
    ),
    Code(
        "OA426",
        "phone notice without its receiver",
        "S-MTG-3: a phone notice records the name of whoever took the call.",
        "meeting/2026/MTG-2026-0003.yaml:41: OA426 notices[2]: a phone notice records the "
        "receiver's name",
    ),
    Code(
        "OA427",
        "meeting names an unknown room or booking",
        "A meeting's room is not in the room register, or its booking is not a booking of that "
        "room.",
        "meeting/2026/MTG-2026-0002.yaml:12: OA427 booking BK-2026-0004 is for R2, not R1",
    ),
    Code(
        "OA625",
        "not an attendee",
        "Check-in, absence and seating name people on the meeting's attendee list.",
        "oa: OA625 no attendee named 张三 on MTG-2026-0003's list",
    ),
    Code(
        "OA626",
        "minutes already opened",
        "A meeting has one 会议纪要; `oa meeting minutes` refuses a second one.",
        "oa: OA626 MTG-2026-0001 already has its minutes: OUT-2026-0031",
    ),
)

Scope = Literal["全市性", "中心内部"]
Importance = Literal["一般", "重要", "特别重要"]
Channel = Literal["电话", "传真", "短信", "书面"]
#: S-MTG-3: the channels each level requires of every invited unit
REQUIRED_CHANNELS: dict[str, tuple[str, ...]] = {
    "一般": (),
    "重要": ("电话", "传真"),
    "特别重要": ("电话", "传真", "短信"),
}
#: states from which the notices must already meet the level
AFTER_NOTICE = ("papers", "setup", "open", "recorded", "done")


class MeetingSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    zone_size: int = Field(default=30, ge=1, le=1000, description="seats per audience zone")
    minutes_doc_kind: str | None = Field(
        default=None, description="发文机关代字 of the minutes (default: <short_name>会纪)"
    )


class Attendee(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unit: str = Field(min_length=1, description="单位")
    name: str = Field(min_length=1, description="姓名")
    title: str = Field(default="", description="职务")
    rank: int = Field(default=50, ge=1, le=99, description="排序 (1 = highest), from 职级")
    podium: bool = Field(default=False, description="主席台")


class Notice(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unit: str = Field(min_length=1, description="被通知单位")
    channel: Channel = Field(description="电话、传真、短信或书面")
    at: AwareDatetime = Field(description="通知时间")
    receiver: str | None = Field(default=None, description="接通知人姓名")
    confirmed: bool = Field(default=True, description="通知完成（已确认收到）")
    by: str = ref("person", description="通知人")


class AgendaLine(BaseModel):
    model_config = ConfigDict(extra="forbid")
    time: str = Field(default="", description="时间, e.g. 09:00")
    item: str = Field(min_length=1, description="议程")
    who: str = Field(default="", description="主持或发言")


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, description="机构, e.g. 会务组")
    lead: str = ref("person", description="负责人")
    duties: str = Field(default="", description="职责")


class PlanTask(BaseModel):
    model_config = ConfigDict(extra="forbid")
    what: str = Field(min_length=1, description="筹备任务")
    owner: str = ref("person", description="责任人")
    due: date = Field(description="完成时限")
    done: bool = False


class Plan(BaseModel):
    """组织筹备方案 (S-MTG-4, S-ROOM-1)."""

    model_config = ConfigDict(extra="forbid")
    bodies: list[Body] = Field(default_factory=list, description="组织机构")
    tasks: list[PlanTask] = Field(default_factory=list, description="筹备任务及分工")


class Seat(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seat: str = Field(description="座号: 主席台 P1…, 台下 A-01 …")
    name: str
    unit: str = ""
    title: str = ""


class Seating(BaseModel):
    model_config = ConfigDict(extra="forbid")
    podium: list[Seat] = Field(
        default_factory=list, description="主席台, left to right as seen from the hall"
    )
    hall: list[Seat] = Field(default_factory=list, description="对号入座: zone seats")
    checked_at: AwareDatetime | None = Field(default=None, description="会前半小时复查时间")
    changes: list[str] = Field(default_factory=list, description="复查调整")


class Arrival(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    unit: str
    at: AwareDatetime


class Absence(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    unit: str
    reason: str = Field(min_length=1, description="缺席原因")


class Meeting(Record):
    """会议: one meeting, from its topics to its minutes."""

    kind: Literal["meeting"] = "meeting"
    scope: Scope = Field(description="全市性会议 (报批, S-MTG-1) or 中心内部会议")
    importance: Importance = Field(default="一般", description="重要程度 (S-MTG-3)")
    level: Literal["一级", "二级", "三级"] = Field(default="三级", description="会议规格等级")
    department: str = ref("department", description="主办科室")
    organizer: str = ref("person", description="会务负责人")
    start: AwareDatetime = Field(description="开始时间")
    end: AwareDatetime = Field(description="结束时间")
    banner: str | None = Field(default=None, description="会标")
    topics: list[str] = Field(default_factory=list, description="议题")
    agenda: list[AgendaLine] = Field(default_factory=list, description="会议议程")
    attendees: list[Attendee] = Field(default_factory=list, description="与会人员")
    approval_to: Literal["市委办公室", "市政府办公室"] | None = Field(
        default=None, description="会议审批单报送 (全市性会议)"
    )
    venue: str | None = Field(default=None, description="会议地点 (规范名称)")
    room: str | None = Field(default=None, description="公共会议室 (room id)")
    booking: str | None = ref("record", default=None, description="会议室使用 (BK-…)")
    plan: Plan | None = Field(default=None, description="组织筹备方案")
    notices: list[Notice] = Field(default_factory=list, description="会议通知登记")
    unit_lists: list[str] = Field(default_factory=list, description="已上报与会名单的单位")
    materials: list[str] = Field(default_factory=list, description="会议材料, in bag order")
    podium_papers: list[str] = Field(default_factory=list, description="主席台资料")
    podium_papers_checked: AwareDatetime | None = Field(
        default=None, description="主席台资料会前复查时间"
    )
    notes: list[str] = Field(default_factory=list, description="会议须知")
    seating: Seating | None = Field(default=None, description="座次")
    checkin: list[Arrival] = Field(default_factory=list, description="签到")
    absences: list[Absence] = Field(default_factory=list, description="缺席及原因")
    record: str | None = Field(default=None, description="会议记录")
    minutes: str | None = ref("record", default=None, description="会议纪要 (OUT-…, 浏后勤会纪)")

    @model_validator(mode="after")
    def _times(self) -> Meeting:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


# -- S-MTG-3: notices --------------------------------------------------------------------------


def units_of(attendees: Iterable[dict[str, Any]]) -> list[str]:
    """Invited units, in the order they first appear on the list."""
    seen: dict[str, None] = {}
    for a in attendees:
        seen.setdefault(str(a["unit"]), None)
    return list(seen)


def attendee_range(attendees: Iterable[dict[str, Any]] | None) -> list[str]:
    """What the approval of a meeting holds of its attendees (S-MTG-2: 与会人员范围或名单): the
    units invited. A unit's own list of names (S-MTG-3) then keeps the approval; inviting
    another unit, or dropping one, needs it again (OA414)."""
    return sorted(units_of(attendees or []))


@dataclass(frozen=True)
class UnitNotice:
    unit: str
    channels: tuple[str, ...]
    receivers: tuple[str, ...]
    missing: tuple[str, ...]
    list_reported: bool
    list_needed: bool

    @property
    def reached(self) -> bool:
        return (
            bool(self.channels)
            and not self.missing
            and (self.list_reported or not self.list_needed)
        )

    def shortfall(self) -> list[str]:
        out = list(self.missing) or ([] if self.channels else ["a confirmed notice"])
        if self.list_needed and not self.list_reported:
            out.append("attendee list")
        return out


def notice_status(data: dict[str, Any]) -> list[UnitNotice]:
    """S-MTG-3 per invited unit: the confirmed channels, what the level still requires, and
    whether the unit reported its own attendee list (especially important meetings)."""
    level = str(data.get("importance") or "一般")
    need = REQUIRED_CHANNELS.get(level, ())
    lists = set(data.get("unit_lists") or [])
    out = []
    for unit in units_of(data.get("attendees") or []):
        mine = [n for n in data.get("notices") or [] if n.get("unit") == unit]
        done = [n for n in mine if n.get("confirmed", True)]
        channels = tuple(dict.fromkeys(str(n["channel"]) for n in done))
        receivers = tuple(dict.fromkeys(str(n["receiver"]) for n in done if n.get("receiver")))
        out.append(
            UnitNotice(
                unit,
                channels,
                receivers,
                tuple(c for c in need if c not in channels),
                unit in lists,
                level == "特别重要",
            )
        )
    return out


def notices_short(data: dict[str, Any]) -> list[str]:
    return [
        f"{u.unit} lacks {', '.join(u.shortfall())}" for u in notice_status(data) if not u.reached
    ]


# -- S-MTG-5: seating --------------------------------------------------------------------------


def podium_order(n: int) -> list[int]:
    """Precedence numbers (1 = highest) of n podium seats, left to right as seen from the hall.

    The protocol: 1 sits in the centre; 2 on 1's left hand (seen from the hall: to the right), 3 on
    1's right hand, and so on alternating outwards. With an even number 1 and 2 share the centre,
    1 on the left hand of the centre line (seen from the hall: right of it) and 2 on the other side;
    then 3 beyond 1, 4 beyond 2 …
    """
    if n <= 0:
        return []
    right: list[int] = []  # from the centre outwards, seen from the hall
    left: list[int] = []
    if n % 2:
        centre = [1]
        rest = range(2, n + 1)
        for k in rest:  # 2, 4, … to the hall's right (the leader's left hand); 3, 5, … left
            (right if k % 2 == 0 else left).append(k)
    else:
        centre = []
        for k in range(1, n + 1):  # 1, 3, 5 … hall's right; 2, 4, 6 … hall's left
            (right if k % 2 == 1 else left).append(k)
    return [*reversed(left), *centre, *right]


def _ordered(attendees: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(attendees, key=lambda a: (int(a.get("rank") or 50), attendees.index(a)))


def podium_seats(attendees: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The podium, left to right as seen from the hall, each seat numbered P1…Pn by precedence."""
    leaders = _ordered([a for a in attendees if a.get("podium")])
    order = podium_order(len(leaders))
    return [
        {
            "seat": f"P{k}",
            "name": leaders[k - 1]["name"],
            "unit": leaders[k - 1]["unit"],
            "title": leaders[k - 1].get("title", ""),
        }
        for k in order
    ]


def hall_seats(attendees: Sequence[dict[str, Any]], zone_size: int) -> list[dict[str, Any]]:
    """对号入座: the audience by unit (in list order) into zones A, B, … of `zone_size` seats; a
    unit that would not fit in the rest of a zone starts the next one (when it fits in one)."""
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for a in attendees:
        if not a.get("podium"):
            by_unit.setdefault(str(a["unit"]), []).append(a)
    out: list[dict[str, Any]] = []
    zone, used = 0, 0
    for people in by_unit.values():
        if used and used + len(people) > zone_size and len(people) <= zone_size:
            zone, used = zone + 1, 0
        for a in _ordered(people):
            if used == zone_size:
                zone, used = zone + 1, 0
            used += 1
            out.append(
                {
                    "seat": f"{_zone_name(zone)}-{used:02d}",
                    "name": a["name"],
                    "unit": a["unit"],
                    "title": a.get("title", ""),
                }
            )
    return out


def _zone_name(i: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[i] if i < 26 else f"Z{i}"


def seating_for(
    data: dict[str, Any], zone_size: int, present: set[str] | None = None
) -> dict[str, Any]:
    """The seating of S-MTG-5: the podium by protocol and, for very important meetings, every
    seat. With `present` (names signed in), the podium holds only those who arrived."""
    attendees = list(data.get("attendees") or [])
    podium_people = [a for a in attendees if a.get("podium")]
    if present is not None:
        podium_people = [a for a in podium_people if a["name"] in present]
    seating: dict[str, Any] = {"podium": podium_seats(podium_people)}
    if data.get("importance") == "特别重要":
        seating["hall"] = hall_seats(attendees, zone_size)
    return seating


def recheck(data: dict[str, Any], zone_size: int, at: datetime) -> dict[str, Any]:
    """The 30-minute check (S-MTG-5): the podium re-computed from who actually signed in."""
    present = {str(a["name"]) for a in data.get("checkin") or []}
    new = seating_for(data, zone_size, present)
    old = data.get("seating") or {}
    before = [s["name"] for s in old.get("podium") or []]
    after = [s["name"] for s in new["podium"]]
    changes = [f"{n} 未到，撤座" for n in before if n not in after]
    changes += [f"{n} 到会，补座" for n in after if n not in before]
    if not changes and before != after:
        changes.append("座次调整")
    if old.get("hall") and "hall" not in new:
        new["hall"] = old["hall"]
    new["checked_at"] = at
    new["changes"] = changes or ["无变化"]
    return new


# -- S-MTG-7 / S-ROOM-5: attendance ------------------------------------------------------------


@dataclass
class UnitAttendance:
    unit: str
    expected: int
    arrived: list[str] = field(default_factory=list)
    absent: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)
    missing: list[str] = field(default_factory=list)  # neither arrived nor excused
    #: (name, reason, substitute): listed people someone else of their unit came for (代会)
    covered: list[tuple[str, str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "expected": self.expected,
            "arrived": len(self.arrived),
            "absent": len(self.absent) + len(self.missing),
            "absences": [{"name": n, "reason": r} for n, r in self.absent]
            + [{"name": n, "reason": "未说明"} for n in self.missing],
            "substitutes": [{"name": n, "reason": r, "by": by} for n, r, by in self.covered],
        }

    def why(self) -> str:
        """缺席人员及原因, with who came instead of whom (代会)."""
        return "、".join(
            [f"{n}（{r}）" for n, r in self.absent]
            + [f"{n}（未说明）" for n in self.missing]
            + [f"{n}（{r}，{by}代会）" for n, r, by in self.covered]
        )


def attendance(data: dict[str, Any]) -> list[UnitAttendance]:
    """到会情况统计表: per unit, expected, arrived, absent and why. Someone of a unit who signs in
    in place of a listed person (代会) stands in for the first of the unit's listed people who
    did not come (unexcused before excused): that place is filled, so 应到 = 实到 + 缺席."""
    arrived = [(str(a["unit"]), str(a["name"])) for a in data.get("checkin") or []]
    reasons = {
        (str(a["unit"]), str(a["name"])): str(a["reason"]) for a in data.get("absences") or []
    }
    listed = {(str(a["unit"]), str(a["name"])) for a in data.get("attendees") or []}
    rows: dict[str, UnitAttendance] = {}
    for a in data.get("attendees") or []:
        key = (str(a["unit"]), str(a["name"]))
        row = rows.setdefault(key[0], UnitAttendance(key[0], 0))
        row.expected += 1
        if key in arrived:
            row.arrived.append(key[1])
        elif key in reasons:
            row.absent.append((key[1], reasons[key]))
        else:
            row.missing.append(key[1])
    for unit, name in arrived:
        if (unit, name) in listed:
            continue
        row = rows.setdefault(unit, UnitAttendance(unit, 0))  # a unit not on the list
        if name in row.arrived:
            continue
        row.arrived.append(name)
        if row.missing:
            row.covered.append((row.missing.pop(0), "未说明", name))
        elif row.absent:
            row.covered.append((*row.absent.pop(0), name))
    return list(rows.values())


# -- the commands' rules -----------------------------------------------------------------------


def data_of(store: Store, rid: str) -> dict[str, Any]:
    loaded = store.get_valid(rid)
    assert loaded.data is not None
    if loaded.data.get("kind") != "meeting":
        raise OAError("OA605", f"{rid} is not a meeting (MTG-…)")
    return loaded.data


def _attendee(data: dict[str, Any], name: str, unit: str | None) -> dict[str, Any]:
    for a in data.get("attendees") or []:
        if a["name"] == name and (unit is None or a["unit"] == unit):
            return dict(a)
    raise OAError("OA625", f"no attendee named {name} on {data['id']}'s list")


def _plain(items: Iterable[Any]) -> list[Any]:
    from oa.core.yamlio import plain

    return [_restore(plain(x)) for x in items]


def _restore(value: Any) -> Any:
    """Plain data back with times as datetimes, so the record keeps YAML timestamps."""
    if isinstance(value, dict):
        return {k: _restore(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_restore(v) for v in value]
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def notify(
    store: Store,
    rid: str,
    actor: Actor,
    *,
    unit: str,
    channels: Sequence[str],
    receiver: str | None,
    confirmed: bool = True,
    reported_list: bool = False,
    no_commit: bool = False,
) -> Any:
    """Register notices to one unit (S-MTG-3): each channel used, when, who took it."""
    from oa.core.engine import advance

    data = data_of(store, rid)
    if unit not in units_of(data.get("attendees") or []):
        raise OAError("OA625", f"{unit} is not an invited unit of {rid}")
    if "电话" in channels and not receiver:
        raise OAError("OA606", "a phone notice records the receiver: give --receiver")
    at = now(store)
    notices = _plain(data.get("notices") or [])
    for ch in channels:
        n: dict[str, Any] = {"unit": unit, "channel": ch, "at": at}
        if receiver:
            n["receiver"] = receiver
        n["confirmed"] = confirmed
        n["by"] = actor.person
        notices.append(n)
    sets: dict[str, Any] = {"notices": notices}
    if reported_list:
        lists = list(data.get("unit_lists") or [])
        if unit not in lists:
            sets["unit_lists"] = [*lists, unit]
    return advance(store, rid, "notify", actor, sets=sets, no_commit=no_commit)


def seat(
    store: Store,
    rid: str,
    actor: Actor,
    *,
    again: bool,
    papers_checked: bool = False,
    no_commit: bool = False,
) -> Any:
    """Compute and record the seating (S-MTG-5); `again` is the 30-minute recheck (with the podium
    papers checked again at the same time, S-MTG-6)."""
    from oa.core.engine import advance

    data = data_of(store, rid)
    zone = int(store.kind_settings("meeting").zone_size)
    if again:
        at = now(store)
        sets: dict[str, Any] = {"seating": recheck(data, zone, at)}
        if papers_checked:
            sets["podium_papers_checked"] = at
        return advance(store, rid, "recheck", actor, sets=sets, no_commit=no_commit)
    seating = seating_for(data, zone)
    return advance(store, rid, "seat", actor, sets={"seating": seating}, no_commit=no_commit)


def check_in(
    store: Store,
    rid: str,
    actor: Actor,
    names: Sequence[str],
    *,
    unit: str | None = None,
    no_commit: bool = False,
) -> Any:
    """签到 (S-MTG-7): people on the list by name; with `unit`, a substitute for that unit."""
    from oa.core.engine import advance

    data = data_of(store, rid)
    at = now(store)
    arrivals = _plain(data.get("checkin") or [])
    seen = {(a["unit"], a["name"]) for a in arrivals}
    for name in names:
        if unit is not None and unit in units_of(data.get("attendees") or []):
            who = {"name": name, "unit": unit}
        else:
            who = _attendee(data, name, unit)
        if (who["unit"], name) in seen:
            raise OAError("OA005", f"{name} ({who['unit']}) has already signed in")
        seen.add((who["unit"], name))
        arrivals.append({"name": name, "unit": who["unit"], "at": at})
    return advance(store, rid, "checkin", actor, sets={"checkin": arrivals}, no_commit=no_commit)


def absent(
    store: Store, rid: str, actor: Actor, name: str, reason: str, *, no_commit: bool = False
) -> Any:
    from oa.core.engine import advance

    data = data_of(store, rid)
    who = _attendee(data, name, None)
    rows = _plain(data.get("absences") or [])
    rows.append({"name": name, "unit": who["unit"], "reason": reason})
    return advance(store, rid, "absence", actor, sets={"absences": rows}, no_commit=no_commit)


def task_done(store: Store, rid: str, actor: Actor, number: int, *, no_commit: bool = False) -> Any:
    from oa.core.engine import advance

    data = data_of(store, rid)
    plan = _restore(_plain([data.get("plan") or {}])[0])
    tasks = plan.get("tasks") or []
    if not 1 <= number <= len(tasks):
        raise OAError("OA005", f"{rid} has no task {number} (it has {len(tasks)})")
    tasks[number - 1]["done"] = True
    return advance(store, rid, "plan", actor, sets={"plan": plan}, no_commit=no_commit)


def open_minutes(store: Store, rid: str, actor: Actor, *, no_commit: bool = False) -> Any:
    """The last step of S-MTG-2: a 浏后勤会纪 outgoing document drafted from the meeting, linked
    to it; it then runs the outgoing workflow."""
    import tempfile
    from pathlib import Path

    from oa.core.engine import advance, create
    from oa.core.registry import kinds

    data = data_of(store, rid)
    if data.get("minutes"):
        raise OAError("OA626", f"{rid} already has its minutes: {data['minutes']}")
    if data.get("state") != "recorded":
        raise OAError(
            "OA602",
            f"minutes are drawn up once the meeting is recorded (state 'recorded'); "
            f"{rid} is {data.get('state')!r}",
        )
    code = store.kind_settings("meeting").minutes_doc_kind
    fields = {
        "doc_kind": code or f"{store.office.office.short_name}会纪",
        "title": f"{data['title']}纪要",
        "department": data["department"],
        "drafter": actor.person,
    }
    with tempfile.TemporaryDirectory() as tmp:
        body = Path(tmp) / "正文.md"
        body.write_text(minutes_draft(store, data), encoding="utf-8")
        out = create(
            store,
            kinds()["outgoing"],
            fields,
            actor,
            files=[(body, "正文.md")],
            file_fields={"body": "正文.md"},
            no_commit=no_commit,
        )
    linked = advance(store, rid, "minutes", actor, sets={"minutes": out.rid}, no_commit=no_commit)
    return out, linked


def minutes_draft(store: Store, data: dict[str, Any]) -> str:
    """A first draft of the 纪要 body from the meeting: when, where, who chaired, the topics and
    the record, for the drafter to edit."""
    tz = ZoneInfo(store.office.office.timezone)
    start = _as_dt(data["start"]).astimezone(tz)
    chair = next((a for a in _ordered(data.get("attendees") or []) if a.get("podium")), None)
    lines = [
        f"{start.year}年{start.month}月{start.day}日，{data['title']}在{data.get('venue') or ''}召开。"
        + (f"会议由{chair['name']}主持。" if chair else ""),
        "",
        "会议议定以下事项：",
        "",
    ]
    for i, t in enumerate(data.get("topics") or [], 1):
        lines.append(f"{i}. {t}")
    if data.get("record"):
        lines += ["", str(data["record"]).strip()]
    return "\n".join(lines) + "\n"


def _as_dt(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


# -- guards ------------------------------------------------------------------------------------


def city_wide(ctx: GuardContext) -> str | None:
    """S-MTG-1: only a meeting in the city's name goes through 报批."""
    if ctx.record.get("scope") != "全市性":
        return "only a 全市性 meeting is sent for approval; an internal one goes on to the venue"
    return None


def internal(ctx: GuardContext) -> str | None:
    """S-MTG-1: a meeting in the city's name cannot skip the 会议审批单."""
    if ctx.record.get("scope") == "全市性":
        return "a 全市性 meeting needs the 会议审批单 approved first (submit_approval)"
    return None


def notices_sufficient(ctx: GuardContext) -> str | None:
    """S-MTG-3: every invited unit notified as its level requires before the papers stage."""
    short = notices_short(dict(ctx.record))
    if short:
        return f"notices fall short of {ctx.record.get('importance')}: " + "; ".join(short)
    return None


# -- checks ------------------------------------------------------------------------------------


def check_meeting(store: Store, loaded: Loaded) -> Iterator[Issue]:
    data = loaded.data or {}
    for i, n in enumerate(data.get("notices") or []):
        if n.get("channel") == "电话" and not n.get("receiver"):
            yield (
                ["notices", i],
                "OA426",
                f"notices[{i}]: a phone notice records the receiver's name",
            )
    if data.get("state") in AFTER_NOTICE:
        short = notices_short(data)
        if short:
            yield (
                ["notices"] if data.get("notices") else ["state"],
                "OA425",
                f"notices fall short of {data.get('importance')}: " + "; ".join(short),
            )
    room = data.get("room")
    if room and room not in settings_of(store).rooms:
        yield ["room"], "OA427", f"room {room!r} is not in the room register"


def check_bookings(store: Store, records: list[Loaded]) -> Iterator[Any]:
    """A meeting's booking is a booking of the meeting's room."""
    from oa.core.errors import Finding
    from oa.core.query import indexed

    rooms = {
        str(e.summary["id"]): str(e.summary.get("room"))
        for _, e in indexed(store, "booking")
        if e.summary is not None
    }
    for loaded in records:
        d = loaded.data or {}
        bk, room = d.get("booking"), d.get("room")
        if bk and room and bk in rooms and rooms[bk] != room:
            yield Finding(
                loaded.path,
                store.line(loaded.path, ["booking"]),
                "OA427",
                f"booking {bk} is for {rooms[bk]}, not {room}",
            )


# -- hooks -------------------------------------------------------------------------------------


def agenda(store: Store, data: dict[str, Any], first: date, last: date) -> Iterator[AgendaItem]:
    """The meeting on the office's calendar (category 会议), with its podium leaders."""
    if data.get("state") == "cancelled":
        return
    tz = ZoneInfo(store.office.office.timezone)
    start, end = _as_dt(data["start"]).astimezone(tz), _as_dt(data["end"]).astimezone(tz)
    if not first <= start.date() <= last:
        return
    names = {p.name: pid for pid, p in store.office.people.items()}
    leaders = tuple(
        names[a["name"]]
        for a in data.get("attendees") or []
        if a.get("podium") and a["name"] in names
    )
    yield AgendaItem(
        day=start.date(),
        what=str(data["title"]),
        source=str(data["id"]),
        category="会议",
        start=start.time(),
        end=end.time(),
        where=str(data.get("venue") or ""),
        department=str(data.get("department") or "") or None,
        people=leaders,
    )


def tasks(store: Store, data: dict[str, Any]) -> Iterator[Task]:
    """The organizing plan's tasks (S-MTG-4), to be chased like any supervised item."""
    if data.get("state") == "cancelled":
        return
    for i, t in enumerate((data.get("plan") or {}).get("tasks") or []):
        due = t["due"] if isinstance(t["due"], date) else date.fromisoformat(str(t["due"]))
        yield Task(
            key=f"plan.tasks[{i}]",
            what=str(t["what"]),
            due=due,
            owners=(str(t["owner"]),),
            done=bool(t.get("done")),
        )


def deadline(store: Store, data: dict[str, Any]) -> Deadline | None:
    """While notices are outstanding the meeting's day is their deadline; the earliest open task
    of the plan otherwise."""
    state = data.get("state")
    if state in ("done", "cancelled", "recorded", "open"):
        return None
    tz = ZoneInfo(store.office.office.timezone)
    if state == "notice" and notices_short(data):
        return Deadline(
            _as_dt(data["start"]).astimezone(tz).date(), "会议通知", (data["organizer"],)
        )
    open_tasks = [t for t in tasks(store, data) if not t.done]
    if open_tasks:
        t = min(open_tasks, key=lambda t: t.due)
        return Deadline(t.due, f"筹备任务：{t.what}", t.owners)
    return None


def _summary(data: dict[str, Any]) -> str:
    return f"{_as_dt(data['start']):%m-%d %H:%M} {data.get('venue') or ''}".strip()


KIND = register(
    Kind(
        name="meeting",
        prefix="MTG",
        label="会议",
        model=Meeting,
        guards={
            "city_wide": city_wide,
            "internal": internal,
            "notices_sufficient": notices_sufficient,
        },
        record_checks=[check_meeting],
        collection_checks=[check_bookings],
        settings=MeetingSettings,
        department_field="department",
        summary=_summary,
        collection_reads=("booking", "room"),
        pin_views={"attendees": attendee_range},
        index_fields=("start", "room", "booking", "importance", "minutes"),
        deadline=deadline,
        agenda=agenda,
        tasks=tasks,
    )
)

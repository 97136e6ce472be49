"""Public meeting rooms 公共会议室 (S-ROOM-8…15): the room register, bookings and their checks.

The register (rooms, fee schedule, house rules, checklists, maintenance) is data in `oa.yaml` under
`kinds.booking`. A booking follows `workflows/booking.yaml`: 登记意向 → 会议通知单 (事务一科 signs) →
物业会务组签收 → 会前督查 (set up the day before) → 会中察看 → 会后督查 → 意见反馈. The rules that need
other records or the clock (overlaps, lead times, capacity, fees) are checked here before the engine
writes, and again by `oa validate` on what is on disk (a double booking merged from two branches).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from oa.core.codes import Code, register_codes
from oa.core.errors import Finding, OAError
from oa.core.identity import Actor, now
from oa.core.record import Record, ref
from oa.core.registry import AgendaItem, Deadline, Issue, Kind, register
from oa.core.store import Loaded, Store
from oa.core.workflow import GuardContext

register_codes(
    Code(
        "OA420",
        "room double-booked",
        "Two bookings of the same room overlap, or one falls in the set-up the day before the "
        "other (S-ROOM-13). Typically two branches each booked the slot and were merged.",
        "booking/2026/BK-2026-0007.yaml:9: OA420 第一会议室 2026-12-02 09:00–11:30 overlaps "
        "BK-2026-0006 (2026-12-02 09:00–12:00)",
    ),
    Code(
        "OA421",
        "not in the room register",
        "A booking or meeting names a room, layout or checklist item that the register in "
        "`oa.yaml` (kinds.booking) does not have.",
        "booking/2026/BK-2026-0003.yaml:8: OA421 room 'R9' is not in the room register "
        "(R1 第一会议室, R2 第二会议室)",
    ),
    Code(
        "OA422",
        "over capacity",
        "The attendance (or the podium count) exceeds what the room holds (S-ROOM-9, S-ROOM-12).",
        "booking/2026/BK-2026-0003.yaml:11: OA422 attendance 150 exceeds 第二会议室's capacity 60",
    ),
    Code(
        "OA423",
        "fee does not match the schedule",
        "The recorded fee differs from the room's fee schedule, or a unit of the 四大家 was "
        "charged, or another unit was exempted (S-ROOM-11).",
        "booking/2026/BK-2026-0004.yaml:17: OA423 fee 0 but the schedule says 800 "
        "(浏阳市教育局 is not exempt)",
    ),
    Code(
        "OA424",
        "changed or cancelled too late",
        "A booking's change or cancellation was recorded later than the configured lead "
        "(default: one day before the meeting, S-ROOM-10).",
        "booking/2026/BK-2026-0005.yaml:40: OA424 history[2] cancel on 2026-12-02 is less than "
        "1 day before the meeting (2026-12-02)",
    ),
    Code(
        "OA620",
        "room not free",
        "The room is booked at that time, or is being set up for the next day's meeting (every "
        "room is set up the day before, S-ROOM-13).",
        "oa: OA620 第一会议室 is not free 2026-12-02 09:00–11:30: BK-2026-0006 浏阳市财政局 "
        "(09:00–12:00)",
    ),
    Code(
        "OA621",
        "attendance over capacity",
        "The booking asks for more seats (or podium seats) than the room has.",
        "oa: OA621 attendance 150 exceeds 第二会议室's capacity 60",
    ),
    Code(
        "OA622",
        "outside the lead-time window",
        "A unit states its intent between the minimum and maximum lead (default 1–3 days) and "
        "completes the rental at least one day before (S-ROOM-10).",
        "oa: OA622 a booking is made 1 to 3 days ahead; 2026-12-10 is 10 days away",
    ),
    Code(
        "OA623",
        "too late to change or cancel",
        "Changes and cancellations are made at least one day before the meeting (S-ROOM-10).",
        "oa: OA623 BK-2026-0004 can no longer be cancelled: changes are made at least 1 day "
        "before the meeting (2026-12-01)",
    ),
    Code(
        "OA624",
        "not in the room register",
        "A command named a room, layout, extra or checklist item the register does not have.",
        "oa: OA624 no room 'R9' in the register (R1 第一会议室, R2 第二会议室)",
    ),
)

Extra = Literal["鲜花", "果盘", "欢迎标牌", "领导铭牌", "座位牌", "分区布局图"]
Level = Literal["一级", "二级", "三级"]
ACTIVE_STATES_EXCLUDED = ("cancelled",)
STAGES = ("before", "during", "after")
STAGE_LABELS = {"before": "会前督查", "during": "会中察看", "after": "会后督查"}
#: how far apart two bookings' starts can be and still clash (the set-up is the day before)
REACH = timedelta(days=2)


# -- the register ------------------------------------------------------------------------------


class Fee(BaseModel):
    model_config = ConfigDict(extra="forbid")
    half_day: int = Field(ge=0, description="半天租金（元）")
    full_day: int = Field(ge=0, description="全天租金（元）")


class Maintenance(BaseModel):
    model_config = ConfigDict(extra="forbid")
    item: str = Field(min_length=1, description="检修项目")
    every_days: int = Field(ge=1, le=3650, description="检修周期（天）")
    last: date = Field(description="上次检修日期")


class Room(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, description="规范名称 (S-ROOM-2)")
    location: str = Field(default="", description="位置")
    area: int = Field(ge=1, description="面积（平方米）")
    capacity: int = Field(ge=1, description="容纳人数")
    podium_seats: int = Field(default=0, ge=0, description="主席台座位")
    equipment: list[str] = Field(default_factory=list, description="设施设备")
    supplies: dict[str, int] = Field(default_factory=dict, description="会议用具及数量")
    layouts: list[str] = Field(min_length=1, description="摆放形式")
    fee: Fee = Field(description="收费标准")
    maintenance: list[Maintenance] = Field(default_factory=list, description="设备检修计划")


class Checklists(BaseModel):
    model_config = ConfigDict(extra="forbid")
    before: list[str] = Field(
        min_length=1, description="会前督查 (会务准备督查事项明细表, S-ROOM-4/6)"
    )
    during: list[str] = Field(min_length=1, description="会中察看")
    after: list[str] = Field(min_length=1, description="会后督查 (S-ROOM-7)")
    important: list[str] = Field(min_length=1, description="重要会议督查清单 (一级规格, S-ROOM-13)")


class BookingSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    department: str = Field(
        default="SWY", description="the department that schedules rooms (事务一科)"
    )
    lead_min_days: int = Field(default=1, ge=0, description="最少提前天数 (S-ROOM-10)")
    lead_max_days: int = Field(default=3, ge=0, description="最多提前天数 (S-ROOM-10)")
    rental_min_days: int = Field(default=1, ge=0, description="租用手续最迟提前天数")
    change_min_days: int = Field(default=1, ge=0, description="变更或取消最迟提前天数")
    setup_from: time = Field(
        default=time(16, 0), description="the room is set up the day before from this time"
    )
    half_day_hours: float = Field(default=4, gt=0, description="up to this long is a half day")
    exempt_units: list[str] = Field(
        default_factory=lambda: [
            "中共浏阳市委",
            "浏阳市人大常委会",
            "浏阳市人民政府",
            "政协浏阳市委员会",
            "市委",
            "市人大",
            "市政府",
            "市政协",
        ],
        description="四大家: exempt from rent (S-ROOM-11)",
    )
    rules: list[str] = Field(default_factory=list, description="会议室使用管理规定")
    rooms: dict[str, Room] = Field(default_factory=dict, description="room id → the room")
    checklists: Checklists | None = None

    @model_validator(mode="after")
    def _window(self) -> BookingSettings:
        if self.lead_min_days > self.lead_max_days:
            raise ValueError("lead_min_days is more than lead_max_days")
        return self


@lru_cache(maxsize=8)
def _settings_from(raw: str) -> BookingSettings:
    import json

    return BookingSettings.model_validate(json.loads(raw))


def settings_of(store: Store) -> BookingSettings:
    s: BookingSettings = store.kind_settings("booking")
    return s


def office_settings(office: Any) -> BookingSettings:
    """The settings from the office alone (what a guard sees). The last few offices' are kept
    by identity: a guard asks once per step of every booking replayed."""
    for known, settings in _RECENT:
        if known is office:
            return settings
    import json

    from oa.core.yamlio import plain

    try:
        settings = _settings_from(
            json.dumps(plain(office.kinds.get("booking", {})), sort_keys=True)
        )
    except ValidationError:  # reported with its line by `oa validate` and every room command
        raise OAError(
            "OA210", "kinds.booking: invalid settings (oa validate shows where)"
        ) from None
    _RECENT[:] = [(office, settings), *_RECENT[:3]]
    return settings


_RECENT: list[tuple[Any, BookingSettings]] = []


def room_of(settings: BookingSettings, room: str) -> Room:
    found = settings.rooms.get(room) or next(
        (r for r in settings.rooms.values() if r.name == room), None
    )
    if found is None:
        raise OAError("OA624", f"no room {room!r} in the register ({known_rooms(settings)})")
    return found


def room_id(settings: BookingSettings, room: str) -> str:
    if room in settings.rooms:
        return room
    for rid, r in settings.rooms.items():
        if r.name == room:
            return rid
    raise OAError("OA624", f"no room {room!r} in the register ({known_rooms(settings)})")


def known_rooms(settings: BookingSettings) -> str:
    return ", ".join(f"{k} {r.name}" for k, r in settings.rooms.items()) or "none"


# -- the record --------------------------------------------------------------------------------


class Feedback(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rating: Literal["满意", "基本满意", "不满意"] = Field(description="使用单位评价")
    comment: str = Field(default="", description="意见建议")
    by: str = Field(default="", description="反馈人")
    how: Literal["电话", "致函", "当面"] = Field(default="电话", description="征询方式")


class Booking(Record):
    """公共会议室使用: one booking of one room by one unit."""

    kind: Literal["booking"] = "booking"
    unit: str = Field(min_length=1, description="使用单位")
    contact: str = Field(min_length=1, description="联系人")
    phone: str | None = Field(default=None, description="联系电话")
    asked_by: Literal["来函", "来电"] = Field(default="来电", description="来函或来电 (S-ROOM-8)")
    room: str = Field(min_length=1, description="room id in the register")
    start: AwareDatetime = Field(description="会议开始时间")
    end: AwareDatetime = Field(description="会议结束时间")
    podium: int = Field(default=0, ge=0, le=200, description="主席台人数")
    attendance: int = Field(ge=1, le=5000, description="与会人数")
    level: Level = Field(default="三级", description="会议规格等级")
    leaders: list[str] = Field(default_factory=list, description="与会主要领导")
    banner: str | None = Field(default=None, description="会标内容")
    layout: str = Field(min_length=1, description="会议用具摆放形式")
    extras: list[Extra] = Field(default_factory=list, description="鲜花、果盘、欢迎标牌 …")
    fee: int = Field(ge=0, description="租金（元）, from the fee schedule (S-ROOM-11)")
    exempt: bool = Field(default=False, description="四大家免收租金")
    meeting: str | None = ref("record", default=None, description="the meeting (MTG-…) it serves")
    check_before: list[str] = Field(default_factory=list, description="会前督查: items checked")
    important_checks: list[str] = Field(
        default_factory=list, description="重要会议督查清单: items checked (一级规格)"
    )
    check_during: list[str] = Field(default_factory=list, description="会中察看: items checked")
    check_after: list[str] = Field(default_factory=list, description="会后督查: items checked")
    damage: str | None = Field(default=None, description="物品损坏情况")
    feedback: Feedback | None = Field(default=None, description="使用单位意见反馈 (S-ROOM-15)")

    @model_validator(mode="after")
    def _times(self) -> Booking:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        if self.end - self.start > timedelta(hours=16):
            raise ValueError("a booking covers one day at most")
        if self.podium > self.attendance:
            raise ValueError("podium count is more than the attendance")
        return self


# -- time and fees -----------------------------------------------------------------------------


def tz_of(store: Store) -> ZoneInfo:
    return ZoneInfo(store.office.office.timezone)


@dataclass(frozen=True)
class Slot:
    rid: str
    unit: str
    room: str
    start: datetime
    end: datetime

    def setup(self, settings: BookingSettings) -> tuple[datetime, datetime]:
        """The set-up the day before: from `setup_from` to midnight (S-ROOM-13)."""
        day = self.start.date()
        tz = self.start.tzinfo
        begin = datetime.combine(day - timedelta(days=1), settings.setup_from, tz)
        return begin, datetime.combine(day, time(0, 0), tz)


def _overlap(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def clash(settings: BookingSettings, new: Slot, other: Slot) -> str | None:
    """Why `new` cannot share the room with `other`: overlap or the other's set-up."""
    if new.room != other.room or new.rid == other.rid:
        return None
    if _overlap((new.start, new.end), (other.start, other.end)):
        return "overlaps"
    if _overlap((new.start, new.end), other.setup(settings)):
        return "falls in the set-up (the day before) of"
    if _overlap(new.setup(settings), (other.start, other.end)):
        return "leaves no set-up time (the day before) after"
    return None


def _as_dt(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def slot_of(data: dict[str, Any]) -> Slot:
    return Slot(
        str(data["id"]),
        str(data.get("unit", "")),
        str(data["room"]),
        _as_dt(data["start"]),
        _as_dt(data["end"]),
    )


def span(s: Slot, tz: ZoneInfo | None = None) -> str:
    a, b = (s.start.astimezone(tz), s.end.astimezone(tz)) if tz else (s.start, s.end)
    return f"{a:%Y-%m-%d %H:%M}–{b:%H:%M}"


def active_slots(store: Store) -> list[Slot]:
    from oa.core.query import indexed

    return [
        slot_of(e.summary)
        for _, e in indexed(store, "booking")
        if e.summary is not None and e.summary.get("state") not in ACTIVE_STATES_EXCLUDED
    ]


def is_exempt(settings: BookingSettings, unit: str) -> bool:
    return unit.strip() in settings.exempt_units


def fee_for(
    settings: BookingSettings, room: Room, unit: str, start: datetime, end: datetime
) -> int:
    """S-ROOM-11: the standard rent — half or full day — unless the unit is one of the 四大家."""
    if is_exempt(settings, unit):
        return 0
    hours = (end - start).total_seconds() / 3600
    return room.fee.half_day if hours <= settings.half_day_hours else room.fee.full_day


def _days_ahead(store: Store, start: datetime) -> int:
    tz = tz_of(store)
    return (start.astimezone(tz).date() - now(store).astimezone(tz).date()).days


# -- the commands' rules -----------------------------------------------------------------------


def _check_slot(
    store: Store, settings: BookingSettings, slot: Slot, podium: int, attendance: int
) -> None:
    room = room_of(settings, slot.room)
    if attendance > room.capacity:
        raise OAError(
            "OA621", f"attendance {attendance} exceeds {room.name}'s capacity {room.capacity}"
        )
    if podium > room.podium_seats:
        raise OAError(
            "OA621", f"podium count {podium} exceeds {room.name}'s {room.podium_seats} podium seats"
        )
    tz = tz_of(store)
    for other in active_slots(store):
        why = clash(settings, slot, other)
        if why:
            raise OAError(
                "OA620",
                f"{room.name} is not free {span(slot, tz)}: it {why} {other.rid} "
                f"{other.unit} ({span(other, tz)})",
            )


def _check_layout(settings: BookingSettings, room_key: str, layout: str) -> None:
    room = room_of(settings, room_key)
    if layout not in room.layouts:
        raise OAError(
            "OA624",
            f"{room.name} offers no layout {layout!r} (it offers: {'、'.join(room.layouts)})",
        )


def book(store: Store, actor: Actor, fields: dict[str, Any], *, no_commit: bool = False) -> Any:
    """Register a unit's booking (S-ROOM-8/10/12): refused when the room is not free (or being set
    up), over capacity, or outside the lead-time window; the fee comes from the schedule."""
    from oa.core.engine import create
    from oa.core.registry import kinds

    settings = settings_of(store)
    fields = dict(fields)
    fields["room"] = room_id(settings, str(fields["room"]))
    start, end = fields["start"], fields["end"]
    if end <= start:
        raise OAError("OA005", "--end must be after --start")
    ahead = _days_ahead(store, start)
    if not settings.lead_min_days <= ahead <= settings.lead_max_days:
        raise OAError(
            "OA622",
            f"a booking is made {settings.lead_min_days} to {settings.lead_max_days} days ahead; "
            f"{start.date().isoformat()} is {ahead} days away",
        )
    _check_layout(settings, fields["room"], str(fields["layout"]))
    slot = Slot("", str(fields["unit"]), fields["room"], start, end)
    _check_slot(store, settings, slot, int(fields.get("podium") or 0), int(fields["attendance"]))
    room = room_of(settings, fields["room"])
    fields["fee"] = fee_for(settings, room, str(fields["unit"]), start, end)
    fields["exempt"] = is_exempt(settings, str(fields["unit"]))
    return create(store, kinds()["booking"], fields, actor, no_commit=no_commit)


def _not_too_late(store: Store, data: dict[str, Any], what: str) -> None:
    settings = settings_of(store)
    start = _as_dt(data["start"])
    if _days_ahead(store, start) < settings.change_min_days:
        raise OAError(
            "OA623",
            f"{data['id']} can no longer be {what}: changes are made at least "
            f"{settings.change_min_days} day before the meeting ({start.date().isoformat()})",
        )


def change(
    store: Store,
    rid: str,
    actor: Actor,
    sets: dict[str, Any],
    reason: str,
    *,
    no_commit: bool = False,
) -> Any:
    """Change a booking (S-ROOM-10): at least a day before, and the new slot must be free."""
    from oa.core.engine import advance

    data = _data(store, rid)
    _not_too_late(store, data, "changed")
    settings = settings_of(store)
    merged = {**data, **sets}
    if "room" in sets:
        sets["room"] = merged["room"] = room_id(settings, str(sets["room"]))
    if "start" in sets:
        _not_too_late(store, merged, "moved to that day")
    if merged["end"] <= merged["start"]:
        raise OAError("OA005", "--end must be after --start")
    if {"room", "layout"} & set(sets):
        _check_layout(settings, str(merged["room"]), str(merged["layout"]))
    slot = Slot(rid, str(merged["unit"]), str(merged["room"]), merged["start"], merged["end"])
    _check_slot(store, settings, slot, int(merged.get("podium") or 0), int(merged["attendance"]))
    room = room_of(settings, slot.room)
    fee = fee_for(settings, room, slot.unit, slot.start, slot.end)
    if fee != data.get("fee"):
        sets["fee"] = fee
    return advance(store, rid, "change", actor, opinion=reason, sets=sets, no_commit=no_commit)


def cancel(store: Store, rid: str, actor: Actor, reason: str, *, no_commit: bool = False) -> Any:
    from oa.core.engine import advance

    _not_too_late(store, _data(store, rid), "cancelled")
    return advance(store, rid, "cancel", actor, opinion=reason, no_commit=no_commit)


def sign(store: Store, rid: str, actor: Actor, *, no_commit: bool = False) -> Any:
    """事务一科 signs the 会议通知单: the rental is completed at least a day before (S-ROOM-10/14)."""
    from oa.core.engine import advance

    data = _data(store, rid)
    settings = settings_of(store)
    start = _as_dt(data["start"])
    if _days_ahead(store, start) < settings.rental_min_days:
        raise OAError(
            "OA622",
            f"the rental is completed at least {settings.rental_min_days} day before the meeting "
            f"({start.date().isoformat()})",
        )
    return advance(store, rid, "sign", actor, no_commit=no_commit)


def check(
    store: Store,
    rid: str,
    stage: str,
    actor: Actor,
    *,
    missing: Iterable[str] = (),
    damage: str | None = None,
    no_commit: bool = False,
) -> Any:
    """Record one of the three checks (三落实, S-ROOM-14): every item of the stage's checklist is
    ticked except those named missing — and the workflow refuses a check with any missing."""
    from oa.core.engine import advance

    if stage not in STAGES:
        raise OAError("OA005", f"stage must be one of {', '.join(STAGES)}, got {stage!r}")
    data = _data(store, rid)
    lists = settings_of(store).checklists
    if lists is None:
        raise OAError("OA624", "the register has no checklists (kinds.booking.checklists)")
    items: list[str] = list(getattr(lists, stage))
    missing = list(missing)
    unknown = [m for m in missing if m not in items and m not in lists.important]
    if unknown:
        raise OAError("OA624", f"no checklist item {unknown[0]!r} in {STAGE_LABELS[stage]}")
    sets: dict[str, Any] = {f"check_{stage}": [i for i in items if i not in missing]}
    if stage == "before" and data.get("level") == "一级":
        sets["important_checks"] = [i for i in lists.important if i not in missing]
    if stage == "after" and damage:
        sets["damage"] = damage
    action = f"check_{stage}"
    return advance(store, rid, action, actor, sets=sets, no_commit=no_commit)


def _data(store: Store, rid: str) -> dict[str, Any]:
    loaded = store.get_valid(rid)
    assert loaded.data is not None
    if loaded.data.get("kind") != "booking":
        raise OAError("OA605", f"{rid} is not a booking (BK-…)")
    return loaded.data


# -- guards ------------------------------------------------------------------------------------


def _complete(ctx: GuardContext, stage: str) -> str | None:
    lists = office_settings(ctx.office).checklists
    if lists is None:
        return "the register has no checklists"
    done = set(ctx.record.get(f"check_{stage}") or [])
    if ctx.listing:
        return None
    missing = [i for i in getattr(lists, stage) if i not in done]
    if stage == "before" and ctx.record.get("level") == "一级":
        got = set(ctx.record.get("important_checks") or [])
        missing += [f"重要会议督查清单: {i}" for i in lists.important if i not in got]
    if missing:
        return f"{STAGE_LABELS[stage]} not complete: " + "、".join(missing)
    return None


def before_complete(ctx: GuardContext) -> str | None:
    """S-ROOM-4/13: the set-up checklist, and for 一级规格 the important-meeting one, item by item."""
    return _complete(ctx, "before")


def during_complete(ctx: GuardContext) -> str | None:
    return _complete(ctx, "during")


def after_complete(ctx: GuardContext) -> str | None:
    return _complete(ctx, "after")


# -- checks ------------------------------------------------------------------------------------


def check_booking(store: Store, loaded: Loaded) -> Iterator[Issue]:
    data = loaded.data or {}
    settings = settings_of(store)
    room = settings.rooms.get(str(data.get("room")))
    if room is None:
        yield (
            ["room"],
            "OA421",
            f"room {data.get('room')!r} is not in the room register ({known_rooms(settings)})",
        )
        return
    if data.get("layout") not in room.layouts:
        yield ["layout"], "OA421", f"{room.name} offers no layout {data.get('layout')!r}"
    if int(data.get("attendance") or 0) > room.capacity:
        yield (
            ["attendance"],
            "OA422",
            f"attendance {data['attendance']} exceeds {room.name}'s capacity {room.capacity}",
        )
    if int(data.get("podium") or 0) > room.podium_seats:
        yield (
            ["podium"],
            "OA422",
            f"podium {data['podium']} exceeds {room.name}'s {room.podium_seats} podium seats",
        )
    unit = str(data.get("unit"))
    want = fee_for(settings, room, unit, _as_dt(data["start"]), _as_dt(data["end"]))
    if data.get("fee") != want or bool(data.get("exempt")) != is_exempt(settings, unit):
        why = "is exempt (四大家)" if is_exempt(settings, unit) else "is not exempt"
        yield ["fee"], "OA423", f"fee {data.get('fee')} but the schedule says {want} ({unit} {why})"
    tz = tz_of(store)
    day = _as_dt(data["start"]).astimezone(tz).date()
    for i, h in enumerate(data.get("history") or []):
        if h.get("action") in ("change", "cancel"):
            at = _as_dt(h["at"]).astimezone(tz).date()
            if (day - at).days < settings.change_min_days:
                yield (
                    ["history", i],
                    "OA424",
                    f"history[{i}] {h['action']} on {at.isoformat()} is less than "
                    f"{settings.change_min_days} day before the meeting ({day.isoformat()})",
                )


def clashes(settings: BookingSettings, slots: Iterable[Slot]) -> Iterator[tuple[Slot, Slot, str]]:
    """Every pair of live bookings that cannot share their room, the later one first. A booking
    lasts at most 16 hours and is set up the day before, so only bookings of the same room that
    start less than two days apart can clash: a sweep, not every pair."""
    ordered = sorted(slots, key=lambda x: (x.room, x.start, x.rid))
    for i, slot in enumerate(ordered):
        j = i - 1
        while j >= 0 and ordered[j].room == slot.room and slot.start - ordered[j].start < REACH:
            why = clash(settings, slot, ordered[j])
            if why:
                yield slot, ordered[j], why
            j -= 1


def check_overlaps(store: Store, records: list[Loaded]) -> Iterator[Finding]:
    """S-ROOM-13 across records: no two live bookings of a room overlap (merged branches)."""
    settings = settings_of(store)
    tz = tz_of(store)
    paths = {}
    for loaded in records:
        if loaded.data and loaded.data.get("state") not in ACTIVE_STATES_EXCLUDED:
            paths[str(loaded.data["id"])] = (loaded.path, slot_of(loaded.data))
    for slot, other, why in clashes(settings, (s for _, s in paths.values())):
        room = settings.rooms.get(slot.room)
        path = paths[slot.rid][0]
        yield Finding(
            path,
            store.line(path, ["start"]),
            "OA420",
            f"{room.name if room else slot.room} {span(slot, tz)} {why} {other.rid} "
            f"({span(other, tz)})",
        )


# -- hooks -------------------------------------------------------------------------------------


def agenda(store: Store, data: dict[str, Any], first: date, last: date) -> Iterator[AgendaItem]:
    """The booking on the office's calendar (category 会议室), unless cancelled."""
    if data.get("state") in ACTIVE_STATES_EXCLUDED:
        return
    tz = tz_of(store)
    start, end = _as_dt(data["start"]).astimezone(tz), _as_dt(data["end"]).astimezone(tz)
    if not first <= start.date() <= last:
        return
    settings = settings_of(store)
    room = settings.rooms.get(str(data["room"]))
    yield AgendaItem(
        day=start.date(),
        what=f"{data['unit']}：{data.get('banner') or data['title']}",
        source=str(data["id"]),
        category="会议室",
        start=start.time(),
        end=end.time(),
        where=room.name if room else str(data["room"]),
        department=settings.department,
        people=(),
    )


#: what a booking waits for before its meeting, all due the day before (S-ROOM-10, -13, -14)
_BEFORE = {
    "requested": "办理租用手续",
    "signed": "物业会务组签收通知单",
    "accepted": "会前布置督查",
}


def deadline(store: Store, data: dict[str, Any]) -> Deadline | None:
    """The rental, the property company's acceptance and the set-up are done the day before."""
    what = _BEFORE.get(str(data.get("state")))
    if what is None:
        return None
    day = _as_dt(data["start"]).astimezone(tz_of(store)).date()
    return Deadline(day - timedelta(days=1), what, (settings_of(store).department,))


def _summary(data: dict[str, Any]) -> str:
    start = _as_dt(data["start"])
    return f"{data.get('room')} {start:%m-%d %H:%M} {data.get('unit')}"


KIND = register(
    Kind(
        name="booking",
        prefix="BK",
        label="会议室使用",
        model=Booking,
        guards={
            "before_complete": before_complete,
            "during_complete": during_complete,
            "after_complete": after_complete,
        },
        record_checks=[check_booking],
        collection_checks=[check_overlaps],
        settings=BookingSettings,
        summary=_summary,
        collection_reads=("state", "room", "start", "end", "unit"),
        index_fields=("room", "start", "end", "unit", "level", "meeting"),
        agenda=agenda,
        deadline=deadline,
    )
)

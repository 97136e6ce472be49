"""Duty 值班 (S-OPS-DUTY-1…3, S-OPS-VISIT-1): the duty log (值班记录), each entry with its category
for the 台帐; the handover between officers (交接班); the holiday roster (S-OPS-PLAN-2).

An entry is settled on the spot (当场办结; for visitors also 政策解释, with no promise made), forwarded
to a department with feedback required (a supervised item is created and the entry concluded when
that item closes), or reported to a leader whose instruction is recorded (S-OPS-DUTY-2).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from oa.core.codes import Code, register_codes
from oa.core.record import Record, ref
from oa.core.registry import AgendaItem, Issue, Kind, register
from oa.core.store import Loaded, Store
from oa.core.workflow import GuardContext

#: S-OPS-DUTY-1: what the duty officer logs, in the 台帐's order
CATEGORIES = (
    "来电", "来信", "信息", "咨询", "公务联系", "来访", "接待", "突发事件", "领导交办",
)  # fmt: skip
Category = Literal[
    "来电", "来信", "信息", "咨询", "公务联系", "来访", "接待", "突发事件", "领导交办",
]  # fmt: skip
OPEN_STATES = ("open", "forwarded", "reported")

register_codes(
    Code(
        "OA455",
        "duty entry handling incomplete",
        "A forwarded duty entry names the department and its supervised item; a reported one "
        "names the leader (S-OPS-DUTY-2).",
        "duty/2026/ZB-2026-0004.yaml:12: OA455 a forwarded entry names its supervised item",
    ),
    Code(
        "OA456",
        "roster setting names no one",
        "`kinds.duty.leaders` and `kinds.duty.staff` in oa.yaml name who takes holiday duty; an "
        "unavailability names a person in them and a span whose end is not before its start.",
        "oa.yaml:70: OA456 kinds.duty.unavailable[0]: 'to' 2027-02-10 is before 'from' 2027-02-12",
    ),
    Code(
        "OA641",
        "no holiday to roster",
        "`oa duty roster`: the year has no statutory holiday of that name in chinese-calendar (or "
        "calendar/<year>.yaml), or everyone is unavailable on one of its days.",
        "oa: OA641 2027 has no holiday named 春晚 (known: 元旦, 春节, 清明节 …)",
    ),
    Code(
        "OA642",
        "handover refused",
        "`oa duty handover`: the successor is the officer handing over, or the acknowledgement "
        "is not by the named successor.",
        "oa: OA642 only 肖婷 (the named successor) acknowledges this handover",
    ),
)


class Unavailable(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    person: str
    from_: date = Field(alias="from")
    to: date
    reason: str = ""


class DutySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    leaders: list[str] = Field(default_factory=list, description="带班领导 for holiday duty")
    staff: list[str] = Field(default_factory=list, description="值班人员 for holiday duty")
    staff_per_day: int = Field(default=1, ge=1, le=10, description="值班人员 each holiday day")
    unavailable: list[Unavailable] = Field(
        default_factory=list, description="declared unavailability (leave, travel)"
    )
    duty_phone: str = Field(default="", description="值班电话, printed on the roster")


class DutyEntry(Record):
    """值班记录: one call, letter, visit … logged by the duty officer."""

    kind: Literal["duty"] = "duty"
    category: Category = Field(description="类别 (S-OPS-DUTY-1)")
    received: AwareDatetime = Field(description="时间")
    officer: str = ref("person", description="值班人员")
    party: str = Field(min_length=1, description="来电/来访单位或人员")
    contact: str | None = Field(default=None, description="联系方式")
    content: str = Field(min_length=1, description="内容摘要 (what was asked)")
    department: str | None = ref("department", default=None, description="转办科室")
    supervision: str | None = ref("record:supervision", default=None, description="督办事项")
    leader: str | None = ref("person", default=None, description="报告领导")


class Handover(Record):
    """交接班: the officer going off duty lists what is still open; the next one acknowledges."""

    kind: Literal["handover"] = "handover"
    officer: str = ref("person", description="交班人")
    successor: str = ref("person", description="接班人")
    shift_day: date = Field(description="值班日期")
    open_entries: list[str] = ref("record", default_factory=list, description="未办结事项")
    notes: str | None = Field(default=None, description="交班说明")


# -- guards and checks -------------------------------------------------------------------------


def successor_only(ctx: GuardContext) -> str | None:
    if ctx.actor != ctx.record.get("successor"):
        who = ctx.office.display(str(ctx.record.get("successor")))
        return f"only {who} (the named successor) acknowledges this handover"
    return None


def leader_only(ctx: GuardContext) -> str | None:
    """The instruction is the leader's own (entered by the clerk with --as when oral)."""
    if ctx.actor != ctx.record.get("leader"):
        who = ctx.office.display(str(ctx.record.get("leader")))
        return f"the entry was reported to {who}: only they give the instruction"
    return None


def check_entry(store: Store, loaded: Loaded) -> Iterator[Issue]:
    data = loaded.data or {}
    state = data.get("state")
    if state == "forwarded" and not (data.get("department") and data.get("supervision")):
        yield ["state"], "OA455", "a forwarded entry names its department and supervised item"
    if state == "reported" and not data.get("leader"):
        yield ["state"], "OA455", "a reported entry names the leader it went to"


def roster_settings(store: Store) -> DutySettings:
    """The holiday duty pools, checked against the people in oa.yaml (OA456)."""
    from oa.core.errors import OAError

    settings = default_pools(store, store.kind_settings("duty"))
    people = store.office.people
    for name in ("leaders", "staff"):
        pool = getattr(settings, name)
        if not pool:
            raise OAError("OA456", f"kinds.duty.{name} names no one", path="oa.yaml")
        for p in pool:
            if p not in people:
                raise OAError("OA456", f"kinds.duty.{name}: unknown person {p!r}", path="oa.yaml")
    for i, u in enumerate(settings.unavailable):
        where = f"kinds.duty.unavailable[{i}]"
        if u.person not in people:
            raise OAError("OA456", f"{where}: unknown person {u.person!r}", path="oa.yaml")
        if u.to < u.from_:
            raise OAError(
                "OA456", f"{where}: 'to' {u.to} is before 'from' {u.from_}", path="oa.yaml"
            )
    return settings


def _entry_summary(data: dict[str, Any]) -> str:
    return f"{data.get('category')} {data.get('party')}"


def _handover_summary(data: dict[str, Any]) -> str:
    return f"{data.get('shift_day')} {len(data.get('open_entries') or [])} 项未结"


# -- holiday roster (S-OPS-PLAN-2) -------------------------------------------------------------


@dataclass(frozen=True)
class RosterDay:
    day: date
    holiday: str
    leader: str
    staff: tuple[str, ...]


def unavailable_on(settings: DutySettings, person: str, day: date) -> bool:
    return any(u.person == person and u.from_ <= day <= u.to for u in settings.unavailable)


def _pick(
    pool: Sequence[str], count: dict[str, int], last: dict[str, date], day: date, n: int,
    blocked: set[str], settings: DutySettings,
) -> list[str]:  # fmt: skip
    """The `n` available people with the fewest duty days so far this year (then the longest
    since their last), pool order breaking ties."""
    free = [p for p in pool if p not in blocked and not unavailable_on(settings, p, day)]
    if len(free) < n:
        raise ValueError(day)
    free.sort(key=lambda p: (count[p], last.get(p, date.min), pool.index(p)))
    chosen = free[:n]
    for p in chosen:
        count[p] += 1
        last[p] = day
    return chosen


def rotation(days: Sequence[tuple[date, str]], settings: DutySettings) -> list[RosterDay]:
    """A fair rotation over the year's holiday days in order: each day a leader on call and
    `staff_per_day` staff, fewest-so-far first, skipping declared unavailability. Computing the
    whole year in order is what balances the counts across holidays."""
    lc = {p: 0 for p in settings.leaders}
    sc = {p: 0 for p in settings.staff}
    ll: dict[str, date] = {}
    sl: dict[str, date] = {}
    out = []
    for day, name in days:
        (leader,) = _pick(settings.leaders, lc, ll, day, 1, set(), settings)
        staff = _pick(settings.staff, sc, sl, day, settings.staff_per_day, {leader}, settings)
        out.append(RosterDay(day, name, leader, tuple(staff)))
    return out


def default_pools(store: Store, settings: DutySettings) -> DutySettings:
    """Leaders default to the 主任 and 主管领导; staff to the 办公室."""
    office = store.office
    leaders = settings.leaders or [
        p for p in office.people if office.has_role(p, "主任") or office.has_role(p, "主管领导")
    ]
    staff = settings.staff or [p for p in office.people if office.has_role(p, "办公室")]
    return settings.model_copy(update={"leaders": leaders, "staff": staff})


KIND = register(
    Kind(
        name="duty",
        prefix="ZB",
        label="值班记录",
        model=DutyEntry,
        guards={"leader_only": leader_only},
        record_checks=[check_entry],
        settings=DutySettings,
        department_field="department",
        summary=_entry_summary,
        index_fields=("category", "received", "officer", "supervision"),
    )
)
HANDOVER = register(
    Kind(
        name="handover",
        prefix="JJ",
        label="交接班",
        model=Handover,
        guards={"successor_only": successor_only},
        summary=_handover_summary,
        index_fields=("shift_day", "officer", "successor"),
    )
)


def roster(
    store: Store,
    settings: DutySettings,
    year: int,
    holiday: str | None,
    first: date | None,
    last: date | None,
) -> tuple[list[RosterDay], str]:
    """The roster of one holiday (or of the holiday days between `first` and `last`) of `year`,
    cut from the whole year's rotation so counts stay balanced across holidays."""
    from oa.core.errors import OAError

    days = store.calendar.holidays_of(year)
    known = list(dict.fromkeys(name for _, name in days))
    if holiday is None and (first is None or last is None):
        raise OAError("OA005", "give --holiday NAME, or --from and --to")
    if holiday is not None and holiday not in known:
        raise OAError(
            "OA641",
            f"{year} has no holiday named {holiday} (known: {'、'.join(known) or 'none'})",
        )
    try:
        year_rotation = rotation(days, settings)
    except ValueError as exc:
        raise OAError("OA641", f"everyone on the roster is unavailable on {exc.args[0]}") from None
    chosen = [
        d
        for d in year_rotation
        if (holiday is None or d.holiday == holiday)
        and (first is None or d.day >= first)
        and (last is None or d.day <= last)
    ]
    if not chosen:
        raise OAError("OA641", f"no statutory holiday days in {first} – {last}")
    title = f"{year}年{holiday}" if holiday else f"{first}至{last}节假日"
    return chosen, title


def roster_agenda(store: Store, first: date, last: date) -> list[AgendaItem]:
    """The holiday duty days between `first` and `last`, for the work arrangement: the year's
    rotation as `oa duty roster` computes it. Nothing when the roster settings are incomplete
    (`oa duty roster` reports those) or no one is available."""
    from oa.core.errors import OAError

    office = store.office
    try:
        settings = roster_settings(store)
    except OAError:
        return []
    out = []
    for year in range(first.year, last.year + 1):
        try:
            days = rotation(store.calendar.holidays_of(year), settings)
        except (ValueError, OAError):
            continue
        for d in days:
            if first <= d.day <= last:
                staff = "、".join(office.display(p) for p in d.staff)
                out.append(
                    AgendaItem(
                        day=d.day,
                        what=f"{d.holiday}值班：{staff}（带班领导 {office.display(d.leader)}）",
                        source=f"duty-roster-{year}",
                        category="值班",
                        people=(d.leader, *d.staff),
                    )
                )
    return out

"""Vehicle use 用车 (S-OPS-CAR-1): the vehicle register and one record per use.

The register is data in `oa.yaml` under `kinds.trip.vehicles` (plate, model, seats) with the
drivers. A use goes 申请 → 批准 → 派车 (car and driver, 出车里程) → 回场 (回场里程). A car (or a
driver) is never dispatched to two uses whose times overlap: the dispatch is refused (OA661) and
`oa validate` flags such records (OA487).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from oa.core.codes import Code, register_codes
from oa.core.effects import EffectContext
from oa.core.errors import Finding, OAError
from oa.core.record import Record, ref
from oa.core.registry import AgendaItem, Issue, Kind, register
from oa.core.store import Loaded, Store
from oa.core.workflow import GuardContext

register_codes(
    Code(
        "OA486",
        "vehicle register problem",
        "A use names a vehicle or driver not in the register (kinds.trip), its return mileage is "
        "below the mileage out, or it ends before it starts.",
        "trip/2026/CAR-2026-0004.yaml:14: OA486 vehicle '湘A·00000' is not in the register",
    ),
    Code(
        "OA487",
        "vehicle dispatched twice at once",
        "Two uses that were both dispatched overlap in time with the same car or the same driver "
        "(S-OPS-CAR-1).",
        "trip/2026/CAR-2026-0006.yaml:12: OA487 湘A·D2618 is also out on CAR-2026-0005 "
        "(2026-11-30 08:30–12:00)",
    ),
    Code(
        "OA661",
        "vehicle already dispatched",
        "The car or driver is already out on another use in that time (S-OPS-CAR-1).",
        "oa: OA661 湘A·D2618 is already dispatched on CAR-2026-0005 (2026-11-30 08:30–12:00)",
    ),
)

#: states in which a dispatched car is out (or was, for the record of its use)
_DISPATCHED = ("dispatched", "returned")


class Vehicle(BaseModel):
    model_config = ConfigDict(extra="forbid")
    model: str = Field(description="品牌型号")
    seats: int = Field(ge=1, le=60)
    note: str = ""


class TripSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    vehicles: dict[str, Vehicle] = Field(default_factory=dict, description="车辆登记: plate → car")
    drivers: list[str] = Field(default_factory=list, description="驾驶员 (person ids)")


class Trip(Record):
    """用车: one request for a car, its dispatch and its return."""

    kind: Literal["trip"] = "trip"
    requester: str = ref("person", description="用车人")
    department: str = ref("department", description="用车科室")
    purpose: str = Field(min_length=1, description="事由")
    destination: str = Field(min_length=1, description="目的地")
    passengers: int = Field(default=1, ge=1, le=60, description="乘车人数")
    start: AwareDatetime = Field(description="用车开始")
    end: AwareDatetime = Field(description="预计结束")
    vehicle: str | None = Field(default=None, description="车牌号")
    driver: str | None = ref("person", default=None, description="驾驶员")
    mileage_out: int | None = Field(default=None, ge=0, description="出车里程（公里）")
    mileage_in: int | None = Field(default=None, ge=0, description="回场里程（公里）")
    returned_at: AwareDatetime | None = Field(default=None, description="回场时间")


def _dt(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _span(data: dict[str, Any]) -> tuple[datetime, datetime] | None:
    start, end = _dt(data.get("start")), _dt(data.get("end"))
    if start is None or end is None:
        return None
    returned = _dt(data.get("returned_at"))
    return start, max(end, returned) if returned else end


def _clash_text(other: dict[str, Any]) -> str:
    span = _span(other)
    if not span:
        return str(other.get("id"))
    return f"{other.get('id')} ({span[0]:%Y-%m-%d %H:%M}–{span[1]:%H:%M})"


def clashes(mine: dict[str, Any], others: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """Dispatched uses overlapping `mine` in time with the same car or driver: (what, other)."""
    span = _span(mine)
    if span is None:
        return []
    out: list[tuple[str, dict[str, Any]]] = []
    for other in others:
        if other.get("id") == mine.get("id") or other.get("state") not in _DISPATCHED:
            continue
        o = _span(other)
        if o is None or not (span[0] < o[1] and o[0] < span[1]):
            continue
        what = _shared(mine, other)
        if what:
            out.append((what, other))
    return out


def _shared(mine: dict[str, Any], other: dict[str, Any]) -> str | None:
    """What two uses at the same time both need: the car, else the driver."""
    if mine.get("vehicle") and other.get("vehicle") == mine.get("vehicle"):
        return str(mine["vehicle"])
    if mine.get("driver") and other.get("driver") == mine.get("driver"):
        return f"driver {mine['driver']}"
    return None


def _trips_near(store: Store, year: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for y in (year - 1, year):
        folder = store.root / "trip" / str(y)
        if folder.is_dir():
            out.extend(store.load_path(p).data or {} for p in sorted(folder.glob("*.yaml")))
    return out


def dispatch(ctx: EffectContext) -> dict[str, Any]:
    """派车: the car and driver must be in the register and free for the whole use."""
    rec = ctx.record
    settings: TripSettings = ctx.store.kind_settings("trip")
    if rec.get("vehicle") not in settings.vehicles:
        raise OAError("OA486", f"vehicle {rec.get('vehicle')!r} is not in the register")
    if rec.get("driver") not in settings.drivers:
        raise OAError("OA486", f"{rec.get('driver')!r} is not a registered driver")
    mine = {k: rec.get(k) for k in ("id", "vehicle", "driver", "start", "end")}
    found = clashes(mine, _trips_near(ctx.store, ctx.at.year))
    if found:
        what, other = found[0]
        raise OAError("OA661", f"{what} is already dispatched on {_clash_text(other)}")
    return {}


def returned(ctx: EffectContext) -> dict[str, Any]:
    rec = ctx.record
    if int(rec.get("mileage_in") or 0) < int(rec.get("mileage_out") or 0):
        raise OAError("OA486", "the return mileage is below the mileage out")
    if not rec.get("returned_at"):
        ctx.set("returned_at", ctx.at)
    return {"distance": int(rec["mileage_in"]) - int(rec["mileage_out"])}


def own_request(ctx: GuardContext) -> str | None:
    """A use is cancelled by whoever asked for it, or by a leader."""
    if ctx.actor == ctx.record.get("requester"):
        return None
    if any(ctx.office.has_role(ctx.actor, r) for r in ("主管领导", "主任")):
        return None
    return f"only {ctx.office.display(str(ctx.record.get('requester')))} or a leader cancels it"


def check_trip(store: Store, loaded: Loaded) -> Iterator[Issue]:
    data = loaded.data or {}
    settings: TripSettings = store.kind_settings("trip")
    if data.get("vehicle") and data["vehicle"] not in settings.vehicles:
        yield ["vehicle"], "OA486", f"vehicle {data['vehicle']!r} is not in the register"
    if data.get("driver") and data["driver"] not in settings.drivers:
        yield ["driver"], "OA486", f"{data['driver']!r} is not a registered driver"
    out, back = data.get("mileage_out"), data.get("mileage_in")
    if isinstance(out, int) and isinstance(back, int) and back < out:
        yield ["mileage_in"], "OA486", f"return mileage {back} is below the mileage out {out}"
    start, end = _dt(data.get("start")), _dt(data.get("end"))
    if start and end and end <= start:
        yield ["end"], "OA486", "the use ends before it starts"


def check_double_dispatch(store: Store, records: list[Loaded]) -> Iterator[Finding]:
    """S-OPS-CAR-1: no car (or driver) out on two uses at once. The uses are swept in order of
    their start, each compared with those still out: ten years of trips are not compared pair
    by pair."""
    uses: list[tuple[datetime, datetime, Loaded, dict[str, Any]]] = []
    for loaded in records:
        data = loaded.data or {}
        span = _span(data) if data.get("state") in _DISPATCHED else None
        if span is not None:
            uses.append((span[0], span[1], loaded, data))
    uses.sort(key=lambda use: use[0])
    out_now: list[tuple[datetime, datetime, Loaded, dict[str, Any]]] = []
    for use in uses:
        start, end = use[0], use[1]
        out_now = [o for o in out_now if o[1] > start]
        for other in out_now:
            if not other[0] < end or other[3].get("id") == use[3].get("id"):
                continue
            # reported on the later of the two, as it sees the earlier
            (_, _, loaded, mine), (_, _, _, theirs) = sorted(
                (use, other), key=lambda u: str(u[3].get("id")), reverse=True
            )
            what = _shared(mine, theirs)
            if what:
                yield Finding(
                    loaded.path,
                    store.line(loaded.path, ["vehicle"]),
                    "OA487",
                    f"{what} is also out on {_clash_text(theirs)}",
                )
        out_now.append(use)


def _agenda(store: Store, data: dict[str, Any], first: date, last: date) -> Iterator[AgendaItem]:
    """Approved and dispatched uses on the office calendar (category 用车)."""
    if data.get("state") not in ("approved", "dispatched"):
        return
    start, end = _dt(data.get("start")), _dt(data.get("end"))
    if start is None or end is None or not (first <= start.date() <= last):
        return
    car = f"（{data['vehicle']}）" if data.get("vehicle") else ""
    yield AgendaItem(
        day=start.date(),
        what=f"用车: {data.get('purpose')}{car}",
        source=str(data.get("id")),
        category="用车",
        start=start.timetz().replace(tzinfo=None) if start else time(0),
        end=end.timetz().replace(tzinfo=None) if start.date() == end.date() else None,
        where=str(data.get("destination") or ""),
        department=data.get("department"),
        people=tuple(p for p in (data.get("requester"), data.get("driver")) if p),
    )


def _summary(data: dict[str, Any]) -> str:
    return " ".join(str(x) for x in (data.get("destination"), data.get("vehicle") or "") if x)


KIND = register(
    Kind(
        name="trip",
        prefix="CAR",
        label="用车",
        model=Trip,
        guards={"own_request": own_request},
        effects={"dispatch": dispatch, "returned": returned},
        record_checks=[check_trip],
        collection_checks=[check_double_dispatch],
        settings=TripSettings,
        department_field="department",
        summary=_summary,
        collection_reads=("state", "start", "end", "returned_at", "vehicle", "driver"),
        index_fields=("start", "end", "vehicle", "driver", "returned_at", "requester", "purpose"),
        agenda=_agenda,
    )
)


def use_log(store: Store, vehicle: str | None = None) -> list[dict[str, Any]]:
    """Every use, oldest first: the vehicle-use register S-OPS-CAR-1 asks to keep."""
    wf = store.workflow("trip")
    office = store.office
    rows: list[dict[str, Any]] = []
    base = store.root / "trip"
    for path in sorted(base.glob("*/*.yaml")) if base.is_dir() else []:
        d = store.load_path(path).data or {}
        if not d or (vehicle and d.get("vehicle") != vehicle):
            continue
        start = _dt(d.get("start"))
        out, back = d.get("mileage_out"), d.get("mileage_in")
        rows.append(
            {
                "id": d.get("id"),
                "start": f"{start:%Y-%m-%d %H:%M}" if start else "",
                "purpose": d.get("purpose"),
                "destination": d.get("destination"),
                "requester": office.display(d.get("requester")),
                "vehicle": d.get("vehicle") or "",
                "driver": office.display(d.get("driver")) if d.get("driver") else "",
                "mileage_out": out,
                "mileage_in": back,
                "distance": back - out if isinstance(out, int) and isinstance(back, int) else None,
                "state": wf.state_label(str(d.get("state"))),
            }
        )
    rows.sort(key=lambda r: (r["start"], str(r["id"])))
    return rows

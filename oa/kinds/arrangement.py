"""The work arrangement 工作安排表 (S-OPS-PLAN-1): every two weeks, the departments' work items for
the period, released to leaders and departments on the second Friday of the previous arrangement.

Periods are fixed two-week spans from `kinds.arrangement.anchor` (a Monday). The release date of the
period starting on Monday S is the Friday S-3 — the second Friday of the period before. When that
Friday is not a workday (a statutory holiday), the arrangement goes out on the last workday before
it, so that leaders have it before the period starts; a 调休 Saturday or Sunday after the Friday is
never used. Workdays come from chinese-calendar (store.calendar).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, time, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from oa.core.codes import Code, register_codes
from oa.core.errors import Finding, OAError
from oa.core.record import Record, ref
from oa.core.registry import AgendaItem, Issue, Kind, register
from oa.core.store import Loaded, Store

PERIOD_DAYS = 14

register_codes(
    Code(
        "OA452",
        "arrangement period misaligned",
        "An arrangement's `period_from` is the Monday a two-week period starts on, counted from "
        "`kinds.arrangement.anchor` in oa.yaml; each item's day falls inside the period.",
        "arrangement/2026/AP-2026-0002.yaml:5: OA452 period_from 2026-12-02 is not the start of "
        "a two-week period (periods start on 2026-11-30, 2026-12-14 …)",
    ),
    Code(
        "OA453",
        "arrangement released late",
        "An arrangement goes out on the second Friday of the previous arrangement (or the last "
        "workday before it when that Friday is a holiday); this one was released after that day "
        "(S-OPS-PLAN-1).",
        "arrangement/2026/AP-2026-0003.yaml:1: OA453 released 2026-12-14, due by 2026-12-11",
    ),
    Code(
        "OA643",
        "no arrangement for that period",
        "`oa plan` refused: the arrangement of the period is already released (items cannot be "
        "added), or the date lies outside it.",
        "oa: OA643 AP-2026-0002 (2026-11-30 – 2026-12-13) is released: items can no longer be added",
    ),
)


class ArrangementSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    anchor: date = Field(
        default=date(2025, 12, 29), description="a Monday on which a two-week period starts"
    )


class WorkItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    day: date = Field(description="日期")
    start: str | None = Field(
        default=None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="时间 HH:MM"
    )
    department: str = ref("department", description="责任科室")
    what: str = Field(min_length=1, description="工作内容")
    where: str = Field(default="", description="地点")
    lead: str | None = ref("person", default=None, description="责任领导/责任人")


class Arrangement(Record):
    """工作安排表: one two-week period's work items."""

    kind: Literal["arrangement"] = "arrangement"
    period_from: date = Field(description="the Monday the period starts on")
    items: list[WorkItem] = Field(default_factory=list)
    released_on: date | None = Field(default=None, description="发布日期")


def period_start(store: Store, day: date) -> date:
    anchor: date = store.kind_settings("arrangement").anchor
    return anchor + timedelta(days=((day - anchor).days // PERIOD_DAYS) * PERIOD_DAYS)


def release_date(store: Store, start: date) -> date:
    """The second Friday of the previous arrangement, or the last workday before it."""
    return store.calendar.last_workday_on_or_before(start - timedelta(days=3))


def period_end(start: date) -> date:
    return start + timedelta(days=PERIOD_DAYS - 1)


def check_arrangement(store: Store, loaded: Loaded) -> Iterator[Issue]:
    data = loaded.data or {}
    start = data.get("period_from")
    if not isinstance(start, date):
        return
    if period_start(store, start) != start:
        first = period_start(store, start)
        yield (
            ["period_from"],
            "OA452",
            f"period_from {start} is not the start of a two-week period (periods start on "
            f"{first}, {first + timedelta(days=PERIOD_DAYS)} …)",
        )
        return
    for i, item in enumerate(data.get("items") or []):
        day = item.get("day") if isinstance(item, dict) else None
        if isinstance(day, date) and not start <= day <= period_end(start):
            yield (
                ["items", i, "day"],
                "OA452",
                f"item {i + 1} falls on {day}, outside {start} – {period_end(start)}",
            )


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    return date.fromisoformat(value) if isinstance(value, str) else None


def released_late(store: Store, loaded: list[Loaded]) -> Iterable[Finding]:
    for one in loaded:
        data = one.data or {}
        start, released = _day(data.get("period_from")), _day(data.get("released_on"))
        if not isinstance(start, date) or not isinstance(released, date):
            continue
        try:
            due = release_date(store, start)
        except OAError:  # a broken calendar file: validate reports it (OA213)
            return
        if released > due:
            yield Finding(
                one.path, 1, "OA453", f"released {released}, due by {due}", severity="warning"
            )


def agenda(store: Store, data: dict[str, Any], first: date, last: date) -> Iterator[AgendaItem]:
    for i, item in enumerate(data.get("items") or []):
        day = item.get("day")
        if isinstance(day, date) and first <= day <= last:
            yield AgendaItem(
                day=day,
                what=str(item.get("what")),
                source=f"{data['id']}#{i}",
                category="工作安排",
                start=time.fromisoformat(item["start"]) if item.get("start") else None,
                where=str(item.get("where") or ""),
                department=item.get("department"),
                people=(item["lead"],) if item.get("lead") else (),
            )


def _summary(data: dict[str, Any]) -> str:
    return f"{data.get('period_from')} 起 {len(data.get('items') or [])} 项"


KIND = register(
    Kind(
        name="arrangement",
        prefix="AP",
        label="工作安排表",
        model=Arrangement,
        record_checks=[check_arrangement],
        collection_checks=[released_late],
        settings=ArrangementSettings,
        summary=_summary,
        collection_reads=("period_from", "released_on"),
        index_fields=("period_from", "released_on"),
        agenda=agenda,
    )
)

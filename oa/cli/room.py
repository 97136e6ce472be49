"""`oa room …`: the public meeting rooms — register, bookings, checks, calendar, maintenance."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from oa.cli.common import (
    AsOption,
    JsonOption,
    NoCommitOption,
    RootOption,
    console,
    parse_day,
    parse_formats,
    print_json,
    store_from,
)
from oa.core.errors import OAError

if TYPE_CHECKING:
    from oa.core.store import Store

app = typer.Typer(
    help="Public meeting rooms (公共会议室): register, bookings, checks, calendar.",
    no_args_is_help=True,
)

EXTRAS = "鲜花 果盘 欢迎标牌 领导铭牌 座位牌 分区布局图"


def parse_when(store: Store, text: str, option: str, day: date | None = None) -> datetime:
    """`2026-12-02 09:00` (or `09:00` on `day`) in the office's time zone."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(store.office.office.timezone)
    text = text.strip()
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=tz)
        except ValueError:
            pass
    if day is not None:
        try:
            t = datetime.strptime(text, "%H:%M").time()
            return datetime.combine(day, t, tz)
        except ValueError:
            pass
    raise OAError(
        "OA005", f"{option} expects 'YYYY-MM-DD HH:MM'{' or HH:MM' if day else ''}, got {text!r}"
    )


def _done(change: Any) -> str:
    return f"commit {change.commit[:10]}" if change.commit else "staged, not committed"


@app.command("list")
def list_rooms(
    ctx: typer.Context, root: Path | None = RootOption, as_json: bool = JsonOption
) -> None:
    """The room register (S-ROOM-9): size, capacity, podium seats, fees."""
    from oa.kinds.booking import settings_of

    s = settings_of(store_from(ctx, root))
    if as_json:
        print_json({k: r.model_dump(mode="json") for k, r in s.rooms.items()})
        return
    table = Table()
    for col in ("room", "name", "location", "m²", "seats", "podium", "layouts", "半天", "全天"):
        table.add_column(col)
    for k, r in s.rooms.items():
        table.add_row(
            k, r.name, r.location, str(r.area), str(r.capacity), str(r.podium_seats),
            "、".join(r.layouts), str(r.fee.half_day), str(r.fee.full_day),
        )  # fmt: skip
    console.print(table)


@app.command("show")
def show(
    ctx: typer.Context,
    room: str = typer.Argument(..., help="Room id or name."),
    root: Path | None = RootOption,
    as_json: bool = JsonOption,
) -> None:
    """One room: equipment, supplies, layouts, fees, maintenance, house rules."""
    from oa.kinds.booking import room_id, settings_of

    s = settings_of(store_from(ctx, root))
    key = room_id(s, room)
    r = s.rooms[key]
    if as_json:
        print_json({"id": key, **r.model_dump(mode="json"), "rules": s.rules})
        return
    console.print(f"{key} {r.name}（{r.location}）", markup=False)
    console.print(
        f"  面积 {r.area}㎡，容纳 {r.capacity} 人，主席台 {r.podium_seats} 座", markup=False
    )
    console.print(f"  设施设备: {'、'.join(r.equipment)}", markup=False)
    console.print(
        "  会议用具: " + "、".join(f"{k}{v}" for k, v in r.supplies.items()), markup=False
    )
    console.print(f"  摆放形式: {'、'.join(r.layouts)}", markup=False)
    console.print(
        f"  收费标准: 半天 {r.fee.half_day} 元，全天 {r.fee.full_day} 元（四大家免收）",
        markup=False,
    )
    for m in r.maintenance:
        console.print(f"  检修: {m.item}，每 {m.every_days} 天，上次 {m.last}", markup=False)
    for rule in s.rules:
        console.print(f"  • {rule}", markup=False)


@app.command("register")
def register_paper(
    ctx: typer.Context,
    root: Path | None = RootOption,
    out: Path = typer.Option(Path("."), "--out", "-o", help="Folder to write into."),
    fmt: str = typer.Option("html,docx", "--format", help="html, docx or both."),
) -> None:
    """The register as a paper to send to the units (公共会议室登记表, S-ROOM-9)."""
    from oa.render.rooms import render_register

    store = store_from(ctx, root)
    for path in render_register(store, out, parse_formats(fmt, ["html", "docx"])):
        console.print(str(path), markup=False)


@app.command("book")
def book(
    ctx: typer.Context,
    root: Path | None = RootOption,
    room: str = typer.Option(..., "--room", help="Room id or name."),
    unit: str = typer.Option(..., "--unit", help="使用单位."),
    contact: str = typer.Option(..., "--contact", help="联系人."),
    phone: str | None = typer.Option(None, "--phone", help="联系电话."),
    by_letter: bool = typer.Option(False, "--letter", help="The unit asked by letter (来函)."),
    title: str = typer.Option(..., "--title", help="会议名称."),
    start: str = typer.Option(..., "--start", help="'YYYY-MM-DD HH:MM'."),
    end: str = typer.Option(..., "--end", help="'HH:MM' (same day) or 'YYYY-MM-DD HH:MM'."),
    attendance: int = typer.Option(..., "--attendance", help="与会人数."),
    podium: int = typer.Option(0, "--podium", help="主席台人数."),
    level: str = typer.Option("三级", "--level", help="会议规格: 一级, 二级 or 三级."),
    leader: list[str] = typer.Option(None, "--leader", help="与会主要领导 (repeat)."),
    banner: str | None = typer.Option(None, "--banner", help="会标内容."),
    layout: str = typer.Option(..., "--layout", help="摆放形式 (one the room offers)."),
    extra: list[str] = typer.Option(None, "--extra", help=f"Repeat: {EXTRAS}."),
    meeting: str | None = typer.Option(None, "--meeting", help="The meeting (MTG-…) it serves."),
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """Book a room for a unit (S-ROOM-8/10/12). Refused when the room is taken or being set up,
    over capacity, or outside the lead-time window; the fee follows the schedule (S-ROOM-11)."""
    from oa.core.identity import resolve
    from oa.kinds.booking import book as do_book

    store = store_from(ctx, root)
    actor = resolve(store, as_person)
    begin = parse_when(store, start, "--start")
    fields: dict[str, Any] = {
        "title": title,
        "unit": unit,
        "contact": contact,
        "phone": phone,
        "asked_by": "来函" if by_letter else "来电",
        "room": room,
        "start": begin,
        "end": parse_when(store, end, "--end", begin.date()),
        "podium": podium,
        "attendance": attendance,
        "level": level,
        "leaders": list(leader or []),
        "banner": banner,
        "layout": layout,
        "extras": list(extra or []),
        "meeting": meeting,
    }
    fields = {k: v for k, v in fields.items() if v not in (None, [])}
    change = do_book(store, actor, fields, no_commit=no_commit)
    data = store.get(change.rid).data or {}
    fee = "免收（四大家）" if data.get("exempt") else f"{data.get('fee')} 元"
    console.print(f"{change.rid}: booked, fee {fee} ({change.path}; {_done(change)})", markup=False)


@app.command("change")
def change(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The booking (BK-…)."),
    root: Path | None = RootOption,
    reason: str = typer.Option(..., "--reason", help="Why (recorded as the step's opinion)."),
    room: str | None = typer.Option(None, "--room"),
    start: str | None = typer.Option(None, "--start", help="'YYYY-MM-DD HH:MM'."),
    end: str | None = typer.Option(None, "--end", help="'HH:MM' or 'YYYY-MM-DD HH:MM'."),
    attendance: int | None = typer.Option(None, "--attendance"),
    podium: int | None = typer.Option(None, "--podium"),
    layout: str | None = typer.Option(None, "--layout"),
    banner: str | None = typer.Option(None, "--banner"),
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """Change a booking, at least a day before (S-ROOM-10); the new slot must be free."""
    from oa.core.identity import resolve
    from oa.kinds.booking import _as_dt
    from oa.kinds.booking import change as do_change

    store = store_from(ctx, root)
    actor = resolve(store, as_person)
    data = store.get_valid(rid).data or {}
    sets: dict[str, Any] = {}
    if start:
        sets["start"] = parse_when(store, start, "--start")
    day = (sets.get("start") or _as_dt(data.get("start"))).date()
    if end:
        sets["end"] = parse_when(store, end, "--end", day)
    elif start:  # keep the length
        sets["end"] = sets["start"] + (_as_dt(data["end"]) - _as_dt(data["start"]))
    for key, value in (
        ("room", room),
        ("attendance", attendance),
        ("podium", podium),
        ("layout", layout),
        ("banner", banner),
    ):
        if value is not None:
            sets[key] = value
    if not sets:
        raise OAError("OA005", "nothing to change: give --start, --end, --room, --attendance …")
    ch = do_change(store, rid, actor, sets, reason, no_commit=no_commit)
    console.print(f"{rid}: changed ({_done(ch)})", markup=False)


@app.command("cancel")
def cancel(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The booking (BK-…)."),
    root: Path | None = RootOption,
    reason: str = typer.Option(..., "--reason", help="Why."),
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """Cancel a booking, at least a day before (S-ROOM-10)."""
    from oa.core.identity import resolve
    from oa.kinds.booking import cancel as do_cancel

    store = store_from(ctx, root)
    ch = do_cancel(store, rid, resolve(store, as_person), reason, no_commit=no_commit)
    console.print(f"{rid}: cancelled ({_done(ch)})", markup=False)


@app.command("sign")
def sign(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The booking (BK-…)."),
    root: Path | None = RootOption,
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """事务一科 signs the 会议通知单 (the rental, at least a day before; S-ROOM-10/14)."""
    from oa.core.identity import resolve
    from oa.kinds.booking import sign as do_sign

    store = store_from(ctx, root)
    ch = do_sign(store, rid, resolve(store, as_person), no_commit=no_commit)
    console.print(f"{rid}: 会议通知单 signed ({_done(ch)})", markup=False)


@app.command("check")
def check(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The booking (BK-…)."),
    stage: str = typer.Argument(
        ..., help="before (会前督查), during (会中察看) or after (会后督查)."
    ),
    root: Path | None = RootOption,
    missing: list[str] = typer.Option(
        None, "--missing", help="A checklist item not in place (repeat); the check is refused."
    ),
    damage: str | None = typer.Option(None, "--damage", help="物品损坏情况 (after)."),
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """Record one of the three checks (三落实, S-ROOM-4/6/7/13/14) against the checklists."""
    from oa.core.identity import resolve
    from oa.kinds.booking import check as do_check

    store = store_from(ctx, root)
    ch = do_check(
        store,
        rid,
        stage,
        resolve(store, as_person),
        missing=missing or [],
        damage=damage,
        no_commit=no_commit,
    )
    console.print(f"{rid}: {stage} check recorded ({_done(ch)})", markup=False)


@app.command("feedback")
def feedback(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The booking (BK-…)."),
    root: Path | None = RootOption,
    rating: str = typer.Option(..., "--rating", help="满意, 基本满意 or 不满意."),
    comment: str = typer.Option("", "--comment", help="意见建议."),
    by: str = typer.Option("", "--by", help="Who gave it (at the unit)."),
    how: str = typer.Option("电话", "--how", help="电话, 致函 or 当面."),
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """The user unit's feedback after the meeting (S-ROOM-15)."""
    from oa.core.engine import advance
    from oa.core.identity import resolve

    store = store_from(ctx, root)
    fb = {"rating": rating, "comment": comment, "by": by, "how": how}
    ch = advance(
        store,
        rid,
        "feedback",
        resolve(store, as_person),
        sets={"feedback": fb},
        no_commit=no_commit,
    )
    console.print(f"{rid}: feedback recorded ({_done(ch)})", markup=False)


@app.command("calendar")
def calendar(
    ctx: typer.Context,
    root: Path | None = RootOption,
    week: str | None = typer.Option(None, "--week", help="A day in the week (default: today)."),
    room: str | None = typer.Option(None, "--room", help="Only this room."),
    ics: Path | None = typer.Option(None, "--ics", help="Also write one .ics per room here."),
    as_json: bool = JsonOption,
) -> None:
    """The rooms' availability for a week: morning / afternoon / evening per day, with each
    booking and the set-up the day before (S-ROOM-13)."""
    from oa.core.identity import now
    from oa.render.rooms import calendar_grid, write_ics

    store = store_from(ctx, root)
    day = parse_day(week, "--week") if week else now(store).date()
    grid = calendar_grid(store, day, room)
    if as_json:
        print_json(grid.as_dict())
    else:
        table = Table(title=grid.title)
        table.add_column("room")
        table.add_column("")
        for d in grid.days:
            table.add_column(f"{d:%m-%d} {'一二三四五六日'[d.weekday()]}")
        for name, rows in grid.rows:
            for i, (part, cells) in enumerate(rows):
                table.add_row(name if i == 0 else "", part, *cells)
        console.print(table)
        console.print("· free   ▲ set-up for the next day   BK-… booked", markup=False)
    if ics is not None:
        for path in write_ics(store, ics, room):
            console.print(str(path), markup=False)


@app.command("maintenance")
def maintenance(
    ctx: typer.Context, root: Path | None = RootOption, as_json: bool = JsonOption
) -> None:
    """The equipment maintenance schedule (S-ROOM-15): what is due or overdue."""
    from oa.core.identity import now
    from oa.render.rooms import maintenance_rows

    store = store_from(ctx, root)
    rows = maintenance_rows(store, now(store).date())
    if as_json:
        print_json(rows)
        return
    table = Table()
    for col in ("room", "item", "every", "last", "next", "status"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r["room"], r["item"], f"{r['every_days']} d", r["last"], r["next"], r["status"]
        )
    console.print(table)


@app.command("notice")
def notice(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The booking (BK-…)."),
    root: Path | None = RootOption,
    out: Path = typer.Option(Path("."), "--out", "-o", help="Folder to write into."),
    fmt: str = typer.Option("html,docx", "--format", help="html, docx or both."),
) -> None:
    """The booking's 会议通知单 with both signatures and the three checks (S-ROOM-3/14)."""
    from oa.render.rooms import render_booking_notice

    store = store_from(ctx, root)
    for path in render_booking_notice(store, rid, out, parse_formats(fmt, ["html", "docx"])):
        console.print(str(path), markup=False)

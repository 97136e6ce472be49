"""`oa meeting …`: meetings (办会), from topics to minutes, and the meeting pack."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from oa.cli.common import (
    AsOption,
    JsonOption,
    NoCommitOption,
    RootOption,
    console,
    print_json,
    store_from,
)
from oa.cli.room import parse_when
from oa.core.errors import OAError

app = typer.Typer(
    help="Meetings (办会): attendees, notices, seating, sign-in, minutes, the meeting pack.",
    no_args_is_help=True,
)


def _done(change: Any) -> str:
    return f"commit {change.commit[:10]}" if change.commit else "staged, not committed"


def _yaml_file(path: Path, what: str) -> Any:
    """A YAML (or JSON) file the user gives: attendees, a plan."""
    from oa.core import yamlio

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise OAError("OA005", f"cannot read {path}: {exc.strerror}") from None
    try:
        return yamlio.load_text(raw.decode("utf-8"), str(path))
    except (yamlio.YamlProblem, UnicodeDecodeError) as exc:
        raise OAError("OA005", f"{path}: not a YAML {what}: {exc}") from None


def _checked(model: Any, value: Any, path: Path, what: str) -> Any:
    """Validate user-given data against the record's model; the error names the entry."""
    from pydantic import TypeAdapter, ValidationError

    try:
        items = TypeAdapter(model).validate_python(value)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(x) for x in err["loc"])
        raise OAError("OA005", f"{path}: {what} {loc}: {err['msg']}") from None
    return TypeAdapter(model).dump_python(items, mode="python", exclude_defaults=True)


@app.command("new")
def new(
    ctx: typer.Context,
    root: Path | None = RootOption,
    title: str = typer.Option(..., "--title", help="会议名称."),
    scope: str = typer.Option(
        "中心内部", "--scope", help="全市性 (needs the 会议审批单) or 中心内部."
    ),
    importance: str = typer.Option("一般", "--importance", help="一般, 重要 or 特别重要."),
    level: str = typer.Option("三级", "--level", help="会议规格: 一级, 二级 or 三级."),
    department: str | None = typer.Option(
        None, "--department", "-d", help="主办科室 (default: the organizer's)."
    ),
    organizer: str | None = typer.Option(None, "--organizer", help="会务负责人 (default: you)."),
    start: str = typer.Option(..., "--start", help="'YYYY-MM-DD HH:MM'."),
    end: str = typer.Option(..., "--end", help="'HH:MM' (same day) or 'YYYY-MM-DD HH:MM'."),
    banner: str | None = typer.Option(None, "--banner", help="会标."),
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """Open a meeting (安排议题); it then follows the meeting workflow (S-MTG-2)."""
    from oa.cli.doc import _department, _person
    from oa.core.engine import create
    from oa.core.identity import resolve
    from oa.core.registry import kinds

    store = store_from(ctx, root)
    office = store.office
    actor = resolve(store, as_person)
    who = _person(office, organizer, "--organizer") if organizer else actor.person
    begin = parse_when(store, start, "--start")
    fields: dict[str, Any] = {
        "title": title,
        "scope": scope,
        "importance": importance,
        "level": level,
        "department": _department(office, department)
        if department
        else office.people[who].department,
        "organizer": who,
        "start": begin,
        "end": parse_when(store, end, "--end", begin.date()),
        "banner": banner,
    }
    fields = {k: v for k, v in fields.items() if v is not None}
    change = create(store, kinds()["meeting"], fields, actor, no_commit=no_commit)
    console.print(
        f"{change.rid}: opened 《{title}》 ({change.path}; {_done(change)})", markup=False
    )


@app.command("attendees")
def attendees(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The meeting (MTG-…)."),
    file: Path = typer.Argument(..., help="YAML list: unit, name, title, rank, podium."),
    root: Path | None = RootOption,
    approval_to: str | None = typer.Option(
        None,
        "--approval-to",
        help="全市性: 市委办公室 or 市政府办公室 (the 会议审批单 goes there).",
    ),
    unit: str | None = typer.Option(
        None, "--unit", help="A unit reporting its own list (S-MTG-3): replaces its entries."
    ),
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """Set the attendee list (拟定与会人员): an internal meeting goes on to the venue, a 全市性 one
    is sent for approval (S-MTG-1). With --unit, record a unit's own reported list (S-MTG-3)."""
    from oa.core.engine import advance
    from oa.core.identity import resolve
    from oa.kinds.meeting import Attendee, data_of

    store = store_from(ctx, root)
    actor = resolve(store, as_person)
    data = data_of(store, rid)
    given = _checked(list[Attendee], _yaml_file(file, "attendee list"), file, "attendees")
    if unit:
        bad = [a["name"] for a in given if a["unit"] != unit]
        if bad:
            raise OAError("OA005", f"{file}: {bad[0]} is not of {unit}")
        keep = [a for a in data.get("attendees") or [] if a["unit"] != unit]
        lists = list(data.get("unit_lists") or [])
        sets: dict[str, Any] = {
            "attendees": [*keep, *given],
            "unit_lists": [*lists, unit] if unit not in lists else lists,
        }
        ch = advance(store, rid, "report_list", actor, sets=sets, no_commit=no_commit)
        console.print(f"{rid}: {unit} reported {len(given)} attendees ({_done(ch)})", markup=False)
        return
    if data.get("scope") == "全市性":
        sets = {"attendees": given, "approval_to": approval_to}
        sets = {k: v for k, v in sets.items() if v}
        ch = advance(store, rid, "submit_approval", actor, sets=sets, no_commit=no_commit)
        console.print(
            f"{rid}: {len(given)} attendees; 会议审批单 sent for approval ({_done(ch)})",
            markup=False,
        )
    else:
        ch = advance(
            store, rid, "confirm_attendees", actor, sets={"attendees": given}, no_commit=no_commit
        )
        console.print(f"{rid}: {len(given)} attendees confirmed ({_done(ch)})", markup=False)


@app.command("plan")
def plan(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The meeting (MTG-…)."),
    file: Path = typer.Argument(
        ..., help="YAML: bodies (name, lead, duties), tasks (what, owner, due)."
    ),
    root: Path | None = RootOption,
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """Record the organizing plan (组织筹备方案, S-MTG-4): bodies, tasks, owners, deadlines."""
    from oa.core.engine import advance
    from oa.core.identity import resolve
    from oa.kinds.meeting import Plan

    store = store_from(ctx, root)
    value = _checked(Plan, _yaml_file(file, "plan"), file, "plan")
    ch = advance(
        store, rid, "plan", resolve(store, as_person), sets={"plan": value}, no_commit=no_commit
    )
    console.print(f"{rid}: plan recorded ({_done(ch)})", markup=False)


@app.command("task")
def task(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The meeting (MTG-…)."),
    number: int = typer.Argument(..., help="The task's number in the plan (1, 2, …)."),
    root: Path | None = RootOption,
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """Mark a task of the organizing plan done."""
    from oa.core.identity import resolve
    from oa.kinds.meeting import task_done

    store = store_from(ctx, root)
    ch = task_done(store, rid, resolve(store, as_person), number, no_commit=no_commit)
    console.print(f"{rid}: task {number} done ({_done(ch)})", markup=False)


@app.command("venue")
def venue(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The meeting (MTG-…)."),
    root: Path | None = RootOption,
    room: str | None = typer.Option(None, "--room", help="A public meeting room (id or name)."),
    booking: str | None = typer.Option(None, "--booking", help="Its booking (BK-…)."),
    place: str | None = typer.Option(None, "--place", help="Another venue, by its standard name."),
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """Choose the venue (选择会场)."""
    from oa.core.engine import advance
    from oa.core.identity import resolve
    from oa.kinds.booking import room_id, settings_of

    store = store_from(ctx, root)
    sets: dict[str, Any] = {}
    if room:
        s = settings_of(store)
        key = room_id(s, room)
        sets.update(room=key, venue=s.rooms[key].name)
    if place:
        sets["venue"] = place
    if booking:
        sets["booking"] = booking
    if "venue" not in sets:
        raise OAError("OA606", "give --room or --place")
    ch = advance(
        store, rid, "choose_venue", resolve(store, as_person), sets=sets, no_commit=no_commit
    )
    console.print(f"{rid}: venue {sets['venue']} ({_done(ch)})", markup=False)


@app.command("notify")
def notify(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The meeting (MTG-…)."),
    root: Path | None = RootOption,
    unit: str = typer.Option(..., "--unit", help="The invited unit."),
    channel: list[str] = typer.Option(..., "--channel", help="电话, 传真, 短信 or 书面 (repeat)."),
    receiver: str | None = typer.Option(None, "--receiver", help="接通知人 (required for 电话)."),
    unconfirmed: bool = typer.Option(False, "--unconfirmed", help="Sent, not yet confirmed."),
    list_reported: bool = typer.Option(
        False, "--list-reported", help="The unit has reported its attendee list."
    ),
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """Register a notice to one unit (S-MTG-3): channel, time, receiver, confirmed."""
    from oa.core.identity import resolve
    from oa.kinds.meeting import notify as do_notify

    allowed = ("电话", "传真", "短信", "书面")
    bad = [c for c in channel if c not in allowed]
    if bad:
        raise OAError("OA005", f"--channel takes {', '.join(allowed)}; got {bad[0]!r}")
    store = store_from(ctx, root)
    ch = do_notify(
        store,
        rid,
        resolve(store, as_person),
        unit=unit,
        channels=channel,
        receiver=receiver,
        confirmed=not unconfirmed,
        reported_list=list_reported,
        no_commit=no_commit,
    )
    console.print(f"{rid}: {unit} notified by {'、'.join(channel)} ({_done(ch)})", markup=False)


@app.command("notices")
def notices(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The meeting (MTG-…)."),
    root: Path | None = RootOption,
    as_json: bool = JsonOption,
) -> None:
    """The notice register per unit and who is still unreached for the meeting's level (S-MTG-3)."""
    from oa.kinds.meeting import REQUIRED_CHANNELS, data_of, notice_status

    data = data_of(store_from(ctx, root), rid)
    rows = notice_status(data)
    if as_json:
        print_json(
            {
                "importance": data.get("importance"),
                "required": list(REQUIRED_CHANNELS.get(str(data.get("importance")), ())),
                "units": [
                    {
                        "unit": u.unit,
                        "channels": list(u.channels),
                        "receivers": list(u.receivers),
                        "reached": u.reached,
                        "missing": u.shortfall() if not u.reached else [],
                    }
                    for u in rows
                ],
            }
        )
        return
    need = "、".join(REQUIRED_CHANNELS.get(str(data.get("importance")), ())) or "任一方式"
    console.print(f"{rid} {data['title']} — {data.get('importance')}: {need}", markup=False)
    table = Table()
    for col in ("unit", "channels", "receivers", "status"):
        table.add_column(col)
    for u in rows:
        status = "reached" if u.reached else "UNREACHED: " + ", ".join(u.shortfall())
        table.add_row(u.unit, "、".join(u.channels), "、".join(u.receivers), status)
    console.print(table)
    left = [u.unit for u in rows if not u.reached]
    console.print(f"{len(left)} of {len(rows)} units still unreached", markup=False)


@app.command("papers")
def papers(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The meeting (MTG-…)."),
    root: Path | None = RootOption,
    material: list[str] = typer.Option(..., "--material", help="In bag order (repeat)."),
    podium_paper: list[str] = typer.Option(None, "--podium-paper", help="主席台资料 (repeat)."),
    note: list[str] = typer.Option(None, "--note", help="会议须知 line (repeat)."),
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """Bag the materials in order and list the podium papers (S-MTG-6)."""
    from oa.core.engine import advance
    from oa.core.identity import resolve

    store = store_from(ctx, root)
    sets: dict[str, Any] = {"materials": list(material)}
    if podium_paper:
        sets["podium_papers"] = list(podium_paper)
    if note:
        sets["notes"] = list(note)
    ch = advance(
        store, rid, "prepare_papers", resolve(store, as_person), sets=sets, no_commit=no_commit
    )
    console.print(f"{rid}: {len(material)} materials bagged ({_done(ch)})", markup=False)


@app.command("seating")
def seating(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The meeting (MTG-…)."),
    root: Path | None = RootOption,
    recheck: bool = typer.Option(
        False, "--recheck", help="The 30-minute check: re-seat the podium from who arrived."
    ),
    podium_papers: bool = typer.Option(
        False, "--podium-papers-checked", help="With --recheck: the podium papers were checked too."
    ),
    show: bool = typer.Option(False, "--show", help="Only print the recorded seating."),
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """Seat the podium by protocol (and every seat for especially important meetings, S-MTG-5)."""
    from oa.core.identity import resolve
    from oa.kinds.meeting import data_of, seat

    store = store_from(ctx, root)
    if not show:
        actor = resolve(store, as_person)
        ch = seat(
            store, rid, actor, again=recheck, papers_checked=podium_papers, no_commit=no_commit
        )
        console.print(
            f"{rid}: seating {'rechecked' if recheck else 'recorded'} ({_done(ch)})", markup=False
        )
    data = data_of(store, rid)
    s = data.get("seating") or {}
    podium = s.get("podium") or []
    console.print("主席台 (seen from the hall, left to right):", markup=False)
    console.print("  " + " | ".join(f"{p['seat']} {p['name']}" for p in podium), markup=False)
    for line in s.get("changes") or []:
        console.print(f"  复查: {line}", markup=False)
    if s.get("hall"):
        console.print(f"对号入座: {len(s['hall'])} seats", markup=False)


@app.command("checkin")
def checkin(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The meeting (MTG-…)."),
    names: list[str] = typer.Argument(..., help="Who arrived (names on the list)."),
    root: Path | None = RootOption,
    unit: str | None = typer.Option(None, "--unit", help="A substitute, for this invited unit."),
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """Sign people in (签到, S-MTG-7)."""
    from oa.core.identity import resolve
    from oa.kinds.meeting import check_in

    store = store_from(ctx, root)
    ch = check_in(store, rid, resolve(store, as_person), names, unit=unit, no_commit=no_commit)
    console.print(f"{rid}: {len(names)} signed in ({_done(ch)})", markup=False)


@app.command("absent")
def absent(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The meeting (MTG-…)."),
    name: str = typer.Argument(..., help="The attendee."),
    root: Path | None = RootOption,
    reason: str = typer.Option(..., "--reason", help="Why (请假、出差 …)."),
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """Record an absence and its reason."""
    from oa.core.identity import resolve
    from oa.kinds.meeting import absent as do_absent

    store = store_from(ctx, root)
    ch = do_absent(store, rid, resolve(store, as_person), name, reason, no_commit=no_commit)
    console.print(f"{rid}: {name} absent ({_done(ch)})", markup=False)


@app.command("stats")
def stats(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The meeting (MTG-…)."),
    root: Path | None = RootOption,
    as_json: bool = JsonOption,
) -> None:
    """到会情况统计表 (S-MTG-7, S-ROOM-5): per unit, expected, arrived, absent and why."""
    from oa.kinds.meeting import attendance, data_of

    rows = attendance(data_of(store_from(ctx, root), rid))
    if as_json:
        print_json([r.as_dict() for r in rows])
        return
    table = Table(title="到会情况统计表")
    for col in ("unit", "expected", "arrived", "absent", "why"):
        table.add_column(col)
    for r in rows:
        d = r.as_dict()
        table.add_row(r.unit, str(d["expected"]), str(d["arrived"]), str(d["absent"]), r.why())
    total = [sum(r.as_dict()[k] for r in rows) for k in ("expected", "arrived", "absent")]
    table.add_row("合计", *map(str, total), "")
    console.print(table)


@app.command("minutes")
def minutes(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The meeting (MTG-…)."),
    root: Path | None = RootOption,
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """Open the 会议纪要: a 浏后勤会纪 outgoing document drafted from the meeting and linked to it
    (the last step of S-MTG-2); it then runs the outgoing workflow."""
    from oa.core.identity import resolve
    from oa.kinds.meeting import open_minutes

    store = store_from(ctx, root)
    out, _ = open_minutes(store, rid, resolve(store, as_person), no_commit=no_commit)
    console.print(
        f"{out.rid}: drafted the minutes of {rid} ({out.path}; {_done(out)})", markup=False
    )


@app.command("pack")
def pack(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The meeting (MTG-…)."),
    root: Path | None = RootOption,
    out: Path | None = typer.Option(None, "--out", "-o", help="Folder (default: ./<ID>-pack)."),
) -> None:
    """The meeting pack: 会议通知单, 议程, 会议须知, 名单, 座次图, 签到表, 督查表, 到会情况统计表
    (and the 会议审批单 for a 全市性 meeting) as .docx and HTML, and an .ics invitation."""
    from oa.render.meeting import render_pack

    store = store_from(ctx, root)
    for path in render_pack(store, rid, out or Path(f"{rid}-pack")):
        console.print(str(path), markup=False)

"""`oa plan …`, `oa supervise …`, `oa duty …`: 办事 — the work arrangement, supervision (督办),
duty and holiday rosters (S-OPS-PLAN-1/2, S-OPS-SUP-1/2, S-OPS-DUTY-1…3, S-OPS-VISIT-1)."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from oa.cli.common import (
    AsOption,
    JsonOption,
    RootOption,
    console,
    parse_day,
    parse_formats,
    print_json,
    store_from,
    warn_left_out,
)
from oa.core.errors import OAError

if TYPE_CHECKING:
    from oa.core.config import Office
    from oa.core.store import Store

plan_app = typer.Typer(help="The biweekly work arrangement 工作安排表.", no_args_is_help=True)
supervise_app = typer.Typer(
    help="Supervision 督办: items chased to deadlines.", no_args_is_help=True
)
duty_app = typer.Typer(
    help="Duty 值班: the log, handover, 台帐 and holiday roster.", no_args_is_help=True
)
mail_app = typer.Typer(
    help="Mail 报刊信件收发: register, deliver, the distribution sheet, cabinet labels.",
    no_args_is_help=True,
)
OutOption = typer.Option(Path("."), "--out", help="Folder the papers are written to.")


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")
    app.add_typer(supervise_app, name="supervise")
    app.add_typer(duty_app, name="duty")
    app.add_typer(mail_app, name="mail")


def _date(value: str | None, option: str, default: date) -> date:
    return default if value is None else parse_day(value, option)


def _today(store: Store) -> date:
    from oa.core.identity import now

    return now(store).date()


def _person(office: Office, value: str, option: str) -> str:
    found = office.find_person(value)
    if found is None:
        raise OAError("OA604", f"no person in oa.yaml matches {value!r} ({option})")
    return str(found)


def _department(office: Office, value: str) -> str:
    match = next((d for d, v in office.departments.items() if value in (d, v.name)), None)
    if match is None:
        raise OAError("OA005", f"unknown department {value!r}")
    return match


def _leader_of(office: Office, dep: str) -> str:
    leader = office.departments[dep].leader if dep in office.departments else None
    if not leader:
        raise OAError(
            "OA005", f"{office.department_name(dep)} has no leader in oa.yaml: give --leader"
        )
    return str(leader)


# -- oa plan -----------------------------------------------------------------------------------


def _arrangement_of(store: Store, start: date) -> dict[str, Any] | None:
    from oa.core.query import indexed

    for rel, entry in indexed(store, "arrangement"):
        assert entry.summary is not None
        if str(entry.summary.get("period_from")) == start.isoformat():
            return store.index.data_of(rel)
    return None


@plan_app.command("add")
def plan_add(
    ctx: typer.Context,
    root: Path | None = RootOption,
    department: str = typer.Option(..., "--dept", "-d", help="责任科室 (id or name)."),
    day: str = typer.Option(..., "--day", help="日期, YYYY-MM-DD."),
    what: str = typer.Option(..., "--what", help="工作内容."),
    at: str | None = typer.Option(None, "--time", help="时间, HH:MM."),
    where: str = typer.Option("", "--where", help="地点."),
    lead: str | None = typer.Option(None, "--lead", help="责任人 (person)."),
    as_person: str | None = AsOption,
) -> None:
    """Add a department's work item to its period's arrangement (made on first use)."""
    from oa.core.engine import advance, create
    from oa.core.identity import resolve
    from oa.kinds.arrangement import KIND, period_end, period_start
    from oa.render.html import cn_date

    store = store_from(ctx, root)
    office = store.office
    actor = resolve(store, as_person)
    when = _date(day, "--day", _today(store))
    start = period_start(store, when)
    item: dict[str, Any] = {
        "day": when,
        "department": _department(office, department),
        "what": what,
    }
    if at:
        try:
            item["start"] = time.fromisoformat(at).strftime("%H:%M")
        except ValueError:
            raise OAError("OA005", f"--time expects HH:MM, got {at!r}") from None
    if where:
        item["where"] = where
    if lead:
        item["lead"] = _person(office, lead, "--lead")
    data = _arrangement_of(store, start)
    if data is None:
        title = f"工作安排表（{cn_date(start)}—{cn_date(period_end(start))}）"
        rid = create(store, KIND, {"title": title, "period_from": start}, actor).rid
        items: list[Any] = []
    else:
        rid = str(data["id"])
        if data.get("state") != "drafting":
            raise OAError(
                "OA643",
                f"{rid} ({start} – {period_end(start)}) is released: items can no longer be added",
            )
        items = [dict(i) for i in data.get("items") or []]
    items.append(item)
    advance(store, rid, "add_item", actor, sets={"items": items})
    console.print(
        f"{rid}: item {len(items)} added for {when} ({office.department_name(item['department'])})",
        markup=False,
    )


@plan_app.command("release")
def plan_release(
    ctx: typer.Context,
    root: Path | None = RootOption,
    start: str | None = typer.Option(
        None, "--from", help="A day in the period (default: the next period)."
    ),
    as_person: str | None = AsOption,
) -> None:
    """Release the period's arrangement today; says when it was due (S-OPS-PLAN-1)."""
    from datetime import timedelta

    from oa.core.engine import advance
    from oa.core.identity import resolve
    from oa.kinds.arrangement import PERIOD_DAYS, period_start, release_date

    store = store_from(ctx, root)
    actor = resolve(store, as_person)
    today = _today(store)
    first = period_start(store, _date(start, "--from", today + timedelta(days=PERIOD_DAYS)))
    data = _arrangement_of(store, first)
    if data is None:
        raise OAError("OA643", f"no arrangement for the period starting {first}: add items first")
    due = release_date(store, first)
    advance(store, str(data["id"]), "release", actor, sets={"released_on": today})
    late = f"; late — due by {due}" if today > due else f" (due by {due})"
    console.print(f"{data['id']}: released {today}{late}", markup=False)


@plan_app.command("biweekly")
def plan_biweekly(
    ctx: typer.Context,
    root: Path | None = RootOption,
    start: str | None = typer.Option(None, "--from", help="A day in the period (default: today)."),
    out: Path = OutOption,
    formats: str = typer.Option(
        "docx,xlsx,html", "--format", help="docx, xlsx, html (comma-separated)."
    ),
    as_json: bool = JsonOption,
) -> None:
    """The two-week work arrangement, grouped by day and department, with everything other kinds
    put on the calendar (meetings, bookings, deadlines, supervised items, duty)."""
    from oa.core.agenda import agenda
    from oa.kinds.arrangement import period_end, period_start, release_date
    from oa.kinds.duty import roster_agenda
    from oa.render.affairs import plan_sheet
    from oa.render.sheet import write_docx, write_html, write_xlsx

    store = store_from(ctx, root)
    first = period_start(store, _date(start, "--from", _today(store)))
    last = period_end(first)
    release = release_date(store, first)
    items = sorted(
        [*agenda(store, first, last), *roster_agenda(store, first, last)],
        key=lambda i: (i.day, i.start or time(0), i.department or "", i.source, i.what),
    )
    warn_left_out(store)
    if as_json:
        print_json(
            {
                "from": first.isoformat(),
                "to": last.isoformat(),
                "release": release.isoformat(),
                "items": [
                    {
                        "day": i.day.isoformat(),
                        "time": i.start.strftime("%H:%M") if i.start else None,
                        "department": i.department,
                        "what": i.what,
                        "where": i.where,
                        "people": list(i.people),
                        "category": i.category,
                        "source": i.source,
                    }
                    for i in items
                ],
            }
        )
        return
    wanted = parse_formats(formats, ("docx", "xlsx", "html"))
    sheet = plan_sheet(store, first, last, release, items)
    name = f"arrangement-{first.isoformat()}"
    writers = {"docx": write_docx, "xlsx": write_xlsx, "html": write_html}
    console.print(
        f"工作安排表 {first} – {last}: {len(items)} items; release date {release}", markup=False
    )
    for fmt in wanted:
        console.print(str(writers[fmt](store, [sheet], out, f"{name}.{fmt}")), markup=False)


# -- oa supervise ------------------------------------------------------------------------------


@supervise_app.command("add")
def supervise_add(
    ctx: typer.Context,
    root: Path | None = RootOption,
    title: str = typer.Option(..., "--title", help="督办事项."),
    source_type: str = typer.Option(
        ..., "--type", help="收文, 会议决定, 领导交办, 工作安排 or 值班."
    ),
    source: str | None = typer.Option(
        None, "--source", help="The source record (IN-…, AP-…, ZB-…)."
    ),
    item: int | None = typer.Option(None, "--item", help="The arrangement item (1 = first)."),
    department: str = typer.Option(..., "--dept", "-d", help="承办科室."),
    owner: str | None = typer.Option(None, "--owner", help="责任人."),
    leader: str | None = typer.Option(
        None, "--leader", help="督办领导 (default: the department's)."
    ),
    workdays: int = typer.Option(..., "--workdays", help="办理时限 in workdays."),
    assigned: str | None = typer.Option(None, "--assigned", help="交办日期 (default: today)."),
    as_person: str | None = AsOption,
) -> None:
    """Open a supervised item linked to its source, due in workdays (S-OPS-SUP-2)."""
    from oa.core.identity import resolve
    from oa.kinds.supervision import open_item

    store = store_from(ctx, root)
    office = store.office
    actor = resolve(store, as_person)
    dep = _department(office, department)
    change = open_item(
        store,
        actor,
        title=title,
        source_type=source_type,
        source=source,
        source_item=item - 1 if item else None,
        department=dep,
        owner=_person(office, owner, "--owner") if owner else None,
        leader=_person(office, leader, "--leader") if leader else _leader_of(office, dep),
        workdays=workdays,
        assigned=_date(assigned, "--assigned", _today(store)),
    )
    data = store.get_valid(change.rid).data or {}
    console.print(
        f"{change.rid}: 督办 {title} — {office.department_name(dep)}, due {data.get('due')}",
        markup=False,
    )


@supervise_app.command("daily")
def supervise_daily(
    ctx: typer.Context, root: Path | None = RootOption, as_json: bool = JsonOption
) -> None:
    """The day's item-by-item check: open supervised items and open tasks of every kind, with
    today's arrangement items (S-OPS-SUP-1)."""
    from oa.core.agenda import agenda
    from oa.kinds.supervision import daily

    store = store_from(ctx, root)
    today = _today(store)
    checks = daily(store, today)
    todays = [i for i in agenda(store, today, today) if i.category == "工作安排"]
    warn_left_out(store)
    if as_json:
        print_json(
            {
                "date": today.isoformat(),
                "items": [c.as_dict() for c in checks],
                "arrangement": [
                    {"what": i.what, "department": i.department, "source": i.source} for i in todays
                ],
            }
        )
        return
    office = store.office
    console.print(f"督办日查 {today}: {len(checks)} open", markup=False)
    for c in checks:
        owners = "、".join(
            office.department_name(o) if o in office.departments else office.display(o)
            for o in c.owners
        )
        note = f" [已催: {'、'.join(c.reminded)}]" if c.reminded else ""
        console.print(
            f"  {c.source}  {c.due}  {c.status:<8} {owners}  {c.what}{note}", markup=False
        )
    if todays:
        console.print("今日工作安排:", markup=False)
        for i in todays:
            console.print(
                f"  {i.source}  {office.department_name(i.department or '')}  {i.what}",
                markup=False,
            )


@supervise_app.command("remind")
def supervise_remind(
    ctx: typer.Context,
    root: Path | None = RootOption,
    as_person: str | None = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Record one reminder per item per due point (一事一催): 临期 to the department, 逾期
    escalated to the leader. Never a duplicate."""
    from oa.core.identity import resolve
    from oa.kinds.supervision import remind_all

    store = store_from(ctx, root)
    actor = resolve(store, as_person)
    done = remind_all(store, actor, _today(store))
    if as_json:
        print_json([{"id": r.rid, "point": r.point, "action": r.action, "to": r.to} for r in done])
        return
    office = store.office
    for r in done:
        to = office.display(r.to) if r.action == "escalate" else office.department_name(r.to)
        console.print(
            f"{r.rid}: {r.point} — {'报' if r.action == 'escalate' else '催办'} {to}", markup=False
        )
    console.print(f"{len(done)} reminder(s) recorded", markup=False)


@supervise_app.command("feedback")
def supervise_feedback(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The supervised item (DB-…)."),
    root: Path | None = RootOption,
    result: str = typer.Option(..., "--result", help="办理结果."),
    as_person: str | None = AsOption,
) -> None:
    """Record the department's feedback: it closes the item (and a duty entry forwarded for it)."""
    from oa.core.identity import resolve
    from oa.kinds.supervision import give_feedback

    store = store_from(ctx, root)
    changed = give_feedback(store, rid, resolve(store, as_person), result)
    console.print(
        f"{rid}: closed" + (f"; {changed[1]} concluded" if len(changed) > 1 else ""), markup=False
    )


@supervise_app.command("stats")
def supervise_stats(
    ctx: typer.Context, root: Path | None = RootOption, as_json: bool = JsonOption
) -> None:
    """按期办结率: closed items on time, per department and month of the deadline."""
    from oa.kinds.supervision import closed_items, on_time_rates

    store = store_from(ctx, root)
    rates = on_time_rates(closed_items(store))
    if as_json:
        print_json([r.as_dict() for r in rates])
        return
    for r in rates:
        console.print(
            f"{r.month}  {store.office.department_name(r.department)}  {r.on_time}/{r.closed} 按期 ({r.rate:.0%})",
            markup=False,
        )


# -- oa duty -----------------------------------------------------------------------------------


@duty_app.command("log")
def duty_log(
    ctx: typer.Context,
    root: Path | None = RootOption,
    category: str = typer.Option(
        ...,
        "--category",
        "-c",
        help="来电, 来信, 信息, 咨询, 公务联系, 来访, 接待, 突发事件, 领导交办.",
    ),
    party: str = typer.Option(..., "--party", help="来电/来访单位或人员."),
    content: str = typer.Option(..., "--content", help="内容摘要."),
    title: str | None = typer.Option(
        None, "--title", help="标题 (default: the start of the content)."
    ),
    contact: str | None = typer.Option(None, "--contact", help="联系方式."),
    settle: str | None = typer.Option(
        None, "--settle", help="Handled on the spot: the answer given."
    ),
    forward: str | None = typer.Option(
        None, "--forward", help="Forward to this department, feedback required."
    ),
    workdays: int = typer.Option(
        3, "--workdays", help="Feedback due in this many workdays (--forward)."
    ),
    report: str | None = typer.Option(None, "--report", help="Report to this leader."),
    as_person: str | None = AsOption,
) -> None:
    """Log a duty entry (S-OPS-DUTY-1) and deal with it (S-OPS-DUTY-2): --settle, --forward or
    --report; without one it stays open for the handover."""
    from oa.core.engine import advance, create
    from oa.core.identity import now, resolve
    from oa.kinds.duty import KIND
    from oa.kinds.supervision import open_item

    store = store_from(ctx, root)
    office = store.office
    actor = resolve(store, as_person)
    if sum(x is not None for x in (settle, forward, report)) > 1:
        raise OAError("OA005", "give one of --settle, --forward, --report")
    dep = _department(office, forward) if forward else None
    dep_leader = _leader_of(office, dep) if dep else None  # checked before anything is written
    leader = _person(office, report, "--report") if report else None
    if workdays < 1:
        raise OAError("OA640", f"--workdays must be at least 1, got {workdays}")
    fields = {
        "title": title or content[:30],
        "category": category,
        "received": now(store),
        "officer": actor.person,
        "party": party,
        "contact": contact,
        "content": content,
    }
    change = create(store, KIND, {k: v for k, v in fields.items() if v is not None}, actor)
    rid = change.rid
    tail = "open"
    if settle:
        advance(store, rid, "settle", actor, entry_values={"result": settle})
        tail = "settled"
    elif dep:
        item = open_item(
            store,
            actor,
            title=str(fields["title"]),
            source_type="值班",
            source=rid,
            department=dep,
            leader=str(dep_leader),
            workdays=workdays,
            assigned=_today(store),
        )
        advance(store, rid, "forward", actor, sets={"department": dep, "supervision": item.rid})
        tail = f"forwarded to {office.department_name(dep)} as {item.rid}"
    elif leader:
        advance(store, rid, "report", actor, sets={"leader": leader})
        tail = f"reported to {office.display(leader)}"
    console.print(f"{rid}: {category} logged, {tail}", markup=False)


@duty_app.command("instruct")
def duty_instruct(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The reported duty entry (ZB-…)."),
    root: Path | None = RootOption,
    instruction: str = typer.Option(..., "--instruction", help="领导批示 (the leader's words)."),
    as_person: str | None = AsOption,
) -> None:
    """Record the leader's instruction on a reported entry (an oral one entered with --as)."""
    from oa.core.engine import advance
    from oa.core.identity import resolve

    store = store_from(ctx, root)
    advance(store, rid, "instruct", resolve(store, as_person), opinion=instruction)
    console.print(f"{rid}: instruction recorded", markup=False)


def _open_entries(store: Store) -> list[dict[str, Any]]:
    from oa.core.query import indexed

    out = []
    for rel, entry in indexed(store, "duty"):
        if entry.is_open:
            out.append(store.index.data_of(rel))
    return sorted(out, key=lambda d: d["received"])


@duty_app.command("handover")
def duty_handover(
    ctx: typer.Context,
    root: Path | None = RootOption,
    to: str = typer.Option(..., "--to", help="接班人."),
    notes: str | None = typer.Option(None, "--notes", help="交班说明."),
    as_person: str | None = AsOption,
) -> None:
    """Hand the shift over: lists what is still open and records it for the successor to
    acknowledge with `oa duty ack` (S-OPS-DUTY-3)."""
    from oa.core.engine import create
    from oa.core.identity import resolve
    from oa.kinds.duty import HANDOVER

    store = store_from(ctx, root)
    office = store.office
    actor = resolve(store, as_person)
    successor = _person(office, to, "--to")
    if successor == actor.person:
        raise OAError("OA642", "the successor is the officer handing over")
    entries = _open_entries(store)
    today = _today(store)
    fields: dict[str, Any] = {
        "title": f"{today} 交接班（{office.display(actor.person)}→{office.display(successor)}）",
        "officer": actor.person,
        "successor": successor,
        "shift_day": today,
        "open_entries": [str(e["id"]) for e in entries],
    }
    if notes:
        fields["notes"] = notes
    change = create(store, HANDOVER, fields, actor)
    wf = store.workflow("duty")
    console.print(
        f"{change.rid}: handed over to {office.display(successor)}; {len(entries)} open",
        markup=False,
    )
    for e in entries:
        console.print(
            f"  {e['id']}  {e['category']}  {wf.state_label(str(e['state']))}  {e['title']}",
            markup=False,
        )


@duty_app.command("ack")
def duty_ack(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The handover (JJ-…)."),
    root: Path | None = RootOption,
    as_person: str | None = AsOption,
) -> None:
    """The successor acknowledges the handover (接班确认)."""
    from oa.core.engine import advance
    from oa.core.identity import resolve

    store = store_from(ctx, root)
    actor = resolve(store, as_person)
    data = store.get_valid(rid).data or {}
    if data.get("kind") == "handover" and data.get("successor") != actor.person:
        who = store.office.display(str(data.get("successor")))
        raise OAError("OA642", f"only {who} (the named successor) acknowledges this handover")
    advance(store, rid, "acknowledge", actor)
    console.print(f"{rid}: acknowledged by {store.office.display(actor.person)}", markup=False)


@duty_app.command("ledger")
def duty_ledger(
    ctx: typer.Context,
    root: Path | None = RootOption,
    first: str | None = typer.Option(None, "--from", help="First day (default: 1 January)."),
    last: str | None = typer.Option(None, "--to", help="Last day (default: today)."),
    out: Path = OutOption,
) -> None:
    """The duty 台帐 by category as .xlsx, one sheet per category (S-OPS-DUTY-2)."""
    from oa.core.query import indexed
    from oa.kinds.duty import CATEGORIES
    from oa.render.affairs import ledger_sheets
    from oa.render.sheet import write_xlsx

    store = store_from(ctx, root)
    today = _today(store)
    lo = _date(first, "--from", date(today.year, 1, 1))
    hi = _date(last, "--to", today)
    entries = []
    for rel, _ in indexed(store, "duty"):
        data = store.index.data_of(rel)
        if lo <= data["received"].date() <= hi:
            entries.append(data)
    path = write_xlsx(
        store, ledger_sheets(store, entries, CATEGORIES, lo, hi), out, f"duty-ledger-{lo}-{hi}.xlsx"
    )
    console.print(f"值班台帐 {lo} – {hi}: {len(entries)} entries", markup=False)
    console.print(str(path), markup=False)


@duty_app.command("roster")
def duty_roster(
    ctx: typer.Context,
    root: Path | None = RootOption,
    holiday: str | None = typer.Option(
        None, "--holiday", help="节日: 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节."
    ),
    year: int | None = typer.Option(None, "--year", help="Year (default: this year)."),
    first: str | None = typer.Option(None, "--from", help="Or a span of days: first day."),
    last: str | None = typer.Option(None, "--to", help="Last day of the span."),
    out: Path = OutOption,
    formats: str = typer.Option(
        "xlsx,docx,ics", "--format", help="xlsx, docx, ics (comma-separated)."
    ),
    as_json: bool = JsonOption,
) -> None:
    """A fair holiday duty roster (S-OPS-PLAN-2): a leader on call and duty staff each holiday
    day, counts balanced across the year, declared unavailability respected."""
    from oa.core.identity import now
    from oa.kinds.duty import roster, roster_settings
    from oa.render.affairs import roster_sheet, write_ics
    from oa.render.sheet import write_docx, write_xlsx

    store = store_from(ctx, root)
    y = year or _today(store).year
    lo = _date(first, "--from", date(y, 1, 1)) if first else None
    hi = _date(last, "--to", date(y, 12, 31)) if last else None
    settings = roster_settings(store)
    days, title = roster(store, settings, y, holiday, lo, hi)
    if as_json:
        print_json(
            [
                {
                    "day": d.day.isoformat(),
                    "holiday": d.holiday,
                    "leader": d.leader,
                    "staff": list(d.staff),
                }
                for d in days
            ]
        )
        return
    wanted = parse_formats(formats, ("xlsx", "docx", "ics"))
    name = f"duty-roster-{y}-{holiday or (str(lo) + '-' + str(hi))}"
    sheet = roster_sheet(store, title, days, settings.duty_phone)
    office = store.office
    console.print(f"{title}值班安排: {len(days)} days", markup=False)
    for d in days:
        console.print(
            f"  {d.day}  {d.holiday}  带班 {office.display(d.leader)}  值班 {'、'.join(office.display(p) for p in d.staff)}",
            markup=False,
        )
    for fmt in wanted:
        if fmt == "ics":
            path = write_ics(store, title, days, out, f"{name}.ics", now(store))
        elif fmt == "xlsx":
            path = write_xlsx(store, [sheet], out, f"{name}.xlsx")
        else:
            path = write_docx(store, [sheet], out, f"{name}.docx")
        console.print(str(path), markup=False)


# -- oa mail -----------------------------------------------------------------------------------


@mail_app.command("register")
def mail_register(
    ctx: typer.Context,
    root: Path | None = RootOption,
    item_type: str = typer.Option(..., "--type", help="报纸, 期刊, 信件, 挂号信, 包裹 or 材料."),
    sender: str = typer.Option(..., "--from", help="寄件单位或刊名."),
    to: str = typer.Option(..., "--to", help="收件人: a person, or a department (id or name)."),
    title: str | None = typer.Option(None, "--title", help="标题 (default: type and sender)."),
    tracking: str | None = typer.Option(None, "--tracking", help="挂号/快递单号."),
    as_person: str | None = AsOption,
) -> None:
    """Register a newspaper, letter or parcel with its recipient (S-OPS-MAIL-1)."""
    from oa.core.engine import create
    from oa.core.identity import now, resolve
    from oa.kinds.mail import KIND, cabinet_label

    store = store_from(ctx, root)
    office = store.office
    actor = resolve(store, as_person)
    fields: dict[str, Any] = {
        "title": title or f"{item_type}：{sender}",
        "item_type": item_type,
        "sender": sender,
        "received": now(store),
    }
    person = office.find_person(to)
    if person is not None:
        fields["recipient"] = person
    else:
        fields["recipient_department"] = _department(office, to)
    if tracking:
        fields["tracking"] = tracking
    change = create(store, KIND, fields, actor)
    console.print(f"{change.rid}: {item_type} for {cabinet_label(store, fields)}", markup=False)


@mail_app.command("deliver")
def mail_deliver(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The mail item (YJ-…)."),
    root: Path | None = RootOption,
    signed_by: str = typer.Option(..., "--signed-by", help="Who signs for it."),
    as_person: str | None = AsOption,
) -> None:
    """Deliver an item: only its recipient (or a member of the recipient department) signs."""
    from oa.core.engine import advance
    from oa.core.identity import resolve
    from oa.kinds.mail import may_sign

    store = store_from(ctx, root)
    office = store.office
    actor = resolve(store, as_person)
    signer = _person(office, signed_by, "--signed-by")
    loaded = store.get_valid(rid)
    data = loaded.data or {}
    if data.get("kind") == "mail" and not may_sign(office, data, signer):
        raise OAError(
            "OA644",
            f"{office.display(signer)} is not the recipient of {rid}: flag it with `oa mail flag`",
            path=loaded.path,
        )
    advance(store, rid, "deliver", actor, entry_values={"signed_by": signer})
    console.print(f"{rid}: signed for by {office.display(signer)}", markup=False)


@mail_app.command("flag")
def mail_flag(
    ctx: typer.Context,
    rid: str = typer.Argument(..., help="The mail item (YJ-…)."),
    root: Path | None = RootOption,
    reason: str = typer.Option(..., "--reason", help="误投, 拒收, 地址不详 …"),
    as_person: str | None = AsOption,
) -> None:
    """Flag an item that could not be delivered as registered; it is delivered again later."""
    from oa.core.engine import advance
    from oa.core.identity import resolve

    store = store_from(ctx, root)
    advance(store, rid, "flag", resolve(store, as_person), opinion=reason)
    console.print(f"{rid}: flagged ({reason})", markup=False)


@mail_app.command("sheet")
def mail_sheet_cmd(
    ctx: typer.Context,
    root: Path | None = RootOption,
    first: str | None = typer.Option(None, "--from", help="First day (default: today)."),
    last: str | None = typer.Option(None, "--to", help="Last day (default: --from)."),
    out: Path = OutOption,
    formats: str = typer.Option("xlsx,docx", "--format", help="xlsx, docx (comma-separated)."),
    as_json: bool = JsonOption,
) -> None:
    """The distribution sheet (分发登记表): every item, its cabinet place, who signed, when."""
    from oa.core.query import indexed
    from oa.render.affairs import mail_sheet
    from oa.render.sheet import write_docx, write_xlsx

    store = store_from(ctx, root)
    lo = _date(first, "--from", _today(store))
    hi = _date(last, "--to", lo)
    items = []
    for rel, _ in indexed(store, "mail"):
        data = store.index.data_of(rel)
        if lo <= data["received"].date() <= hi:
            items.append(data)
    if as_json:
        print_json(
            [
                {"id": m["id"], "state": m["state"], "recipient": m.get("recipient"),
                 "recipient_department": m.get("recipient_department")}
                for m in items
            ]
        )  # fmt: skip
        return
    sheet = mail_sheet(store, items, lo, hi)
    undelivered = sum(m["state"] != "delivered" for m in items)
    console.print(
        f"分发登记 {lo} – {hi}: {len(items)} items, {undelivered} not delivered", markup=False
    )
    for fmt in parse_formats(formats, ("xlsx", "docx")):
        writer = write_xlsx if fmt == "xlsx" else write_docx
        console.print(str(writer(store, [sheet], out, f"mail-{lo}-{hi}.{fmt}")), markup=False)


@mail_app.command("labels")
def mail_labels(ctx: typer.Context, root: Path | None = RootOption, out: Path = OutOption) -> None:
    """Printable file-cabinet labels: one place per leader and per department."""
    from oa.kinds.mail import cabinet_places
    from oa.render.affairs import write_labels

    store = store_from(ctx, root)
    places = cabinet_places(store)
    console.print(f"{len(places)} cabinet labels", markup=False)
    console.print(str(write_labels(store, places, out, "cabinet-labels.docx")), markup=False)

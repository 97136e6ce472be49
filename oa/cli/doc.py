"""`oa doc …`: official documents."""

from __future__ import annotations

from datetime import datetime
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
    err_console,
    parse_formats,
    print_json,
    store_from,
    warn_left_out,
)
from oa.core.errors import OAError

if TYPE_CHECKING:
    from oa.core.config import Office

app = typer.Typer(
    help="Official documents (公文): outgoing 发文 and incoming 收文.", no_args_is_help=True
)


@app.command("new")
def new(
    ctx: typer.Context,
    root: Path | None = RootOption,
    doc_kind: str = typer.Option(
        ..., "--kind", help="发文机关代字: 浏后勤发, 浏后勤字, 浏后勤函 …"
    ),
    title: str = typer.Option(..., "--title", help="标题."),
    department: str | None = typer.Option(
        None, "--department", "-d", help="拟稿科室 (id or name); default: the drafter's."
    ),
    drafter: str | None = typer.Option(None, "--drafter", help="拟稿人; default: who is acting."),
    main_to: list[str] = typer.Option(None, "--to", help="主送机关 (repeat for several)."),
    cc: list[str] = typer.Option(None, "--cc", help="抄送机关 (repeat for several)."),
    secrecy: str | None = typer.Option(None, "--secrecy", help="密级: 秘密, 机密 or 绝密."),
    urgency: str | None = typer.Option(None, "--urgency", help="紧急程度: 特急 or 加急."),
    countersign: list[str] = typer.Option(
        None, "--countersign", help="会签领导 (repeat); sign-off waits for each."
    ),
    body: Path | None = typer.Option(None, "--body", help="正文, a Markdown file."),
    attach: list[Path] = typer.Option(None, "--attach", help="附件 file (repeat for several)."),
    reply_to: str | None = typer.Option(
        None, "--reply-to", help="The incoming document (IN-…) this 复文 answers."
    ),
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """Draft a new outgoing document (拟稿); it starts the outgoing workflow."""
    from oa.core.engine import create
    from oa.core.identity import resolve
    from oa.core.registry import kinds

    store = store_from(ctx, root)
    office = store.office
    actor = resolve(store, as_person)
    who = _person(office, drafter, "--drafter") if drafter else actor.person
    dep = _department(office, department) if department else office.people[who].department
    fields = {
        "doc_kind": doc_kind,
        "title": title,
        "department": dep,
        "drafter": who,
        "main_to": list(main_to or []),
        "cc": list(cc or []),
        "secrecy": secrecy,
        "urgency": urgency,
        "countersigners": [_person(office, p, "--countersign") for p in countersign or []],
        "reply_to": reply_to,
    }
    fields = {k: v for k, v in fields.items() if v not in (None, [])}
    files, file_fields = _files(body, attach)
    change = create(
        store,
        kinds()["outgoing"],
        fields,
        actor,
        files=files,
        file_fields=file_fields,
        no_commit=no_commit,
    )
    console.print(
        f"{change.rid}: drafted 《{title}》 ({change.path}; {_done(change)})", markup=False
    )


def _department(office: Office, value: str) -> str:
    match = next((d for d, v in office.departments.items() if value in (d, v.name)), None)
    if match is None:
        raise OAError("OA005", f"unknown department {value!r}")
    return match


def _person(office: Office, value: str, option: str) -> str:
    found = office.find_person(value)
    if found is None:
        raise OAError("OA604", f"no person in oa.yaml matches {value!r} ({option})")
    return str(found)


def _files(
    body: Path | None, attach: list[Path] | None
) -> tuple[list[tuple[Path, str]], dict[str, Any]]:
    files: list[tuple[Path, str]] = []
    fields: dict[str, Any] = {}
    if body is not None:
        files.append((body, "正文" + (body.suffix or ".md")))
        fields["body"] = files[-1][1]
    attachments = []
    for i, path in enumerate(attach or [], 1):
        name = f"附件{i}{path.suffix}"
        files.append((path, name))
        attachments.append({"title": path.stem, "file": name})
    if attachments:
        fields["attachments"] = attachments
    return files, fields


def _done(change: Any) -> str:
    return f"commit {change.commit[:10]}" if change.commit else "staged, not committed"


@app.command("receive")
def receive(
    ctx: typer.Context,
    root: Path | None = RootOption,
    sender: str = typer.Option(..., "--from", help="来文机关."),
    title: str = typer.Option(..., "--title", help="标题."),
    category: str = typer.Option(
        ...,
        "--category",
        help="收文类别: 政策性 指导性 交办性 参阅性 呈请性 商洽性 询问性 "
        "会议通知 会议文件 刊物资料 价值文献 人民来信.",
    ),
    handling: str = typer.Option(
        "批办", "--handling", help="批办 (to be handled) or 阅知 (to read)."
    ),
    number: str | None = typer.Option(
        None, "--number", help="来文字号, e.g. 浏政办发〔2026〕45号."
    ),
    received: datetime | None = typer.Option(
        None,
        "--received",
        help="收文时间 (default: now).",
        formats=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"],
    ),
    copies: int = typer.Option(1, "--copies", help="份数."),
    pages: int | None = typer.Option(None, "--pages", help="页数."),
    secrecy: str | None = typer.Option(None, "--secrecy", help="密级: 秘密, 机密 or 绝密."),
    urgency: str | None = typer.Option(None, "--urgency", help="紧急程度: 特急 or 加急."),
    body: Path | None = typer.Option(None, "--body", help="the document itself (scan or text)."),
    attach: list[Path] = typer.Option(None, "--attach", help="附件 file (repeat for several)."),
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """Register an incoming document (收文登记, S-DOC-IN-1/2)."""
    from oa.core.engine import create
    from oa.core.identity import now, resolve
    from oa.core.registry import kinds

    store = store_from(ctx, root)
    office = store.office
    actor = resolve(store, as_person)
    at = now(store)
    when = received.replace(tzinfo=at.tzinfo) if received else at
    fields: dict[str, Any] = {
        "title": title,
        "sender": sender,
        "sender_number": number,
        "received": when,
        "category": category,
        "handling": handling,
        "copies": copies,
        "pages": pages,
        "department": office.people[actor.person].department,
        "registrar": actor.person,
        "secrecy": secrecy,
        "urgency": urgency,
    }
    fields = {k: v for k, v in fields.items() if v is not None}
    files, file_fields = _files(body, attach)
    change = create(
        store,
        kinds()["incoming"],
        fields,
        actor,
        files=files,
        file_fields=file_fields,
        no_commit=no_commit,
    )
    console.print(
        f"{change.rid}: registered 《{title}》 from {sender} ({change.path}; {_done(change)})",
        markup=False,
    )


@app.command("propose")
def propose(
    ctx: typer.Context,
    rid: str = typer.Argument(..., metavar="ID"),
    root: Path | None = RootOption,
    opinion: str = typer.Option(
        ..., "--opinion", "-m", help="拟办意见, e.g. 拟请事务一科于12月5日前办复."
    ),
    dept: list[str] = typer.Option(None, "--dept", help="承办科室 (repeat for joint handling)."),
    lead: str | None = typer.Option(None, "--lead", help="牵头科室, required with several --dept."),
    implementer: list[str] = typer.Option(None, "--implementer", help="贯彻落实人员 (repeat)."),
    due: datetime | None = typer.Option(
        None, "--due", help="办复时限, a date.", formats=["%Y-%m-%d"]
    ),
    within: int | None = typer.Option(None, "--within", help="办复时限 in workdays from today."),
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """拟办 (S-DOC-IN-3): name who implements or which departments handle it, and by when."""
    from oa.core.engine import advance
    from oa.core.identity import now, resolve

    store = store_from(ctx, root)
    office = store.office
    actor = resolve(store, as_person)
    deps = [_department(office, d) for d in dept or []]
    sets: dict[str, Any] = {}
    if deps:
        sets["departments"] = deps
        chosen = _department(office, lead) if lead else (deps[0] if len(deps) == 1 else None)
        if chosen:
            sets["lead_department"] = chosen
            sets["department"] = chosen
    if implementer:
        sets["implementers"] = [_person(office, p, "--implementer") for p in implementer]
    if due and within is not None:
        raise OAError("OA005", "give --due or --within, not both")
    if due:
        sets["reply_by"] = due.date()
    elif within is not None:
        sets["reply_by"] = store.calendar.add_workdays(now(store).date(), within)
    change = advance(store, rid, "propose", actor, opinion=opinion, sets=sets, no_commit=no_commit)
    _warn_calendar(store)
    when = f", 办复时限 {sets['reply_by']}" if "reply_by" in sets else ""
    console.print(
        f"{rid}: 拟办 by {office.display(actor.person)}{when} ({_done(change)})", markup=False
    )


def _warn_calendar(store: Any) -> None:
    for warning in store.calendar.warnings():
        err_console.print(warning.format(), markup=False)


@app.command("handle")
def handle(
    ctx: typer.Context,
    rid: str = typer.Argument(..., metavar="ID"),
    root: Path | None = RootOption,
    course: str = typer.Option(..., "--course", help="承办经过."),
    result: str = typer.Option(..., "--result", help="承办结果."),
    dept: str | None = typer.Option(None, "--dept", help="The 承办科室 (default: yours)."),
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """承办 (S-DOC-IN-5): record one department's course and result, with handler and date."""
    from oa.core.engine import advance
    from oa.core.identity import resolve

    store = store_from(ctx, root)
    office = store.office
    actor = resolve(store, as_person)
    department = _department(office, dept) if dept else office.people[actor.person].department
    change = advance(
        store,
        rid,
        "handle",
        actor,
        entry_values={"department": department, "course": course, "result": result},
        no_commit=no_commit,
    )
    console.print(
        f"{rid}: 承办 recorded for {office.department_name(department)} by "
        f"{office.display(actor.person)} ({_done(change)})",
        markup=False,
    )


@app.command("circulate")
def circulate(
    ctx: typer.Context,
    rid: str = typer.Argument(..., metavar="ID"),
    root: Path | None = RootOption,
    readers: list[str] = typer.Option(..., "--to", help="传阅对象 in order (repeat)."),
    opinion: str | None = typer.Option(None, "--opinion", "-m", help="e.g. 请各位领导阅示."),
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """Send a 阅知性 document round the leaders (传阅)."""
    from oa.core.engine import advance
    from oa.core.identity import resolve

    store = store_from(ctx, root)
    office = store.office
    actor = resolve(store, as_person)
    people = [_person(office, p, "--to") for p in readers]
    change = advance(
        store,
        rid,
        "circulate",
        actor,
        opinion=opinion,
        sets={"readers": people},
        no_commit=no_commit,
    )
    console.print(
        f"{rid}: 传阅 to {'、'.join(office.display(p) for p in people)} ({_done(change)})",
        markup=False,
    )


@app.command("circulation")
def circulation_cmd(
    ctx: typer.Context,
    rid: str = typer.Argument(..., metavar="ID"),
    root: Path | None = RootOption,
) -> None:
    """Who has read a circulating document, and who has it now."""
    from oa.kinds.incoming import circulation

    store = store_from(ctx, root)
    office = store.office
    loaded = store.get_valid(rid)
    assert loaded.data is not None
    read, unread = circulation(loaded.data)
    for person, at in read:
        console.print(f"  read    {office.display(person)}  {at:%Y-%m-%d %H:%M}", markup=False)
    for n, person in enumerate(unread):
        console.print(
            f"  {'has it' if n == 0 else 'waiting'}  {office.display(person)}", markup=False
        )
    if not read and not unread:
        console.print("not circulated", markup=False)


@app.command("overdue")
def overdue(
    ctx: typer.Context,
    root: Path | None = RootOption,
    within: int | None = typer.Option(
        None, "--within", help="Also list what is due within N workdays (default: the office's)."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Every open deadline (收文, 督办, room bookings, meetings …) past or near, in workdays."""
    from oa.core.deadlines import open_deadlines
    from oa.core.identity import now

    store = store_from(ctx, root)
    office = store.office
    if within is None:
        within = store.kind_settings("incoming").due_soon_workdays
    items = open_deadlines(store, now(store).date(), within)
    _warn_calendar(store)
    warn_left_out(store)
    if as_json:
        print_json([d.as_dict() for d in items])
        return
    table = Table()
    for col in ("ID", "due", "workdays", "status", "what", "owners", "title"):
        table.add_column(col)
    for d in items:
        owners = "、".join(
            office.department_name(o) if o in office.departments else office.display(o)
            for o in d.deadline.owners
        )
        table.add_row(
            d.row.rid,
            d.deadline.due.isoformat(),
            str(d.workdays_left),
            d.status,
            d.deadline.what,
            owners,
            d.row.title,
        )
    console.print(table)
    late = sum(1 for d in items if d.workdays_left < 0)
    console.print(
        f"{late} overdue, {len(items) - late} due within {within} workday(s)", markup=False
    )


@app.command("slip")
def slip(
    ctx: typer.Context,
    rid: str = typer.Argument(..., metavar="ID"),
    root: Path | None = RootOption,
    out: Path = typer.Option(Path("."), "--out", help="Folder for the papers."),
    formats: str = typer.Option("html,docx", "--format", help="html, docx or both."),
) -> None:
    """The 文件批办单 of an incoming document (S-DOC-SLIP), ready to print on A4."""
    from oa.render.slip import render_slip_docx, render_slip_html

    store = store_from(ctx, root)
    writers = {"html": render_slip_html, "docx": render_slip_docx}
    wanted = parse_formats(formats, writers)
    store.get_valid(rid)  # a bad ID is refused before any folder is made
    out.mkdir(parents=True, exist_ok=True)
    for name in wanted:
        console.print(str(writers[name](store, rid, out)), markup=False)


@app.command("render")
def render(
    ctx: typer.Context,
    rid: str = typer.Argument(..., metavar="ID"),
    root: Path | None = RootOption,
    out: Path = typer.Option(Path("."), "--out", help="Folder for the .docx."),
) -> None:
    """The outgoing document as .docx in the national layout (GB/T 9704-2012)."""
    from oa.render.gbt9704 import render_outgoing

    store = store_from(ctx, root)
    store.get_valid(rid)  # a bad ID is refused before any folder is made
    out.mkdir(parents=True, exist_ok=True)
    console.print(str(render_outgoing(store, rid, out)), markup=False)

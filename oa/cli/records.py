"""Commands that work on any kind of record: show, list, todo, log, advance, workflow, status."""

from __future__ import annotations

import sys
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
    root_from,
    store_from,
    warn_left_out,
)
from oa.core.errors import OAError


def parse_pairs(items: list[str], option: str = "--set") -> dict[str, Any]:
    from oa.core.engine import parse_value

    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise OAError("OA005", f"{option} expects KEY=VALUE, got {item!r}")
        out[key.strip()] = parse_value(value)
    return out


def advance(
    ctx: typer.Context,
    root: Path | None = RootOption,
    rid: str = typer.Argument(..., metavar="ID", help="Record ID, e.g. OUT-2026-0042."),
    action: str = typer.Argument(..., help="Workflow action, e.g. review, sign, number."),
    opinion: str | None = typer.Option(
        None, "--opinion", "-m", help="意见 recorded with the step."
    ),
    sets: list[str] = typer.Option(
        None, "--set", help="KEY=VALUE for a field the action sets (e.g. copies=120)."
    ),
    entries: list[str] = typer.Option(
        None, "--entry", help="KEY=VALUE recorded on the history entry (the action's entry_fields)."
    ),
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """Take one workflow step on a record (see `oa show ID` for what is possible)."""
    from oa.core.engine import advance as run
    from oa.core.identity import resolve
    from oa.core.store import parse_id

    store = store_from(ctx, root)
    actor = resolve(store, as_person)
    change = run(
        store,
        rid,
        action,
        actor,
        opinion=opinion,
        sets=parse_pairs(sets or []),
        entry_values=parse_pairs(entries or [], "--entry"),
        no_commit=no_commit,
    )
    wf = store.workflow(parse_id(rid)[0].name)
    extra = f" — {change.entry['number']}" if change.entry.get("number") else ""
    done = f"commit {change.commit[:10]}" if change.commit else "staged, not committed"
    console.print(
        f"{rid}: {wf.actions[action].label} by {store.office.display(actor.person)} → "
        f"{wf.state_label(change.state)}{extra} ({done})",
        markup=False,
    )


def show(
    ctx: typer.Context,
    root: Path | None = RootOption,
    rid: str = typer.Argument(..., metavar="ID"),
    as_json: bool = JsonOption,
) -> None:
    """Show a record: its fields, its history, and what can be done next and by whom."""
    from oa.core.effects import field_order
    from oa.core.query import actions_for
    from oa.core.registry import kind_named

    store = store_from(ctx, root)
    loaded = store.get_valid(rid)
    assert loaded.record is not None and loaded.data is not None
    rec = loaded.record
    kind = kind_named(rec.kind)
    assert kind is not None
    wf = store.workflow(rec.kind)
    office = store.office
    nxt = {p: actions_for(office, wf, kind.guards, loaded.data, p) for p in office.people}
    nxt = {p: a for p, a in nxt.items() if a}
    if as_json:
        print_json(
            {
                "path": loaded.path,
                "record": rec.model_dump(mode="json", by_alias=True, exclude_none=True),
                "next": nxt,
            }
        )
        return
    console.print(f"[bold]{rec.id}[/bold]  {rec.title}")
    console.print(
        f"{kind.label} · {loaded.path} · state: {rec.state} ({wf.state_label(rec.state)})",
        markup=False,
    )
    skip = {"id", "kind", "title", "state", "history"}
    fields = Table(show_header=False, box=None, pad_edge=False)
    dumped = rec.model_dump(by_alias=True, exclude_none=True)
    for key in field_order(kind.model):
        value = dumped.get(key)
        if key in skip or value in (None, [], ""):
            continue
        fields.add_row(key, _display(office, key, value, kind.model))
    console.print(fields)
    hist = Table(title="history", title_justify="left")
    for col in ("at", "by", "action", "to", "opinion"):
        hist.add_column(col)
    for h in rec.history:
        by = office.display(h.by) + (
            f" (entered by {office.display(h.entered_by)})" if h.entered_by else ""
        )
        label = wf.actions[h.action].label if h.action in wf.actions else h.action
        values = [
            office.department_name(str(v)) if k == "department" else str(v)
            for k, v in (h.model_extra or {}).items()
        ]
        note = "；".join([*([h.opinion] if h.opinion else []), *values])
        hist.add_row(h.at.strftime("%Y-%m-%d %H:%M"), by, label, wf.state_label(h.to), note)
    console.print(hist)
    if nxt:
        console.print("next:", markup=False)
        for p, acts in nxt.items():
            console.print(
                f"  {office.display(p)} ({p}): "
                + ", ".join(f"{a} ({wf.actions[a].label})" for a in acts),
                markup=False,
            )
    elif not wf.actions_from(rec.state):
        console.print("closed: no further steps.", markup=False)


def _display(office: Any, key: str, value: Any, model: Any) -> str:
    from oa.core.validate import ref_fields

    target = ref_fields(model).get(key)
    names = {"person": office.display, "department": office.department_name}.get(str(target))
    if names is not None:
        values = value if isinstance(value, list) else [value]
        return "、".join(str(names(v)) for v in values)
    if isinstance(value, dict):
        return " ".join(f"{k}={v}" for k, v in value.items() if k != "fingerprint")
    if isinstance(value, list):
        return "；".join(
            " ".join(str(x) for x in v.values()) if isinstance(v, dict) else str(v) for v in value
        )
    return str(value)


def list_cmd(
    ctx: typer.Context,
    root: Path | None = RootOption,
    kind: str | None = typer.Option(None, "--kind", "-k", help="Only this kind (e.g. outgoing)."),
    state: str | None = typer.Option(None, "--state", "-s", help="Only records in this state."),
    year: int | None = typer.Option(
        None, "--year", "-y", help="Only records of this year (by ID)."
    ),
    person: str | None = typer.Option(
        None, "--person", "-p", help="Only records this person is named in or acted on."
    ),
    department: str | None = typer.Option(
        None, "--department", "-d", help="Only records of this department (id or name)."
    ),
    sort: str = typer.Option("id", "--sort", help="id, state, updated, title or kind."),
    reverse: bool = typer.Option(False, "--reverse", "-r", help="Reverse the order."),
    as_json: bool = JsonOption,
) -> None:
    """List records, filtered and sorted."""
    from oa.core.query import list_rows

    store = store_from(ctx, root)
    rows = list_rows(
        store,
        kind=kind,
        state=state,
        year=year,
        person=person,
        department=department,
        sort=sort,
        reverse=reverse,
    )
    warn_left_out(store)
    if as_json:
        print_json([r.as_dict() for r in rows])
        return
    office = store.office
    if not sys.stdout.isatty():
        # piped (grep, cut, a spreadsheet): one tab-separated line per record, at any size
        names = {d: office.department_name(d) if d else "" for d in {r.department for r in rows}}
        sys.stdout.write("ID\tstate\tnumber\tdepartment\ttitle\tupdated\n")
        sys.stdout.write(
            "".join(
                f"{r.rid}\t{r.state_label}\t{r.summary}\t{names[r.department]}\t{r.title}\t"
                f"{r.updated[:10]}\n"
                for r in rows
            )
        )
        return
    table = Table()
    for col in ("ID", "state", "number", "department", "title", "updated"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r.rid,
            r.state_label,
            r.summary,
            office.department_name(r.department) if r.department else "",
            r.title,
            r.day,
        )
    console.print(table)
    console.print(f"{len(rows)} record(s)", markup=False)


def todo(
    ctx: typer.Context,
    root: Path | None = RootOption,
    as_person: str | None = AsOption,
    everyone: bool = typer.Option(False, "--all", "-a", help="Everything waiting, for everyone."),
    kind: str | None = typer.Option(None, "--kind", "-k", help="Only this kind."),
    as_json: bool = JsonOption,
) -> None:
    """What waits for me (by my roles), or with --all for everyone."""
    from oa.core.identity import resolve
    from oa.core.query import waiting

    store = store_from(ctx, root)
    person = None if everyone else resolve(store, as_person).person
    items = [w for w in waiting(store, person) if kind is None or w.row.kind == kind]
    warn_left_out(store)
    office = store.office
    if as_json:
        print_json([{**w.row.as_dict(), "actions": w.actions, "people": w.people} for w in items])
        return
    columns = ("ID", "waiting at", "title", "since", "actions", "who")
    cells = [
        (
            w.row.rid,
            w.row.state_label,
            w.row.title,
            w.row.day,
            ", ".join(w.actions),
            "、".join(office.display(p) for p in w.people),
        )
        for w in items
    ]
    if not sys.stdout.isatty():
        # piped: one tab-separated line per item, as `oa list` prints (a table of hundreds of
        # rows took half a second to lay out)
        sys.stdout.write("".join("\t".join(line) + "\n" for line in [columns, *cells]))
        return
    who = "everyone" if person is None else f"{office.display(person)} ({person})"
    table = Table(title=f"waiting for {who}", title_justify="left")
    for col in columns:
        table.add_column(col)
    for line in cells:
        table.add_row(*line)
    console.print(table)
    console.print(f"{len(items)} item(s) waiting", markup=False)


def log(
    ctx: typer.Context,
    root: Path | None = RootOption,
    rid: str = typer.Argument(..., metavar="ID"),
    as_json: bool = JsonOption,
) -> None:
    """The record's history as git tells it: commit, author, time, action, changed fields."""
    from oa.core.history import record_log

    entries = record_log(root_from(ctx, root), rid)
    if as_json:
        print_json([e.as_dict() for e in entries])
        return
    table = Table()
    for col in ("commit", "time", "author", "action", "changed"):
        table.add_column(col)
    for e in entries:
        table.add_row(
            e.sha[:10],
            e.time.replace("T", " ")[:19],
            f"{e.author} <{e.email}>",
            e.action,
            ", ".join(e.changed),
        )
    console.print(table)


def workflow(
    ctx: typer.Context,
    root: Path | None = RootOption,
    kind: str = typer.Argument("outgoing", help="Record kind."),
    as_json: bool = JsonOption,
) -> None:
    """Show a kind's workflow: its states, and each action with who may take it."""
    from oa.core.registry import kinds

    store = store_from(ctx, root)
    if kind not in kinds():
        raise OAError("OA005", f"unknown kind {kind!r} (known: {', '.join(kinds())})")
    wf = store.workflow(kind)
    if as_json:
        print_json(wf.model_dump(mode="json", by_alias=True))
        return
    console.print(
        f"{wf.label} ({kind}) — workflows/{kind}.yaml; starts in {wf.start}", markup=False
    )
    table = Table()
    for col in ("action", "label", "from", "to", "who", "needs"):
        table.add_column(col)
    for name, a in wf.actions.items():
        roles = sorted({r for s in a.from_ for r in wf.roles_for(name, s)})
        needs = [
            *(["opinion"] if a.opinion == "required" else []),
            *a.fields,
            *a.guards,
            *a.effects,
        ]
        who = " / ".join(roles) + (f" of {a.department_field}" if a.department_field else "")
        table.add_row(name, a.label, ", ".join(a.from_), a.to, who, ", ".join(needs))
    console.print(table)


def status(ctx: typer.Context, root: Path | None = RootOption) -> None:
    """The office at a glance: validation, records by state, and what is waiting for whom."""
    from collections import Counter

    from oa.core.query import list_rows, waiting
    from oa.core.validate import validate as run

    store = store_from(ctx, root)
    office = store.office
    report = run(store)
    console.print(f"[bold]{office.office.name}[/bold] — {store.root}")
    verdict = "valid" if not report.errors else f"{len(report.errors)} error(s): run oa validate"
    console.print(f"{report.checked} records, {verdict}", markup=False)
    counts = Counter((r.kind, r.state_label) for r in list_rows(store, sort="state"))
    table = Table(title="records by state", title_justify="left")
    for col in ("kind", "state", "count"):
        table.add_column(col)
    for (k, label), n in sorted(counts.items()):
        table.add_row(k, label, str(n))
    console.print(table)
    by_person: Counter[str] = Counter()
    for w in waiting(store):
        by_person.update(w.people)
    table = Table(title="waiting, by person (oa todo --as PERSON)", title_justify="left")
    for col in ("person", "department", "items"):
        table.add_column(col)
    for p, n in by_person.most_common():
        table.add_row(
            f"{office.display(p)} ({p})",
            office.department_name(office.people[p].department),
            str(n),
        )
    console.print(table)
    if report.errors:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(status)
    app.command()(show)
    app.command("list")(list_cmd)
    app.command()(todo)
    app.command()(advance)
    app.command()(log)
    app.command()(workflow)

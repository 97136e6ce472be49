"""`oa doc …`: official documents."""

from __future__ import annotations

from pathlib import Path

import typer

from oa.cli.common import AsOption, NoCommitOption, RootOption, console, store_from
from oa.core.errors import OAError

app = typer.Typer(help="Official documents (公文): outgoing 发文.", no_args_is_help=True)


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
    who = actor.person
    if drafter:
        found = office.find_person(drafter)
        if found is None:
            raise OAError("OA604", f"no person in oa.yaml matches {drafter!r} (--drafter)")
        who = found
    dep = office.people[who].department
    if department:
        match = next((d for d, v in office.departments.items() if department in (d, v.name)), None)
        if match is None:
            raise OAError("OA005", f"unknown department {department!r}")
        dep = match
    leaders: list[str] = []
    for name in countersign or []:
        found = office.find_person(name)
        if found is None:
            raise OAError("OA604", f"no person in oa.yaml matches {name!r} (--countersign)")
        leaders.append(found)
    fields = {
        "doc_kind": doc_kind,
        "title": title,
        "department": dep,
        "drafter": who,
        "main_to": list(main_to or []),
        "cc": list(cc or []),
        "secrecy": secrecy,
        "urgency": urgency,
        "countersigners": leaders,
    }
    fields = {k: v for k, v in fields.items() if v not in (None, [])}
    files: list[tuple[Path, str]] = []
    file_fields: dict[str, object] = {}
    if body is not None:
        files.append((body, "正文" + (body.suffix or ".md")))
        file_fields["body"] = files[-1][1]
    attachments = []
    for i, path in enumerate(attach or [], 1):
        name = f"附件{i}{path.suffix}"
        files.append((path, name))
        attachments.append({"title": path.stem, "file": name})
    if attachments:
        file_fields["attachments"] = attachments
    change = create(
        store,
        kinds()["outgoing"],
        fields,
        actor,
        files=files,
        file_fields=file_fields,
        no_commit=no_commit,
    )
    done = f"commit {change.commit[:10]}" if change.commit else "staged, not committed"
    console.print(f"{change.rid}: drafted 《{title}》 ({change.path}; {done})", markup=False)

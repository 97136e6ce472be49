"""`oa seal …`: the seal register, seal-use and 介绍信 requests, the 用印登记簿."""

from __future__ import annotations

from datetime import date
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
    parse_day,
    parse_formats,
    print_json,
    store_from,
)

app = typer.Typer(
    help="Seals and letters of introduction (印信): register, requests, 用印登记簿.",
    no_args_is_help=True,
)


def _day(value: str | None, option: str) -> date | None:
    return None if value is None else parse_day(value, option)


@app.command("register")
def register_cmd(
    ctx: typer.Context, root: Path | None = RootOption, as_json: bool = JsonOption
) -> None:
    """The seal register: custodian, deputy, supervising leader, who holds each seal now."""
    from oa.core.identity import now
    from oa.kinds.seal import register_status

    store = store_from(ctx, root)
    at = now(store)
    items = register_status(store, at)
    office = store.office
    if as_json:
        print_json(
            [
                {
                    "seal": s.seal,
                    "name": s.name,
                    "custodian": s.custodian,
                    "deputy": s.deputy,
                    "leader": s.leader,
                    "holder": s.holder,
                    "handovers": [h.model_dump(mode="json", by_alias=True) for h in s.handovers],
                }
                for s in items
            ]
        )
        return
    table = Table("印章", "名称", "保管人", "代管人", "分管领导", "现持有人", "交接（代管期间）")
    for s in items:
        periods = "; ".join(
            f"{h.start:%m-%d %H:%M}–{h.until:%m-%d %H:%M} {office.display(h.to)}"
            for h in s.handovers
        )
        table.add_row(
            s.seal, s.name, office.display(s.custodian), office.display(s.deputy),
            office.display(s.leader), office.display(s.holder), periods,
        )  # fmt: skip
    console.print(table)


@app.command("request")
def request(
    ctx: typer.Context,
    root: Path | None = RootOption,
    seal: str = typer.Option(..., "--seal", help="Seal id in the register (oa seal register)."),
    purpose: str = typer.Option(..., "--purpose", help="用途/事由."),
    title: str | None = typer.Option(None, "--title", help="标题 (default: the purpose)."),
    copies: int = typer.Option(1, "--copies", help="份数."),
    document: str | None = typer.Option(
        None, "--document", help="Linked record, e.g. OUT-2026-0024."
    ),
    letter: bool = typer.Option(False, "--letter", help="A 介绍信 rather than a stamp."),
    recipient: str | None = typer.Option(None, "--to", help="介绍信: 致 (the receiving unit)."),
    bearer: list[str] = typer.Option(None, "--bearer", help="介绍信: 持信人 (repeat)."),
    valid_until: str | None = typer.Option(
        None, "--valid-until", help="介绍信: 有效期至 YYYY-MM-DD."
    ),
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """Ask to use a seal or to issue a 介绍信 (S-OPS-SEAL-1); a leader approves it next."""
    from oa.core.engine import create
    from oa.core.identity import resolve
    from oa.core.registry import kinds

    store = store_from(ctx, root)
    actor = resolve(store, as_person)
    use = "介绍信" if letter else "用印"
    fields: dict[str, Any] = {
        "title": title or f"{use}：{purpose}",
        "use": use,
        "seal": seal,
        "purpose": purpose,
        "document": document,
        "copies": copies,
        "requester": actor.person,
        "department": store.office.people[actor.person].department,
        "recipient": recipient,
        "bearers": list(bearer or []) or None,
        "valid_until": _day(valid_until, "--valid-until"),
    }
    fields = {k: v for k, v in fields.items() if v is not None}
    change = create(store, kinds()["seal"], fields, actor, no_commit=no_commit)
    done = f"commit {change.commit[:10]}" if change.commit else "staged, not committed"
    console.print(f"{change.rid}: {use} requested ({change.path}; {done})", markup=False)


@app.command("letter")
def letter(
    ctx: typer.Context,
    rid: str = typer.Argument(..., metavar="ID"),
    root: Path | None = RootOption,
    out: Path = typer.Option(Path("."), "--out", help="Folder for the .docx."),
) -> None:
    """An issued 介绍信 with its 存根 (stub), as .docx ready to print."""
    from oa.render.letter import render_letter_docx

    store = store_from(ctx, root)
    console.print(str(render_letter_docx(store, rid, out)), markup=False)


@app.command("book")
def book(
    ctx: typer.Context,
    root: Path | None = RootOption,
    seal: str | None = typer.Option(None, "--seal", help="Only this seal."),
    start: str | None = typer.Option(None, "--from", help="First day YYYY-MM-DD."),
    end: str | None = typer.Option(None, "--to", help="Last day YYYY-MM-DD."),
    out: Path | None = typer.Option(
        None, "--out", help="Also write the 用印登记簿 into this folder."
    ),
    formats: str = typer.Option("xlsx,docx", "--format", help="xlsx, docx or both (with --out)."),
    as_json: bool = JsonOption,
) -> None:
    """The 用印登记簿 (S-OPS-SEAL-3): every recorded use, by seal and period."""
    from oa.kinds.seal import seal_book
    from oa.render.sealbook import render_book

    store = store_from(ctx, root)
    first, last = _day(start, "--from"), _day(end, "--to")
    wanted = parse_formats(formats, ["xlsx", "docx"])
    rows = seal_book(store, seal, first, last)
    if as_json:
        print_json([r.as_dict() for r in rows])
    else:
        table = Table(
            "记录", "用印时间", "印章", "类别", "事由", "份数", "经办人", "批准人", "登记人", "编号"
        )
        for r in rows:
            table.add_row(
                r.rid, f"{r.used_at:%Y-%m-%d %H:%M}", r.seal, r.use, r.purpose, str(r.copies),
                r.requester, r.approval, r.keeper, r.letter,
            )  # fmt: skip
        console.print(table)
        console.print(f"{len(rows)} use(s)", markup=False)
    if out is not None:
        for path in render_book(store, out, wanted, seal, first, last):
            (console if not as_json else _Quiet()).print(str(path), markup=False)


class _Quiet:
    def print(self, *args: Any, **kw: Any) -> None:
        return None

"""`oa archive …`: filing handled documents by DA/T 22-2015, and the 归档文件目录."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from oa.cli.common import (
    AsOption,
    JsonOption,
    NoCommitOption,
    RootOption,
    console,
    parse_formats,
    print_json,
    store_from,
)
from oa.core.errors import OAError

app = typer.Typer(help="Archiving (归档) by DA/T 22-2015.", no_args_is_help=True)


@app.command("pending")
def pending_cmd(
    ctx: typer.Context,
    root: Path | None = RootOption,
    as_json: bool = JsonOption,
) -> None:
    """Documents handled and waiting to be filed."""
    from oa.core.archive import pending

    store = store_from(ctx, root)
    rows = pending(store)
    if as_json:
        print_json([r.as_dict() for r in rows])
        return
    table = Table()
    for col in ("ID", "kind", "number", "title", "since"):
        table.add_column(col)
    for r in rows:
        table.add_row(r.rid, r.kind, r.summary, r.title, r.day)
    console.print(table)
    console.print(f"{len(rows)} document(s) waiting to be filed", markup=False)


@app.command("file")
def file_cmd(
    ctx: typer.Context,
    ids: list[str] = typer.Argument(None, metavar="[ID]...", help="Records to file."),
    root: Path | None = RootOption,
    every: bool = typer.Option(False, "--all", help="File every document waiting to be filed."),
    retention: str | None = typer.Option(
        None, "--retention", help="保管期限: Y (永久), D30 or D10; default: the kind's setting."
    ),
    pages: int | None = typer.Option(None, "--pages", help="页数, when the record lacks it."),
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """File documents (归档): one 件 each, with its 档号 and 归档章; each filing is a commit."""
    from oa.core.archive import filing_action, pending
    from oa.core.engine import advance
    from oa.core.identity import resolve
    from oa.core.registry import kinds

    store = store_from(ctx, root)
    actor = resolve(store, as_person)
    targets = [r.rid for r in pending(store)] if every else list(ids or [])
    if not targets:
        raise OAError("OA005", "name the records to file, or give --all")
    for rid in targets:
        action = filing_action(store, rid)
        ld = store.get_valid(rid)
        assert ld.record is not None and ld.data is not None
        kind = kinds()[ld.record.kind]
        sets: dict[str, object] = {}
        chosen = retention or (
            kind.default_retention(store, ld.data) if kind.default_retention else None
        )
        if chosen:
            sets["retention"] = chosen
        if pages is not None:
            sets["pages"] = pages
        change = advance(store, rid, action, actor, sets=sets, no_commit=no_commit)
        done = f"commit {change.commit[:10]}" if change.commit else "staged, not committed"
        console.print(f"{rid}: filed as {change.entry['archive_code']} ({done})", markup=False)


@app.command("catalog")
def catalog_cmd(
    ctx: typer.Context,
    root: Path | None = RootOption,
    year: int = typer.Option(..., "--year", help="年度."),
    out: Path = typer.Option(Path("."), "--out", help="Folder for the papers."),
    formats: str = typer.Option("xlsx,docx", "--format", help="xlsx, docx or both."),
    as_json: bool = JsonOption,
) -> None:
    """The 归档文件目录 of a year, as .xlsx and .docx (and on screen)."""
    from oa.core.archive import RETENTION_LABELS, catalog

    store = store_from(ctx, root)
    rows = catalog(store, year)
    if as_json:
        print_json([r.__dict__ for r in rows])
        return
    table = Table(title=f"{year}年度 归档文件目录", title_justify="left")
    for col in ("档号", "文号", "责任者", "题名", "日期", "密级", "页数", "保管期限"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r.code,
            r.number,
            r.author,
            r.title,
            r.day.strftime("%Y%m%d"),
            r.secrecy,
            str(r.pages or ""),
            RETENTION_LABELS[r.retention],
        )
    console.print(table)
    wanted = parse_formats(formats, ("xlsx", "docx"))
    from oa.render.catalog import render_catalog_docx, render_catalog_xlsx

    render = {"xlsx": render_catalog_xlsx, "docx": render_catalog_docx}
    out.mkdir(parents=True, exist_ok=True)
    for name in wanted:
        console.print(str(render[name](store, year, out)), markup=False)

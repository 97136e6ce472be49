"""Merging branches that changed the same record: the git merge driver and `oa resolve` (S-GEN-2:
both branches' steps survive the merge, each with who took it and when)."""

from __future__ import annotations

from pathlib import Path

import typer

from oa.cli.common import RootOption, console, store_from


def merge_driver(
    base: Path = typer.Argument(..., metavar="BASE", help="git's %O: the common ancestor."),
    ours: Path = typer.Argument(..., metavar="OURS", help="git's %A: ours; the result goes here."),
    theirs: Path = typer.Argument(..., metavar="THEIRS", help="git's %B: the other branch."),
    path: str = typer.Argument(..., metavar="PATH", help="git's %P: the record's path."),
) -> None:
    """Git merge driver for records: both histories in time order (exit 1 on a real conflict).

    Set up by `oa init`; in another clone: git config merge.oa-records.driver
    "oa merge-driver %O %A %B %P" (.gitattributes names the record files).
    """
    from oa.core.merge import drive

    result = drive(base, ours, theirs, path)
    extra = f", {result.entries} history entr{'y' if result.entries == 1 else 'ies'}"
    taken = f"; fields {', '.join(result.fields)}" if result.fields else ""
    console.print(f"oa: merged {path} (from the other branch{extra}{taken})", markup=False)


def resolve(
    ctx: typer.Context,
    root: Path | None = RootOption,
    rid: str = typer.Argument(..., metavar="ID", help="The record left in conflict by git merge."),
) -> None:
    """Rebuild a record in merge conflict with both histories in time order, check it, git add it.

    The merge itself is left for you to commit (git commit --no-edit).
    """
    from oa.core.merge import resolve as run

    store = store_from(ctx, root)
    rel, result = run(store, rid)
    console.print(
        f"{rid}: merged both branches ({result.entries} history entr"
        f"{'y' if result.entries == 1 else 'ies'} from theirs"
        + (f"; fields {', '.join(result.fields)}" if result.fields else "")
        + f"); checked and staged {rel} — finish with git commit",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    app.command("merge-driver")(merge_driver)
    app.command()(resolve)

"""What every command shares: finding the store, printing, JSON, and the --as / --no-commit options."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from oa.core.errors import Finding, OAError

if TYPE_CHECKING:  # the store pulls in pydantic and YAML: only commands that need it load it
    from oa.core.store import Store

# piped output is read by people too (and by grep): do not squeeze tables to 80 columns
console = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 200)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

AsOption = typer.Option(
    None,
    "--as",
    help="Act as this person (id, name or e-mail); default OA_USER, then git user.email.",
)
NoCommitOption = typer.Option(
    False, "--no-commit", help="Write and stage the change, but do not commit it."
)
JsonOption = typer.Option(False, "--json", help="Print JSON instead of a table.")
RootOption = typer.Option(
    None, "--root", help="The records repository (default: walk up from here to oa.yaml)."
)


def store_from(ctx: typer.Context, root: Path | None = None) -> Store:
    """The store at --root (given to the command or to `oa`), else found from the working dir."""
    from oa.core.store import Store

    return Store(root_from(ctx, root))


def root_from(ctx: typer.Context, root: Path | None = None) -> Path:
    """The records root at --root, else found from the working dir — without the store."""
    from oa.core.locate import find_root, given_root

    if root is None:
        root = (ctx.find_root().obj or {}).get("root")
    if root is not None:
        return given_root(root)
    return find_root(Path.cwd())


def parse_day(value: str, option: str) -> date:
    """A date option, or OA005 naming the option."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise OAError("OA005", f"{option} expects a date YYYY-MM-DD, got {value!r}") from None


def warn_left_out(store: Store) -> None:
    """On stderr, so that piped output stays clean: what a listing could not include."""
    from oa.core.query import unreadable

    bad = unreadable(store)
    if bad:
        shown = ", ".join(bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
        sys.stderr.write(
            f"oa: OA010 [warning] {len(bad)} record file{'s' if len(bad) > 1 else ''} left out, "
            f"as {'they do' if len(bad) > 1 else 'it does'} not load cleanly (oa validate shows "
            f"why): {shown}\n"
        )


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def print_findings(findings: list[Finding]) -> None:
    for f in findings:
        console.print(f.format(), markup=False)


def parse_formats(given: str, known: Iterable[str]) -> list[str]:
    """`--format html,docx` → the chosen names, each one known."""
    names = list(known)
    wanted = [f.strip() for f in given.split(",") if f.strip()]
    if not wanted or any(f not in names for f in wanted):
        raise OAError("OA005", f"--format takes {', '.join(names)}; got {given!r}")
    return wanted

"""The `oa` command: a thin typer layer over `oa.core` and `oa.kinds`."""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from functools import cache
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from oa.cli.common import JsonOption, RootOption, console, print_findings, print_json, store_from
from oa.core.errors import EXIT_FINDINGS, OAError


class _Guarded(TyperGroup):
    """Turns OAError into `path:line: CODE message` on stderr and its exit status, and any
    unexpected exception into a one-line OA099 report instead of a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return self._invoke(ctx)
        finally:
            index = sys.modules.get("oa.core.index")  # (not imported: nothing to wait for)
            if index is not None:
                index.wait_for_saves()  # the index a cold build writes aside, written

    def _invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except OAError as exc:
            sys.stderr.write(exc.format() + "\n")
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort):
            raise
        except OSError as exc:  # the file system refused (full, read-only, a name too long)
            sys.stderr.write(f"oa: OA007 {exc.strerror or exc}: {exc.filename or ''}\n")
            raise typer.Exit(2) from None
        except Exception as exc:
            if any(c.__name__ == "UsageError" for c in type(exc).__mro__):
                # the command line itself is wrong: coded like every other error
                sys.stderr.write(f"oa: OA005 {exc.format_message()}\n")  # type: ignore[attr-defined]
                ctx_info = getattr(exc, "ctx", None)
                if ctx_info is not None:
                    sys.stderr.write(f"Try '{ctx_info.command_path} --help' for help.\n")
                raise typer.Exit(2) from None
            if hasattr(exc, "exit_code"):  # the CLI framework's other signals
                raise
            if os.environ.get("OA_DEBUG"):
                traceback.print_exc()
            sys.stderr.write(
                f"oa: OA099 internal error: {type(exc).__name__}: {exc} "
                "(please report it; OA_DEBUG=1 shows the traceback)\n"
            )
            raise typer.Exit(3) from None


#: the modules that add commands to `oa` and the top-level names each adds: a command asked by
#: name imports its module only (the ten of them took 0.04 s to import)
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "doc": ("doc",),
    "archive": ("archive",),
    "room": ("room",),
    "meeting": ("meeting",),
    "seal": ("seal",),
    "buy": ("buy",),
    "car": ("car",),
    "records": ("status", "show", "list", "todo", "advance", "log", "workflow"),
    "merge": ("merge-driver", "resolve"),
    "affairs": ("plan", "supervise", "duty", "mail"),
}


def _made(modules: list[str]) -> typer.Typer:
    """`oa` with the commands of these modules and its own."""
    made = typer.Typer(
        name="oa",
        cls=_Guarded,
        help="Office administration as YAML records in git: documents, workflows, checks and audit.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    made.callback()(_global)
    for name in modules:
        module = importlib.import_module(f"oa.cli.{name}")
        if hasattr(module, "register"):
            module.register(made)
        else:
            made.add_typer(module.app, name=name)
    for command in (init, validate, audit, schema):
        made.command()(command)
    return made


@cache
def whole_app() -> typer.Typer:
    """`oa` with every command."""
    return _made(list(COMMAND_MODULES))


def __getattr__(name: str) -> Any:
    if name == "app":  # `from oa.cli.app import app`: the whole app, made when first asked
        return whole_app()
    raise AttributeError(name)


def _global(
    ctx: typer.Context,
    root: Path | None = RootOption,
) -> None:
    ctx.obj = {"root": root}


def init(
    path: Path = typer.Argument(..., help="Directory for the new records repository."),
    demo: bool = typer.Option(False, "--demo", help="Copy the demo office 浏阳市机关后勤服务中心."),
    name: str = typer.Option("某某机关事务服务中心", "--name", help="The office's full name."),
    short_name: str = typer.Option(
        "某事务", "--short-name", help="简称, the stem of 发文机关代字."
    ),
) -> None:
    """Make a new records repository: oa.yaml, workflows, schema, .gitignore, first commit."""
    from oa.core.init import init_repository

    created = init_repository(path, demo=demo, name=name, short_name=short_name)
    console.print(
        f"Initialised {created.root} ({created.records} records); commit {created.commit[:10]}"
    )


def validate(
    ctx: typer.Context,
    root: Path | None = RootOption,
    paths: list[Path] = typer.Argument(
        None, help="Only report findings in these files or folders."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Check every record: syntax, schema, references, invariants (exit 1 on findings)."""
    from oa.core.validate import validate as run

    store = store_from(ctx, root)
    report = run(store, [p if p.is_absolute() else Path.cwd() / p for p in paths or []])
    if as_json:
        print_json({"checked": report.checked, "findings": [f.as_dict() for f in report.findings]})
    else:
        print_findings(report.findings)
        n = len(report.errors)
        console.print(
            f"{report.checked} records checked: "
            + (
                "no findings"
                if not report.findings
                else f"{n} error(s), {len(report.findings) - n} warning(s)"
            ),
            markup=False,
        )
    if report.errors:
        raise typer.Exit(EXIT_FINDINGS)


def audit(
    ctx: typer.Context,
    root: Path | None = RootOption,
    rev_range: str | None = typer.Option(
        None, "--range", help="Commits to check, e.g. origin/main..HEAD (default: all history)."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Check the git history: append-only history, actors match committers, nothing deleted."""
    from oa.core.audit import audit as run

    report = run(store_from(ctx, root), rev_range)
    if as_json:
        print_json({"checked": report.checked, "findings": [f.as_dict() for f in report.findings]})
    else:
        print_findings(report.findings)
        console.print(
            f"{report.checked} record changes audited: "
            + (f"{len(report.findings)} finding(s)" if report.findings else "no findings"),
            markup=False,
        )
    if report.errors:
        raise typer.Exit(EXIT_FINDINGS)


def schema(
    ctx: typer.Context,
    root: Path | None = RootOption,
    out: Path | None = typer.Option(None, "--out", help="Folder (default: <root>/schema)."),
) -> None:
    """Write JSON Schema for each record kind, oa.yaml and workflow files."""
    from oa.core.schema import schemas, write_schemas
    from oa.core.yamlio import atomic_write

    if out is not None:
        import json

        for name, sch in schemas().items():
            atomic_write(
                out / f"{name}.schema.json",
                json.dumps(sch, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            )
            console.print(str(out / f"{name}.schema.json"), markup=False)
        return
    store = store_from(ctx, root)
    for path in write_schemas(store.root):
        console.print(store.rel(path), markup=False)


def _command_asked(args: list[str]) -> str | None:
    """The top-level command the arguments name, if `oa`'s own options come first."""
    at = 0
    while at < len(args):
        arg = args[at]
        if arg == "--root":
            at += 2
        elif arg.startswith("--root="):
            at += 1
        elif arg.startswith("-"):
            return None
        else:
            return arg
    return None


def app_for(args: list[str]) -> typer.Typer:
    """The app with just the command asked for: typer builds every command's parameters
    before it runs one (80 of them, 0.07 s), so a command asked by name gets an app that holds
    only it, made of only its module. `oa`, `oa --help` and a name that is no command get the
    whole app and its messages."""
    asked = _command_asked(args)
    module = next((m for m, names in COMMAND_MODULES.items() if asked in names), None)
    made = _made([] if module is None else [module])
    commands = [
        c
        for c in made.registered_commands
        if c.callback is not None
        and (c.name or typer.main.get_command_name(c.callback.__name__)) == asked
    ]
    groups = [g for g in made.registered_groups if g.name == asked]
    if not commands and not groups:
        return whole_app()
    made.registered_commands = commands
    made.registered_groups = groups
    return made


def main() -> None:
    app_for(sys.argv[1:])()

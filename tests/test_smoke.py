from tests.conftest import DEMO_RECORDS, Office, run_oa


def test_demo_validates(office: Office) -> None:
    res = office.ok("validate")
    assert f"{DEMO_RECORDS} records checked: no findings" in res.stdout


def test_subprocess_runs(office: Office) -> None:
    proc = run_oa("list", "--state", "proof", cwd=office.root)
    assert proc.returncode == 0, proc.stderr
    assert "OUT-2026-0015" in proc.stdout


def _imported_by(office: Office, argv: list[str], prefixes: tuple[str, ...]) -> list[str]:
    """The modules under these prefixes that `oa ARGV` imports, run in a fresh interpreter."""
    import json
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from oa.cli.app import main\n"
        f"sys.argv = ['oa', '--root', sys.argv[1], *{argv!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "import json\n"
        f"names = sorted(m for m in sys.modules if m.startswith({prefixes!r}))\n"
        "print(json.dumps(names), file=sys.stderr)\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", script, str(office.root)], capture_output=True, text=True
    )
    assert res.returncode == 0, res.stderr
    return list(json.loads(res.stderr.strip().splitlines()[-1]))


def test_showing_one_record_imports_only_its_kind(office: Office) -> None:
    """`oa show` starts in a few tenths of a second: of the kinds, only the record's own module
    (and what it uses: a meeting's rooms) is imported."""
    imported = _imported_by(office, ["show", "MTG-2026-0001"], ("oa.kinds.",))
    assert "oa.kinds.meeting" in imported
    assert "oa.kinds.outgoing" not in imported and "oa.kinds.trip" not in imported


def test_a_command_asked_by_name_runs_in_an_app_of_its_own() -> None:
    """`oa NAME …` builds only NAME (typer would build all 80 commands first); its help, and
    what the whole app answers to `oa`, `--help` and a misspelt name, are as before."""
    from typer.main import get_command_name
    from typer.testing import CliRunner

    from oa.cli.app import app, app_for

    runner = CliRunner()
    names = [g.name for g in app.registered_groups] + [
        c.name or get_command_name(c.callback.__name__)
        for c in app.registered_commands
        if c.callback is not None
    ]
    assert "doc" in names and "log" in names and "validate" in names
    for name in names:
        for argv in ([name, "--help"], ["--root", "/nowhere", name, "--help"]):
            slim = app_for(argv)
            assert slim is not app
            assert len(slim.registered_commands) + len(slim.registered_groups) == 1
            asked = runner.invoke(slim, argv)
            whole = runner.invoke(app, argv)
            assert (asked.exit_code, asked.output) == (whole.exit_code, whole.output), name
    for argv in ([], ["--help"], ["lgo", "X"], ["--root=/nowhere", "--help"]):
        assert app_for(argv) is app
    assert app_for(["--root=/nowhere", "show", "X"]) is not app
    res = runner.invoke(app_for(["lgo"]), ["lgo"])
    assert res.exit_code == 2 and "Did you mean 'log'?" in res.output


def test_each_command_module_adds_the_names_the_table_gives_it() -> None:
    """`oa NAME` imports only the module COMMAND_MODULES names for NAME: a module adding a
    command the table misses would leave it to the whole app (right, but slow)."""
    from typer.main import get_command_name

    from oa.cli.app import COMMAND_MODULES, _made

    own = {c.callback.__name__ for c in _made([]).registered_commands if c.callback is not None}
    for module, names in COMMAND_MODULES.items():
        made = _made([module])
        added = [g.name for g in made.registered_groups] + [
            c.name or get_command_name(c.callback.__name__)
            for c in made.registered_commands
            if c.callback is not None and c.callback.__name__ not in own
        ]
        assert sorted(added) == sorted(names), module


def test_a_log_imports_no_kind_and_no_store(office: Office) -> None:
    """`oa log` reads git only: neither the store nor any kind is imported (0.14 s)."""
    assert _imported_by(office, ["log", "OUT-2026-0001"], ("oa.kinds", "oa.core.store")) == []

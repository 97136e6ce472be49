from tests.conftest import DEMO_RECORDS, Office, run_oa


def test_demo_validates(office: Office) -> None:
    res = office.ok("validate")
    assert f"{DEMO_RECORDS} records checked: no findings" in res.stdout


def test_subprocess_runs(office: Office) -> None:
    proc = run_oa("list", "--state", "proof", cwd=office.root)
    assert proc.returncode == 0, proc.stderr
    assert "OUT-2026-0015" in proc.stdout


def test_showing_one_record_imports_only_its_kind(office: Office) -> None:
    """`oa show` starts in a few tenths of a second: of the kinds, only the record's own module
    (and what it uses: a meeting's rooms) is imported."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from oa.cli.app import main\n"
        "sys.argv = ['oa', '--root', sys.argv[1], 'show', 'MTG-2026-0001']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print(sorted(m for m in sys.modules if m.startswith('oa.kinds.')), file=sys.stderr)\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", script, str(office.root)], capture_output=True, text=True
    )
    assert res.returncode == 0, res.stderr
    imported = res.stderr.strip().splitlines()[-1]
    assert "oa.kinds.meeting" in imported
    assert "oa.kinds.outgoing" not in imported and "oa.kinds.trip" not in imported

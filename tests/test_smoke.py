from tests.conftest import DEMO_RECORDS, Office, run_oa


def test_demo_validates(office: Office) -> None:
    res = office.ok("validate")
    assert f"{DEMO_RECORDS} records checked: no findings" in res.stdout


def test_subprocess_runs(office: Office) -> None:
    proc = run_oa("list", "--state", "proof", cwd=office.root)
    assert proc.returncode == 0, proc.stderr
    assert "OUT-2026-0015" in proc.stdout

"""The benchmark's synthetic offices (bench/generate.py) are offices oa accepts: every record
valid, every commit audited clean, and every file exactly as oa's own writer lays it out."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from oa.core import yamlio
from tests.conftest import PROJECT, run_oa

RECORDS = 300
COMMITS = 30
#: bench/generate.py's SHARES for 300 records (each at least one, rounded half to even);
#: outgoing and incoming share the other 253 records 70:30
KINDS = {
    "mail": 14,  # 4.5%
    "duty": 8,  # 2.5%
    "booking": 6,  # 2%
    "seal": 6,  # 2%
    "trip": 4,  # 1.2%
    "supervision": 3,  # 1%
    "handover": 2,  # 0.8%
    "meeting": 2,  # 0.5%
    "purchase": 1,  # 0.3%
    "arrangement": 1,  # 0.2%
    "incoming": 76,
    "outgoing": 177,
}


def _generate(out: Path) -> dict[str, object]:
    subprocess.run(
        [
            sys.executable,
            str(PROJECT / "bench" / "generate.py"),
            str(out),
            "--records",
            str(RECORDS),
            "--commits",
            str(COMMITS),
        ],
        check=True,
        capture_output=True,
    )
    meta: dict[str, object] = json.loads((out / ".oa-bench.json").read_text(encoding="utf-8"))
    return meta


def test_generated_office_validates_and_audits_clean(tmp_path: Path) -> None:
    out = tmp_path / "office"
    meta = _generate(out)
    # the office as of the day it was generated: mail registered that day is not yet late
    office_now = {"OA_NOW": str(meta["now"])}

    res = run_oa("validate", "--json", cwd=out, env=office_now)
    assert res.returncode == 0, res.stdout + res.stderr
    assert json.loads(res.stdout) == {"checked": RECORDS, "findings": []}

    res = run_oa("audit", "--json", cwd=out, env=office_now)
    assert res.returncode == 0, res.stdout + res.stderr
    assert json.loads(res.stdout)["findings"] == []

    res = run_oa("list", "--json", cwd=out, env=office_now)
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    assert len(rows) == RECORDS
    kinds = Counter(r["kind"] for r in rows)
    assert kinds == KINDS == meta["kinds"]
    states = {(r["kind"], r["state"]) for r in rows}
    for state in ("draft", "review", "leader_sign", "numbering", "proof_check", "filing"):
        assert ("outgoing", state) in states
    for state in ("registered", "proposed", "handling", "circulating", "filing"):
        assert ("incoming", state) in states

    # an oa init commit, the import, then one commit per step
    log = subprocess.run(
        ["git", "log", "--format=%s%x1f%ae%x1f%(trailers:key=OA-Actor,valueonly)"],
        cwd=out,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    commits = [line.split("\x1f") for line in log.splitlines() if line]
    assert len(commits) == COMMITS + 2 == meta["commits"]
    office = yamlio.load_mapping((out / "oa.yaml").read_bytes(), "oa.yaml")
    emails = {p["email"] for p in office["people"].values()}
    for subject, email, actor in commits[:COMMITS]:
        assert re.fullmatch(r"[A-Z]+-\d{4}-\d{4}", subject.split(": ")[0]), subject
        assert email in emails
        assert actor.strip() in office["people"]


def test_generated_records_are_what_oa_writes(tmp_path: Path) -> None:
    """Each file is byte for byte what ruamel.yaml (oa's writer) makes of it."""
    out = tmp_path / "office"
    _generate(out)
    files = sorted(out.glob("*/[0-9][0-9][0-9][0-9]/*.yaml"))
    assert len(files) == RECORDS
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert yamlio.dump_roundtrip(yamlio.load_roundtrip(text)) == text, path.name


def test_loader_comparison_runs_and_every_loader_agrees() -> None:
    """bench/loaders.py (the measurement behind the bulk loader's choice) on the demo records."""
    res = subprocess.run(
        [sys.executable, str(PROJECT / "bench" / "loaders.py"), str(PROJECT / "records")],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = [line for line in res.stdout.splitlines() if line.startswith("| oa ")]
    assert len(rows) == 2 and all("| every file |" in row for row in rows), res.stdout

"""The benchmark's synthetic offices (bench/generate.py) are offices oa accepts: every record
valid, every commit audited clean, and every file exactly as oa's own writer lays it out."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from oa.core import yamlio
from tests.conftest import PROJECT, run_oa

RECORDS = 300
COMMITS = 30


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

    res = run_oa("validate", "--json", cwd=out)
    assert res.returncode == 0, res.stdout + res.stderr
    assert json.loads(res.stdout) == {"checked": RECORDS, "findings": []}

    res = run_oa("audit", "--json", cwd=out)
    assert res.returncode == 0, res.stdout + res.stderr
    assert json.loads(res.stdout)["findings"] == []

    res = run_oa("list", "--json", cwd=out)
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    assert len(rows) == RECORDS
    kinds = Counter(r["kind"] for r in rows)
    assert kinds == {"outgoing": 210, "incoming": 90}
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
        assert subject.split(": ")[0].startswith(("OUT-", "IN-"))
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

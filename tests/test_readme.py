"""The README's tour runs as written, so the docs cannot rot (as Doorstop does for its tutorial)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import DEMO_RECORDS, PROJECT


def _tour() -> str:
    text = (PROJECT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- tour:[^>]*-->\n```sh\n(.*?)```", text, re.S)
    assert m, "README.md has lost its tour block"
    return m.group(1)


def test_readme_tour_runs(tmp_path: Path) -> None:
    script = "set -euo pipefail\n" + _tour()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = proc.stdout
    assert "浏后勤字〔2026〕4号" in out
    assert "关于商请协助做好停车场管理的函" in out
    # + the new draft and the minutes drafted from a meeting
    assert f"{DEMO_RECORDS + 2} records checked: no findings" in out
    assert "IN-2026-0006" in out  # the citizen's letter, overdue since 2026-11-25
    assert "IN-2026-0008" in out  # read by every leader, waiting to be filed
    assert "2 of 4 units still unreached" in out  # S-MTG-3: the notice register
    assert "MTG-2026-0007-pack.docx" in out and "seal-book-GZ-20261101-to20261130.xlsx" in out
    assert "采购登记台账" in out and "CAR-2026-0005" in out
    assert "release date 2026-11-27" in out and "duty-roster-2026-国庆节.ics" in out
    assert "no findings" in out.splitlines()[-1]


def test_readme_setup_commands_match_ci() -> None:
    """`.ci/run` runs exactly the README's two set-up commands."""
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    ci = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
    install, tests = blocks[0].strip(), blocks[1].strip()
    assert install in ci.splitlines() and tests in ci.splitlines()

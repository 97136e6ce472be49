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
    assert f"{DEMO_RECORDS + 1} records checked: no findings" in out
    assert "IN-2026-0006" in out  # the citizen's letter, overdue since 2026-11-25
    assert "IN-2026-0008" in out  # read by every leader, waiting to be filed
    assert "no findings" in out.splitlines()[-1]


def test_readme_setup_commands_match_ci() -> None:
    """`.ci/run` runs exactly the README's two set-up commands."""
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    ci = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
    install, tests = blocks[0].strip(), blocks[1].strip()
    assert install in ci.splitlines() and tests in ci.splitlines()

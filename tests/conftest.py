"""Shared fixtures: a demo office in a temporary git repository, and a CLI runner for it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oa.cli.app import app, app_for

PROJECT = Path(__file__).resolve().parents[1]
DEMO = PROJECT / "records"
CLERK_EMAIL = "wangfang@lyjghq.gov.cn"  # 王芳, 办公室
#: how many records the demo office holds (every kind's <kind>/<year>/<ID>.yaml)
DEMO_RECORDS = len(list(DEMO.glob("*/[0-9][0-9][0-9][0-9]/*.yaml")))

#: git and oa settings that make every test repository behave the same on any machine
BASE_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "王芳",
    "GIT_AUTHOR_EMAIL": CLERK_EMAIL,
    "GIT_COMMITTER_NAME": "王芳",
    "GIT_COMMITTER_EMAIL": CLERK_EMAIL,
    "OA_NOW": "2026-11-30T09:00:00+08:00",
    "OA_LOCK_TIMEOUT": "10",
}


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("OA_USER", "OA_DEBUG", "OA_NOW"):
        monkeypatch.delenv(key, raising=False)
    for key, value in BASE_ENV.items():
        monkeypatch.setenv(key, value)


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


class Office:
    """A records repository under test, driven through the real CLI."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.runner = CliRunner()

    def oa(self, *args: str, env: dict[str, str] | None = None) -> Result:
        argv = ["--root", str(self.root), *args]
        res = self.runner.invoke(app_for(argv), argv, env=env)  # the app `oa` itself runs
        if res.exception and not isinstance(res.exception, SystemExit):
            raise res.exception
        return Result(res.exit_code, res.stdout, res.stderr)

    def ok(self, *args: str, env: dict[str, str] | None = None) -> Result:
        res = self.oa(*args, env=env)
        assert res.exit_code == 0, f"oa {' '.join(args)} failed:\n{res.output}"
        return res

    def git(self, *args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=self.root, capture_output=True, text=True, check=True
        ).stdout

    def path(self, rid: str) -> Path:
        from oa.core.store import parse_id

        kind, year = parse_id(rid)
        return self.root / kind.name / str(year) / f"{rid}.yaml"

    def read(self, rid: str) -> str:
        return self.path(rid).read_text(encoding="utf-8")

    def snapshot(self) -> dict[str, bytes]:
        """Every file's bytes (except .git and .oa), to prove a refused command changed nothing."""
        out: dict[str, bytes] = {}
        for p in sorted(self.root.rglob("*")):
            rel = p.relative_to(self.root).as_posix()
            if p.is_file() and not rel.startswith((".git/", ".oa/")):
                out[rel] = p.read_bytes()
        return out

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    """A fresh copy of the demo office, initialised as its own git repository by `oa init --demo`."""
    root = tmp_path / "office"
    res = CliRunner().invoke(app, ["init", str(root), "--demo"])
    assert res.exit_code == 0, res.output
    yield Office(root)


def _record_folders(folder: str, names: list[str]) -> set[str]:
    """At the top of the demo: every kind's records folder (and the index), for an office with
    its configuration only."""
    from oa.core.registry import kinds

    top = Path(folder) == DEMO
    return {n for n in names if n in kinds() or n in (".oa", ".git")} if top else set()


NO_RECORDS = _record_folders


def only_records_of(*keep: str) -> Callable[[str, list[str]], set[str]]:
    """A copytree ignore for the demo that keeps the records of these kinds only."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        return _record_folders(folder, names) - set(keep)

    return ignore


#: how many records the demo office holds, every kind's (tests that count them follow the demo)
DEMO_RECORDS = sum(1 for _ in DEMO.glob("*/[0-9][0-9][0-9][0-9]/*.yaml"))


@pytest.fixture
def empty_office(tmp_path: Path) -> Office:
    """The demo office's configuration and workflows with no records at all."""
    root = tmp_path / "office"
    shutil.copytree(DEMO, root, ignore=NO_RECORDS)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "start\n\nOA-Import: test"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return Office(root)


def run_oa(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The installed CLI in a subprocess, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "oa", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )

"""Faults: killed commands, concurrent writers, a full disk, a read-only file system, stale locks.

* A CI-sized run of tools/faults.py: 30 SIGKILLs at random points of write-and-commit commands
  (the long run, 200 kills, is `python tools/faults.py --kills 200 --seed 1`; docs/reliability.md).
* Kills at chosen points of the write pipeline (a hook makes oa pause there): before the write,
  with the temp file written, after the write, after the commit; and in a create, after the body
  was copied and after `git add` of the new record. Afterwards the change is wholly present or wholly absent.
* Concurrency: 8 processes numbering 8 documents at once get 1..8 with no gap; 15 processes
  appending history (8 records, 3 会签 on one document, 4 承办 on one incoming document) lose none.
* A full disk or a read-only file system during a write: OA007, nothing changed, nothing left.
* Stale locks: oa's flock dies with its holder; git's `.git/index.lock` left by a killed git.

"""

from __future__ import annotations

import errno
import importlib.util
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from oa.core import engine, locks, yamlio
from tests.conftest import PROJECT, Office, run_oa

DRAFTER = "pengwei"  # 彭伟, 事务一科
LEADERS = ["tangzhiqiang", "zhouhuimin", "lijianguo"]  # the three 主管领导
DIRECTOR = "chenguohua"
NUMBERING = "OUT-2026-0016"  # demo: waiting for 编号 (浏后勤发, 6号 next)
REVIEW = "OUT-2026-0020"  # demo: waiting for 核稿 by the 办公室


def load_tool() -> ModuleType:
    """tools/faults.py, imported as a module (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location("oa_tools_faults", PROJECT / "tools/faults.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def rel(office: Office, rid: str) -> str:
    return office.path(rid).relative_to(office.root).as_posix()


def clean_checks(office: Office) -> None:
    """`oa validate` and `oa audit` find nothing; the record folders have no uncommitted change."""
    for cmd in ("validate", "audit"):
        res = office.oa(cmd)
        assert res.exit_code == 0, res.output
    assert office.git("status", "--porcelain", "--", "outgoing", "incoming") == ""


def no_traceback(output: str) -> None:
    assert "Traceback" not in output and "OA099" not in output, output


# == a CI-sized run of tools/faults.py =========================================================

#: violation kinds the run may report without failing the test (none: every kill is handled)
KNOWN: frozenset[str] = frozenset()


def test_fault_injection_run(tmp_path: Path) -> None:
    """30 kills (fixed seed) across the realistic mix, numbering included: every record parses,
    validation passes, the next command works or gives a coded message, and a final `oa validate`
    and `oa audit` are clean. Violations of the kinds in KNOWN are printed, not failed on: the
    deterministic tests below pin them."""
    faults = load_tool()
    lines: list[str] = []
    report = faults.run(
        30, 20261201, tmp_path / "office", calibrate=2, in_process=True, log=lines.append
    )
    print("\n".join(lines))
    print(report.format())
    assert report.kills == 30
    assert faults.serious(report, KNOWN) == [], report.format()
    landed_late = sum(n for where, n in report.landings.items() if where != "before-write")
    assert landed_late >= 5, report.format()  # the kills reached the write and the commit
    assert report.commands["advance number"] >= 1, report.format()


# == kills at chosen points of the write pipeline ==============================================

#: runs oa with a pause at one point of the pipeline: prints PAUSED on stderr, then sleeps
PAUSE = r"""
import os, sys, time
point = sys.argv.pop(1)
from oa.core import engine, gitops

def pause():
    sys.stderr.write("PAUSED " + point + "\n")
    sys.stderr.flush()
    time.sleep(120)

def before(obj, name, when=lambda *a, **k: True):
    real = getattr(obj, name)
    def wrapped(*a, **k):
        if when(*a, **k):
            pause()
        return real(*a, **k)
    setattr(obj, name, wrapped)

def after(obj, name):
    real = getattr(obj, name)
    def wrapped(*a, **k):
        out = real(*a, **k)
        pause()
        return out
    setattr(obj, name, wrapped)

if point == "checked":  # inside the lock, checks passed, nothing written
    after(engine, "_verify")
elif point == "files-copied":  # a create: body copied into <ID>.files/, record not written
    before(engine, "_verify")
elif point == "temp-written":  # the temp file is written and synced, not yet renamed
    before(os, "replace", lambda src, dst, *a, **k: str(dst).endswith(".yaml"))
elif point == "written":  # the record is in place, committing not started
    before(gitops, "commit")
elif point == "commit-made":  # staged and the commit object made, HEAD not yet moved to it
    before(gitops, "_run", lambda root, args, *a, **k: args[:1] == ("update-ref",))
elif point == "staged":  # a new record: staged (git add), not yet committed
    real_run = gitops._run
    def run(root, args, *a, **k):
        out = real_run(root, args, *a, **k)
        if args[:1] in (("add",), ("update-index",)) and out.returncode == 0:
            pause()
        return out
    gitops._run = run
elif point == "committed":  # the commit is made, oa has not reported it
    after(gitops, "commit")
sys.argv[0] = "oa"
from oa.cli.app import main
main()
"""


def kill_at(office: Office, point: str, *args: str) -> None:
    """Run `oa ARGS` until it pauses at `point`, then SIGKILL it and every process it started."""
    proc = subprocess.Popen(
        [sys.executable, "-c", PAUSE, point, "--root", str(office.root), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert proc.stderr is not None
    try:
        ready, _, _ = select.select([proc.stderr], [], [], 60)
        line = proc.stderr.readline() if ready else ""
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    rest = "" if line.startswith("PAUSED") else proc.stderr.read()
    proc.stderr.close()
    assert line.startswith("PAUSED"), f"oa never reached {point}:\n{line}{rest}"


def the_next_write_works(office: Office) -> None:
    """Another step, in a new process, after a kill: it finishes or undoes the interrupted one
    and is taken."""
    res = run_oa(
        "--root", str(office.root), "advance", REVIEW, "review", "-m", "同意", cwd=office.root
    )
    no_traceback(res.stdout + res.stderr)
    assert res.returncode == 0, res.stderr


def whole_or_absent(office: Office, path: Path, before: bytes | None, action: str) -> None:
    """The interrupted change is absent (the file as it was) or present (committed as is)."""
    now = path.read_bytes() if path.exists() else None
    if now == before:
        return
    rel_path = path.relative_to(office.root).as_posix()
    assert office.git("status", "--porcelain", "--", rel_path) == "", f"{rel_path}: not committed"
    log = office.git("log", "--format=%B", "--", rel_path)
    assert f"OA-Action: {action}" in log, f"{rel_path}: no commit for {action}"


#: a step on a record git tracks commits it from the work tree: no `git add` (see "staged")
WRITE_POINTS = [
    "checked",
    "temp-written",
    "written",
    "commit-made",
    "committed",
]


@pytest.mark.parametrize("point", WRITE_POINTS)
def test_kill_during_numbering(office: Office, point: str) -> None:
    """Kill `oa advance … number` at a point of its write; then the next write (another record,
    a new process) works, the numbering is whole or absent, and the repository is clean."""
    path = office.path(NUMBERING)
    before = path.read_bytes()
    kill_at(office, point, "advance", NUMBERING, "number")
    for p in path.parent.glob("*.yaml"):  # every record still parses
        yamlio.load_mapping(p.read_bytes(), p.name)
    the_next_write_works(office)
    whole_or_absent(office, path, before, "number")
    clean_checks(office)
    # numbering goes on with no gap and no duplicate: 6号 once, whether or not it was given
    if record(office, NUMBERING)["state"] == "numbering":
        office.ok("advance", NUMBERING, "number")
    assert record(office, NUMBERING)["doc_number"] == "浏后勤发〔2026〕6号"
    clean_checks(office)


def test_kill_then_the_next_step_on_the_same_record(office: Office) -> None:
    """Kill the director's 签发 (entered by the clerk) after its write; the clerk then numbers the
    document. Whatever happens, every step is its own commit and the audit is clean."""
    rid = "OUT-2026-0017"  # demo: waiting for the director's sign-off
    base = office.head()
    kill_at(office, "written", "advance", rid, "issue", "--as", DIRECTOR, "-m", "同意")
    res = run_oa("--root", str(office.root), "advance", rid, "number", cwd=office.root)
    no_traceback(res.stdout + res.stderr)
    assert res.returncode in (0, 2), res.stderr
    clean_checks(office)
    path = rel(office, rid)
    for sha in new_commits(office, base):
        assert history_len(office, sha, path) == history_len(office, f"{sha}^", path) + 1


def test_kill_while_numbering_leaves_no_gap(office: Office) -> None:
    kill_at(office, "written", "advance", NUMBERING, "number")  # 浏后勤发〔2026〕6号, not committed
    other = "OUT-2026-0019"  # demo: a 浏后勤发 waiting for its leader's sign-off
    office.ok("advance", other, "sign", "--as", LEADERS[0], "-m", "同意")
    office.ok("advance", other, "issue", "--as", DIRECTOR, "-m", "同意")
    office.ok("advance", other, "number")  # today: 7号, as 6号 sits uncommitted in the other
    # what no commit holds, an operator discards
    office.git("checkout", "--", rel(office, NUMBERING))
    office.ok("advance", NUMBERING, "number")
    clean_checks(office)


def test_kill_after_copying_a_body(office: Office, tmp_path: Path) -> None:
    body = tmp_path / "正文.md"
    body.write_text("各科室：\n\n请按要求办理。\n", encoding="utf-8")
    new = ["doc", "new", "--kind", "浏后勤函", "--title", "关于测试的函", "--to", "浏阳市教育局"]
    kill_at(office, "files-copied", *new, "--as", DRAFTER, "--body", str(body))
    path = office.root / "outgoing/2026/OUT-2026-0024.yaml"
    assert office.oa("validate").exit_code == 0, office.oa("validate").output
    res = run_oa("--root", str(office.root), *new, "--as", DRAFTER, cwd=office.root)
    assert res.returncode == 0, res.stderr
    whole_or_absent(office, path, None, "create")
    assert not (office.root / "outgoing/2026/OUT-2026-0024.files").exists()
    clean_checks(office)


@pytest.mark.parametrize("point", ["written", "staged", "committed"])
def test_kill_while_committing_a_new_record(office: Office, point: str) -> None:
    """Kill `oa doc new` before, during and after its commit (a new record is `git add`ed first):
    the next write works and the record is whole or absent."""
    new = ["doc", "new", "--kind", "浏后勤函", "--title", "关于测试的函", "--to", "浏阳市教育局"]
    kill_at(office, point, *new, "--as", DRAFTER)
    path = office.root / "outgoing/2026/OUT-2026-0024.yaml"
    the_next_write_works(office)
    whole_or_absent(office, path, None, "create")
    clean_checks(office)


def test_document_waiting_for_proposal_is_in_todo(office: Office) -> None:
    waiting = json.loads(office.ok("todo", "--all", "--json").stdout)
    assert "IN-2026-0012" in [w["id"] for w in waiting]  # demo: registered, 批办, no 拟办 yet


# == concurrency ===============================================================================


def at_once(office: Office, jobs: list[list[str]]) -> list[subprocess.CompletedProcess[str]]:
    """Start every job as its own `python -m oa` process, all at once; wait for all."""
    env = {**os.environ, "OA_LOCK_TIMEOUT": "120"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "oa", "--root", str(office.root), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for args in jobs
    ]
    out = []
    for args, proc in zip(jobs, procs, strict=True):
        stdout, stderr = proc.communicate(timeout=300)
        out.append(subprocess.CompletedProcess(args, proc.returncode, stdout, stderr))
    return out


def new_doc(office: Office, title: str, *extra: str, kind: str = "浏后勤发") -> str:
    res = office.ok(
        "doc",
        "new",
        "--kind",
        kind,
        "--title",
        title,
        "--to",
        "浏阳市教育局",
        "--as",
        DRAFTER,
        *extra,
    )
    return res.stdout.split(":")[0].strip()


def record(office: Office, rid: str) -> dict[str, Any]:
    return dict(json.loads(office.ok("show", rid, "--json").stdout)["record"])


def new_commits(office: Office, base: str) -> list[str]:
    return office.git("rev-list", "--reverse", f"{base}..HEAD").split()


def test_eight_processes_number_eight_documents(empty_office: Office) -> None:
    """S-DOC-OUT-2 under contention: 浏后勤发〔2026〕1号 … 8号, each once, in commit order."""
    o = empty_office
    ids = [new_doc(o, f"关于并发编号第{i}号的通知") for i in range(1, 9)]
    for rid in ids:
        o.ok("advance", rid, "submit", "--as", DRAFTER)
        o.ok("advance", rid, "review", "-m", "同意")
        o.ok("advance", rid, "sign", "--as", LEADERS[0], "-m", "同意")
        o.ok("advance", rid, "issue", "--as", DIRECTOR, "-m", "同意印发")
    base = o.head()
    for done in at_once(o, [["advance", rid, "number"] for rid in ids]):
        no_traceback(done.stdout + done.stderr)
        assert done.returncode == 0, done.stderr
    numbers = {rid: record(o, rid)["doc_number"] for rid in ids}
    assert sorted(numbers.values()) == sorted(f"浏后勤发〔2026〕{n}号" for n in range(1, 9))
    commits = new_commits(o, base)
    assert len(commits) == 8
    for n, sha in enumerate(commits, 1):  # the lock's order is the numbers' order
        rid = o.git("log", "-1", "--format=%s", sha).split(":")[0]
        assert numbers[rid] == f"浏后勤发〔2026〕{n}号"
    clean_checks(o)


def history_len(office: Office, sha: str, path: str) -> int:
    text = office.git("show", f"{sha}:{path}")
    return len(yaml.safe_load(text)["history"])


def test_fifteen_processes_append_history(empty_office: Office) -> None:
    """8 processes each take a step on its own record, 3 leaders 会签 one document and 4
    departments record their 承办 on one incoming document — all at once. No entry is lost, each
    entry is one commit that touches one record."""
    o = empty_office
    drafts = [new_doc(o, f"关于并发送审第{i}号的函", kind="浏后勤函") for i in range(1, 9)]
    joint = new_doc(
        o, "关于联合会签事项的通知", *[a for p in LEADERS for a in ("--countersign", p)]
    )
    o.ok("advance", joint, "submit", "--as", DRAFTER)
    o.ok("advance", joint, "review", "-m", "同意")
    res = o.ok(
        "doc",
        "receive",
        "--from",
        "浏阳市人民政府办公室",
        "--title",
        "关于联合办理的通知",
        "--category",
        "交办性",
    )
    incoming = res.stdout.split(":")[0].strip()
    depts = {"SWY": "pengwei", "SWE": "dengming", "CWK": "yangxue", "WYK": "hujun"}
    propose = ["doc", "propose", incoming, "-m", "拟请四科联合办理。", "--lead", "SWY"]
    o.ok(*propose, *[a for d in depts for a in ("--dept", d)], "--due", "2026-12-18")
    o.ok("advance", incoming, "decide", "--as", DIRECTOR, "-m", "同意")
    base = o.head()
    jobs = [["advance", rid, "submit", "--as", DRAFTER] for rid in drafts]
    jobs += [["advance", joint, "countersign", "--as", p, "-m", "同意"] for p in LEADERS]
    jobs += [
        ["doc", "handle", incoming, "--course", f"{d}已研究。", "--result", "已办结。", "--as", p]
        for d, p in depts.items()
    ]
    for done in at_once(o, jobs):
        no_traceback(done.stdout + done.stderr)
        assert done.returncode == 0, f"{done.args}: {done.stderr}"
    for rid in drafts:
        assert [h["action"] for h in record(o, rid)["history"]] == ["create", "submit"]
    signed = [h for h in record(o, joint)["history"] if h["action"] == "countersign"]
    assert sorted(h["by"] for h in signed) == sorted(LEADERS)
    handled = [h for h in record(o, incoming)["history"] if h["action"] == "handle"]
    assert sorted(h["department"] for h in handled) == sorted(depts)
    commits = new_commits(o, base)
    assert len(commits) == len(jobs) == 15
    for sha in commits:
        paths = o.git("diff-tree", "--no-commit-id", "--name-only", "-r", sha).split()
        assert len(paths) == 1, (sha, paths)
        assert history_len(o, sha, paths[0]) == history_len(o, f"{sha}^", paths[0]) + 1
    clean_checks(o)


# == a full disk, a read-only file system ======================================================


class Proxy:
    """A module whose one attribute is replaced (the rest is the real module's)."""

    def __init__(self, module: ModuleType, **replaced: Any) -> None:
        self._module = module
        self.__dict__.update(replaced)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)


def failing(code: int) -> Callable[..., Any]:
    def fail(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError(code, os.strerror(code))

    return fail


def failing_writes(code: int) -> Callable[..., Any]:
    """os.fdopen whose file refuses every write (the disk fills while the text is written)."""

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        real = os.fdopen(fd, *args, **kwargs)
        real.write = failing(code)
        return real

    return fdopen


FAULTS: dict[str, Callable[[pytest.MonkeyPatch, int], None]] = {
    "lock": lambda mp, code: mp.setattr(locks, "os", Proxy(os, open=failing(code))),
    "mkstemp": lambda mp, code: mp.setattr(
        yamlio, "tempfile", Proxy(tempfile, mkstemp=failing(code))
    ),
    "write": lambda mp, code: mp.setattr(yamlio, "os", Proxy(os, fdopen=failing_writes(code))),
    "fsync": lambda mp, code: mp.setattr(yamlio, "os", Proxy(os, fsync=failing(code))),
    "replace": lambda mp, code: mp.setattr(yamlio, "os", Proxy(os, replace=failing(code))),
    "copy": lambda mp, code: mp.setattr(engine, "shutil", Proxy(shutil, copyfile=failing(code))),
}

CASES = [
    pytest.param(
        where,
        code,
        command,
        id=f"{where}-{errno.errorcode[code]}-{command}",
    )
    for where, code in [
        ("lock", errno.EROFS),
        ("mkstemp", errno.EROFS),
        ("mkstemp", errno.ENOSPC),
        ("write", errno.ENOSPC),
        ("fsync", errno.ENOSPC),
        ("replace", errno.EROFS),
        ("copy", errno.ENOSPC),
    ]
    for command in ("number", "new")
    if not (where == "copy" and command == "number")
]


@pytest.mark.parametrize(("where", "code", "command"), CASES)
def test_full_disk_or_read_only(
    office: Office,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    where: str,
    code: int,
    command: str,
) -> None:
    """The file system refuses the write: OA007 naming the reason, exit 2, every file (no temp
    file, no half-made record folder), the git index and HEAD as they were; then it works."""
    body = tmp_path / "正文.md"
    body.write_text("各科室：\n\n请按要求办理。\n", encoding="utf-8")
    new = ["doc", "new", "--kind", "浏后勤函", "--title", "关于测试的函", "--to", "浏阳市教育局"]
    args = (
        ["advance", NUMBERING, "number"]
        if command == "number"
        else [*new, "--as", DRAFTER, "--body", str(body)]
    )
    files, head, status = office.snapshot(), office.head(), office.git("status", "--porcelain")
    with monkeypatch.context() as mp:
        FAULTS[where](mp, code)
        res = office.oa(*args)
    no_traceback(res.output)
    assert res.exit_code == 2, res.output
    assert "OA007" in res.stderr and os.strerror(code) in res.stderr, res.stderr
    assert office.snapshot() == files, "a refused write left or changed files"
    assert office.head() == head and office.git("status", "--porcelain") == status
    office.ok(*args)  # the disk has room again: the same command works
    clean_checks(office)


# == stale locks ===============================================================================

HOLD = """
import sys, time
from pathlib import Path
from oa.core.locks import write_lock
with write_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(120)
"""


def test_lock_of_a_killed_process_does_not_block(office: Office) -> None:
    """A process holding oa's write lock is SIGKILLed: its lock file stays, the lock does not
    (flock dies with its holder), and the next write goes through at once."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(office.root)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    step = ["advance", REVIEW, "review", "-m", "同意"]
    # while it lives, the lock is real: a writer waits, then gives up with OA006
    res = office.oa(*step, env={"OA_LOCK_TIMEOUT": "0.5"})
    assert res.exit_code == 2 and "OA006" in res.stderr, res.output
    holder.kill()  # SIGKILL: no cleanup runs
    holder.wait()
    holder.stdout.close()
    lock = office.root / ".oa" / "write.lock"
    assert lock.read_text().strip() == str(holder.pid)  # what it left: a file, not a lock
    started = time.monotonic()
    office.ok(*step, env={"OA_LOCK_TIMEOUT": "120"})
    assert time.monotonic() - started < 10
    clean_checks(office)


def test_stale_git_index_lock_refuses_cleanly(office: Office) -> None:
    """git killed mid-commit leaves `.git/index.lock`. The next write is refused with a coded
    message and changes nothing; once the lock is removed, it works."""
    index_lock = office.root / ".git" / "index.lock"
    index_lock.touch()
    files, head = office.snapshot(), office.head()
    res = office.oa("advance", NUMBERING, "number")
    no_traceback(res.output)
    assert res.exit_code == 2 and "OA004" in res.stderr, res.output
    assert office.snapshot() == files and office.head() == head
    index_lock.unlink()
    assert "浏后勤发〔2026〕6号" in office.ok("advance", NUMBERING, "number").stdout
    clean_checks(office)


def test_stale_git_index_lock_is_named(office: Office) -> None:
    (office.root / ".git" / "index.lock").touch()
    res = office.oa("advance", NUMBERING, "number")
    assert res.exit_code == 2
    assert ".git/index.lock" in res.stderr, res.stderr


def test_stale_branch_lock_is_named_and_changes_nothing(office: Office) -> None:
    """git killed while it moved the branch leaves `.git/refs/heads/<branch>.lock`: the next
    step's commit is refused with that file named (git's own last line does not name it), the
    record is as it was, and once the lock is removed the step works."""
    branch = office.git("symbolic-ref", "--short", "HEAD").strip()
    lock = office.root / ".git" / "refs" / "heads" / f"{branch}.lock"
    lock.touch()
    files, head = office.snapshot(), office.head()
    res = office.oa("advance", NUMBERING, "number")
    no_traceback(res.output)
    assert res.exit_code == 2 and "OA004" in res.stderr, res.output
    assert f"refs/heads/{branch}.lock" in res.stderr, res.stderr
    assert office.snapshot() == files and office.head() == head
    lock.unlink()
    assert "浏后勤发〔2026〕6号" in office.ok("advance", NUMBERING, "number").stdout
    clean_checks(office)

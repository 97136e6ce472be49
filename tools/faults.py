"""Fault injection: kill `oa` with SIGKILL at random points of write-and-commit commands, and check
that the records repository survives every kill.

    python tools/faults.py --kills 200 --seed 1          # the figures in docs/reliability.md
    python tools/faults.py --kills 30 --seed 7 --root /tmp/f --keep

It makes a fresh demo office (`oa init DIR --demo`), then loops. Each round picks a write from a
realistic mix — a workflow step someone may take now (from the same data as `oa todo --all`), with
numbering weighted up, `oa doc new`, `oa doc receive`, `oa doc propose`, `oa doc handle`,
`oa archive file` — starts it as a subprocess (`python -m oa --root DIR …`) in its own process
group, sleeps, and sends SIGKILL: to the whole group (oa and the git it is running, as a power cut,
the OOM killer or a closed terminal does) or, in a third of the rounds, to oa alone (its git then
runs to its end, and the round waits for it).

When to kill is aimed, not a fixed 0–400 ms sleep: oa spends about 0.3 s (0.5 s on a busy
machine) starting, loading and checking before it writes, then a few tens of milliseconds writing
and committing, so a fixed 0–400 ms would land nearly every kill before the write or after the
commit. A watcher polls, every millisecond, the record's folder (a temp file or a `.files` folder
appears: the write has begun) and the branch ref (the commit is made). A fifth of the kills are
timed from the start, up to when the write usually begins (learnt from the commands that ran to
their end); three fifths come 0.2–60 ms after the write began, on a log scale; the rest 0–120 ms
after the commit. The first 3 commands run to their end.

After each kill, with the process group gone, it checks:

* every record file parses (the loader, in process), and `oa validate --json` — the next command,
  in a new process — reports no finding the previous validation did not (the demo office starts
  clean, so this is "exits 0" until a kill has broken something for good;
  with `--quick`, the same checks run in this process, after every kill that left something and
  after every fifth kill);
* the interrupted change is whole: either present (the branch moved by one commit and the work
  tree is clean) or absent (same commit, and `git status` shows no modified, staged or new file
  under the record folders);
* when the kill left anything behind (a change not committed, a file of a half-made record, a git
  lock), the next write is run to its end: it must work, or fail with a coded message (`CODE
  message`, exit 2) that names the git lock it met — never a traceback or OA099;

then puts the repository back as an operator would (`rm` the git lock, `git reset --hard`,
`git clean` of the record folders) so that the next round starts clean. At the end `oa audit` and
`oa validate` must be clean (audit findings on a commit where the next write swept up a torn step
are reported with that violation). Each problem is a violation; the exit status is 1 when there
was any.

Landings (where a kill fell, read from what it left):

    before-write    nothing changed: killed while starting, loading or checking
    temp-file       a `.NAME.*.tmp` beside the record: killed inside the atomic write (git-ignored)
    files-copied    a new record's `<ID>.files/` without its `<ID>.yaml`: killed inside `oa doc new`
                    or `oa doc receive` after the body was copied and before the record was written
    written         the record changed in the work tree, not staged: after the write, before git add
    staged          the change is in git's index, not committed: after git add, before the commit
    git-lock        `.git/index.lock` (or a ref lock) left: git itself was killed mid-add or commit
    committed       the commit is made: killed while printing or exiting
    finished        the command ended before the kill (not counted as a kill)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
if str(PROJECT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(PROJECT))

CLERK_EMAIL = "wangfang@lyjghq.gov.cn"  # 王芳, 办公室: the person at the terminal
NOW = "2026-12-01T10:00:00+08:00"
KIND_FOLDERS = ("outgoing", "incoming")

#: a coded message as oa prints it: `oa: OA004 …` or `path:line: OA608 …`
CODED = re.compile(r"(?:^|: )OA\d{3}\b", re.MULTILINE)

#: what a round may leave, from harmless to broken (see the module docstring)
LANDINGS = (
    "before-write",
    "temp-file",
    "files-copied",
    "written",
    "staged",
    "git-lock",
    "committed",
)

#: (record, action) weights: numbering is what the issue singles out, sending back is rare
WEIGHTS = {
    "number": 12.0,
    "issue": 3.0,
    "sign": 3.0,
    "countersign": 2.0,
    "review": 2.0,
    "return": 0.2,
}
WEIGHT_NEW = 3.0
WEIGHT_RECEIVE = 2.0

OPINIONS = {
    "review": "文字已核，请领导审签。",
    "sign": "同意。",
    "countersign": "同意，请主任签发。",
    "issue": "同意印发。",
    "check_proof": "样稿无误。",
    "decide": "同意拟办意见，请抓紧办理。",
    "return": "请修改后重新报送。",
    "reject_proof": "样稿有误，请重印。",
}
DRAFT_KINDS = ("浏后勤发", "浏后勤字", "浏后勤函", "浏后勤会纪")
SENDERS = ("浏阳市人民政府办公室", "浏阳市财政局", "浏阳市机关事务局", "浏阳市应急管理局")
RECIPIENTS = ("浏阳市教育局", "浏阳市公安局", "浏阳市财政局", "浏阳市人民政府")
READERS = ("tangzhiqiang", "zhouhuimin", "lijianguo")
CLERKS = ("wangfang", "liuyan", "zhaolei")


def office_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment every oa and git process of a run gets: a fixed identity and clock."""
    env = dict(os.environ if base is None else base)
    for key in ("OA_USER", "OA_DEBUG", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(key, None)
    env.update(
        {
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "王芳",
            "GIT_AUTHOR_EMAIL": CLERK_EMAIL,
            "GIT_COMMITTER_NAME": "王芳",
            "GIT_COMMITTER_EMAIL": CLERK_EMAIL,
            "OA_NOW": NOW,
            "OA_LOCK_TIMEOUT": "60",
            "PYTHONDONTWRITEBYTECODE": "1",
            # the oa of this checkout, in every process (the same one the checks import)
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(PROJECT), env.get("PYTHONPATH", "")) if p
            ),
        }
    )
    return env


# -- the office ------------------------------------------------------------------------------


@dataclass
class Proc:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


class Office:
    """A demo office driven through `python -m oa` subprocesses."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root = root
        self.env = env
        self.scratch = root.parent / f"{root.name}.inputs"

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "oa", "--root", str(self.root), *args]

    def oa(self, *args: str, timeout: float = 120) -> Proc:
        res = subprocess.run(
            self.argv(*args), capture_output=True, text=True, env=self.env, timeout=timeout
        )
        return Proc(res.returncode, res.stdout, res.stderr)

    def git(self, *args: str, check: bool = True) -> str:
        res = subprocess.run(
            ["git", *args], cwd=self.root, capture_output=True, text=True, env=self.env
        )
        if check and res.returncode != 0:
            raise RuntimeError(f"git {' '.join(args)}: {res.stderr.strip()}")
        return res.stdout

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()

    def ref_file(self) -> Path | None:
        ref = self.git("symbolic-ref", "-q", "HEAD", check=False).strip()
        path = self.root / ".git" / ref
        return path if ref and path.is_file() else None

    def status(self) -> list[str]:
        """`git status --porcelain` lines for the record folders (ignored files excluded)."""
        out = self.git("status", "--porcelain", "--untracked-files=all", "--", *KIND_FOLDERS)
        return [line for line in out.splitlines() if line.strip()]

    def git_locks(self) -> list[str]:
        """Lock files git leaves when it is killed: the index's and any ref's."""
        git_dir = self.root / ".git"
        found = [git_dir / "index.lock", git_dir / "HEAD.lock", git_dir / "packed-refs.lock"]
        found += list((git_dir / "refs").rglob("*.lock"))
        return sorted(p.relative_to(self.root).as_posix() for p in found if p.exists())

    def temp_files(self) -> list[str]:
        out: list[str] = []
        for folder in KIND_FOLDERS:
            base = self.root / folder
            if base.is_dir():
                out += [p.relative_to(self.root).as_posix() for p in base.rglob(".*.tmp")]
        return sorted(out)

    def index_temps(self) -> list[str]:
        base = self.root / ".oa"
        return sorted(p.name for p in base.glob(".*.tmp")) if base.is_dir() else []

    def records(self) -> dict[str, bytes]:
        """Every file under the record folders (records and their .files), by relative path."""
        out: dict[str, bytes] = {}
        for folder in KIND_FOLDERS:
            base = self.root / folder
            if not base.is_dir():
                continue
            for p in sorted(base.rglob("*")):
                if p.is_file() and not (p.name.startswith(".") and p.name.endswith(".tmp")):
                    out[p.relative_to(self.root).as_posix()] = p.read_bytes()
        return out


def init_office(root: Path, env: dict[str, str]) -> Office:
    res = subprocess.run(
        [sys.executable, "-m", "oa", "init", str(root), "--demo"],
        capture_output=True,
        text=True,
        env=env,
    )
    if res.returncode != 0:
        raise RuntimeError(f"oa init {root} --demo failed:\n{res.stdout}{res.stderr}")
    office = Office(root, env)
    office.scratch.mkdir(exist_ok=True)
    return office


# -- choosing a command ------------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    label: str  # "advance number", "doc new", …: what the histogram counts
    args: tuple[str, ...]
    #: the record it changes; None for a new record (its ID is taken under the lock)
    rid: str | None
    #: the folder the write happens in (watched for the timing of the write)
    folder: str


def _person_actions(root: Path) -> list[tuple[str, str, str, dict[str, Any], list[str]]]:
    """(rid, kind, action, record data, people who may take it now) for every open record."""
    from oa.core.query import actions_for, open_records
    from oa.core.registry import kinds
    from oa.core.store import Store

    store = Store(root)
    office = store.office
    found: dict[tuple[str, str], tuple[str, dict[str, Any], list[str]]] = {}
    for loaded in open_records(store):
        data = loaded.data
        assert data is not None
        kind = kinds()[str(data["kind"])]
        if kind.name not in KIND_FOLDERS:  # the mix drives the 公文 kinds it knows
            continue
        wf = store.workflow(kind.name)
        for person in office.people:
            for action in actions_for(office, wf, kind.guards, data, person):
                key = (str(data["id"]), action)
                found.setdefault(key, (kind.name, data, []))[2].append(person)
        if kind.name == "incoming" and data.get("state") == "registered":
            # 拟办 is never offered by actions_for (its guard wants the 承办科室 the step itself
            # gives): the 办公室 proposes every registered 批办 document
            clerks = [p for p in office.people if office.has_role(p, "办公室")]
            if data.get("handling") == "批办":
                found[(str(data["id"]), "propose")] = (kind.name, data, clerks)
    return [(rid, k, action, data, people) for (rid, action), (k, data, people) in found.items()]


def _folder_of(rid: str) -> str:
    prefix, year, _ = rid.split("-")
    return f"{'outgoing' if prefix == 'OUT' else 'incoming'}/{year}"


def _step(rng: random.Random, rid: str, kind: str, action: str, person: str) -> Command:
    folder = _folder_of(rid)
    me = ("--as", person)
    if action == "propose":
        depts = rng.sample(["SWY", "SWE", "CWK", "WYK", "BWK", "CLK"], rng.choice([1, 1, 2, 3]))
        args = ["doc", "propose", rid, "-m", "拟请相关科室研究办理。", *me, "--due", "2026-12-18"]
        for d in depts:
            args += ["--dept", d]
        if len(depts) > 1:
            args += ["--lead", depts[0]]
        return Command("doc propose", tuple(args), rid, folder)
    if action == "handle":
        handle = ["doc", "handle", rid, "--course", "已研究落实。", "--result", "已办结。", *me]
        return Command("doc handle", tuple(handle), rid, folder)
    if action == "circulate":
        readers = rng.sample(READERS, 2)
        circ = ["doc", "circulate", rid, "--to", readers[0], "--to", readers[1], *me]
        return Command("doc circulate", (*circ, "-m", "请各位领导阅示。"), rid, folder)
    if action == "archive":
        filing = ["archive", "file", rid, "--pages", str(rng.randint(1, 12)), *me]
        return Command("archive file", tuple(filing), rid, folder)
    args_list = ["advance", rid, action, *me]
    if action in OPINIONS:
        args_list += ["-m", OPINIONS[action]]
    if action == "print":
        args_list += ["--set", f"copies={rng.randint(5, 60)}"]
    return Command(f"advance {action}", tuple(args_list), rid, folder)


def _body(office: Office, rng: random.Random, n: int) -> list[str]:
    """Sometimes a body file, so that a create also copies files into <ID>.files/."""
    if rng.random() >= 0.4:
        return []
    path = office.scratch / f"正文{n}.md"
    path.write_text(f"各有关单位：\n\n# 事项\n\n第{n}号测试事项，请按要求办理。\n", "utf-8")
    return ["--body", str(path)]


def choose(office: Office, rng: random.Random, n: int) -> Command:
    """A write someone may do now, weighted like a working day (numbering more often)."""
    from oa.core.config import load_office

    people = load_office(office.root).people
    drafters = sorted(p for p, v in people.items() if "拟稿人" in v.roles)
    options: list[tuple[float, Callable[[], Command]]] = []
    for rid, kind, action, _data, who in _person_actions(office.root):

        def make(
            rid: str = rid, kind: str = kind, action: str = action, who: list[str] = who
        ) -> Command:
            return _step(rng, rid, kind, action, rng.choice(who))

        options.append((WEIGHTS.get(action, 1.0), make))

    def new() -> Command:
        kind = rng.choice(DRAFT_KINDS)
        title = f"关于故障注入测试第{n}号事项的{'函' if kind == '浏后勤函' else '通知'}"
        args = ["doc", "new", "--kind", kind, "--title", title, "--to", rng.choice(RECIPIENTS)]
        if rng.random() < 0.3:
            args += ["--countersign", "zhouhuimin", "--countersign", "lijianguo"]
        args += ["--as", rng.choice(drafters), *_body(office, rng, n)]
        return Command("doc new", tuple(args), None, f"outgoing/{NOW[:4]}")

    def receive() -> Command:
        reading = rng.random() < 0.3
        args = [
            "doc",
            "receive",
            "--from",
            rng.choice(SENDERS),
            "--title",
            f"关于故障注入测试第{n}号事项的通知",
            "--category",
            "参阅性" if reading else "交办性",
            "--handling",
            "阅知" if reading else "批办",
            "--number",
            f"浏政办发〔2026〕{100 + n}号",
            "--as",
            rng.choice(CLERKS),
            *_body(office, rng, n),
        ]
        return Command("doc receive", tuple(args), None, f"incoming/{NOW[:4]}")

    options += [(WEIGHT_NEW, new), (WEIGHT_RECEIVE, receive)]
    total = sum(w for w, _ in options)
    pick = rng.uniform(0, total)
    for weight, make_cmd in options:
        pick -= weight
        if pick <= 0:
            return make_cmd()
    return options[-1][1]()


# -- running and killing -----------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """When to kill: `delay` seconds after `trigger` — the start of the process, the first change
    in the record's folder (the write begins), or the branch ref changing (the commit is made)."""

    trigger: str
    delay: float


TRIGGERS = ("start", "write", "commit")


@dataclass
class Timing:
    """When the write, the staging and the commit were seen, in seconds after the start."""

    write: float | None = None
    stage: float | None = None
    commit: float | None = None
    end: float | None = None


@dataclass
class Outcome:
    killed: bool
    at: float  # seconds after the start (the kill, or the end)
    code: int | None
    stdout: str
    stderr: str
    timing: Timing


def _mtime(path: Path | None) -> int | None:
    if path is None:
        return None
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_and_kill(office: Office, cmd: Command, plan: Plan | None, mode: str = "group") -> Outcome:
    """Start `cmd` in its own process group and SIGKILL it as `plan` says (None: let it end):
    `mode` "group" kills oa and the git it runs, "oa" kills oa alone. Returns once every process
    of the group is gone (an orphaned git is waited for)."""
    folder = office.root / cmd.folder
    watched = {
        "write": folder if folder.is_dir() else folder.parent,
        "stage": office.root / ".git" / "index",
        "commit": office.ref_file() or office.root / ".git" / "logs" / "HEAD",
    }
    before = {k: _mtime(p) for k, p in watched.items()}
    timing = Timing()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.monotonic()
        proc = subprocess.Popen(
            office.argv(*cmd.args),
            stdout=out,
            stderr=err,
            env=office.env,
            start_new_session=True,
        )
        killed = False
        while proc.poll() is None:
            elapsed = time.monotonic() - start
            for name, path in watched.items():
                if getattr(timing, name) is None and _mtime(path) != before[name]:
                    setattr(timing, name, elapsed)
            if plan is not None:
                origin = 0.0 if plan.trigger == "start" else getattr(timing, plan.trigger)
                if origin is not None and elapsed >= origin + plan.delay:
                    if mode == "group":
                        os.killpg(proc.pid, signal.SIGKILL)
                    else:
                        os.kill(proc.pid, signal.SIGKILL)
                    killed = True
                    break
            if elapsed > 300:  # a hung command is a finding of its own: stop it
                os.killpg(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.001)
        at = time.monotonic() - start
        if not killed:
            timing.end = at
        proc.wait()
        # oa alone was killed: its git runs on (it is in the same group) until it ends
        while _group_alive(proc.pid):
            if time.monotonic() - start > at + 60:
                os.killpg(proc.pid, signal.SIGKILL)
            time.sleep(0.005)
        out.seek(0)
        err.seek(0)
        return Outcome(killed, at, proc.returncode, out.read(), err.read(), timing)


# -- checking ----------------------------------------------------------------------------------


@dataclass
class Snapshot:
    head: str
    files: dict[str, bytes]
    temps: list[str]


@dataclass
class Violation:
    round: int
    what: str
    detail: str

    def format(self) -> str:
        return f"round {self.round}: {self.what}: {self.detail}"


def snapshot(office: Office) -> Snapshot:
    return Snapshot(office.head(), office.records(), office.temp_files())


def landing(office: Office, before: Snapshot) -> tuple[str, dict[str, Any]]:
    """Where the kill fell, read from what it left; and the facts it was read from."""
    facts: dict[str, Any] = {
        "locks": office.git_locks(),
        "status": office.status(),
        "commits": int(office.git("rev-list", "--count", f"{before.head}..HEAD").strip() or 0),
        "temps": sorted(set(office.temp_files()) - set(before.temps)),
    }
    after = office.records()
    facts["changed"] = sorted(
        k for k in set(before.files) | set(after) if before.files.get(k) != after.get(k)
    )
    status = facts["status"]
    orphans = [
        _status_path(line)
        for line in status
        if line.startswith("??")
        and ".files/" in line
        and not _has_record(office, _status_path(line))
    ]
    facts["orphans"] = orphans
    if facts["locks"]:
        return "git-lock", facts
    if facts["commits"]:
        return "committed", facts
    if any(line[0] in "AMD" for line in status):
        return "staged", facts
    if orphans and len(orphans) == len(status):
        return "files-copied", facts
    if status:
        return "written", facts
    if facts["temps"]:
        return "temp-file", facts
    return "before-write", facts


def _has_record(office: Office, rel: str) -> bool:
    folder = rel.split(".files/")[0]
    return (office.root / f"{folder}.yaml").is_file()


def parse_problems(office: Office, only: Iterable[str] | None = None) -> list[str]:
    """Every record file must parse (with the loader oa itself uses), whatever validate says.
    `only`: these files (the others are byte for byte as they were when last parsed)."""
    from oa.core import yamlio

    if only is None:
        paths = [p for f in KIND_FOLDERS for p in sorted((office.root / f).glob("*/*.yaml"))]
    else:
        paths = [office.root / r for r in sorted(only) if r.endswith(".yaml")]
    problems: list[str] = []
    for path in paths:
        if not path.is_file():
            continue
        rel = path.relative_to(office.root).as_posix()
        try:
            yamlio.load_mapping(path.read_bytes(), rel)
        except yamlio.YamlProblem as exc:
            problems.append(exc.finding.format())
    return problems


def uncoded(proc: Proc) -> str | None:
    """Why a finished command's output is not acceptable, or None when it is."""
    if "Traceback" in proc.output or "OA099" in proc.output:
        lines = proc.stderr.strip().splitlines() or ["?"]
        return f"traceback or internal error: {lines[-1][:300]}"
    if proc.code == 0:
        return None
    if proc.code not in (1, 2) or not CODED.search(proc.stderr):
        return f"exit {proc.code} without a coded message"
    return None


def restore(office: Office) -> list[str]:
    """What an operator does after a crash: remove git's stale locks (no git is running: the
    process group is gone), drop what was not committed, remove half-made records' folders."""
    done: list[str] = []
    for rel in office.git_locks():
        (office.root / rel).unlink(missing_ok=True)
        done.append(f"rm {rel}")
    if office.status():
        office.git("reset", "-q", "--hard", "HEAD")
        office.git("clean", "-fdq", "--", *KIND_FOLDERS)
        done.append("git reset --hard && git clean")
    return done


# -- the run -----------------------------------------------------------------------------------


@dataclass
class Report:
    kills: int = 0
    finished: int = 0
    rounds: int = 0
    seconds: float = 0.0
    commands: Counter[str] = field(default_factory=Counter)
    killed_commands: Counter[str] = field(default_factory=Counter)
    landings: Counter[str] = field(default_factory=Counter)
    #: (trigger, landing): how the kill was aimed, and where it fell
    aimed: Counter[tuple[str, str]] = field(default_factory=Counter)
    kill_modes: Counter[str] = field(default_factory=Counter)
    probes: Counter[str] = field(default_factory=Counter)
    recoveries: Counter[str] = field(default_factory=Counter)
    violations: list[Violation] = field(default_factory=list)
    #: commits of a next write that also carried the step a kill left uncommitted
    swept: set[str] = field(default_factory=set)
    #: audit findings on those commits (the consequence of a violation counted already)
    excused_audit: list[str] = field(default_factory=list)
    #: what the last validation found (only a new finding is a violation)
    findings: set[tuple[str, str, str]] = field(default_factory=set)
    temp_files_left: int = 0
    index_temps_left: int = 0
    write_at: float = 0.0

    def violation_kinds(self) -> Counter[str]:
        return Counter(v.what for v in self.violations)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kills": self.kills,
            "finished": self.finished,
            "rounds": self.rounds,
            "seconds": round(self.seconds, 1),
            "commands": dict(self.commands),
            "killed_commands": dict(self.killed_commands),
            "landings": {k: self.landings[k] for k in LANDINGS},
            "aimed": {f"{t} -> {w}": n for (t, w), n in sorted(self.aimed.items())},
            "kill_modes": dict(self.kill_modes),
            "probes": dict(self.probes),
            "recoveries": dict(self.recoveries),
            "violations": [v.format() for v in self.violations],
            "violation_kinds": dict(self.violation_kinds()),
            "audit_findings_on_swept_commits": self.excused_audit,
            "final_validate_findings": [f"{p}: {c} {m}" for p, c, m in sorted(self.findings)],
            "temp_files_left": self.temp_files_left,
            "index_temps_left": self.index_temps_left,
            "write_at": round(self.write_at, 3),
        }

    def format(self) -> str:
        lines = [
            f"{self.kills} kills in {self.rounds} rounds ({self.finished} commands ended before "
            f"their kill), {self.seconds:.0f} s; the write usually began "
            f"{self.write_at * 1000:.0f} ms after the start",
            "kills by mode: " + ", ".join(f"{k} {v}" for k, v in sorted(self.kill_modes.items())),
            "commands killed: "
            + ", ".join(f"{k} {v}" for k, v in self.killed_commands.most_common()),
            "where the kills landed (aimed from: start / write / commit):",
        ]
        width = max(self.landings.values(), default=1)
        for name in LANDINGS:
            n = self.landings[name]
            split = " / ".join(str(self.aimed[(t, name)]) for t in TRIGGERS)
            lines.append(f"  {name:<13} {n:>4}  ({split:>13})  {'#' * round(40 * n / width)}")
        if self.probes:
            lines.append(
                "next write after a kill that left something: "
                + ", ".join(f"{k} {v}" for k, v in sorted(self.probes.items()))
            )
        if self.recoveries:
            lines.append(
                "operator recovery: "
                + ", ".join(f"{k} {v}" for k, v in sorted(self.recoveries.items()))
            )
        if self.findings:
            lines.append(
                f"final oa validate: {len(self.findings)} finding(s), each counted when it "
                "first appeared: "
                + "; ".join(f"{p}: {c} {m}" for p, c, m in sorted(self.findings)[:5])
            )
        if self.excused_audit:
            lines.append(
                f"final oa audit: {len(self.excused_audit)} finding(s), all on commits that swept "
                "up a torn step: " + "; ".join(self.excused_audit[:5])
            )
        lines.append(
            f"debris left (git-ignored): {self.temp_files_left} record temp file(s), "
            f"{self.index_temps_left} index temp file(s) in .oa/"
        )
        if self.violations:
            lines.append(f"VIOLATIONS: {len(self.violations)}")
            for what, n in self.violation_kinds().most_common():
                lines.append(f"  {n:>4}  {what}")
            lines += [f"  {v.format()}" for v in self.violations[:60]]
        else:
            lines.append("violations: 0")
        return "\n".join(lines)


class Aim:
    """Plans kills: a fifth in startup and checks (timed from the start, up to when the write
    usually begins); three fifths from the moment the write begins, 0.2 to 60 ms after it on a log
    scale (the temp file, its fsync and rename, git add, git commit each take from a fraction of
    a millisecond to tens of them); the rest 0–120 ms after the commit (printing, exiting)."""

    def __init__(self) -> None:
        self.writes: list[float] = []

    def learn(self, t: Timing) -> None:
        if t.end is not None and t.write is not None:  # only whole runs: a killed one is cut short
            self.writes.append(t.write)

    def write_at(self) -> float:
        return statistics.median(self.writes[-25:]) if self.writes else 0.5

    def plan(self, rng: random.Random) -> Plan:
        roll = rng.random()
        if roll < 0.2:
            return Plan("start", rng.uniform(0.0, 0.95 * self.write_at()))
        if roll < 0.8:
            return Plan("write", math.exp(rng.uniform(math.log(0.0002), math.log(0.06))))
        return Plan("commit", rng.uniform(0.0, 0.12))


def run(
    kills: int,
    seed: int,
    root: Path,
    *,
    calibrate: int = 3,
    oa_only: float = 1 / 3,
    in_process: bool = False,
    log: Callable[[str], None] = print,
) -> Report:
    """Kill `kills` commands in a new demo office at `root` and check after each kill. The first
    `calibrate` commands run to their end (they time the write). `in_process`: validate in this
    process, after every kill that left something and every fifth kill, rather than with `oa
    validate` in a new process after every kill. The report keeps every violation; `serious()`
    leaves out the kinds a caller has chosen to tolerate."""
    rng = random.Random(seed)
    office = init_office(root, office_env())
    report = Report()
    aim = Aim()
    started = time.monotonic()
    n = 0
    while report.kills < kills:
        n += 1
        if n > 4 * kills + calibrate + 20:
            report.violations.append(Violation(n, "no progress", "too many rounds without kills"))
            break
        one_round(office, rng, aim, n, report, oa_only, log, in_process, n <= calibrate)
    report.rounds = n
    report.write_at = aim.write_at()
    final_checks(office, n, report)
    report.temp_files_left = len(office.temp_files())
    report.index_temps_left = len(office.index_temps())
    report.seconds = time.monotonic() - started
    return report


def serious(report: Report, tolerate: frozenset[str]) -> list[Violation]:
    return [v for v in report.violations if v.what not in tolerate]


def one_round(
    office: Office,
    rng: random.Random,
    aim: Aim,
    n: int,
    report: Report,
    oa_only: float,
    log: Callable[[str], None],
    in_process: bool = False,
    calibrating: bool = False,
) -> None:
    before = snapshot(office)
    cmd = choose(office, rng, n)
    report.commands[cmd.label] += 1
    mode = "oa" if rng.random() < oa_only else "group"
    plan = None if calibrating else aim.plan(rng)
    out = run_and_kill(office, cmd, plan, mode)
    aim.learn(out.timing)
    if not out.killed:
        report.finished += 1
        problem = uncoded(Proc(out.code or 0, out.stdout, out.stderr))
        if problem:
            report.violations.append(
                Violation(n, "command failed", f"{' '.join(cmd.args)}: {problem}: {out.stderr}")
            )
        return
    assert plan is not None
    report.kills += 1
    report.kill_modes[mode] += 1
    report.killed_commands[cmd.label] += 1
    where, facts = landing(office, before)
    report.landings[where] += 1
    report.aimed[(plan.trigger, where)] += 1
    log(
        f"kill {report.kills:>4} [{mode:<5}] {plan.trigger:>6}+{plan.delay * 1000:3.0f} ms "
        f"({out.at * 1000:4.0f} ms)  {cmd.label:<22} → {where}"
        + (f" {facts['locks']}" if facts["locks"] else "")
    )
    check_after_kill(office, rng, n, cmd, where, facts, report, in_process)


Found = tuple[str, str, str]  # (path, code, message) of a validation finding


def validate_findings(office: Office, in_process: bool) -> tuple[str | None, set[Found]]:
    """Run validation as the next command: (why it crashed, or None; the errors it found)."""
    if in_process:  # the same checks without starting Python again (quick runs, tests)
        from oa.core.store import Store
        from oa.core.validate import validate

        errors = validate(Store(office.root)).errors
        return None, {(f.path, f.code, f.message) for f in errors}
    res = office.oa("validate", "--json")
    bad = uncoded(res)
    if bad and res.code != 1:
        return bad, set()
    try:
        found = json.loads(res.stdout)["findings"]
    except (ValueError, KeyError, TypeError):
        return f"exit {res.code}, output not JSON: {res.output[:200]}", set()
    return None, {
        (f["path"], f["code"], f["message"]) for f in found if f.get("severity") == "error"
    }


def new_findings(report: Report, found: set[Found]) -> list[Found]:
    """Findings the previous validation did not report (a kill must not add any); the demo
    office starts with none, so normally every finding is new."""
    new = sorted(found - report.findings)
    report.findings = found
    return new


def check_after_kill(
    office: Office,
    rng: random.Random,
    n: int,
    cmd: Command,
    where: str,
    facts: dict[str, Any],
    report: Report,
    in_process: bool,
) -> None:
    what = f"{' '.join(cmd.args[:3])} killed at {where}"
    for problem in parse_problems(office, facts["changed"]):
        report.violations.append(Violation(n, "record does not parse", f"{what}: {problem}"))
    # the next command reads and checks every record: `oa validate` in a new process, or with
    # `in_process` (quick runs) the same checks here, after every kill that left something and
    # after every fifth kill (the next write, below, is then the new process)
    clean = where in ("before-write", "temp-file", "committed")
    if not (in_process and clean and report.kills % 5):
        crashed, found = validate_findings(office, in_process)
        new = new_findings(report, found)
        if crashed:
            report.violations.append(Violation(n, "validate crashed", f"{what}: {crashed}"))
        elif new:
            codes = ", ".join(sorted({code for _, code, _ in new}))
            detail = "; ".join(f"{path}: {code} {msg}" for path, code, msg in new[:3])
            report.violations.append(Violation(n, f"validate fails ({codes})", f"{what}: {detail}"))
    # the interrupted change: wholly present (one commit, clean tree), wholly absent, or left
    # with its journal (.oa/pending.json), which the next write finishes or rolls back
    journal = (office.root / ".oa" / "pending.json").is_file()
    if facts["commits"] > 1 or (facts["commits"] == 1 and facts["status"] and not journal):
        report.violations.append(Violation(n, "change not whole (commit)", f"{what}: {facts}"))
    elif facts["commits"] == 0 and (facts["status"] or facts["changed"]) and not journal:
        report.violations.append(
            Violation(n, f"change not whole, no journal ({where})", f"{what}: {facts['status']}")
        )
    if not clean:
        probe_next_write(office, rng, n, what, facts, report)
    for step in restore(office):
        report.recoveries["rm git lock" if step.startswith("rm ") else "reset and clean"] += 1
    if office.status() or office.git_locks():
        report.violations.append(Violation(n, "cannot restore", what))


def _status_path(line: str) -> str:
    path = line[3:]
    if path.startswith('"'):  # git quotes names with non-ASCII bytes: decode its octal escapes
        path = path[1:-1].encode("latin-1").decode("unicode_escape").encode("latin-1").decode()
    return path


def probe_next_write(
    office: Office,
    rng: random.Random,
    n: int,
    what: str,
    facts: dict[str, Any],
    report: Report,
) -> None:
    """The next write after a kill that left something behind must work, or fail with a coded
    message that says what to do (for a git lock: name it). When it works on the record the kill
    left changed, its commit also carries the interrupted step: noted, and excused in the final
    audit."""
    cmd = choose(office, rng, 10_000 + n)
    res = office.oa(*cmd.args)
    bad = uncoded(res)
    if bad:
        report.probes["crashed"] += 1
        report.violations.append(Violation(n, "next write crashed", f"{what}: {bad}"))
        return
    finished = not (office.root / ".oa" / "pending.json").is_file() and not office.status()
    if res.code == 0:
        report.probes["worked"] += 1
        if not finished:
            report.violations.append(
                Violation(n, "next write left the interrupted change", f"{what}: {cmd.args}")
            )
        return
    code = CODED.search(res.stderr)
    report.probes[f"refused {code.group(0).strip(': ') if code else '?'}"] += 1
    if "OA009" in res.stderr and finished:
        return  # rolled back; the step chosen before the rollback no longer applies
    locks = facts["locks"]
    if locks and not any(lock.split("/")[-1] in res.stderr for lock in locks):
        last = res.stderr.strip().splitlines()[-1]
        report.violations.append(
            Violation(n, "git lock not named", f"{what}: next write said {last!r}")
        )
    elif not locks:
        report.violations.append(
            Violation(n, "next write refused", f"{' '.join(cmd.args)}: {res.stderr.strip()}")
        )


def final_checks(office: Office, n: int, report: Report) -> None:
    """`oa validate` and `oa audit` over everything: clean, except audit findings on the commits
    that swept up a torn step (counted already); and every record file parses."""
    for problem in parse_problems(office):
        report.violations.append(Violation(n, "record does not parse", problem))
    crashed, found = validate_findings(office, False)
    if crashed:
        report.violations.append(Violation(n, "final oa validate crashed", crashed))
    for path, code, msg in new_findings(report, found):
        report.violations.append(Violation(n, f"final oa validate ({code})", f"{path}: {msg}"))
    res = office.oa("audit", "--json")
    try:
        findings = json.loads(res.stdout)["findings"]
    except (ValueError, KeyError, TypeError):
        findings = [{"message": res.output[-2000:], "code": "?", "path": "?"}]
    for f in findings:
        sha = re.search(r"commit ([0-9a-f]{7,40})", f["message"])
        if sha and any(s.startswith(sha.group(1)) for s in report.swept):
            report.excused_audit.append(f"{f['path']}: {f['code']} {f['message']}")
            continue
        report.violations.append(
            Violation(n, f"final oa audit ({f['code']})", f"{f['path']}: {f['message']}")
        )
    if res.code not in (0, 1):
        report.violations.append(Violation(n, "final oa audit crashed", res.output[-2000:]))
    if office.status() or office.git_locks():
        report.violations.append(Violation(n, "final state", "work tree not clean"))


# -- the command line --------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=200, help="SIGKILLs to deliver (200).")
    parser.add_argument("--seed", type=int, default=1, help="Random seed (1).")
    parser.add_argument(
        "--root", type=Path, help="New folder for the office (default: a temporary one)."
    )
    parser.add_argument("--keep", action="store_true", help="Keep the temporary office.")
    parser.add_argument(
        "--oa-only",
        type=float,
        default=1 / 3,
        help="Share of kills sent to oa alone rather than its process group (1/3).",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="Validate in this process, after every kill that left something and every fifth "
        "one, instead of `oa validate` in a new process after every kill (what the test does; "
        "the next write after a kill that left something is still a new process).",
    )
    parser.add_argument("--json", type=Path, help="Also write the report as JSON here.")
    parser.add_argument("-q", "--quiet", action="store_true", help="No line per kill.")
    args = parser.parse_args(argv)
    tmp: str | None = None
    if args.root is None:
        tmp = tempfile.mkdtemp(prefix="oa-faults-")
        root = Path(tmp) / "office"
    else:
        root = args.root.resolve()
    try:
        report = run(
            args.kills,
            args.seed,
            root,
            oa_only=args.oa_only,
            in_process=args.quick,
            log=(lambda _line: None) if args.quiet else print,
        )
    finally:
        if tmp and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        elif tmp:
            print(f"office kept in {root}")
    print(report.format())
    if args.json:
        args.json.write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n")
    return 1 if report.violations else 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())

"""`oa log ID` and the record log kept in `.oa/log/` (issue #7): what it shows is what git says of
the file's full history, whatever HEAD did since it was last kept — S-GEN-2, every step can be
traced later: who, when, what."""

from __future__ import annotations

import json
import marshal
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oa.core import logcache
from oa.core.gitops import git as _git
from oa.core.logcache import LOG_DIR, MANIFEST, changes_of
from tests.conftest import Office


def git_says(root: Path, rel: str) -> list[tuple[str, str]]:
    """(commit, status) of every non-merge commit HEAD reaches that changed `rel`, oldest first,
    as git itself lists them."""
    out = _git(
        root,
        "log",
        "--full-history",
        "--no-merges",
        "--no-renames",
        "--reverse",
        "--format=@%H",
        "--name-status",
        "HEAD",
        "--",
        rel,
    )
    found: list[tuple[str, str]] = []
    sha = ""
    for line in out.splitlines():
        if line.startswith("@"):
            sha = line[1:]
        elif line.strip():
            found.append((sha, line.split("\t")[0][0]))
    return found


def kept_says(root: Path, rel: str) -> list[tuple[str, str]]:
    found = changes_of(root, rel)
    assert found is not None
    return [(c.sha, c.status) for c in found]


def _log(office: Office, rid: str) -> list[dict[str, object]]:
    return json.loads(office.ok("log", rid, "--json").stdout)


def test_log_shows_each_step_with_its_action_and_changed_fields(office: Office) -> None:
    """S-GEN-2: each commit that changed the record, its author, time, OA-Action and fields."""
    office.ok("advance", "OUT-2026-0020", "review", "--as", "wangfang", "-m", "同意")
    entries = _log(office, "OUT-2026-0020")
    assert entries[0]["changed"] == ["created"]
    last = entries[-1]
    assert last["action"] == "review"
    assert last["author"] == "王芳"
    assert "state" in last["changed"] and "history+1" in last["changed"]  # type: ignore[operator]
    rel = "outgoing/2026/OUT-2026-0020.yaml"
    assert [e["commit"] for e in entries] == [sha for sha, _ in git_says(office.root, rel)]


def test_the_record_log_is_kept_and_a_new_commit_read_into_it(office: Office) -> None:
    rel = "outgoing/2026/OUT-2026-0020.yaml"
    office.ok("log", "OUT-2026-0020")
    manifest = office.root / LOG_DIR / MANIFEST
    assert manifest.is_file()
    office.ok("advance", "OUT-2026-0020", "review", "--as", "wangfang", "-m", "同意")
    assert kept_says(office.root, rel) == git_says(office.root, rel)
    assert len(kept_says(office.root, rel)) == 2


def test_the_log_follows_head_across_checkout_reset_and_rebase(office: Office) -> None:
    """Kept by commit, not by HEAD: a commit HEAD no longer reaches is never shown."""
    rel = "outgoing/2026/OUT-2026-0020.yaml"
    office.ok("log", "OUT-2026-0020")
    main = office.git("branch", "--show-current").strip()
    office.git("checkout", "-q", "-b", "side")
    office.ok("advance", "OUT-2026-0020", "review", "--as", "wangfang", "-m", "同意")
    on_side = _log(office, "OUT-2026-0020")
    assert on_side[-1]["action"] == "review"
    office.git("checkout", "-q", main)
    on_main = _log(office, "OUT-2026-0020")
    assert on_main == on_side[:-1]
    assert kept_says(office.root, rel) == git_says(office.root, rel)
    # a commit on main, then side rebased onto it: the rebased commit, not the old one
    (office.root / "notes.txt").write_text("会议室钥匙在办公室\n", encoding="utf-8")
    office.git("add", "notes.txt")
    office.git("commit", "-q", "-m", "notes")
    office.git("checkout", "-q", "side")
    old = office.head()
    office.git("rebase", "-q", main)
    shas = [e["commit"] for e in _log(office, "OUT-2026-0020")]
    assert old not in shas and office.head() in shas
    assert kept_says(office.root, rel) == git_says(office.root, rel)
    office.git("reset", "-q", "--hard", "HEAD~1")
    assert office.head() not in [e["commit"] for e in _log(office, "OUT-2026-0020")]
    assert kept_says(office.root, rel) == git_says(office.root, rel)


def test_a_change_a_merge_undid_is_still_shown(office: Office) -> None:
    """S-GEN-2: git's default history would hide a line of work whose change to the file a
    merge dropped; the record's log shows it, as the audit trail it is."""
    rel = "outgoing/2026/OUT-2026-0020.yaml"
    office.git("checkout", "-q", "-b", "side")
    office.ok("advance", "OUT-2026-0020", "review", "--as", "wangfang", "-m", "同意")
    dropped = office.head()
    office.git("checkout", "-q", "-")
    office.git("merge", "-q", "-s", "ours", "--no-edit", "side")
    assert dropped not in _git(office.root, "log", "--format=%H", "--", rel)
    assert dropped in [e["commit"] for e in _log(office, "OUT-2026-0020")]


@pytest.mark.parametrize("damage", ["garbage manifest", "shard gone", "garbage shard"])
def test_a_damaged_record_log_is_read_again(office: Office, damage: str) -> None:
    rel = "outgoing/2026/OUT-2026-0020.yaml"
    expected = _log(office, "OUT-2026-0020")
    folder = office.root / LOG_DIR
    shards = [p for p in folder.iterdir() if p.name != MANIFEST]
    if damage == "garbage manifest":
        (folder / MANIFEST).write_bytes(b"\x00not marshal")
    elif damage == "shard gone":
        for p in shards:
            p.unlink()
    else:
        for p in shards:
            p.write_bytes(b"garbage")
    assert _log(office, "OUT-2026-0020") == expected
    assert kept_says(office.root, rel) == git_says(office.root, rel)
    assert _log(office, "OUT-2026-0020") == expected  # and what was written again serves
    named = marshal.loads((folder / MANIFEST).read_bytes())["shards"].values()
    assert {p.name for p in folder.iterdir()} == {MANIFEST, *named}  # nothing left over


def test_a_record_log_that_cannot_be_written_still_answers(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path: Path, data: bytes) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("oa.core.index.write_atomic", refuse)
    entries = _log(office, "OUT-2026-0020")
    assert entries and entries[0]["changed"] == ["created"]
    assert not (office.root / LOG_DIR / MANIFEST).exists()


def test_a_shallow_clone_keeps_nothing(office: Office, tmp_path: Path) -> None:
    """A shallow clone's oldest commit reads as adding every file, and as something else once
    the clone is deepened: nothing is kept there."""
    office.ok("advance", "OUT-2026-0020", "review", "--as", "wangfang", "-m", "同意")
    clone = tmp_path / "shallow"
    _git(tmp_path, "clone", "-q", "--depth", "1", f"file://{office.root}", str(clone))
    found = changes_of(clone, "outgoing/2026/OUT-2026-0020.yaml")
    assert found is not None and [c.status for c in found] == ["A"]
    assert not (clone / LOG_DIR).exists()


def test_records_in_a_folder_of_the_repository(tmp_path: Path) -> None:
    """The records root need not be the top of its git work tree: paths are the root's own."""
    repo = tmp_path / "project"
    (repo / "office" / "outgoing" / "2026").mkdir(parents=True)
    (repo / "README").write_text("x\n")
    record = repo / "office" / "outgoing" / "2026" / "OUT-2026-0001.yaml"
    record.write_text("id: OUT-2026-0001\n")
    env = {"GIT_AUTHOR_DATE": "2026-01-01T00:00:00+08:00"}
    _git(tmp_path, "init", "-q", "-b", "main", str(repo))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "first", env=env)
    record.write_text("id: OUT-2026-0001\ntitle: t\n")
    (repo / "README").write_text("y\n")
    _git(repo, "commit", "-q", "-am", "second", env=env)
    root = repo / "office"
    assert kept_says(root, "outgoing/2026/OUT-2026-0001.yaml") == [
        (sha, status) for sha, status in git_says(repo, "office/outgoing/2026/OUT-2026-0001.yaml")
    ]
    assert [s for _, s in kept_says(root, "outgoing/2026/OUT-2026-0001.yaml")] == ["A", "M"]
    assert kept_says(root, "README") == []


def test_outside_git_and_before_the_first_commit(tmp_path: Path) -> None:
    assert changes_of(tmp_path, "a/2026/X.yaml") is None
    _git(tmp_path, "init", "-q")
    assert changes_of(tmp_path, "a/2026/X.yaml") == []


def test_shard_keys() -> None:
    assert logcache.shard_key("outgoing/2026/OUT-2026-0001.yaml") == "outgoing/2026"
    assert logcache.shard_key("outgoing/2026/OUT-2026-0001.files/a.pdf") == "outgoing/2026"
    assert logcache.shard_key("workflows/outgoing.yaml") == "workflows"
    assert logcache.shard_key("oa.yaml") == ""


# -- what is kept is what git says, whatever happened to the history (hypothesis) ------------

FILES = ["outgoing/2026/A.yaml", "outgoing/2026/B.yaml", "incoming/2025/C.yaml"]

step = st.one_of(
    st.tuples(st.just("write"), st.sampled_from(FILES), st.integers(0, 3)),
    st.tuples(st.just("delete"), st.sampled_from(FILES), st.just(0)),
    st.tuples(st.just("switch"), st.sampled_from(["main", "side"]), st.just(0)),
    st.tuples(st.just("merge"), st.sampled_from(["ours", "theirs", "recursive"]), st.just(0)),
    st.tuples(st.just("reset"), st.just(""), st.integers(1, 2)),
    st.tuples(st.just("ask"), st.sampled_from(FILES), st.just(0)),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=3, max_size=14), days=st.lists(st.integers(0, 40)))
def test_kept_log_equals_git_full_history(
    steps: list[tuple[str, str, int]], days: list[int]
) -> None:
    """Whatever commits, merges (one side dropped or not), branch switches and resets happen,
    and whenever the log is asked in between, it shows what `git log --full-history` shows, in
    git's order, with commit times that need not increase."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _git(root, "init", "-q", "-b", "main")
        _git(root, "commit", "-q", "--allow-empty", "-m", "start")
        _git(root, "branch", "side")
        clock = iter(days * 20 or [0])
        for n, (op, what, amount) in enumerate(steps):
            day = next(clock, n)
            when = f"2026-01-{1 + day % 28:02d}T{day % 24:02d}:00:00+08:00"
            env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
            if op == "write":
                path = root / what
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(f"id: x\nvalue: {amount}\nstep: {n}\n")
                _git(root, "add", what)
                _git(root, "commit", "-q", "-m", f"write {what}", env=env)
            elif op == "delete" and (root / what).exists():
                _git(root, "rm", "-q", what)
                _git(root, "commit", "-q", "-m", f"delete {what}", env=env)
            elif op == "switch":
                _git(root, "checkout", "-q", "-f", what)
            elif op == "merge":
                other = (
                    "side" if _git(root, "branch", "--show-current").strip() == "main" else "main"
                )
                strategy = (
                    ["-s", "ours"] if what == "ours" else ["-X", what] if what == "theirs" else []
                )
                proc = subprocess.run(
                    ["git", "merge", "-q", "--no-ff", "--no-edit", *strategy, other],
                    cwd=root,
                    capture_output=True,
                    env={**os.environ, **env},
                )
                if proc.returncode != 0:
                    _git(root, "merge", "--abort")
            elif op == "reset":
                count = len(_git(root, "rev-list", "--first-parent", "HEAD").split())
                if count > amount:
                    _git(root, "reset", "-q", "--hard", f"HEAD~{amount}")
            elif op == "ask":
                assert kept_says(root, what) == git_says(root, what)
        for rel in FILES:
            assert kept_says(root, rel) == git_says(root, rel), rel
        shutil.rmtree(root / LOG_DIR, ignore_errors=True)
        for rel in FILES:  # and read from scratch, the same
            assert kept_says(root, rel) == git_says(root, rel), rel

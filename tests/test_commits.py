"""How oa commits a step (issue #7): by git plumbing, which touches only the record, where that
makes exactly the commit `git commit -- paths` would; by `git commit` wherever git would do more
or other than that (hooks, signing, a merge under way, other staged work)."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from oa.core import gitops
from oa.core.errors import OAError
from tests.conftest import Office

RID = "OUT-2026-0019"
SUBJECT = f"{RID}: note (王芳)"
TRAILERS = [("OA-Record", RID), ("OA-Action", "note")]


def edit(office: Office, rid: str = RID) -> str:
    path = office.path(rid)
    path.write_text(path.read_text(encoding="utf-8") + "# 备注\n", encoding="utf-8")
    return path.relative_to(office.root).as_posix()


def git_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The git commands gitops runs from now on (their first word)."""
    ran: list[str] = []
    real = gitops._run

    def run(root: Path, args: tuple[str, ...], *rest: object, **kw: object) -> object:
        ran.append(args[0])
        return real(root, args, *rest, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(gitops, "_run", run)
    return ran


def test_a_step_is_committed_by_plumbing_as_git_commit_would(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = office.head()
    rel = edit(office)
    ran = git_runs(monkeypatch)
    made = gitops.commit(office.root, [rel], SUBJECT, TRAILERS)
    assert "commit" not in ran and "update-ref" in ran
    assert made == office.head()
    assert office.git("rev-parse", f"{made}^").strip() == before
    assert office.git("diff-tree", "--no-commit-id", "--name-only", "-r", made).split() == [rel]
    assert office.git("log", "-1", "--format=%B").strip() == (
        f"{SUBJECT}\n\nOA-Record: {RID}\nOA-Action: note"
    )
    # the work tree, git's index and HEAD agree; the reflog says what `git commit` says
    assert office.git("status", "--porcelain") == ""
    assert office.git("reflog", "-1", "--format=%gs").strip() == f"commit: {SUBJECT}"


def test_the_author_is_whoever_git_says_is_at_the_terminal(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    rel = edit(office)
    monkeypatch.setenv("GIT_AUTHOR_NAME", "值班员")
    gitops.commit(office.root, [rel], SUBJECT, TRAILERS)
    assert office.git("log", "-1", "--format=%an").strip() == "值班员"


def test_other_staged_work_is_neither_committed_nor_lost(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    (office.root / "note.txt").write_text("x", encoding="utf-8")
    office.git("add", "note.txt")
    rel = edit(office)
    ran = git_runs(monkeypatch)
    made = gitops.commit(office.root, [rel], SUBJECT, TRAILERS)
    assert "commit" in ran  # git commit -- paths, which leaves the rest staged
    assert office.git("diff-tree", "--no-commit-id", "--name-only", "-r", made).split() == [rel]
    assert office.git("diff", "--cached", "--name-only").split() == ["note.txt"]


@pytest.mark.parametrize("hook", ["post-commit", "prepare-commit-msg"])
@pytest.mark.parametrize("where", ["hooks folder", "core.hooksPath"])
def test_a_repository_with_commit_hooks_gets_git_commit(
    office: Office, hook: str, where: str
) -> None:
    """`--no-verify` skips pre-commit and commit-msg only: the other hooks still run, as before."""
    if where == "core.hooksPath":
        folder = office.root / "ci-hooks"
        office.git("config", "core.hooksPath", "ci-hooks")
    else:
        folder = Path(office.git("rev-parse", "--git-path", "hooks").strip())
        folder = folder if folder.is_absolute() else office.root / folder
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / hook
    script.write_text(f"#!/bin/sh\necho ran >> '{office.root / 'hook-ran'}'\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    rel = edit(office)
    gitops.commit(office.root, [rel], SUBJECT, TRAILERS)
    assert (office.root / "hook-ran").read_text(encoding="utf-8") == "ran\n"


def test_a_merge_under_way_is_left_to_git_commit(office: Office) -> None:
    """During a merge `git commit -- paths` refuses a partial commit; so does oa (OA004), and
    HEAD stays where it was."""
    head = office.head()
    git_dir = Path(office.git("rev-parse", "--absolute-git-dir").strip())
    (git_dir / "MERGE_HEAD").write_text(head + "\n", encoding="utf-8")
    rel = edit(office)
    with pytest.raises(OAError) as refused:
        gitops.commit(office.root, [rel], SUBJECT, TRAILERS)
    assert refused.value.code == "OA004"
    assert office.head() == head


def test_head_moved_by_another_git_meanwhile_is_not_overwritten(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HEAD is moved from the commit the tree was made on, or not at all."""
    rel = edit(office)
    other = edit(office, "OUT-2026-0017")
    real = gitops._run

    def run(root: Path, args: tuple[str, ...], *rest: object, **kw: object) -> object:
        if args[0] == "update-ref":  # another git commits first
            office.git("commit", "-q", "-m", "elsewhere", "--", other)
        return real(root, args, *rest, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(gitops, "_run", run)
    with pytest.raises(OAError) as refused:
        gitops.commit(office.root, [rel], SUBJECT, TRAILERS)
    assert refused.value.code == "OA004"
    assert office.git("log", "-1", "--format=%s").strip() == "elsewhere"


def test_a_new_record_is_added_by_plumbing(office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    source = office.path(RID)
    added = source.with_name("OUT-2026-0900.yaml")
    added.write_bytes(source.read_bytes())
    rel = added.relative_to(office.root).as_posix()
    ran = git_runs(monkeypatch)
    made = gitops.commit(office.root, [rel], SUBJECT, TRAILERS, new_files=True)
    assert "add" not in ran and "commit" not in ran
    assert office.git("diff-tree", "--no-commit-id", "--name-only", "-r", made).split() == [rel]
    assert office.git("status", "--porcelain") == ""


def test_a_records_root_below_the_top_of_the_work_tree(office: Office) -> None:
    """Paths are the root's; git's tree names them from the top of the work tree."""
    top = office.root.parent
    shutil.rmtree(office.root / ".git")
    office.git("init", "-q", str(top))
    office.git("add", "-A", ".")
    office.git("commit", "-q", "-m", "the office, one folder down")
    rel = edit(office)
    made = gitops.commit(office.root, [rel], SUBJECT, TRAILERS)
    changed = office.git("diff-tree", "--no-commit-id", "--name-only", "-r", made).split()
    assert changed == [f"{office.root.name}/{rel}"]
    assert office.git("status", "--porcelain", ".") == ""


@pytest.mark.parametrize(
    ("message", "kept"),
    [
        ("s\n\nA: 1\n", "s\n\nA: 1\n"),
        ("s  \n\n\n\nA: 1  \n\n", "s\n\nA: 1\n"),
        ("\n\ns\n", "s\n"),
        ("s\n\n\n", "s\n"),
    ],
)
def test_messages_are_cleaned_as_git_commit_cleans_them(message: str, kept: str) -> None:
    assert gitops._whitespace_cleaned(message) == kept

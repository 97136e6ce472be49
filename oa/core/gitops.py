"""Git plumbing through plain `git` subprocesses: cheap on large repositories, no index parsing."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from oa.core.errors import OAError


def git(
    root: Path,
    *args: str,
    check: bool = True,
    input_text: str | None = None,
    env: dict[str, str] | None = None,
) -> str:
    try:
        proc = subprocess.run(
            ["git", *args],
            cwd=root,
            capture_output=True,
            text=True,
            input=input_text,
            env={**os.environ, **(env or {})},
            check=False,
        )
    except FileNotFoundError:
        raise OAError("OA004", "git is not installed") from None
    if check and proc.returncode != 0:
        if "index.lock" in proc.stderr:
            raise OAError(
                "OA004",
                f"git {args[0]} failed: git's index is locked (.git/index.lock). Another git is "
                "running, or one was killed: remove .git/index.lock if no git is running",
            )
        msg = (proc.stderr or proc.stdout).strip().splitlines()
        raise OAError("OA004", f"git {args[0]} failed: {msg[-1] if msg else proc.returncode}")
    return proc.stdout


def is_repo(root: Path) -> bool:
    return git(root, "rev-parse", "--is-inside-work-tree", check=False).strip() == "true"


def prefix(root: Path) -> str:
    """The records root's path inside its git work tree ('' when it is the top)."""
    return git(root, "rev-parse", "--show-prefix").strip()


def config(root: Path, key: str) -> str | None:
    value = git(root, "config", "--get", key, check=False).strip()
    return value or None


def has_head(root: Path) -> bool:
    return bool(git(root, "rev-parse", "--verify", "-q", "HEAD", check=False).strip())


def stage(root: Path, paths: Sequence[str]) -> None:
    git(root, "add", "--", *paths)


def commit(
    root: Path,
    paths: Sequence[str],
    subject: str,
    trailers: Sequence[tuple[str, str]],
    sign: bool = False,
) -> str:
    """Stage and commit exactly `paths`; other staged work is left as it was. Returns the commit id.

    The author is whoever git says is at the terminal — never the person the step names, so that
    `oa audit` can tell an entry made by its actor from one entered for them. Without a git
    identity git refuses, and so does the command.
    """
    stage(root, paths)
    message = subject + "\n\n" + "\n".join(f"{k}: {v}" for k, v in trailers) + "\n"
    signing = ["-S"] if sign else []
    git(root, "commit", "-q", "--no-verify", *signing, "-F", "-", "--", *paths, input_text=message)
    return git(root, "rev-parse", "HEAD").strip()


def refresh_commit_graph(root: Path) -> None:
    """Keep git's commit-graph with changed-path Bloom filters up to date, so that `git log --
    FILE` skips the commits that did not touch the file instead of diffing every one (1.35 s ->
    0.15 s on a 3,000-commit, 100,000-file repository). Incremental: only commits added since are
    written, a few milliseconds when there are none. Best effort: a read-only clone simply does
    without."""
    with contextlib.suppress(OSError):
        subprocess.run(
            ["git", "commit-graph", "write", "--reachable", "--changed-paths", "--split"],
            cwd=root,
            capture_output=True,
            check=False,
        )

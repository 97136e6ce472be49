"""Git plumbing through plain `git` subprocesses: cheap on large repositories, no index parsing."""

from __future__ import annotations

import contextlib
import marshal
import os
import re
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from oa.core.errors import OAError


def git(
    root: Path,
    *args: str,
    check: bool = True,
    input_text: str | None = None,
    env: dict[str, str] | None = None,
) -> str:
    proc = _run(root, args, input_text, env)
    if check and proc.returncode != 0:
        raise _failure(args, proc)
    return proc.stdout


def _run(
    root: Path, args: Sequence[str], input_text: str | None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
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


def _failure(args: Sequence[str], proc: subprocess.CompletedProcess[str]) -> OAError:
    if "index.lock" in proc.stderr:
        return OAError(
            "OA004",
            f"git {args[0]} failed: git's index is locked (.git/index.lock). Another git is "
            "running, or one was killed: remove .git/index.lock if no git is running",
        )
    locked = _LOCKED.search(proc.stderr)
    if locked:  # a ref's lock (update-ref): git's own last line does not say which file
        return OAError(
            "OA004",
            f"git {args[0]} failed: {locked[1]} exists. Another git is running, or one was "
            f"killed: remove {locked[1]} if no git is running",
        )
    msg = (proc.stderr or proc.stdout).strip().splitlines()
    return OAError("OA004", f"git {args[0]} failed: {msg[-1] if msg else proc.returncode}")


#: git's words when a lock file it would take is there already
_LOCKED = re.compile(r"Unable to create '([^']+\.lock)': File exists")


@dataclass(frozen=True)
class Where:
    """Where the records root sits in git, from one `git rev-parse` (three took a process each)."""

    in_repo: bool
    #: the root's path inside the work tree ('' at the top)
    prefix: str
    #: the commit HEAD names, None before the first commit
    head: str | None
    #: a shallow clone: its oldest commits lack their parents
    shallow: bool = False


def where(root: Path) -> Where:
    try:
        proc = subprocess.run(
            [
                "git",
                "rev-parse",
                "--show-prefix",
                "--is-shallow-repository",
                "--verify",
                "-q",
                "HEAD",
            ],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise OAError("OA004", "git is not installed") from None
    if proc.returncode not in (0, 1):
        return Where(False, "", None)
    lines = proc.stdout.split("\n")
    head = lines[2].strip() if proc.returncode == 0 and len(lines) > 2 else ""
    return Where(True, lines[0].strip(), head or None, lines[1].strip() == "true")


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
    listed: tuple[Clean, Path] | None = None,
    new_files: bool = False,
) -> str:
    """Stage and commit exactly `paths`; other staged work is left as it was. Returns the commit id.

    The author is whoever git says is at the terminal — never the person the step names, so that
    `oa audit` can tell an entry made by its actor from one entered for them. Without a git
    identity git refuses, and so does the command.

    `listed` is what `clean_listing` found just before, and the cache it keeps the listing in:
    the listing is carried past the commit (see _carry_listing). `new_files`: some paths are not
    in git yet (they are added first).
    """
    before = _index_stamp(root, listed[0].index_file) if listed and listed[0].index_file else None
    message = _whitespace_cleaned(
        subject + "\n\n" + "\n".join(f"{k}: {v}" for k, v in trailers) + "\n"
    )
    made = None if sign else _commit_by_plumbing(root, paths, subject, message)
    if made is None:
        made = _commit_by_porcelain(root, paths, message, sign, new_files)
    if listed is not None and before is not None and before == listed[0].stamp:
        _carry_listing(root, listed[0], listed[1], paths)
    return made


def _commit_by_porcelain(
    root: Path, paths: Sequence[str], message: str, sign: bool, new_files: bool
) -> str:
    signing = ["-S"] if sign else []
    args = ("commit", "-q", "--no-verify", *signing, "-F", "-", "--", *paths)
    # files git tracks are committed from the work tree as they are (a `git add` first read and
    # wrote git's index once more: a tenth of a second on a large office); a new file is added
    if new_files:
        stage(root, paths)
    proc = _run(root, args, message)
    if proc.returncode != 0 and "did not match any file(s) known to git" in proc.stderr:
        stage(root, paths)
        proc = _run(root, args, message)
    if proc.returncode != 0:
        raise _failure(args, proc)
    return git(root, "rev-parse", "HEAD").strip()


def _commit_by_plumbing(root: Path, paths: Sequence[str], subject: str, message: str) -> str | None:
    """The commit `git commit -- paths` makes, by plumbing: stage `paths`, write the tree, make
    the commit and move HEAD from the commit it was. `git commit` first compares the stat data
    of every file in the work tree with its index (a third of a second on a large office); these
    read and write git's index once and touch only `paths`.

    None, with nothing done, where `git commit` would do more or other than that: before the
    first commit, in a merge, cherry-pick or revert, when commits are signed (commit.gpgSign), or
    when a prepare-commit-msg or post-commit hook is installed (`--no-verify` skips only
    pre-commit and commit-msg). None, with `paths` staged, when a step fails or the new tree
    would also carry other staged work or no change: `git commit -- paths` then commits what it
    commits, and refuses what it refuses, as it always did."""
    paths_asked = [arg for name in ("hooks", *_UNDER_WAY) for arg in ("--git-path", name)]
    asked = _run(
        root,
        ("rev-parse", "--show-toplevel", "--show-prefix", *paths_asked, "--verify", "-q", "HEAD"),
        None,
    )
    lines = asked.stdout.split("\n")
    if asked.returncode != 0 or len(lines) < 4 + len(_UNDER_WAY):
        return None
    top, prefix, hooks = Path(lines[0]), lines[1], root / lines[2]
    head = lines[3 + len(_UNDER_WAY)]
    if any((root / under_way).exists() for under_way in lines[3 : 3 + len(_UNDER_WAY)]):
        return None
    settings = _run(root, ("config", "--get-regexp", r"^(core\.hookspath|commit\.gpgsign)$"), None)
    for line in settings.stdout.splitlines():
        key, _, value = line.partition(" ")
        if key == "commit.gpgsign" and value.lower() in ("true", "yes", "on", "1"):
            return None
        if key == "core.hookspath":  # relative to the top of the work tree, where hooks run
            hooks = top / Path(value).expanduser()
    if any(os.access(hooks / hook, os.X_OK) for hook in ("prepare-commit-msg", "post-commit")):
        return None
    if _run(root, ("update-index", "--add", "--remove", "--", *paths), None).returncode != 0:
        return None
    written = _run(root, ("write-tree",), None)
    if written.returncode != 0:
        return None
    tree = written.stdout.strip()
    changed = _run(root, ("diff-tree", "-r", "--name-only", "-z", head, tree), None)
    touched = {p for p in changed.stdout.split("\0") if p}
    if changed.returncode != 0 or not touched or not touched <= {prefix + p for p in paths}:
        return None
    made = git(root, "commit-tree", tree, "-p", head, "-F", "-", input_text=message).strip()
    git(root, "update-ref", "-m", f"commit: {subject}", "HEAD", made, head)
    return made


#: what git keeps while a merge, cherry-pick or revert is under way
_UNDER_WAY = ("MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD")


def _whitespace_cleaned(message: str) -> str:
    """The message as `git commit -F` keeps it (its default cleanup for a message not edited):
    trailing spaces cut, runs of empty lines made one, none at either end."""
    lines = [line.rstrip() for line in message.split("\n")]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept) + "\n"


def _carry_listing(root: Path, clean: Clean, cache: Path, committed: Sequence[str]) -> None:
    """Keep the listing for git's index as this commit left it, instead of the next command
    listing 100,000 entries again (a quarter of a second) because the index file changed.

    Committing `paths` changed their entries only; other entries keep their blob ids. Git also
    refreshes the stat data of entries whose copy looked changed, and an entry refreshed in the
    second the index is written is one `clean_blobs` must not trust: the entries kept are those
    that were clean (not differing, not racy) before the commit, less the committed paths (their
    stat data is as recent as the index's: they are stat'ed until git lists them again).

    The index file's stat data just before the commit must be what the listing was made from:
    any other git that wrote it since (an `add`, a `checkout`) means listing it again. (Another
    git finishing in the instant between that check and the commit taking git's index lock is
    the one case this cannot see.)"""
    assert clean.index_file is not None
    after = _index_stamp(root, clean.index_file)
    if after is None:
        return
    gone = set(committed)
    _keep_listing(cache, after, {p: b for p, b in clean.blobs.items() if p not in gone})


#: this many files differing from git's stat data, and git is asked to look again first
REFRESH_FROM = 1000


@dataclass(frozen=True)
class Clean:
    """What `clean_listing` found: the clean files' blob ids, and the stat data of git's index
    file they were listed from (None when they cannot be carried past a commit, see commit)."""

    blobs: dict[str, str]
    index_file: Path | None = None
    stamp: list[object] | None = None


def clean_blobs(root: Path, cache: Path | None = None) -> dict[str, str]:
    """Tracked files under `root` whose work-tree copy is what git's index holds, with their blob
    ids (paths relative to `root`); {} outside a git work tree or without git.

    `ls-files` gives every blob id from git's index, `diff-files` the files whose copy differs
    from it (by the stat data git keeps, and by content where the mtime is racy). Git compares
    times to the second, so a file rewritten with its size and mtime kept in the same second as
    the stat data git recorded would pass for unchanged: entries recorded in the second the index
    was written are left out (their callers stat them), as is everything when the configuration
    tells git to trust less of the stat data. What `ls-files` said is kept in `cache` for as long
    as git's index file is the same: 100,000 entries are then read in a few hundredths of a
    second instead of listed and parsed again in a quarter."""
    return clean_listing(root, cache).blobs


def clean_listing(root: Path, cache: Path | None = None) -> Clean:
    """`clean_blobs`, with where they came from."""

    def run(*args: str) -> bytes | None:
        try:
            proc = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
        except OSError:
            return None
        return proc.stdout if proc.returncode == 0 else None

    index_path = run("rev-parse", "--git-path", "index")
    if index_path is None:
        return Clean({})
    index_file = root / index_path.decode().strip()
    asked = _ask(root, run, index_file, cache)
    if asked is not None and asked[1].count(b"\0") > REFRESH_FROM:
        # a copy, a restore or a touch left git's stat data behind (as after `cp -a`): git looks
        # again, as `git status` would, rather than oa checking thousands of records again
        run("update-index", "-q", "--refresh")
        asked = _ask(root, run, index_file, cache)
    if asked is None:
        return Clean({})
    blobs, differing, stamp = asked
    for path in differing.split(b"\0"):
        blobs.pop(path.decode("utf-8", "surrogateescape"), None)
    return Clean(blobs, index_file, stamp)


def _index_stamp(root: Path, index_file: Path) -> list[object] | None:
    try:
        return _stamp(root, index_file.stat())
    except OSError:
        return None


def _stamp(root: Path, st: os.stat_result) -> list[object]:
    """What tells one state of git's index file from another (it is replaced on every write)."""
    return [str(root), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _ask(
    root: Path, run: Callable[..., bytes | None], index_file: Path, cache: Path | None
) -> tuple[dict[str, str], bytes, list[object]] | None:
    """Git's listing (from `cache` while the index file is the same), the files that differ
    from it, and the index file's stat data; None when git cannot tell."""
    from concurrent.futures import ThreadPoolExecutor

    try:
        st = index_file.stat()
    except OSError:
        return None
    stamp = _stamp(root, st)
    with ThreadPoolExecutor(2) as pool:
        changed = pool.submit(run, "diff-files", "--name-only", "--relative", "-z")
        settings = pool.submit(run, "config", "--get-regexp", r"^core\.(trustctime|checkstat)$")
        blobs = _cached_listing(cache, stamp)
        if blobs is None:
            blobs = _listing(run("ls-files", "-s", "--debug", "-z"), int(st.st_mtime))
            _keep_listing(cache, stamp, blobs)
        differing, distrust = changed.result(), settings.result()
    if blobs is None or differing is None or _trusts_less(distrust or b""):
        return None
    return dict(blobs), differing, stamp


def _listing(listing: bytes | None, written: int) -> dict[str, str] | None:
    """The blob id of every entry of `ls-files -s --debug -z` at stage 0 (stages 1-3 are the sides
    of a conflict) whose stat data was recorded before the second git's index was written."""
    if listing is None:
        return None
    blobs: dict[str, str] = {}
    for piece in listing.split(b"\0"):
        head = piece[piece.rfind(b"\n") + 1 :]  # the entry after the previous one's stat lines
        if not head:
            continue
        meta, _, path = head.partition(b"\t")
        mode_blob_stage = meta.split(b" ")
        if mode_blob_stage[2] == b"0":
            blobs[path.decode("utf-8", "surrogateescape")] = mode_blob_stage[1].decode("ascii")
    for second in (written, written + 1):
        needle = b"\0  ctime: %d:" % second
        at = listing.find(needle)
        while at != -1:
            start = listing.rfind(b"\n", 0, at) + 1
            head = listing[start:at]
            blobs.pop(head.partition(b"\t")[2].decode("utf-8", "surrogateescape"), None)
            at = listing.find(needle, at + 1)
    return blobs


def _cached_listing(cache: Path | None, stamp: list[object]) -> dict[str, str] | None:
    if cache is None:
        return None
    try:
        saved = marshal.loads(cache.read_bytes())
    except Exception:  # missing, damaged or from another Python: listed again
        return None
    if isinstance(saved, dict) and saved.get("stamp") == stamp:
        blobs: dict[str, str] = saved["blobs"]
        return blobs
    return None


def _keep_listing(cache: Path | None, stamp: list[object], blobs: dict[str, str] | None) -> None:
    if cache is None or blobs is None:
        return
    tmp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
    try:
        cache.parent.mkdir(exist_ok=True)
        tmp.write_bytes(marshal.dumps({"stamp": stamp, "blobs": blobs}))
        os.replace(tmp, cache)
    except OSError:  # a read-only checkout lists again next time
        with contextlib.suppress(OSError):
            tmp.unlink()


def _trusts_less(settings: bytes) -> bool:
    """Whether `core.trustctime = false` or `core.checkStat = minimal` is set: git then misses
    changes that keep the mtime, and oa compares the stat data itself."""
    for line in settings.decode(errors="replace").lower().splitlines():
        key, _, value = line.partition(" ")
        if key == "core.trustctime" and value in ("false", "no", "off", "0"):
            return True
        if key == "core.checkstat" and value == "minimal":
            return True
    return False

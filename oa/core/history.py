"""A record's life as git tells it (`oa log`) and the committed versions audit reads.

All reads go through one `git log` and one `git cat-file --batch`, never one process per version.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oa.core import gitops, yamlio
from oa.core.errors import OAError
from oa.core.locate import record_file
from oa.core.logcache import changes_of, raw_entries, trailers

if TYPE_CHECKING:  # the store's kinds and models: `oa log` reads git only and does without
    from oa.core.store import Store

_SEP = "\x1f"
_REC = "\x1e"


@dataclass
class Commit:
    sha: str
    parents: list[str]
    author: str
    email: str
    time: str
    subject: str
    trailers: dict[str, str]
    #: (status, old path, new path) relative to the records root
    changes: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    #: the (old, new) blob id of each change, None where the file is not there
    blobs: list[tuple[str | None, str | None]] = field(default_factory=list)


def commits(store: Store, rev_range: str | None = None) -> list[Commit]:
    """Commits (oldest first) touching the records root, with their changes."""
    root = store.root
    at = gitops.where(root)
    if at.head is None:
        return []
    prefix = at.prefix
    fmt = _REC + _SEP.join(["%H", "%P", "%an", "%ae", "%aI", "%s", "%B"]) + _SEP
    args = ["log", "--no-merges", "-M", "--raw", "--no-abbrev", f"--format={fmt}", "-z"]
    args.append("--reverse")
    args.append(rev_range or "HEAD")
    args.extend(["--", "."])
    out = gitops.git(root, *args)
    result: list[Commit] = []
    for chunk in out.split(_REC)[1:]:
        head = chunk.split(_SEP)
        sha, parents, author, email, time, subject, body = head[:7]
        rest = _SEP.join(head[7:])
        c = Commit(sha, parents.split(), author, email, time, subject, trailers(body))
        for status, old, new, old_blob, new_blob in raw_entries(rest):
            c.blobs.append((_blob_or_none(old_blob), _blob_or_none(new_blob)))
            c.changes.append((status, _strip(old, prefix), _strip(new, prefix)))
        result.append(c)
    return result


def _blob_or_none(blob: str) -> str | None:
    return None if not blob.strip("0") else blob


def merge_commits(store: Store, rev_range: str | None = None) -> list[tuple[str, list[str]]]:
    """(merge commit, its parents) in the range, oldest first."""
    root = store.root
    if not gitops.is_repo(root) or not gitops.has_head(root):
        return []
    out = gitops.git(
        # no pathspec: git would simplify away a merge whose tree equals one parent's
        root,
        "log",
        "--merges",
        "--reverse",
        "--format=%H %P",
        rev_range or "HEAD",
    )
    return [(line.split()[0], line.split()[1:]) for line in out.splitlines() if line.strip()]


def changed_between(store: Store, a: str, b: str) -> list[str]:
    """Paths (relative to the records root) that differ between two commits."""
    prefix = gitops.prefix(store.root)
    out = gitops.git(store.root, "diff-tree", "-r", "--name-only", "--no-renames", a, b, "--", ".")
    return [p for p in (_strip(line, prefix) for line in out.splitlines()) if p]


def _strip(path: str | None, prefix: str) -> str | None:
    if path is None:
        return None
    return path[len(prefix) :] if prefix and path.startswith(prefix) else path


class BlobReader:
    """`git cat-file --batch` kept open: one process for every version we read."""

    def __init__(self, root: Path, prefix: str | None = None) -> None:
        self.prefix = gitops.prefix(root) if prefix is None else prefix
        self.proc = subprocess.Popen(
            ["git", "cat-file", "--batch"],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def read(self, rev: str, rel: str) -> bytes | None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(f"{rev}:{self.prefix}{rel}\n".encode())
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().decode().split()
        if len(header) < 3 or header[1] == "missing":
            return None
        size = int(header[2])
        data = self.proc.stdout.read(size)
        self.proc.stdout.read(1)
        return data

    def read_all(self, blobs: Sequence[str]) -> list[bytes | None]:
        """Several blobs at once, by id: requests go in batches that fit in a pipe, each sent
        whole before its answers are read, so git is not waited for once per version."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        found: list[bytes | None] = []
        for start in range(0, len(blobs), 100):
            batch = blobs[start : start + 100]
            self.proc.stdin.write(b"".join(f"{blob}\n".encode() for blob in batch))
            self.proc.stdin.flush()
            for _ in batch:
                header = self.proc.stdout.readline().decode().split()
                if len(header) < 3 or header[1] == "missing":
                    found.append(None)
                    continue
                found.append(self.proc.stdout.read(int(header[2])))
                self.proc.stdout.read(1)
        return found

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait()

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def parse_version(data: bytes | None, rel: str) -> dict[str, Any] | None:
    if data is None:
        return None
    try:
        return yamlio.load_mapping(data, rel)
    except yamlio.YamlProblem:
        return None


def version_problem(data: bytes | None, rel: str) -> str:
    """Why a committed version does not parse (for OA505)."""
    if data is None:
        return "version is missing from the repository"
    try:
        yamlio.load_mapping(data, rel)
    except yamlio.YamlProblem as exc:
        return f"{exc.finding.code} {exc.finding.message} (line {exc.finding.line})"
    return "version does not parse"


def changed_fields(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[str]:
    if old is None or new is None:
        return []
    out: list[str] = []
    for key in list(old) + [k for k in new if k not in old]:
        if key == "history":
            added = len(new.get("history") or []) - len(old.get("history") or [])
            if added > 0:
                out.append(f"history+{added}")
            elif (new.get("history") or []) != (old.get("history") or []):
                out.append("history (rewritten)")
        elif old.get(key) != new.get(key):
            out.append(key)
    return out


@dataclass(frozen=True)
class LogEntry:
    sha: str
    author: str
    email: str
    time: str
    action: str
    subject: str
    changed: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "commit": self.sha,
            "author": self.author,
            "email": self.email,
            "time": self.time,
            "action": self.action,
            "subject": self.subject,
            "changed": self.changed,
        }


def record_log(root: Path, rid: str) -> list[LogEntry]:
    """Every commit that changed the record's file, oldest first, with the fields it changed."""
    rel = record_file(root, rid)
    if rel is None:  # not on disk (deleted, or never made): its kind's folder by the ID's prefix
        from oa.core.store import Store

        store = Store(root)
        rel = store.rel(store.path_for(rid))
    found = changes_of(root, rel)
    if found is None:
        raise OAError("OA004", f"{root} is not a git repository")
    if not found and not (root / rel).is_file():
        raise OAError("OA601", f"no record {rid}")
    wanted = sorted({b for c in found for b in (c.old_blob, c.new_blob) if b})
    versions: dict[str, bytes | None] = {}
    if wanted:
        with BlobReader(root, "") as reader:
            versions = dict(zip(wanted, reader.read_all(wanted), strict=True))
    entries: list[LogEntry] = []
    for c in found:
        if c.status == "A":
            changed = ["created"]
        elif c.status == "D":
            changed = ["deleted"]
        else:
            after = parse_version(versions.get(c.new_blob or ""), rel)
            before = parse_version(versions.get(c.old_blob or ""), rel)
            changed = changed_fields(before, after)
        entries.append(LogEntry(c.sha, c.author, c.email, c.time, c.action, c.subject, changed))
    return entries


def history_equal(a: Iterable[Any], b: Iterable[Any]) -> bool:
    return [_norm(x) for x in a] == [_norm(x) for x in b]


def _norm(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _norm(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    return value

"""Which commits changed which file, kept in `.oa/log/`, so that `oa log ID` need not ask git.

`git log -- FILE` took 0.11–0.15 s in a 100,000-record office even with git's changed-path
Bloom filters: some forty commits pass the filter, and for each git rebuilds the year folder's
tree (6,000 entries, deltified 50 deep in the pack) to diff it. What a commit changed never
changes, so each commit is read once (`git diff-tree --stdin`) and its changes are kept by the
folder they are in (`<kind>/<year>`); a record's history is then one shard's entry, filtered to
the commits `git rev-list HEAD` lists (a few milliseconds). Keyed by commit and not by HEAD, it
stays true across checkouts, rebases and resets: a commit HEAD does not reach is not shown, one
not read yet is read before the answer is given.

The history shown is git's full history of the file (`git log --full-history --no-merges`): every
commit that changed it on any line of work HEAD holds, including one whose change a merge later
undid — an audit trail shows those too. A shallow clone's oldest commits would read differently
once deepened, so there nothing is kept; the answer is made in memory each time.

On disk: `manifest.marshal` names every commit read (author, e-mail, time, subject, OA-Action)
and the file of each shard; shard files are never rewritten in place but written under a new
name before the manifest that names them replaces the old one, so a reader sees one consistent
state. A missing or damaged file means reading the history again, never a wrong answer.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from oa.core import gitops

LOG_DIR = ".oa/log"
MANIFEST = "manifest.marshal"
_FORMAT = 1

_SEP = "\x1f"
_REC = "\x1e"
_COMMIT_FORMAT = _REC + _SEP.join(["%H", "%an", "%ae", "%aI", "%s", "%B"]) + _SEP

#: author, e-mail, time (ISO 8601), subject, OA-Action trailer
Meta = tuple[str, str, str, str, str]
#: commit, status (A, M, D or T), old blob, new blob (the blobs only where the status is M or T)
Touch = tuple[str, str, str | None, str | None]
Shard = dict[str, list[Touch]]


@dataclass(frozen=True)
class Change:
    """One commit's change to a file."""

    sha: str
    author: str
    email: str
    time: str
    subject: str
    action: str
    status: str
    old_blob: str | None
    new_blob: str | None


def changes_of(root: Path, rel: str) -> list[Change] | None:
    """Every change HEAD's history made to `rel` (relative to the records root), oldest first;
    None when the root is not in a git work tree."""
    repo = gitops.where(root)
    if not repo.in_repo:
        return None
    if repo.head is None:
        return []
    reachable = gitops.git(root, "rev-list", "--no-merges", "HEAD").split()
    saving = not repo.shallow
    try:
        kept = _Kept(root, repo.prefix, saving)
        kept.read_commits([sha for sha in reachable if sha not in kept.commits])
        touches = kept.touches(rel)
    except _Gone:  # another writer replaced a shard as it was read: read it all again
        kept = _Kept(root, repo.prefix, saving, fresh=True)
        kept.read_commits(reachable)
        touches = kept.touches(rel)
    order = {sha: at for at, sha in enumerate(reachable)}
    shown = sorted((t for t in touches if t[0] in order), key=lambda t: -order[t[0]])
    return [Change(sha, *kept.commits[sha], status, old, new) for sha, status, old, new in shown]


class _Gone(Exception):
    """The manifest names a shard file that is no longer there."""


def shard_key(rel: str) -> str:
    """The folder a file's changes are kept under: `<kind>/<year>` for a record and what lies
    beside it, the top folder for other files, '' for those at the top."""
    parts = rel.split("/", 2)
    if len(parts) == 3:
        return f"{parts[0]}/{parts[1]}"
    return parts[0] if len(parts) == 2 else ""


class _Kept:
    """What `.oa/log/` holds, loaded shard by shard as asked, and what is added to it."""

    def __init__(self, root: Path, prefix: str, saving: bool, fresh: bool = False) -> None:
        self.root = root
        self.folder = root / LOG_DIR
        self.prefix = prefix
        self.saving = saving
        self.commits: dict[str, Meta] = {}
        self.files: dict[str, str] = {}
        self.shards: dict[str, Shard] = {}
        #: whether what is on disk was taken up (if not, its shard files are left over)
        self.taken_up = False
        if saving and not fresh:
            self._load_manifest()

    def _load_manifest(self) -> None:
        try:
            saved = marshal.loads((self.folder / MANIFEST).read_bytes())
        except Exception:  # missing, damaged or another Python's: read everything again
            return
        if (
            isinstance(saved, dict)
            and saved.get("format") == _FORMAT
            and saved.get("prefix") == self.prefix
        ):
            self.commits = saved["commits"]
            self.files = saved["shards"]
            self.taken_up = True

    def _shard(self, key: str) -> Shard:
        if key in self.shards:
            return self.shards[key]
        name = self.files.get(key)
        loaded: object = {}
        if name is not None:
            try:
                loaded = marshal.loads((self.folder / name).read_bytes())
            except Exception:
                raise _Gone from None
            if not isinstance(loaded, dict):
                raise _Gone
        self.shards[key] = loaded  # type: ignore[assignment]
        return self.shards[key]

    def touches(self, rel: str) -> list[Touch]:
        return self._shard(shard_key(rel)).get(rel, [])

    def read_commits(self, shas: list[str]) -> None:
        """Read what each commit changed under the root, and keep it."""
        if not shas:
            return
        out = gitops.git(
            self.root,
            "diff-tree",
            "--stdin",
            "-r",
            "--root",
            "--always",
            "--no-renames",
            "--no-abbrev",
            "-z",
            f"--format={_COMMIT_FORMAT}",
            # a pathspec costs git a match per file (1.4 s over 3,000 commits of 100,000 files):
            # given only when the records are a folder of the work tree
            *(["--", "."] if self.prefix else []),
            input_text="".join(f"{sha}\n" for sha in shas),
        )
        added: dict[str, Shard] = {}
        for sha, meta, changes in _parse(out, self.prefix):
            self.commits[sha] = meta
            for rel, touch in changes:
                added.setdefault(shard_key(rel), {}).setdefault(rel, []).append(touch)
        for key, new in added.items():
            shard = self._shard(key)
            for rel, touches in new.items():
                shard.setdefault(rel, []).extend(touches)
        if self.saving:
            with contextlib.suppress(OSError):  # a read-only checkout: answered, not kept
                self._save(added)

    def _save(self, changed: Iterable[str]) -> None:
        from oa.core.index import write_atomic

        self.folder.mkdir(parents=True, exist_ok=True)
        replaced: list[str] = []
        for key in changed:
            name = f"{hashlib.sha1(key.encode()).hexdigest()[:12]}.{os.urandom(4).hex()}.marshal"
            write_atomic(self.folder / name, marshal.dumps(self.shards[key]))
            if key in self.files:
                replaced.append(self.files[key])
            self.files[key] = name
        manifest = {
            "format": _FORMAT,
            "prefix": self.prefix,
            "commits": self.commits,
            "shards": self.files,
        }
        write_atomic(self.folder / MANIFEST, marshal.dumps(manifest))
        named = {*self.files.values(), MANIFEST}
        left = replaced if self.taken_up else [p.name for p in self.folder.glob("*.marshal")]
        for name in left:
            if name not in named:
                with contextlib.suppress(OSError):
                    (self.folder / name).unlink()
        self.taken_up = True


def _parse(out: str, prefix: str) -> Iterable[tuple[str, Meta, list[tuple[str, Touch]]]]:
    """`git diff-tree --stdin -z --format=…` output: each commit's facts and its changes."""
    cut = len(prefix)
    for chunk in out.split(_REC)[1:]:
        parts = chunk.split(_SEP, 6)
        if len(parts) < 7:
            continue
        sha, author, email, time, subject, body, raw = parts
        action = trailers(body).get("OA-Action", "")
        changes: list[tuple[str, Touch]] = []
        for status, was, now, old, new in raw_entries(raw):
            path = now if now is not None else was  # no renames: the one file changed
            if path is None or (prefix and not path.startswith(prefix)):
                continue
            both = status in "MT"
            changes.append(
                (path[cut:], (sha, status, old if both else None, new if both else None))
            )
        yield sha, (author, email, time, subject, action), changes


def raw_entries(raw: str) -> Iterator[tuple[str, str | None, str | None, str, str]]:
    """The entries of git's `--raw -z` output: (status letter, old path, new path, old blob,
    new blob), the old path None for an added file and the new one None for a deleted file."""
    fields = [f.lstrip("\n") for f in raw.strip("\n").split("\0")]
    i = 0
    while i + 1 < len(fields):
        entry = fields[i]
        if not entry.startswith(":"):  # ":<old mode> <new mode> <old id> <new id> <status>"
            i += 1
            continue
        _, _, old_blob, new_blob, status = entry[1:].split(" ")
        kind = status[0]
        if kind in "RC":
            old, new = fields[i + 1], fields[i + 2]
            i += 3
        else:
            old = new = fields[i + 1]
            i += 2
        yield kind, None if kind == "A" else old, None if kind == "D" else new, old_blob, new_blob


def trailers(body: str) -> dict[str, str]:
    """The OA- trailers of a commit message's last paragraph."""
    out: dict[str, str] = {}
    for line in body.strip().splitlines()[::-1]:
        if not line.strip():
            break
        key, sep, value = line.partition(": ")
        if sep and key.startswith("OA-"):
            out[key] = value.strip()
    return out

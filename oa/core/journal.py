"""The write journal: what a write is about to change, kept in `.oa/pending.json` until its commit
is made (or it is rolled back). A process killed between writing a record and committing it leaves
the journal behind; the next write rolls the change back — or, if the commit did land, just drops
the journal — so no step is ever left on disk uncommitted, swept into someone else's commit, or
holding a number that was never given (S-GEN-2).
"""

from __future__ import annotations

import base64
import contextlib
import json
import shutil
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from oa.core import gitops
from oa.core.errors import Finding
from oa.core.store import Store
from oa.core.yamlio import atomic_write

JOURNAL = ".oa/pending.json"


def _head(store: Store) -> str | None:
    if not gitops.is_repo(store.root) or not gitops.has_head(store.root):
        return None
    return gitops.git(store.root, "rev-parse", "HEAD").strip()


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = path

    def undone(self) -> None:
        """The write was refused or failed and the caller put everything back: nothing is
        pending (else the next command would report an interrupted change, OA009)."""
        self.path.unlink(missing_ok=True)


@contextmanager
def journaled(
    store: Store, rid: str, paths: Sequence[str], files_dir: str | None = None
) -> Iterator[Journal]:
    """Around a write and its commit: the journal exists exactly while the change is unfinished."""
    previous: dict[str, str | None] = {}
    for rel in paths:
        path = store.root / rel
        previous[rel] = base64.b64encode(path.read_bytes()).decode() if path.is_file() else None
    entry = {"rid": rid, "head": _head(store), "previous": previous, "files_dir": files_dir}
    atomic_write(store.root / JOURNAL, json.dumps(entry, ensure_ascii=False))
    yield Journal(store.root / JOURNAL)
    (store.root / JOURNAL).unlink(missing_ok=True)


def recover(store: Store) -> None:
    """Finish what a killed `oa` left: drop the journal when its commit landed, else roll back."""
    path = store.root / JOURNAL
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return
    except (OSError, ValueError):
        path.unlink(missing_ok=True)  # half-written: the write it announced never started
        return
    rid = str(entry.get("rid"))
    head, now = entry.get("head"), _head(store)
    if now is not None and now != head:
        since = f"{head}..HEAD" if head else "HEAD"
        records = gitops.git(
            store.root, "log", "--format=%(trailers:key=OA-Record,valueonly)", since, check=False
        )
        if rid in records.split():
            path.unlink(missing_ok=True)
            return
    previous: dict[str, str | None] = entry.get("previous") or {}
    if now is not None:
        gitops.git(store.root, "reset", "-q", "--", *previous)  # refuses while git holds its lock
    for rel, data in previous.items():
        target = store.root / rel
        if data is None:
            target.unlink(missing_ok=True)
        else:
            atomic_write(target, base64.b64decode(data).decode("utf-8"))
    if entry.get("files_dir") and all(v is None for v in previous.values()):
        shutil.rmtree(store.root / str(entry["files_dir"]), ignore_errors=True)
    path.unlink(missing_ok=True)
    sys.stderr.write(
        Finding(
            next(iter(previous), JOURNAL),
            0,
            "OA009",
            f"an interrupted change to {rid} was never committed: rolled back",
            severity="warning",
        ).format()
        + "\n"
    )


def pending_files_dir(root: Path) -> str | None:
    """The `.files` folder a killed create may have left before its record was written."""
    with contextlib.suppress(OSError, ValueError):
        entry = json.loads((root / JOURNAL).read_text(encoding="utf-8"))
        return str(entry["files_dir"]) if entry.get("files_dir") else None
    return None


def pending(root: Path) -> Finding | None:
    """A journal left by a killed write, as a warning for `oa validate`."""
    path = root / JOURNAL
    if not path.is_file():
        return None
    with contextlib.suppress(OSError, ValueError):
        rid = json.loads(path.read_text(encoding="utf-8")).get("rid")
        return Finding(
            JOURNAL,
            0,
            "OA009",
            f"an interrupted change to {rid} is pending: the next oa write finishes or "
            "rolls it back",
            severity="warning",
        )
    return None

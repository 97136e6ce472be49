"""What each year folder holds, kept in `.oa/` while the folder is unchanged.

Listing 140 year folders of a 100,000-record office took a fifth of a second on every command
(the names of 116,000 entries made again each time). A folder's mtime changes whenever an entry
is added, removed or renamed in it, so its listing is kept under its stat data and taken again
only when that changed. Like git's untracked cache, a listing is kept only once its folder has
been still for a while: two changes within one tick of the file system's clock leave the same
mtime, and a folder changed moments ago could change again unseen.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import time
from pathlib import Path

from oa.core.index import write_atomic

FOLDERS_FILE = ".oa/folders.marshal"
_FORMAT = 1
#: a folder whose mtime is this recent is listed again next time
SETTLED_NS = 2_000_000_000

Stamp = tuple[int, int, int, int]
#: the names of the files in a folder and the names of its sub-folders, each sorted
Listing = tuple[list[str], list[str]]


class Folders:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / FOLDERS_FILE
        self._kept: dict[str, tuple[Stamp, list[str], list[str]]] = self._read()
        self._changed = False
        self._asked: set[str] = set()

    def _read(self) -> dict[str, tuple[Stamp, list[str], list[str]]]:
        try:
            saved = marshal.loads(self.path.read_bytes())
        except Exception:  # missing, damaged or another Python's: every folder is listed
            return {}
        if isinstance(saved, dict) and saved.get("format") == _FORMAT:
            kept: dict[str, tuple[Stamp, list[str], list[str]]] = saved["folders"]
            return kept
        return {}

    def listing(self, rel: str) -> Listing | None:
        """The files and sub-folders of `rel` (relative to the root); None when it is not a
        readable folder."""
        self._asked.add(rel)
        started = time.time_ns()
        try:
            st = os.stat(self.root / rel)
        except OSError:
            return None
        stamp = (st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
        kept = self._kept.get(rel)
        if kept is not None and kept[0] == stamp:
            return kept[1], kept[2]
        files: list[str] = []
        dirs: list[str] = []
        try:
            with os.scandir(self.root / rel) as entries:
                for entry in entries:
                    (dirs if entry.is_dir() else files).append(entry.name)
        except OSError:
            return None
        files.sort()
        dirs.sort()
        if max(st.st_mtime_ns, st.st_ctime_ns) < started - SETTLED_NS:
            self._kept[rel] = (stamp, files, dirs)
            self._changed = True
        elif self._kept.pop(rel, None) is not None:
            self._changed = True
        return files, dirs

    def save(self, everything_asked: bool = False) -> None:
        """Keep the listings; when every folder was asked for, those of folders gone since are
        dropped."""
        if everything_asked:
            gone = set(self._kept) - self._asked
            for rel in gone:
                del self._kept[rel]
            self._changed = self._changed or bool(gone)
        if not self._changed:
            return
        with contextlib.suppress(OSError):  # a read-only checkout lists its folders each time
            self.path.parent.mkdir(exist_ok=True)
            write_atomic(self.path, marshal.dumps({"format": _FORMAT, "folders": self._kept}))
        self._changed = False

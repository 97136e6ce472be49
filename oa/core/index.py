"""The index in `.oa/`: what loading and checking each record file found, so that an unchanged
file is never parsed twice.

Each entry is keyed by the file's git blob id when git tracks it and its copy is unchanged (git
says so for every file at once, see gitops.clean_blobs), and otherwise by its (size, mtime, ctime,
inode): any write changes the ctime, so a changed file is never mistaken for an unchanged one,
whatever git or an editor does. The index is a cache, never the source of truth: it is thrown
away when oa's code or record schemas change, rebuilt when `oa.yaml`, a workflow or a calendar
file changes, written atomically (a crashed writer leaves the previous index or none), and simply
rebuilt when unreadable.

Beside the index, `.oa/report.pickle` keeps the findings of the last whole-repository validation
under a digest of every file's key: when nothing changed, `oa validate` prints them after listing
the folders, without opening a record or the index.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import hashlib
import marshal
import os
import pickle
from collections.abc import Callable, Collection, Container, Iterable, Iterator
from functools import cache
from operator import itemgetter
from pathlib import Path
from time import time
from typing import Any

import oa
from oa.core.errors import Finding

INDEX_FILE = ".oa/index.marshal"
OPEN_FILE = ".oa/open.pickle"
REPORT_FILE = ".oa/report.pickle"
#: what git listed of its index, kept while that index is unchanged (see gitops.clean_blobs)
GIT_LISTING_FILE = ".oa/git-listing.marshal"
_FORMAT = 2

#: a git blob id, or (size, mtime, ctime, inode) for a file git does not hold as it is
FileKey = str | tuple[int, int, int, int]


class Entry:
    """What the index knows of one record file. An entry read from the index gets its summary
    from the summaries file the first time any entry's is asked for: the to-do list, the
    deadlines and the writes, which need keys and open records only, skip reading 100,000."""

    __slots__ = (
        "_from",
        "_summary",
        "agenda",
        "closes",
        "deps",
        "findings",
        "is_open",
        "key",
        "loads",
        "rid",
    )

    def __init__(
        self,
        key: FileKey,
        rid: str | None,
        summary: dict[str, Any] | None,
        is_open: bool,
        findings: list[Finding],
        deps: dict[str, Any] | None = None,
        agenda: tuple[str, str] | None = None,
    ) -> None:
        self.key = key
        #: the record's ID as written, even when the file has findings (for duplicate IDs)
        self.rid = rid
        #: whether the workflow still offers a step (the whole record is then kept, see data_of)
        self.is_open = is_open
        #: what loading and checking this file found
        self.findings = findings
        #: files the checks consulted (path → existed, or their key when the content mattered),
        #: re-checked on every use
        self.deps = deps if deps is not None else {}
        #: whether the file loads cleanly (it then has a summary)
        self.loads = summary is not None
        #: the record a dispatched reply closes (see Kind.closes)
        self.closes = str(summary["closes"]) if summary and summary.get("closes") else None
        #: the first and last day (ISO) the record puts on the office's calendar (Kind.agenda)
        self.agenda = agenda
        self._summary: Any = summary
        self._from: Summaries | None = None

    @classmethod
    def unread(cls, rel: str, plain: tuple[Any, ...], source: Summaries | None) -> Entry:
        """An entry as the index file holds it, its summary left in `source` until asked for."""
        key, rid, loads, is_open, findings, deps, closes, agenda = plain
        entry = cls.__new__(cls)
        entry.key, entry.rid, entry.is_open, entry.deps = key, rid, is_open, deps
        entry.findings = [Finding(*f) for f in findings] if findings else []
        entry.loads, entry.closes, entry.agenda = loads, closes, agenda
        entry._summary, entry._from = rel, source
        return entry

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as plain data (from the index-building workers): half the time of pickling
        an object's slots."""
        return (_restored, (self.plain(), self.summary))

    @property
    def summary(self) -> dict[str, Any] | None:
        """Small plain fields every listing needs; None when the file does not load cleanly."""
        if self._from is not None:
            self._summary = self._from.get(self._summary) if self.loads else None
            self._from = None
        summary: dict[str, Any] | None = self._summary
        return summary

    def plain(self) -> tuple[Any, ...]:
        findings = (
            [(f.path, f.line, f.code, f.message, f.severity) for f in self.findings]
            if self.findings
            else []
        )
        return (
            self.key,
            self.rid,
            self.loads,
            self.is_open,
            findings,
            self.deps,
            self.closes,
            self.agenda,
        )


def _restored(plain: tuple[Any, ...], summary: dict[str, Any] | None) -> Entry:
    entry = Entry.unread("", plain, None)
    entry._summary = summary
    return entry


class Summaries:
    """Every entry's summary, in a file of its own named by a token the index file gives, read
    whole on first use. Written before the index that names it, and the one it replaces removed
    after, so a crashed writer leaves an index whose summaries are there.

    When few records changed, the whole file (30 MB for 100,000 records) is not written again:
    the summaries that changed go to a small overlay file the index names beside it, read over
    the whole one. Once the overlay holds OVERLAY_MAX summaries, both are written as one again.
    """

    def __init__(self, root: Path, token: str | None, overlay: str | None = None) -> None:
        self.root = root
        self.token = token
        self.overlay = overlay
        self._data: dict[str, dict[str, Any]] | None = None if token else {}
        #: whether a summary was missing (a damaged file): the index is then saved again
        self.missing = False
        #: makes a missing summary from the record file itself (set by the indexer)
        self.fallback: Callable[[str], dict[str, Any] | None] | None = None

    @staticmethod
    def path(root: Path, token: str) -> Path:
        return root / ".oa" / f"summaries-{token}.marshal"

    @staticmethod
    def rows_path(root: Path, token: str) -> Path:
        """Beside a whole summaries file: the listing row of each summary (`listing_row`),
        which `oa list` reads in about half the time of the summaries themselves."""
        return root / ".oa" / f"rows-{token}.marshal"

    def data(self) -> dict[str, dict[str, Any]]:
        if self._data is None:
            assert self.token is not None
            with no_gc():
                try:
                    saved = marshal.loads(self.path(self.root, self.token).read_bytes())
                    self._data = saved if isinstance(saved, dict) else {}
                    self._data.update(self.overlaid())
                except Exception:  # damaged: each summary is made again from its file, and
                    self._data = {}  # the index is rebuilt by the next command
                    with contextlib.suppress(OSError):
                        (self.root / INDEX_FILE).unlink()
        return self._data

    def overlaid(self) -> dict[str, dict[str, Any]]:
        """The summaries in the overlay file alone (raises when it is damaged)."""
        if self.overlay is None:
            return {}
        saved = marshal.loads(self.path(self.root, self.overlay).read_bytes())
        if not isinstance(saved, dict):
            raise ValueError("damaged overlay")
        return saved

    def get(self, rel: str) -> dict[str, Any] | None:
        data = self.data()
        found = data.get(rel)
        if found is None and self.fallback is not None:
            self.missing = True
            found = self.fallback(rel)
            if found is not None:
                data[rel] = found
        return found


#: what a listing shows of a record, from its summary (query.Row without its path): every
#: summary holds these (indexer.summarize), the texts as texts
listing_row: Callable[[dict[str, Any]], tuple[Any, ...]] = itemgetter(
    "id", "kind", "title", "state", "state_label", "summary", "department", "updated"
)


#: summaries an overlay holds before the whole summaries file is written again
OVERLAY_MAX = 5000


@cache
def code_version() -> str:
    """Changes whenever oa's code — and so any record schema or check — changes: the index is
    then rebuilt. (Hashing the source is quicker than generating the schemas.)"""
    h = hashlib.sha1(f"{_FORMAT}\0{oa.__version__}".encode())
    package = Path(oa.__file__).parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    from importlib.metadata import entry_points

    # kinds from other packages, by name and version (not imported: a listing needs none)
    for ep in sorted(entry_points(group="oa.kinds"), key=lambda ep: (ep.name, ep.value)):
        version = ep.dist.version if ep.dist is not None else ""
        h.update(f"{ep.name}\0{ep.value}\0{version}".encode())
    return h.hexdigest()


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Bulk loading makes hundreds of thousands of objects that live as long as the command: the
    cyclic collector would walk them again and again for nothing (it tripled the index's load
    time), so it is off meanwhile and what was loaded is frozen out of its reach afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def file_key(st: os.stat_result) -> FileKey:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def config_digest(root: Path) -> str:
    h = hashlib.sha1(code_version().encode())
    for rel in ["oa.yaml", *sorted(_config_files(root))]:
        path = root / rel
        h.update(rel.encode())
        with contextlib.suppress(OSError):
            h.update(path.read_bytes())
    return h.hexdigest()


def _config_files(root: Path) -> Iterator[str]:
    for folder in ("workflows", "calendar"):
        base = root / folder
        if base.is_dir():
            for path in base.glob("*.yaml"):
                yield f"{folder}/{path.name}"


def dep_holds(root: Path, rel: str, seen: Any, clean: Container[str] = ()) -> bool:
    """Whether a dependency is as it was: a file's existence (bool), a folder's being non-empty
    (path ending in /), or a file's content (its key, as a list). A file among `clean` (tracked
    and unchanged, see gitops.clean_blobs) exists without asking the file system."""
    if seen is True and rel in clean:
        return True
    if rel.endswith("/"):
        path = root / rel[:-1]
        return bool(path.is_dir() and any(path.iterdir())) is seen
    if isinstance(seen, list):
        try:
            return list(file_key((root / rel).stat())) == seen
        except OSError:
            return False
    return (root / rel).is_file() is seen


class Index:
    """Entries in `.oa/index.marshal` (plain data: marshal reads it several times faster than
    pickle), their summaries in a file of their own (see Summaries), the whole open records in
    `.oa/open.pickle`; the last two are read only when asked for."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / INDEX_FILE
        self.config = config_digest(root)
        self._entries: dict[str, Entry] | None = {}
        self.changed = False
        self.summaries = Summaries(root, None)
        self._open: dict[str, dict[str, Any]] | None = None
        #: the entries as read, plain and as objects: saving reuses the plain form of those
        #: still the same object (one record changed need not re-flatten 100,000)
        self._saved: dict[str, Any] = {}
        self._as_loaded: dict[str, Entry] = {}
        self._load()

    def _load(self) -> None:
        with no_gc():
            try:
                saved = marshal.loads(self.path.read_bytes())
            except FileNotFoundError:
                return
            except Exception:  # a damaged cache (or another Python's marshal) is rebuilt
                self.changed = True
                return
            overlay = saved.get("overlay") if isinstance(saved, dict) else None
            if (
                not isinstance(saved, dict)
                or saved.get("config") != self.config
                or not Summaries.path(self.root, str(saved.get("summaries"))).is_file()
                or (overlay is not None and not Summaries.path(self.root, overlay).is_file())
            ):
                self.changed = True
                return
            self.summaries = Summaries(self.root, saved["summaries"], overlay)
            self._saved = saved["entries"]
            self._entries = None  # made from the plain ones when first asked for

    @property
    def entries(self) -> dict[str, Entry]:
        """Every entry, made from the plain ones read on first use: a listing of an unchanged
        index compares keys and reads summaries from the plain ones alone (see `outdated`,
        `all_rows`, `all_summaries`), without making 100,000 objects."""
        if self._entries is None:
            unread, source = Entry.unread, self.summaries
            with no_gc():
                self._entries = {
                    rel: unread(rel, plain, source) for rel, plain in self._saved.items()
                }
            self._as_loaded = dict(self._entries)
        return self._entries

    def outdated(
        self, scan: list[tuple[str, FileKey]], holds: Callable[[str, Any], bool]
    ) -> tuple[list[tuple[str, FileKey]], list[str]]:
        """The scanned files whose entry is missing, was made from a file of another key, or
        consulted a file that is not as it was (`holds(path, seen)`); and the entries whose file
        is gone. An index read from its file is compared as plain data."""
        todo: list[tuple[str, FileKey]] = []
        if self._entries is None:
            plain = self._saved.get
            for rel, key in scan:
                found = plain(rel)
                if (
                    found is None
                    or found[0] != key
                    or (found[5] and not all(holds(d, v) for d, v in found[5].items()))
                ):
                    todo.append((rel, key))
        else:
            entry = self._entries.get
            for rel, key in scan:
                e = entry(rel)
                if (
                    e is None
                    or e.key != key
                    or (e.deps and not all(holds(d, v) for d, v in e.deps.items()))
                ):
                    todo.append((rel, key))
        paths = self.paths()
        new = sum(1 for rel, _ in todo if rel not in paths)
        if len(paths) == len(scan) - new:  # every entry's file was scanned
            return todo, []
        return todo, sorted(set(paths) - {rel for rel, _ in scan})

    def paths(self) -> Collection[str]:
        """The record files the index holds an entry for."""
        return self._saved if self._entries is None else self._entries

    def unloadable(self) -> list[str]:
        """The files whose entry has no summary (they do not load cleanly), in path order."""
        if self._entries is None:
            return sorted(rel for rel, plain in self._saved.items() if not plain[2])
        return sorted(rel for rel, entry in self._entries.items() if not entry.loads)

    def all_rows(self, folder: str = "") -> dict[str, tuple[Any, ...]] | None:
        """`listing_row` of every entry that loads cleanly (under `folder`), in path order, from
        the rows file beside the summaries and the overlay's summaries; None when an entry was
        made in this command or a row is missing (the caller then reads the summaries)."""
        token = self.summaries.token
        if self._entries is not None or token is None:
            return None
        with no_gc():
            try:
                rows = marshal.loads(Summaries.rows_path(self.root, token).read_bytes())
                if not isinstance(rows, dict):
                    return None
                for rel, summary in self.summaries.overlaid().items():
                    rows[rel] = listing_row(summary)
            except Exception:  # missing or damaged: the summaries say the same
                return None
            saved = self._saved
            out: dict[str, tuple[Any, ...]] = {}
            for rel in sorted(saved):
                if saved[rel][2] and rel.startswith(folder):
                    row = rows.get(rel)
                    if row is None:
                        return None
                    out[rel] = row
        return out

    def all_summaries(self, folder: str = "") -> dict[str, dict[str, Any]]:
        """The summary of every entry that loads cleanly (under `folder`), in path order: read
        in one sweep, a fifth of the time of asking each entry for its own."""
        out: dict[str, dict[str, Any]] = {}
        made, saved = self._entries, self._saved
        read: dict[str, dict[str, Any]] | None = None
        with no_gc():
            for rel in sorted(self.paths()):
                if not rel.startswith(folder):
                    continue
                entry = made[rel] if made is not None else None
                if not (entry.loads if entry is not None else saved[rel][2]):
                    continue
                summary: dict[str, Any] | None
                if entry is not None and entry._from is None:
                    summary = entry._summary  # made in this command
                else:
                    if read is None:
                        read = self.summaries.data()
                    summary = read.get(rel)
                    if summary is None:
                        summary = self.summaries.get(rel)  # made again from the record file
                if summary is not None:
                    out[rel] = summary
        return out

    def _opened(self) -> dict[str, dict[str, Any]]:
        if self._open is None:
            self._open = {}
            try:
                with (self.root / OPEN_FILE).open("rb") as fh:
                    saved = pickle.load(fh)
                if isinstance(saved, dict) and saved.get("config") == self.config:
                    self._open = saved["data"]
            except Exception:  # missing or damaged: the files themselves are read instead
                self._open = {}
        return self._open

    def data_of(self, rel: str) -> dict[str, Any]:
        """The whole record of an entry: an open one's is kept beside the index (read from its
        file when the copy is missing); a closed one's is read from its file each time."""
        opened = self._opened()
        data = opened.get(rel)
        if data is None:
            from oa.core import yamlio

            data = yamlio.load_mapping((self.root / rel).read_bytes(), rel)
            entry = self.entries.get(rel)
            if entry is not None and entry.is_open:  # a closed record is read, not kept
                opened[rel] = data
                self.changed = True
        return data

    def set_data(self, rel: str, data: dict[str, Any] | None) -> None:
        opened = self._opened()
        if data is None:
            opened.pop(rel, None)
        else:
            opened[rel] = data

    def save(self, aside: bool = False) -> None:
        """Write what changed. `aside`: in a forked child, while this process goes on (to the
        collection checks, after a cold build: a second of writing 100,000 entries overlaps
        them); `wait_for_saves` waits for it, as every command does before it ends. This
        process does not learn the names the child gave the summaries files, so only an index
        made whole in this command (nothing of it left to read from those files) is saved so."""
        if not (self.changed or self.summaries.missing):
            return
        if aside and hasattr(os, "fork"):
            wait_for_saves()
            try:
                pid = os.fork()
            except OSError:  # no process to spare: written in line
                self._write()
                return
            if pid == 0:  # the child: write, and leave without running the parent's exit code
                status = 1
                try:
                    self._write()
                    status = 0
                finally:
                    os._exit(status)
            _SAVING.append(pid)
            self.changed = False
            return
        self._write()

    def _write(self) -> None:
        as_loaded, saved = self._as_loaded, self._saved
        plain = {  # in path order: a listing reads them in it (sorting sorted keys is quick)
            rel: saved[rel] if as_loaded.get(rel) is e else e.plain()
            for rel, e in sorted(self.entries.items())
        }
        base, overlay = self._summaries_to_write()
        old_overlay = self.summaries.overlay
        try:
            self.path.parent.mkdir(exist_ok=True)
            if base is not None:
                token: str | None = os.urandom(8).hex()
                write_atomic(Summaries.path(self.root, str(token)), marshal.dumps(base))
                rows = {rel: listing_row(summary) for rel, summary in base.items()}
                write_atomic(Summaries.rows_path(self.root, str(token)), marshal.dumps(rows))
            else:
                token = self.summaries.token
            overlay_token = None
            if overlay:
                overlay_token = os.urandom(8).hex()
                write_atomic(Summaries.path(self.root, overlay_token), marshal.dumps(overlay))
            index = {
                "config": self.config,
                "summaries": token,
                "overlay": overlay_token,
                "entries": plain,
            }
            write_atomic(self.path, marshal.dumps(index))
            # the files read from now on (what was read already holds for unchanged entries)
            self.summaries.token, self.summaries.overlay = token, overlay_token
            if self._open is not None:
                opened = {rel: d for rel, d in self._open.items() if rel in self.entries}
                write_atomic(
                    self.root / OPEN_FILE,
                    pickle.dumps(
                        {"config": self.config, "data": opened}, protocol=pickle.HIGHEST_PROTOCOL
                    ),
                )
            self.changed = False
        except OSError:  # a read-only checkout still works, only without the cache
            return
        named = {f"summaries-{t}.marshal" for t in (token, overlay_token) if t}
        named.add(f"rows-{token}.marshal")
        replaced = f"summaries-{old_overlay}.marshal" if old_overlay else ""
        folder = self.root / ".oa"
        for stale in [*folder.glob("summaries-*.marshal"), *folder.glob("rows-*.marshal")]:
            # the overlay replaced, and whole files nobody has named for ten minutes (another
            # oa, saving at the same moment, may name the one this replaced: each save that
            # keeps a whole file touches it first) or a crashed writer left
            if stale.name in named:
                continue
            with contextlib.suppress(OSError):
                if stale.name == replaced or stale.stat().st_mtime < time() - 600:
                    stale.unlink()

    def _summaries_to_write(
        self,
    ) -> tuple[dict[str, dict[str, Any]] | None, dict[str, dict[str, Any]]]:
        """The whole summaries to write (None: the whole file stays as it is) and the overlay
        to write over it: one record changed need not write 100,000 summaries again."""
        as_loaded, entries = self._as_loaded, self.entries
        changed = [rel for rel, e in entries.items() if e.loads and as_loaded.get(rel) is not e]
        token = self.summaries.token
        if token and not self.summaries.missing and len(changed) < OVERLAY_MAX:
            try:
                kept: dict[str, dict[str, Any]] | None = self.summaries.overlaid()
                os.utime(Summaries.path(self.root, token))  # in use: see save's clean-up
                with contextlib.suppress(OSError):
                    os.utime(Summaries.rows_path(self.root, token))
            except Exception:  # a damaged overlay, or the whole file gone: write it whole
                kept = None
            if kept is not None:
                overlay = {
                    rel: summary
                    for rel, summary in kept.items()
                    if as_loaded.get(rel) is entries.get(rel) is not None
                }
                for rel in changed:
                    summary = entries[rel].summary
                    if summary is not None:
                        overlay[rel] = summary
                if len(overlay) <= OVERLAY_MAX:
                    return None, overlay
        read = self.summaries.data() if token else {}
        whole: dict[str, dict[str, Any]] = {
            rel: summary
            for rel, e in entries.items()
            if e.loads
            and (summary := read[rel] if as_loaded.get(rel) is e and rel in read else e.summary)
            is not None
        }
        return whole, {}


#: children writing an index aside (Index.save)
_SAVING: list[int] = []


def wait_for_saves() -> None:
    """Wait for the index writers this process forked: the next command reads what they wrote."""
    while _SAVING:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(_SAVING.pop(), 0)


atexit.register(wait_for_saves)


def write_atomic(path: Path, data: bytes) -> None:
    """A cache file replaced whole: a reader sees the old one or the new one, never half."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def tree_digest(
    root: Path, files: Iterable[tuple[str, FileKey]], strays: Iterable[str], today: str
) -> str:
    """A digest of the configuration, the office's date (some collection checks count workdays
    to today, e.g. mail not delivered in time), every record file's key and every stray file's
    name: equal digests (and dependencies that still hold) mean equal findings."""
    h = hashlib.sha1(f"{config_digest(root)}\0{today}".encode())
    for rel, key in sorted(files):
        h.update(f"{rel}\0{key}\n".encode())
    for rel in sorted(strays):
        h.update(f"stray\0{rel}\n".encode())
    return h.hexdigest()


def load_report(
    root: Path, digest: str, clean: Container[str] = ()
) -> tuple[int, list[Finding]] | None:
    """The last whole-repository findings, if nothing they depend on has changed since."""
    try:
        with (root / REPORT_FILE).open("rb") as fh:
            saved = pickle.load(fh)
    except Exception:
        return None
    if not isinstance(saved, dict) or saved.get("digest") != digest:
        return None
    if not all(dep_holds(root, rel, seen, clean) for rel, seen in saved["deps"].items()):
        return None
    return saved["checked"], saved["findings"]


def save_report(
    root: Path, digest: str, checked: int, findings: list[Finding], deps: dict[str, Any]
) -> None:
    path = root / REPORT_FILE
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(exist_ok=True)
        with tmp.open("wb") as fh:
            pickle.dump(
                {"digest": digest, "checked": checked, "findings": findings, "deps": deps},
                fh,
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()

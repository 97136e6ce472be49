"""Bringing the `.oa/` index up to date: every record file whose key changed is loaded, checked
and summarised again; every other one is taken from the index as it is."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from typing import Any

from oa.core.errors import OAError
from oa.core.index import Entry, FileKey, Index, dep_holds, no_gc
from oa.core.query import state_label
from oa.core.registry import kinds
from oa.core.store import Loaded, Store
from oa.core.validate import check_record, people_in
from oa.core.yamlio import plain


def summarize(store: Store, data: dict[str, Any]) -> dict[str, Any]:
    """The fields listings, to-do lists and collection checks need, without the whole record —
    plain values only (times as ISO text), so the index loads fast."""
    kind = kinds()[str(data["kind"])]
    summary: dict[str, Any] = {k: data.get(k) for k in ("id", "kind", "title", "state")}
    summary["updated"] = data["history"][-1]["at"]
    # the state's name in the workflow (a listing then needs no workflow, nor any kind's code)
    summary["state_label"] = state_label(store, kind.name, str(summary["state"]))
    summary["department"] = data.get(kind.department_field) if kind.department_field else None
    summary["summary"] = (kind.summary(data) if kind.summary else "") or ""
    summary["people"] = sorted(people_in(kind.model, data))
    summary["closes"] = kind.closes(data) if kind.closes else None
    stamp = data.get("archive")
    summary["archive"] = (
        {k: stamp.get(k) for k in ("code", "year", "retention", "department", "item")}
        if isinstance(stamp, dict)
        else None
    )
    for name in kind.index_fields:
        summary[name] = data.get(name)
    return {name: _plain_shared(value) for name, value in summary.items()}


#: one object per short text among the summaries this process makes (names, states, departments)
_SHARED: dict[str, str] = {}


def _plain_shared(value: Any) -> Any:
    """The value made plain (yamlio.plain), with each short text made one object however often
    it occurs: marshal (and pickle, from the workers) then write a reference for every repeat,
    and reading the index makes one string where there were hundreds of thousands (a third off
    its load time)."""
    kind = type(value)
    if kind is str:  # most values, then None
        return _SHARED.setdefault(value, value) if len(value) <= 40 else value
    if value is None:
        return None
    if kind is list:
        return [_plain_shared(v) for v in value]
    if kind is dict:
        return {k if type(k) is str else str(k): _plain_shared(v) for k, v in value.items()}
    value = plain(value)
    if type(value) is not str:
        return value
    return _SHARED.setdefault(value, value) if len(value) <= 40 else value


def _is_open(store: Store, data: dict[str, Any]) -> bool:
    try:
        return bool(store.workflow(str(data["kind"])).actions_from(str(data["state"])))
    except OAError:
        return True


def build_entry(store: Store, loaded: Loaded, key: FileKey) -> tuple[Entry, dict[str, Any] | None]:
    """The index entry of a file, and the whole record when it is open."""
    if loaded.findings or loaded.record is None or loaded.data is None:
        return Entry(key, loaded.rid, None, False, list(loaded.findings)), None
    store.deps = {}
    try:
        findings = check_record(store, loaded)
        deps = store.deps
    finally:
        store.deps = None
    data = loaded.data
    is_open = _is_open(store, data)
    summary = summarize(store, data)
    entry = Entry(key, loaded.rid, summary, is_open, findings, deps, _agenda_days(store, data))
    return entry, data if is_open else None


_WHOLE_CALENDAR = (date.min.isoformat(), date.max.isoformat())


def _agenda_days(store: Store, data: dict[str, Any]) -> tuple[str, str] | None:
    """The first and last day the record puts on the office's calendar, so that the work
    arrangement reads only the records whose days meet its fortnight. (A hook reads the record,
    the office's settings and calendar — all in the index's configuration digest.)"""
    kind = kinds()[str(data["kind"])]
    if kind.agenda is None:
        return None
    try:
        days = [item.day for item in kind.agenda(store, data, date.min, date.max)]
    except Exception:  # a record the hook cannot read: the arrangement asks it each time
        return _WHOLE_CALENDAR
    return (min(days).isoformat(), max(days).isoformat()) if days else None


#: below this many files to (re)load, one process is quicker than starting workers
PARALLEL_FROM = 2000


Built = tuple[str, Entry, dict[str, Any] | None]


def _build(store: Store, todo: list[tuple[str, FileKey]]) -> list[Built]:
    out: list[Built] = []
    root = str(store.root) + os.sep
    for rel, key in todo:
        raw = _read(root + rel)
        entry, data = build_entry(store, store.load_bytes(rel, raw), key)
        out.append((rel, entry, data))
    return out


def _read(path: str) -> bytes:
    """A file's bytes by the descriptor alone: half the time of open() and its buffered file
    object, which indexing pays 100,000 times."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


#: the store a forked worker builds with: the parent's, inherited as it is (its office,
#: calendar and workflows already loaded)
_FORKED: Store | None = None

#: pieces per worker: a worker that finishes early takes another, and the parent reads the
#: results of one while the workers build the next
PIECES_PER_WORKER = 8


def _build_in_worker(todo: list[tuple[str, FileKey]]) -> list[Built]:
    assert _FORKED is not None
    with no_gc():  # what it builds lives until sent back: the collector only walked it (-25%)
        return _build(_FORKED, todo)


def _build_all(store: Store, todo: list[tuple[str, FileKey]]) -> list[Built]:
    """Load and check files, on every core when there are many (a cold index on a large office)."""
    global _FORKED
    workers = min(os.cpu_count() or 1, 8)
    if len(todo) < PARALLEL_FROM or workers < 2:
        return _build(store, todo)
    pieces = workers * PIECES_PER_WORKER
    chunks = [todo[i::pieces] for i in range(pieces)]
    context = multiprocessing.get_context("fork")
    _FORKED = store
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return [item for part in pool.map(_build_in_worker, chunks) for item in part]
    finally:
        _FORKED = None


def refresh(store: Store) -> Index:
    index = Index(store.root)
    index.summaries.fallback = lambda rel: summarize(store, index.data_of(rel))
    clean = store.clean_blobs
    root = store.root

    def holds(rel: str, seen: Any) -> bool:
        return dep_holds(root, rel, seen, clean)

    with no_gc():
        todo, gone = index.outdated(store.scan, holds)
        built_all = _build_all(store, todo)
    for rel, built, data in built_all:
        index.entries[rel] = built
        index.set_data(rel, data)
        index.changed = True
    for rel in gone:
        del index.entries[rel]
        index.set_data(rel, None)
        index.changed = True
    # built whole on every core (a cold index): written while the caller goes on
    index.save(aside=len(built_all) >= PARALLEL_FROM and len(built_all) == len(index.entries))
    return index

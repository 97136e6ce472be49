"""Listing records and finding what waits for whom (`oa list`, `oa todo`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import Any, NamedTuple

from oa.core.config import Office
from oa.core.errors import OAError
from oa.core.index import Entry, listing_row, no_gc
from oa.core.registry import kinds
from oa.core.store import Loaded, Store
from oa.core.workflow import GuardContext, Workflow, refusal, steps_of

SORT_KEYS = ("id", "state", "updated", "title", "kind")


class Row(NamedTuple):
    """One record in a listing (a plain tuple: `oa list` makes 100,000 of them)."""

    rid: str
    kind: str
    title: str
    state: str
    state_label: str
    summary: str
    department: str | None
    #: when the last step was taken, as the record writes it (ISO 8601 with its offset)
    updated: str
    path: str

    @property
    def updated_at(self) -> datetime:
        return datetime.fromisoformat(self.updated)

    @property
    def day(self) -> str:
        """The day of the last step (YYYY-MM-DD), in the offset it was written with."""
        return self.updated[:10]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.rid,
            "kind": self.kind,
            "title": self.title,
            "state": self.state,
            "state_label": self.state_label,
            "summary": self.summary,
            "department": self.department,
            "updated": self.updated,
            "path": self.path,
        }


def row(
    store: Store,
    rel: str,
    summary: dict[str, Any],
    labels: dict[tuple[str, str], str] | None = None,
) -> Row:
    """A listing row; `labels` keeps the state labels already looked up (a listing of 100,000
    rows has a few dozen)."""
    kind = str(summary["kind"])
    state = str(summary["state"])
    if summary.get("state_label") is not None:
        label = str(summary["state_label"])
    elif labels is None:
        label = state_label(store, kind, state)
    else:
        label = labels.get((kind, state)) or labels.setdefault(
            (kind, state), state_label(store, kind, state)
        )
    return Row(
        str(summary["id"]),
        kind,
        str(summary["title"]),
        state,
        label,
        str(summary.get("summary") or ""),
        summary.get("department"),
        str(summary["updated"]),
        rel,
    )


def state_label(store: Store, kind: str, state: str) -> str:
    try:
        return store.workflow(kind).state_label(state)
    except OAError:
        return state


def indexed(store: Store, kind: str | None = None) -> Iterator[tuple[str, Entry]]:
    """Index entries of the records that load cleanly, in path order. (A record that loads
    cleanly lies in its kind's folder, so the path says its kind.)"""
    entries = store.index.entries
    folder = f"{kind}/" if kind else ""
    for rel in sorted(entries):
        entry = entries[rel]
        if entry.loads and rel.startswith(folder):
            yield rel, entry


def unreadable(store: Store) -> list[str]:
    """Record files the index holds no summary for (they do not load cleanly): every listing
    leaves them out, and says so."""
    return store.index.unloadable()


def open_row(store: Store, loaded: Loaded) -> Row:
    """The listing row of an open record, from the whole record the index keeps (so that a
    to-do list does not read every record's summary)."""
    from oa.core.indexer import summarize

    assert loaded.data is not None
    return row(store, loaded.path, summarize(store, loaded.data))


def open_records(store: Store) -> Iterator[Loaded]:
    """Records whose workflow still offers a step, whole (the index keeps these)."""
    for rel, entry in indexed(store):
        if entry.is_open:
            yield Loaded(rel, data=store.index.data_of(rel))


def list_rows(
    store: Store,
    *,
    kind: str | None = None,
    state: str | None = None,
    year: int | None = None,
    person: str | None = None,
    department: str | None = None,
    sort: str = "id",
    reverse: bool = False,
) -> list[Row]:
    if kind and kind not in kinds():
        raise OAError("OA005", f"unknown kind {kind!r} (known: {', '.join(kinds())})")
    if state and not any(
        state in store.workflow(k).states for k in ([kind] if kind else list(kinds()))
    ):
        raise OAError("OA005", f"no workflow has a state {state!r} (see oa workflow KIND)")
    if sort not in SORT_KEYS:
        raise OAError("OA005", f"--sort must be one of {', '.join(SORT_KEYS)}")
    office = store.office
    who = None
    if person:
        who = office.find_person(person)
        if who is None:
            raise OAError("OA604", f"no person in oa.yaml matches {person!r}")
    dep = None
    if department:
        dep = next((d for d, v in office.departments.items() if department in (d, v.name)), None)
        if dep is None:
            raise OAError("OA005", f"unknown department {department!r}")
    folder = f"{kind}/" if kind else ""
    # the rows file (read in about half the summaries' time) when no filter needs more than it
    listed = None if who else store.index.all_rows(folder)
    if listed is None:
        with no_gc():
            listed = {
                rel: listing_row(s)
                for rel, s in store.index.all_summaries(folder).items()
                if who is None or who in s["people"]
            }
    rows: list[Row] = []
    append = rows.append
    make = tuple.__new__  # Row(...) is a Python function; this makes the same tuple in C
    with no_gc():  # 100,000 rows live as long as the command
        for rel, t in listed.items():
            if state and state != t[3]:
                continue
            if year and int(t[0].split("-")[1]) != year:
                continue
            if dep and t[6] != dep:
                continue
            append(make(Row, (*t, rel)))
    rows.sort(key=_ORDER_BY[sort], reverse=reverse)
    return rows


_ORDER_BY: dict[str, Any] = {
    "id": itemgetter(0),
    "state": lambda r: (r.state, r.rid),
    "updated": lambda r: (r.updated_at, r.rid),
    "title": lambda r: (r.title, r.rid),
    "kind": lambda r: (r.kind, r.rid),
}


def actions_for(
    office: Office, wf: Workflow, guards: dict[str, Any], data: dict[str, Any], person: str
) -> list[str]:
    """The actions `person` could take on this record right now (role, department and guards)."""
    state = str(data.get("state"))
    steps = steps_of(data.get("history") or [])
    out: list[str] = []
    for action in wf.actions_from(state):
        if refusal(wf, office, data, action, state, person):
            continue
        ctx = GuardContext(office, wf, data, steps, action, person, listing=True)
        if any(guards[g](ctx) for g in wf.actions[action].guards):
            continue
        out.append(action)
    return out


@dataclass(frozen=True)
class Waiting:
    row: Row
    actions: list[str]
    people: list[str]


def waiting(store: Store, person: str | None = None) -> list[Waiting]:
    """Open records and who can move each on; with `person`, only what that person can do."""
    office = store.office
    candidates = [person] if person else list(office.people)
    out: list[Waiting] = []
    for loaded in open_records(store):
        assert loaded.data is not None
        kind = kinds()[str(loaded.data["kind"])]
        try:
            wf = store.workflow(kind.name)
        except OAError:
            continue
        if not wf.actions_from(str(loaded.data["state"])):
            continue
        actions: list[str] = []
        people: list[str] = []
        for p in candidates:
            mine = actions_for(office, wf, kind.guards, loaded.data, p)
            if mine:
                people.append(p)
                actions.extend(a for a in mine if a not in actions)
        if actions:
            actions.sort(key=list(wf.actions).index)
            out.append(Waiting(open_row(store, loaded), actions, people))
    out.sort(key=lambda w: (w.row.updated_at, w.row.rid))
    return out

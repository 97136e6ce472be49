"""Listing records and finding what waits for whom (`oa list`, `oa todo`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from oa.core.config import Office
from oa.core.errors import OAError
from oa.core.registry import kinds
from oa.core.store import Loaded, Store
from oa.core.validate import ref_fields
from oa.core.workflow import GuardContext, Workflow, refusal, steps_of

SORT_KEYS = ("id", "state", "updated", "title", "kind")


@dataclass(frozen=True)
class Row:
    rid: str
    kind: str
    title: str
    state: str
    state_label: str
    summary: str
    department: str | None
    updated: datetime
    path: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.rid,
            "kind": self.kind,
            "title": self.title,
            "state": self.state,
            "state_label": self.state_label,
            "summary": self.summary,
            "department": self.department,
            "updated": self.updated.isoformat(),
            "path": self.path,
        }


def _people_in(data: dict[str, Any], refs: dict[str, str]) -> set[str]:
    found: set[str] = set()
    for key, target in refs.items():
        if target != "person":
            continue
        value = data.get(key)
        found.update(value if isinstance(value, list) else [value] if value else [])
    for h in data.get("history") or []:
        found.add(str(h.get("by")))
        if h.get("entered_by"):
            found.add(str(h["entered_by"]))
    return found


def row(store: Store, loaded: Loaded) -> Row:
    assert loaded.record is not None and loaded.data is not None
    rec = loaded.record
    kind = kinds()[rec.kind]
    try:
        label = store.workflow(rec.kind).state_label(rec.state)
    except OAError:
        label = rec.state
    dep = loaded.data.get(kind.department_field) if kind.department_field else None
    return Row(
        rec.id,
        rec.kind,
        rec.title,
        rec.state,
        label,
        kind.summary(loaded.data) if kind.summary else "",
        dep,
        rec.last_at(),
        loaded.path,
    )


def valid_records(store: Store, kind: str | None = None) -> Iterable[Loaded]:
    for path in store.record_files():
        if kind and path.parent.parent.name != kind:
            continue
        loaded = store.load_path(path)
        if loaded.record is not None and not loaded.findings:
            yield loaded


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
    rows: list[Row] = []
    for loaded in valid_records(store, kind):
        assert loaded.record is not None and loaded.data is not None
        rec = loaded.record
        if state and state != rec.state:
            continue
        if year and rec.year() != year:
            continue
        if who and who not in _people_in(loaded.data, ref_fields(kinds()[rec.kind].model)):
            continue
        r = row(store, loaded)
        if dep and r.department != dep:
            continue
        rows.append(r)
    keyfuncs: dict[str, Any] = {
        "id": lambda r: r.rid,
        "state": lambda r: (r.state, r.rid),
        "updated": lambda r: (r.updated, r.rid),
        "title": lambda r: (r.title, r.rid),
        "kind": lambda r: (r.kind, r.rid),
    }
    rows.sort(key=keyfuncs[sort], reverse=reverse)
    return rows


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
        ctx = GuardContext(office, wf, data, steps, action, person)
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
    for loaded in valid_records(store):
        assert loaded.record is not None and loaded.data is not None
        kind = kinds()[loaded.record.kind]
        try:
            wf = store.workflow(kind.name)
        except OAError:
            continue
        if not wf.actions_from(loaded.record.state):
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
            out.append(Waiting(row(store, loaded), actions, people))
    out.sort(key=lambda w: (w.row.updated, w.row.rid))
    return out

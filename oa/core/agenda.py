"""What every kind puts on the office's calendar and what can be chased, gathered across kinds
(S-OPS-PLAN-1, S-OPS-SUP-1). Kinds plug in through `Kind.agenda`, `Kind.tasks` and
`Kind.deadline`; nothing here names a kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from oa.core.query import indexed
from oa.core.registry import AgendaItem, Task, kinds
from oa.core.store import Store

#: the arrangement's category for a document's deadline (a kind filed as 文书 without an agenda
#: of its own); other kinds' deadlines go under the kind's own label
DEADLINE_CATEGORY = "公文"
_MIDNIGHT = time(0, 0)


def agenda(store: Store, first: date, last: date) -> list[AgendaItem]:
    """Everything on the calendar from `first` to `last` (inclusive), from every kind: its own
    `agenda` hook, or else its open `deadline` falling due in the range."""
    out: list[AgendaItem] = []
    registry = kinds()
    start, end = first.isoformat(), last.isoformat()
    for rel, entry in indexed(store):
        kind = registry.get(rel.partition("/")[0])  # (a record that loads is in its kind's folder)
        if kind is None:
            continue
        if kind.agenda is not None:
            if entry.agenda is None or entry.agenda[1] < start or entry.agenda[0] > end:
                continue  # nothing of it in the range (see Entry.agenda)
            data = store.index.data_of(rel)
            out.extend(i for i in kind.agenda(store, data, first, last) if first <= i.day <= last)
        elif kind.deadline is not None and entry.is_open:
            data = store.index.data_of(rel)
            dl = kind.deadline(store, data)
            if dl is not None and first <= dl.due <= last:
                dept = data.get(kind.department_field) if kind.department_field else None
                out.append(
                    AgendaItem(
                        day=dl.due,
                        what=f"{kind.label}《{data.get('title')}》{dl.what}时限",
                        source=str(data["id"]),
                        category=DEADLINE_CATEGORY if kind.archive_year else kind.label,
                        department=str(dept) if dept else None,
                        people=tuple(o for o in dl.owners if o in store.office.people),
                    )
                )
    out.sort(key=lambda i: (i.day, i.start or _MIDNIGHT, i.department or "", i.source, i.what))
    return out


@dataclass(frozen=True)
class OpenTask:
    source: str
    task: Task


def open_tasks(store: Store) -> list[OpenTask]:
    """Every not-done task of every open record whose kind has a `tasks` hook."""
    out: list[OpenTask] = []
    registry = kinds()
    for rel, entry in indexed(store):
        kind = registry.get(rel.partition("/")[0])
        if kind is None or kind.tasks is None or not entry.is_open:
            continue
        data = store.index.data_of(rel)
        out.extend(OpenTask(str(data["id"]), t) for t in kind.tasks(store, data) if not t.done)
    out.sort(key=lambda t: (t.task.due, t.source, t.task.key))
    return out

"""Open deadlines across kinds, counted in workdays (`oa doc overdue`, the work arrangement)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from oa.core.query import Row, indexed, open_records, open_row
from oa.core.registry import Deadline, kinds
from oa.core.store import Store


@dataclass(frozen=True)
class Due:
    row: Row
    deadline: Deadline
    #: workdays from today to the due date: negative when late
    workdays_left: int

    @property
    def status(self) -> str:
        if self.workdays_left < 0:
            return "overdue"
        return "due today" if self.workdays_left == 0 else "open"

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.row.as_dict(),
            "due": self.deadline.due.isoformat(),
            "what": self.deadline.what,
            "owners": list(self.deadline.owners),
            "workdays_left": self.workdays_left,
            "status": self.status,
        }


def open_deadlines(store: Store, today: date, within: int | None = None) -> list[Due]:
    """Deadlines not yet met, not closed by a reply; with `within`, only those late or due within
    that many workdays."""
    closed = {entry.closes for _, entry in indexed(store) if entry.closes}
    cal = store.calendar
    out: list[Due] = []
    for loaded in open_records(store):
        assert loaded.data is not None
        deadline_of = kinds()[str(loaded.data["kind"])].deadline
        if deadline_of is None or loaded.data["id"] in closed:
            continue
        dl = deadline_of(store, loaded.data)
        if dl is None:
            continue
        if dl.due >= today:
            left = cal.workdays_between(today, dl.due)
        else:  # late by at least one workday, even when it fell due on a weekend
            left = -max(1, cal.workdays_between(dl.due, today))
        if within is not None and left > within:
            continue
        out.append(Due(open_row(store, loaded), dl, left))
    out.sort(key=lambda d: (d.deadline.due, d.row.rid))
    return out

"""The plug-in point for record kinds. A kind is one module in `oa.kinds` (or any package that
declares an `oa.kinds` entry point) that calls `register()`; nothing in core names a kind.
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, time
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from oa.core.record import Record
from oa.core.workflow import Guard

if TYPE_CHECKING:
    from oa.core.effects import Effect
    from oa.core.errors import Finding
    from oa.core.store import Loaded, Store

#: a check's finding before it has a line number: (location in the record, code, message)
Issue = tuple[list[str | int], str, str]
RecordCheck = Callable[["Store", "Loaded"], Iterable[Issue]]
CollectionCheck = Callable[["Store", "list[Loaded]"], "Iterable[Finding]"]


@dataclass
class Kind:
    name: str
    prefix: str
    label: str
    model: type[Record]
    guards: dict[str, Guard] = field(default_factory=dict)
    effects: dict[str, Effect] = field(default_factory=dict)
    record_checks: list[RecordCheck] = field(default_factory=list)
    collection_checks: list[CollectionCheck] = field(default_factory=list)
    settings: type[BaseModel] | None = None
    #: the record field naming the responsible department, for `oa list --department`
    department_field: str | None = None
    #: a short line for listings
    summary: Callable[[dict[str, Any]], str] | None = None
    #: fields the index keeps for every record of the kind (what its collection checks read)
    index_fields: tuple[str, ...] = ()
    #: the fields of the kind's summaries that any collection check reads (its own checks and
    #: other kinds'), besides `id` and `archive`, which core checks read of every kind: a
    #: record changed in no other field leaves every collection finding as it was
    #: (`oa validate` then checks that record alone, see oa.core.validate)
    collection_reads: tuple[str, ...] = ()
    #: how an approval holds a field it pins, where not as the field is written: a meeting's
    #: approval holds the range of its attendees, their units (S-MTG-2), so that a unit's own
    #: list of names (S-MTG-3) leaves it standing
    pin_views: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    #: the 年度 a document is filed under (DA/T 22); None when the kind is not filed as 文书
    archive_year: Callable[[dict[str, Any]], int] | None = None
    #: 保管期限 to use when filing does not say
    default_retention: Callable[[Store, dict[str, Any]], str] | None = None
    #: what the 归档文件目录 shows for a filed record: 文号, 责任者, 日期, 备注
    catalog: Callable[[Store, dict[str, Any]], CatalogFields] | None = None
    #: the record this one answers, once it has gone out (a 复文 closes its 来文's deadline)
    closes: Callable[[dict[str, Any]], str | None] | None = None
    #: the open deadline of a record, for `oa doc overdue` and the work arrangement
    deadline: Callable[[Store, dict[str, Any]], Deadline | None] | None = None
    #: what the record puts on the office's calendar between two days (inclusive): meetings,
    #: bookings, duty, items falling due — the biweekly work arrangement gathers these
    agenda: Callable[[Store, dict[str, Any], date, date], Iterable[AgendaItem]] | None = None
    #: pieces of work inside the record that can be chased like a supervised item (督办): the
    #: tasks of a meeting's organizing plan, a duty entry forwarded for feedback
    tasks: Callable[[Store, dict[str, Any]], Iterable[Task]] | None = None


@dataclass(frozen=True)
class CatalogFields:
    number: str
    author: str
    day: date
    note: str = ""


@dataclass(frozen=True)
class Deadline:
    due: date
    what: str
    #: who is to act (department or person ids), for listings
    owners: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgendaItem:
    """One thing on the office's calendar that a record knows of (S-OPS-PLAN-1)."""

    day: date
    what: str
    #: the record it comes from
    source: str
    #: 会议, 会议室, 公文, 督办, 值班 … — how the arrangement groups it
    category: str
    start: time | None = None
    end: time | None = None
    where: str = ""
    #: the department responsible, for grouping by department
    department: str | None = None
    #: person ids: who leads or attends
    people: tuple[str, ...] = ()


@dataclass(frozen=True)
class Task:
    """An open piece of work inside a record, chased like a supervised item (S-OPS-SUP-1)."""

    #: stable within the record (e.g. "plan.tasks[2]"), so reminders can name it
    key: str
    what: str
    due: date
    #: person or department ids responsible
    owners: tuple[str, ...] = ()
    done: bool = False


_KINDS: dict[str, Kind] = {}
#: effects any workflow may name (archiving), registered by core modules
CORE_EFFECTS: dict[str, Effect] = {}
_loaded = False


def register(kind: Kind) -> Kind:
    for other in _KINDS.values():
        if other.prefix == kind.prefix and other.name != kind.name:
            raise ValueError(f"kinds {other.name} and {kind.name} share prefix {kind.prefix}")
    _KINDS[kind.name] = kind
    return kind


def _discover() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    import oa.core.archive  # noqa: F401 — registers the core effects
    import oa.kinds as package

    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
    for ep in entry_points(group="oa.kinds"):
        ep.load()


def kinds() -> dict[str, Kind]:
    _discover()
    return _KINDS


def imported_kinds() -> dict[str, Kind]:
    """The kinds whose modules are imported so far (every kind once `kinds()` has run)."""
    return _KINDS


def kind_named(name: str) -> Kind | None:
    """One kind, importing only its module when it is one of oa's own (`oa/kinds/<name>.py`): a
    command about one record need not import every kind (a tenth of a second of start-up).
    Any other name is looked for among every kind."""
    if name not in _KINDS and not _loaded and name.isidentifier():
        with contextlib.suppress(ImportError):
            importlib.import_module(f"oa.kinds.{name}")
    return _KINDS.get(name) or kinds().get(name)


def effects_of(kind: Kind) -> dict[str, Effect]:
    import oa.core.archive  # noqa: F401 — registers the core effects

    return {**CORE_EFFECTS, **kind.effects}


def kind_by_prefix(prefix: str) -> Kind | None:
    known = next((k for k in _KINDS.values() if k.prefix == prefix), None)
    return known or next((k for k in kinds().values() if k.prefix == prefix), None)

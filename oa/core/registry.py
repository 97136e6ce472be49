"""The plug-in point for record kinds. A kind is one module in `oa.kinds` (or any package that
declares an `oa.kinds` entry point) that calls `register()`; nothing in core names a kind.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
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


_KINDS: dict[str, Kind] = {}
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
    import oa.kinds as package

    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
    for ep in entry_points(group="oa.kinds"):
        ep.load()


def kinds() -> dict[str, Kind]:
    _discover()
    return _KINDS


def kind_by_prefix(prefix: str) -> Kind | None:
    return next((k for k in kinds().values() if k.prefix == prefix), None)

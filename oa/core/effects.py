"""Effects: what a kind does to a record when an action is taken (assign a number, link a record).

A workflow names effects by name; the kind supplies them. They run inside the repository's write
lock, so anything they compute from other records (the next number) cannot race.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from oa.core.workflow import Workflow

if TYPE_CHECKING:
    from oa.core.store import Store


def field_order(model: type[BaseModel]) -> list[str]:
    """The key order of a record file: id, kind, title, the kind's own fields, shared ones (such
    as archiving), then state and history last — so that two branches that each append history
    meet at the end of the file."""
    fixed = ("id", "kind", "title", "state", "history")
    own = [f for f in model.__annotations__ if f in model.model_fields and f not in fixed]
    rest = [f for f in model.model_fields if f not in fixed and f not in own]
    return ["id", "kind", "title", *own, *rest, "state", "history"]


def place(record: Any, order: list[str], key: str, value: Any) -> None:
    """Set `key` on a round-trip mapping; a new key goes where the field order puts it."""
    if key in record or key not in order:
        record[key] = value
        return
    later = order[order.index(key) + 1 :]
    position = next((i for i, k in enumerate(record) if k in later), len(record))
    record.insert(position, key, value)


@dataclass
class EffectContext:
    store: Store
    workflow: Workflow
    #: the record being changed, in round-trip form (edit it in place)
    record: Any
    action: str
    actor: str
    at: datetime
    order: list[str]

    def set(self, key: str, value: Any) -> None:
        place(self.record, self.order, key, value)


#: returns extra fields for the history entry (e.g. the number assigned)
Effect = Callable[[EffectContext], dict[str, Any]]

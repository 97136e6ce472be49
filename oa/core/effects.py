"""Effects: what a kind does to a record when an action is taken (assign a number, link a record).

A workflow names effects by name; the kind supplies them. They run inside the repository's write
lock, so anything they compute from other records (the next number) cannot race.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from oa.core.workflow import Workflow

if TYPE_CHECKING:
    from oa.core.store import Store


@dataclass
class EffectContext:
    store: Store
    workflow: Workflow
    #: the record being changed, in round-trip form (edit it in place)
    record: Any
    action: str
    actor: str
    at: datetime


#: returns extra fields for the history entry (e.g. the number assigned)
Effect = Callable[[EffectContext], dict[str, Any]]

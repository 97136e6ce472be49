"""What every record shares: an ID, a kind, a title, a state and an append-only history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from oa.core.locate import ID_RE


def ref(target: str, **kw: Any) -> Any:
    """A field that names another thing (a person, a department, a record), checked by validate."""
    extra = kw.pop("json_schema_extra", {}) or {}
    return Field(json_schema_extra={**extra, "x-oa-ref": target}, **kw)


class HistoryEntry(BaseModel):
    """One step taken: who, when, what, from which state to which, and any opinion (S-GEN-2)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    at: AwareDatetime
    by: str = ref("person", description="who took the step (person id)")
    action: str
    from_: str | None = Field(default=None, alias="from")
    to: str
    opinion: str | None = None
    entered_by: str | None = ref(
        "person", default=None, description="the clerk who entered it for `by` (oral instruction)"
    )


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str = Field(pattern=ID_RE.pattern)
    kind: str
    title: str = Field(min_length=1, max_length=500)
    state: str
    history: list[HistoryEntry] = Field(min_length=1)

    def year(self) -> int:
        return int(self.id.split("-")[1])

    def last_at(self) -> datetime:
        return self.history[-1].at


def id_year(rid: str) -> int:
    m = ID_RE.match(rid)
    if not m:
        raise ValueError(rid)
    return int(m["year"])

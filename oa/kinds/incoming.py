"""Incoming documents 收文 (S-DOC-IN-1…6): 登记 → 拟办 → 批办 → 承办 → 归档, or 登记 → 传阅 → 归档
for documents that leaders only need to read.

The steps live in `workflows/incoming.yaml`; this module supplies the model, the guards that keep a
批办性 document from skipping 批办 and make joint handling name one 牵头科室, and the deadline that
`oa doc overdue` watches (in workdays).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from oa.core.record import Record, ref
from oa.core.registry import CatalogFields, Deadline, Issue, Kind, register
from oa.core.store import Loaded, Store
from oa.core.workflow import GuardContext, Step, Workflow, since_last_sendback
from oa.kinds.paperwork import Paper, check_files

#: S-DOC-IN-2: what is registered, and where such documents come from
CATEGORIES: dict[str, str] = {
    "政策性": "上级机关",
    "指导性": "上级机关",
    "交办性": "上级机关",
    "参阅性": "上级机关",
    "呈请性": "下级机关",
    "商洽性": "平行或不相隶属机关",
    "询问性": "平行或不相隶属机关",
    "会议通知": "重要会议的通知",
    "会议文件": "会上印发的会议公文及材料",
    "刊物资料": "重要的、密级的刊物资料",
    "价值文献": "具有政治、经济、历史、科学价值的公文资料",
    "人民来信": "人民来信",
}
Category = Literal[
    "政策性", "指导性", "交办性", "参阅性", "呈请性", "商洽性", "询问性",
    "会议通知", "会议文件", "刊物资料", "价值文献", "人民来信",
]  # fmt: skip
#: states in which a document is no longer waiting on anyone's handling
_DONE = ("filing", "archived")


class IncomingSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    due_soon_workdays: int = Field(
        default=3, ge=0, description="`oa doc overdue` lists what is due within this many workdays"
    )
    default_retention: Literal["Y", "D30", "D10"] = Field(
        default="D30", description="保管期限 when archiving does not say"
    )


class Incoming(Paper, Record):
    """收文: one document received, from registration to archive."""

    kind: Literal["incoming"] = "incoming"
    sender: str = Field(min_length=1, description="来文机关")
    sender_number: str | None = Field(default=None, description="来文字号")
    received: AwareDatetime = Field(description="收文时间")
    category: Category = Field(description="收文类别 (S-DOC-IN-2)")
    handling: Literal["批办", "阅知"] = Field(
        description="批办性 documents go through 拟办/批办/承办; 阅知性 ones may go to 传阅"
    )
    copies: int = Field(default=1, ge=1, le=10000, description="份数")
    department: str = ref("department", description="主办科室 (the 牵头科室 once named)")
    registrar: str = ref("person", description="登记人")
    departments: list[str] = ref("department", default_factory=list, description="承办科室")
    lead_department: str | None = ref("department", default=None, description="牵头科室")
    implementers: list[str] = ref("person", default_factory=list, description="贯彻落实人员")
    reply_by: date | None = Field(default=None, description="办复时限")
    readers: list[str] = ref("person", default_factory=list, description="传阅对象, in order")


# -- guards ------------------------------------------------------------------------------------


def reading_only(ctx: GuardContext) -> str | None:
    """A 批办性 document cannot skip 批办 by going straight to 传阅 (S-DOC-IN-4)."""
    if ctx.record.get("handling") != "阅知":
        return "a 批办性 document goes through 拟办 and 批办, not straight to 传阅"
    return None


def proposal_complete(ctx: GuardContext) -> str | None:
    """S-DOC-IN-3: a 拟办 names who implements or which department handles; joint handling
    names exactly one 牵头科室 among them."""
    if ctx.listing:
        return None  # the 拟办 itself names them
    deps = list(ctx.record.get("departments") or [])
    if not deps and not ctx.record.get("implementers"):
        return "拟办 must name the 承办科室 (--dept) or the people who implement it"
    lead = ctx.record.get("lead_department")
    if len(deps) > 1 and not lead:
        return "joint handling: name one 牵头科室 (--lead) among " + "、".join(deps)
    if lead and lead not in deps:
        return f"the 牵头科室 {lead} is not one of the 承办科室 {'、'.join(deps)}"
    return None


def _handled(wf: Workflow, steps: list[Step]) -> set[str]:
    return {
        str(s.values.get("department"))
        for s in since_last_sendback(wf, steps)
        if s.action == "handle"
    }


def department_pending(ctx: GuardContext) -> str | None:
    """One 承办 entry per department, by a member of that department (S-DOC-IN-5)."""
    deps = list(ctx.record.get("departments") or [])
    done = _handled(ctx.workflow, ctx.steps)
    person = ctx.office.people.get(ctx.actor)
    mine = person.department if person else None
    wanted = ctx.params.get("department", mine)
    if wanted not in deps:
        return f"{ctx.office.department_name(str(wanted))} is not a 承办科室 of this document"
    if wanted != mine:
        return f"only members of {ctx.office.department_name(str(wanted))} record its 承办"
    if wanted in done:
        return f"{ctx.office.department_name(str(wanted))} has already recorded its 承办"
    return None


def all_handled(ctx: GuardContext) -> str | None:
    pending = [
        d for d in ctx.record.get("departments") or [] if d not in _handled(ctx.workflow, ctx.steps)
    ]
    if pending:
        return "承办未完成: " + "、".join(ctx.office.department_name(d) for d in pending)
    return None


def _read_by(steps: list[Step]) -> list[str]:
    return [s.by for s in steps if s.action == "read"]


def reader_pending(ctx: GuardContext) -> str | None:
    readers = list(ctx.record.get("readers") or [])
    if ctx.actor not in readers:
        return f"{ctx.office.display(ctx.actor)} is not on the circulation list"
    if ctx.actor in _read_by(ctx.steps):
        return f"{ctx.office.display(ctx.actor)} has already read it"
    return None


def all_read(ctx: GuardContext) -> str | None:
    done = _read_by(ctx.steps)
    pending = [p for p in ctx.record.get("readers") or [] if p not in done]
    if pending:
        return "传阅未完成: " + "、".join(ctx.office.display(p) for p in pending)
    return None


def circulation(data: dict[str, Any]) -> tuple[list[tuple[str, Any]], list[str]]:
    """Who has read it (with when) and who has not, in list order; the first of those holds it."""
    read = {
        str(h.get("by")): h.get("at")
        for h in data.get("history") or []
        if h.get("action") == "read"
    }
    readers = list(data.get("readers") or [])
    return [(p, read[p]) for p in readers if p in read], [p for p in readers if p not in read]


# -- checks and deadlines ----------------------------------------------------------------------


def check_incoming(store: Store, loaded: Loaded) -> Iterator[Issue]:
    data = loaded.data or {}
    yield from check_files(store, loaded)
    deps = list(data.get("departments") or [])
    lead = data.get("lead_department")
    if len(deps) > 1 and not lead:
        yield (
            ["lead_department"],
            "OA409",
            ("joint handling needs one 牵头科室 (lead_department) among " + "、".join(deps)),
        )
    if lead and lead not in deps:
        yield ["lead_department"], "OA409", f"lead_department {lead} is not one of the departments"


def deadline(store: Store, data: dict[str, Any]) -> Deadline | None:
    due = data.get("reply_by")
    if not isinstance(due, date) or data.get("state") in _DONE:
        return None
    owners = tuple(data.get("departments") or []) or tuple(data.get("implementers") or [])
    return Deadline(due, "办复", owners)


def _archive_year(data: dict[str, Any]) -> int:
    return int(data["received"].year)


def _retention(store: Store, data: dict[str, Any]) -> str:
    return str(store.kind_settings("incoming").default_retention)


def _catalog(store: Store, data: dict[str, Any]) -> CatalogFields:
    return CatalogFields(
        number=str(data.get("sender_number") or ""),
        author=str(data["sender"]),
        day=data["received"].date(),
        note=f"收文（{data['category']}）",
    )


def _summary(data: dict[str, Any]) -> str:
    return str(data.get("sender_number") or data.get("sender") or "")


KIND = register(
    Kind(
        name="incoming",
        prefix="IN",
        label="收文",
        model=Incoming,
        guards={
            "reading_only": reading_only,
            "proposal_complete": proposal_complete,
            "department_pending": department_pending,
            "all_handled": all_handled,
            "reader_pending": reader_pending,
            "all_read": all_read,
        },
        record_checks=[check_incoming],
        settings=IncomingSettings,
        department_field="department",
        summary=_summary,
        archive_year=_archive_year,
        default_retention=_retention,
        catalog=_catalog,
        deadline=deadline,
    )
)

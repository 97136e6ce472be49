"""Supervision 督办 (S-OPS-SUP-1/2): documents to handle, meeting decisions, leaders' assignments,
arrangement items and duty matters forwarded for feedback, each linked to its source record and
chased to a deadline counted in workdays.

One reminder per item per due point (一事一催): 临期 (due within `remind_workdays`) is a 催办 to
the department; 逾期 escalates the item to its leader (报领导). Feedback closes it. The steps live
in `workflows/supervision.yaml`; this module supplies the model, the guards, the daily check and
the on-time statistics.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from oa.core.codes import Code, register_codes
from oa.core.errors import OAError
from oa.core.record import Record, ref
from oa.core.registry import AgendaItem, Deadline, Issue, Kind, register
from oa.core.store import Loaded, Store
from oa.core.workflow import GuardContext

SourceType = Literal["收文", "会议决定", "领导交办", "工作安排", "值班"]
#: the due points of one item, in order: each gets one reminder, never two (一事一催)
DUE_SOON, OVERDUE = "临期", "逾期"

register_codes(
    Code(
        "OA450",
        "supervised item's deadline does not match its workdays",
        "A supervised item's `due` must be `workdays` workdays after `assigned`, counted with "
        "the holidays and 调休 days of chinese-calendar (S-OPS-SUP-2).",
        "supervision/2026/DB-2026-0003.yaml:9: OA450 due 2026-12-04 is not 5 workdays after "
        "2026-11-30 (2026-12-07)",
    ),
    Code(
        "OA451",
        "supervised item without its source",
        "Every supervised item except a leader's direct assignment names the record it comes "
        "from (`source`): the incoming document, meeting, arrangement or duty entry.",
        "supervision/2026/DB-2026-0004.yaml:6: OA451 a 收文 item needs its source record",
    ),
    Code(
        "OA640",
        "nothing to supervise that way",
        "`oa supervise` refused: the deadline is not a positive number of workdays, or the "
        "feedback names an item that is not open.",
        "oa: OA640 --workdays must be at least 1, got 0",
    ),
)


class SupervisionSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    remind_workdays: int = Field(
        default=1, ge=0, le=20, description="a 临期 reminder goes out this many workdays ahead"
    )


class Supervision(Record):
    """督办事项: one item chased to its deadline."""

    kind: Literal["supervision"] = "supervision"
    source_type: SourceType = Field(description="来源: 收文, 会议决定, 领导交办, 工作安排, 值班")
    source: str | None = ref("record", default=None, description="the record it comes from")
    source_item: int | None = Field(
        default=None, ge=0, description="the item of an arrangement (its position, from 0)"
    )
    department: str = ref("department", description="承办科室")
    owner: str | None = ref("person", default=None, description="责任人")
    leader: str = ref("person", description="督办领导, who overdue items are escalated to")
    assigned: date = Field(description="交办日期")
    workdays: int = Field(ge=1, le=250, description="办理时限 in workdays")
    due: date = Field(description="办结时限, `workdays` workdays after `assigned`")


# -- guards ------------------------------------------------------------------------------------


def _points(steps_values: list[dict[str, Any]]) -> set[str]:
    return {str(v.get("point")) for v in steps_values if v.get("point")}


def not_reminded(ctx: GuardContext) -> str | None:
    """一事一催: one reminder per item per due point, never a duplicate."""
    point = ctx.params.get("point")
    if point not in (DUE_SOON, OVERDUE):
        return f"the due point is {DUE_SOON} or {OVERDUE}, not {point!r}"
    done = _points([dict(s.values) for s in ctx.steps if s.action in ("remind", "escalate")])
    if point in done:
        return f"already reminded at the {point} point (一事一催)"
    return None


def is_overdue(ctx: GuardContext) -> str | None:
    return None if ctx.params.get("point") == OVERDUE else "only an overdue item is escalated"


# -- the rules ---------------------------------------------------------------------------------


def due_date(store: Store, assigned: date, workdays: int) -> date:
    return store.calendar.add_workdays(assigned, workdays)


def workdays_left(store: Store, today: date, due: date) -> int:
    """Workdays from today to the due date; negative (at least -1) once it has passed."""
    cal = store.calendar
    if due >= today:
        return cal.workdays_between(today, due)
    return -max(1, cal.workdays_between(due, today))


def due_point(store: Store, today: date, due: date) -> str | None:
    """The due point an open item is at today: 逾期, 临期 or none yet."""
    left = workdays_left(store, today, due)
    if left < 0:
        return OVERDUE
    if left <= store.kind_settings("supervision").remind_workdays:
        return DUE_SOON
    return None


def reminded(data: dict[str, Any]) -> set[str]:
    return _points(
        [h for h in data.get("history") or [] if h.get("action") in ("remind", "escalate")]
    )


def check_supervision(store: Store, loaded: Loaded) -> Iterator[Issue]:
    data = loaded.data or {}
    assigned, workdays, due = data.get("assigned"), data.get("workdays"), data.get("due")
    if isinstance(assigned, date) and isinstance(workdays, int) and isinstance(due, date):
        try:
            wanted = due_date(store, assigned, workdays)
        except OAError:  # a broken calendar file: validate reports it (OA213)
            return
        if wanted != due:
            yield (
                ["due"],
                "OA450",
                f"due {due} is not {workdays} workdays after {assigned} ({wanted})",
            )
    if not data.get("source") and data.get("source_type") != "领导交办":
        yield ["source_type"], "OA451", f"a {data.get('source_type')} item needs its source record"


def deadline(store: Store, data: dict[str, Any]) -> Deadline | None:
    if data.get("state") == "closed" or not isinstance(data.get("due"), date):
        return None
    owners = tuple(x for x in (data.get("department"), data.get("owner")) if x)
    return Deadline(data["due"], "督办", owners)


def agenda(store: Store, data: dict[str, Any], first: date, last: date) -> Iterator[AgendaItem]:
    dl = deadline(store, data)
    if dl is not None and first <= dl.due <= last:
        yield AgendaItem(
            day=dl.due,
            what=f"督办：{data['title']}（到期）",
            source=str(data["id"]),
            category="督办",
            department=str(data["department"]),
            people=tuple(p for p in (data.get("owner"), data.get("leader")) if p),
        )


@dataclass(frozen=True)
class Feedback:
    rid: str
    department: str
    due: date
    closed: date

    @property
    def on_time(self) -> bool:
        return self.closed <= self.due


def closed_items(store: Store) -> list[Feedback]:
    from oa.core.query import indexed

    out = []
    for rel, entry in indexed(store, "supervision"):
        assert entry.summary is not None
        if entry.summary["state"] != "closed":
            continue
        data = store.index.data_of(rel)
        closed = next(h for h in reversed(data["history"]) if h["action"] == "feedback")
        day = closed["at"].date() if hasattr(closed["at"], "date") else closed["at"]
        out.append(Feedback(str(data["id"]), str(data["department"]), data["due"], day))
    return out


@dataclass(frozen=True)
class Rate:
    department: str
    month: str
    closed: int
    on_time: int

    @property
    def rate(self) -> float:
        return self.on_time / self.closed if self.closed else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "department": self.department,
            "month": self.month,
            "closed": self.closed,
            "on_time": self.on_time,
            "rate": round(self.rate, 4),
        }


def on_time_rates(items: list[Feedback]) -> list[Rate]:
    """按期办结率 per department and per month of the deadline (S-OPS-SUP-2)."""
    groups: dict[tuple[str, str], list[Feedback]] = {}
    for f in items:
        groups.setdefault((f.department, f.due.strftime("%Y-%m")), []).append(f)
    return [
        Rate(d, m, len(fs), sum(f.on_time for f in fs)) for (d, m), fs in sorted(groups.items())
    ]


def _summary(data: dict[str, Any]) -> str:
    return f"{data.get('source_type')} 限{data.get('due')}"


KIND = register(
    Kind(
        name="supervision",
        prefix="DB",
        label="督办",
        model=Supervision,
        guards={"not_reminded": not_reminded, "is_overdue": is_overdue},
        record_checks=[check_supervision],
        settings=SupervisionSettings,
        department_field="department",
        summary=_summary,
        index_fields=("due", "source"),
        deadline=deadline,
        agenda=agenda,
    )
)


# -- operations the CLI runs -------------------------------------------------------------------


def open_item(
    store: Store,
    actor: Any,
    *,
    title: str,
    source_type: str,
    department: str,
    leader: str,
    workdays: int,
    assigned: date,
    source: str | None = None,
    source_item: int | None = None,
    owner: str | None = None,
) -> Any:
    """Open a supervised item whose deadline is `workdays` workdays after `assigned`."""
    from oa.core.engine import create

    if workdays < 1:
        raise OAError("OA640", f"--workdays must be at least 1, got {workdays}")
    fields = {
        "title": title,
        "source_type": source_type,
        "source": source,
        "source_item": source_item,
        "department": department,
        "owner": owner,
        "leader": leader,
        "assigned": assigned,
        "workdays": workdays,
        "due": due_date(store, assigned, workdays),
    }
    return create(store, KIND, {k: v for k, v in fields.items() if v is not None}, actor)


@dataclass(frozen=True)
class Check:
    """One line of the day's check (S-OPS-SUP-1)."""

    source: str
    what: str
    due: date
    workdays_left: int
    owners: tuple[str, ...]
    state: str
    reminded: tuple[str, ...]

    @property
    def status(self) -> str:
        if self.workdays_left < 0:
            return "逾期"
        return "今日到期" if self.workdays_left == 0 else f"剩{self.workdays_left}个工作日"

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "what": self.what,
            "due": self.due.isoformat(),
            "workdays_left": self.workdays_left,
            "status": self.status,
            "owners": list(self.owners),
            "state": self.state,
            "reminded": list(self.reminded),
        }


def daily(store: Store, today: date) -> list[Check]:
    """Every open supervised item, and every open task any kind reports (`Kind.tasks`), item by
    item with the workdays left (S-OPS-SUP-1)."""
    from oa.core.agenda import open_tasks
    from oa.core.query import indexed

    out = []
    for rel, entry in indexed(store, "supervision"):
        if not entry.is_open:
            continue
        data = store.index.data_of(rel)
        due = data["due"]
        out.append(
            Check(
                str(data["id"]),
                str(data["title"]),
                due,
                workdays_left(store, today, due),
                tuple(x for x in (data.get("department"), data.get("owner")) if x),
                str(data["state"]),
                tuple(sorted(reminded(data))),
            )
        )
    for t in open_tasks(store):
        out.append(
            Check(
                f"{t.source}:{t.task.key}",
                t.task.what,
                t.task.due,
                workdays_left(store, today, t.task.due),
                t.task.owners,
                "task",
                (),
            )
        )
    out.sort(key=lambda c: (c.due, c.source))
    return out


@dataclass(frozen=True)
class Reminder:
    rid: str
    point: str
    action: str
    to: str


def remind_all(store: Store, actor: Any, today: date) -> list[Reminder]:
    """一事一催: for each open item at a due point not yet reminded, one 催办 (临期) or one
    escalation to its leader (逾期). Running it twice the same day records nothing new."""
    from oa.core.engine import advance
    from oa.core.query import indexed

    out = []
    for rel, entry in list(indexed(store, "supervision")):
        if not entry.is_open:
            continue
        data = store.index.data_of(rel)
        point = due_point(store, today, data["due"])
        if point is None or point in reminded(data):
            continue
        if point == OVERDUE and data["state"] == "escalated":
            continue
        if point == OVERDUE:
            advance(store, str(data["id"]), "escalate", actor, entry_values={"point": point})
            out.append(Reminder(str(data["id"]), point, "escalate", str(data["leader"])))
        else:
            advance(store, str(data["id"]), "remind", actor, entry_values={"point": point})
            out.append(Reminder(str(data["id"]), point, "remind", str(data["department"])))
    return out


def give_feedback(store: Store, rid: str, actor: Any, result: str) -> list[str]:
    """Feedback closes the item; a duty entry forwarded for it is concluded with the same
    result. Returns the IDs changed."""
    from oa.core.engine import advance

    loaded = store.get_valid(rid)
    data = loaded.data or {}
    if data.get("kind") != "supervision":
        raise OAError("OA640", f"{rid} is not a supervised item")
    if data.get("state") == "closed":
        raise OAError("OA640", f"{rid} is already closed", path=loaded.path)
    advance(store, rid, "feedback", actor, entry_values={"result": result})
    changed = [rid]
    source = data.get("source")
    if source and str(source).startswith("ZB-"):
        src = store.get_valid(str(source)).data or {}
        if src.get("state") == "forwarded" and src.get("supervision") == rid:
            advance(store, str(source), "conclude", actor, entry_values={"result": result})
            changed.append(str(source))
    return changed

"""Workflows as data: `workflows/<kind>.yaml` names the states, the actions between them, who may take
each, what each requires, and which send a record back. The engine here reads them; no kind's steps
are written in code (S-GEN-1).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from oa.core import yamlio
from oa.core.config import Office
from oa.core.errors import OAError, schema_error

CREATE = "create"
#: an action's `to` that keeps the record in the state it was taken from (a step recorded within
#: a stage: one notice registered, one arrival signed in, a booking changed)
STAY = "="


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class StateDef(_Strict):
    label: str
    roles: list[str] = Field(default_factory=list, description="who acts in this state")
    final: bool = False


class ActionDef(_Strict):
    label: str
    from_: list[str] = Field(alias="from")
    to: str = Field(description="the state it leads to; '=' keeps the state it was taken from")
    roles: list[str] | None = Field(
        default=None, description="who may take it; default: the roles of the state it leaves"
    )
    department_field: str | None = Field(
        default=None, description="the actor must belong to the department this record field names"
    )
    opinion: Literal["optional", "required"] = "optional"
    sends_back: bool = False
    signoff: bool = False
    fields: list[str] = Field(
        default_factory=list, description="record fields the action sets (--set) and requires"
    )
    accepts: list[str] = Field(
        default_factory=list, description="record fields the action may set (--set), optionally"
    )
    entry_fields: list[str] = Field(
        default_factory=list,
        description="values the history entry itself must carry (--entry KEY=VALUE), e.g. the "
        "department and result of one 承办",
    )
    guards: list[str] = Field(default_factory=list)
    effects: list[str] = Field(default_factory=list)
    signed: bool = Field(
        default=False,
        description="the commit recording it must be signed (git, SSH) by a key oa.yaml lists "
        "for the actor; such a step is taken in person, never entered for someone",
    )
    pins: list[str] = Field(
        default_factory=list,
        description="record fields (and for body/attachments their files) the approval covers: "
        "an edit after it is flagged until approved again",
    )


class Workflow(_Strict):
    kind: str
    label: str
    start: str
    create_roles: list[str]
    states: dict[str, StateDef]
    actions: dict[str, ActionDef]

    def actions_from(self, state: str) -> list[str]:
        return [name for name, a in self.actions.items() if state in a.from_]

    def roles_for(self, action: str, from_state: str) -> list[str]:
        a = self.actions[action]
        if a.roles is not None:
            return a.roles
        st = self.states.get(from_state)
        return st.roles if st else []

    def target(self, action: str, from_state: str) -> str:
        """The state `action` leads to when taken from `from_state` (STAY keeps it)."""
        to = self.actions[action].to
        return from_state if to == STAY else to

    def state_label(self, state: str) -> str:
        st = self.states.get(state)
        return st.label if st else state


_ENTRY_KEYS = {"at", "by", "action", "from", "to", "opinion", "entered_by"}


@dataclass(slots=True)
class Step:
    """One history entry as the engine sees it, for replay and guards. (Not frozen: a frozen
    dataclass sets each field through object.__setattr__, and validating 100,000 records makes
    a million steps.)"""

    index: int
    action: str
    by: str
    from_state: str | None
    to_state: str
    #: the history entry itself
    entry: Mapping[str, Any] = field(default_factory=dict)

    @property
    def values(self) -> dict[str, Any]:
        """The entry's own values beyond who/when/what (a 承办's department, a number given)."""
        return {k: v for k, v in self.entry.items() if k not in _ENTRY_KEYS}


def load_workflow(
    root: Path,
    kind: str,
    office: Office,
    guards: Iterable[str],
    effects: Iterable[str],
    record_fields: Iterable[str],
) -> Workflow:
    rel = f"workflows/{kind}.yaml"
    path = root / rel
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise OAError("OA211", f"workflow file for kind {kind!r} is missing", path=rel) from None
    return parse_workflow(data, kind, office, guards, effects, record_fields)


def parse_workflow(
    data: bytes,
    kind: str,
    office: Office,
    guards: Iterable[str],
    effects: Iterable[str],
    record_fields: Iterable[str],
) -> Workflow:
    """A workflow from the bytes of its file (on disk, or as committed at some point in time)."""
    rel = f"workflows/{kind}.yaml"
    try:
        raw = yamlio.load_mapping(data, rel)
    except yamlio.YamlProblem as exc:
        f = exc.finding
        raise OAError("OA211", f"{f.code} {f.message}", path=rel, line=f.line) from None
    text = data.decode("utf-8")
    try:
        wf = Workflow.model_validate(raw)
    except ValidationError as exc:
        raise schema_error(exc, "OA211", rel, text) from None
    problems = _check(wf, kind, office, set(guards), set(effects), set(record_fields))
    if problems:
        loc, msg = problems[0]
        raise OAError("OA211", msg, path=rel, line=yamlio.line_of(text, loc))
    return wf


def _check(
    wf: Workflow,
    kind: str,
    office: Office,
    guards: set[str],
    effects: set[str],
    fields: set[str],
) -> list[tuple[list[str | int], str]]:
    out: list[tuple[list[str | int], str]] = []
    if wf.kind != kind:
        out.append((["kind"], f"workflow kind {wf.kind!r} does not match file name {kind!r}"))
    if wf.start not in wf.states:
        out.append((["start"], f"start state {wf.start!r} is not a state"))
    out.extend(
        (["create_roles"], f"unknown role {r!r}") for r in wf.create_roles if r not in office.roles
    )
    for name, st in wf.states.items():
        out.extend(
            (["states", name, "roles"], f"state {name!r}: unknown role {r!r}")
            for r in st.roles
            if r not in office.roles
        )
    for name, a in wf.actions.items():
        at: list[str | int] = ["actions", name]
        if name == CREATE:
            out.append((at, f"action name {CREATE!r} is reserved"))
        out.extend(
            ([*at, "from"], f"action {name!r} comes from unknown state {s!r}")
            for s in a.from_
            if s not in wf.states
        )
        if a.to != STAY and a.to not in wf.states:
            out.append(([*at, "to"], f"action {name!r} goes to unknown state {a.to!r}"))
        out.extend(
            ([*at, "roles"], f"action {name!r}: unknown role {r!r}")
            for r in a.roles or []
            if r not in office.roles
        )
        out.extend(
            ([*at, "guards"], f"action {name!r}: unknown guard {g!r}")
            for g in a.guards
            if g not in guards
        )
        out.extend(
            ([*at, "effects"], f"action {name!r}: unknown effect {e!r}")
            for e in a.effects
            if e not in effects
        )
        out.extend(
            ([*at, "fields"], f"action {name!r}: unknown record field {f!r}")
            for f in [*a.fields, *a.accepts, *a.pins]
            if f not in fields
        )
        if a.department_field and a.department_field not in fields:
            out.append(([*at, "department_field"], f"unknown record field {a.department_field!r}"))
        if a.roles is None:
            out.extend(
                ([*at, "from"], f"action {name!r}: state {s!r} names no roles, so give 'roles'")
                for s in a.from_
                if s in wf.states and not wf.states[s].roles
            )
    return out


#: refusal's answers kept by a caller that asks many times for one office (see refusal)
Refusals = dict[tuple[str, str, str, str], "tuple[str, str] | None"]


def refusal(
    wf: Workflow,
    office: Office,
    record: Mapping[str, Any],
    action: str,
    from_state: str,
    person: str,
    kept: Refusals | None = None,
) -> tuple[str, str] | None:
    """Why `person` may not take `action` now: (code, reason), or None when allowed. Unless
    the action is for one department's members, the answer depends on the office and workflow
    alone: a caller asking for many records of one office passes `kept`, and it is asked once
    (replaying every record's history asks it a million times)."""
    spec = wf.actions.get(action)
    if kept is not None and spec is not None and not spec.department_field:
        key = (wf.kind, action, from_state, person)
        if key not in kept:
            kept[key] = refusal(wf, office, record, action, from_state, person)
        return kept[key]
    if action not in wf.actions or from_state not in wf.actions[action].from_:
        allowed = ", ".join(wf.actions_from(from_state)) or "none: the record is closed"
        return "OA602", f"{action!r} is not allowed in state {from_state!r} (allowed: {allowed})"
    roles = wf.roles_for(action, from_state)
    if roles and not any(office.has_role(person, r) for r in roles):
        return "OA603", (
            f"{office.display(person)} ({person}) may not {action!r}: needs role "
            + " or ".join(roles)
        )
    field = wf.actions[action].department_field
    if field:
        dep = record.get(field)
        p = office.people.get(person)
        if p is None or p.department != dep:
            return "OA603", (
                f"{office.display(person)} ({person}) may not {action!r}: only members of "
                f"{office.department_name(str(dep))} may"
            )
    return None


Guard = Callable[["GuardContext"], str | None]


@dataclass(frozen=True)
class GuardContext:
    office: Office
    workflow: Workflow
    record: Mapping[str, Any]
    steps: list[Step]
    action: str
    actor: str
    #: the entry values given with the action (empty when asking "could this person act?")
    params: Mapping[str, Any] = field(default_factory=dict)
    #: asking for a to-do list: the fields the action itself would set are not given yet
    listing: bool = False


def steps_of(history: Iterable[Mapping[str, Any]]) -> list[Step]:
    return [
        Step(i, str(h.get("action")), str(h.get("by")), h.get("from"), str(h.get("to")), h)
        for i, h in enumerate(history)
    ]


def since_last_sendback(wf: Workflow, steps: list[Step]) -> list[Step]:
    """The steps of the current round: everything after the last send-back."""
    for pos in range(len(steps) - 1, -1, -1):
        a = wf.actions.get(steps[pos].action)
        if a is not None and a.sends_back:
            return steps[pos + 1 :]
    return steps

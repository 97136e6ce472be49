"""Outgoing documents 发文 (S-DOC-OUT-1, S-DOC-OUT-2).

The steps live in `workflows/outgoing.yaml`; this module supplies what the steps need: the model,
the countersign guards, the numbering effect, and the checks on official numbers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from oa.core.effects import EffectContext
from oa.core.errors import Finding, OAError
from oa.core.record import Record, ref
from oa.core.registry import CatalogFields, Issue, Kind, register
from oa.core.store import Loaded, Store
from oa.core.workflow import GuardContext, Step, Workflow, since_last_sendback
from oa.kinds.paperwork import Paper, check_files

NUMBER_RE = re.compile(r"(?P<code>.+?)〔(?P<year>[1-9][0-9]{3})〕(?P<seq>[1-9][0-9]*)号")
_NUMBER_LINE = re.compile(r"^doc_number:[ \t]*['\"]?([^'\"\n]+?)['\"]?[ \t]*$", re.MULTILINE)


def format_number(code: str, year: int, seq: int) -> str:
    """GB/T 9704-2012 7.2.4: 代字〔年份〕序号号 — hexagonal brackets, no leading zeros, no 第."""
    return f"{code}〔{year}〕{seq}号"


def parse_number(text: str) -> tuple[str, int, int] | None:
    m = NUMBER_RE.fullmatch(text)
    return (m["code"], int(m["year"]), int(m["seq"])) if m else None


class DocKindSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str = Field(description="what the kind is for, e.g. 中心发文")
    to_higher: bool = Field(default=False, description="上行文: the rendered paper shows 签发人")
    retention: Literal["Y", "D30", "D10"] | None = Field(
        default=None, description="保管期限 of this kind when archiving does not say"
    )


class OutgoingSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    default_retention: Literal["Y", "D30", "D10"] = Field(
        default="D30", description="保管期限 when archiving does not say"
    )
    doc_kinds: dict[str, DocKindSettings] = Field(
        description="发文机关代字 → settings (S-DOC-OUT-2)", min_length=1
    )


class Outgoing(Paper, Record):
    """发文: one outgoing official document, from draft to archive."""

    kind: Literal["outgoing"] = "outgoing"
    doc_kind: str = Field(description="发文机关代字, e.g. 浏后勤发")
    department: str = ref("department", description="拟稿科室 (department id)")
    drafter: str = ref("person", description="拟稿人 (person id)")
    main_to: list[str] = Field(default_factory=list, description="主送机关")
    cc: list[str] = Field(default_factory=list, description="抄送机关")
    countersigners: list[str] = ref("person", default_factory=list, description="会签领导")
    copies: int | None = Field(default=None, ge=1, le=100000, description="印制份数")
    doc_number: str | None = Field(default=None, description="发文字号, given at numbering only")
    reply_to: str | None = ref(
        "record:incoming", default=None, description="the incoming document this answers (复文)"
    )

    @field_validator("doc_number")
    @classmethod
    def _number_form(cls, v: str | None) -> str | None:
        if v is not None and parse_number(v) is None:
            raise ValueError(f"{v!r} is not of the form 代字〔2026〕7号")
        return v


# -- guards ------------------------------------------------------------------------------------


def _countersigned_by(wf: Workflow, steps: list[Step]) -> set[str]:
    return {s.by for s in since_last_sendback(wf, steps) if s.action == "countersign"}


def countersigns_complete(ctx: GuardContext) -> str | None:
    """Sign-off waits for every requested 会签 of the current round."""
    done = _countersigned_by(ctx.workflow, ctx.steps)
    missing = [p for p in ctx.record.get("countersigners") or [] if p not in done]
    if missing:
        return "会签未完成: " + "、".join(ctx.office.display(p) for p in missing)
    return None


def is_pending_countersigner(ctx: GuardContext) -> str | None:
    """Only a requested leader countersigns, once per round."""
    wanted = ctx.record.get("countersigners") or []
    if ctx.actor not in wanted:
        return (
            f"{ctx.office.display(ctx.actor)} is not asked to countersign (会签领导: "
            + ("、".join(ctx.office.display(p) for p in wanted) or "无")
            + ")"
        )
    if ctx.actor in _countersigned_by(ctx.workflow, ctx.steps):
        return f"{ctx.office.display(ctx.actor)} has already countersigned"
    return None


# -- numbering (S-DOC-OUT-2) ---------------------------------------------------------------------


def _signed_off(wf: Workflow, history: list[Any]) -> bool:
    steps = [
        Step(i, str(h["action"]), str(h["by"]), h.get("from"), str(h["to"]))
        for i, h in enumerate(history)
    ]
    current = since_last_sendback(wf, steps)
    return any(wf.actions[s.action].signoff for s in current if s.action in wf.actions)


def used_numbers(store: Store, code: str, year: int, skip: str | None = None) -> list[int]:
    """Sequence numbers taken for one 代字 and year, in every year's folder (a draft of one year
    is numbered in the next). Each file's 发文字号 line is read once and kept under its key
    (Store.facts), so numbering does not read 100,000 files."""
    taken: list[int] = []
    numbers = store.facts("doc-number-1", _number_line, folders=["outgoing"])
    series = f"〔{year}〕"
    for rel, number in numbers.items():
        if number is None or series not in number or rel.rpartition("/")[2] == f"{skip}.yaml":
            continue
        parsed = parse_number(number)
        if parsed and parsed[0] == code and parsed[1] == year:
            taken.append(parsed[2])
    return taken


def _number_line(raw: bytes) -> str | None:
    """A record file's 发文字号, read from its line (no YAML parse)."""
    if b"doc_number:" not in raw:
        return None
    m = _NUMBER_LINE.search(raw.decode("utf-8", errors="replace"))
    return m.group(1).strip() if m else None


def assign_number(ctx: EffectContext) -> dict[str, Any]:
    rec = ctx.record
    if rec.get("doc_number"):
        raise OAError("OA607", f"already numbered {rec['doc_number']}")
    if not _signed_off(ctx.workflow, list(rec["history"])):
        raise OAError("OA607", "a number is given only after sign-off (S-DOC-OUT-2)")
    code = str(rec["doc_kind"])
    year = ctx.at.year
    seq = max(used_numbers(ctx.store, code, year, skip=str(rec["id"])), default=0) + 1
    number = format_number(code, year, seq)
    ctx.set("doc_number", number)
    return {"number": number}


# -- checks ------------------------------------------------------------------------------------


def check_outgoing(store: Store, loaded: Loaded) -> Iterator[Issue]:
    data = loaded.data or {}
    settings: OutgoingSettings = store.kind_settings("outgoing")
    code = data.get("doc_kind")
    if code not in settings.doc_kinds:
        known = "、".join(settings.doc_kinds)
        yield ["doc_kind"], "OA303", f"doc_kind: unknown 发文机关代字 {code!r} (known: {known})"
    yield from check_files(store, loaded)
    history = data["history"]
    numbered = [(i, h) for i, h in enumerate(history) if h.get("number")]
    number = data.get("doc_number")
    if number and not numbered:
        yield ["doc_number"], "OA407", "doc_number set but the document was never numbered"
    elif numbered and not number:
        yield (
            ["doc_number"],
            "OA407",
            f"numbered {numbered[-1][1]['number']} but doc_number is empty",
        )
    elif numbered and number != numbered[-1][1]["number"]:
        yield (
            ["doc_number"],
            "OA407",
            (f"doc_number {number} differs from the number given, {numbered[-1][1]['number']}"),
        )
    if number:
        parsed = parse_number(str(number))
        if parsed and parsed[0] != code:
            yield ["doc_number"], "OA407", f"doc_number {number} is not a {code} number"
    try:
        wf = store.workflow("outgoing")
    except OAError:
        return
    if "countersign" in wf.actions:
        action = wf.actions["countersign"]
        roles = sorted({r for s in action.from_ for r in wf.roles_for("countersign", s)})
        for n, person in enumerate(data.get("countersigners") or []):
            if roles and not any(store.office.has_role(person, r) for r in roles):
                yield (
                    ["countersigners", n],
                    "OA405",
                    (
                        f"countersigners.{n}: {store.office.display(person)} cannot countersign "
                        f"(needs role {' or '.join(roles)})"
                    ),
                )
    for i, _h in numbered:
        if not _signed_off(wf, history[:i]):
            yield ["history", i], "OA407", f"history[{i}] numbered before sign-off"


def check_numbers(store: Store, records: list[Loaded]) -> Iterator[Finding]:
    """Per 代字 and year: 1, 2, 3 … with no duplicate and no gap (S-DOC-OUT-2)."""
    series: dict[tuple[str, int], list[tuple[int, Loaded]]] = defaultdict(list)
    for loaded in records:
        number = (loaded.data or {}).get("doc_number")
        parsed = parse_number(str(number)) if number else None
        if parsed:
            series[(parsed[0], parsed[1])].append((parsed[2], loaded))
    for (code, year), items in sorted(series.items()):
        items.sort(key=lambda x: (x[0], x[1].path))
        owner: dict[int, Loaded] = {}
        for seq, loaded in items:
            if seq in owner:
                yield Finding(
                    loaded.path,
                    store.line(loaded.path, ["doc_number"]),
                    "OA402",
                    f"{format_number(code, year, seq)} is also on {owner[seq].rid}",
                )
            else:
                owner[seq] = loaded
        expected = 1
        for seq in sorted(owner):
            if seq != expected:
                loaded = owner[seq]
                gap = (
                    f"number {expected} is missing"
                    if seq == expected + 1
                    else f"numbers {expected}–{seq - 1} are missing"
                )
                yield Finding(
                    loaded.path,
                    store.line(loaded.path, ["doc_number"]),
                    "OA403",
                    f"{code}〔{year}〕: {gap} (before {format_number(code, year, seq)})",
                )
            expected = seq + 1


def _archive_year(data: dict[str, Any]) -> int:
    """The 年度 of a 发文 is the year of its number (its 成文日期); an unnumbered one, its ID's."""
    parsed = parse_number(str(data.get("doc_number") or ""))
    return parsed[1] if parsed else int(str(data["id"]).split("-")[1])


def _closes(data: dict[str, Any]) -> str | None:
    """A reply closes the loop on the incoming document once it has been dispatched."""
    sent = any(h.get("action") == "dispatch" for h in data.get("history") or [])
    return str(data["reply_to"]) if data.get("reply_to") and sent else None


def signed_on(store: Store, data: dict[str, Any]) -> date:
    """成文日期: the day of the last sign-off (主任签发); the draft's day before that."""
    wf = store.workflow("outgoing")
    signoffs = [
        h["at"]
        for h in data.get("history") or []
        if h.get("action") in wf.actions and wf.actions[h["action"]].signoff
    ]
    return (signoffs[-1] if signoffs else data["history"][0]["at"]).date()  # type: ignore[no-any-return]


def _retention(store: Store, data: dict[str, Any]) -> str:
    settings: OutgoingSettings = store.kind_settings("outgoing")
    own = settings.doc_kinds.get(str(data.get("doc_kind")))
    return (own.retention if own and own.retention else None) or settings.default_retention


def _catalog(store: Store, data: dict[str, Any]) -> CatalogFields:
    return CatalogFields(
        number=str(data.get("doc_number") or ""),
        author=store.office.office.name,
        day=signed_on(store, data),
    )


def _summary(data: dict[str, Any]) -> str:
    return str(data.get("doc_number") or data.get("doc_kind") or "")


KIND = register(
    Kind(
        name="outgoing",
        prefix="OUT",
        label="发文",
        model=Outgoing,
        guards={
            "countersigns_complete": countersigns_complete,
            "is_pending_countersigner": is_pending_countersigner,
        },
        effects={"assign_number": assign_number},
        record_checks=[check_outgoing],
        collection_checks=[check_numbers],
        settings=OutgoingSettings,
        department_field="department",
        summary=_summary,
        collection_reads=("doc_number",),
        index_fields=("doc_number", "doc_kind", "reply_to"),
        archive_year=_archive_year,
        default_retention=_retention,
        catalog=_catalog,
        closes=_closes,
    )
)

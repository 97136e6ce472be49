"""Seals and letters of introduction 印信 (S-OPS-SEAL-1…3).

The seal register is data in `oa.yaml` under `kinds.seal`: every seal with its custodian (保管人),
deputy (代管人) and supervising leader (分管领导), and the hand-overs (custody periods) when the
custodian is away. A record is one request to use a seal or to issue a 介绍信: 申请 → 领导审批
(written, or oral and recorded as such) → 用印登记 by whoever holds the seal at that moment. The
custodian can refer an improper request to the supervising leader before stamping.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from oa.core.codes import Code, register_codes
from oa.core.effects import EffectContext
from oa.core.errors import Finding, OAError
from oa.core.record import Record, ref
from oa.core.registry import Issue, Kind, Task, register
from oa.core.store import Loaded, Store
from oa.core.workflow import GuardContext

register_codes(
    Code(
        "OA480",
        "seal used without approval",
        "A seal-use or 介绍信 record shows the use entered (用印) with no leader's approval, written "
        "or oral, before it (S-OPS-SEAL-1).",
        "seal/2026/SEAL-2026-0007.yaml:31: OA480 用印 without a leader's approval (S-OPS-SEAL-1)",
    ),
    Code(
        "OA481",
        "use recorded without custody",
        "The use was entered by someone who did not hold the seal at that moment: neither its "
        "custodian nor the deputy of a hand-over covering that time (S-OPS-SEAL-2/3).",
        "seal/2026/SEAL-2026-0008.yaml:33: OA481 用印 entered by 王芳 at 2026-11-25 10:00, but "
        "公章 was then held by 刘艳",
    ),
    Code(
        "OA482",
        "letter numbers not in sequence",
        "介绍信 numbers run 1, 2, 3 … within a year with no duplicate and no gap.",
        "seal/2026/SEAL-2026-0012.yaml:12: OA482 介绍信 2026: number 4 is missing (before 5号)",
    ),
    Code(
        "OA483",
        "seal register problem",
        "The seal register in oa.yaml (kinds.seal) names an unknown person, a hand-over to someone "
        "other than the seal's deputy, an empty period or overlapping hand-overs, or a record names "
        "a seal that is not in the register.",
        "oa.yaml:58: OA483 hand-over 2 of 公章 overlaps hand-over 1",
    ),
    Code(
        "OA660",
        "not the seal's holder",
        "Only the person holding the seal at that moment (its custodian, or the deputy during a "
        "hand-over) records the use in the 用印登记簿 or refers a request to the leader.",
        "oa: OA660 王芳 does not hold 公章 now (刘艳 does): only the holder records its use",
    ),
    Code(
        "OA662",
        "not an issued letter",
        "`oa seal letter` prints a 介绍信 and its 存根 only once it has been issued (用印登记 gave it "
        "its number).",
        "oa: OA662 SEAL-2026-0010 is not an issued 介绍信 (no letter number yet)",
    ),
)

Use = Literal["用印", "介绍信"]
T = TypeVar("T")
_LEADER_ROLES = ("主管领导", "主任")


class Seal(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, description="印章名称, e.g. 浏阳市机关后勤服务中心公章")
    custodian: str = Field(description="保管人 (person id)")
    deputy: str = Field(description="代管人 (person id), who keeps it while the custodian is away")
    leader: str = Field(description="分管领导 (person id), to whom improper use is raised")


class Handover(BaseModel):
    """Custody handed to the deputy for a period (from … until) and back (S-OPS-SEAL-2)."""

    model_config = ConfigDict(extra="forbid")
    seal: str
    to: str = Field(description="who holds it in the period (the seal's deputy)")
    start: AwareDatetime = Field(alias="from")
    until: AwareDatetime
    reason: str = ""


class SealSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    seals: dict[str, Seal] = Field(default_factory=dict, description="the seal register")
    handovers: list[Handover] = Field(default_factory=list, description="custody periods")
    letter_code: str = Field(default="介", description="介绍信 number prefix: 浏后勤介〔2026〕3号")


class SealUse(Record):
    """用印 or 介绍信: one request, its approval and its entry in the 用印登记簿."""

    kind: Literal["seal"] = "seal"
    use: Use = Field(description="用印 (stamp a document) or 介绍信 (issue a letter)")
    seal: str = Field(description="印章 (id in the seal register)")
    purpose: str = Field(min_length=1, description="用途/事由")
    document: str | None = ref("record", default=None, description="linked record (e.g. 发文)")
    copies: int = Field(default=1, ge=1, le=10000, description="份数")
    requester: str = ref("person", description="经办人")
    department: str = ref("department", description="申请科室")
    approval: Literal["书面", "口头"] | None = Field(default=None, description="审批方式")
    approver: str | None = ref("person", default=None, description="批准领导")
    heard_by: str | None = ref("person", default=None, description="口头指示的听取人")
    heard_at: AwareDatetime | None = Field(default=None, description="口头指示的时间")
    used_at: AwareDatetime | None = Field(default=None, description="用印时间")
    keeper: str | None = ref("person", default=None, description="用印时的保管人（登记人）")
    # 介绍信 and its 存根
    recipient: str | None = Field(default=None, description="介绍信: 致（收信单位）")
    bearers: list[str] = Field(default_factory=list, description="介绍信: 持信人")
    valid_until: date | None = Field(default=None, description="介绍信: 有效期至")
    letter_number: int | None = Field(default=None, ge=1, description="介绍信编号（年度顺序号）")


# -- the register --------------------------------------------------------------------------------


def settings_of(office: Any) -> SealSettings:
    """The seal register from oa.yaml (the raw dict, so guards can read it without a store)."""
    try:
        return SealSettings.model_validate(office.kinds.get("seal", {}))
    except ValidationError:
        return SealSettings()  # the store reports the schema error with its line (OA210)


def holder(settings: SealSettings, seal: str, at: datetime) -> str | None:
    """Who holds the seal at a moment: the deputy during a hand-over, else the custodian."""
    s = settings.seals.get(seal)
    if s is None:
        return None
    for h in settings.handovers:
        if h.seal == seal and h.start <= at < h.until:
            return h.to
    return s.custodian


def custody_periods(settings: SealSettings, seal: str) -> list[Handover]:
    return sorted((h for h in settings.handovers if h.seal == seal), key=lambda h: h.start)


def letter_no(settings: SealSettings, short: str, year: int, seq: int) -> str:
    return f"{short}{settings.letter_code}〔{year}〕{seq}号"


# -- guards and effects -------------------------------------------------------------------------


def _holder_refusal(store: Store, record: Any, actor: str, at: datetime) -> None:
    settings: SealSettings = store.kind_settings("seal")
    seal = str(record["seal"])
    who = holder(settings, seal, at)
    if who is None:
        raise OAError("OA483", f"{seal} is not in the seal register (oa.yaml kinds.seal.seals)")
    if who != actor:
        office = store.office
        raise OAError(
            "OA660",
            f"{office.display(actor)} does not hold {settings.seals[seal].name} now "
            f"({office.display(who)} does): only the holder records its use",
        )


def record_use(ctx: EffectContext) -> dict[str, Any]:
    """用印登记: the holder enters the use; a 介绍信 takes the next number of the year."""
    rec = ctx.record
    _holder_refusal(ctx.store, rec, ctx.actor, ctx.at)
    ctx.set("used_at", ctx.at)
    ctx.set("keeper", ctx.actor)
    if rec.get("use") != "介绍信":
        return {}
    if not rec.get("recipient") or not rec.get("bearers"):
        raise OAError(
            "OA606", "a 介绍信 names its recipient and bearers (存根) before it is issued"
        )
    seq = max(letter_numbers(ctx.store, ctx.at.year, skip=str(rec["id"])), default=0) + 1
    ctx.set("letter_number", seq)
    settings: SealSettings = ctx.store.kind_settings("seal")
    return {"number": letter_no(settings, ctx.store.office.office.short_name, ctx.at.year, seq)}


def approve_written(ctx: EffectContext) -> dict[str, Any]:
    ctx.set("approval", "书面")
    ctx.set("approver", ctx.actor)
    return {}


def approve_oral(ctx: EffectContext) -> dict[str, Any]:
    """An oral instruction is recorded as such: who gave it (the actor), who heard it and when."""
    ctx.set("approval", "口头")
    ctx.set("approver", ctx.actor)
    return {}


def referrable(ctx: GuardContext) -> str | None:
    """The custodian (or deputy) refers a request to the supervising leader (S-OPS-SEAL-2)."""
    settings = settings_of(ctx.office)
    s = settings.seals.get(str(ctx.record.get("seal")))
    if s is None:
        return "the seal is not in the register"
    if ctx.actor not in (s.custodian, s.deputy):
        return f"only the custodian or deputy of {s.name} raises a concern about its use"
    return None


def keeper(ctx: GuardContext) -> str | None:
    """Only the seal's custodian or deputy enters a use (who holds it at that moment is checked
    when the use is entered, OA660); this keeps the request off everyone else's to-do list."""
    s = settings_of(ctx.office).seals.get(str(ctx.record.get("seal")))
    if s is None:
        return "the seal is not in the register"
    if ctx.actor not in (s.custodian, s.deputy):
        return f"only the custodian or deputy of {s.name} enters its use"
    return None


def supervising_leader(ctx: GuardContext) -> str | None:
    settings = settings_of(ctx.office)
    s = settings.seals.get(str(ctx.record.get("seal")))
    if s is not None and ctx.actor != s.leader:
        return f"the concern goes to {ctx.office.display(s.leader)}, the supervising leader"
    return None


def letter_numbers(store: Store, year: int, skip: str | None = None) -> list[int]:
    """介绍信 numbers taken in a year, read from the files of this and the next year's folders."""
    taken: list[int] = []
    for folder in (store.root / "seal" / str(year), store.root / "seal" / str(year + 1)):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            if path.stem == skip:
                continue
            data = store.load_path(path).data or {}
            used = data.get("used_at")
            if data.get("letter_number") and isinstance(used, datetime) and used.year == year:
                taken.append(int(data["letter_number"]))
    return taken


# -- checks --------------------------------------------------------------------------------------


def _aware(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def check_seal(store: Store, loaded: Loaded) -> Iterator[Issue]:
    data = loaded.data or {}
    settings: SealSettings = store.kind_settings("seal")
    seal = str(data.get("seal"))
    if seal not in settings.seals:
        yield ["seal"], "OA483", f"seal {seal!r} is not in the seal register (kinds.seal.seals)"
        return
    history = list(data.get("history") or [])
    approved = False
    for i, h in enumerate(history):
        action = h.get("action")
        if action in ("approve", "approve_oral"):
            approved = True
            if action == "approve_oral" and not (h.get("heard_by") and h.get("heard_at")):
                yield (
                    ["history", i],
                    "OA480",
                    "an oral approval records who heard it and when (heard_by, heard_at)",
                )
        if action == "use":
            if not approved:
                yield ["history", i], "OA480", f"{data.get('use')} without a leader's approval"
            at = _aware(h.get("at"))
            who = holder(settings, seal, at) if at else None
            if at and who != h.get("by"):
                yield (
                    ["history", i, "by"],
                    "OA481",
                    f"用印 entered by {store.office.display(h.get('by'))} at "
                    f"{at:%Y-%m-%d %H:%M}, but {settings.seals[seal].name} was then held by "
                    f"{store.office.display(who)}",
                )
    if data.get("state") == "used" and not approved:
        yield ["approval"], "OA480", f"{data.get('use')} without a leader's approval (S-OPS-SEAL-1)"


def check_register(store: Store, records: list[Loaded]) -> Iterator[Finding]:
    """The seal register itself, and 介绍信 numbers without gap or duplicate."""
    settings: SealSettings = store.kind_settings("seal")
    office = store.office

    def finding(loc: list[str | int], message: str) -> Finding:
        return Finding("oa.yaml", store.line("oa.yaml", ["kinds", "seal", *loc]), "OA483", message)

    for sid, s in settings.seals.items():
        for role in ("custodian", "deputy", "leader"):
            pid = getattr(s, role)
            if pid not in office.people:
                yield finding(["seals", sid, role], f"{sid}: unknown person {pid!r} as {role}")
    last: dict[str, tuple[int, Handover]] = {}
    for i, h in sorted(enumerate(settings.handovers), key=lambda x: (x[1].seal, x[1].start)):
        seal = settings.seals.get(h.seal)
        if seal is None:
            yield finding(["handovers", i, "seal"], f"hand-over {i + 1}: unknown seal {h.seal!r}")
            continue
        if h.to != seal.deputy:
            yield finding(
                ["handovers", i, "to"],
                f"hand-over {i + 1} of {seal.name} goes to {office.display(h.to)}, "
                f"not its deputy {office.display(seal.deputy)}",
            )
        if h.until <= h.start:
            yield finding(["handovers", i], f"hand-over {i + 1} of {seal.name}: an empty period")
        prev = last.get(h.seal)
        if prev and h.start < prev[1].until:
            yield finding(
                ["handovers", i],
                f"hand-over {i + 1} of {seal.name} overlaps hand-over {prev[0] + 1}",
            )
        last[h.seal] = (i, h)
    series: dict[int, list[tuple[int, Loaded]]] = defaultdict(list)
    for loaded in records:
        d = loaded.data or {}
        used = _aware(d.get("used_at"))
        if d.get("letter_number") and used:
            series[used.year].append((int(d["letter_number"]), loaded))
    for year, items in sorted(series.items()):
        for loaded, problem in sequence_problems([(n, r.path, r) for n, r in items]):
            yield Finding(
                loaded.path,
                store.line(loaded.path, ["letter_number"]),
                "OA482",
                f"介绍信 {year}: {problem}",
            )


def sequence_problems(items: Sequence[tuple[int, str, T]]) -> Iterator[tuple[T, str]]:
    """Duplicates and gaps in a run of numbers that should be 1, 2, 3 …: (the item to report on,
    what is wrong). `items` are (number, sort key, item); the first holder of a number keeps it."""
    owner: dict[int, tuple[str, T]] = {}
    for seq, key, item in sorted(items, key=lambda x: (x[0], x[1])):
        if seq in owner:
            yield item, f"number {seq} is also on {Path(owner[seq][0]).stem}"
        else:
            owner[seq] = (key, item)
    expected = 1
    for seq in sorted(owner):
        if seq != expected:
            gap = f"{expected}" if seq == expected + 1 else f"{expected}–{seq - 1}"
            yield owner[seq][1], f"number {gap} missing (before {seq}号)"
        expected = seq + 1


def _tasks(store: Store, data: dict[str, Any]) -> Iterator[Task]:
    """A concern referred to the supervising leader waits on that leader."""
    if data.get("state") != "referred":
        return
    history = data.get("history") or []
    at = _aware(history[-1].get("at")) if history else None
    settings: SealSettings = store.kind_settings("seal")
    s = settings.seals.get(str(data.get("seal")))
    if at and s:
        yield Task("concern", f"用印疑义: {data.get('title')}", at.date(), (s.leader,))


def _summary(data: dict[str, Any]) -> str:
    n = data.get("letter_number")
    return f"{data.get('use')} {data.get('seal')}" + (f" {n}号" if n else "")


KIND = register(
    Kind(
        name="seal",
        prefix="SEAL",
        label="用印",
        model=SealUse,
        guards={
            "referrable": referrable,
            "keeper": keeper,
            "supervising_leader": supervising_leader,
        },
        effects={
            "record_use": record_use,
            "approve_written": approve_written,
            "approve_oral": approve_oral,
        },
        record_checks=[check_seal],
        collection_checks=[check_register],
        settings=SealSettings,
        department_field="department",
        summary=_summary,
        collection_reads=("used_at", "letter_number"),
        index_fields=("use", "seal", "letter_number", "used_at", "requester", "copies", "purpose"),
        tasks=_tasks,
    )
)


# -- the 用印登记簿 ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BookRow:
    """One line of the 用印登记簿 (S-OPS-SEAL-3)."""

    rid: str
    used_at: datetime
    seal: str
    seal_name: str
    use: str
    purpose: str
    document: str
    copies: int
    requester: str
    department: str
    approval: str
    keeper: str
    letter: str

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _approval_text(store: Store, data: dict[str, Any], tz: ZoneInfo) -> str:
    office = store.office
    for h in reversed(data.get("history") or []):
        if h.get("action") == "approve":
            return f"{office.display(h.get('by'))}（书面）"
        if h.get("action") == "approve_oral":
            heard = _aware(h.get("heard_at"))
            when = f"{heard.astimezone(tz):%m-%d %H:%M}" if heard else ""
            return f"{office.display(h.get('by'))}（口头，{office.display(h.get('heard_by'))}{when}听取）"
    return ""


def seal_book(
    store: Store, seal: str | None = None, first: date | None = None, last: date | None = None
) -> list[BookRow]:
    """Every recorded use, oldest first, of one seal or all, within [first, last] (inclusive)."""
    settings: SealSettings = store.kind_settings("seal")
    if seal is not None and seal not in settings.seals:
        known = "、".join(settings.seals) or "none"
        raise OAError("OA005", f"--seal: no seal {seal!r} in the register (known: {known})")
    tz = ZoneInfo(store.office.office.timezone)
    short = store.office.office.short_name
    rows: list[BookRow] = []
    base = store.root / "seal"
    paths = sorted(base.glob("*/*.yaml")) if base.is_dir() else []
    for path in paths:
        data = store.load_path(path).data or {}
        used = _aware(data.get("used_at"))
        if data.get("state") != "used" or used is None:
            continue
        used = used.astimezone(tz)
        if seal is not None and data.get("seal") != seal:
            continue
        if (first and used.date() < first) or (last and used.date() > last):
            continue
        s = settings.seals.get(str(data.get("seal")))
        n = data.get("letter_number")
        rows.append(
            BookRow(
                rid=str(data["id"]),
                used_at=used,
                seal=str(data.get("seal")),
                seal_name=s.name if s else str(data.get("seal")),
                use=str(data.get("use")),
                purpose=str(data.get("purpose")),
                document=str(data.get("document") or ""),
                copies=int(data.get("copies") or 1),
                requester=store.office.display(data.get("requester")),
                department=store.office.department_name(str(data.get("department"))),
                approval=_approval_text(store, data, tz),
                keeper=store.office.display(data.get("keeper")),
                letter=letter_no(settings, short, used.year, int(n)) if n else "",
            )
        )
    rows.sort(key=lambda r: (r.used_at, r.rid))
    return rows


@dataclass(frozen=True)
class SealStatus:
    seal: str
    name: str
    custodian: str
    deputy: str
    leader: str
    holder: str
    handovers: tuple[Handover, ...]


def register_status(store: Store, at: datetime) -> list[SealStatus]:
    settings: SealSettings = store.kind_settings("seal")
    return [
        SealStatus(
            sid,
            s.name,
            s.custodian,
            s.deputy,
            s.leader,
            holder(settings, sid, at) or "",
            tuple(custody_periods(settings, sid)),
        )
        for sid, s in settings.seals.items()
    ]

"""Procurement 采购 (S-BUY-1/2): the ordinary flow and the tender flow, in one workflow file.

Ordinary (普通): 单位函 → 预算及资金 → 市场调查（颜色、尺寸、材质、技术参数）→ 采购申报审批单 signed by
the unit's leader → by the finance bureau's 行财科 → by the procurement center → 合同 → 安装验收 →
结算 → 质保. Tender (招标): 立项及预算 → 市场调研 → 专家咨询 → 招标公告 → 投标报名 → 入围 → 开标或竞争性
谈判 → 合同, then as the ordinary flow. Signatures of bodies outside the center (行财科, 采购中心)
are entered by the office with who signed.

The procurement methods of the Government Procurement Law (政府采购法) and the budget bands that
decide which of them a purchase may use are the office's configuration (`kinds.purchase`), not
facts this program asserts: the defaults below are only a starting configuration.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from oa.core.codes import Code, register_codes
from oa.core.errors import Finding
from oa.core.record import Record, ref
from oa.core.registry import Deadline, Issue, Kind, Task, register
from oa.core.store import Loaded, Store
from oa.core.workflow import GuardContext

register_codes(
    Code(
        "OA484",
        "method does not fit the amount",
        "The purchase's procurement method is not one the office's configured bands "
        "(kinds.purchase.bands) allow for its budget, or a tender method runs on the ordinary "
        "flow (S-BUY-1/2).",
        "purchase/2026/BUY-2026-0003.yaml:9: OA484 询价 does not fit a budget of 1,200,000.00 元 "
        "(allowed: 公开招标、邀请招标、竞争性谈判)",
    ),
    Code(
        "OA485",
        "unknown procurement method",
        "The method is not in the office's list of procurement methods (kinds.purchase.methods).",
        "purchase/2026/BUY-2026-0004.yaml:9: OA485 unknown procurement method '比价'",
    ),
)

#: the methods named by the Government Procurement Law (政府采购法 第二十六条) and the 框架协议采购
#: of the 政府采购框架协议采购方式管理暂行办法, as a default list the office may edit
DEFAULT_METHODS = [
    "公开招标",
    "邀请招标",
    "竞争性谈判",
    "竞争性磋商",
    "单一来源",
    "询价",
    "框架协议",
]
TENDER_METHODS = ("公开招标", "邀请招标")


class Band(BaseModel):
    """Budgets below `below` (元; None: no upper limit) may use `methods`."""

    model_config = ConfigDict(extra="forbid")
    below: float | None = Field(default=None, gt=0)
    methods: list[str] = Field(min_length=1)


def _default_bands() -> list[Band]:
    # the office's configured values (not legal thresholds): small purchases by quotation or
    # negotiation, larger ones by tender or negotiation, the largest by tender only
    return [
        Band(below=300_000, methods=["询价", "竞争性谈判", "竞争性磋商", "单一来源", "框架协议"]),
        Band(
            below=2_000_000,
            methods=["公开招标", "邀请招标", "竞争性谈判", "竞争性磋商", "单一来源", "框架协议"],
        ),
        Band(below=None, methods=["公开招标", "邀请招标", "单一来源"]),
    ]


class PurchaseSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    methods: list[str] = Field(
        default_factory=lambda: list(DEFAULT_METHODS), description="procurement methods in use"
    )
    bands: list[Band] = Field(
        default_factory=_default_bands,
        description="the office's configured budget bands, in rising order: which methods a "
        "budget may use",
    )
    warranty_days: int = Field(
        default=60,
        ge=0,
        description="`oa buy report` lists warranties ending within this many days",
    )


class Spec(BaseModel):
    """One item's specification: 颜色、尺寸、材质、技术参数 (S-BUY-1)."""

    model_config = ConfigDict(extra="forbid")
    item: str = Field(min_length=1)
    quantity: int = Field(default=1, ge=1)
    colour: str = ""
    size: str = ""
    material: str = ""
    parameters: str = ""


class Quote(BaseModel):
    """市场调查 result: a supplier and what it offered."""

    model_config = ConfigDict(extra="forbid")
    supplier: str = Field(min_length=1)
    price: float = Field(ge=0)
    note: str = ""


class Purchase(Record):
    """采购: one purchase from the unit's request to the end of its warranty."""

    kind: Literal["purchase"] = "purchase"
    flow: Literal["普通", "招标"] = Field(description="普通 (S-BUY-1) or 招标 (S-BUY-2)")
    department: str = ref("department", description="采购单位（科室）")
    requester: str = ref("person", description="经办人")
    budget: float = Field(gt=0, description="预算金额（元）")
    method: str = Field(description="采购方式")
    funds_paid: bool = Field(default=False, description="资金已打入采购中心账户")
    specs: list[Spec] = Field(default_factory=list, description="颜色、尺寸、材质、技术参数")
    survey: list[Quote] = Field(default_factory=list, description="市场调查结果")
    experts: list[str] = Field(default_factory=list, description="专家咨询（招标）")
    bidders: list[str] = Field(default_factory=list, description="供应商或投标人")
    shortlist: list[str] = Field(default_factory=list, description="入围")
    supplier: str | None = Field(default=None, description="成交供应商")
    contract_no: str | None = Field(default=None, description="合同编号")
    contract_amount: float | None = Field(default=None, ge=0, description="合同金额（元）")
    install_by: date | None = Field(default=None, description="约定安装完成日期")
    accepted_on: date | None = Field(default=None, description="验收日期")
    onsite_check: bool = Field(default=False, description="制作及现场检查")
    settled_amount: float | None = Field(default=None, ge=0, description="结算金额（元）")
    settled_on: date | None = Field(default=None, description="结算日期")
    warranty_until: date | None = Field(default=None, description="质保期至")


# -- guards -------------------------------------------------------------------------------------


def ordinary(ctx: GuardContext) -> str | None:
    return (
        None if ctx.record.get("flow") == "普通" else "a tender purchase follows the tender steps"
    )


def tender(ctx: GuardContext) -> str | None:
    return None if ctx.record.get("flow") == "招标" else "an ordinary purchase has no tender steps"


def unit_leader(ctx: GuardContext) -> str | None:
    """The 采购申报审批单 is signed by the buying unit's leader (S-BUY-1)."""
    dep = ctx.office.departments.get(str(ctx.record.get("department")))
    if dep is None or dep.leader is None or ctx.actor == dep.leader:
        return None
    if ctx.office.has_role(ctx.actor, "主任"):
        return None
    return f"the unit's leader {ctx.office.display(dep.leader)} signs the 采购申报审批单"


# -- checks -------------------------------------------------------------------------------------


def allowed_methods(settings: PurchaseSettings, budget: float) -> list[str]:
    for band in settings.bands:
        if band.below is None or budget < band.below:
            return band.methods
    return []


def method_problem(settings: PurchaseSettings, data: dict[str, Any]) -> tuple[str, str] | None:
    method = str(data.get("method"))
    if method not in settings.methods:
        return (
            "OA485",
            f"unknown procurement method {method!r} (known: {'、'.join(settings.methods)})",
        )
    budget = float(data.get("budget") or 0)
    allowed = allowed_methods(settings, budget)
    if method not in allowed:
        return "OA484", (
            f"{method} does not fit a budget of {budget:,.2f} 元 (allowed: {'、'.join(allowed)})"
        )
    if method in TENDER_METHODS and data.get("flow") != "招标":
        return "OA484", f"{method} is a tender method but the purchase follows the ordinary flow"
    return None


def check_purchase(store: Store, loaded: Loaded) -> Iterator[Issue]:
    problem = method_problem(store.kind_settings("purchase"), loaded.data or {})
    if problem:
        yield ["method"], problem[0], problem[1]


def check_config(store: Store, records: list[Loaded]) -> Iterator[Finding]:
    settings: PurchaseSettings = store.kind_settings("purchase")
    last = 0.0
    for i, band in enumerate(settings.bands):
        loc: list[str | int] = ["kinds", "purchase", "bands", i]
        unknown = [m for m in band.methods if m not in settings.methods]
        if unknown:
            yield Finding(
                "oa.yaml", store.line("oa.yaml", loc), "OA485", f"band {i + 1}: unknown {unknown}"
            )
        if band.below is not None and band.below <= last:
            yield Finding(
                "oa.yaml",
                store.line("oa.yaml", loc),
                "OA484",
                f"band {i + 1}: bands go in rising order of `below`",
            )
        last = band.below or last


# -- deadlines ----------------------------------------------------------------------------------


def _deadline(store: Store, data: dict[str, Any]) -> Deadline | None:
    due = data.get("install_by")
    if data.get("state") == "installing" and isinstance(due, date):
        return Deadline(due, "安装验收", (str(data.get("department")),))
    return None


def _tasks(store: Store, data: dict[str, Any]) -> Iterator[Task]:
    due = data.get("install_by")
    if isinstance(due, date):
        done = data.get("state") not in ("contracting", "installing")
        yield Task(
            "acceptance", f"安装验收: {data.get('title')}", due, (str(data["department"]),), done
        )


def _summary(data: dict[str, Any]) -> str:
    return f"{data.get('method')} {float(data.get('budget') or 0):,.0f}元"


KIND = register(
    Kind(
        name="purchase",
        prefix="BUY",
        label="采购",
        model=Purchase,
        guards={"ordinary": ordinary, "tender": tender, "unit_leader": unit_leader},
        record_checks=[check_purchase],
        collection_checks=[check_config],
        settings=PurchaseSettings,
        department_field="department",
        summary=_summary,
        index_fields=(
            "flow",
            "budget",
            "method",
            "supplier",
            "contract_amount",
            "settled_amount",
            "settled_on",
            "accepted_on",
            "warranty_until",
        ),
        deadline=_deadline,
        tasks=_tasks,
    )
)


# -- the procurement register and spending -------------------------------------------------------


@dataclass(frozen=True)
class RegisterRow:
    rid: str
    title: str
    department: str
    year: int
    flow: str
    method: str
    budget: float
    supplier: str
    amount: float | None
    state: str
    warranty_until: date | None

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class Report:
    rows: list[RegisterRow]
    #: (department name, year, method) → (count, budget total, spent total)
    spending: list[tuple[str, int, str, int, float, float]]
    #: purchases whose warranty ends within the window: (row, days left)
    warranties: list[tuple[RegisterRow, int]]


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def report(store: Store, today: date, year: int | None = None, within: int | None = None) -> Report:
    """The procurement register (by ID), spending by unit, year and method, warranties ending."""
    from oa.core.query import indexed

    settings: PurchaseSettings = store.kind_settings("purchase")
    window = settings.warranty_days if within is None else within
    wf = store.workflow("purchase")
    rows: list[RegisterRow] = []
    for _, entry in indexed(store, "purchase"):
        s = entry.summary or {}
        rid = str(s["id"])
        ryear = int(rid.split("-")[1])
        if year is not None and ryear != year:
            continue
        spent = (
            s.get("settled_amount")
            if s.get("settled_amount") is not None
            else s.get("contract_amount")
        )
        rows.append(
            RegisterRow(
                rid=rid,
                title=str(s.get("title")),
                department=store.office.department_name(str(s.get("department"))),
                year=ryear,
                flow=str(s.get("flow")),
                method=str(s.get("method")),
                budget=float(s.get("budget") or 0),
                supplier=str(s.get("supplier") or ""),
                amount=float(spent) if spent is not None else None,
                state=wf.state_label(str(s.get("state"))),
                warranty_until=_as_date(s.get("warranty_until")),
            )
        )
    totals: dict[tuple[str, int, str], list[float]] = {}
    for r in rows:
        if r.state == wf.state_label("cancelled"):
            continue
        t = totals.setdefault((r.department, r.year, r.method), [0, 0.0, 0.0])
        t[0] += 1
        t[1] += r.budget
        t[2] += r.amount or 0.0
    spending = [(d, y, m, int(t[0]), t[1], t[2]) for (d, y, m), t in sorted(totals.items())]
    ending = [
        (r, (r.warranty_until - today).days)
        for r in rows
        if r.warranty_until is not None and 0 <= (r.warranty_until - today).days <= window
    ]
    ending.sort(key=lambda x: (x[1], x[0].rid))
    return Report(rows, spending, ending)

"""`oa buy …`: procurement (采购) — new purchases, the methods in force, the register report."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from oa.cli.common import (
    AsOption,
    JsonOption,
    NoCommitOption,
    RootOption,
    console,
    print_json,
    store_from,
)

app = typer.Typer(
    help="Procurement (采购): ordinary and tender purchases, the register.", no_args_is_help=True
)


@app.command("new")
def new(
    ctx: typer.Context,
    root: Path | None = RootOption,
    title: str = typer.Option(..., "--title", help="项目名称."),
    flow: str = typer.Option(
        "普通", "--flow", help="普通 (ordinary, S-BUY-1) or 招标 (tender, S-BUY-2)."
    ),
    budget: float = typer.Option(..., "--budget", help="预算金额 (元)."),
    method: str = typer.Option(
        ...,
        "--method",
        help="采购方式: 公开招标 邀请招标 竞争性谈判 竞争性磋商 单一来源 询价 框架协议.",
    ),
    department: str | None = typer.Option(
        None, "--department", "-d", help="采购单位 (default: yours)."
    ),
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """Start a purchase: the unit's letter is sent (单位函); the budget step follows."""
    from oa.core.engine import create
    from oa.core.errors import OAError
    from oa.core.identity import resolve
    from oa.core.registry import kinds
    from oa.kinds.purchase import method_problem

    store = store_from(ctx, root)
    actor = resolve(store, as_person)
    office = store.office
    dep = department or office.people[actor.person].department
    if dep not in office.departments:
        found = [d for d, v in office.departments.items() if v.name == dep]
        if not found:
            raise OAError("OA005", f"--department: no department {dep!r}")
        dep = found[0]
    fields = {"title": title, "flow": flow, "department": dep, "requester": actor.person,
              "budget": budget, "method": method}  # fmt: skip
    problem = method_problem(store.kind_settings("purchase"), fields)
    if problem:
        raise OAError(problem[0], problem[1])
    change = create(store, kinds()["purchase"], fields, actor, no_commit=no_commit)
    done = f"commit {change.commit[:10]}" if change.commit else "staged, not committed"
    console.print(
        f"{change.rid}: purchase started, {flow}流程, {method} ({change.path}; {done})",
        markup=False,
    )


@app.command("methods")
def methods(ctx: typer.Context, root: Path | None = RootOption, as_json: bool = JsonOption) -> None:
    """The procurement methods and the office's configured budget bands (kinds.purchase)."""
    store = store_from(ctx, root)
    settings = store.kind_settings("purchase")
    if as_json:
        print_json(settings.model_dump(mode="json"))
        return
    table = Table("预算（元）", "可用采购方式")
    low = 0.0
    for band in settings.bands:
        span = f"{low:,.0f} – {band.below:,.0f} 以下" if band.below else f"{low:,.0f} 及以上"
        table.add_row(span, "、".join(band.methods))
        low = band.below or low
    console.print(table)
    console.print(
        "采购方式: " + "、".join(settings.methods) + "（本单位配置值，见 oa.yaml kinds.purchase）",
        markup=False,
    )


@app.command("report")
def report_cmd(
    ctx: typer.Context,
    root: Path | None = RootOption,
    year: int | None = typer.Option(None, "--year", help="Only purchases started in this year."),
    within: int | None = typer.Option(
        None,
        "--within",
        help="Warranties ending within N days (default: kinds.purchase.warranty_days).",
    ),
    out: Path | None = typer.Option(
        None, "--out", help="Also write buy-report.xlsx into this folder."
    ),
    as_json: bool = JsonOption,
) -> None:
    """The procurement register, spending by unit, year and method, warranties ending soon."""
    from oa.core.identity import now
    from oa.kinds.purchase import report
    from oa.render.buyreport import render_report

    store = store_from(ctx, root)
    today = now(store).date()
    rep = report(store, today, year, within)
    window = store.kind_settings("purchase").warranty_days if within is None else within
    if as_json:
        print_json({
            "register": [r.as_dict() for r in rep.rows],
            "spending": [dict(zip(("department", "year", "method", "count", "budget", "spent"), s, strict=True)) for s in rep.spending],
            "warranties": [{"id": r.rid, "title": r.title, "until": r.warranty_until, "days": d} for r, d in rep.warranties],
        })  # fmt: skip
    else:
        t = Table(
            "编号",
            "项目名称",
            "采购单位",
            "流程",
            "方式",
            "预算（元）",
            "供应商",
            "成交/结算（元）",
            "状态",
            title="采购登记台账",
        )
        for r in rep.rows:
            t.add_row(r.rid, r.title, r.department, r.flow, r.method, f"{r.budget:,.2f}", r.supplier,
                      f"{r.amount:,.2f}" if r.amount is not None else "", r.state)  # fmt: skip
        console.print(t)
        s = Table("采购单位", "年度", "方式", "项数", "预算合计", "支出合计", title="支出统计")
        for d, y, m, n, b, sp in rep.spending:
            s.add_row(d, str(y), m, str(n), f"{b:,.2f}", f"{sp:,.2f}")
        console.print(s)
        if rep.warranties:
            for r, left in rep.warranties:
                console.print(
                    f"质保将届满: {r.rid} {r.title} {r.warranty_until} (还有 {left} 天)",
                    markup=False,
                )
        else:
            console.print(f"{window} 天内无质保届满项目", markup=False)
    if out is not None:
        scope = f"{year}年" if year else "全部年度"
        path = render_report(store, rep, scope, window, out / "buy-report.xlsx")
        if not as_json:
            console.print(str(path), markup=False)

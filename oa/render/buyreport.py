"""`oa buy report` as .xlsx: the procurement register, spending by unit, year and method, and the
warranties ending soon (S-BUY-1/2)."""

from __future__ import annotations

from pathlib import Path

from oa.core.store import Store
from oa.kinds.purchase import Report
from oa.render.ledger import Column, Ledger, write_xlsx

REGISTER = [
    Column("序号", 6, 10, centred=True),
    Column("编号", 15, 26, centred=True),
    Column("项目名称", 30, 50),
    Column("采购单位", 12, 20),
    Column("流程", 6, 10, centred=True),
    Column("采购方式", 11, 18, centred=True),
    Column("预算（元）", 14, 22),
    Column("供应商", 22, 34),
    Column("成交/结算（元）", 15, 22),
    Column("状态", 18, 28),
    Column("质保期至", 12, 20, centred=True),
]
SPENDING = [
    Column("采购单位", 14, 30),
    Column("年度", 8, 14, centred=True),
    Column("采购方式", 12, 22, centred=True),
    Column("项数", 8, 14, centred=True),
    Column("预算合计（元）", 16, 30),
    Column("支出合计（元）", 16, 30),
]
WARRANTY = [
    Column("编号", 15, 26, centred=True),
    Column("项目名称", 30, 60),
    Column("供应商", 22, 40),
    Column("质保期至", 12, 24, centred=True),
    Column("剩余天数", 10, 18, centred=True),
]


def ledgers(store: Store, rep: Report, scope: str, within: int) -> list[Ledger]:
    office = store.office.office.name
    register = Ledger(
        title=f"{office}采购登记台账",
        subtitle=f"范围：{scope}　　共{len(rep.rows)}项",
        columns=REGISTER,
        rows=[
            [
                i,
                r.rid,
                r.title,
                r.department,
                r.flow,
                r.method,
                r.budget,
                r.supplier,
                r.amount if r.amount is not None else "",
                r.state,
                r.warranty_until.isoformat() if r.warranty_until else "",
            ]
            for i, r in enumerate(rep.rows, start=1)
        ],
        empty="无采购记录",
        sheet="采购登记台账",
    )
    spending = Ledger(
        title=f"{office}采购支出统计",
        subtitle=f"按采购单位、年度和采购方式（不含已撤销项目）；范围：{scope}",
        columns=SPENDING,
        rows=[[d, y, m, n, b, s] for d, y, m, n, b, s in rep.spending],
        footer=(
            [
                "合计",
                "",
                "",
                sum(x[3] for x in rep.spending),
                sum(x[4] for x in rep.spending),
                sum(x[5] for x in rep.spending),
            ]
        )
        if rep.spending
        else (),
        empty="无采购支出",
        sheet="支出统计",
    )
    warranty = Ledger(
        title=f"{office}质保期即将届满的采购项目",
        subtitle=f"{within}天内届满",
        columns=WARRANTY,
        rows=[
            [
                r.rid,
                r.title,
                r.supplier,
                r.warranty_until.isoformat() if r.warranty_until else "",
                d,
            ]
            for r, d in rep.warranties
        ],
        empty=f"{within}天内无质保届满项目",
        sheet="质保届满",
    )
    return [register, spending, warranty]


def render_report(store: Store, rep: Report, scope: str, within: int, path: Path) -> Path:
    return write_xlsx(ledgers(store, rep, scope, within), path, author=store.office.office.name)

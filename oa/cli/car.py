"""`oa car …`: vehicles (用车) — the register, requests, the use log."""

from __future__ import annotations

from datetime import datetime
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
    help="Vehicle use (用车): the register, requests, dispatch and return.", no_args_is_help=True
)
_FORMATS = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]


@app.command("request")
def request(
    ctx: typer.Context,
    root: Path | None = RootOption,
    purpose: str = typer.Option(..., "--purpose", help="事由."),
    destination: str = typer.Option(..., "--destination", help="目的地."),
    start: datetime = typer.Option(
        ..., "--start", formats=_FORMATS, help="用车开始 'YYYY-MM-DD HH:MM'."
    ),
    end: datetime = typer.Option(
        ..., "--end", formats=_FORMATS, help="预计结束 'YYYY-MM-DD HH:MM'."
    ),
    passengers: int = typer.Option(1, "--passengers", help="乘车人数."),
    as_person: str | None = AsOption,
    no_commit: bool = NoCommitOption,
) -> None:
    """Ask for a car (S-OPS-CAR-1); a leader approves, the dispatcher sends car and driver."""
    from oa.core.engine import create
    from oa.core.identity import now, resolve
    from oa.core.registry import kinds

    store = store_from(ctx, root)
    actor = resolve(store, as_person)
    tz = now(store).tzinfo
    fields = {
        "title": f"用车：{purpose}",
        "requester": actor.person,
        "department": store.office.people[actor.person].department,
        "purpose": purpose,
        "destination": destination,
        "passengers": passengers,
        "start": start.replace(tzinfo=tz),
        "end": end.replace(tzinfo=tz),
    }
    change = create(store, kinds()["trip"], fields, actor, no_commit=no_commit)
    done = f"commit {change.commit[:10]}" if change.commit else "staged, not committed"
    console.print(f"{change.rid}: car requested ({change.path}; {done})", markup=False)


@app.command("vehicles")
def vehicles(
    ctx: typer.Context, root: Path | None = RootOption, as_json: bool = JsonOption
) -> None:
    """The vehicle register, and which car is out now."""
    from oa.core.identity import now
    from oa.core.query import indexed

    store = store_from(ctx, root)
    at = now(store)
    settings = store.kind_settings("trip")
    out: dict[str, str] = {}
    for _, entry in indexed(store, "trip"):
        s = entry.summary or {}
        if s.get("state") == "dispatched" and s.get("vehicle"):
            out[str(s["vehicle"])] = str(s["id"])
    rows = [
        {"plate": p, "model": v.model, "seats": v.seats, "note": v.note, "out_on": out.get(p)}
        for p, v in settings.vehicles.items()
    ]
    if as_json:
        print_json(rows)
        return
    t = Table("车牌号", "品牌型号", "座位", "备注", f"状态（{at:%Y-%m-%d %H:%M}）")
    for r in rows:
        t.add_row(
            r["plate"],
            r["model"],
            str(r["seats"]),
            r["note"],
            f"出车 {r['out_on']}" if r["out_on"] else "在场",
        )
    console.print(t)
    console.print(
        "驾驶员: " + "、".join(store.office.display(d) for d in settings.drivers), markup=False
    )


@app.command("log")
def log(
    ctx: typer.Context,
    root: Path | None = RootOption,
    vehicle: str | None = typer.Option(None, "--vehicle", help="Only this car."),
    as_json: bool = JsonOption,
) -> None:
    """The vehicle-use register (用车登记): each use with car, driver and mileage."""
    from oa.kinds.trip import use_log

    store = store_from(ctx, root)
    rows = use_log(store, vehicle)
    if as_json:
        print_json(rows)
        return
    t = Table(
        "记录",
        "用车时间",
        "事由",
        "目的地",
        "用车人",
        "车辆",
        "驾驶员",
        "出车里程",
        "回场里程",
        "行驶",
        "状态",
    )
    for r in rows:
        t.add_row(
            r["id"], r["start"], r["purpose"], r["destination"], r["requester"], r["vehicle"], r["driver"],
            str(r["mileage_out"] or ""), str(r["mileage_in"] or ""), str(r["distance"] or ""), r["state"],
        )  # fmt: skip
    console.print(t)

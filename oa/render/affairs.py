"""The papers of 办事: 工作安排表 (S-OPS-PLAN-1), 值班台帐 (S-OPS-DUTY-2), 节假日值班表 and its
calendar file (S-OPS-PLAN-2)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from oa.core.registry import AgendaItem
from oa.core.store import Store
from oa.render.html import cn_date, output_path
from oa.render.sheet import Column, Sheet

WEEKDAYS = "一二三四五六日"


def weekday(day: date) -> str:
    return "星期" + WEEKDAYS[day.weekday()]


def md(day: date) -> str:
    return f"{day.month}月{day.day}日"


# -- 工作安排表 ------------------------------------------------------------------------------------

PLAN_COLUMNS = (
    Column("时间", 8, 16, centred=True),
    Column("科室", 14, 30, centred=True),
    Column("工作内容", 56, 120),
    Column("地点", 20, 40),
    Column("责任人", 14, 31, centred=True),
    Column("类别", 10, 20, centred=True),
)


def plan_sheet(
    store: Store, start: date, last: date, release: date, items: Sequence[AgendaItem]
) -> Sheet:
    """Grouped by day, then department (S-OPS-PLAN-1)."""
    office = store.office
    rows: list[list[str | int]] = []
    groups: set[int] = set()
    by_day: dict[date, list[AgendaItem]] = {}
    for item in items:
        by_day.setdefault(item.day, []).append(item)
    for day in sorted(by_day):
        groups.add(len(rows))
        rows.append([f"{md(day)}（{weekday(day)}）", "", "", "", "", ""])
        day_items = sorted(
            by_day[day],
            key=lambda i: (i.department or "~", i.start.isoformat() if i.start else "", i.what),
        )
        for i in day_items:
            rows.append(
                [
                    i.start.strftime("%H:%M") if i.start else "",
                    office.department_name(i.department) if i.department else "",
                    i.what,
                    i.where,
                    "、".join(office.display(p) for p in i.people),
                    i.category,
                ]
            )
    return Sheet(
        title="工作安排表",
        heading=f"{office.office.name}工作安排表",
        subheading=(f"（{cn_date(start)}—{cn_date(last)}）    发布日期：{cn_date(release)}"),
        columns=PLAN_COLUMNS,
        rows=rows,
        empty="本期无工作安排",
        group_rows=frozenset(groups),
    )


# -- 值班台帐 --------------------------------------------------------------------------------------

LEDGER_COLUMNS = (
    Column("序号", 6, 11, centred=True),
    Column("时间", 17, 30, centred=True),
    Column("来电/来访单位或人员", 20, 36),
    Column("内容摘要", 40, 80),
    Column("处理情况", 30, 56),
    Column("值班人员", 10, 20, centred=True),
    Column("状态", 16, 24, centred=True),
)


def ledger_sheets(
    store: Store,
    entries: Sequence[dict[str, Any]],
    categories: Sequence[str],
    first: date,
    last: date,
) -> list[Sheet]:
    """One sheet per category (台帐 by category), entries in time order."""
    office = store.office
    wf = store.workflow("duty")
    sheets = []
    for category in categories:
        mine = sorted(
            (e for e in entries if e.get("category") == category), key=lambda e: e["received"]
        )
        rows: list[list[str | int]] = []
        for n, e in enumerate(mine, start=1):
            rows.append(
                [
                    n,
                    e["received"].strftime("%Y-%m-%d %H:%M"),
                    str(e.get("party") or ""),
                    str(e.get("content") or ""),
                    disposition(store, e),
                    office.display(str(e.get("officer"))),
                    wf.state_label(str(e.get("state"))),
                ]
            )
        sheets.append(
            Sheet(
                title=category,
                heading=f"值班台帐（{category}）",
                subheading=f"{office.office.name}    {cn_date(first)}—{cn_date(last)}",
                columns=LEDGER_COLUMNS,
                rows=rows,
                empty="本期无登记",
            )
        )
    return sheets


def disposition(store: Store, e: dict[str, Any]) -> str:
    """How the entry was dealt with, in the 台帐's words (S-OPS-DUTY-2)."""
    office = store.office
    parts = []
    for h in e.get("history") or []:
        action = h.get("action")
        if action in ("settle", "conclude"):
            parts.append(str(h.get("result")))
        elif action == "forward":
            parts.append(
                f"转{office.department_name(str(e.get('department')))}办理（{e.get('supervision')}）"
            )
        elif action == "report":
            parts.append(f"报{office.display(str(e.get('leader')))}")
        elif action == "instruct":
            parts.append(f"批示：{h.get('opinion')}")
    return "；".join(parts)


# -- 节假日值班表 ----------------------------------------------------------------------------------

ROSTER_COLUMNS = (
    Column("日期", 26, 62, centred=True),
    Column("节日", 10, 25, centred=True),
    Column("带班领导", 14, 45, centred=True),
    Column("值班人员", 30, 80, centred=True),
    Column("值班电话", 16, 45, centred=True),
)


def roster_sheet(store: Store, title: str, days: Sequence[Any], phone: str) -> Sheet:
    office = store.office
    rows: list[list[str | int]] = [
        [
            f"{cn_date(d.day)}（{weekday(d.day)}）",
            d.holiday,
            office.display(d.leader),
            "、".join(office.display(p) for p in d.staff),
            phone,
        ]
        for d in days
    ]
    return Sheet(
        title="值班表",
        heading=f"{office.office.name}{title}值班安排表",
        subheading="值班时间：每日8:00至次日8:00。值班人员须坚守岗位，遇重大情况及时报告带班领导。",
        columns=ROSTER_COLUMNS,
        rows=rows,
        row_mm=10,
    )


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def write_ics(
    store: Store, title: str, days: Sequence[Any], out_dir: Path, name: str, stamp: datetime
) -> Path:
    """An iCalendar file: one all-day event per duty day, for phones and desktop calendars."""
    office = store.office
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//oa//duty roster//ZH",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_ics_text(title + '值班安排')}",
    ]
    dtstamp = stamp.strftime("%Y%m%dT%H%M%S")
    for d in days:
        who = "、".join(office.display(p) for p in d.staff)
        lines += [
            "BEGIN:VEVENT",
            f"UID:duty-{d.day.isoformat()}@{office.office.short_name}",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{d.day.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(d.day + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_ics_text(f'{d.holiday}值班：{who}（带班 {office.display(d.leader)}）')}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    path = output_path(out_dir, name)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


# -- 报刊信件分发登记表 and cabinet labels -------------------------------------------------------------

MAIL_COLUMNS = (
    Column("序号", 6, 12, centred=True),
    Column("收到时间", 17, 34, centred=True),
    Column("类别", 8, 16, centred=True),
    Column("寄件单位/刊名", 28, 62),
    Column("收件人（柜格）", 16, 36, centred=True),
    Column("签收人", 10, 25, centred=True),
    Column("签收时间", 17, 34, centred=True),
    Column("状态", 10, 38, centred=True),
)


def mail_sheet(store: Store, items: Sequence[dict[str, Any]], first: date, last: date) -> Sheet:
    from oa.kinds.mail import cabinet_label

    office = store.office
    wf = store.workflow("mail")
    rows: list[list[str | int]] = []
    for n, m in enumerate(sorted(items, key=lambda m: (m["received"], m["id"])), start=1):
        signed = next((h for h in m["history"] if h.get("action") == "deliver"), None)
        flags = [str(h.get("opinion")) for h in m["history"] if h.get("action") == "flag"]
        state = wf.state_label(str(m["state"])) + (f"（{'；'.join(flags)}）" if flags else "")
        rows.append(
            [
                n,
                m["received"].strftime("%Y-%m-%d %H:%M"),
                str(m["item_type"]),
                str(m["sender"]),
                cabinet_label(store, m),
                office.display(str(signed["signed_by"])) if signed else "",
                signed["at"].strftime("%Y-%m-%d %H:%M") if signed else "",
                state,
            ]
        )
    return Sheet(
        title="分发登记",
        heading="报刊信件分发登记表",
        subheading=f"{office.office.name}    {cn_date(first)}—{cn_date(last)}",
        columns=MAIL_COLUMNS,
        rows=rows,
        empty="本期无登记",
        row_mm=9,
    )


def write_labels(store: Store, places: Sequence[tuple[str, str]], out_dir: Path, name: str) -> Path:
    """Cabinet labels, three across an A4 page, to cut out (S-OPS-MAIL-1)."""
    from docx.enum.table import WD_ALIGN_VERTICAL
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from oa.render.slip import HEITI, bordered_table, min_height, new_document, paragraph

    doc = new_document(title="文件柜标签", author=store.office.office.name)
    paragraph(
        doc,
        "文件柜标签",
        font=HEITI,
        size=16,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        first=True,
        space_after=8,
    )
    per_row = 3
    n_rows = -(-len(places) // per_row)
    table = bordered_table(doc, n_rows, [55.0] * per_row)
    for i, row in enumerate(table.rows):
        min_height(row, 22)
        for j, cell in enumerate(row.cells):
            k = i * per_row + j
            cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
            if k < len(places):
                label, sub = places[k]
                paragraph(
                    cell, label, font=HEITI, size=20, align=WD_ALIGN_PARAGRAPH.CENTER, first=True
                )
                if sub:
                    paragraph(cell, sub, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    path = output_path(out_dir, name)
    doc.save(str(path))
    return path

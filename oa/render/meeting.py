"""The meeting pack (S-MTG-1/5/6/7, S-ROOM-1…5): every form of one meeting, as one .docx and one
HTML file a page per form, and an .ics invitation."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from oa.core.store import Store
from oa.kinds.booking import settings_of
from oa.kinds.meeting import _as_dt, attendance, data_of, notice_status
from oa.render.html import cn_date, cn_datetime, joined
from oa.render.ics import Event, calendar
from oa.render.sheets import Chart, Fields, Grid, Sheet, Text, write_docx, write_html

#: 会议须知 lines every pack carries unless the meeting gives its own (S-ROOM-1)
DEFAULT_NOTES = (
    "请与会人员提前15分钟到会场签到，按座次对号入座。",
    "会议期间请将手机调至静音，不得随意走动、交谈。",
    "会议材料请妥善保管，涉密材料会后交回。",
    "如有食宿、车辆、医疗等需要，请与会务组联系。",
)


def pack_sheets(store: Store, data: dict[str, Any]) -> list[Sheet]:
    office = store.office
    tz = ZoneInfo(office.office.timezone)
    start, end = _as_dt(data["start"]).astimezone(tz), _as_dt(data["end"]).astimezone(tz)
    when = f"{cn_date(start)} {start:%H:%M}—{end:%H:%M}"
    where = str(data.get("venue") or "待定")
    people = data.get("attendees") or []
    units = joined(dict.fromkeys(str(a["unit"]) for a in people))
    organizer = office.display(str(data["organizer"]))
    sheets: list[Sheet] = []

    if data.get("scope") == "全市性":
        approval = next(
            (h for h in data.get("history") or [] if h.get("action") == "approve"), None
        )
        sheets.append(
            Sheet(
                "会议审批单",
                [
                    Fields(
                        [
                            ("会议名称", str(data["title"])),
                            ("会议时间", when),
                            ("会议地点", where),
                            ("主办科室", office.department_name(str(data["department"]))),
                            ("与会范围", units),
                            ("与会人数", f"{len(people)}人"),
                            ("会议议题", "；".join(data.get("topics") or [])),
                            ("报送", str(data.get("approval_to") or "")),
                            (
                                "审批意见",
                                f"{approval.get('opinion', '')}（{approval.get('approver', '')}，"
                                f"{cn_datetime(_as_dt(approval['at']), tz)}）"
                                if approval
                                else "",
                            ),
                        ]
                    )
                ],
                subtitle=office.office.name,
            )
        )

    sheets.append(
        Sheet(
            "会议通知单",
            [
                Fields(
                    [
                        ("会议名称", str(data["title"])),
                        ("会议时间", when),
                        ("会议地点", where),
                        ("与会对象", units),
                        ("会议主题", "；".join(data.get("topics") or [])),
                        ("会议要求", "请准时参会，提前15分钟签到；如不能参会请事先请假。"),
                        (
                            "联系人",
                            f"{organizer}（{office.department_name(str(data['department']))}）",
                        ),
                    ]
                ),
                Text(office.office.name, align="right"),
            ],
        )
    )

    agenda = data.get("agenda") or []
    sheets.append(
        Sheet(
            "会议议程",
            [
                Text(f"时间：{when}　地点：{where}"),
                Grid(
                    ["时间", "议程", "主持或发言"],
                    [[a.get("time", ""), a["item"], a.get("who", "")] for a in agenda]
                    or [["", t, ""] for t in data.get("topics") or []],
                    [1, 4, 1.6],
                ),
            ],
            subtitle=str(data["title"]),
        )
    )

    notes = list(data.get("notes") or DEFAULT_NOTES)
    materials = data.get("materials") or []
    sheets.append(
        Sheet(
            "会议须知",
            [
                *(Text(f"{i}. {n}") for i, n in enumerate(notes, 1)),
                Text("会议材料（按装袋顺序）", bold=True),
                *(Text(f"（{i}）{m}") for i, m in enumerate(materials, 1)),
            ],
            subtitle=str(data["title"]),
        )
    )

    sheets.append(
        Sheet(
            "与会人员名单",
            [
                Grid(
                    ["序号", "单位", "姓名", "职务", "主席台"],
                    [
                        [
                            str(i),
                            a["unit"],
                            a["name"],
                            a.get("title", ""),
                            "是" if a.get("podium") else "",
                        ]
                        for i, a in enumerate(people, 1)
                    ],
                    [0.8, 3, 1.4, 2.4, 1],
                )
            ],
            subtitle=str(data["title"]),
        )
    )

    seat = data.get("seating") or {}
    zones: dict[str, list[tuple[str, str, str]]] = {}
    for s in seat.get("hall") or []:
        zones.setdefault(str(s["seat"]).split("-")[0], []).append(
            (str(s["seat"]).split("-")[-1], str(s["name"]), str(s.get("unit", "")))
        )
    chart_blocks: list[Any] = [
        Text(f"会标：{data.get('banner') or data['title']}", align="centre"),
        Chart(
            [(p["seat"], p["name"], p.get("title", "")) for p in seat.get("podium") or []],
            list(zones.items()),
        ),
    ]
    if seat.get("checked_at"):
        chart_blocks.append(
            Text(
                f"会前复查：{cn_datetime(_as_dt(seat['checked_at']), tz)}，"
                + "；".join(seat.get("changes") or []),
            )
        )
    sheets.append(Sheet("座次图", chart_blocks, subtitle=str(data["title"])))

    sheets.append(
        Sheet(
            "签到表",
            [
                Grid(
                    ["序号", "单位", "姓名", "职务", "签到时间", "本人签名"],
                    [
                        [str(i), a["unit"], a["name"], a.get("title", ""), "", ""]
                        for i, a in enumerate(people, 1)
                    ],
                    [0.8, 3, 1.4, 2, 1.4, 1.6],
                    blank=3,
                )
            ],
            subtitle=f"{data['title']}　{when}",
        )
    )

    lists = settings_of(store).checklists
    checks: list[list[str]] = []
    done, checker = _booking_checks(store, data)
    if lists is not None:
        checks = [
            [str(i), item, "已落实" if item in done else "", checker if item in done else ""]
            for i, item in enumerate(lists.before, 1)
        ]
        if data.get("level") == "一级":
            n = len(checks)
            checks += [
                [str(n + i), f"（重要会议）{item}", "已落实" if item in done else "", ""]
                for i, item in enumerate(lists.important, 1)
            ]
    notice_rows = [
        [u.unit, "、".join(u.channels), "、".join(u.receivers), "已通知" if u.reached else "未到位"]
        for u in notice_status(data)
    ]
    sheets.append(
        Sheet(
            "会务准备督查事项明细表",
            [
                Text(f"会场：{where}　会议时间：{when}"),
                Grid(["序号", "督查事项", "落实情况", "督查人"], checks, [0.8, 5, 1.5, 1.2]),
                Text("主席台资料（会前复查）", bold=True),
                Text(
                    ("、".join(data.get("podium_papers") or []) or "无")
                    + (
                        f"；已于{cn_datetime(_as_dt(data['podium_papers_checked']), tz)}复查"
                        if data.get("podium_papers_checked")
                        else "；待会前复查"
                    )
                ),
                Text("会议通知登记", bold=True),
                Grid(["单位", "通知方式", "接通知人", "完成情况"], notice_rows, [3, 2, 1.5, 1.2]),
            ],
            subtitle=str(data["title"]),
        )
    )

    counted = attendance(data)
    rows = [r.as_dict() for r in counted]
    stat_rows = [
        [r["unit"], str(r["expected"]), str(r["arrived"]), str(r["absent"]), unit.why()]
        for r, unit in zip(rows, counted, strict=True)
    ]
    total = [sum(int(r[k]) for r in rows) for k in ("expected", "arrived", "absent")]
    stat_rows.append(["合计", *map(str, total), ""])
    sheets.append(
        Sheet(
            "到会情况统计表",
            [
                Grid(
                    ["单位", "应到", "实到", "缺席", "缺席人员及原因"],
                    stat_rows,
                    [3, 0.8, 0.8, 0.8, 3.4],
                ),
                Text(f"统计人：{organizer}　　报会务组", align="right"),
            ],
            subtitle=f"{data['title']}　{when}",
        )
    )
    return sheets


def _booking_checks(store: Store, data: dict[str, Any]) -> tuple[set[str], str]:
    """What the meeting's room booking has ticked in its 会前督查, and who checked it."""
    rid = data.get("booking")
    if not rid or not store.path_for(str(rid)).is_file():
        return set(), ""
    bk = store.get(str(rid)).data or {}
    done = {*(bk.get("check_before") or []), *(bk.get("important_checks") or [])}
    entry = next((h for h in bk.get("history") or [] if h.get("action") == "check_before"), None)
    return done, store.office.display(str(entry["by"])) if entry else ""


def invitation(store: Store, data: dict[str, Any]) -> str:
    event = Event(
        uid=f"{data['id']}@{store.office.office.short_name}",
        start=_as_dt(data["start"]),
        end=_as_dt(data["end"]),
        summary=str(data["title"]),
        location=str(data.get("venue") or ""),
        description="；".join(data.get("topics") or []),
        stamp=_as_dt(data["history"][-1]["at"]),
    )
    return calendar([event], str(data["title"]))


def render_pack(store: Store, rid: str, out_dir: Path) -> list[Path]:
    data = data_of(store, rid)
    sheets = pack_sheets(store, data)
    title = f"{data['title']} 会议材料"
    html = write_html(store, sheets, title, out_dir, f"{rid}-pack.html")
    docx = write_docx(store, sheets, title, out_dir, f"{rid}-pack.docx")
    ics = out_dir / f"{rid}.ics"
    ics.write_text(invitation(store, data), encoding="utf-8", newline="")
    return [docx, html, ics]

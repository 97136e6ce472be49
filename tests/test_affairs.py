"""办事: the work arrangement, supervision (督办), duty log and handover, the holiday roster —
driven through the real CLI in temporary git repositories (S-OPS-PLAN-1/2, S-OPS-SUP-1/2,
S-OPS-DUTY-1…3, S-OPS-VISIT-1)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oa.core.registry import Task, kinds
from oa.core.store import Store
from oa.kinds.arrangement import period_start, release_date
from oa.kinds.duty import DutySettings, Unavailable, rotation
from tests.conftest import Office
from tests.test_papers import dump_docx, dump_xlsx, golden, normalised

AFFAIRS = ("arrangement", "supervision", "duty", "handover", "mail")


@pytest.fixture
def office(office: Office) -> Office:
    """The demo office without its 办事 records, so each test numbers its own from 0001."""
    office.git("rm", "-rq", *AFFAIRS)
    office.git("commit", "-qm", "start without 办事 records\n\nOA-Import: test")
    return office


def set_duty(office: Office, **values: object) -> None:
    from ruamel.yaml import YAML

    yaml = YAML()
    cfg = office.root / "oa.yaml"
    data = yaml.load(cfg.read_text(encoding="utf-8"))
    data["kinds"]["duty"] = values
    with cfg.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)


def at(day: str, hm: str = "09:00") -> dict[str, str]:
    return {"OA_NOW": f"{day}T{hm}:00+08:00"}


def record(office: Office, rid: str) -> Path:
    kind = kinds()
    prefix = rid.split("-")[0]
    name = next(k.name for k in kind.values() if k.prefix == prefix)
    return office.root / name / rid.split("-")[1] / f"{rid}.yaml"


def findings(office: Office) -> list[dict[str, object]]:
    res = office.oa("validate", "--json")
    return list(json.loads(res.stdout)["findings"])


# -- S-OPS-PLAN-1: the release date across holidays and 调休 ------------------------------------


@pytest.fixture(scope="module")
def calendar_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A store whose calendar knows 2027 from calendar/2027.yaml (chinese-calendar stops at 2026)."""
    root = tmp_path_factory.mktemp("cal")
    (root / "oa.yaml").write_text(
        (Path(__file__).parents[1] / "records/oa.yaml").read_text("utf-8")
    )
    (root / "calendar").mkdir()
    (root / "calendar/2027.yaml").write_text(
        "year: 2027\nsource: 国办发明电〔2026〕（测试）\nholidays:\n"
        "  - {name: 国庆节, from: 2027-10-01, to: 2027-10-07}\n"
        "workdays: [2027-09-26, 2027-10-09]\n",
        encoding="utf-8",
    )
    return Store(root)


@pytest.mark.parametrize(
    ("start", "release"),
    [
        ("2026-12-14", "2026-12-11"),  # an ordinary Friday
        ("2025-10-06", "2025-09-30"),  # 2025 国庆: Friday 10-03 is a holiday → Tuesday before
        ("2026-02-23", "2026-02-14"),  # 2026 春节: Friday 02-20 off → the 调休 Saturday 02-14
        ("2025-01-06", "2025-01-03"),  # after 元旦, the Friday is worked
        ("2027-10-04", "2027-09-30"),  # 2027 国庆 from calendar/2027.yaml → Thursday before
    ],
)
def test_release_date_rule_S_OPS_PLAN_1(calendar_store: Store, start: str, release: str) -> None:
    """S-OPS-PLAN-1: the second Friday of the previous arrangement, or the last workday before
    it when that Friday is a holiday."""
    assert release_date(calendar_store, date.fromisoformat(start)) == date.fromisoformat(release)


@settings(max_examples=60, deadline=None)
@given(weeks=st.integers(min_value=0, max_value=150))
def test_release_date_is_last_workday_by_friday(calendar_store: Store, weeks: int) -> None:
    """S-OPS-PLAN-1 property: the release is a workday, on or before the Friday, with no
    workday between it and the Friday."""
    start = date(2025, 1, 6) + timedelta(weeks=weeks)
    friday = start - timedelta(days=3)
    rel = release_date(calendar_store, start)
    cal = calendar_store.calendar
    assert cal.is_workday(rel) and rel <= friday
    day = rel + timedelta(days=1)
    while day <= friday:
        assert not cal.is_workday(day)
        day += timedelta(days=1)


@settings(max_examples=80, deadline=None)
@given(offset=st.integers(min_value=-2000, max_value=2000))
def test_periods_tile_the_calendar_S_OPS_PLAN_1(calendar_store: Store, offset: int) -> None:
    """S-OPS-PLAN-1 property: every day lies in exactly one two-week period, starting on a
    Monday, and the release date comes before the period starts."""
    day = date(2026, 11, 30) + timedelta(days=offset)
    start = period_start(calendar_store, day)
    assert start <= day < start + timedelta(days=14) and start.weekday() == 0
    assert period_start(calendar_store, start + timedelta(days=13)) == start
    assert period_start(calendar_store, start + timedelta(days=14)) == start + timedelta(days=14)
    if 2025 <= start.year <= 2027:
        assert release_date(calendar_store, start) < start


# -- S-OPS-PLAN-1: the arrangement ---------------------------------------------------------------


def test_biweekly_gathers_every_kind_S_OPS_PLAN_1(office: Office, tmp_path: Path) -> None:
    """S-OPS-PLAN-1: items by day and department, with document deadlines, supervised items and
    duty pulled in from the other kinds; .docx/.xlsx/HTML papers."""
    office.ok("plan", "add", "--dept", "事务一科", "--day", "2026-12-02", "--time", "09:00",
              "--what", "市政府常务会议会务保障", "--where", "市政府第一会议室", "--lead", "pengwei",
              env=at("2026-11-24"))  # fmt: skip
    office.ok("plan", "add", "--dept", "WYK", "--day", "2026-12-03",
              "--what", "办公区消防安全检查", env=at("2026-11-24"))  # fmt: skip
    office.ok("supervise", "add", "--title", "落实冬季供暖方案", "--type", "收文",
              "--source", "IN-2026-0001", "--dept", "WYK", "--workdays", "5")  # fmt: skip
    res = office.ok("plan", "biweekly", "--json")
    plan = json.loads(res.stdout)
    assert (plan["from"], plan["to"], plan["release"]) == ("2026-11-30", "2026-12-13", "2026-11-27")
    cats = {i["category"] for i in plan["items"]}
    assert {"工作安排", "督办", "公文"} <= cats
    days = [i["day"] for i in plan["items"]]
    assert days == sorted(days)
    out = tmp_path / "out"
    office.ok("plan", "biweekly", "--out", str(out))
    golden("arrangement.xlsx.txt", dump_xlsx(out / "arrangement-2026-11-30.xlsx"))
    golden("arrangement.docx.txt", dump_docx(out / "arrangement-2026-11-30.docx"))
    html = (out / "arrangement-2026-11-30.html").read_text(encoding="utf-8")
    golden("arrangement.html", normalised(html))
    assert "12月2日（星期三）" in html


def test_biweekly_shows_holiday_duty_S_OPS_PLAN_1(office: Office) -> None:
    """S-OPS-PLAN-1: the arrangement over National Day carries the holiday roster's duty."""
    plan = json.loads(office.ok("plan", "biweekly", "--from", "2026-09-28", "--json").stdout)
    assert (plan["from"], plan["to"]) == ("2026-09-21", "2026-10-04")
    duty = [i for i in plan["items"] if i["category"] == "值班"]
    national = [i["day"] for i in duty if i["what"].startswith("国庆节值班：")]
    assert national == ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04"]
    assert any(i["day"] == "2026-09-25" and "中秋节" in i["what"] for i in duty)


def test_release_on_time_and_late_S_OPS_PLAN_1(office: Office) -> None:
    """S-OPS-PLAN-1: `oa validate` flags an arrangement released after its release date;
    a released arrangement takes no more items (OA643), nothing changes."""
    office.ok("plan", "add", "--dept", "BGS", "--day", "2026-12-01", "--what", "周例会",
              env=at("2026-11-24"))  # fmt: skip
    office.ok("plan", "release", "--from", "2026-11-30", env=at("2026-11-27"))
    office.ok("plan", "add", "--dept", "BGS", "--day", "2026-12-15", "--what", "月度安全检查",
              env=at("2026-12-08"))  # fmt: skip
    out = office.ok("plan", "release", "--from", "2026-12-15", env=at("2026-12-14"))
    assert "late — due by 2026-12-11" in out.stdout
    codes = [(f["code"], f["severity"]) for f in findings(office)]
    assert codes == [("OA453", "warning")]
    before = office.snapshot()
    res = office.oa("plan", "add", "--dept", "BGS", "--day", "2026-12-02", "--what", "补报")
    assert res.exit_code != 0 and "OA643" in res.stderr
    assert office.snapshot() == before


def test_misaligned_period_is_flagged(office: Office) -> None:
    office.ok("plan", "add", "--dept", "BGS", "--day", "2026-12-01", "--what", "周例会")
    path = record(office, "AP-2026-0001")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("period_from: 2026-11-30", "period_from: 2026-12-02"), "utf-8")
    res = office.oa("validate")
    assert res.exit_code == 1
    assert "arrangement/2026/AP-2026-0001.yaml:" in res.stdout and "OA452" in res.stdout


# -- S-OPS-SUP-1/2: supervision ------------------------------------------------------------------


def test_supervision_flow_one_reminder_per_item_S_OPS_SUP_2(office: Office) -> None:
    """S-OPS-SUP-2: deadline in workdays across 国庆; one reminder per due point (一事一催),
    never a duplicate; overdue escalates to the leader; feedback closes; on-time statistics."""
    res = office.ok("supervise", "add", "--title", "节后供暖检修", "--type", "领导交办",
                    "--dept", "WYK", "--workdays", "3", "--assigned", "2026-09-30",
                    env=at("2026-09-30"))  # fmt: skip
    assert "due 2026-10-10" in res.stdout  # 10-01…07 off, 10-08, 10-09, 10-10 (调休 Saturday)
    # due soon: one 临期 reminder, the second run records nothing
    assert "DB-2026-0001: 临期" in office.ok("supervise", "remind", env=at("2026-10-09")).stdout
    head = office.head()
    assert "0 reminder(s)" in office.ok("supervise", "remind", env=at("2026-10-09")).stdout
    assert office.head() == head
    # overdue: escalated to the department's leader, once
    res = office.ok("supervise", "remind", "--json", env=at("2026-10-12"))
    assert json.loads(res.stdout) == [
        {"id": "DB-2026-0001", "point": "逾期", "action": "escalate", "to": "lijianguo"}
    ]
    assert json.loads(office.ok("supervise", "remind", "--json", env=at("2026-10-13")).stdout) == []
    daily = json.loads(office.ok("supervise", "daily", "--json", env=at("2026-10-13")).stdout)
    mine = next(i for i in daily["items"] if i["source"] == "DB-2026-0001")
    assert mine["status"] == "逾期" and mine["reminded"] == ["临期", "逾期"]
    office.ok("supervise", "feedback", "DB-2026-0001", "--result", "已检修完毕", "--as", "hujun",
              env=at("2026-10-14"))  # fmt: skip
    # a second, on time
    office.ok("supervise", "add", "--title", "会议纪要分解", "--type", "领导交办", "--dept",
              "WYK", "--workdays", "2", "--assigned", "2026-10-12", env=at("2026-10-12"))  # fmt: skip
    office.ok("supervise", "feedback", "DB-2026-0002", "--result", "已分解", env=at("2026-10-13"))
    stats = json.loads(office.ok("supervise", "stats", "--json").stdout)
    assert stats == [
        {"department": "WYK", "month": "2026-10", "closed": 2, "on_time": 1, "rate": 0.5}
    ]
    res = office.oa("supervise", "feedback", "DB-2026-0002", "--result", "again")
    assert res.exit_code != 0 and "OA640" in res.stderr
    assert findings(office) == []


def test_daily_check_includes_every_kinds_tasks_S_OPS_SUP_1(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S-OPS-SUP-1: the daily check lists supervised items and any kind's open tasks."""
    office.ok("supervise", "add", "--title", "起草年度总结", "--type", "领导交办", "--dept",
              "BGS", "--workdays", "4")  # fmt: skip

    def tasks(store: Store, data: dict[str, object]) -> list[Task]:
        return [Task("plan.tasks[0]", "布置会场", date(2026, 12, 1), ("SWY",))]

    monkeypatch.setattr(kinds()["incoming"], "tasks", tasks)
    daily = json.loads(office.ok("supervise", "daily", "--json").stdout)
    sources = [i["source"] for i in daily["items"]]
    assert "DB-2026-0001" in sources
    assert any(s.endswith(":plan.tasks[0]") and s.startswith("IN-") for s in sources)
    assert office.ok("supervise", "daily").stdout.startswith("督办日查 2026-11-30")


def test_supervision_refusals_and_checks(office: Office) -> None:
    """Bad input: code, non-zero exit, nothing changed; a hand-edited deadline is OA450."""
    before = office.snapshot()
    res = office.oa("supervise", "add", "--title", "x", "--type", "领导交办", "--dept", "WYK",
                    "--workdays", "0")  # fmt: skip
    assert res.exit_code != 0 and "OA640" in res.stderr
    res = office.oa("supervise", "add", "--title", "x", "--type", "收文", "--dept", "WYK",
                    "--workdays", "2")  # fmt: skip
    assert res.exit_code != 0 and "OA451" in res.output
    assert office.snapshot() == before
    office.ok("supervise", "add", "--title", "x", "--type", "领导交办", "--dept", "WYK",
              "--workdays", "2")  # fmt: skip
    path = record(office, "DB-2026-0001")
    path.write_text(path.read_text("utf-8").replace("due: 2026-12-02", "due: 2026-12-04"), "utf-8")
    res = office.oa("validate")
    assert res.exit_code == 1
    line = next(ln for ln in res.stdout.splitlines() if "OA450" in ln)
    assert line.startswith("supervision/2026/DB-2026-0001.yaml:")


# -- S-OPS-DUTY-1…3, S-OPS-VISIT-1: duty -----------------------------------------------------------


def test_duty_log_and_handover_S_OPS_DUTY_1_2_3(office: Office, tmp_path: Path) -> None:
    """S-OPS-DUTY-1, S-OPS-DUTY-2, S-OPS-DUTY-3 and S-OPS-VISIT-1: entries by category, settled
    on the spot, forwarded with feedback required (a supervised item), reported to a leader with
    the instruction recorded; the handover lists what is open and the named successor
    acknowledges it."""
    ok = office.ok
    ok("duty", "log", "-c", "来电", "--party", "市委办", "--content", "询问明日会议室安排",
       "--settle", "已答复：第一会议室", env=at("2026-11-30", "08:40"))  # fmt: skip
    res = ok("duty", "log", "-c", "来访", "--party", "群众张某", "--content",
             "反映宿舍区路灯损坏", "--forward", "WYK", env=at("2026-11-30", "10:05"))  # fmt: skip
    assert "forwarded to 物业管理科 as DB-2026-0001" in res.stdout
    ok("duty", "log", "-c", "来访", "--party", "退休职工李某", "--content", "咨询住房补贴政策",
       "--settle", "按政策解释，未作承诺", env=at("2026-11-30", "11:00"))  # fmt: skip
    ok("duty", "log", "-c", "突发事件", "--party", "保安室", "--content", "3号楼停电",
       "--report", "lijianguo", env=at("2026-11-30", "15:20"))  # fmt: skip
    res = ok("duty", "handover", "--to", "xiaoting", env=at("2026-11-30", "17:30"))
    assert "2 open" in res.stdout and "ZB-2026-0002" in res.stdout and "ZB-2026-0004" in res.stdout
    before = office.snapshot()
    res = office.oa("duty", "ack", "JJ-2026-0001", "--as", "zhaolei")
    assert res.exit_code != 0 and "OA642" in res.stderr
    assert office.snapshot() == before
    ok("duty", "ack", "JJ-2026-0001", "--as", "xiaoting", env=at("2026-11-30", "17:35"))
    ok("duty", "instruct", "ZB-2026-0004", "--instruction", "立即通知供电所抢修", "--as",
       "lijianguo", env=at("2026-11-30", "15:30"))  # fmt: skip
    res = ok("supervise", "feedback", "DB-2026-0001", "--result", "已更换路灯", "--as", "hujun",
             env=at("2026-12-01"))  # fmt: skip
    assert "ZB-2026-0002 concluded" in res.stdout
    res = ok(
        "duty", "handover", "--to", "wangfang", "--as", "xiaoting", env=at("2026-12-01", "17:30")
    )
    assert "0 open" in res.stdout
    out = tmp_path / "out"
    ok("duty", "ledger", "--from", "2026-11-01", "--to", "2026-12-01", "--out", str(out))
    golden("duty-ledger.xlsx.txt", dump_xlsx(out / "duty-ledger-2026-11-01-2026-12-01.xlsx"))
    assert findings(office) == []


# -- S-OPS-PLAN-2: the holiday roster ------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    n_days=st.integers(min_value=1, max_value=40),
    leaders=st.integers(min_value=1, max_value=5),
    staff=st.integers(min_value=2, max_value=8),
    per_day=st.integers(min_value=1, max_value=2),
)
def test_roster_is_fair_S_OPS_PLAN_2(n_days: int, leaders: int, staff: int, per_day: int) -> None:
    """S-OPS-PLAN-2 property: with everyone available, duty counts differ by at most one."""
    days = [(date(2026, 1, 1) + timedelta(days=i), "节") for i in range(n_days)]
    s = DutySettings(
        leaders=[f"l{i}" for i in range(leaders)],
        staff=[f"s{i}" for i in range(staff)],
        staff_per_day=per_day,
    )
    out = rotation(days, s)
    lc = [sum(d.leader == p for d in out) for p in s.leaders]
    sc = [sum(p in d.staff for d in out) for p in s.staff]
    assert max(lc) - min(lc) <= 1 and max(sc) - min(sc) <= 1
    assert all(len(set(d.staff)) == per_day for d in out)


@settings(max_examples=40, deadline=None)
@given(start=st.integers(min_value=0, max_value=20), length=st.integers(min_value=0, max_value=10))
def test_roster_respects_unavailability_S_OPS_PLAN_2(start: int, length: int) -> None:
    days = [(date(2026, 10, 1) + timedelta(days=i), "国庆节") for i in range(25)]
    away = Unavailable(
        person="s0", **{"from": days[start][0]}, to=days[start][0] + timedelta(days=length)
    )
    s = DutySettings(leaders=["l0", "l1"], staff=["s0", "s1", "s2"], unavailable=[away])
    for d in rotation(days, s):
        assert not ("s0" in d.staff and away.from_ <= d.day <= away.to)


def test_holiday_roster_cli_S_OPS_PLAN_2(office: Office, tmp_path: Path) -> None:
    """S-OPS-PLAN-2: the holiday's days from chinese-calendar (not its 调休 workdays), balanced
    across the year, with .xlsx/.docx/.ics outputs; an unknown holiday is OA641."""
    res = office.ok("duty", "roster", "--holiday", "国庆节", "--year", "2026", "--json")
    days = json.loads(res.stdout)
    assert [d["day"] for d in days] == [f"2026-10-0{i}" for i in range(1, 8)]
    year = json.loads(office.ok("duty", "roster", "--from", "2026-01-01", "--to", "2026-12-31",
                                "--json").stdout)  # fmt: skip
    counts: dict[str, int] = {}
    for d in year:
        counts[d["leader"]] = counts.get(d["leader"], 0) + 1
    assert max(counts.values()) - min(counts.values()) <= 1
    out = tmp_path / "out"
    office.ok("duty", "roster", "--holiday", "国庆节", "--year", "2026", "--out", str(out))
    golden("duty-roster.xlsx.txt", dump_xlsx(out / "duty-roster-2026-国庆节.xlsx"))
    golden("duty-roster.docx.txt", dump_docx(out / "duty-roster-2026-国庆节.docx"))
    ics = (out / "duty-roster-2026-国庆节.ics").read_text(encoding="utf-8")
    assert ics.count("BEGIN:VEVENT") == 7 and "DTSTART;VALUE=DATE:20261001" in ics
    res = office.oa("duty", "roster", "--holiday", "春晚", "--year", "2026")
    assert res.exit_code != 0 and "OA641" in res.stderr


def test_roster_unavailability_from_oa_yaml_S_OPS_PLAN_2(office: Office) -> None:
    set_duty(
        office,
        staff=["wangfang", "zhaolei", "xiaoting"],
        unavailable=[{"person": "wangfang", "from": date(2026, 10, 1), "to": date(2026, 10, 7)}],
    )
    days = json.loads(office.ok("duty", "roster", "--holiday", "国庆节", "--year", "2026",
                                "--json").stdout)  # fmt: skip
    assert all("wangfang" not in d["staff"] for d in days)
    set_duty(office, staff=["nobody"])
    res = office.oa("duty", "roster", "--holiday", "国庆节", "--year", "2026")
    assert res.exit_code != 0 and "OA456" in res.stderr and "oa.yaml" in res.stderr


# -- S-OPS-MAIL-1: mail ------------------------------------------------------------------------------


def test_mail_delivered_signed_or_flagged_S_OPS_MAIL_1(office: Office, tmp_path: Path) -> None:
    """S-OPS-MAIL-1: each item registered with its recipient; only the recipient (or a member
    of the recipient department) signs; a misdelivered item is flagged and delivered again; one
    left undelivered is flagged by validate; the distribution sheet and cabinet labels print."""
    ok = office.ok
    ok("mail", "register", "--type", "报纸", "--from", "湖南日报", "--to", "chenguohua",
       env=at("2026-11-26", "08:40"))  # fmt: skip
    ok("mail", "register", "--type", "挂号信", "--from", "长沙市机关事务管理局", "--to", "财务科",
       env=at("2026-11-26", "08:43"))  # fmt: skip
    ok("mail", "register", "--type", "信件", "--from", "市民王某", "--to", "WYK",
       env=at("2026-11-26", "08:45"))  # fmt: skip
    before = office.snapshot()
    res = office.oa("mail", "deliver", "YJ-2026-0001", "--signed-by", "sunpeng")
    assert (
        res.exit_code != 0 and "OA644" in res.stderr and "mail/2026/YJ-2026-0001.yaml" in res.stderr
    )
    assert office.snapshot() == before
    ok(
        "mail",
        "deliver",
        "YJ-2026-0001",
        "--signed-by",
        "chenguohua",
        env=at("2026-11-26", "10:00"),
    )
    ok(
        "mail",
        "flag",
        "YJ-2026-0002",
        "--reason",
        "误投至事务二科柜格，收回",
        env=at("2026-11-26", "10:10"),
    )
    ok("mail", "deliver", "YJ-2026-0002", "--signed-by", "sunpeng", env=at("2026-11-27", "09:00"))
    warnings = [(f["code"], f["path"]) for f in findings(office)]
    assert warnings == [("OA457", "mail/2026/YJ-2026-0003.yaml")]
    out = tmp_path / "out"
    ok("mail", "sheet", "--from", "2026-11-26", "--to", "2026-11-27", "--out", str(out))
    golden("mail-sheet.xlsx.txt", dump_xlsx(out / "mail-2026-11-26-2026-11-27.xlsx"))
    ok("mail", "labels", "--out", str(out))
    golden("cabinet-labels.docx.txt", dump_docx(out / "cabinet-labels.docx"))


def test_duty_bad_input_changes_nothing_S_OPS_DUTY_1(office: Office) -> None:
    """Bad input: an unknown category, a department without a leader to supervise, two ways of
    dealing at once — each refused with a code, nothing written."""
    before = office.snapshot()
    for args, code in [
        (("-c", "闲聊", "--party", "某人", "--content", "x"), "OA2"),
        (("-c", "来电", "--party", "某人", "--content", "x", "--forward", "LDB"), "OA005"),
        (("-c", "来电", "--party", "某人", "--content", "x", "--settle", "a", "--report", "lijianguo"),
         "OA005"),
    ]:  # fmt: skip
        res = office.oa("duty", "log", *args)
        assert res.exit_code != 0 and code in res.output, res.output
        assert "Traceback" not in res.output
    assert office.snapshot() == before


# -- core: holiday names and the gatherers -------------------------------------------------------


def test_calendar_holiday_names(calendar_store: Store) -> None:
    """oa.core.workdays: holiday names from chinese-calendar (a 调休 workday is not a holiday day)
    or from calendar/<year>.yaml; the last workday on or before a day."""
    from oa.core.workdays import WorkCalendar

    cal = WorkCalendar()
    assert cal.holiday_name(date(2026, 10, 1)) == "国庆节"
    assert cal.holiday_name(date(2026, 2, 17)) == "春节"
    assert cal.holiday_name(date(2026, 9, 20)) is None  # 调休 Sunday, worked
    assert cal.holiday_name(date(2026, 11, 30)) is None
    assert cal.last_workday_on_or_before(date(2026, 2, 20)) == date(2026, 2, 14)
    names = {name for _, name in cal.holidays_of(2026)}
    assert {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"} <= names
    local = calendar_store.calendar
    assert local.holiday_name(date(2027, 10, 1)) == "国庆节"
    assert next(d for d, _ in local.holidays_of(2027)) == date(2027, 10, 1)


def test_open_tasks_gathers_every_kind(office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    """oa.core.agenda.open_tasks: done tasks are left out, open ones sorted by due date."""
    from oa.core.agenda import open_tasks

    def tasks(store: Store, data: dict[str, object]) -> list[Task]:
        return [
            Task("t[1]", "later", date(2026, 12, 9)),
            Task("t[0]", "done", date(2026, 12, 1), done=True),
        ]

    monkeypatch.setattr(kinds()["outgoing"], "tasks", tasks)
    found = [t for t in open_tasks(Store(office.root)) if t.source.startswith("OUT-")]
    assert found and {t.task.what for t in found} == {"later"}
    dues = [t.task.due for t in open_tasks(Store(office.root))]
    assert dues == sorted(dues)

"""Incoming documents end to end through the CLI in temporary git repositories (S-DOC-IN-1…6),
with workday deadlines across a holiday, the reply loop, archiving and classified documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Office

CLERK = "wangfang"  # 王芳, 办公室 (the git user in tests)
DIRECTOR = "chenguohua"
LEADER = "lijianguo"  # 李建国, 主管领导


def receive(
    o: Office,
    *extra: str,
    category: str = "交办性",
    handling: str = "批办",
    title: str = "关于做好测试工作的通知",
) -> str:
    res = o.ok(
        "doc",
        "receive",
        "--from",
        "浏阳市人民政府办公室",
        "--number",
        "浏政办函〔2026〕99号",
        "--title",
        title,
        "--category",
        category,
        "--handling",
        handling,
        "--copies",
        "2",
        "--pages",
        "6",
        *extra,
    )
    return res.stdout.split(":")[0].strip()


def rec(o: Office, rid: str) -> dict:
    return json.loads(o.ok("show", rid, "--json").stdout)["record"]


@pytest.mark.parametrize(
    "category",
    [
        "政策性",
        "指导性",
        "交办性",
        "参阅性",
        "呈请性",
        "商洽性",
        "询问性",
        "会议通知",
        "会议文件",
        "刊物资料",
        "价值文献",
        "人民来信",
    ],
)
def test_every_category_is_registered(empty_office: Office, category: str) -> None:
    """S-DOC-IN-2: the register keeps which kind of document it is."""
    rid = receive(empty_office, "--received", "2026-11-20 10:30", category=category)
    r = rec(empty_office, rid)
    assert r["category"] == category and r["sender"] == "浏阳市人民政府办公室"
    assert r["received"].startswith("2026-11-20T10:30") and r["copies"] == 2
    assert r["state"] == "registered" and r["registrar"] == CLERK


def test_unknown_category_is_refused(empty_office: Office) -> None:
    before = empty_office.snapshot()
    res = empty_office.oa("doc", "receive", "--from", "x", "--title", "y", "--category", "机密性")
    assert (
        res.exit_code == 2
        and "OA608" in res.stderr
        and "OA201" in res.output
        and "category" in res.output
    )
    assert empty_office.snapshot() == before


def test_whole_handling_flow_with_joint_departments(empty_office: Office) -> None:
    """S-DOC-IN-1/3/4/5/6: 登记 → 拟办 (joint, one 牵头科室, deadline) → 批办 → 承办 by each
    department → 办结 → 归档 with 档号."""
    o = empty_office
    rid = receive(o)
    res = o.oa(
        "doc",
        "propose",
        rid,
        "-m",
        "拟请物业管理科、财务科办理",
        "--dept",
        "WYK",
        "--dept",
        "财务科",
    )
    assert res.exit_code == 2 and "OA607" in res.stderr and "牵头科室" in res.stderr
    res = o.oa("doc", "propose", rid, "-m", "x", "--dept", "WYK", "--dept", "CWK", "--lead", "BGS")
    assert "OA607" in res.stderr and "is not one of the 承办科室" in res.stderr
    o.ok(
        "doc",
        "propose",
        rid,
        "-m",
        "拟请物业管理科牵头、财务科配合，于12月4日前办复。",
        "--dept",
        "WYK",
        "--dept",
        "CWK",
        "--lead",
        "物业管理科",
        "--due",
        "2026-12-04",
    )
    r = rec(o, rid)
    assert r["departments"] == ["WYK", "CWK"] and r["lead_department"] == "WYK"
    assert r["department"] == "WYK" and r["reply_by"] == "2026-12-04"
    res = o.oa("advance", rid, "decide", "--as", "hujun", "-m", "同意")
    assert "OA603" in res.stderr
    o.ok("advance", rid, "decide", "--as", LEADER, "-m", "同意拟办意见。")
    res = o.oa("doc", "handle", rid, "--as", "xiaoting", "--course", "x", "--result", "y")
    assert "OA607" in res.stderr and "not a 承办科室" in res.stderr
    res = o.oa(
        "doc", "handle", rid, "--as", "hujun", "--dept", "CWK", "--course", "x", "--result", "y"
    )
    assert "OA607" in res.stderr and "only members of 财务科" in res.stderr
    o.ok("doc", "handle", rid, "--as", "hujun", "--course", "汇总能耗数据", "--result", "已报送")
    res = o.oa("doc", "handle", rid, "--as", "xiemei", "--course", "x", "--result", "y")
    assert "already recorded" in res.stderr
    res = o.oa("advance", rid, "complete")
    assert "OA607" in res.stderr and "承办未完成: 财务科" in res.stderr
    o.ok("doc", "handle", rid, "--as", "yangxue", "--course", "提供费用台账", "--result", "已提供")
    o.ok("advance", rid, "complete")
    o.ok("archive", "file", rid)
    r = rec(o, rid)
    assert r["state"] == "archived"
    assert r["archive"]["code"] == "0194-WS·2026-D30-WYK-0001"
    handled = [h for h in r["history"] if h["action"] == "handle"]
    assert [(h["department"], h["by"], h["result"]) for h in handled] == [
        ("WYK", "hujun", "已报送"),
        ("CWK", "yangxue", "已提供"),
    ]
    assert o.ok("validate").stdout.strip().endswith("no findings")
    assert o.ok("audit").stdout.strip().endswith("no findings")


def test_reading_only_documents_circulate(empty_office: Office) -> None:
    """阅知性 documents go straight to 传阅; who has read it and who has it now are shown."""
    o = empty_office
    rid = receive(o, category="参阅性", handling="阅知")
    o.ok("doc", "circulate", rid, "--to", "陈国华", "--to", LEADER, "-m", "请各位领导阅示")
    out = o.ok("doc", "circulation", rid).stdout
    assert "has it  陈国华" in out and "waiting  李建国" in out
    res = o.oa("advance", rid, "read", "--as", "tangzhiqiang")
    assert "OA607" in res.stderr and "not on the circulation list" in res.stderr
    o.ok("advance", rid, "read", "--as", DIRECTOR, "-m", "已阅")
    res = o.oa("advance", rid, "finish_reading")
    assert "传阅未完成: 李建国" in res.stderr
    out = o.ok("doc", "circulation", rid).stdout
    assert "read    陈国华" in out and "has it  李建国" in out
    o.ok("advance", rid, "read", "--as", LEADER)
    o.ok("advance", rid, "finish_reading")
    assert rec(o, rid)["state"] == "filing"


def test_batch_document_cannot_skip_decision(empty_office: Office) -> None:
    """S-DOC-IN-4: a 批办性 document cannot go straight to 传阅."""
    o = empty_office
    rid = receive(o, handling="批办")
    before = o.snapshot()
    res = o.oa("doc", "circulate", rid, "--to", DIRECTOR)
    assert res.exit_code == 2 and "OA607" in res.stderr and "批办" in res.stderr
    assert o.snapshot() == before


def test_overdue_counts_workdays_across_national_day(empty_office: Office) -> None:
    """Deadlines in workdays: 5 workdays from 2026-09-29 skip the 国庆 holiday (10-01…10-07) and
    land on 10-12; 10-10 (Saturday) is a 调休 workday and counts."""
    o = empty_office
    at = {"OA_NOW": "2026-09-29T10:00:00+08:00"}
    rid = o.ok(
        "doc",
        "receive",
        "--from",
        "浏阳市应急管理局",
        "--title",
        "关于节日安全的通知",
        "--category",
        "指导性",
        env=at,
    ).stdout.split(":")[0]
    o.ok(
        "doc", "propose", rid, "-m", "拟请安全保卫科办理", "--dept", "BWK", "--within", "5", env=at
    )
    assert rec(o, rid)["reply_by"] == "2026-10-12"

    def overdue(now: str) -> list[dict]:
        res = o.ok("doc", "overdue", "--json", env={"OA_NOW": now})
        return json.loads(res.stdout)

    assert overdue("2026-09-30T09:00:00+08:00") == []  # 3 workdays left: 9-30, 10-10, 10-12
    soon = overdue("2026-10-09T09:00:00+08:00")
    assert [(d["id"], d["workdays_left"], d["status"]) for d in soon] == [(rid, 2, "open")]
    late = overdue("2026-10-13T09:00:00+08:00")
    assert [(d["id"], d["workdays_left"], d["status"]) for d in late] == [(rid, -1, "overdue")]


def test_reply_closes_the_loop(office: Office) -> None:
    """S-DOC-IN-3: a 复文 answering the 来文, once dispatched, closes its deadline."""
    o = office
    now = {"OA_NOW": "2026-12-08T09:00:00+08:00"}
    late = {d["id"] for d in json.loads(o.ok("doc", "overdue", "--json", env=now).stdout)}
    assert "IN-2026-0005" in late  # 交警大队's 函, answered by OUT-2026-0015 not yet sent
    assert "IN-2026-0003" not in late  # answered in March
    out = "OUT-2026-0015"
    assert rec(o, out)["reply_to"] == "IN-2026-0005"
    for action, who in [
        ("print_proof", "caiyong"),
        ("check_proof", CLERK),
        ("print", "caiyong"),
        ("dispatch", "caiyong"),
    ]:
        args = ["advance", out, action, "--as", who]
        o.ok(*args, *(["--set", "copies=5"] if action == "print" else []), env=now)
    late = {d["id"] for d in json.loads(o.ok("doc", "overdue", "--json", env=now).stdout)}
    assert "IN-2026-0005" not in late


def test_reply_to_must_name_an_incoming_record(office: Office) -> None:
    res = office.oa(
        "doc",
        "new",
        "--kind",
        "浏后勤函",
        "--title",
        "复函",
        "--as",
        "pengwei",
        "--reply-to",
        "IN-2026-0999",
    )
    assert (
        res.exit_code == 2
        and "OA608" in res.stderr
        and "OA305" in res.output
        and "no record IN-2026-0999" in res.output
    )
    res = office.oa(
        "doc",
        "new",
        "--kind",
        "浏后勤函",
        "--title",
        "复函",
        "--as",
        "pengwei",
        "--reply-to",
        "OUT-2026-0001",
    )
    assert "OA305" in res.output and "not a 收文 record" in res.output


def test_calendar_file_for_a_year_chinese_calendar_does_not_know(empty_office: Office) -> None:
    """An office carries next year's announcement as calendar/<year>.yaml; without it the year is
    counted Monday to Friday with a warning (OA008), never a crash."""
    o = empty_office
    at = {"OA_NOW": "2027-01-29T10:00:00+08:00"}
    rid = o.ok(
        "doc", "receive", "--from", "x", "--title", "y", "--category", "指导性", env=at
    ).stdout.split(":")[0]
    res = o.oa("doc", "propose", rid, "-m", "拟办", "--dept", "BWK", "--within", "3", env=at)
    assert res.exit_code == 0 and "OA008" in res.stderr and "2027" in res.stderr
    assert rec(o, rid)["reply_by"] == "2027-02-03"  # Mon–Fri: 2-1, 2-2, 2-3
    (o.root / "calendar").mkdir()
    (o.root / "calendar" / "2027.yaml").write_text(
        "year: 2027\nsource: 测试用节假日安排\nholidays:\n"
        "  - {name: 春节, from: 2027-02-01, to: 2027-02-05}\nworkdays: [2027-01-30]\n",
        encoding="utf-8",
    )
    rid2 = o.ok(
        "doc", "receive", "--from", "x", "--title", "z", "--category", "指导性", env=at
    ).stdout.split(":")[0]
    res = o.oa("doc", "propose", rid2, "-m", "拟办", "--dept", "BWK", "--within", "3", env=at)
    assert res.exit_code == 0 and "OA008" not in res.stderr
    assert rec(o, rid2)["reply_by"] == "2027-02-09"  # 1-30 (调休), then 2-8 and 2-9
    (o.root / "calendar" / "2027.yaml").write_text(
        "year: 2027\nholidays: [{name: x}]\n", encoding="utf-8"
    )
    res = o.oa("validate")
    assert res.exit_code == 1 and "calendar/2027.yaml" in res.stdout and "OA213" in res.stdout


def test_classified_document_keeps_no_body(empty_office: Office, tmp_path: Path) -> None:
    """Classified documents: registered, but no body or attachments in the repository."""
    o = empty_office
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 secret")
    before, head = o.snapshot(), o.head()
    res = o.oa(
        "doc",
        "receive",
        "--from",
        "市委办",
        "--title",
        "机密文件",
        "--category",
        "政策性",
        "--secrecy",
        "机密",
        "--body",
        str(scan),
    )
    assert (
        res.exit_code == 2
        and "OA608" in res.stderr
        and "OA413" in res.output
        and "Traceback" not in res.output
    )
    assert o.snapshot() == before and o.head() == head
    res = o.oa(
        "doc",
        "new",
        "--kind",
        "浏后勤发",
        "--title",
        "秘密文件",
        "--secrecy",
        "秘密",
        "--body",
        str(scan),
        "--as",
        "pengwei",
    )
    assert res.exit_code == 2 and "OA413" in res.output
    rid = receive(o, "--secrecy", "机密")
    assert rec(o, rid)["secrecy"] == "机密"
    files = o.path(rid).with_suffix(".files")
    files.mkdir()
    (files / "正文.pdf").write_bytes(b"%PDF")
    res = o.oa("validate")
    assert res.exit_code == 1 and "OA413" in res.stdout


def test_archived_record_is_closed(office: Office) -> None:
    """Once archived a record is closed: the CLI refuses steps, validate flags edits (OA411)."""
    rid = "IN-2026-0003"
    res = office.oa("advance", rid, "propose", "-m", "x")
    assert res.exit_code == 2 and "OA602" in res.stderr and "closed" in res.stderr
    path = office.path(rid)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: 关于商借", "title: 关于借用"), encoding="utf-8")
    res = office.oa("validate")
    assert (
        res.exit_code == 1 and "OA411" in res.stdout and "changed since it was filed" in res.stdout
    )


def test_archive_numbers_run_per_series(office: Office) -> None:
    """DA/T 22: 件号 per year, retention and department, no gaps; pending and catalog."""
    pending = json.loads(office.ok("archive", "pending", "--json").stdout)
    assert {p["id"] for p in pending} == {"IN-2026-0008", "OUT-2026-0011"}
    res = office.ok("archive", "file", "--all")
    assert "IN-2026-0008: filed as 0194-WS·2026-D30-BGS-0003" in res.stdout
    assert "OUT-2026-0011: filed as 0194-WS·2026-D30-SWE-0001" in res.stdout
    rows = json.loads(office.ok("archive", "catalog", "--year", "2026", "--json").stdout)
    assert [r["code"] for r in rows][:3] == [
        "0194-WS·2026-Y-BGS-0001",
        "0194-WS·2026-Y-BGS-0002",
        "0194-WS·2026-Y-BGS-0003",
    ]
    assert len(rows) == 16
    assert office.ok("validate").stdout.strip().endswith("no findings")
    path = office.path("IN-2026-0008")
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("  item: 3\n", "  item: 5\n").replace("BGS-0003", "BGS-0005"), encoding="utf-8"
    )
    res = office.oa("validate")
    assert res.exit_code == 1 and "OA412" in res.stdout

"""The outgoing-document flow end to end through the real CLI, in temporary git repositories.

S-DOC-OUT-1 (the eleven steps, actors, opinions, send-backs, 会签), S-DOC-OUT-2 (numbering),
S-GEN-1 (the process is data), S-GEN-2 (who, when, what, on whose instruction).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEMO_RECORDS, Office

DRAFTER = "pengwei"  # 彭伟, 事务一科, 拟稿人
CLERK = "wangfang"  # 王芳, 办公室 (the git user in tests)
LEADER = "tangzhiqiang"  # 汤志强, 主管领导
LEADER2 = "zhouhuimin"  # 周慧敏, 主管领导
DIRECTOR = "chenguohua"  # 陈国华, 主任


def new_doc(
    office: Office, *extra: str, kind: str = "浏后勤函", title: str = "关于测试事项的函"
) -> str:
    res = office.ok(
        "doc",
        "new",
        "--kind",
        kind,
        "--title",
        title,
        "--to",
        "浏阳市教育局",
        "--as",
        DRAFTER,
        *extra,
    )
    return res.stdout.split(":")[0].strip()


def record(office: Office, rid: str) -> dict:
    return json.loads(office.ok("show", rid, "--json").stdout)["record"]


def to_numbering(office: Office, rid: str) -> None:
    office.ok("advance", rid, "submit", "--as", DRAFTER)
    office.ok("advance", rid, "review", "-m", "同意")
    office.ok("advance", rid, "sign", "--as", LEADER, "-m", "同意")
    office.ok("advance", rid, "issue", "--as", DIRECTOR, "-m", "同意印发")


def test_whole_flow_every_step_recorded(empty_office: Office, tmp_path: Path) -> None:
    """S-DOC-OUT-1: draft → review → sign → director → number → proof → check → print →
    dispatch → archive, each with actor, time and opinion; each a commit (S-GEN-2)."""
    o = empty_office
    body = tmp_path / "body.md"
    body.write_text("各科室：\n\n# 总体要求\n\n认真落实。\n", encoding="utf-8")
    att = tmp_path / "名单.md"
    att.write_text("名单\n", encoding="utf-8")
    rid = new_doc(
        o,
        "--body",
        str(body),
        "--attach",
        str(att),
        "--urgency",
        "加急",
        kind="浏后勤发",
        title="关于加强机关食堂管理的通知",
    )
    assert rid == "OUT-2026-0001"
    text = o.read(rid)
    assert text.startswith("# yaml-language-server: $schema=../../schema/outgoing.schema.json\n")
    assert (
        (o.path(rid).with_suffix(".files") / "正文.md")
        .read_text(encoding="utf-8")
        .startswith("各科室")
    )
    assert (o.path(rid).with_suffix(".files") / "附件1.md").is_file()
    steps = [
        ("submit", DRAFTER, None, "review"),
        ("review", CLERK, "文字已核", "leader_sign"),
        ("sign", LEADER, "同意", "director_sign"),
        ("issue", DIRECTOR, "同意印发", "numbering"),
        ("number", CLERK, None, "proof"),
        ("print_proof", DRAFTER, None, "proof_check"),
        ("check_proof", CLERK, "样稿无误", "printing"),
        ("print", DRAFTER, None, "dispatch"),
        ("dispatch", DRAFTER, None, "filing"),
        ("archive", CLERK, None, "archived"),
    ]
    for n, (action, who, opinion, state) in enumerate(steps, 1):
        args = ["advance", rid, action, "--as", who]
        if opinion:
            args += ["--opinion", opinion]
        if action == "print":
            args += ["--set", "copies=30"]
        if action == "archive":
            args += ["--set", "retention=Y", "--set", "pages=3"]
        o.ok(*args, env={"OA_NOW": f"2026-12-01T{8 + n:02d}:00:00+08:00"})
        assert record(o, rid)["state"] == state
        msg = o.git("log", "-1", "--format=%B")
        assert msg.startswith(f"{rid}: {action} (")
        assert f"OA-Record: {rid}" in msg and f"OA-Action: {action}" in msg
        assert f"OA-Actor: {who}" in msg
    rec = record(o, rid)
    assert rec["doc_number"] == "浏后勤发〔2026〕1号"
    assert rec["copies"] == 30
    hist = rec["history"]
    assert [h["action"] for h in hist] == ["create"] + [s[0] for s in steps]
    assert [h["by"] for h in hist[1:]] == [s[1] for s in steps]
    assert hist[3]["opinion"] == "同意" and hist[3]["at"].startswith("2026-12-01T11:00")
    assert hist[5]["number"] == "浏后勤发〔2026〕1号"
    assert rec["archive"]["code"] == "0194-WS·2026-Y-SWY-0001" == hist[-1]["archive_code"]
    # a leader's step entered by the clerk says so, in the file and in the commit
    assert hist[3]["entered_by"] == CLERK and "entered_by" not in hist[2]
    assert len(o.git("log", "--format=%H", "--", str(o.path(rid))).split()) == 11
    assert o.ok("validate").stdout.strip().endswith("no findings")
    assert o.ok("audit").stdout.strip().endswith("no findings")
    assert "closed: no further steps" in o.ok("show", rid).stdout


@pytest.mark.parametrize(
    ("state_steps", "who"),
    [
        ([("submit", DRAFTER)], CLERK),
        ([("submit", DRAFTER), ("review", CLERK)], LEADER),
        ([("submit", DRAFTER), ("review", CLERK), ("sign", LEADER)], DIRECTOR),
    ],
    ids=["from-review", "from-leader", "from-director"],
)
def test_send_back(office: Office, state_steps: list[tuple[str, str]], who: str) -> None:
    """S-DOC-OUT-1: a reviewer or signer can send the draft back, with an opinion."""
    rid = new_doc(office)
    for action, actor in state_steps:
        office.ok("advance", rid, action, "--as", actor, "-m", "同意")
    res = office.oa("advance", rid, "return", "--as", who)
    assert res.exit_code == 2 and "OA606" in res.stderr
    office.ok("advance", rid, "return", "--as", who, "-m", "请修改第二段")
    rec = record(office, rid)
    assert rec["state"] == "draft"
    assert rec["history"][-1]["opinion"] == "请修改第二段"
    office.ok("advance", rid, "submit", "--as", DRAFTER)
    assert record(office, rid)["state"] == "review"
    assert office.ok("validate").stdout.strip().endswith("no findings")


def test_countersign_by_several_leaders(office: Office) -> None:
    """S-DOC-OUT-1 会签: sign-off waits for every requested leader; each signs once per round;
    a send-back starts a new round."""
    rid = new_doc(office, "--countersign", LEADER, "--countersign", "周慧敏")
    office.ok("advance", rid, "submit", "--as", DRAFTER)
    office.ok("advance", rid, "review")
    res = office.oa("advance", rid, "sign", "--as", "lijianguo")
    assert (
        res.exit_code == 2 and "OA607" in res.stderr and "会签未完成: 汤志强、周慧敏" in res.stderr
    )
    res = office.oa("advance", rid, "countersign", "--as", "lijianguo")
    assert "OA607" in res.stderr and "not asked to countersign" in res.stderr
    office.ok("advance", rid, "countersign", "--as", LEADER, "-m", "同意")
    res = office.oa("advance", rid, "countersign", "--as", LEADER)
    assert "already countersigned" in res.stderr
    todo = office.ok("todo", "--as", LEADER2).stdout
    assert rid in todo and "countersign" in todo
    office.ok("advance", rid, "return", "--as", LEADER2, "-m", "请补充依据")
    office.ok("advance", rid, "submit", "--as", DRAFTER)
    office.ok("advance", rid, "review")
    res = office.oa("advance", rid, "sign", "--as", "lijianguo")
    assert "会签未完成: 汤志强、周慧敏" in res.stderr  # the old round's 会签 no longer counts
    office.ok("advance", rid, "countersign", "--as", LEADER)
    office.ok("advance", rid, "countersign", "--as", LEADER2)
    office.ok("advance", rid, "sign", "--as", "lijianguo", "-m", "同意")
    assert record(office, rid)["state"] == "director_sign"
    assert office.ok("validate").stdout.strip().endswith("no findings")


def test_number_only_at_numbering_step(office: Office) -> None:
    """S-DOC-OUT-2: a number is given only at the numbering step, never to a draft."""
    rid = new_doc(office)
    res = office.oa("advance", rid, "number")
    assert res.exit_code == 2 and "OA602" in res.stderr
    assert "doc_number" not in record(office, rid)
    to_numbering(office, rid)
    office.ok("advance", rid, "number")
    # 浏后勤函 2026 has 4 numbers in the demo office already
    assert record(office, rid)["doc_number"] == "浏后勤函〔2026〕5号"


def test_numbers_run_per_kind_per_year(empty_office: Office) -> None:
    """S-DOC-OUT-2: sequences per 代字 per year, 1, 2, 3 …, in the GB/T 9704 form."""
    o = empty_office
    got = []
    for kind, year in [
        ("浏后勤发", 2026),
        ("浏后勤发", 2026),
        ("浏后勤函", 2026),
        ("浏后勤发", 2027),
        ("浏后勤发", 2026),
    ]:
        rid = new_doc(o, kind=kind)
        to_numbering(o, rid)
        o.ok("advance", rid, "number", env={"OA_NOW": f"{year}-01-05T10:00:00+08:00"})
        got.append(record(o, rid)["doc_number"])
    assert got == [
        "浏后勤发〔2026〕1号",
        "浏后勤发〔2026〕2号",
        "浏后勤函〔2026〕1号",
        "浏后勤发〔2027〕1号",
        "浏后勤发〔2026〕3号",
    ]
    assert o.ok("validate").stdout.strip().endswith("no findings")


def test_concurrent_numbering_gives_distinct_numbers(empty_office: Office) -> None:
    """S-DOC-OUT-2: two (here six) `oa` processes numbering at once never share or skip one."""
    o = empty_office
    ids = []
    for _ in range(6):
        rid = new_doc(o, kind="浏后勤发")
        to_numbering(o, rid)
        ids.append(rid)
    env = {**os.environ, "OA_LOCK_TIMEOUT": "60"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "oa", "--root", str(o.root), "advance", rid, "number"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for rid in ids
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    numbers = sorted(record(o, rid)["doc_number"] for rid in ids)
    assert numbers == sorted(f"浏后勤发〔2026〕{n}号" for n in range(1, 7))
    assert o.git("status", "--porcelain").strip() == ""
    assert o.ok("validate").stdout.strip().endswith("no findings")
    assert o.ok("audit").stdout.strip().endswith("no findings")


def test_wrong_person_is_refused_and_nothing_changes(office: Office) -> None:
    """S-DOC-OUT-1: every step has an actor with the right role; department steps need the
    drafting department."""
    rid = new_doc(office)
    before, head = office.snapshot(), office.head()
    res = office.oa("advance", rid, "submit", "--as", "dengming")  # 事务二科, not the drafter's
    assert res.exit_code == 2 and "OA603" in res.stderr and "事务一科" in res.stderr
    office.ok("advance", rid, "submit", "--as", DRAFTER)
    before, head = office.snapshot(), office.head()
    res = office.oa("advance", rid, "review", "--as", DRAFTER)
    assert res.exit_code == 2 and "OA603" in res.stderr and "办公室" in res.stderr
    assert office.snapshot() == before and office.head() == head


def test_no_commit_stages_the_change(office: Office) -> None:
    rid = new_doc(office)
    head = office.head()
    office.ok("advance", rid, "submit", "--as", DRAFTER, "--no-commit")
    assert office.head() == head
    staged = office.git("diff", "--cached", "--name-only").split()
    assert staged == [f"outgoing/2026/{rid}.yaml"]
    assert record(office, rid)["state"] == "review"


def test_identity_from_oa_user_and_git_email(office: Office) -> None:
    """Identity: --as, then OA_USER, then git user.email, each mapped to a person."""
    rid = new_doc(office)
    office.ok("advance", rid, "submit", env={"OA_USER": "彭伟"})
    office.ok("advance", rid, "review")  # git user.email is 王芳's
    hist = record(office, rid)["history"]
    assert hist[1]["by"] == DRAFTER and hist[2]["by"] == CLERK and "entered_by" not in hist[2]
    res = office.oa("advance", rid, "sign", env={"OA_USER": "nobody@example.org"})
    assert res.exit_code == 2 and "OA604" in res.stderr
    office.ok("advance", rid, "sign", "--as", "tangzhiqiang@lyjghq.gov.cn")
    assert "OA-On-Behalf: wangfang" in office.git("log", "-1", "--format=%B")


def test_list_filters_and_sorts(office: Office) -> None:
    def ids(*args: str) -> list[str]:
        return [r["id"] for r in json.loads(office.ok("list", "--json", *args).stdout)]

    assert len(ids()) == DEMO_RECORDS and len(ids("--kind", "outgoing")) == 28
    assert len(ids("--kind", "outgoing", "--year", "2025")) == 5
    assert ids("--state", "proof") == ["OUT-2026-0015"]
    assert set(ids("--department", "车辆管理科")) == set(ids("--department", "CLK"))
    assert "OUT-2026-0015" in ids("--department", "CLK")
    mine = ids("--person", "hujun")
    assert mine and all(r in ids("--person", "胡军") for r in mine)
    documents = ("OUT-", "IN-")  # other kinds' demo records are updated later
    by_update = [r for r in ids("--sort", "updated", "--reverse") if r.startswith(documents)]
    assert by_update[0].startswith("OUT-2026") and by_update[-1] == "OUT-2025-0001"
    res = office.oa("list", "--sort", "colour")
    assert res.exit_code == 2 and "OA005" in res.stderr
    table = office.ok("list", "--state", "proof").stdout
    assert "浏后勤函〔2026〕4号" in table and "打印样稿" in table


def test_todo_shows_what_waits_for_each_person(office: Office) -> None:
    items = json.loads(office.ok("todo", "--as", DIRECTOR, "--kind", "outgoing", "--json").stdout)
    assert [i["id"] for i in items] == ["OUT-2026-0017"]
    assert items[0]["actions"] == ["issue", "return"]
    everything = json.loads(office.ok("todo", "--as", DIRECTOR, "--json").stdout)
    assert [i["id"] for i in everything] == ["IN-2026-0011", "OUT-2026-0017"]
    clerk = {i["id"] for i in json.loads(office.ok("todo", "--json", "-k", "outgoing").stdout)}
    assert clerk == {
        "OUT-2026-0011",
        "OUT-2026-0013",
        "OUT-2026-0014",
        "OUT-2026-0016",
        "OUT-2026-0020",
        "OUT-2026-0021",
        "OUT-2026-0023",
    }
    everyone = json.loads(office.ok("todo", "--all", "--json", "--kind", "outgoing").stdout)
    assert len(everyone) == 13  # every open outgoing document in the demo office
    # 会签 pending: 周慧敏 has countersigned, 李建国 has not
    mine = json.loads(office.ok("todo", "--as", "lijianguo", "--json").stdout)
    pending = next(i for i in mine if i["id"] == "OUT-2026-0018")
    assert pending["actions"] == ["countersign", "return"]
    theirs = json.loads(office.ok("todo", "--as", LEADER2, "--json").stdout)
    assert next(i for i in theirs if i["id"] == "OUT-2026-0018")["actions"] == ["return"]


def test_show_and_log(office: Office) -> None:
    shown = office.ok("show", "OUT-2026-0015").stdout
    assert "关于市行政中心停车场划线施工的复函" in shown and "浏后勤函〔2026〕4号" in shown
    assert "彭伟" not in shown and "蔡勇" in shown
    office.ok("advance", "OUT-2026-0015", "print_proof", "--as", "caiyong")
    log = json.loads(office.ok("log", "OUT-2026-0015", "--json").stdout)
    assert [e["changed"] for e in log] == [["created"], ["state", "history+1"]]
    assert log[-1]["action"] == "print_proof" and log[-1]["email"] == "wangfang@lyjghq.gov.cn"
    assert "print_proof" in office.ok("log", "OUT-2026-0015").stdout


def test_status_is_the_main_job(office: Office) -> None:
    out = office.ok("status").stdout
    assert "浏阳市机关后勤服务中心" in out and f"{DEMO_RECORDS} records, valid" in out
    assert "陈国华 (chenguohua)" in out


def test_workflow_command_shows_the_process(office: Office) -> None:
    out = office.ok("workflow", "outgoing").stdout
    for label in ("核稿", "会签", "主任签发", "编号", "存档"):
        assert label in out
    data = json.loads(office.ok("workflow", "--json").stdout)
    assert data["start"] == "draft" and len(data["actions"]) == 13


def test_failed_commit_leaves_nothing_behind(office: Office) -> None:
    """When git refuses the commit, the record is restored: nothing half-done stays on disk."""
    rid = "OUT-2026-0016"
    before, head = office.snapshot(), office.head()
    lock = office.root / ".git" / "index.lock"
    lock.write_text("")
    try:
        res = office.oa("advance", rid, "number")
        assert res.exit_code == 2 and "OA004" in res.stderr and "Traceback" not in res.output
        assert office.snapshot() == before and office.head() == head
        res = office.oa("doc", "new", "--kind", "浏后勤函", "--title", "x", "--as", DRAFTER)
        assert res.exit_code == 2 and "OA004" in res.stderr
        assert office.snapshot() == before
    finally:
        lock.unlink()
    office.ok("advance", rid, "number")
    assert record(office, rid)["doc_number"] == "浏后勤发〔2026〕6号"


def test_only_clerks_enter_steps_for_others(office: Office) -> None:
    """S-GEN-2: entering a step for someone else (an oral instruction) is for the 办公室; anyone
    else at the terminal acts only as themselves."""
    env = {"GIT_AUTHOR_EMAIL": "pengwei@lyjghq.gov.cn", "GIT_COMMITTER_EMAIL": "x@example.org"}
    before, head = office.snapshot(), office.head()
    res = office.oa("advance", "OUT-2026-0016", "number", "--as", CLERK, env=env)
    assert res.exit_code == 2 and "OA603" in res.stderr and "may not enter steps" in res.stderr
    assert office.snapshot() == before and office.head() == head
    rid = new_doc(office, "--as", DRAFTER)  # 王芳 (the clerk) may
    office.ok("advance", rid, "submit", env=env)  # 彭伟 as himself
    assert "OA-On-Behalf" not in office.git("log", "-1", "--format=%B")


def test_no_git_identity_means_no_commit(office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a git identity the step is not recorded under anyone's name: git refuses, and the
    command leaves nothing behind."""
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(key)
    office.git("config", "user.useConfigOnly", "true")
    before, head = office.snapshot(), office.head()
    res = office.oa("advance", "OUT-2026-0017", "issue", "--as", DIRECTOR)
    assert res.exit_code == 2 and "OA004" in res.stderr
    assert office.snapshot() == before and office.head() == head


def test_countersigners_must_be_able_to_countersign(office: Office) -> None:
    res = office.oa(
        "doc", "new", "--kind", "浏后勤函", "--title", "x", "--as", DRAFTER, "--countersign", CLERK
    )
    assert res.exit_code == 2 and "OA405" in res.stderr and "王芳 cannot countersign" in res.stderr


def test_unknown_state_filter_is_an_error(office: Office) -> None:
    res = office.oa("list", "--state", "nosuch")
    assert res.exit_code == 2 and "OA005" in res.stderr


def test_approval_pins_what_was_approved(office: Office) -> None:
    """S-GEN-2: a sign-off stores a hash of what it approved; an edit afterwards is flagged
    (OA414) until the document goes back and is approved again."""
    rid = "OUT-2026-0017"  # signed by 李建国, waiting for the director
    path = office.path(rid)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: 关于机关", "title: 关于全市机关"), encoding="utf-8")
    res = office.oa("validate")
    assert res.exit_code == 1 and "OA414" in res.stdout and "approve it again" in res.stdout
    res = office.oa("advance", rid, "issue", "--as", DIRECTOR)
    assert res.exit_code == 2 and "OA414" in res.stderr  # nobody signs what was not approved
    office.git("commit", "-qam", "retitle\n\nOA-Import: test")
    office.ok("advance", rid, "return", "--as", DIRECTOR, "-m", "标题已改，请重新送签")
    assert office.oa("validate").exit_code == 0  # after a send-back, edits are expected
    for action, who in [
        ("submit", "caiyong"),
        ("review", CLERK),
        ("sign", "lijianguo"),
        ("issue", DIRECTOR),
    ]:
        office.ok("advance", rid, action, "--as", who)
    assert office.ok("validate").stdout.strip().endswith("no findings")


def test_body_file_edited_after_countersign_is_flagged(office: Office) -> None:
    """The approval covers the body file too; the index notices the file even though the record
    file itself did not change."""
    assert office.oa("validate").exit_code == 0
    body = office.root / "outgoing" / "2026" / "OUT-2026-0018.files" / "正文.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n另：增加一项。\n", encoding="utf-8")
    res = office.oa("validate")
    assert res.exit_code == 1 and "OA414" in res.stdout and "会签" not in res.stdout

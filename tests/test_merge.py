"""Merging branches that changed one record (S-GEN-2: after a merge every step of both branches is
still on the record — who, when, what — and the workflow still holds).

- `merge_record` unit tests and a hypothesis property: two independent appends merge the same
  whichever branch is merged into which, and keep every entry, in time order.
- End to end in temporary repositories made by `oa init --demo`: different fields merge cleanly
  (with and without the merge driver); two 会签 on two branches merge through the driver, or
  conflict without it and are rebuilt by `oa resolve`; two branches that both number one
  document are refused (OA611).
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml.comments import CommentedMap

from oa.core import fastyaml, yamlio
from oa.core.merge import Conflict, Merged, merge_record
from tests.conftest import DEMO, Office, run_oa

BASE = (DEMO / "outgoing" / "2026" / "OUT-2026-0018.yaml").read_text(encoding="utf-8")
CST = timezone(timedelta(hours=8))
DRAFTER = "pengwei"  # 彭伟, 事务一科, 拟稿人


def edit(text: str, **fields: Any) -> str:
    data = yamlio.load_roundtrip(text)
    for key, value in fields.items():
        data[key] = value
    return yamlio.dump_roundtrip(data)


def append(text: str, *entries: dict[str, Any]) -> str:
    data = yamlio.load_roundtrip(text)
    for entry in entries:
        data["history"].append(CommentedMap(entry))
    data["state"] = data["history"][-1]["to"]
    return yamlio.dump_roundtrip(data)


def step(by: str, minute: int, action: str = "countersign", to: str = "leader_sign") -> dict:
    at = datetime(2026, 11, 25, 9, 0, tzinfo=CST) + timedelta(minutes=minute)
    return {"at": at, "by": by, "action": action, "from": "leader_sign", "to": to}


def merged(base: str, ours: str, theirs: str) -> Merged:
    result = merge_record(base, ours, theirs)
    assert isinstance(result, Merged), result
    return result


def data_of(text: str) -> dict[str, Any]:
    return fastyaml.load(text)


# -- the merge function -------------------------------------------------------------------------


def test_fields_changed_on_one_side_are_taken_from_it() -> None:
    ours = edit(BASE, title="关于商请协助做好2027年市“两会”会务保障工作的补充函")
    theirs = edit(BASE, main_to=["浏阳市人大常委会办公室"])
    result = merged(BASE, ours, theirs)
    data = data_of(result.text)
    assert data["title"].endswith("补充函") and data["main_to"] == ["浏阳市人大常委会办公室"]
    assert result.fields == ("main_to",)
    assert result.text.startswith("# yaml-language-server: $schema=")  # the modeline survives
    assert list(data) == list(data_of(BASE))  # key order too


def test_a_field_added_on_the_other_side_goes_where_that_side_put_it() -> None:
    theirs = BASE.replace("body: 正文.md\n", "urgency: 加急\nbody: 正文.md\n")
    keys = list(data_of(merged(BASE, BASE, theirs).text))
    assert keys.index("urgency") == keys.index("body") - 1
    removed = BASE.replace("  - 浏阳市政协办公室\n", "")
    assert data_of(merged(BASE, removed, BASE).text)["main_to"] == ["浏阳市人大常委会办公室"]


def test_comments_on_our_side_survive() -> None:
    ours = BASE.replace("drafter: huangli\n", "drafter: huangli  # 黄丽 drafted it\n")
    theirs = append(BASE, step("lijianguo", 30))
    text = merged(BASE, ours, theirs).text
    assert "drafter: huangli  # 黄丽 drafted it\n" in text


def test_both_histories_are_kept_in_time_order() -> None:
    ours = append(BASE, step("lijianguo", 30), step("lijianguo", 40, "sign", "director_sign"))
    theirs = append(BASE, step("tangzhiqiang", 35, "return", "draft"))
    result = merged(BASE, ours, theirs)
    history = data_of(result.text)["history"]
    assert [(h["by"], h["action"]) for h in history[4:]] == [
        ("lijianguo", "countersign"),
        ("tangzhiqiang", "return"),
        ("lijianguo", "sign"),
    ]
    assert data_of(result.text)["state"] == "director_sign"
    assert result.entries == 1


def test_the_same_step_on_both_sides_is_kept_once() -> None:
    both = append(BASE, step("lijianguo", 30))
    history = data_of(merged(BASE, both, append(both, step("x", 31))).text)["history"]
    assert [h["by"] for h in history[4:]] == ["lijianguo", "x"]
    assert merged(BASE, both, both).text == both


def test_a_field_changed_differently_on_both_sides_is_a_conflict() -> None:
    result = merge_record(
        BASE, edit(BASE, title="甲", urgency="加急"), edit(BASE, title="乙", urgency="加急")
    )
    assert isinstance(result, Conflict)
    assert result.fields == ("title",)
    assert '"甲"' in result.message and '"乙"' in result.message
    deleted = BASE.replace("body: 正文.md\n", "")
    assert isinstance(merge_record(BASE, deleted, edit(BASE, body="正文v2.md")), Conflict)


def test_rewritten_history_is_a_conflict() -> None:
    data = yamlio.load_roundtrip(BASE)
    data["history"][2]["opinion"] = "改过的意见"
    result = merge_record(BASE, yamlio.dump_roundtrip(data), append(BASE, step("lijianguo", 30)))
    assert isinstance(result, Conflict)
    assert result.fields == ("history",) and "append-only" in result.message


def test_unreadable_text_is_a_conflict() -> None:
    markers = BASE + "<<<<<<< ours\n  - at: x\n=======\n>>>>>>> theirs\n"
    result = merge_record(BASE, markers, BASE)
    assert isinstance(result, Conflict) and "ours is not valid YAML" in result.message
    assert isinstance(merge_record(BASE, "- a list\n", BASE), Conflict)


def test_added_on_both_sides_merges_against_an_empty_base() -> None:
    assert merged("", BASE, BASE).text == BASE
    assert isinstance(merge_record("", BASE, edit(BASE, title="别的")), Conflict)


# -- the property: two independent appends -------------------------------------------------------

_side = st.lists(st.integers(min_value=0, max_value=30), max_size=6).map(sorted)


@settings(deadline=None, max_examples=60)
@given(ours_minutes=_side, theirs_minutes=_side)
def test_merging_two_appends_is_order_independent_and_keeps_every_entry(
    ours_minutes: list[int], theirs_minutes: list[int]
) -> None:
    """Whichever branch is merged into which, the result is the same, holds every entry once,
    each branch's entries in their own order, all in time order (ties included)."""
    mine = [step("lijianguo", m) | {"opinion": f"甲{i}"} for i, m in enumerate(ours_minutes)]
    other = [step("zhouhuimin", m) | {"opinion": f"乙{i}"} for i, m in enumerate(theirs_minutes)]
    ours, theirs = append(BASE, *mine), append(BASE, *other)
    one, two = merged(BASE, ours, theirs), merged(BASE, theirs, ours)
    assert one.text == two.text
    data = data_of(one.text)
    new = data["history"][len(data_of(BASE)["history"]) :]
    assert len(new) == len(mine) + len(other)
    assert [h["opinion"] for h in new if h["by"] == "lijianguo"] == [m["opinion"] for m in mine]
    assert [h["opinion"] for h in new if h["by"] == "zhouhuimin"] == [o["opinion"] for o in other]
    assert [h["at"] for h in new] == sorted(h["at"] for h in new)
    assert data["state"] == data["history"][-1]["to"]


# -- end to end ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _oa_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """git runs the merge driver as `oa …`: the oa under test must be the one it finds."""
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")


def at(minute: int) -> dict[str, str]:
    return {"OA_NOW": f"2026-11-30T10:{minute:02d}:00+08:00"}


def new_doc(office: Office, *extra: str) -> str:
    args = ["--kind", "浏后勤函", "--title", "关于测试事项的函", "--to", "浏阳市教育局"]
    res = office.ok("doc", "new", *args, "--as", DRAFTER, *extra)
    return res.stdout.split(":")[0].strip()


def git_merge(office: Office, branch: str = "side") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "merge", "--no-edit", branch], cwd=office.root, capture_output=True, text=True
    )


def without_driver(office: Office) -> None:
    office.git("config", "--unset", "merge.oa-records.driver")


def clean(office: Office) -> None:
    for command in ("validate", "audit"):
        res = office.oa(command)
        assert res.exit_code == 0, res.output
        assert "no findings" in res.stdout


def countersign_on_two_branches(office: Office) -> str:
    """A document waiting for two 会签: 周慧敏's on branch `side`, 汤志强's on the main branch."""
    rid = new_doc(office, "--countersign", "tangzhiqiang", "--countersign", "zhouhuimin")
    office.ok("advance", rid, "submit", "--as", DRAFTER)
    office.ok("advance", rid, "review")
    office.git("checkout", "-q", "-b", "side")
    office.ok("advance", rid, "countersign", "--as", "zhouhuimin", "-m", "同意。", env=at(5))
    office.git("checkout", "-q", "-")
    office.ok("advance", rid, "countersign", "--as", "tangzhiqiang", "-m", "同意", env=at(0))
    return rid


def assert_both_countersigns(office: Office, rid: str) -> None:
    data = data_of(office.read(rid))
    steps = [(h["action"], h["by"]) for h in data["history"]]
    assert steps[-2:] == [("countersign", "tangzhiqiang"), ("countersign", "zhouhuimin")]
    assert data["state"] == "leader_sign"


@pytest.mark.parametrize("driver", [True, False], ids=["driver", "no-driver"])
def test_different_fields_merge_cleanly(office: Office, driver: bool) -> None:
    """A title edited on one branch and a step taken on the other: the record's layout (title at
    the top, state and history at the end) keeps the changes apart, so git merges them."""
    if not driver:
        without_driver(office)
    rid = new_doc(office)
    office.git("checkout", "-q", "-b", "side")
    office.path(rid).write_text(
        office.read(rid).replace("title: 关于测试事项的函", "title: 关于测试事项的补充函"),
        encoding="utf-8",
    )
    office.git("commit", "-qam", "title")
    office.git("checkout", "-q", "-")
    office.ok("advance", rid, "submit", "--as", DRAFTER)
    res = git_merge(office)
    assert res.returncode == 0, res.stdout + res.stderr
    assert ("oa: merged" in res.stdout) is driver  # the driver did the merging, or git did
    data = data_of(office.read(rid))
    assert data["title"] == "关于测试事项的补充函" and data["state"] == "review"
    assert office.oa("validate").exit_code == 0


def test_countersigns_on_two_branches_merge_through_the_driver(office: Office) -> None:
    rid = countersign_on_two_branches(office)
    res = git_merge(office)
    assert res.returncode == 0, res.stdout + res.stderr
    assert f"oa: merged outgoing/2026/{rid}.yaml" in res.stdout
    assert_both_countersigns(office, rid)
    clean(office)
    # the workflow sees both: sign-off no longer waits for a 会签
    office.ok("advance", rid, "sign", "--as", "lijianguo", "-m", "同意")


def test_countersigns_without_the_driver_conflict_and_oa_resolve_rebuilds_them(
    office: Office,
) -> None:
    without_driver(office)
    rid = countersign_on_two_branches(office)
    res = git_merge(office)
    assert res.returncode == 1
    assert f"CONFLICT (content): Merge conflict in outgoing/2026/{rid}.yaml" in res.stdout
    assert "<<<<<<<" in office.read(rid)
    assert "OA101" in office.oa("validate").output  # the markers are not YAML
    res = office.ok("resolve", rid)
    assert "from theirs" in res.stdout and "git commit" in res.stdout
    assert office.git("ls-files", "-u") == ""  # resolved and staged …
    assert office.git("diff", "--cached", "--name-only").strip() == f"outgoing/2026/{rid}.yaml"
    assert_both_countersigns(office, rid)
    office.git("commit", "-q", "--no-edit")  # … and the merge is the user's to commit
    clean(office)
    office.ok("advance", rid, "sign", "--as", "lijianguo", "-m", "同意")
    res = office.oa("resolve", rid)
    assert res.exit_code == 2 and "OA612" in res.stderr


def test_same_field_changed_on_both_branches_is_a_conflict(office: Office) -> None:
    rid = new_doc(office)
    for checkout, title in ((["-b", "side"], "关于甲的函"), (["-"], "关于乙的函")):
        office.git("checkout", "-q", *checkout)
        office.path(rid).write_text(
            office.read(rid).replace("关于测试事项的函", title), encoding="utf-8"
        )
        office.git("commit", "-qam", title)
    res = git_merge(office)
    assert res.returncode == 1
    assert "OA610 merge conflict: title changed on both sides" in res.stdout + res.stderr
    assert "<<<<<<< ours" in office.read(rid)  # git's markers, left for a person
    res = office.oa("resolve", rid)
    assert res.exit_code == 2 and "OA610" in res.stderr and "title" in res.stderr


@pytest.mark.parametrize("driver", [True, False], ids=["driver", "no-driver"])
def test_two_branches_numbering_one_document_are_refused(office: Office, driver: bool) -> None:
    """Both branches took 编号 on OUT-2026-0016: one number twice in its history breaks the
    workflow (S-DOC-OUT-2), so neither the driver nor `oa resolve` writes a merged record."""
    if not driver:
        without_driver(office)
    rid = "OUT-2026-0016"
    office.git("checkout", "-q", "-b", "side")
    office.ok("advance", rid, "number", env=at(5))
    office.git("checkout", "-q", "-")
    office.ok("advance", rid, "number", env=at(0))
    res = git_merge(office)
    assert res.returncode == 1
    if driver:
        assert "OA611 the merged history breaks the workflow" in res.stdout + res.stderr
    before = office.snapshot()
    res = office.oa("resolve", rid)
    assert res.exit_code == 2
    assert "OA406" in res.stderr and "'number' is not allowed in state 'proof'" in res.stderr
    assert "OA611 the merged history breaks the workflow" in res.stderr
    assert office.snapshot() == before  # nothing written …
    assert office.git("ls-files", "-u").strip()  # … nor staged: the conflict is still there


def test_merge_driver_exit_status_and_output(tmp_path: Path) -> None:
    """As git calls it: the result in OURS and exit 0, or git's markers in OURS and exit 1."""
    base, ours, theirs = (tmp_path / n for n in ("base", "ours", "theirs"))
    base.write_text(BASE, encoding="utf-8")
    theirs.write_text(append(BASE, step("lijianguo", 30)), encoding="utf-8")
    ours.write_text(edit(BASE, title="甲"), encoding="utf-8")
    args = ("merge-driver", str(base), str(ours), str(theirs), "x/OUT-2026-0018.yaml")
    res = run_oa(*args, cwd=tmp_path)  # no oa.yaml here: merged, not re-checked
    assert res.returncode == 0, res.stderr
    data = data_of(ours.read_text(encoding="utf-8"))
    assert data["title"] == "甲" and data["history"][-1]["by"] == "lijianguo"
    ours.write_text(edit(BASE, title="乙"), encoding="utf-8")
    theirs.write_text(edit(BASE, title="丙"), encoding="utf-8")
    res = run_oa(*args, cwd=tmp_path)
    assert res.returncode == 1
    assert "x/OUT-2026-0018.yaml: OA610 merge conflict: title changed on both sides" in res.stderr
    text = ours.read_text(encoding="utf-8")
    assert "<<<<<<< ours" in text and "title: 乙" in text and "title: 丙" in text

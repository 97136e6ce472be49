"""S-GEN-1: the process is data. Editing workflows/outgoing.yaml and oa.yaml changes what the CLI
does, with no code change: a step added, a step removed, a role renamed."""

from __future__ import annotations

import json

from oa.core import yamlio
from tests.conftest import Office


def _edit(path, change) -> None:  # type: ignore[no-untyped-def]
    data = yamlio.load_roundtrip(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yamlio.dump_roundtrip(data), encoding="utf-8")


def _reshape(office: Office) -> None:
    def config(data):  # type: ignore[no-untyped-def]
        data["roles"]["法规审核"] = "法规审核人员"
        data["roles"]["中心主任"] = data["roles"].pop("主任")
        data["people"]["chenguohua"]["roles"] = ["中心主任"]
        data["people"]["liuyan"]["roles"].append("法规审核")

    def workflow(data):  # type: ignore[no-untyped-def]
        states = data["states"]
        states.insert(2, "legal_review", {"label": "法规审核", "roles": ["法规审核"]})
        states["director_sign"]["roles"] = ["中心主任"]
        del states["proof_check"]
        actions = data["actions"]
        actions["review"]["to"] = "legal_review"
        actions.insert(
            2, "legal_ok", {"label": "法规审核通过", "from": ["legal_review"], "to": "leader_sign"}
        )
        actions["return"]["from"].append("legal_review")
        actions["print_proof"]["to"] = "printing"
        del actions["check_proof"]
        del actions["reject_proof"]

    _edit(office.root / "oa.yaml", config)
    _edit(office.root / "workflows" / "outgoing.yaml", workflow)

    def rename_in_incoming(data):  # type: ignore[no-untyped-def]
        for state in data["states"].values():
            if "roles" in state:
                state["roles"] = ["中心主任" if r == "主任" else r for r in state["roles"]]
        for action in data["actions"].values():
            if action.get("roles"):
                action["roles"] = ["中心主任" if r == "主任" else r for r in action["roles"]]

    for wf in sorted((office.root / "workflows").glob("*.yaml")):
        if wf.name != "outgoing.yaml":
            _edit(wf, rename_in_incoming)


def test_edited_workflow_is_followed(empty_office: Office) -> None:
    """S-GEN-1, S-DOC-OUT-1: add 法规审核, drop 复核样稿, rename 主任 to 中心主任."""
    o = empty_office
    _reshape(o)
    out = o.ok("workflow").stdout
    assert "法规审核" in out and "复核样稿" not in out and "中心主任" in out
    rid = o.ok(
        "doc", "new", "--kind", "浏后勤函", "--title", "关于测试的函", "--as", "pengwei"
    ).stdout.split(":")[0]
    o.ok("advance", rid, "submit", "--as", "pengwei")
    o.ok("advance", rid, "review")
    res = o.oa("advance", rid, "sign", "--as", "tangzhiqiang")
    assert res.exit_code == 2 and "OA602" in res.stderr and "legal_ok" in res.stderr
    res = o.oa("advance", rid, "legal_ok")  # 王芳 is 办公室 but not 法规审核
    assert "OA603" in res.stderr and "法规审核" in res.stderr
    o.ok("advance", rid, "legal_ok", "--as", "liuyan")
    o.ok("advance", rid, "sign", "--as", "tangzhiqiang")
    o.ok("advance", rid, "issue", "--as", "chenguohua")
    o.ok("advance", rid, "number")
    o.ok("advance", rid, "print_proof", "--as", "pengwei")
    state = json.loads(o.ok("show", rid, "--json").stdout)["record"]["state"]
    assert state == "printing"  # the proof check is gone
    assert o.ok("validate").stdout.strip().endswith("no findings")


def test_renamed_role_no_longer_grants_the_step(empty_office: Office) -> None:
    """The role is the workflow's, not the code's: after the rename 主任 means nothing."""
    o = empty_office
    _reshape(o)
    _edit(o.root / "oa.yaml", lambda d: d["roles"].__setitem__("主任", "旧角色"))
    _edit(o.root / "oa.yaml", lambda d: d["people"]["chenguohua"].__setitem__("roles", ["主任"]))
    rid = o.ok(
        "doc", "new", "--kind", "浏后勤函", "--title", "关于测试的函", "--as", "pengwei"
    ).stdout.split(":")[0]
    for action, who in [
        ("submit", "pengwei"),
        ("review", "wangfang"),
        ("legal_ok", "liuyan"),
        ("sign", "tangzhiqiang"),
    ]:
        o.ok("advance", rid, action, "--as", who)
    res = o.oa("advance", rid, "issue", "--as", "chenguohua")
    assert res.exit_code == 2 and "OA603" in res.stderr and "中心主任" in res.stderr


def test_broken_workflow_is_reported_with_its_line(empty_office: Office) -> None:
    o = empty_office
    path = o.root / "workflows" / "outgoing.yaml"
    text = path.read_text(encoding="utf-8").replace("    to: director_sign\n", "    to: signed\n")
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    to: signed") + 1
    res = o.oa("validate")
    assert res.exit_code == 1
    assert (
        f"workflows/outgoing.yaml:{line}: OA211 action 'sign' goes to unknown state 'signed'"
        in res.stdout
    )
    res = o.oa("doc", "new", "--kind", "浏后勤函", "--title", "x", "--as", "pengwei")
    assert res.exit_code == 2 and "OA211" in res.stderr

"""S-GEN-2: git history proves who did what; `oa audit` flags what was rewritten or forged."""

from __future__ import annotations

import json
import os
import subprocess

from oa.core import yamlio
from tests.conftest import Office

RID = "OUT-2026-0017"  # waiting for 主任签发 in the demo office


def _commit_as(office: Office, email: str, message: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_EMAIL": email}
    subprocess.run(["git", "commit", "-qam", message], cwd=office.root, env=env, check=True)


def _edit(office: Office, change) -> None:  # type: ignore[no-untyped-def]
    path = office.path(RID)
    data = yamlio.load_roundtrip(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yamlio.dump_roundtrip(data), encoding="utf-8")


def _codes(office: Office, *args: str) -> list[str]:
    res = office.oa("audit", "--json", *args)
    return [f["code"] for f in json.loads(res.stdout)["findings"]]


def test_demo_and_oa_commits_audit_clean(office: Office) -> None:
    office.ok("advance", RID, "issue", "--as", "chenguohua", "-m", "同意")
    res = office.ok("audit")
    assert res.stdout.strip().endswith("no findings")


def test_rewritten_history_is_flagged(office: Office) -> None:
    """OA501: a history entry changed after it was committed."""
    _edit(office, lambda d: d["history"][2].__setitem__("opinion", "不同意"))
    _commit_as(office, "wangfang@lyjghq.gov.cn", "fix typo")
    res = office.oa("audit")
    assert res.exit_code == 1
    assert f"outgoing/2026/{RID}.yaml: OA501" in res.stdout and "history[2]" in res.stdout


def test_removed_entry_is_flagged(office: Office) -> None:
    _edit(office, lambda d: d["history"].pop())
    _commit_as(office, "wangfang@lyjghq.gov.cn", "tidy")
    assert "OA501" in _codes(office)


def test_state_changed_without_history_is_flagged(office: Office) -> None:
    """OA502: state moved with no history entry."""
    _edit(office, lambda d: d.__setitem__("state", "numbering"))
    _commit_as(office, "wangfang@lyjghq.gov.cn", "skip ahead")
    assert "OA502" in _codes(office)


def _forge_issue(office: Office, entered_by: str | None = None) -> None:
    def add(d):  # type: ignore[no-untyped-def]
        entry = {
            "at": d["history"][-1]["at"],
            "by": "chenguohua",
            "action": "issue",
            "from": "director_sign",
            "to": "numbering",
            "opinion": "同意印发",
        }
        if entered_by:
            entry["entered_by"] = entered_by
        d["history"].append(entry)
        d["state"] = "numbering"

    _edit(office, add)


def test_entry_committed_by_someone_else_is_flagged(office: Office) -> None:
    """OA503: 主任's 签发 written and committed by a clerk with no on-behalf trailer."""
    _forge_issue(office)
    _commit_as(office, "wangfang@lyjghq.gov.cn", "sign for the director")
    res = office.oa("audit")
    assert res.exit_code == 1 and "OA503" in res.stdout
    assert "names chenguohua but was committed by wangfang" in res.stdout
    assert office.ok("validate")  # the file itself is well-formed: only history proves the forgery


def test_on_behalf_by_authorised_clerk_passes(office: Office) -> None:
    """An oral instruction entered by the 办公室 clerk, declared in the commit, is accepted."""
    _forge_issue(office, entered_by="wangfang")
    _commit_as(
        office,
        "wangfang@lyjghq.gov.cn",
        f"{RID}: issue (陈国华)\n\nOA-Actor: chenguohua\nOA-On-Behalf: wangfang",
    )
    assert _codes(office) == []


def test_on_behalf_by_unauthorised_person_is_flagged(office: Office) -> None:
    _forge_issue(office, entered_by="pengwei")
    _commit_as(
        office,
        "pengwei@lyjghq.gov.cn",
        f"{RID}: issue (陈国华)\n\nOA-Actor: chenguohua\nOA-On-Behalf: pengwei",
    )
    assert _codes(office) == ["OA503"]


def test_deleted_record_is_flagged(office: Office) -> None:
    """OA504: records are never deleted."""
    subprocess.run(["git", "rm", "-q", str(office.path(RID))], cwd=office.root, check=True)
    _commit_as(office, "wangfang@lyjghq.gov.cn", "remove")
    assert _codes(office) == ["OA504"]


def test_range_limits_the_audit(office: Office) -> None:
    _edit(office, lambda d: d["history"][1].__setitem__("opinion", "改"))
    _commit_as(office, "wangfang@lyjghq.gov.cn", "rewrite")
    office.ok("advance", "OUT-2026-0016", "number")
    assert _codes(office, "--range", "HEAD~1..HEAD") == []
    assert _codes(office, "--range", "HEAD~2..HEAD") == ["OA501"]


def test_role_is_judged_as_it_stood_then(office: Office) -> None:
    """OA506: roles are versioned with oa.yaml in git. A step by someone without the role when it
    was committed stays flagged even after the role is granted later."""

    def add_sign(d):  # type: ignore[no-untyped-def]
        d["history"].append(
            {
                "at": d["history"][-1]["at"],
                "by": "pengwei",
                "action": "issue",
                "from": "director_sign",
                "to": "numbering",
            }
        )
        d["state"] = "numbering"

    _edit(office, add_sign)
    _commit_as(office, "pengwei@lyjghq.gov.cn", "sign it myself")
    assert "OA506" in _codes(office)
    config = office.root / "oa.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            "roles: [拟稿人], title: 科长}\n  huangli",
            "roles: [拟稿人, 主任], title: 科长}\n  huangli",
        ),
        encoding="utf-8",
    )
    _commit_as(office, "wangfang@lyjghq.gov.cn", "give 彭伟 the role afterwards")
    assert office.oa("validate").exit_code == 0  # today's roles allow it …
    assert "OA506" in _codes(office)  # … but the commit that recorded it did not


def test_merge_that_drops_a_parents_entry_is_flagged(office: Office) -> None:
    """A merge may interleave both sides' histories, but never lose one side's entry."""
    office.git("checkout", "-q", "-b", "side")
    office.ok("advance", RID, "issue", "--as", "chenguohua", "-m", "同意")
    office.git("checkout", "-q", "-")
    office.ok("advance", "OUT-2026-0016", "number")
    subprocess.run(
        ["git", "merge", "-q", "-s", "ours", "side", "-m", "merge side"],
        cwd=office.root,
        check=True,
        capture_output=True,
    )
    findings = json.loads(office.oa("audit", "--json").stdout)["findings"]
    assert any(f["code"] == "OA501" and "merge" in f["message"] for f in findings)


def test_clean_merge_of_two_branches_passes(office: Office) -> None:
    office.git("checkout", "-q", "-b", "side")
    office.ok("advance", RID, "issue", "--as", "chenguohua", "-m", "同意")
    office.git("checkout", "-q", "-")
    office.ok("advance", "OUT-2026-0016", "number")
    subprocess.run(
        ["git", "merge", "-q", "--no-edit", "side"],
        cwd=office.root,
        check=True,
        capture_output=True,
    )
    assert _codes(office) == []

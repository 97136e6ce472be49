"""Signed approvals (S-GEN-2): where the office turns `signed` on for an action, the commit that
records it must be signed (git, SSH) with a key oa.yaml lists for the approver — real keys here."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from oa.core import yamlio
from tests.conftest import Office

DIRECTOR_EMAIL = "chenguohua@lyjghq.gov.cn"


def _key(tmp: Path, name: str) -> tuple[Path, str]:
    key = tmp / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True
    )
    return key, (tmp / f"{name}.pub").read_text(encoding="utf-8").strip()


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = yamlio.load_roundtrip(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yamlio.dump_roundtrip(data), encoding="utf-8")


@pytest.fixture
def signed_office(office: Office, tmp_path: Path) -> tuple[Office, Path, Path]:
    """The demo office with 主任签发 marked `signed` and a key listed for 陈国华."""
    good, good_pub = _key(tmp_path, "director")
    other, _ = _key(tmp_path, "someone-else")
    _edit(
        office.root / "workflows" / "outgoing.yaml",
        lambda d: d["actions"]["issue"].__setitem__("signed", True),
    )
    _edit(
        office.root / "oa.yaml",
        lambda d: d["people"]["chenguohua"].__setitem__("signing_keys", [good_pub]),
    )
    office.git("commit", "-qam", "sign 主任签发")
    office.git("config", "gpg.format", "ssh")
    return office, good, other


def _as_director(key: Path) -> dict[str, str]:
    return {
        "GIT_AUTHOR_EMAIL": DIRECTOR_EMAIL,
        "GIT_COMMITTER_EMAIL": DIRECTOR_EMAIL,
        "GIT_AUTHOR_NAME": "陈国华",
        "GIT_COMMITTER_NAME": "陈国华",
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "user.signingkey",
        "GIT_CONFIG_VALUE_0": str(key),
    }


def _codes(office: Office) -> list[str]:
    return [f["code"] for f in json.loads(office.oa("audit", "--json").stdout)["findings"]]


def test_signed_approval_by_the_director_passes(signed_office: tuple[Office, Path, Path]) -> None:
    office, good, _ = signed_office
    office.ok("advance", "OUT-2026-0017", "issue", "-m", "同意", env=_as_director(good))
    assert "gpgsig -----BEGIN SSH SIGNATURE-----" in office.git("cat-file", "commit", "HEAD")
    assert _codes(office) == []


def test_signed_approval_cannot_be_entered_by_a_clerk(
    signed_office: tuple[Office, Path, Path],
) -> None:
    office, _, _ = signed_office
    before = office.snapshot()
    res = office.oa("advance", "OUT-2026-0017", "issue", "--as", "chenguohua")
    assert res.exit_code == 2 and "OA603" in res.stderr and "in person" in res.stderr
    assert office.snapshot() == before


def test_unsigned_or_wrongly_signed_approval_is_flagged(
    signed_office: tuple[Office, Path, Path],
) -> None:
    office, _, other = signed_office
    office.ok("advance", "OUT-2026-0017", "issue", "-m", "同意", env=_as_director(other))
    assert _codes(office) == ["OA507"]  # signed, but not with a key listed for 陈国华


def test_hand_commit_without_signature_is_flagged(
    signed_office: tuple[Office, Path, Path],
) -> None:
    office, _, _ = signed_office
    path = office.path("OUT-2026-0017")

    def add(d):  # type: ignore[no-untyped-def]
        d["history"].append(
            {
                "at": d["history"][-1]["at"],
                "by": "chenguohua",
                "action": "issue",
                "from": "director_sign",
                "to": "numbering",
                "opinion": "同意",
            }
        )
        d["state"] = "numbering"

    _edit(path, add)
    env = {**os.environ, "GIT_AUTHOR_EMAIL": DIRECTOR_EMAIL, "GIT_COMMITTER_EMAIL": DIRECTOR_EMAIL}
    subprocess.run(["git", "commit", "-qam", "sign"], cwd=office.root, env=env, check=True)
    assert "OA507" in _codes(office)

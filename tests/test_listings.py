"""What oa keeps of the file system's and git's listings between commands (issue #7): the year
folders' listings, and git's listing carried past oa's own commits. Neither may ever hide a
change: a file added, removed or edited is seen by the next command."""

from __future__ import annotations

import marshal
import os
import shutil
import time
from pathlib import Path

import pytest

from oa.core import folders, gitops
from oa.core.store import Store
from tests.conftest import Office

FOLDER = "outgoing/2026"
LISTING = ".oa/git-listing.marshal"


def kept_folders(root: Path) -> dict[str, object]:
    saved = marshal.loads((root / folders.FOLDERS_FILE).read_bytes())
    kept: dict[str, object] = saved["folders"]
    return kept


def names(root: Path) -> list[str]:
    return Store(root).record_names()


@pytest.fixture
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every folder counts as still (the demo's were all written a moment ago)."""
    monkeypatch.setattr(folders, "SETTLED_NS", 0)


def test_a_folder_changed_a_moment_ago_is_listed_again(office: Office) -> None:
    names(office.root)
    kept = office.root / folders.FOLDERS_FILE
    assert not kept.exists() or FOLDER not in kept_folders(office.root)


def test_a_kept_folder_listing_follows_every_change(office: Office, settled_at_once: None) -> None:
    root = office.root
    first = names(root)
    assert FOLDER in kept_folders(root)
    assert names(root) == first

    source = office.path("OUT-2026-0019")
    added = source.with_name("OUT-2026-0900.yaml")
    shutil.copyfile(source, added)
    assert f"{FOLDER}/OUT-2026-0900.yaml" in names(root)

    added.unlink()
    assert names(root) == first

    # a change within one tick of the clock keeps the folder's mtime: its ctime still moves
    st = os.stat(root / FOLDER)
    shutil.copyfile(source, added)
    os.utime(root / FOLDER, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.stat(root / FOLDER).st_mtime_ns == st.st_mtime_ns
    assert f"{FOLDER}/OUT-2026-0900.yaml" in names(root)


def test_strays_come_from_the_same_listings(office: Office, settled_at_once: None) -> None:
    root = office.root
    assert office.oa("validate").exit_code == 0
    (root / FOLDER / "notes.txt").write_text("x", encoding="utf-8")
    res = office.oa("validate")
    assert res.exit_code == 1 and "OA212" in res.output and "notes.txt" in res.output
    (root / FOLDER / "notes.txt").unlink()
    assert office.oa("validate").exit_code == 0


def test_folders_gone_are_forgotten(office: Office, settled_at_once: None) -> None:
    root = office.root
    (root / "outgoing/2019").mkdir()
    names(root)
    assert "outgoing/2019" in kept_folders(root)
    (root / "outgoing/2019").rmdir()
    names(root)
    assert "outgoing/2019" not in kept_folders(root)


def test_a_damaged_folder_listing_is_made_again(office: Office, settled_at_once: None) -> None:
    first = names(office.root)
    (office.root / folders.FOLDERS_FILE).write_bytes(b"\x00damaged")
    assert names(office.root) == first


def listing_stamp(office: Office) -> object:
    return marshal.loads((office.root / LISTING).read_bytes())["stamp"]


def index_stamp(office: Office) -> list[object]:
    st = (office.root / ".git" / "index").stat()
    return [str(office.root), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def test_git_listing_is_carried_past_oas_own_commit(office: Office) -> None:
    """After `oa advance`, the listing kept is for git's index as the commit left it, without the
    committed file; every blob id in it is git's; and an edit made next is still seen."""
    rid = "OUT-2026-0016"  # waiting for 编号
    time.sleep(1.1)  # entries git recorded in the second it wrote its index are not listed
    office.git("update-index", "--refresh", "--force-write-index")
    office.ok("advance", rid, "number")
    assert listing_stamp(office) == index_stamp(office)
    kept = marshal.loads((office.root / LISTING).read_bytes())["blobs"]
    committed = office.path(rid).relative_to(office.root).as_posix()
    assert committed not in kept
    listed = {}
    for line in office.git("ls-files", "-s", "-z").split("\0")[:-1]:
        meta, path = line.split("\t")
        listed[path] = meta.split()[1]
    assert kept and all(listed[path] == blob for path, blob in kept.items())

    other = office.path("OUT-2026-0019")
    other.write_text(other.read_text(encoding="utf-8").replace("title:", "title: 改", 1), "utf-8")
    clean = gitops.clean_blobs(office.root, office.root / LISTING)
    assert other.relative_to(office.root).as_posix() not in clean
    res = office.oa("validate")
    assert res.exit_code == 0, res.output  # still a valid record; the change was read
    assert "改" in office.ok("show", "OUT-2026-0019").stdout


def test_git_listing_is_not_carried_when_git_index_changed_meanwhile(office: Office) -> None:
    """Another git writing the index between oa's listing and its commit: the listing is then not
    carried over (the next command lists git's index again)."""
    root = office.root
    clean = gitops.clean_listing(root, root / LISTING)
    assert clean.stamp is not None
    note = root / "note.txt"
    note.write_text("x", encoding="utf-8")
    office.git("add", "note.txt")  # the index changes after the listing was taken
    target = office.path("OUT-2026-0019")
    target.write_text(target.read_text(encoding="utf-8") + "# note\n", encoding="utf-8")
    rel = target.relative_to(root).as_posix()
    before = (root / LISTING).read_bytes()
    gitops.commit(root, [rel], "OUT-2026-0019: note", [], listed=(clean, root / LISTING))
    assert (root / LISTING).read_bytes() == before
    assert "note.txt" in office.git("diff", "--cached", "--name-only")  # other staged work kept

"""The `.oa/` index is a cache that never serves stale data: edits of any kind, branch switches,
stashes, rebases, a crashed writer, changed dependencies, configuration and code."""

from __future__ import annotations

import json
import marshal
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

import oa
from oa.core import gitops
from oa.core import index as index_module
from tests.conftest import Office

RID = "OUT-2026-0019"  # waiting for sign-off in the demo office
INDEX = ".oa/index.marshal"


def codes(office: Office) -> list[str]:
    return [f["code"] for f in json.loads(office.oa("validate", "--json").stdout)["findings"]]


def test_index_is_built_and_reused(office: Office) -> None:
    assert codes(office) == []
    assert (office.root / INDEX).is_file()
    stamp = (office.root / INDEX).stat().st_mtime_ns
    assert codes(office) == []
    assert (office.root / INDEX).stat().st_mtime_ns == stamp  # nothing changed, nothing written


def test_edit_is_seen_even_with_same_size_and_mtime(office: Office) -> None:
    codes(office)
    path = office.path(RID)
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    assert "state: leader_sign" in text
    path.write_text(text.replace("state: leader_sign", "state: leader_sigx"), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    assert "OA404" in codes(office)


def test_branch_switch_stash_and_rebase(office: Office) -> None:
    codes(office)
    office.git("checkout", "-q", "-b", "broken")
    path = office.path(RID)
    path.write_text(
        path.read_text(encoding="utf-8").replace("doc_kind: 浏后勤发", "doc_kind: 浏后勤令"),
        encoding="utf-8",
    )
    office.git("commit", "-qam", "hand edit\n\nOA-Import: test")
    assert "OA303" in codes(office)
    office.git("checkout", "-q", "-")
    assert codes(office) == []
    office.git("checkout", "-q", "broken")
    assert "OA303" in codes(office)
    office.git("checkout", "-q", "-")
    path.write_text(path.read_text(encoding="utf-8") + "stray: 1\n", encoding="utf-8")
    assert "OA201" in codes(office)
    office.git("stash", "-q")
    assert codes(office) == []
    office.git("stash", "pop", "-q")
    assert "OA201" in codes(office)
    office.git("checkout", "-q", "--", ".")
    base = office.head()
    office.ok("advance", "OUT-2026-0016", "number")
    office.git("checkout", "-q", "broken")
    subprocess.run(["git", "rebase", "-q", base], cwd=office.root, check=True, capture_output=True)
    assert "OA303" in codes(office)


@pytest.mark.parametrize("damage", [b"", b"\x80\x04garbage", b"not a pickle at all"])
def test_damaged_index_is_rebuilt(office: Office, damage: bytes) -> None:
    """A writer killed mid-write leaves the old index (writes are atomic) or, at worst, a damaged
    file: either way the next command works and rebuilds it."""
    codes(office)
    (office.root / INDEX).write_bytes(damage)
    (office.root / ".oa" / ".index.marshal.999.tmp").write_bytes(b"half")
    assert codes(office) == []
    path = office.path(RID)
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: 关于", "title: "), encoding="utf-8"
    )
    assert codes(office) == []  # a valid edit
    path.write_text("id: [", encoding="utf-8")
    assert codes(office) == ["OA101"]


@pytest.mark.parametrize("damage", ["remove", "garble"])
def test_summaries_lost_or_damaged_are_made_again(office: Office, damage: str) -> None:
    """The summaries live in a file of their own: a writer killed between it and the index leaves
    the index naming a file that is not there (the index is rebuilt), and a damaged one is made
    again from the record files; listings stay whole either way."""
    listed = office.ok("list", "--json").stdout
    (summaries,) = (office.root / ".oa").glob("summaries-*.marshal")
    if damage == "remove":
        summaries.unlink()
    else:
        summaries.write_bytes(b"\x00garbage")
    assert office.ok("list", "--json").stdout == listed
    assert codes(office) == []
    office.ok("list")  # (the listing reads the rows file: validation found the damage)
    token = marshal.loads((office.root / INDEX).read_bytes())["summaries"]
    assert (office.root / ".oa" / f"summaries-{token}.marshal").read_bytes() != b"\x00garbage"
    assert office.ok("list", "--json").stdout == listed


def test_a_to_do_list_does_not_read_every_summary(office: Office) -> None:
    """`oa todo` and `oa doc overdue` need open records only: they leave the summaries file
    unread, and give the same rows as a listing does."""
    office.ok("list")
    (summaries,) = (office.root / ".oa").glob("summaries-*.marshal")
    summaries.write_bytes(b"\x00unread")  # reading it would fall back to the record files
    todo = json.loads(office.ok("todo", "--all", "--json").stdout)
    office.ok("doc", "overdue", "--json")
    assert summaries.read_bytes() == b"\x00unread"  # not read, so not found damaged and saved
    listed = {r["id"]: r for r in json.loads(office.ok("list", "--json").stdout)}
    assert todo
    for item in todo:
        assert {k: item[k] for k in listed[item["id"]]} == listed[item["id"]]


def test_dependencies_are_rechecked(office: Office) -> None:
    """A record's findings depend on other files (its body, a linked record): they are re-checked
    even when the record file itself did not change."""
    codes(office)
    body = office.root / "outgoing" / "2026" / "OUT-2026-0018.files" / "正文.md"
    saved = body.read_bytes()
    body.unlink()
    assert codes(office) == ["OA304", "OA414"]  # missing, and no longer what was countersigned
    body.write_bytes(saved)
    assert codes(office) == []
    target = office.path("IN-2026-0005")
    moved = target.read_bytes()
    target.unlink()
    assert "OA305" in codes(office)  # OUT-2026-0015 replies to it
    target.write_bytes(moved)
    assert codes(office) == []


def test_stray_file_and_configuration_changes_are_seen(office: Office) -> None:
    codes(office)
    stray = office.root / "outgoing" / "2026" / "notes.txt"
    stray.write_text("x", encoding="utf-8")
    assert codes(office) == ["OA212"]
    stray.unlink()
    assert codes(office) == []
    config = office.root / "oa.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  caiyong:", "  caiyong_left:"), encoding="utf-8")
    assert "OA301" in codes(office)
    config.write_text(text, encoding="utf-8")
    assert codes(office) == []


def test_code_version_change_rebuilds(office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    codes(office)
    before = (office.root / INDEX).read_bytes()
    monkeypatch.setattr(oa, "__version__", "999.0")
    index_module.code_version.cache_clear()
    try:
        assert codes(office) == []
        assert (office.root / INDEX).read_bytes() != before
    finally:
        monkeypatch.undo()
        index_module.code_version.cache_clear()


def test_read_only_index_folder_still_works(office: Office) -> None:
    codes(office)
    (office.root / INDEX).unlink()
    os.chmod(office.root / ".oa", 0o500)
    try:
        if os.access(office.root / ".oa", os.W_OK):
            pytest.skip("running as a user who can write anyway (root)")
        assert codes(office) == []
    finally:
        os.chmod(office.root / ".oa", 0o700)


def test_parallel_build_gives_the_same_index(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold index on a large office is built on every core; the result is the same."""
    from oa.core import indexer
    from oa.core.store import Store

    sequential = Store(office.root).index.entries
    (office.root / INDEX).unlink()
    monkeypatch.setattr(indexer, "PARALLEL_FROM", 1)
    parallel = Store(office.root).index.entries
    assert parallel.keys() == sequential.keys()
    for rel, entry in sequential.items():
        assert parallel[rel].summary == entry.summary, rel
        assert parallel[rel].findings == entry.findings, rel


def _key_of(office: Office, rel: str) -> object:
    saved = marshal.loads((office.root / INDEX).read_bytes())
    return saved["entries"][rel][0]


def _index_written_a_second_later(office: Office) -> None:
    """Entries git recorded in the second its index was written are stat'ed like edits."""
    time.sleep(1.1)
    office.git("update-index", "--refresh", "--force-write-index")


def test_tracked_unchanged_files_are_keyed_by_their_blob_id(office: Office) -> None:
    """Git says which tracked files are unchanged, and their blob ids, for every file at once;
    an edited or untracked file is keyed by its stat data until it is committed."""
    _index_written_a_second_later(office)
    office.ok("list")  # brings the index up to date (validate may check one file alone)
    rel = office.path(RID).relative_to(office.root).as_posix()
    blob = office.git("hash-object", rel).strip()
    assert _key_of(office, rel) == blob

    path = office.path(RID)
    path.write_text(path.read_text(encoding="utf-8") + "# a note\n", encoding="utf-8")
    office.ok("list")  # brings the index up to date (validate may check one file alone)
    assert isinstance(_key_of(office, rel), tuple)  # not what git's index holds

    office.git("commit", "-qam", "note\n\nOA-Import: test")
    _index_written_a_second_later(office)
    office.ok("list")  # brings the index up to date (validate may check one file alone)
    assert _key_of(office, rel) == office.git("hash-object", rel).strip() != blob


def test_a_git_told_to_trust_less_stat_data_is_not_asked(office: Office) -> None:
    """With core.trustctime off, git misses an edit that keeps size and mtime: oa then compares
    the stat data itself (the index never serves stale data)."""
    office.git("config", "core.trustctime", "false")
    assert gitops.clean_blobs(office.root) == {}
    test_edit_is_seen_even_with_same_size_and_mtime(office)


def test_entries_recorded_in_the_second_git_wrote_its_index_are_left_to_stat() -> None:
    """Git compares times to the second: an entry whose ctime is the index's own second could
    hide an edit made in that second, so it is not taken as unchanged."""
    listing = (
        b"100644 " + b"a" * 40 + b" 0\told.yaml\0  ctime: 1700000000:5\n  mtime: 1700000000:5\n"
        b"  size: 3\tflags: 0\n"
        b"100644 " + b"b" * 40 + b" 0\tracy.yaml\0  ctime: 1700000009:7\n  mtime: 1700000000:5\n"
        b"  size: 3\tflags: 0\n"
        b"100644 " + b"c" * 40 + b" 1\tconflict.yaml\0  ctime: 1700000000:5\n"
        b"  mtime: 1700000000:5\n  size: 3\tflags: 0\n"
    )
    assert gitops._listing(listing, written=1700000009) == {"old.yaml": "a" * 40}
    assert gitops._listing(listing, written=1700000020) == {
        "old.yaml": "a" * 40,
        "racy.yaml": "b" * 40,
    }


def test_a_copied_office_is_not_checked_again(
    office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy (`cp -a`, a restore) leaves git's stat data behind for every file: git is asked to
    look again, as `git status` would, so unchanged records keep their blob-id keys and their
    index entries instead of being loaded and checked again."""
    codes(office)
    copy = tmp_path / "copy"
    shutil.copytree(office.root, copy, symlinks=True)
    monkeypatch.setattr(gitops, "REFRESH_FROM", 5)
    moved = Office(copy)
    time.sleep(1.1)  # git's look writes its index a second after the copy's files
    assert codes(moved) == []
    rel = moved.path(RID).relative_to(copy).as_posix()
    assert _key_of(moved, rel) == moved.git("hash-object", rel).strip()


def test_the_arrangement_follows_a_moved_meeting(office: Office) -> None:
    """The index keeps the days each record puts on the calendar, so the work arrangement reads
    only the records in its fortnight (S-OPS-PLAN-1); a record moved to other days is read
    where it now falls, not where it was."""

    def planned(day: str) -> set[str]:
        res = office.ok("plan", "biweekly", "--from", day, "--json")
        return {i["source"] for i in json.loads(res.stdout)["items"]}

    assert "MTG-2026-0001" in planned("2026-10-30")
    path = office.path("MTG-2026-0001")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("2026-10-30T", "2026-12-30T"), encoding="utf-8")
    assert "MTG-2026-0001" not in planned("2026-10-30")
    assert "MTG-2026-0001" in planned("2026-12-30")


def test_facts_are_read_again_only_from_changed_files(office: Office) -> None:
    """Numbering keeps each file's 发文字号 under its key (S-DOC-OUT-2: numbers without gaps or
    repeats): a second look reads only the file that changed, and sees its new number."""
    from oa.core.store import Store

    read: list[bytes] = []

    def number(raw: bytes) -> str | None:
        read.append(raw)
        line = next((x for x in raw.decode().splitlines() if x.startswith("doc_number:")), None)
        return line.split(":", 1)[1].strip() if line else None

    first = Store(office.root).facts("test-number", number, folders=["outgoing"])
    assert len(read) == len(first) > 10
    path = office.path(RID)
    path.write_text(path.read_text(encoding="utf-8") + "doc_number: 浏后勤发〔2026〕99号\n")
    read.clear()
    again = Store(office.root).facts("test-number", number, folders=["outgoing"])
    assert len(read) == 1
    rel = path.relative_to(office.root).as_posix()
    assert again[rel] == "浏后勤发〔2026〕99号"
    assert {k: v for k, v in again.items() if k != rel} == {
        k: v for k, v in first.items() if k != rel
    }
    # a few files read again are not worth writing every file's facts again: the kept file
    # stays as it was, and the changed file is read each time until many have changed
    kept = office.root / ".oa" / "facts-test-number.marshal"
    before = kept.read_bytes()
    read.clear()
    assert Store(office.root).facts("test-number", number, folders=["outgoing"]) == again
    assert len(read) == 1 and kept.read_bytes() == before


def test_the_last_report_is_not_yesterdays(office: Office) -> None:
    """Mail not delivered in time (S-OPS-MAIL-1, OA457) is counted in workdays to today: the
    kept report of the last validation is for its own day, and a later day checks again."""
    assert "OA457" not in codes(office)
    later = office.oa("validate", "--json", env={"OA_NOW": "2026-12-04T09:00:00+08:00"})
    assert "OA457" in {f["code"] for f in json.loads(later.stdout)["findings"]}
    assert "OA457" not in codes(office)


def _retitle(office: Office, rid: str, title: str) -> None:
    path = office.path(rid)
    text = path.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("title:"))
    path.write_text(text.replace(old, f"title: {title}", 1), encoding="utf-8")


def _titles(office: Office) -> dict[str, str]:
    return {r["id"]: r["title"] for r in json.loads(office.ok("list", "--json").stdout)}


def _summary_files(office: Office) -> tuple[str, str | None]:
    saved = marshal.loads((office.root / INDEX).read_bytes())
    return saved["summaries"], saved["overlay"]


def test_a_few_changed_summaries_go_to_an_overlay(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One record changed does not write every summary again (issue #7): the changed ones go to
    an overlay read over the whole file, carried from save to save until it holds OVERLAY_MAX;
    then the two are written as one. Listings see every change throughout."""
    before = _titles(office)
    whole, overlay = _summary_files(office)
    assert overlay is None

    _retitle(office, "OUT-2026-0019", "第一次改的标题")
    assert codes(office) == []
    assert _summary_files(office)[0] == whole
    first_overlay = _summary_files(office)[1]
    assert first_overlay is not None

    _retitle(office, "OUT-2026-0020", "第二次改的标题")
    titles = _titles(office)
    assert titles["OUT-2026-0019"] == "第一次改的标题"  # carried into the new overlay
    assert titles["OUT-2026-0020"] == "第二次改的标题"
    assert {
        k: v for k, v in titles.items() if not k.startswith(("OUT-2026-0019", "OUT-2026-0020"))
    } == {k: v for k, v in before.items() if not k.startswith(("OUT-2026-0019", "OUT-2026-0020"))}
    assert _summary_files(office)[0] == whole
    assert not (office.root / ".oa" / f"summaries-{first_overlay}.marshal").exists()

    monkeypatch.setattr(index_module, "OVERLAY_MAX", 2)
    _retitle(office, "OUT-2026-0016", "第三次改的标题")
    titles = _titles(office)
    assert _summary_files(office)[0] != whole and _summary_files(office)[1] is None
    assert titles["OUT-2026-0016"] == "第三次改的标题"
    assert titles["OUT-2026-0019"] == "第一次改的标题"
    assert titles["OUT-2026-0020"] == "第二次改的标题"


def test_a_damaged_overlay_is_made_again(office: Office) -> None:
    _retitle(office, "OUT-2026-0019", "改过的标题")
    listed = office.ok("list", "--json").stdout
    overlay = _summary_files(office)[1]
    (office.root / ".oa" / f"summaries-{overlay}.marshal").write_bytes(b"\x00garbage")
    assert office.ok("list", "--json").stdout == listed
    assert codes(office) == []
    assert office.ok("list", "--json").stdout == listed


def _rows_file(office: Office) -> Path:
    return office.root / ".oa" / f"rows-{_summary_files(office)[0]}.marshal"


LISTINGS = (
    ["list", "--json"],
    ["list", "--kind", "outgoing", "--sort", "updated", "--reverse"],
    ["list", "--state", "proof", "--json"],
    ["list", "--department", "办公室", "--year", "2026", "--json"],
    ["list", "--person", "wangfang", "--json"],
)


def _listings(office: Office) -> list[str]:
    return [office.ok(*args).stdout for args in LISTINGS]


def test_listings_from_the_rows_file_are_those_from_the_summaries(office: Office) -> None:
    """`oa list` reads the rows file beside the whole summaries (issue #7), with the overlay's
    changed summaries over it: every listing is the one the summaries give, after a change, a
    record that no longer loads, and with the rows file damaged or gone."""
    fresh = _listings(office)  # the first: the index made in this command, rows from summaries
    assert _rows_file(office).is_file()
    assert _listings(office) == fresh  # from the rows file

    _retitle(office, "OUT-2026-0019", "改过的标题")
    office.ok("validate")
    assert _summary_files(office)[1] is not None  # the change is in the overlay
    changed = _listings(office)
    assert "改过的标题" in changed[0] and changed != fresh
    shutil.rmtree(office.root / ".oa")
    assert _listings(office) == changed  # as an index made from scratch gives them

    office.path("OUT-2026-0020").write_text("id: [", encoding="utf-8")
    office.oa("validate")
    broken = _listings(office)
    assert "OUT-2026-0020" not in broken[0]
    for damage in (b"\x00garbage", None):
        if damage is None:
            _rows_file(office).unlink()
        else:
            _rows_file(office).write_bytes(damage)
        assert _listings(office) == broken
    shutil.rmtree(office.root / ".oa")
    assert _listings(office) == broken


def test_a_cold_index_written_aside_is_the_one_written_in_line(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold index built on every core is written by a forked child while the command goes
    on (issue #7); the command ends only once it is written, and it is the index, summaries
    and rows a write in line gives."""
    from oa.core import indexer

    def saved() -> tuple[object, ...]:
        index = marshal.loads((office.root / INDEX).read_bytes())
        token = index["summaries"]
        return (
            index["entries"],
            marshal.loads((office.root / ".oa" / f"summaries-{token}.marshal").read_bytes()),
            marshal.loads((office.root / ".oa" / f"rows-{token}.marshal").read_bytes()),
        )

    shutil.rmtree(office.root / ".oa", ignore_errors=True)
    listed = office.ok("list", "--json").stdout
    in_line = saved()

    shutil.rmtree(office.root / ".oa")
    monkeypatch.setattr(indexer, "PARALLEL_FROM", 1)
    asked: list[bool] = []
    real_save = index_module.Index.save

    def save(self: index_module.Index, aside: bool = False) -> None:
        asked.append(aside)
        real_save(self, aside)
        assert index_module._SAVING or not aside  # a child is writing it

    monkeypatch.setattr(index_module.Index, "save", save)
    assert office.ok("list", "--json").stdout == listed
    assert asked == [True]
    assert index_module._SAVING == []  # waited for before the command ended
    assert saved() == in_line
    monkeypatch.setattr(indexer, "PARALLEL_FROM", 10**9)
    assert codes(office) == []
    assert asked == [True, False]  # nothing changed: a save in line, which writes nothing
    assert office.ok("list", "--json").stdout == listed


def test_a_cold_index_is_written_in_line_when_no_process_can_be_forked(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oa.core import indexer
    from oa.core.store import Store

    def no_fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    shutil.rmtree(office.root / ".oa", ignore_errors=True)
    index = Store(office.root).index
    monkeypatch.setattr(os, "fork", no_fork)
    (office.root / INDEX).unlink()
    index.changed = True
    index.save(aside=True)
    assert index_module._SAVING == [] and not index.changed
    assert (office.root / INDEX).is_file()
    monkeypatch.setattr(indexer, "PARALLEL_FROM", 10**9)
    assert codes(office) == []

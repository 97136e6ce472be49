"""Bad input, end to end through the real CLI.

Every malformed, inconsistent or hostile input gets one coded message — `path:line: CODE message`
for a finding in a file, `oa: CODE message` for a bad command line — the documented exit status
(1 for findings from `oa validate`, 2 for usage errors and refused commands), never a Python
traceback, and a refused command leaves every file, the git index and HEAD exactly as they were.
A command refused because its record does not load prints the record's findings, then OA608.

The demo office is the starting point (tests/conftest.py). Records used here:

* OUT-2026-0022 — 拟稿 (draft), drafter hujun of 物业管理科, only its `create` step;
* OUT-2026-0020 — 核稿 (review), waiting for the 办公室 (wangfang);
* OUT-2026-0014 — 复核样稿, 浏后勤发〔2026〕5号, the highest 浏后勤发 number of 2026 (4号 is on
  OUT-2026-0010).
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import Office, Result, run_oa

DRAFT = "OUT-2026-0022"
REVIEW = "OUT-2026-0020"
NUMBERED = "OUT-2026-0014"

#: a finding line of `oa validate`: path:line: CODE message
FINDING = re.compile(r"^(?P<path>\S+?):(?P<line>\d+): (?P<code>OA\d{3})\b", re.MULTILINE)
#: generous: the real commands take well under a second here
QUICK_SECONDS = 10.0


# -- helpers -----------------------------------------------------------------------------------


def rel(office: Office, rid: str) -> str:
    return office.path(rid).relative_to(office.root).as_posix()


def no_traceback(res: Result) -> None:
    assert "Traceback" not in res.output, res.output
    assert "OA099" not in res.output, res.output


def line_with(text: str, needle: str) -> int:
    """The 1-based line holding `needle`, which must occur on exactly one line."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(hits) == 1, f"{needle!r} is on lines {hits}"
    return hits[0]


def edit(office: Office, rid: str, old: str, new: str) -> str:
    """Replace `old` (which must occur exactly once in the record as it is now) by `new`."""
    text = office.read(rid)
    assert text.count(old) == 1, f"{old!r} not exactly once in {rid}:\n{text}"
    changed = text.replace(old, new)
    office.path(rid).write_text(changed, encoding="utf-8")
    return changed


def findings(res: Result) -> set[tuple[str, int, str]]:
    return {(m["path"], int(m["line"]), m["code"]) for m in FINDING.finditer(res.stdout)}


def validate_finds(office: Office, *expected: tuple[str, int, str]) -> Result:
    """`oa validate` reports exactly these findings, exits 1, and writes no file."""
    before = office.snapshot()
    res = office.oa("validate")
    no_traceback(res)
    assert res.exit_code == 1, res.output
    assert findings(res) == set(expected), res.output
    assert office.snapshot() == before
    return res


@contextmanager
def unchanged(office: Office) -> Iterator[None]:
    """Every file, the git index (staged changes) and HEAD are the same afterwards, and no
    write is left pending in the journal (the next command would report OA009)."""
    files, head, status = office.snapshot(), office.head(), office.git("status", "--porcelain")
    yield
    assert not (office.root / ".oa" / "pending.json").exists(), "a refusal left a journal"
    assert office.snapshot() == files, "a refused command changed files"
    assert office.head() == head, "a refused command made a commit"
    assert office.git("status", "--porcelain") == status, "a refused command staged something"


def refused(
    office: Office, *args: str, exit_code: int = 2, env: dict[str, str] | None = None
) -> Result:
    """Run a command that must be refused; prove it changed nothing and printed no traceback."""
    with unchanged(office):
        res = office.oa(*args, env=env)
    no_traceback(res)
    assert res.exit_code == exit_code, res.output
    return res


def at(where: tuple[str, int, str]) -> str:
    """`path:line: CODE`, as a finding starts."""
    return f"{where[0]}:{where[1]}: {where[2]}"


def refused_invalid(office: Office, finding: str, *args: str) -> Result:
    """A command on a record that does not load: its finding (`path:line: CODE …`), then the
    refusal OA608 for the file, exit 2, nothing written."""
    res = refused(office, *args)
    assert finding in res.stderr, res.output
    path = finding.split(":")[0]
    assert f"{path}: OA608 refused" in res.stderr, res.output
    return res


def commit_all(office: Office, message: str) -> None:
    """Commit hand edits, so `unchanged` compares against a clean work tree."""
    office.git("add", "-A")
    office.git("commit", "-qm", message)


# -- OA1xx: syntax -----------------------------------------------------------------------------


def test_malformed_yaml_is_oa101_with_its_line(office: Office) -> None:
    """A title with `: ` in it is not valid YAML: OA101 on that line, for validate and advance."""
    title = "title: 关于做好机关办公区冬季节能降耗工作的通知"
    text = edit(office, DRAFT, title, "title: 通知: 关于做好机关办公区冬季节能降耗工作")
    where = (rel(office, DRAFT), line_with(text, "title:"), "OA101")
    res = validate_finds(office, where)
    assert "YAML syntax error" in res.stdout
    commit_all(office, "hand edit")
    refused_invalid(office, at(where), "advance", DRAFT, "submit", "--as", "hujun")


def test_wrong_type_is_oa201_at_the_key(office: Office) -> None:
    """`copies: many` is not a number: OA201 on the line of `copies`."""
    text = edit(office, DRAFT, "state: draft\n", "copies: many\nstate: draft\n")
    where = (rel(office, DRAFT), line_with(text, "copies:"), "OA201")
    res = validate_finds(office, where)
    assert "copies: Input should be a valid integer" in res.stdout
    commit_all(office, "hand edit")
    refused_invalid(office, at(where), "show", DRAFT)


def test_not_utf8_is_oa102_on_its_line(office: Office) -> None:
    """A title saved in GBK instead of UTF-8: OA102 on the title's line."""
    path = office.path(DRAFT)
    text = office.read(DRAFT)
    title = "关于做好机关办公区冬季节能降耗工作的通知"
    assert text.count(title) == 1
    path.write_bytes(text.replace(title, "@@").encode("utf-8").replace(b"@@", title.encode("gbk")))
    where = (rel(office, DRAFT), line_with(text, "title:"), "OA102")
    res = validate_finds(office, where)
    assert "not valid UTF-8" in res.stdout
    commit_all(office, "hand edit")
    refused_invalid(office, at(where), "advance", DRAFT, "submit", "--as", "hujun")


def _billion_laughs() -> str:
    lines = ['lol0: &l0 "lol"']
    lines += [f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_oa103_and_quick(office: Office) -> None:
    """Billion laughs (10⁹ strings by aliases): OA103 at the first anchor, in seconds, from
    validate, list, show and advance alike."""
    text = office.read(DRAFT)
    bomb = text + _billion_laughs()
    office.path(DRAFT).write_text(bomb, encoding="utf-8")
    where = (rel(office, DRAFT), line_with(bomb, "lol0:"), "OA103")
    started = time.monotonic()
    validate_finds(office, where)
    commit_all(office, "hand edit")
    for args in (("show", DRAFT), ("advance", DRAFT, "submit", "--as", "hujun")):
        refused_invalid(office, at(where), *args)
    res = office.oa("list", "--json")
    no_traceback(res)
    assert res.exit_code == 0, res.output
    assert DRAFT not in res.stdout  # a record that does not load is not listed
    assert time.monotonic() - started < QUICK_SECONDS


def _nested(depth: int) -> str:
    return "[" * depth + "各科室" + "]" * depth


def _deepen(office: Office, depth: int) -> int:
    """Nest OUT-2026-0022's `main_to` `depth` lists deep; return the line of `main_to`."""
    text = office.read(DRAFT)
    assert text.count("main_to:\n  - 各科室\n") == 1
    deep = text.replace("main_to:\n  - 各科室\n", f"main_to: {_nested(depth)}\n")
    office.path(DRAFT).write_text(deep, encoding="utf-8")
    return line_with(deep, "main_to:")


def _too_deep(office: Office) -> None:
    """validate and advance both report OA104 for the file, quickly and without a traceback."""
    started = time.monotonic()
    res = office.oa("validate")
    no_traceback(res)
    assert res.exit_code == 1, res.output
    assert {(p, c) for p, _, c in findings(res)} == {(rel(office, DRAFT), "OA104")}, res.output
    res = refused(office, "advance", DRAFT, "submit", "--as", "hujun")
    assert re.search(rf"^{re.escape(rel(office, DRAFT))}:\d+: OA104 ", res.stderr, re.M), res.stderr
    assert f"{rel(office, DRAFT)}: OA608 refused" in res.stderr
    assert time.monotonic() - started < QUICK_SECONDS


def test_deep_nesting_is_oa104(office: Office) -> None:
    """40 levels of nested lists (records allow 32): OA104 for the file."""
    _deepen(office, 40)
    _too_deep(office)


def test_very_deep_nesting_is_oa104_too(office: Office) -> None:
    """100 000 levels (a parser-recursion attack) is too deep as well: OA104, not OA101."""
    _deepen(office, 100_000)
    _too_deep(office)


def test_deep_nesting_names_its_line(office: Office) -> None:
    """OA104 for too-deep nesting points at the line that nests too deeply."""
    line = _deepen(office, 40)
    validate_finds(office, (rel(office, DRAFT), line, "OA104"))


def test_list_instead_of_mapping_is_oa105(office: Office) -> None:
    """A record file holding a YAML list: OA105 at line 1; show refuses it the same way."""
    office.path(DRAFT).write_text(
        "- id: OUT-2026-0022\n- kind: outgoing\n- state: draft\n", encoding="utf-8"
    )
    res = validate_finds(office, (rel(office, DRAFT), 1, "OA105"))
    assert "must be a YAML mapping, found list" in res.stdout
    commit_all(office, "hand edit")
    refused_invalid(office, f"{rel(office, DRAFT)}:1: OA105", "show", DRAFT)


def test_duplicate_key_is_a_finding_at_its_line(office: Office) -> None:
    """A second `title:` hides the first from whoever reads the file top-down: validate reports
    it at the second key's line (as a syntax error), and advance refuses the record cleanly."""
    text = office.read(DRAFT) + "title: 另一个标题\n"
    office.path(DRAFT).write_text(text, encoding="utf-8")
    line = line_with(text, "title: 另一个标题")
    res = office.oa("validate")
    no_traceback(res)
    assert res.exit_code == 1, res.output
    assert {(p, n) for p, n, _ in findings(res)} == {(rel(office, DRAFT), line)}, res.output
    assert findings(res) <= {(rel(office, DRAFT), line, c) for c in ("OA101", "OA201")}
    commit_all(office, "hand edit")
    refused_invalid(
        office, f"{rel(office, DRAFT)}:{line}: OA", "advance", DRAFT, "submit", "--as", "hujun"
    )


# -- OA2xx: layout and configuration -------------------------------------------------------------


def test_record_in_wrong_folder_is_oa204(office: Office) -> None:
    """OUT-2026-0022 filed under outgoing/2025/: OA204 on its `id` line."""
    text = office.read(DRAFT)
    moved = office.root / "outgoing" / "2025" / f"{DRAFT}.yaml"
    office.path(DRAFT).rename(moved)
    res = validate_finds(office, (f"outgoing/2025/{DRAFT}.yaml", line_with(text, "id:"), "OA204"))
    assert "belongs in outgoing/2026/" in res.stdout


def test_file_name_not_its_id_is_oa203(office: Office) -> None:
    """OUT-2026-0022's content saved as OUT-2026-0024.yaml: OA203 on its `id` line."""
    text = office.read(DRAFT)
    office.path(DRAFT).rename(office.path("OUT-2026-0024"))
    res = validate_finds(office, (rel(office, "OUT-2026-0024"), line_with(text, "id:"), "OA203"))
    assert "does not match the file name" in res.stdout


def test_broken_oa_yaml_is_oa210_with_its_line(office: Office) -> None:
    """An unclosed `{` in oa.yaml: OA210 at oa.yaml:line from validate (exit 1) and from list
    (exit 2), and a refused advance."""
    config = office.root / "oa.yaml"
    text = config.read_text(encoding="utf-8")
    good = "  SWY: {name: 事务一科, leader: zhouhuimin}\n"
    assert text.count(good) == 1
    config.write_text(text.replace(good, good.replace("}", "")), encoding="utf-8")
    # libyaml gives up on the line after the unclosed brace
    line = line_with(text, "SWY: {") + 1
    res = validate_finds(office, ("oa.yaml", line, "OA210"))
    assert "YAML syntax error" in res.stdout
    commit_all(office, "hand edit")
    res = refused(office, "list")
    assert f"oa.yaml:{line}: OA210" in res.stderr
    res = refused(office, "advance", REVIEW, "review")
    assert f"oa.yaml:{line}: OA210" in res.stderr


def test_bad_value_in_oa_yaml_is_oa210_at_its_key(office: Office) -> None:
    """A 全宗号 that is not of its form: OA210 at the `fonds` line."""
    config = office.root / "oa.yaml"
    text = config.read_text(encoding="utf-8")
    assert text.count('fonds: "0194"') == 1
    config.write_text(text.replace('fonds: "0194"', 'fonds: "第0194号"'), encoding="utf-8")
    line = line_with(text, "fonds:")
    validate_finds(office, ("oa.yaml", line, "OA210"))
    res = refused(office, "list")
    assert f"oa.yaml:{line}: OA210 office.fonds" in res.stderr


def test_misspelt_key_in_oa_yaml_is_reported_at_its_line(office: Office) -> None:
    """`peeple:` for `people:` is two schema errors (an unknown key, a missing one): OA210 names
    the line of the key that is there, not line 1."""
    config = office.root / "oa.yaml"
    text = config.read_text(encoding="utf-8")
    assert text.count("\npeople:") == 1
    config.write_text(text.replace("\npeople:", "\npeeple:"), encoding="utf-8")
    validate_finds(office, ("oa.yaml", line_with(text, "people:"), "OA210"))


def test_showing_a_broken_record_says_it_does_not_load(office: Office) -> None:
    """A read-only command on a record that does not load gives its finding and OA608, saying
    the record does not load (nothing to write was refused)."""
    edit(office, DRAFT, "state: draft", "state: [draft")
    res = refused(office, "show", DRAFT)
    assert f"{rel(office, DRAFT)}: OA608 refused: the record does not load cleanly" in res.stderr


def test_unknown_department_in_oa_yaml_names_its_line(office: Office) -> None:
    """A person in an unknown department: OA210 at that person's line, not at line 1."""
    config = office.root / "oa.yaml"
    text = config.read_text(encoding="utf-8")
    old = "department: SWY, roles: [拟稿人], title: 科长}"
    assert text.count(old) == 1
    config.write_text(text.replace(old, old.replace("SWY", "XXK")), encoding="utf-8")
    line = line_with(text, "pengwei:")
    res = validate_finds(office, ("oa.yaml", line, "OA210"))
    assert "people.pengwei.department: unknown department 'XXK'" in res.stdout
    res = refused(office, "list")
    assert f"oa.yaml:{line}: OA210" in res.stderr


@pytest.mark.parametrize(("command", "exit_code"), [("validate", 1), ("list", 2)])
def test_missing_oa_yaml_is_oa210(office: Office, command: str, exit_code: int) -> None:
    """`--root` names a records repository whose oa.yaml is gone: OA210 about oa.yaml."""
    (office.root / "oa.yaml").unlink()
    before = office.snapshot()
    res = office.oa(command)
    no_traceback(res)
    assert res.exit_code == exit_code, res.output
    assert "oa.yaml" in res.output and "OA210" in res.output and "missing" in res.output
    assert "OA001" not in res.output
    assert office.snapshot() == before


# -- OA3xx: references ---------------------------------------------------------------------------


def test_unknown_drafter_is_oa301(office: Office) -> None:
    """A drafter who is not in oa.yaml: OA301 on the `drafter` line."""
    text = edit(office, DRAFT, "drafter: hujun\n", "drafter: wangwu\n")
    res = validate_finds(office, (rel(office, DRAFT), line_with(text, "drafter:"), "OA301"))
    assert "drafter: unknown person 'wangwu'" in res.stdout


def test_unknown_department_is_oa302(office: Office) -> None:
    """A department that is not in oa.yaml: OA302 on the `department` line."""
    text = edit(office, DRAFT, "department: WYK\n", "department: XXK\n")
    res = validate_finds(office, (rel(office, DRAFT), line_with(text, "department:"), "OA302"))
    assert "department: unknown department 'XXK'" in res.stdout


# -- OA4xx: invariants ---------------------------------------------------------------------------


def test_duplicate_id_is_oa401(office: Office) -> None:
    """A second file holding OUT-2026-0022: OA401 on its `id` line (and OA203, since a second
    file with the same ID cannot also be named after it)."""
    text = office.read(DRAFT)
    shutil.copyfile(office.path(DRAFT), office.path("OUT-2026-0024"))
    copy, line = rel(office, "OUT-2026-0024"), line_with(text, "id:")
    res = validate_finds(office, (copy, line, "OA401"), (copy, line, "OA203"))
    assert f"duplicate ID {DRAFT} (also in {rel(office, DRAFT)})" in res.stdout


def _renumber(office: Office, seq: int) -> str:
    """Give OUT-2026-0014 浏后勤发〔2026〕<seq>号 in doc_number and in its `number` step alike."""
    old = "浏后勤发〔2026〕5号"
    text = office.read(NUMBERED)
    assert text.count(f"doc_number: {old}\n") == 1 and text.count(f"number: {old}\n") == 2
    changed = text.replace(old, f"浏后勤发〔2026〕{seq}号")
    office.path(NUMBERED).write_text(changed, encoding="utf-8")
    return changed


def test_duplicate_official_number_is_oa402(office: Office) -> None:
    """S-DOC-OUT-2: 浏后勤发〔2026〕4号 on two documents: OA402 on the later one's doc_number."""
    text = _renumber(office, 4)
    where = (rel(office, NUMBERED), line_with(text, "doc_number:"), "OA402")
    res = validate_finds(office, where)
    assert "浏后勤发〔2026〕4号 is also on OUT-2026-0010" in res.stdout


def test_skipped_official_number_is_oa403(office: Office) -> None:
    """S-DOC-OUT-2: 浏后勤发〔2026〕4号 then 6号: OA403 (5 is missing) on 6号's doc_number."""
    text = _renumber(office, 6)
    where = (rel(office, NUMBERED), line_with(text, "doc_number:"), "OA403")
    res = validate_finds(office, where)
    assert "number 5 is missing" in res.stdout


def test_state_not_matching_history_is_oa404(office: Office) -> None:
    """S-GEN-2: `state: review` while the history ends in draft: OA404 on the `state` line."""
    text = edit(office, DRAFT, "state: draft\n", "state: review\n")
    res = validate_finds(office, (rel(office, DRAFT), line_with(text, "state:"), "OA404"))
    assert "state is 'review' but history ends in 'draft'" in res.stdout


def test_hand_written_step_without_the_role_is_oa405(office: Office) -> None:
    """S-DOC-OUT-1, S-GEN-2: a 核稿 entry typed in by hand for pengwei (not 办公室): OA405 on
    that entry's `by` line."""
    text = edit(office, REVIEW, "state: review\n", "state: leader_sign\n")
    text += (
        "  - at: 2026-11-27T09:00:00+08:00\n"
        "    by: pengwei\n"
        "    action: review\n"
        "    from: review\n"
        "    to: leader_sign\n"
    )
    office.path(REVIEW).write_text(text, encoding="utf-8")
    res = validate_finds(office, (rel(office, REVIEW), line_with(text, "by: pengwei"), "OA405"))
    assert "history[2] 彭伟 (pengwei) may not 'review': needs role 办公室" in res.stdout


# -- OA0xx and OA6xx: commands refused -----------------------------------------------------------


BAD_IDS = ["../x", "OUT-2026-0001/../../oa", "out-2026-0001", "OUT-2026-1"]


@pytest.mark.parametrize(
    "command",
    [("show", "{id}"), ("log", "{id}"), ("advance", "{id}", "review", "--as", "wangfang")],
    ids=["show", "log", "advance"],
)
def test_id_that_is_not_an_id_is_oa605(office: Office, command: tuple[str, ...]) -> None:
    """An ID argument not of the form PREFIX-YYYY-NNNN — a path, lower case, too short — is
    refused before any file is read or written: OA605, exit 2."""
    for bad in BAD_IDS:
        res = refused(office, *(a.replace("{id}", bad) for a in command))
        assert f"oa: OA605 {bad!r} is not a record ID" in res.stderr


@pytest.mark.parametrize(
    "command",
    [
        "slip",
        "render",
    ],
)
def test_doc_paper_commands_refuse_a_bad_id(office: Office, tmp_path: Path, command: str) -> None:
    """`oa doc slip ../x` and `oa doc render ../x`: OA605, and no paper is written anywhere."""
    out = tmp_path / "papers"
    res = refused(office, "doc", command, "../x", "--out", str(out))
    assert "oa: OA605 '../x' is not a record ID" in res.stderr
    assert not out.exists() or not any(out.iterdir())


def test_outside_any_repository_is_oa001(tmp_path: Path) -> None:
    """No oa.yaml here or above, no --root: OA001, exit 2, from a real subprocess."""
    for args in (("list",), ("show", DRAFT)):
        proc = run_oa(*args, cwd=tmp_path)
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert proc.stderr.startswith("oa: OA001 not inside an oa records repository")
        assert "Traceback" not in proc.stdout + proc.stderr
    assert not any(tmp_path.iterdir())


def test_action_by_someone_without_the_role_is_oa603(office: Office) -> None:
    """S-DOC-OUT-1: pengwei (拟稿人 of 事务一科) may not do the 办公室's 核稿: OA603, exit 2."""
    res = refused(office, "advance", REVIEW, "review", "--as", "pengwei")
    assert f"{rel(office, REVIEW)}: OA603 彭伟 (pengwei) may not 'review'" in res.stderr
    assert "needs role 办公室" in res.stderr


def test_unknown_action_is_oa602(office: Office) -> None:
    """S-DOC-OUT-1: only the workflow's steps can be taken; an action it does not have is
    OA602, listing what is allowed."""
    res = refused(office, "advance", DRAFT, "approve", "--as", "hujun")
    assert f"{rel(office, DRAFT)}: OA602 'approve' is not allowed in state 'draft'" in res.stderr
    assert "allowed: submit" in res.stderr


def test_return_without_opinion_is_oa606(office: Office) -> None:
    """S-DOC-OUT-1: a send-back must say why: `return` without --opinion is OA606."""
    for opinion in ((), ("--opinion", "  ")):
        res = refused(office, "advance", REVIEW, "return", "--as", "wangfang", *opinion)
        assert f"{rel(office, REVIEW)}: OA606 'return' needs --opinion" in res.stderr


def test_set_of_a_field_the_action_does_not_set_is_oa005(office: Office) -> None:
    """`--set copies=5` on 核稿, which sets nothing: OA005."""
    res = refused(office, "advance", REVIEW, "review", "--as", "wangfang", "--set", "copies=5")
    assert f"{rel(office, REVIEW)}: OA005 'review' does not set copies" in res.stderr
    res = refused(office, "advance", REVIEW, "review", "--as", "wangfang", "--set", "copies")
    assert "oa: OA005 --set expects KEY=VALUE, got 'copies'" in res.stderr


def test_unknown_as_person_is_oa604(office: Office) -> None:
    """S-GEN-2: an actor oa.yaml does not know is never recorded: OA604, exit 2."""
    res = refused(office, "advance", REVIEW, "review", "--as", "nobody")
    assert "oa: OA604 no person in oa.yaml matches 'nobody' (--as)" in res.stderr
    res = refused(office, "advance", REVIEW, "review", env={"OA_USER": "nobody"})
    assert "oa: OA604 no person in oa.yaml matches 'nobody' (OA_USER)" in res.stderr


def test_init_into_a_non_empty_directory_is_oa003(office: Office, tmp_path: Path) -> None:
    """`oa init` never writes into a directory that holds anything: OA003, exit 2."""
    res = refused(office, "init", str(office.root))
    assert f"oa: OA003 {office.root} is not empty" in res.stderr
    other = tmp_path / "notes"
    other.mkdir()
    (other / "readme.txt").write_text("keep me\n", encoding="utf-8")
    res = office.oa("init", str(other), "--demo")
    no_traceback(res)
    assert res.exit_code == 2, res.output
    assert f"oa: OA003 {other} is not empty" in res.stderr
    assert sorted(p.name for p in other.iterdir()) == ["readme.txt"]


def test_listings_say_which_records_they_leave_out(office: Office) -> None:
    """A record that does not load cannot be listed; the listing says so on stderr (OA010),
    naming the file, and its output stays as it was for the others."""
    path = office.root / "meeting" / "2026" / "MTG-2026-0007.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: [", 1), "utf-8")
    for args in (
        ["list"],
        ["todo", "--all"],
        ["doc", "overdue"],
        ["plan", "biweekly", "--from", "2026-11-30", "--json"],
        ["supervise", "daily"],
    ):
        res = office.oa(*args)
        assert res.exit_code == 0, (args, res.output)
        assert "OA010 [warning] 1 record file left out" in res.stderr, args
        assert "meeting/2026/MTG-2026-0007.yaml" in res.stderr
    assert "OA010" not in office.oa("list", "--kind", "outgoing").stdout


def test_a_refused_new_record_leaves_nothing_pending(office: Office) -> None:
    """A new document refused by its own checks (an unknown 代字, OA303) is not an interrupted
    write: the next command says nothing of OA009."""
    res = refused(
        office,
        "doc",
        "new",
        "--kind",
        "浏后勤XX",
        "--title",
        "关于测试的函",
        "--to",
        "浏阳市教育局",
    )
    assert "OA303" in res.output, res.output
    after = office.oa("validate")
    assert after.exit_code == 0 and "OA009" not in after.output, after.output


def test_a_folder_without_oa_yaml_is_named_as_such(tmp_path: Path) -> None:
    """`--root` at a folder that is no records repository: OA210 says so and how to make one;
    no line number for a file that is not there."""
    res = run_oa("status", "--root", str(tmp_path), cwd=tmp_path)
    assert res.returncode == 2
    assert "oa.yaml: OA210 oa.yaml is missing" in res.stderr
    assert "oa init" in res.stderr and "oa.yaml:1" not in res.stderr
    assert "Traceback" not in res.stderr

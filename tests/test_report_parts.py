"""`oa validate` after a few records changed (issue #7): when no record was added or removed and
each changed one changed in nothing a collection check reads, only those records are checked
again and every other finding is kept. Whatever path it takes, the report is the one a whole
validation makes."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from oa.core import validate as validate_module
from oa.core.registry import kinds
from oa.core.store import Store
from tests.conftest import Office

RID = "OUT-2026-0003"  # 浏后勤发〔2026〕2号, with no finding


def report(office: Office) -> list[tuple[str, int, str, str]]:
    """What `oa validate` reports, as `--json` gives it."""
    import json

    res = office.oa("validate", "--json")
    assert res.exit_code in (0, 1), res.stdout + res.stderr
    return [
        (f["path"], f["line"], f["code"], f["message"]) for f in json.loads(res.stdout)["findings"]
    ]


def whole(office: Office) -> list[tuple[str, int, str, str]]:
    """The report made from scratch (no kept report, parts or index)."""
    for kept in (office.root / ".oa").glob("report*"):
        if kept.is_dir():
            for part in kept.iterdir():
                part.unlink()
        else:
            kept.unlink()
    return report(office)


@pytest.fixture
def whole_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the whole repository is checked from now on."""
    calls: list[int] = []
    real = validate_module._whole_repository

    def counted(store: Store) -> Any:
        calls.append(1)
        return real(store)

    monkeypatch.setattr(validate_module, "_whole_repository", counted)
    return calls


def edit(office: Office, rid: str, old: str, new: str) -> None:
    path = office.path(rid)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_retitled_record_is_checked_alone(office: Office, whole_checks: list[int]) -> None:
    report(office)
    whole_checks.clear()
    edit(office, RID, "title: ", "title: （修订）")
    found = report(office)
    assert whole_checks == []
    assert found == whole(office)


def test_a_changed_record_s_own_findings_follow_it(office: Office, whole_checks: list[int]) -> None:
    """S-GEN-2: its reference checks run again (OA301 with its line), and go when mended."""
    report(office)
    whole_checks.clear()
    path = office.path(RID)
    edit(office, RID, "drafter: ", "drafter: nobody_")
    found = report(office)
    assert whole_checks == []
    unknown = [f for f in found if f[0].endswith(f"{RID}.yaml") and f[2] == "OA301"]
    line = next(i for i, t in enumerate(path.read_text("utf-8").splitlines(), 1) if "nobody_" in t)
    assert [f[1] for f in unknown] == [line]
    assert found == whole(office)
    whole_checks.clear()
    edit(office, RID, "drafter: nobody_", "drafter: ")
    assert not [f for f in report(office) if f[0].endswith(f"{RID}.yaml")]
    assert whole_checks == []


def test_a_change_a_collection_check_reads_checks_everything(
    office: Office, whole_checks: list[int]
) -> None:
    """S-DOC-OUT-2: a 发文字号 taken twice is found (OA402) however few files changed."""
    report(office)
    whole_checks.clear()
    edit(office, RID, "浏后勤发〔2026〕2号", "浏后勤发〔2026〕1号")
    found = report(office)
    assert whole_checks == [1]
    assert "OA402" in [f[2] for f in found]
    assert found == whole(office)


def test_a_record_added_or_removed_checks_everything(
    office: Office, whole_checks: list[int]
) -> None:
    """S-GEN-2: a second record with the same ID (OA401) is found at once."""
    report(office)
    whole_checks.clear()
    copy = office.path(RID).with_name("OUT-2026-0900.yaml")
    copy.write_bytes(office.path(RID).read_bytes())
    found = report(office)
    assert whole_checks == [1]
    assert "OA401" in [f[2] for f in found]
    copy.unlink()
    whole_checks.clear()
    assert "OA401" not in [f[2] for f in report(office)]
    assert whole_checks == [1]


def test_a_record_a_collection_finding_names_checks_everything(
    office: Office, whole_checks: list[int]
) -> None:
    """Its collection finding carries a line of the file as it was: made again from scratch."""
    edit(office, RID, "浏后勤发〔2026〕2号", "浏后勤发〔2026〕1号")
    report(office)
    whole_checks.clear()
    edit(office, RID, "title: ", "\ntitle: ")  # a line further down
    found = report(office)
    assert whole_checks == [1]
    assert found == whole(office)


def test_damaged_or_missing_parts_check_everything(office: Office, whole_checks: list[int]) -> None:
    report(office)
    parts = office.root / validate_module.PARTS_DIR
    (parts / "outgoing-2026.marshal").write_bytes(b"\x00damaged")
    whole_checks.clear()
    edit(office, RID, "title: ", "title: （修订）")
    found = report(office)
    assert whole_checks == [1]
    whole_checks.clear()
    edit(office, RID, "title: （修订）", "title: （修订二）")
    assert report(office) == found  # the title is in no finding
    assert whole_checks == []  # the damaged part was written again
    (parts / "head.marshal").unlink()
    whole_checks.clear()
    edit(office, RID, "title: （修订二）", "title: ")
    assert report(office) == whole(office)
    assert whole_checks[:1] == [1]


class _Spy(dict):  # type: ignore[type-arg]
    """A summary that notes which of its fields are read."""

    read: ClassVar[set[tuple[str, str]]] = set()

    def _note(self, key: object) -> None:
        _Spy.read.add((str(dict.get(self, "kind")), str(key)))

    def __getitem__(self, key: str) -> Any:
        self._note(key)
        return dict.__getitem__(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        self._note(key)
        return dict.get(self, key, default)

    def __contains__(self, key: object) -> bool:
        self._note(key)
        return dict.__contains__(self, key)

    def _everything(self) -> None:
        self._note("*")

    def items(self) -> Any:
        self._everything()
        return dict.items(self)

    def values(self) -> Any:
        self._everything()
        return dict.values(self)

    def __iter__(self) -> Any:
        self._everything()
        return dict.__iter__(self)


@pytest.mark.parametrize("alike", [False, True])
def test_collection_checks_read_only_what_the_kinds_declare(office: Office, alike: bool) -> None:
    """Kind.collection_reads (with id and archive) is every field any collection check reads:
    a record changed in anything else cannot change a collection finding. `alike`: every record
    of a kind is given the first one's values of what the kind declares, so that the checks'
    reads on a clash (two trips out at once, two bookings of a room) happen too."""
    store = Store(office.root)
    first: dict[str, dict[str, Any]] = {}
    for entry in store.index.entries.values():
        summary = entry.summary
        if summary is None:
            continue
        kind = kinds()[str(summary["kind"])]
        if alike:
            model = first.setdefault(kind.name, summary)
            summary = {**summary, **{f: model.get(f) for f in kind.collection_reads}}
        entry._summary, entry._from = _Spy(summary), None
    _Spy.read = set()
    validate_module._whole_repository(store)
    declared = {
        name: {"kind", *validate_module.ALWAYS_READ, *kind.collection_reads}
        for name, kind in kinds().items()
    }
    undeclared = sorted((k, f) for k, f in _Spy.read if f not in declared.get(k, set()))
    assert undeclared == []
    assert {k for k, f in _Spy.read if f not in ("kind", *validate_module.ALWAYS_READ)} >= {
        name for name, kind in kinds().items() if kind.collection_reads
    }

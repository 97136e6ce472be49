"""`oa validate`: the checks, in layers — syntax (OA1xx) and schema (OA2xx) come from loading;
references (OA3xx) and invariants (OA4xx) are here; audit (OA5xx) is in `oa.core.audit`.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from oa.core import archive, yamlio
from oa.core.config import Office
from oa.core.errors import Finding, OAError
from oa.core.identity import now
from oa.core.index import (
    FileKey,
    config_digest,
    dep_holds,
    load_report,
    no_gc,
    save_report,
    tree_digest,
    write_atomic,
)
from oa.core.journal import pending, pending_files_dir
from oa.core.pins import check_pins
from oa.core.record import HistoryEntry
from oa.core.registry import Issue, kinds
from oa.core.store import Loaded, Store, parse_id
from oa.core.workflow import (
    CREATE,
    GuardContext,
    Refusals,
    Step,
    Workflow,
    refusal,
    steps_of,
)


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    checked: int = 0

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


@cache
def ref_fields(model: type[BaseModel]) -> dict[str, str]:
    """Fields naming a person, department or record, by the alias a file uses (a model's fields
    do not change: worked out once per model, not once per record)."""
    out: dict[str, str] = {}
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        if isinstance(extra, dict) and isinstance(extra.get("x-oa-ref"), str):
            out[info.alias or name] = str(extra["x-oa-ref"])
    return out


def _check_ref(store: Store, target: str, value: Any, loc: list[str | int]) -> Iterator[Issue]:
    office = store.office
    values = value if isinstance(value, list) else [value]
    known = (
        office.people
        if target == "person"
        else office.departments
        if target == "department"
        else None
    )
    for i, v in enumerate(values):
        if v is None or (known is not None and v in known):
            continue  # the common case, asked of every reference of every record: nothing made
        where = [*loc, i] if isinstance(value, list) else loc
        shown = ".".join(map(str, where))
        if target == "person":
            yield where, "OA301", f"{shown}: unknown person {v!r}"
        elif target == "department":
            yield where, "OA302", f"{shown}: unknown department {v!r}"
        elif target.startswith("record"):
            wanted = target.partition(":")[2]
            try:
                kind, _ = parse_id(str(v))
            except OAError:
                yield where, "OA305", f"{shown}: {v!r} is not a record ID"
                continue
            if wanted and kind.name != wanted:
                yield where, "OA305", f"{shown}: {v} is not a {kinds()[wanted].label} record"
            elif not store.exists_rel(store.rel_for(str(v))):
                yield where, "OA305", f"{shown}: no record {v}"


def reference_issues(store: Store, model: type[BaseModel], data: dict[str, Any]) -> list[Issue]:
    issues: list[Issue] = []
    for key, target in ref_fields(model).items():
        if key in data:
            issues.extend(_check_ref(store, target, data[key], [key]))
    entry_refs = ref_fields(HistoryEntry)
    people = store.office.people
    for i, h in enumerate(data.get("history") or []):
        if not isinstance(h, dict):
            continue
        for key, target in entry_refs.items():
            value = h.get(key)
            if value is None or (target == "person" and type(value) is str and value in people):
                continue
            issues.extend(_check_ref(store, target, value, ["history", i, key]))
    return issues


def replay_issues(
    office: Office,
    wf: Workflow,
    data: dict[str, Any],
    guards: dict[str, Any],
    steps: list[Step] | None = None,
    kept: Refusals | None = None,
) -> list[Issue]:
    """Walk the history through the workflow: every step allowed, by the right role, in order.
    (`steps`: the history's, when the caller has them already; `kept`: see workflow.refusal.)"""
    issues: list[Issue] = []
    history = data["history"]
    if steps is None:
        steps = steps_of(history)
    state: str | None = None
    previous_at = None
    #: steps not allowed in the state they were taken in: they took no effect, so the guards
    #: of later steps do not see them (a 会签 in the wrong state is not a 会签 given)
    void: set[int] = set()
    for i, h in enumerate(history):
        loc: list[str | int] = ["history", i]
        action = h.get("action")
        at = h.get("at")
        if previous_at is not None and at is not None and at < previous_at:
            issues.append(([*loc, "at"], "OA408", f"history[{i}] is earlier than history[{i - 1}]"))
        previous_at = at
        if i == 0:
            if action != CREATE or h.get("to") != wf.start:
                issues.append((loc, "OA406", f"history[0] must be '{CREATE}' into {wf.start!r}"))
            elif wf.create_roles and not any(office.has_role(h["by"], r) for r in wf.create_roles):
                issues.append(
                    (
                        [*loc, "by"],
                        "OA405",
                        f"history[0] '{CREATE}' by {h['by']} needs role "
                        + " or ".join(wf.create_roles),
                    )
                )
            state = h.get("to")
            continue
        assert state is not None
        why = refusal(wf, office, data, str(action), state, str(h.get("by")), kept)
        if why and why[0] == "OA602":
            void.add(i)
            issues.append(
                (
                    [*loc, "action"],
                    "OA406",
                    f"history[{i}]: {action!r} is not allowed in state {state!r}",
                )
            )
            state = h.get("to")
            continue
        if why:
            issues.append(([*loc, "by"], "OA405", f"history[{i}] {why[1]}"))
        spec = wf.actions[str(action)]
        to = wf.target(str(action), state)
        if h.get("from") not in (None, state) or h.get("to") != to:
            issues.append((loc, "OA406", f"history[{i}] {action!r} must go {state!r} -> {to!r}"))
        if spec.opinion == "required" and not h.get("opinion"):
            issues.append((loc, "OA409", f"history[{i}] {action!r} requires an opinion"))
        for f in spec.fields:
            if data.get(f) in (None, "", []):
                issues.append((loc, "OA409", f"history[{i}] {action!r} requires {f}"))
        for f in spec.entry_fields:
            if h.get(f) in (None, "", []):
                issues.append(
                    (loc, "OA409", f"history[{i}] {action!r} requires the entry to carry {f}")
                )
        if spec.guards:
            ctx = GuardContext(
                office,
                wf,
                data,
                [step for j, step in enumerate(steps[:i]) if j not in void] if void else steps[:i],
                str(action),
                str(h.get("by")),
                steps[i].values,
            )
            for g in spec.guards:
                reason = guards[g](ctx)
                if reason:
                    issues.append((loc, "OA410", f"history[{i}] {action!r}: {reason}"))
        state = to
    if data.get("state") != state:
        issues.append(
            (["state"], "OA404", f"state is {data.get('state')!r} but history ends in {state!r}")
        )
    return issues


def check_record(store: Store, loaded: Loaded, text: str | None = None) -> list[Finding]:
    """References and single-record invariants for a record that passed its schema."""
    assert loaded.record is not None and loaded.data is not None
    kind = kinds()[loaded.record.kind]
    data = loaded.data
    issues = reference_issues(store, kind.model, data)
    try:
        wf = store.workflow(kind.name)
    except OAError:
        wf = None
    if wf is not None:
        steps = steps_of(data["history"])
        issues.extend(replay_issues(store.office, wf, data, kind.guards, steps, store.refusals))
        issues.extend(check_pins(store, wf, data, steps))
    for check in kind.record_checks:
        issues.extend(check(store, loaded))
    issues.extend(archive.check_archived(store, loaded))
    if not issues:
        return []
    if text is None:
        try:
            text = (store.root / loaded.path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
    return [
        Finding(loaded.path, yamlio.line_of(text, loc) if text else 1, code, msg)
        for loc, code, msg in issues
    ]


def _config_findings(store: Store) -> tuple[list[Finding], bool]:
    try:
        store.office  # noqa: B018 — loading it is the check
    except OAError as exc:
        return [Finding(exc.path or "oa.yaml", exc.line or 1, exc.code, exc.message)], False
    out: list[Finding] = []
    interrupted = pending(store.root)
    if interrupted is not None:
        out.append(interrupted)
    try:
        store.calendar  # noqa: B018 — loading it is the check
    except OAError as exc:
        out.append(Finding(exc.path or "calendar", exc.line or 1, exc.code, exc.message))
    settings_ok = True
    for name in kinds():
        try:
            store.kind_settings(name)
        except OAError as exc:  # a kind's rules read its settings: its records cannot be checked
            out.append(Finding(exc.path or "oa.yaml", exc.line or 1, exc.code, exc.message))
            settings_ok = False
            continue
        try:
            store.workflow(name)
        except OAError as exc:
            out.append(Finding(exc.path or "oa.yaml", exc.line or 1, exc.code, exc.message))
    return out, settings_ok


def people_in(model: type[BaseModel], data: dict[str, Any]) -> set[str]:
    """Everyone a record names or whose step it records (for `oa list --person`)."""
    found: set[str] = set()
    for key, target in ref_fields(model).items():
        value = data.get(key) if target == "person" else None
        found.update(value if isinstance(value, list) else [value] if value else [])
    for h in data.get("history") or []:
        found.add(str(h.get("by")))
        if h.get("entered_by"):
            found.add(str(h["entered_by"]))
    return found


def validate(store: Store, only: Iterable[Path] = ()) -> Report:
    """Every check on every record. Per-file results come from the `.oa/` index; when no file
    changed since the last run, the whole report does too; when a few changed in no field a
    collection check reads, only they are checked again (see _after_few_changes)."""
    report = Report()
    config_findings, office_ok = _config_findings(store)
    report.findings.extend(config_findings)
    if not office_ok:
        return report
    files = store.scan
    today = now(store).date().isoformat()
    digest = tree_digest(store.root, files, [store.rel(p) for p in store.strays], today)
    cached = load_report(store.root, digest, store.clean_blobs)
    if cached is not None:
        report.checked, found = cached
    else:
        base = [config_digest(store.root), today]
        parts = _after_few_changes(store, files, base)
        whole = parts is None
        if parts is None:
            parts = _whole_report(store, files, base)
        parts.base = base
        found = parts.findings(_stray_findings(store))
        report.checked = parts.checked
        save_report(store.root, digest, report.checked, found, parts.deps)
        parts.save(store.root, every_folder=whole)
    report.findings.extend(found)
    wanted = [store.rel(p) for p in only]
    if wanted:
        report.findings = [
            f
            for f in report.findings
            if any(f.path == w or f.path.startswith(w.rstrip("/") + "/") for w in wanted)
        ]
    report.findings.sort()
    return report


PARTS_DIR = ".oa/report-parts"
_PARTS_FORMAT = 1
#: this many records changed since the last whole report, at most, are checked on their own
FEW_CHANGES = 16
#: what the core collection checks read of every record: duplicate IDs, 件号 series (OA412)
ALWAYS_READ = ("id", "archive")


def collection_inputs(summary: dict[str, Any]) -> tuple[Any, ...]:
    """What the collection checks read of one record (Kind.collection_reads)."""
    try:
        return _inputs_of(str(summary.get("kind")))(summary)  # type: ignore[no-any-return]
    except KeyError:  # a summary without a field the kind declares: read as missing
        reads = (*ALWAYS_READ, *_kind_reads(str(summary.get("kind"))))
        return tuple(summary.get(f) for f in reads)


@cache
def _inputs_of(kind: str) -> Callable[[dict[str, Any]], Any]:
    """Takes the fields out in one C call: a whole validation asks it of 100,000 summaries."""
    return itemgetter(*ALWAYS_READ, *_kind_reads(kind))


def _kind_reads(kind: str) -> tuple[str, ...]:
    known = kinds().get(kind)
    return known.collection_reads if known else ()


def folder_digests(files: Iterable[tuple[str, FileKey]]) -> dict[str, str]:
    """A digest of each year folder's record files and their keys."""
    hashes: dict[str, Any] = {}
    for rel, key in files:
        folder = rel[: rel.rfind("/")]
        h = hashes.get(folder)
        if h is None:
            h = hashes[folder] = hashlib.sha1()
        h.update(f"{rel}\0{key}\n".encode())
    return {folder: h.hexdigest() for folder, h in hashes.items()}


def _flat(findings: Iterable[Finding]) -> list[tuple[Any, ...]]:
    return [(f.path, f.line, f.code, f.message, f.severity) for f in findings]


@dataclass
class Parts:
    """The last whole report in parts, kept in `.oa/report-parts/`: the findings of each file
    and of the collection checks in `head.marshal`; each year folder's file keys, and what the
    collection checks read of each record, in a file of the folder's own under its digest (one
    changed record reads and writes its folder's alone). A record changed in nothing the
    collection checks read needs only its own checks run again."""

    checked: int
    per_record: dict[str, list[Finding]]
    collection: list[Finding]
    deps: dict[str, Any] = field(default_factory=dict)
    #: the configuration's digest and the office's date the findings hold for
    base: list[str] = field(default_factory=list)
    #: each year folder's digest (see folder_digests)
    folders: dict[str, str] = field(default_factory=dict)
    #: the keys and inputs of the folders read or made: folder -> (keys, inputs)
    details: dict[str, tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=dict)

    def findings(self, strays: list[Finding]) -> list[Finding]:
        return [*(f for fs in self.per_record.values() for f in fs), *self.collection, *strays]

    @staticmethod
    def detail_path(root: Path, folder: str) -> Path:
        return root / PARTS_DIR / (folder.replace("/", "-") + ".marshal")

    def save(self, root: Path, every_folder: bool) -> None:
        """Write the folders' details (each under its digest, so a head written after a crash
        never pairs with another run's), then the head; with `every_folder`, those of folders
        gone are removed."""
        head = {
            "format": _PARTS_FORMAT,
            "base": self.base,
            "checked": self.checked,
            "per_record": {rel: _flat(fs) for rel, fs in self.per_record.items()},
            "collection": _flat(self.collection),
            "deps": self.deps,
            "folders": self.folders,
        }
        with contextlib.suppress(OSError):  # a read-only checkout checks everything next time
            (root / PARTS_DIR).mkdir(parents=True, exist_ok=True)
            for folder, (keys, inputs) in self.details.items():
                detail = {"digest": self.folders[folder], "keys": keys, "inputs": inputs}
                write_atomic(self.detail_path(root, folder), marshal.dumps(detail))
            write_atomic(root / PARTS_DIR / "head.marshal", marshal.dumps(head))
            if every_folder:
                kept = {self.detail_path(root, f).name for f in self.folders} | {"head.marshal"}
                for stale in (root / PARTS_DIR).glob("*.marshal"):
                    if stale.name not in kept:
                        stale.unlink()

    @classmethod
    def load(cls, root: Path) -> Parts | None:
        try:
            saved = marshal.loads((root / PARTS_DIR / "head.marshal").read_bytes())
            if not isinstance(saved, dict) or saved.get("format") != _PARTS_FORMAT:
                return None
            return cls(
                saved["checked"],
                {rel: [Finding(*f) for f in fs] for rel, fs in saved["per_record"].items()},
                [Finding(*f) for f in saved["collection"]],
                saved["deps"],
                saved["base"],
                saved["folders"],
            )
        except Exception:  # missing, damaged or another Python's: the whole report is made
            return None

    def detail(self, root: Path, folder: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """A folder's keys and inputs as the head's digest names them (None when missing)."""
        try:
            saved = marshal.loads(self.detail_path(root, folder).read_bytes())
            if isinstance(saved, dict) and saved.get("digest") == self.folders.get(folder):
                return saved["keys"], saved["inputs"]
        except Exception:  # missing or damaged: the whole report is made
            pass
        return None


def _after_few_changes(
    store: Store, files: list[tuple[str, FileKey]], base: list[str]
) -> Parts | None:
    """The report when, since the last whole one, no record file was added or removed and at
    most FEW_CHANGES changed, each in nothing a collection check reads and none named by a
    collection finding: those files are loaded and checked, every other finding kept. None
    when that does not hold (the whole repository is checked)."""
    from oa.core.indexer import build_entry

    parts = Parts.load(store.root)
    if parts is None or parts.base != base:
        return None
    digests = folder_digests(files)
    if digests.keys() != parts.folders.keys():
        return None
    moved = {folder for folder, digest in digests.items() if parts.folders[folder] != digest}
    changed: list[tuple[str, FileKey]] = []
    for folder in sorted(moved):
        detail = parts.detail(store.root, folder)
        if detail is None:  # damaged or missing: the whole report writes it again
            with contextlib.suppress(OSError):
                Parts.detail_path(store.root, folder).unlink()
            return None
        keys = detail[0]
        here = [(rel, key) for rel, key in files if rel.startswith(folder + "/")]
        if len(here) != len(keys) or any(rel not in keys for rel, _ in here):
            return None  # a record added or removed
        changed.extend((rel, key) for rel, key in here if keys[rel] != key)
        if len(changed) > FEW_CHANGES:
            return None
        parts.details[folder] = detail
    clean = store.clean_blobs
    if not all(dep_holds(store.root, rel, seen, clean) for rel, seen in parts.deps.items()):
        return None
    named = {f.path for f in parts.collection}
    for rel, key in changed:
        if rel in named:
            return None
        try:
            raw = (store.root / rel).read_bytes()
        except OSError:
            return None
        entry, _ = build_entry(store, store.load_bytes(rel, raw), key)
        summary = entry.summary
        keys, inputs = parts.details[rel[: rel.rfind("/")]]
        if summary is None or inputs.get(rel) != collection_inputs(summary):
            return None
        if entry.findings:
            parts.per_record[rel] = entry.findings
        else:
            parts.per_record.pop(rel, None)
        keys[rel] = key
        parts.deps.update(entry.deps)
    parts.folders = digests
    return parts


def _whole_report(store: Store, files: list[tuple[str, FileKey]], base: list[str]) -> Parts:
    """Every check over the whole repository, in parts. A year folder whose files are as the
    last report's keeps its file in the parts (it is not written again)."""
    parts, inputs = _whole_repository(store)
    parts.deps = {d: v for e in store.index.entries.values() for d, v in e.deps.items()}
    parts.folders = folder_digests(files)
    last = Parts.load(store.root)
    kept = (
        {
            f
            for f, d in last.folders.items()
            if parts.folders.get(f) == d and Parts.detail_path(store.root, f).is_file()
        }
        if last is not None and last.base == base
        else set()
    )
    for rel, key in files:
        folder = rel[: rel.rfind("/")]
        if folder in kept:
            continue
        keys, folder_inputs = parts.details.setdefault(folder, ({}, {}))
        keys[rel] = key
        if rel in inputs:
            folder_inputs[rel] = inputs[rel]
    return parts


def _whole_repository(store: Store) -> tuple[Parts, dict[str, tuple[Any, ...]]]:
    entries = store.index.entries
    per_record = {rel: e.findings for rel, e in entries.items() if e.findings}
    collection: list[Finding] = []
    seen: dict[str, str] = {}
    for rel in sorted(entries):
        rid = entries[rel].rid
        if rid is None:
            continue
        if rid in seen:
            collection.append(
                Finding(
                    rel,
                    store.line(rel, ["id"]),
                    "OA401",
                    f"duplicate ID {rid} (also in {seen[rid]})",
                )
            )
        else:
            seen[rid] = rel
    with no_gc():
        summaries = [Loaded(rel, data=s) for rel, s in store.index.all_summaries().items()]
        inputs = {loaded.path: collection_inputs(loaded.data or {}) for loaded in summaries}
    by_kind: dict[str, list[Loaded]] = defaultdict(list)
    for loaded in summaries:
        assert loaded.data is not None
        by_kind[str(loaded.data["kind"])].append(loaded)
    for name, kind in kinds().items():
        for check in kind.collection_checks:
            collection.extend(check(store, by_kind.get(name, [])))
    collection.extend(archive.check_items(store, summaries))
    return Parts(len(entries), per_record, collection), inputs


def _stray_findings(store: Store) -> list[Finding]:
    unfinished = pending_files_dir(store.root)  # the journal accounts for it
    return [
        Finding(
            store.rel(p),
            1,
            "OA212",
            "not a record file (records are <ID>.yaml, their files in <ID>.files/)",
        )
        for p in store.strays
        if store.rel(p) != unfinished
    ]

"""`oa validate`: the checks, in layers — syntax (OA1xx) and schema (OA2xx) come from loading;
references (OA3xx) and invariants (OA4xx) are here; audit (OA5xx) is in `oa.core.audit`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from oa.core import archive, yamlio
from oa.core.config import Office
from oa.core.errors import Finding, OAError
from oa.core.identity import now
from oa.core.index import load_report, no_gc, save_report, tree_digest
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
            elif not store.exists(store.path_for(str(v))):
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
                office, wf, data, steps[:i], str(action), str(h.get("by")), steps[i].values
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
    changed since the last run, the whole report does too."""
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
        found = _whole_repository(store)
        entries = store.index.entries
        report.checked = len(entries)
        deps = {d: v for e in entries.values() for d, v in e.deps.items()}
        save_report(store.root, digest, report.checked, found, deps)
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


def _whole_repository(store: Store) -> list[Finding]:
    entries = store.index.entries
    found: list[Finding] = [f for e in entries.values() for f in e.findings]
    seen: dict[str, str] = {}
    for rel in sorted(entries):
        rid = entries[rel].rid
        if rid is None:
            continue
        if rid in seen:
            found.append(
                Finding(
                    rel,
                    store.line(rel, ["id"]),
                    "OA401",
                    f"duplicate ID {rid} (also in {seen[rid]})",
                )
            )
        else:
            seen[rid] = rel
    unfinished = pending_files_dir(store.root)  # the journal accounts for it
    found.extend(
        Finding(
            store.rel(p),
            1,
            "OA212",
            "not a record file (records are <ID>.yaml, their files in <ID>.files/)",
        )
        for p in store.strays
        if store.rel(p) != unfinished
    )
    with no_gc():
        summaries = [Loaded(rel, data=s) for rel, s in store.index.all_summaries().items()]
    by_kind: dict[str, list[Loaded]] = defaultdict(list)
    for loaded in summaries:
        assert loaded.data is not None
        by_kind[str(loaded.data["kind"])].append(loaded)
    for name, kind in kinds().items():
        for check in kind.collection_checks:
            found.extend(check(store, by_kind.get(name, [])))
    found.extend(archive.check_items(store, summaries))
    return found

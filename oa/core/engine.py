"""Creating and advancing records: the one path by which commands change the repository.

Each change is checked before anything is written (workflow, role, guards, schema, references),
written atomically under the repository's write lock, and committed with a structured message.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from oa.core import gitops, yamlio
from oa.core.effects import EffectContext, field_order, place
from oa.core.errors import FindingsError, OAError
from oa.core.identity import Actor, now
from oa.core.journal import journaled, recover
from oa.core.locks import write_lock
from oa.core.pins import pin
from oa.core.registry import Kind, effects_of, kinds
from oa.core.store import MODELINE, Loaded, Store
from oa.core.validate import check_record
from oa.core.workflow import CREATE, GuardContext, refusal, steps_of


@dataclass(frozen=True)
class Change:
    rid: str
    path: str
    action: str
    actor: str
    state: str
    commit: str | None
    entry: Mapping[str, Any]


def parse_value(text: str) -> Any:
    """A --set value, read as a YAML scalar or flow list (`120`, `[a, b]`, `是`)."""
    try:
        return yamlio.load_text(text, "--set")
    except yamlio.YamlProblem:
        return text


def _entry(
    at: datetime,
    actor: Actor,
    action: str,
    frm: str | None,
    to: str,
    opinion: str | None,
    extra: Mapping[str, Any],
) -> CommentedMap:
    e = CommentedMap()
    e["at"] = at.replace(microsecond=0)
    e["by"] = actor.person
    e["action"] = action
    if frm is not None:
        e["from"] = frm
    e["to"] = to
    if opinion:
        e["opinion"] = opinion
    if actor.entered_by:
        e["entered_by"] = actor.entered_by
    for k, v in extra.items():
        e[k] = v
    return e


def _render(record: CommentedMap) -> str:
    return yamlio.dump_roundtrip(record)


def _verify(store: Store, rel: str, text: str) -> Loaded:
    """Check the text we are about to write as validate would; refuse on any error."""
    loaded = store.load_bytes(rel, text.encode("utf-8"))
    if not loaded.findings and loaded.record is not None:
        loaded.findings.extend(
            f for f in check_record(store, loaded, text=text) if f.severity == "error"
        )
    if loaded.findings:
        raise FindingsError(loaded.findings)
    return loaded


def _commit(
    store: Store,
    paths: Sequence[str],
    rid: str,
    action: str,
    actor: Actor,
    no_commit: bool,
    sign: bool = False,
    new_files: bool = False,
) -> str | None:
    if not gitops.is_repo(store.root):
        return None
    if no_commit:
        gitops.stage(store.root, paths)
        return None
    person = store.office.people[actor.person]
    trailers = [("OA-Record", rid), ("OA-Action", action), ("OA-Actor", actor.person)]
    if actor.entered_by:
        trailers.append(("OA-On-Behalf", actor.entered_by))
    subject = f"{rid}: {action} ({person.name})"
    return gitops.commit(
        store.root, paths, subject, trailers, sign=sign, listed=store.listed(), new_files=new_files
    )


def _unstage(store: Store, paths: Sequence[str]) -> None:
    """Undo a failed commit's staging, so the index is as it was before the command."""
    if gitops.is_repo(store.root) and gitops.has_head(store.root):
        gitops.git(store.root, "reset", "-q", "--", *paths, check=False)


def create(
    store: Store,
    kind: Kind,
    fields: Mapping[str, Any],
    actor: Actor,
    *,
    files: Sequence[tuple[Path, str]] = (),
    file_fields: Mapping[str, Any] | None = None,
    no_commit: bool = False,
) -> Change:
    """Make a new record in the workflow's start state. `files` are (source, name) pairs copied
    into the record's `<ID>.files/` folder; `file_fields` names which field refers to which."""
    wf = store.workflow(kind.name)
    office = store.office
    if wf.create_roles and not any(office.has_role(actor.person, r) for r in wf.create_roles):
        raise OAError(
            "OA603",
            f"{office.display(actor.person)} ({actor.person}) may not create a {kind.label}: "
            "needs role " + " or ".join(wf.create_roles),
        )
    for src, _ in files:
        try:
            found = src.is_file()
        except OSError as exc:  # a name the system refuses (too long …)
            raise OAError("OA005", f"cannot use file {str(src)[:200]}: {exc.strerror}") from None
        if not found:
            raise OAError("OA005", f"no such file: {src}")
    with write_lock(store.root):
        recover(store)
        at = now(store)
        rid = store.next_id(kind, at.year)
        path = store.path_for(rid)
        rel = store.rel(path)
        record = CommentedMap()
        record["id"] = rid
        record["kind"] = kind.name
        given = {**fields, **(file_fields or {})}
        unknown = sorted(set(given) - set(kind.model.model_fields))
        if unknown:
            raise OAError("OA005", f"{kind.name} has no field {', '.join(unknown)}")
        for name in field_order(kind.model):
            if name not in ("id", "kind", "state", "history") and name in given:
                record[name] = given[name]
        record["state"] = wf.start
        history = CommentedSeq()
        history.append(_entry(at, actor, CREATE, None, wf.start, None, {}))
        record["history"] = history
        record.yaml_set_start_comment(MODELINE.format(kind=kind.name)[2:])
        text = _render(record)
        files_dir = store.files_dir(rid)
        # a leftover of a crashed create: the ID was never committed, so reuse is safe
        shutil.rmtree(files_dir, ignore_errors=True)
        targets = [rel, *(store.rel(files_dir / name) for _, name in files)]
        with journaled(store, rid, targets, store.rel(files_dir)) as journal:
            try:
                if files:
                    files_dir.mkdir(parents=True)
                for src, name in files:
                    shutil.copyfile(src, files_dir / name)
                _verify(store, rel, text)
                yamlio.atomic_write(path, text)
            except OSError as exc:
                shutil.rmtree(files_dir, ignore_errors=True)
                journal.undone()
                raise OAError("OA007", f"write failed: {exc}", path=rel) from None
            except OAError:
                shutil.rmtree(files_dir, ignore_errors=True)
                journal.undone()
                raise
            try:
                commit = _commit(store, targets, rid, CREATE, actor, no_commit, new_files=True)
            except OAError:
                _unstage(store, targets)
                path.unlink(missing_ok=True)
                shutil.rmtree(files_dir, ignore_errors=True)
                journal.undone()
                raise
        return Change(rid, rel, CREATE, actor.person, wf.start, commit, record["history"][0])


def advance(
    store: Store,
    rid: str,
    action: str,
    actor: Actor,
    *,
    opinion: str | None = None,
    sets: Mapping[str, Any] | None = None,
    entry_values: Mapping[str, Any] | None = None,
    no_commit: bool = False,
) -> Change:
    """Take one workflow action on a record. `sets` change record fields the action names;
    `entry_values` go on the history entry itself (the action's `entry_fields`)."""
    sets = dict(sets or {})
    values = dict(entry_values or {})
    with write_lock(store.root):
        recover(store)
        loaded = store.get_valid(rid)
        assert loaded.record is not None and loaded.data is not None
        rec = loaded.record
        kind = kinds()[rec.kind]
        wf = store.workflow(kind.name)
        rel = loaded.path
        state = rec.state
        why = refusal(wf, store.office, loaded.data, action, state, actor.person)
        if why:
            raise OAError(why[0], why[1], path=rel)
        spec = wf.actions[action]
        if spec.signed and actor.entered_by:
            raise OAError(
                "OA603",
                f"{action!r} is a signed approval: {store.office.display(actor.person)} takes it "
                "in person, with their own git identity and signing key",
                path=rel,
            )
        if spec.signed and no_commit:
            raise OAError(
                "OA005", f"{action!r} is a signed approval: it cannot be left uncommitted", path=rel
            )
        if spec.opinion == "required" and not (opinion and opinion.strip()):
            raise OAError("OA606", f"{action!r} needs --opinion", path=rel)
        settable = [*spec.fields, *spec.accepts]
        unknown = [k for k in sets if k not in settable]
        if unknown:
            raise OAError(
                "OA005",
                f"{action!r} does not set {', '.join(unknown)} "
                f"(it sets: {', '.join(settable) or 'nothing'})",
                path=rel,
            )
        stray = [k for k in values if k not in spec.entry_fields]
        if stray:
            raise OAError(
                "OA005",
                f"{action!r} takes no --entry {', '.join(stray)} "
                f"(it takes: {', '.join(spec.entry_fields) or 'none'})",
                path=rel,
            )
        absent = [k for k in spec.entry_fields if values.get(k) in (None, "", [])]
        if absent:
            raise OAError(
                "OA606",
                f"{action!r} needs " + ", ".join(f"--entry {k}=…" for k in absent),
                path=rel,
            )
        ctx = GuardContext(
            store.office,
            wf,
            {**loaded.data, **sets},
            steps_of(loaded.data["history"]),
            action,
            actor.person,
            values,
        )
        for guard in spec.guards:
            reason = kind.guards[guard](ctx)
            if reason:
                raise OAError("OA607", f"{action!r} refused: {reason}", path=rel)
        text = (store.root / rel).read_text(encoding="utf-8")
        record = yamlio.load_roundtrip(text)
        order = field_order(kind.model)
        for key, value in sets.items():
            place(record, order, key, value)
        missing = [f for f in spec.fields if record.get(f) in (None, "", [])]
        if missing:
            raise OAError(
                "OA606",
                f"{action!r} needs " + ", ".join(f"--set {m}=…" for m in missing),
                path=rel,
            )
        at = now(store)
        # a clock behind the last entry (another machine, OA_NOW) must not break time order
        at = max(at, rec.history[-1].at)
        extra: dict[str, Any] = dict(values)
        if spec.pins:
            extra["pinned"] = pin(store, record, spec.pins)
        effect_ctx = EffectContext(store, wf, record, action, actor.person, at, order)
        effects = effects_of(kind)
        for effect in spec.effects:
            try:
                extra.update(effects[effect](effect_ctx))
            except OAError as exc:  # a kind's refusal names the record it refuses
                exc.path = exc.path or rel
                raise
        to = wf.target(action, state)
        entry = _entry(at, actor, action, state, to, opinion, extra)
        record["history"].append(entry)
        record["state"] = to
        new_text = _render(record)
        _verify(store, rel, new_text)
        with journaled(store, rid, [rel]) as journal:
            try:
                yamlio.atomic_write(store.root / rel, new_text)
            except OAError:
                journal.undone()  # (an atomic write that failed left the file as it was)
                raise
            try:
                commit = _commit(store, [rel], rid, action, actor, no_commit, sign=spec.signed)
            except OAError:
                _unstage(store, [rel])
                yamlio.atomic_write(store.root / rel, text)
                journal.undone()
                raise
        return Change(rid, rel, action, actor.person, to, commit, entry)

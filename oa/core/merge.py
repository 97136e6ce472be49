"""Merging one record changed on two branches (S-GEN-2: every step stays traceable — a merge must
keep who did what and when from both sides, never one side's steps at the other's expense).

`merge_record` is a pure three-way merge of a record's texts: a field changed on one side only is
taken from that side; the two sides' new `history` entries are interleaved in time order after the
common base; the same field changed differently on both sides is a real conflict. `drive` is the
git merge driver (`merge.oa-records.driver`) and `resolve` rebuilds a record that a plain
`git merge` left with conflict markers. Both re-check the merged record as `oa validate` would, so a
merge that is clean for git but breaks the workflow (two branches numbered one document) is refused.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from oa.core import gitops, yamlio
from oa.core.errors import EXIT_FINDINGS, Finding, FindingsError, OAError
from oa.core.locate import find_root
from oa.core.locks import write_lock
from oa.core.store import Store

_MISSING: Any = object()


@dataclass(frozen=True)
class Merged:
    """The merged record text, and what came from the other side (for the message)."""

    text: str
    fields: tuple[str, ...] = ()
    entries: int = 0


@dataclass(frozen=True)
class Conflict:
    """What oa cannot decide: the fields both sides changed differently, and why."""

    fields: tuple[str, ...]
    details: tuple[str, ...]

    @property
    def message(self) -> str:
        return "; ".join(self.details)


class _Unmergeable(Exception):
    pass


def _utc(value: datetime) -> datetime:
    # ruamel < 0.18.7 gives naive TimeStamps already shifted to UTC; newer ones are aware
    return value.astimezone(UTC) if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _plain(value: Any) -> Any:
    """A comparable form: mappings without order or comments, times in UTC."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return _utc(value)
    return value


def _same(a: Any, b: Any) -> bool:
    if a is _MISSING or b is _MISSING:
        return a is b
    return bool(_plain(a) == _plain(b))


def _canon(entry: Any) -> str:
    return json.dumps(_plain(entry), ensure_ascii=False, sort_keys=True, default=str)


_EARLIEST = datetime.min.replace(tzinfo=UTC)


def _when(entry: Any) -> datetime:
    at = entry.get("at") if isinstance(entry, Mapping) else None
    if isinstance(at, str):
        try:
            at = datetime.fromisoformat(at)
        except ValueError:
            return _EARLIEST
    return _utc(at) if isinstance(at, datetime) else _EARLIEST


def _interleave(ours: Sequence[Any], theirs: Sequence[Any]) -> list[tuple[bool, Any]]:
    """Both sides' new entries in time order, each side's own order kept (it is the order its
    steps were taken). Equal times are broken by content, so the result does not depend on which
    branch is merged into which. Pairs are (from theirs?, entry)."""
    out: list[tuple[bool, Any]] = []
    i = j = 0
    while i < len(ours) and j < len(theirs):
        a, b = ours[i], theirs[j]
        if (_when(a), _canon(a)) <= (_when(b), _canon(b)):
            out.append((False, a))
            i += 1
        else:
            out.append((True, b))
            j += 1
    out.extend((False, e) for e in ours[i:])
    out.extend((True, e) for e in theirs[j:])
    return out


def _load(text: str, side: str, *, empty_ok: bool = False) -> Any:
    if empty_ok and not text.strip():
        return CommentedMap()
    try:
        data = yamlio.load_roundtrip(text)
    except Exception as exc:  # ruamel raises many types; any of them means "cannot read"
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise _Unmergeable(f"{side} is not valid YAML ({first})") from None
    if not isinstance(data, CommentedMap):
        raise _Unmergeable(f"{side} is not a record (a YAML mapping)")
    return data


def _history(data: Mapping[str, Any], side: str) -> list[Any]:
    value = data.get("history", [])
    if not isinstance(value, list):
        raise _Unmergeable(f"{side}'s history is not a list")
    return list(value)


def _insert_like(target: CommentedMap, source: Mapping[str, Any], key: str, value: Any) -> None:
    """Add `key` to `target` after the key that precedes it in `source`, so the file keeps its
    field order (state and history last) and the diff stays small."""
    keys = list(source)
    before = keys[: keys.index(key)] if key in keys else []
    anchor = next((k for k in reversed(before) if k in target), None)
    position = list(target).index(anchor) + 1 if anchor is not None else 0
    target.insert(position, key, value)


def merge_record(base: str, ours: str, theirs: str) -> Merged | Conflict:
    """Three-way merge of one record's YAML texts (base may be empty: added on both sides).

    The result keeps ours' comments, quoting and key order. `history` becomes the common base,
    then both sides' new entries (duplicates once) in time order, and `state` its last `to`.
    """
    try:
        b = _load(base, "the common base", empty_ok=True)
        o = _load(ours, "ours")
        t = _load(theirs, "theirs")
        bh, oh, th = _history(b, "the base"), _history(o, "ours"), _history(t, "theirs")
    except _Unmergeable as exc:
        return Conflict((), (str(exc),))
    details: list[str] = []
    for side, hist in (("ours", oh), ("theirs", th)):
        if len(hist) < len(bh) or not all(_same(x, y) for x, y in zip(hist, bh, strict=False)):
            details.append(
                f"{side} changed or removed history entries of the common base "
                "(history is append-only)"
            )
    if details:
        return Conflict(("history",), tuple(details))
    ours_new = oh[len(bh) :]
    seen = {_canon(e) for e in ours_new}
    theirs_new = [e for e in th[len(bh) :] if _canon(e) not in seen]
    appended = bool(ours_new or theirs_new)

    conflicts: list[str] = []
    taken: list[str] = []
    keys = [*o, *(k for k in t if k not in o), *(k for k in b if k not in o and k not in t)]
    for key in keys:
        if key == "history" or (key == "state" and appended):
            continue
        bv, ov, tv = (x.get(key, _MISSING) for x in (b, o, t))
        if _same(ov, tv) or _same(tv, bv):
            continue
        if not _same(ov, bv):
            conflicts.append(key)
            details.append(f"{key} changed on both sides ({_show(ov)} / {_show(tv)})")
            continue
        taken.append(key)
        if tv is _MISSING:
            del o[key]
        elif key in o:
            o[key] = tv
        else:
            _insert_like(o, t, key, tv)
    if conflicts:
        return Conflict(tuple(conflicts), tuple(details))

    if theirs_new:
        seq = o.get("history")
        if not isinstance(seq, CommentedSeq):
            seq = CommentedSeq(seq or [])
            if "history" in o:
                o["history"] = seq
            else:
                o.insert(len(o), "history", seq)
        for n, (from_theirs, entry) in enumerate(_interleave(ours_new, theirs_new)):
            if from_theirs:
                seq.insert(len(bh) + n, entry)
    if appended:
        last = o["history"][-1]
        if isinstance(last, Mapping) and "to" in last:
            if "state" in o:
                o["state"] = last["to"]
            else:
                o.insert(list(o).index("history"), "state", last["to"])
    return Merged(yamlio.dump_roundtrip(o), tuple(taken), len(theirs_new))


def _show(value: Any) -> str:
    if value is _MISSING:
        return "removed"
    text = json.dumps(_plain(value), ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "…"


# -- checking, the git merge driver, `oa resolve` ---------------------------------------------


class MergeRefused(FindingsError):
    """The merge is clean for git but the record it makes would not pass `oa validate`."""

    def __init__(self, findings: list[Finding], exit_code: int | None = None) -> None:
        super().__init__(findings, code="OA611")
        if exit_code is not None:
            self.exit_code = exit_code

    def format(self) -> str:
        lines = [f.format() for f in self.findings]
        lines.append(
            f"{self.path}: {self.code} the merged history breaks the workflow "
            f"({len(self.findings)} finding(s) above): the branches took steps that cannot both "
            "stand. Abort the merge (git merge --abort), drop the step from "
            "one branch before it is shared, and merge again"
        )
        return "\n".join(lines)


def recheck(store: Store, rel: str, text: str) -> list[Finding]:
    """The errors `oa validate` would report on this record text (schema, references, replay)."""
    from oa.core.validate import check_record  # validate pulls in every kind: load it late

    loaded = store.load_bytes(rel, text.encode("utf-8"))
    if loaded.findings or loaded.record is None:
        return loaded.findings
    return [f for f in check_record(store, loaded, text=text) if f.severity == "error"]


def _with_markers(ours: Path, base: Path, theirs: Path) -> str:
    """git's own line merge with conflict markers, left for a person (or `oa resolve`)."""
    return gitops.git(
        Path.cwd(),
        "merge-file",
        "-p",
        "-L",
        "ours",
        "-L",
        "base",
        "-L",
        "theirs",
        str(ours),
        str(base),
        str(theirs),
        check=False,
    )


def _read(path: Path, side: str) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise OAError("OA007", f"cannot read {side} ({path}): {exc}") from None
    except UnicodeDecodeError:
        return "\x00not UTF-8"  # not YAML: reported as a conflict


def drive(base: Path, ours: Path, theirs: Path, path: str) -> Merged:
    """Git merge driver: merge into `ours` (git's %A) and return; on a conflict, leave git's
    conflict markers in `ours` and raise (exit 1, which git takes as "conflict")."""
    texts = [_read(p, s) for p, s in ((base, "base"), (ours, "ours"), (theirs, "theirs"))]
    result = merge_record(*texts)
    if isinstance(result, Conflict):
        yamlio.atomic_write(ours, _with_markers(ours, base, theirs))
        raise OAError(
            "OA610",
            f"merge conflict: {result.message}; edit the file, keeping every history entry of "
            "both sides, then git add it",
            path=path,
            exit_code=EXIT_FINDINGS,
        )
    target = Path.cwd() / path
    try:
        store: Store | None = Store(find_root(target.parent))
    except OAError:
        store = None  # not in a records repository: nothing to check against
    if store is not None:
        findings = recheck(store, store.rel(target), result.text)
        if findings:
            yamlio.atomic_write(ours, _with_markers(ours, base, theirs))
            raise MergeRefused(findings, exit_code=EXIT_FINDINGS)
    yamlio.atomic_write(ours, result.text)
    return result


def _unmerged(store: Store, rel: str) -> dict[int, str]:
    """The conflict stages git holds for a file: {1: base blob, 2: ours, 3: theirs}."""
    out = gitops.git(store.root, "ls-files", "-u", "-z", "--", rel)
    stages: dict[int, str] = {}
    for item in out.split("\0"):
        if item.strip():
            _mode, sha, stage = item.split("\t", 1)[0].split()
            stages[int(stage)] = sha
    return stages


def _blob(store: Store, sha: str) -> str:
    try:
        proc = subprocess.run(
            ["git", "cat-file", "blob", sha], cwd=store.root, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise OAError("OA004", "git is not installed") from None
    if proc.returncode != 0:
        raise OAError("OA004", f"git cat-file failed: {proc.stderr.decode(errors='replace')}")
    try:
        return proc.stdout.decode("utf-8")
    except UnicodeDecodeError:
        return "\x00not UTF-8"


def resolve(store: Store, rid: str) -> tuple[str, Merged]:
    """Rebuild a record that `git merge` left in conflict from git's three stages, check it,
    write it and `git add` it. The merge commit is left to the person finishing the merge."""
    path = store.path_for(rid)
    rel = store.rel(path)
    stages = _unmerged(store, rel)
    if not stages:
        raise OAError("OA612", f"{rid} is not in a merge conflict (nothing to resolve)", path=rel)
    if 2 not in stages or 3 not in stages:
        side = "ours" if 2 not in stages else "theirs"
        raise OAError(
            "OA610",
            f"merge conflict: {rid} was deleted on {side} (records are never deleted, OA504); "
            "keep the other side's version with git checkout --ours/--theirs",
            path=rel,
        )
    base = _blob(store, stages[1]) if 1 in stages else ""
    result = merge_record(base, _blob(store, stages[2]), _blob(store, stages[3]))
    if isinstance(result, Conflict):
        raise OAError(
            "OA610",
            f"merge conflict: {result.message}; edit the file, keeping every history entry of "
            "both sides, then git add it",
            path=rel,
        )
    with write_lock(store.root):
        findings = recheck(store, rel, result.text)
        if findings:
            raise MergeRefused(findings)
        yamlio.atomic_write(path, result.text)
        gitops.stage(store.root, [rel])
    return rel, result

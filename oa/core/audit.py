"""`oa audit`: the git history of every record proves who did what (S-GEN-2).

For each commit in the range that touches a record: history only grows (OA501), state never moves
without a history entry (OA502), each new entry was committed by the person it names or entered for
them by an authorised clerk (OA503), and no record is deleted (OA504). Commits that carry an
`OA-Import:` trailer bring records in from elsewhere and are trusted as a starting point.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import tempfile
from typing import Any

from oa.core.config import Office, parse_office
from oa.core.errors import Finding, OAError
from oa.core.history import (
    BlobReader,
    Commit,
    changed_between,
    commits,
    history_equal,
    merge_commits,
    parse_version,
    version_problem,
)
from oa.core.locate import CONFIG_FILE, ID_RE
from oa.core.registry import effects_of, kinds
from oa.core.store import Store
from oa.core.validate import Report
from oa.core.workflow import CREATE, Workflow, parse_workflow

_GOOD = re.compile(r'Good "git" signature for (\S+) with')


def _is_record(rel: str | None) -> bool:
    if rel is None:
        return False
    parts = rel.split("/")
    return (
        len(parts) == 3
        and parts[1].isdigit()
        and parts[2].endswith(".yaml")
        and bool(ID_RE.match(parts[2][:-5]))
    )


class ConfigAt:
    """The office and its workflows as they were committed at a given point: who held which role
    then, and what the process was, is what a step is judged by (roles are versioned with oa.yaml)."""

    def __init__(self, store: Store, blobs: BlobReader) -> None:
        self.store = store
        self.blobs = blobs
        self._offices: dict[bytes, Office | None] = {}
        self._workflows: dict[tuple[bytes, bytes, str], Workflow | None] = {}
        self._signers: dict[str, str] = {}

    def signer(self, sha: str, office: Office) -> str | None:
        """The person whose listed SSH key made the commit's signature, if it is good."""
        signers = "".join(
            f'{p.email} namespaces="git" {key}\n'
            for p in office.people.values()
            for key in p.signing_keys
        )
        if not signers:
            return None
        if signers not in self._signers:
            fd, path = tempfile.mkstemp(prefix="oa-allowed-signers-")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(signers)
            self._signers[signers] = path
        out = subprocess.run(
            [
                "git",
                "-c",
                f"gpg.ssh.allowedSignersFile={self._signers[signers]}",
                "verify-commit",
                sha,
            ],
            cwd=self.store.root,
            capture_output=True,
            text=True,
            check=False,
        )
        m = _GOOD.search(out.stderr + out.stdout)
        return office.find_person(m.group(1)) if out.returncode == 0 and m else None

    def close(self) -> None:
        for path in self._signers.values():
            with contextlib.suppress(OSError):
                os.unlink(path)

    def office(self, sha: str) -> Office | None:
        data = self.blobs.read(sha, CONFIG_FILE)
        if data is None:
            return None
        if data not in self._offices:
            try:
                self._offices[data] = parse_office(data)
            except OAError:
                self._offices[data] = None
        return self._offices[data]

    def workflow(self, sha: str, kind: str, office: Office) -> Workflow | None:
        data = self.blobs.read(sha, f"workflows/{kind}.yaml")
        k = kinds().get(kind)
        if data is None or k is None:
            return None
        key = (self.blobs.read(sha, CONFIG_FILE) or b"", data, kind)
        if key not in self._workflows:
            try:
                self._workflows[key] = parse_workflow(
                    data, kind, office, k.guards, effects_of(k), k.model.model_fields
                )
            except OAError:
                self._workflows[key] = None
        return self._workflows[key]


def _check_entries(
    config: ConfigAt, c: Commit, rel: str, record: dict[str, Any], start: int
) -> list[Finding]:
    """New entries: committed by their actor (or an authorised clerk), by someone who held the
    role the workflow named — both as oa.yaml and the workflow stood in that commit."""
    office = config.office(c.sha) or config.store.office
    entries = record.get("history") or []
    wf = config.workflow(c.sha, str(record.get("kind")), office)
    out: list[Finding] = []
    author = office.find_person(c.email)
    clerk = c.trailers.get("OA-On-Behalf")
    for i, entry in enumerate(entries[start:], start):
        if not isinstance(entry, dict):
            continue
        actor = str(entry.get("by"))
        on_behalf = (
            clerk is not None
            and author == clerk
            and entry.get("entered_by") == clerk
            and any(office.has_role(clerk, r) for r in office.audit.on_behalf_roles)
        )
        if not (author is not None and author == actor) and not on_behalf:
            who = author or c.email
            out.append(
                Finding(
                    rel,
                    0,
                    "OA503",
                    f"commit {c.sha[:10]}: history[{i}] names {actor} but was committed by "
                    f"{who}"
                    + (f" (on behalf of, but {clerk} may not enter for others)" if clerk else ""),
                )
            )
        action = str(entry.get("action"))
        if wf is None or action == CREATE or action not in wf.actions:
            continue
        if wf.actions[action].signed and config.signer(c.sha, office) != actor:
            out.append(
                Finding(
                    rel,
                    0,
                    "OA507",
                    f"commit {c.sha[:10]}: history[{i}] {action!r} by {actor} is a signed "
                    "approval, but the commit is not signed with a key oa.yaml lists for "
                    f"{actor}",
                )
            )
        roles = wf.roles_for(action, str(entry.get("from")))
        if roles and not any(office.has_role(actor, r) for r in roles):
            out.append(
                Finding(
                    rel,
                    0,
                    "OA506",
                    f"commit {c.sha[:10]}: history[{i}] {action!r} by {actor}, who did not "
                    f"hold {' or '.join(roles)} in oa.yaml as it stood then",
                )
            )
    return out


def _contains_in_order(merged: list[Any], parent: list[Any]) -> bool:
    """Every entry of `parent` is in `merged`, unchanged and in the same order."""
    pos = 0
    for entry in parent:
        while pos < len(merged) and not history_equal([merged[pos]], [entry]):
            pos += 1
        if pos == len(merged):
            return False
        pos += 1
    return True


def _audit_merges(store: Store, blobs: BlobReader, rev_range: str | None) -> list[Finding]:
    """A merge may interleave both sides' histories, but must keep every entry of each parent."""
    out: list[Finding] = []
    for sha, parents in merge_commits(store, rev_range):
        for parent in parents:
            for rel in changed_between(store, parent, sha):
                if not _is_record(rel):
                    continue
                before = parse_version(blobs.read(parent, rel), rel)
                after = parse_version(blobs.read(sha, rel), rel)
                if before is None or after is None:
                    continue
                if not _contains_in_order(after.get("history") or [], before.get("history") or []):
                    out.append(
                        Finding(
                            rel,
                            0,
                            "OA501",
                            f"merge {sha[:10]}: history entries of parent {parent[:10]} were "
                            "changed or dropped",
                        )
                    )
    return out


def audit(store: Store, rev_range: str | None = None) -> Report:
    report = Report()
    with BlobReader(store.root) as blobs, contextlib.closing(ConfigAt(store, blobs)) as config:
        report.findings.extend(_audit_merges(store, blobs, rev_range))
        for c in commits(store, rev_range):
            if "OA-Import" in c.trailers:
                continue  # records brought in from elsewhere: the trusted starting point
            for status, old, new in c.changes:
                if not (_is_record(old) or _is_record(new)):
                    continue
                report.checked += 1
                if status == "D":
                    report.findings.append(
                        Finding(str(old), 0, "OA504", f"commit {c.sha[:10]} deleted the record")
                    )
                    continue
                assert new is not None
                blob = blobs.read(c.sha, new)
                after = parse_version(blob, new)
                if after is None:
                    report.findings.append(
                        Finding(
                            new, 0, "OA505", f"commit {c.sha[:10]}: {version_problem(blob, new)}"
                        )
                    )
                    continue
                before = None
                if status in ("M", "R") and old and c.parents:
                    before = parse_version(blobs.read(c.parents[0], old), old)
                new_hist: list[Any] = (
                    after["history"] if isinstance(after.get("history"), list) else []
                )
                old_hist: list[Any] = []
                if before is not None and isinstance(before.get("history"), list):
                    old_hist = before["history"]
                if old_hist and not history_equal(new_hist[: len(old_hist)], old_hist):
                    which = next(
                        (
                            i
                            for i, (a, b) in enumerate(zip(old_hist, new_hist, strict=False))
                            if not history_equal([a], [b])
                        ),
                        min(len(old_hist), len(new_hist)),
                    )
                    report.findings.append(
                        Finding(
                            new,
                            0,
                            "OA501",
                            f"commit {c.sha[:10]}: history[{which}] changed or removed after "
                            "it was committed",
                        )
                    )
                if (
                    before is not None
                    and before.get("state") != after.get("state")
                    and len(new_hist) <= len(old_hist)
                ):
                    report.findings.append(
                        Finding(
                            new,
                            0,
                            "OA502",
                            f"commit {c.sha[:10]}: state {before.get('state')} -> "
                            f"{after.get('state')} with no history entry",
                        )
                    )
                report.findings.extend(_check_entries(config, c, new, after, len(old_hist)))
    report.findings.sort()
    return report

"""`oa audit`: the git history of every record proves who did what (S-GEN-2).

For each commit in the range that touches a record: history only grows (OA501), state never moves
without a history entry (OA502), each new entry was committed by the person it names or entered for
them by an authorised clerk (OA503), and no record is deleted (OA504). Commits that carry an
`OA-Import:` trailer bring records in from elsewhere and are trusted as a starting point.
"""

from __future__ import annotations

from typing import Any

from oa.core.errors import Finding
from oa.core.history import (
    BlobReader,
    Commit,
    commits,
    history_equal,
    parse_version,
    version_problem,
)
from oa.core.record import ID_RE
from oa.core.store import Store
from oa.core.validate import Report


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


def _check_entries(
    store: Store, c: Commit, rel: str, entries: list[Any], start: int
) -> list[Finding]:
    office = store.office
    out: list[Finding] = []
    author = office.find_person(c.email)
    clerk = c.trailers.get("OA-On-Behalf")
    for i, entry in enumerate(entries[start:], start):
        if not isinstance(entry, dict):
            continue
        actor = str(entry.get("by"))
        if author is not None and author == actor:
            continue
        if (
            clerk is not None
            and author == clerk
            and entry.get("entered_by") == clerk
            and any(office.has_role(clerk, r) for r in office.audit.on_behalf_roles)
        ):
            continue
        who = author or c.email
        out.append(
            Finding(
                rel,
                0,
                "OA503",
                f"commit {c.sha[:10]}: history[{i}] names {actor} but was committed by {who}"
                + (f" (on behalf of, but {clerk} may not enter for others)" if clerk else ""),
            )
        )
    return out


def audit(store: Store, rev_range: str | None = None) -> Report:
    report = Report()
    with BlobReader(store.root) as blobs:
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
                report.findings.extend(_check_entries(store, c, new, new_hist, len(old_hist)))
    report.findings.sort()
    return report

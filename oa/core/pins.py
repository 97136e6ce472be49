"""Approvals pin content (S-GEN-2): a sign-off, 会签 or 批办 stores a hash of what was approved —
the fields its workflow action names in `pins`, and for `body` and `attachments` the files
themselves — so an edit after approval is flagged (OA414) until the record is approved again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import Any

from oa.core.registry import Issue, kind_named
from oa.core.store import Store
from oa.core.workflow import Step, Workflow, since_last_sendback, steps_of
from oa.core.yamlio import canonical_json


def _files(field: str, value: Any) -> list[str]:
    """The files in `<ID>.files/` that a pinned field names (the body, each attachment)."""
    if field == "body" and isinstance(value, str):
        return [value]
    if field == "attachments" and isinstance(value, list):
        return [str(a["file"]) for a in value if isinstance(a, dict) and a.get("file")]
    return []


def pinned_value(kind: str, field: str, value: Any) -> Any:
    """What an approval holds of a field (Kind.pin_views): the value itself, unless the kind
    says otherwise."""
    known = kind_named(kind)
    view = known.pin_views.get(field) if known is not None else None
    return view(value) if view is not None else value


def pin(store: Store, data: Any, fields: Iterable[str], views: bool = True) -> str:
    """`views=False`: every field as written, as approvals were pinned before Kind.pin_views."""
    h = hashlib.sha256()
    folder = store.files_dir(str(data["id"]))
    kind = str(data.get("kind"))
    for name in sorted(fields):
        value = data.get(name)
        held = pinned_value(kind, name, value) if views else value
        h.update(canonical_json([name, held]).encode())
        for file in _files(name, value):
            h.update(file.encode())
            h.update(store.file_content(folder / file))
    return "sha256:" + h.hexdigest()


def check_pins(
    store: Store, wf: Workflow, data: dict[str, Any], steps: list[Step] | None = None
) -> Iterator[Issue]:
    """Every approval of the current round still covers the record as it is now: a later
    approval by someone else does not stand in for the first approver's. (`steps`: the
    history's, when the caller has them already.)"""
    history = data.get("history") or []
    if steps is None:
        steps = steps_of(history)
    for i in sorted(s.index for s in since_last_sendback(wf, steps)):
        entry = history[i]
        pinned = entry.get("pinned")
        action = wf.actions.get(str(entry.get("action")))
        if not pinned or action is None or not action.pins:
            continue
        if pin(store, data, action.pins) != pinned and not _pinned_before_views(
            store, data, action.pins, pinned
        ):
            yield (
                ["history", i, "pinned"],
                "OA414",
                (
                    f"history[{i}] {entry.get('action')!r} by {entry.get('by')} approved content that "
                    f"has changed since ({', '.join(action.pins)}): approve it again"
                ),
            )


def _pinned_before_views(store: Store, data: Any, fields: Iterable[str], pinned: Any) -> bool:
    """An approval pinned before its kind held a field by a view still stands for the content
    it pinned as written."""
    known = kind_named(str(data.get("kind")))
    if known is None or not any(f in known.pin_views for f in fields):
        return False
    return bool(pin(store, data, fields, views=False) == pinned)

"""Where the records repository and a record's file are, known without loading anything.

A command that only reads git (`oa log`) finds its way here instead of through the store, whose
configuration, workflows and kinds cost a seventh of a second to import.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from oa.core.errors import OAError

CONFIG_FILE = "oa.yaml"
ID_RE = re.compile(r"^(?P<prefix>[A-Z]{2,8})-(?P<year>\d{4})-(?P<seq>\d{4,6})$")


def find_root(start: Path) -> Path:
    """Walk up from `start` to the directory holding oa.yaml, as git finds its repository."""
    here = start.resolve()
    for candidate in (here, *here.parents):
        if (candidate / CONFIG_FILE).is_file():
            return candidate
    raise OAError(
        "OA001",
        f"not inside an oa records repository (no {CONFIG_FILE} in {here} or any parent); "
        "use --root or run `oa init`",
    )


def given_root(root: Path) -> Path:
    """A --root taken as given: a missing oa.yaml there is an error later, not a search."""
    try:
        usable = root.is_dir()
    except OSError as exc:  # a name too long, a loop of links …
        raise OAError("OA001", f"--root is not usable: {exc.strerror}") from None
    if not usable:
        raise OAError("OA001", f"--root {str(root)[:200]} is not a directory")
    return root


def record_file(root: Path, rid: str) -> str | None:
    """The file (relative to the root) of the record `rid` as it lies in its kind's year
    folder, `<kind>/<year>/<rid>.yaml`; None when no folder holds it."""
    m = ID_RE.match(rid)
    if not m:
        raise OAError("OA605", f"{rid!r} is not a record ID (PREFIX-YYYY-NNNN)")
    with os.scandir(root) as top:
        folders = sorted(e.name for e in top if e.is_dir() and not e.name.startswith("."))
    for folder in folders:
        rel = f"{folder}/{m['year']}/{rid}.yaml"
        if os.path.isfile(root / rel):
            return rel
    return None

"""Reading and writing record YAML.

Bulk reads use the libyaml-backed loader in `oa.core.fastyaml` (fast, no line numbers); edits use
ruamel.yaml's round-trip mode so a person's comments and key order survive. Line numbers for a
finding are recovered on demand by re-reading only the file that has one.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import tempfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from oa.core import fastyaml
from oa.core.errors import Finding, OAError

if TYPE_CHECKING:
    from ruamel.yaml import YAML

MAX_RECORD_BYTES = 1024 * 1024
MAX_DEPTH = 32

# A node can only start with & or * when it is an anchor or alias; quoted text can contain either,
# so a hit here is confirmed with the event parser before anything is reported.
_ANCHOR_HINT = re.compile(r"(?:^|[\s\[{,:\-?])[&*][^\s,\[\]{}]", re.MULTILINE)


class YamlProblem(Exception):
    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def _represent_datetime(representer: Any, value: datetime) -> Any:
    # ISO 8601 with a "T", which YAML reads back as a timestamp and JSON Schema calls date-time
    return representer.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_ODD_BREAKS = ("\x85", "\u2028", "\u2029")


def _represent_str(representer: Any, value: str) -> Any:
    # NEL and the Unicode line separators are folded away in plain or single-quoted scalars:
    # double quotes keep them as escapes, so an opinion is read back exactly as written
    if any(c in value for c in _ODD_BREAKS):
        return representer.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return representer.represent_str(value)


def _rt_yaml() -> YAML:
    from ruamel.yaml import YAML  # imported for edits only: commands that read do without it

    y = YAML(typ="rt")
    y.width = 4096
    y.allow_unicode = True
    y.indent(mapping=2, sequence=4, offset=2)
    y.preserve_quotes = True
    y.representer.add_representer(datetime, _represent_datetime)
    y.representer.add_representer(str, _represent_str)
    # a value used twice must be written twice: records never carry anchors (OA103)
    y.representer.ignore_aliases = lambda _data: True
    return y


def decode(data: bytes, path: str) -> str:
    if len(data) > MAX_RECORD_BYTES:
        raise YamlProblem(
            Finding(
                path,
                1,
                "OA104",
                f"file is {len(data)} bytes; records are limited to {MAX_RECORD_BYTES}",
            )
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlProblem(
            Finding(
                path,
                line,
                "OA102",
                f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            )
        ) from None


def _check_aliases(text: str, path: str) -> None:
    if not ("&" in text or "*" in text) or not _ANCHOR_HINT.search(text):
        return
    try:
        line = fastyaml.has_anchor(text)
    except yaml.YAMLError:
        return  # the loader reports the syntax error with its position
    if line is not None:
        raise YamlProblem(
            Finding(path, line, "OA103", "YAML anchors/aliases are not allowed in records")
        )


def _depth(value: Any) -> int:
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            return level
        if isinstance(node, dict):
            stack.extend((v, level + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, level + 1) for v in node)
    return deepest


def _deep_line(text: str) -> int:
    """The line where nesting first goes past MAX_DEPTH (read from the parser's events)."""
    depth = 0
    for event in yaml.parse(text, Loader=fastyaml.Loader12):
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return int(event.start_mark.line) + 1
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
    return 1


def _syntax_finding(exc: Exception, path: str) -> Finding:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    col = f" (column {mark.column + 1})" if mark is not None else ""
    return Finding(path, line, "OA101", f"YAML syntax error: {problem}{col}")


def load_text(text: str, path: str) -> Any:
    """Parse trusted-shape YAML text with the C loader; raise YamlProblem with a coded finding."""
    _check_aliases(text, path)
    try:
        data, depth = fastyaml.load_with_depth(text)
    except yaml.YAMLError as exc:
        finding = _syntax_finding(exc, path)
        if "nesting depth" in finding.message:  # libyaml's own limit, far past ours
            finding = Finding(
                path, finding.line, "OA104", f"YAML nested deeper than {MAX_DEPTH} levels"
            )
        raise YamlProblem(finding) from None
    except RecursionError:
        raise YamlProblem(Finding(path, 1, "OA104", "YAML nested too deeply")) from None
    except (ValueError, TypeError, OverflowError, KeyError, AttributeError) as exc:
        # a tag whose value does not fit it (`!!timestamp soon`, `!!bool x`)
        raise YamlProblem(Finding(path, 1, "OA101", f"YAML value error: {exc!r}")) from None
    if (_depth(data) if depth is None else depth) > MAX_DEPTH:
        raise YamlProblem(
            Finding(path, _deep_line(text), "OA104", f"YAML nested deeper than {MAX_DEPTH} levels")
        )
    return data


def load_bytes(data: bytes, path: str) -> Any:
    return load_text(decode(data, path), path)


def load_mapping(data: bytes, path: str) -> dict[str, Any]:
    value = load_bytes(data, path)
    if not isinstance(value, dict):
        found = "nothing" if value is None else type(value).__name__
        raise YamlProblem(
            Finding(path, 1, "OA105", f"a record must be a YAML mapping, found {found}")
        )
    return value


def load_roundtrip(text: str) -> Any:
    return _rt_yaml().load(text)


def dump_roundtrip(data: Any) -> str:
    buf = io.StringIO()
    _rt_yaml().dump(data, buf)
    return buf.getvalue()


def line_of(text: str, loc: Sequence[str | int]) -> int:
    """1-based line of the deepest existing key along `loc` in YAML text; 1 if unknown."""
    try:
        node: Any = _rt_yaml().load(text)
    except Exception:
        return 1
    line = 1
    for key in loc:
        try:
            marks: Any = getattr(node, "lc", None)
            if marks is None:
                break
            if isinstance(key, int) and isinstance(node, list):
                line = marks.item(key)[0] + 1
            elif isinstance(node, dict) and key in node:
                line = marks.key(key)[0] + 1
            else:
                break
            node = node[key]
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    return line


def atomic_write(path: Path, text: str) -> None:
    """Write via a temp file and rename, so a reader or a crash never sees half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OAError("OA007", f"write failed: {exc}", path=str(path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OAError("OA007", f"write failed: {exc}", path=str(path)) from None
    try:
        dirfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dirfd)
        finally:
            os.close(dirfd)
    except OSError:
        pass


def plain(value: Any) -> Any:
    """Plain JSON-able data, the same whether read by the round-trip or the bulk loader (for
    hashing what a record holds). The exact built-in types the bulk loader makes are tried
    first (half the time of asking isinstance of each); subclasses, such as the round-trip
    loader's, take the general way."""
    t = type(value)
    if t is str:
        return value
    if t is dict:
        return {k if type(k) is str else str(k): plain(v) for k, v in value.items()}
    if t is list:
        return [plain(v) for v in value]
    if t is int or t is bool or t is float or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool | int | float):
        return value
    return str(value)


def canonical_json(value: Any) -> str:
    """`json.dumps(plain(value), ensure_ascii=False, sort_keys=True)` — the text fingerprints and
    pins hash — written by the C encoder in one pass, asking back only for dates and other
    values JSON has no form for (half the time of making the plain copy first). The two agree
    for data as the loaders make it, whose keys are text (a record's schema forbids other keys)
    and which holds no tuples; anything JSON cannot write takes the plain way."""
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=_json_scalar)
    except (TypeError, ValueError):
        return json.dumps(plain(value), ensure_ascii=False, sort_keys=True)


def _json_scalar(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else str(value)

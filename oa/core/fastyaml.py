"""The bulk loader: yaml-rs (a Rust YAML 1.2 parser) for the records' ordinary text, and PyYAML's
libyaml-backed CSafeLoader with YAML 1.2 core-schema resolvers for everything else.

Measured on the records' YAML (docs/performance.md): yaml-rs ~10× faster than the CSafeLoader,
which is ~2.7× faster than ruamel.yaml's C-backed safe loader. yaml-rs reads a few plain scalars
otherwise than ruamel.yaml, which writes the records (`12:30:00` as a time of day, `_0` as 0,
`2026-3-1 9:00:00` as text, a quoted `'2026-11-30'` as a date), and would expand anchors silently; text holding anything of the kind
(found in the text, or on yaml-rs's result) goes to the CSafeLoader, and so does text yaml-rs
refuses (a duplicate key, a syntax error), so that the message carries libyaml's line and column.

The CSafeLoader alone would resolve plain scalars by YAML 1.1 (`yes`/`no`/`on`/`off` as booleans,
`10:30` as sexagesimal 630, `017` as octal), while ruamel.yaml follows YAML 1.2 and leaves such
scalars unquoted; so it gets the 1.2 core schema's resolvers here. Property tests hold both paths
to ruamel.yaml's result.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

import yaml

yaml_rs: Any
try:
    import yaml_rs
except ImportError:  # no wheel for this platform: the CSafeLoader reads everything
    yaml_rs = None

try:
    _Base: Any = yaml.CSafeLoader
    WITH_LIBYAML = True
except AttributeError:  # a PyYAML built without libyaml: correct, just slower
    _Base = yaml.SafeLoader
    WITH_LIBYAML = False


class Loader12(_Base):  # type: ignore[misc]
    """CSafeLoader with YAML 1.2 core-schema implicit resolvers, refusing duplicate keys (a
    reader sees the first, PyYAML would keep the last)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:
                continue  # an unhashable key: the base class reports it
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r}",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


Loader12.yaml_implicit_resolvers = {}
_RESOLVERS = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    # digits may be grouped with _ (as ruamel.yaml, which writes the records, reads them)
    (
        "tag:yaml.org,2002:int",
        r"^(?:[0-9][0-9_]*|[-+][0-9_]*[0-9][0-9_]*|0o[0-7_]+|0x[0-9a-fA-F_]+|[-+]?0b[0-1_]+)$",
        "-+0123456789",
    ),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    (
        "tag:yaml.org,2002:timestamp",
        r"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
        r"|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
        r"(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?"
        r"(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$",
        "0123456789",
    ),
]
for _tag, _pattern, _first in _RESOLVERS:
    Loader12.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


def _int12(loader: Any, node: Any) -> int:
    value = str(loader.construct_scalar(node)).replace("_", "")
    if value.startswith("0o"):
        return int(value[2:], 8)
    if value.startswith("0x"):
        return int(value[2:], 16)
    if value.lstrip("+-").startswith("0b"):  # as ruamel.yaml reads it
        return int(value, 2)
    return int(value)


def _float12(loader: Any, node: Any) -> float:
    value = str(loader.construct_scalar(node)).lower()
    if value.endswith(".inf"):
        return float("-inf") if value.startswith("-") else float("inf")
    if value == ".nan":
        return float("nan")
    return float(value)


Loader12.add_constructor("tag:yaml.org,2002:int", _int12)
Loader12.add_constructor("tag:yaml.org,2002:float", _float12)


#: text yaml-rs would read otherwise than ruamel.yaml, or whose checks need libyaml's events:
#: anchors, aliases and tags, and numbers with a leading `_`; the expressions run only when a
#: plain substring test finds their first character (`_` is in every record's keys)
_ANCHOR_OR_TAG = re.compile(r"(?:^|[\s\[{,:\-?])[&*!][^\s,\[\]{}]", re.MULTILINE)
_UNDERSCORE_NUMBER = re.compile(r"(?:^|[\s\[{,:\-?])[-+]?_[0-9_]", re.MULTILINE)
_UNDERSCORE_DIGIT = re.compile(r"_[0-9_]")
#: yaml-rs makes a date of any text that reads as one, quoted or in a block scalar too
_QUOTED_DATE = re.compile(r"(?:['\"]|[|>][-+0-9]*[ \t]*\n[ \t]*)[0-9]{4}-[0-9]")
_DATE_START = re.compile(r"[0-9]{4}-[0-9]")
#: a text value yaml-rs left as text where ruamel.yaml reads a date (one-digit month, day or hour)
_DATE_LIKE = re.compile(r"[0-9]{4}-[0-9]")


def _careful(source: str) -> bool:
    if _quoted_date(source):
        return True
    if ("&" in source or "*" in source or "!" in source) and _ANCHOR_OR_TAG.search(source):
        return True
    return bool(_UNDERSCORE_DIGIT.search(source)) and bool(_UNDERSCORE_NUMBER.search(source))


def _quoted_date(source: str) -> bool:
    """`_QUOTED_DATE.search(source)`, tried only where a quote or a block indicator is: a regex
    that starts with an alternation is tried at every position of the text (a third of the
    load time of a record), `str.find` skips to the next candidate."""
    for mark in ("'", '"', "|", ">"):
        at = source.find(mark)
        while at != -1:
            if mark in "'\"":
                if _DATE_START.match(source, at + 1):
                    return True
            elif _QUOTED_DATE.match(source, at):
                return True
            at = source.find(mark, at + 1)
    return False


def load(text: str | bytes) -> Any:
    return load_with_depth(text)[0]


def load_with_depth(text: str | bytes) -> tuple[Any, int | None]:
    """The data, and how deeply it nests when the fast path measured it on the way (else None)."""
    if yaml_rs is not None:
        source = text.decode("utf-8") if isinstance(text, bytes) else text
        if not _careful(source):
            try:
                data = yaml_rs.loads(source)
            except Exception:  # the careful loader reports it with its position
                pass
            else:
                depth = _depth_as_ruamel_reads(data)
                if depth is not None:
                    return data, depth
    return yaml.load(text, Loader=Loader12), None


_CONTAINERS = (dict, list)  # (a tuple: isinstance checks it faster than `dict | list`)


def _depth_as_ruamel_reads(value: Any) -> int | None:
    """How deeply yaml-rs's result nests (a scalar counts as a level, as in yamlio); None when it
    made a value ruamel.yaml would not: a time of day (ruamel: text), or text that starts like a
    date (ruamel may read a date). yaml-rs makes the built-in types themselves, so `type(x) is`
    is asked before isinstance (this walk visits every value of every record)."""
    if not isinstance(value, _CONTAINERS):
        return None if isinstance(value, time) else 1
    deepest = 1
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, level = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        if children and level >= deepest:
            deepest = level + 1
        for child in children:
            kind = type(child)
            if kind is str:
                if child and child[0] in _DIGITS and _DATE_LIKE.match(child):
                    return None
            elif kind is dict or kind is list:
                stack.append((child, level + 1))
            elif kind in _PLAIN_SCALARS:
                continue
            elif isinstance(child, _CONTAINERS):
                stack.append((child, level + 1))
            elif isinstance(child, str):
                if child[:1] in _DIGITS and _DATE_LIKE.match(child):
                    return None
            elif isinstance(child, time):
                return None
    return deepest


_DIGITS = frozenset("0123456789")
#: what a value of these exact types holds is never read otherwise by ruamel.yaml
_PLAIN_SCALARS = frozenset({int, float, bool, type(None), date, datetime})


def has_anchor(text: str | bytes) -> int | None:
    """The 1-based line of the first anchor or alias, if any."""
    for event in yaml.parse(text, Loader=Loader12):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return int(event.start_mark.line) + 1 if event.start_mark else 1
    return None

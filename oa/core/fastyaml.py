"""The bulk loader: PyYAML's libyaml-backed CSafeLoader with YAML 1.2 core-schema resolvers.

Measured on the records' YAML (docs/performance.md): ~2.7× faster than ruamel.yaml's C-backed safe
loader. PyYAML resolves plain scalars by YAML 1.1 (`yes`/`no`/`on`/`off` as booleans, `10:30` as
sexagesimal 630, `017` as octal), while ruamel.yaml — which writes the records — follows YAML 1.2 and
leaves such scalars unquoted. So the loader here gets the 1.2 core schema's resolvers; a test holds
both loaders to the same result.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

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
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9][0-9_]*|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
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


def load(text: str | bytes) -> Any:
    return yaml.load(text, Loader=Loader12)


def has_anchor(text: str | bytes) -> int | None:
    """The 1-based line of the first anchor or alias, if any."""
    for event in yaml.parse(text, Loader=Loader12):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return int(event.start_mark.line) + 1 if event.start_mark else 1
    return None

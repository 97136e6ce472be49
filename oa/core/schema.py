"""JSON Schema for every record kind, for oa.yaml and for workflow files, so editors complete and
check fields (records name theirs in a `yaml-language-server` modeline)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from oa.core.config import Office
from oa.core.registry import kinds
from oa.core.workflow import Workflow
from oa.core.yamlio import atomic_write

SCHEMA_DIR = "schema"


def schemas() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    office = Office.model_json_schema()
    kind_props: dict[str, Any] = {}
    for name, kind in sorted(kinds().items()):
        schema = kind.model.model_json_schema(by_alias=True)
        schema["title"] = f"{kind.label} ({name})"
        out[name] = schema
        if kind.settings is not None:
            kind_props[name] = kind.settings.model_json_schema()
    if kind_props:
        office["properties"]["kinds"] = {"type": "object", "properties": kind_props}
    out["oa"] = office
    out["workflow"] = Workflow.model_json_schema(by_alias=True)
    return out


def write_schemas(root: Path) -> list[Path]:
    folder = root / SCHEMA_DIR
    written: list[Path] = []
    for name, schema in schemas().items():
        path = folder / f"{name}.schema.json"
        text = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            atomic_write(path, text)
        written.append(path)
    return written

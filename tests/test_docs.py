"""Docs that are generated must not drift from the code that generates them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from oa.core.codes import CODES, errors_markdown
from oa.core.schema import schemas
from tests.conftest import PROJECT


def test_errors_md_lists_every_code() -> None:
    text = (PROJECT / "docs" / "errors.md").read_text(encoding="utf-8")
    assert text == errors_markdown(), "run: python tools/gen_errors_md.py"
    for code in CODES:
        assert f"### {code} " in text


def test_every_code_used_in_the_code_is_documented() -> None:
    from oa.core.registry import kinds

    kinds()  # the kinds register their own codes as they are imported
    used: set[str] = set()
    for path in (PROJECT / "oa").rglob("*.py"):
        if path.name != "codes.py":
            # a kind's own `Code("OA4xx", …)` declaration is not a use of it
            text = re.sub(r'Code\(\s*"OA\d{3}"', "", path.read_text(encoding="utf-8"))
            used |= set(re.findall(r"\b(OA\d{3})\b", text))
    assert used <= set(CODES)
    unused = set(CODES) - used
    assert not unused, f"codes documented but never raised: {sorted(unused)}"


def test_a_kind_registers_its_own_codes() -> None:
    from oa.core.codes import Code, register_codes

    mine = Code("OA499", "test code", "Registered by a test.", "x.yaml:1: OA499 test")
    try:
        register_codes(mine)
        register_codes(mine)  # the same code again is harmless (a module imported twice)
        assert CODES["OA499"] is mine
        other = Code("OA499", "another meaning", "", "")
        try:
            register_codes(other)
        except ValueError as exc:
            assert "already registered" in str(exc)
        else:
            raise AssertionError("a code's meaning cannot change")
    finally:
        from oa.core import codes

        codes._CODES.remove(mine)
        del CODES["OA499"]


def test_demo_schema_files_are_current() -> None:
    """records/schema/ is what `oa schema` writes today (editors read it via the modeline)."""
    for name, schema in schemas().items():
        path = PROJECT / "records" / "schema" / f"{name}.schema.json"
        text = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        assert path.read_text(encoding="utf-8") == text, "run: oa schema --root records"


def test_oa_schema_command_writes_schemas(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from oa.cli.app import app

    res = CliRunner().invoke(app, ["schema", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    data = json.loads((tmp_path / "outgoing.schema.json").read_text(encoding="utf-8"))
    assert "doc_number" in data["properties"] and "history" in data["required"]

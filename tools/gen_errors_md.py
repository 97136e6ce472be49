"""Write docs/errors.md from the code table in oa/core/codes.py."""

from pathlib import Path

from oa.core.codes import errors_markdown

target = Path(__file__).resolve().parents[1] / "docs" / "errors.md"
target.write_text(errors_markdown(), encoding="utf-8")
print(f"wrote {target}")

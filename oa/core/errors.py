"""Findings (what checks report) and OAError (what stops a command).

Both carry a stable code from `oa.core.codes` and, where known, a file and line, so every message reads
`path:line: CODE message` like a compiler's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from oa.core.codes import CODES

#: exit status for findings in checked data (oa validate, oa audit)
EXIT_FINDINGS = 1
#: exit status for usage and environment errors
EXIT_USAGE = 2


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    code: str
    message: str
    severity: str = field(default="error", compare=False)

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unregistered finding code {self.code}")

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        sev = "" if self.severity == "error" else f" [{self.severity}]"
        return f"{where}: {self.code}{sev} {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }


class OAError(Exception):
    """An error that ends a command with a coded message and a non-zero exit, never a traceback."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        path: str | None = None,
        line: int = 0,
        exit_code: int = EXIT_USAGE,
    ) -> None:
        if code not in CODES:
            raise ValueError(f"unregistered error code {code}")
        super().__init__(message)
        self.code = code
        self.message = message
        self.path = path
        self.line = line
        self.exit_code = exit_code

    def format(self) -> str:
        if self.path:
            where = f"{self.path}:{self.line}" if self.line else self.path
            return f"{where}: {self.code} {self.message}"
        return f"oa: {self.code} {self.message}"


class FindingsError(OAError):
    """A command refused because the data it would touch has findings."""

    def __init__(
        self,
        findings: list[Finding],
        code: str = "OA608",
        why: str = "the record would not be valid",
    ) -> None:
        first = findings[0]
        super().__init__(code, first.message, path=first.path, line=first.line)
        self.findings = findings
        self.why = why

    def format(self) -> str:
        """Each finding, then the refusal itself (OA608, exit 2: nothing was written)."""
        lines = [f.format() for f in self.findings]
        lines.append(
            f"{self.path}: {self.code} refused: {self.why} "
            f"({len(self.findings)} finding(s) above); nothing was written"
        )
        return "\n".join(lines)


def schema_error(
    exc: ValidationError, code: str, path: str, text: str, prefix: Sequence[str | int] = ()
) -> OAError:
    """A configuration file's first schema error, at its line: `key.path: message (and N more)`.
    A key that is there comes before one that is missing: a misspelt key is reported at its own
    line, not as the missing one at line 1."""
    from oa.core.yamlio import line_of

    errors = exc.errors()
    err = next((e for e in errors if e["type"] != "missing"), errors[0])
    loc = [*prefix, *[p for p in err["loc"] if isinstance(p, str | int)]]
    where = ".".join(str(p) for p in loc)
    msg = err["msg"].removeprefix("Value error, ")
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return OAError(
        code, f"{where + ': ' if where else ''}{msg}{more}", path=path, line=line_of(text, loc)
    )

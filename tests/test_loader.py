"""The bulk loader (libyaml, YAML 1.2 resolvers) reads records exactly as ruamel.yaml, which
writes them, does."""

from __future__ import annotations

import io
from typing import Any

import pytest
from ruamel.yaml import YAML

from oa.core import fastyaml, yamlio
from tests.conftest import DEMO

_RUAMEL = YAML(typ="safe", pure=False)

TRICKY = [
    "yes", "no", "on", "off", "y", "n", "10:30", "1:20:30", "017", "0o17", "0x1F", "1e3", ".5",
    "0194", "null", "~", "", "2026-03-01", "2026-03-01T09:00:00+08:00", "2026-3-1 9:00:00",
    "1_000", "+12", "-.inf", ".NaN", "True", "FALSE", "3.", "1.5e-3", "浏后勤发〔2026〕7号",
    "是", "- x", "a: b", "'quoted'", "0.1.2", "1/2", "=", "<<",
]  # fmt: skip


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and a != a:
        return isinstance(b, float) and b != b
    return bool(a == b) and type(a) is type(b)


@pytest.mark.parametrize("scalar", TRICKY)
def test_plain_scalars_resolve_as_yaml_1_2(scalar: str) -> None:
    text = f"a: {scalar}\n"
    try:
        expected = _RUAMEL.load(text)
    except Exception:
        pytest.skip("not valid YAML for ruamel either")
    assert _same(fastyaml.load(text)["a"], expected["a"])


def test_every_demo_record_loads_the_same() -> None:
    paths = sorted(DEMO.glob("*/*/*.yaml"))
    assert len(paths) > 40
    for path in paths:
        raw = path.read_bytes()
        assert fastyaml.load(raw) == _RUAMEL.load(raw), path


def test_what_ruamel_writes_the_fast_loader_reads_back() -> None:
    data = {"s": [*TRICKY], "n": 7, "f": 1.5, "t": True, "z": None}
    text = yamlio.dump_roundtrip(data)
    assert yamlio.load_text(text, "x") == data
    buf = io.StringIO(text)
    assert _RUAMEL.load(buf) == data

"""The bulk loader (libyaml, YAML 1.2 resolvers) reads records exactly as ruamel.yaml, which
writes them, does."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
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


_SCALARS = st.one_of(
    st.sampled_from(TRICKY),
    st.sampled_from(
        [
            "0b101",
            "12:30:00",
            "2026-11-30 9:00:00",
            "2026-1-03",
            "R&D",
            "*",
            "!x",
            "_0",
            "+_1",
            "0x_F",
        ]
    ),
    st.from_regex(r"[0-9a-z:.+\-_ 　中文〔〕号]{1,12}", fullmatch=True),
    st.dates().map(lambda d: f"'{d}'"),
    st.sampled_from(['"2026-11-30"', "'0001-01-01'", "|-\n    2026-11-30", ">\n    2026-11-30"]),
    st.integers(-(10**6), 10**6).map(str),
    st.dates().map(str),
    st.datetimes(timezones=st.just(__import__("datetime").timezone.utc)).map(
        lambda d: d.isoformat()
    ),
)


@st.composite
def _documents(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for n in range(draw(st.integers(1, 6))):
        shape = draw(st.sampled_from(["scalar", "list", "map"]))
        if shape == "scalar":
            lines.append(f"k{n}: {draw(_SCALARS)}")
        elif shape == "list":
            lines.append(f"k{n}:")
            lines += [f"  - {s}" for s in draw(st.lists(_SCALARS, min_size=1, max_size=3))]
        else:
            lines.append(f"k{n}:")
            lines += [f"    m{i}: {s}" for i, s in enumerate(draw(st.lists(_SCALARS, max_size=3)))]
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None)
@given(_documents())
def test_fast_loader_reads_any_document_as_ruamel_does(text: str) -> None:
    """Whichever parser the bulk loader picks (yaml-rs or libyaml), the result is what ruamel.yaml,
    which writes the records, reads (issue #7: a faster loader may not change a single value)."""
    try:
        expected = _RUAMEL.load(text)
    except Exception:
        return  # not YAML for the writer either; the loader's refusal is tested elsewhere
    got = fastyaml.load(text)
    assert list(got) == list(expected)
    for key in expected:
        a, b = got[key], expected[key]
        if isinstance(b, list | dict):
            assert len(a) == len(b), (text, a, b)
            pairs = (
                zip(a, b, strict=True)
                if isinstance(b, list)
                else zip(a.values(), b.values(), strict=True)
            )
            items = list(pairs)
            assert all(_same(x, y) for x, y in items), (text, a, b)
        else:
            assert _same(a, b), (text, a, b)


def test_fast_path_is_taken_for_ordinary_records() -> None:
    """The demo's records avoid everything that needs the careful loader (else no speed-up)."""
    if fastyaml.yaml_rs is None:
        pytest.skip("yaml-rs is not installed for this platform")
    paths = sorted(DEMO.glob("*/*/*.yaml"))
    careful = [p for p in paths if fastyaml._careful(p.read_text(encoding="utf-8"))]
    assert len(careful) <= len(paths) // 10, careful


def test_without_yaml_rs_the_careful_loader_reads_everything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a platform without a yaml-rs wheel the loader is slower, never different."""
    monkeypatch.setattr(fastyaml, "yaml_rs", None)
    for path in sorted(DEMO.glob("*/*/*.yaml"))[:10]:
        raw = path.read_bytes()
        assert fastyaml.load(raw) == _RUAMEL.load(raw), path


_NESTED = st.recursive(
    st.one_of(st.integers(), st.text(max_size=3), st.none()),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=3)
    ),
    max_leaves=20,
)


@given(_NESTED)
def test_fast_path_measures_nesting_as_the_careful_path(value: Any) -> None:
    """The fast path measures depth on its way through the result; OA104 must fire alike."""
    fast = fastyaml._depth_as_ruamel_reads(value)
    assert fast is None or fast == yamlio._depth(value)


_TEXT_NEAR_DATES = st.text(alphabet="'\"|>-+0123456789 \t\n_:ab", max_size=60)


@settings(max_examples=500, deadline=None)
@given(_TEXT_NEAR_DATES)
def test_quick_screens_find_what_their_expressions_find(text: str) -> None:
    """The screens that send a text to the careful loader skip ahead with `str.find` (issue #7):
    they must pick exactly the texts the plain regular expressions pick."""
    assert fastyaml._quoted_date(text) == bool(fastyaml._QUOTED_DATE.search(text))
    underscored = any(u in text for u in ("__", *(f"_{d}" for d in "0123456789")))
    assert bool(fastyaml._UNDERSCORE_DIGIT.search(text)) == underscored


_RECORD_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.dates()
    | st.datetimes()
)
_RECORD_DATA = st.recursive(
    _RECORD_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_RECORD_DATA)
def test_canonical_json_is_the_json_of_the_plain_data(value: Any) -> None:
    """Archive fingerprints (S-DOC-IN-6, OA411) and approval pins (S-GEN-2, OA414) hash this text: the
    one-pass encoder must write exactly what the plain copy's JSON was, or every archived record
    would read as changed."""
    expected = json.dumps(yamlio.plain(value), ensure_ascii=False, sort_keys=True)
    assert yamlio.canonical_json(value) == expected
